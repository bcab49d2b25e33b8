file(REMOVE_RECURSE
  "CMakeFiles/ionkmc.dir/cli/cmd_bench.c.o"
  "CMakeFiles/ionkmc.dir/cli/cmd_bench.c.o.d"
  "CMakeFiles/ionkmc.dir/cli/cmd_catalog.c.o"
  "CMakeFiles/ionkmc.dir/cli/cmd_catalog.c.o.d"
  "CMakeFiles/ionkmc.dir/cli/cmd_run.c.o"
  "CMakeFiles/ionkmc.dir/cli/cmd_run.c.o.d"
  "CMakeFiles/ionkmc.dir/cli/cmd_sweep.c.o"
  "CMakeFiles/ionkmc.dir/cli/cmd_sweep.c.o.d"
  "CMakeFiles/ionkmc.dir/cli/common.c.o"
  "CMakeFiles/ionkmc.dir/cli/common.c.o.d"
  "CMakeFiles/ionkmc.dir/cli/main.c.o"
  "CMakeFiles/ionkmc.dir/cli/main.c.o.d"
  "ionkmc"
  "ionkmc.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ionkmc.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
