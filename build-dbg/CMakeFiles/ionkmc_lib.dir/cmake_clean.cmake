file(REMOVE_RECURSE
  "CMakeFiles/ionkmc_lib.dir/barriers/catalog.c.o"
  "CMakeFiles/ionkmc_lib.dir/barriers/catalog.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/barriers/default_catalog.c.o"
  "CMakeFiles/ionkmc_lib.dir/barriers/default_catalog.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/events/defects.c.o"
  "CMakeFiles/ionkmc_lib.dir/events/defects.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/kmc/engine.c.o"
  "CMakeFiles/ionkmc_lib.dir/kmc/engine.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/kmc/rng.c.o"
  "CMakeFiles/ionkmc_lib.dir/kmc/rng.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/kmc/runner.c.o"
  "CMakeFiles/ionkmc_lib.dir/kmc/runner.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/kmc/stats.c.o"
  "CMakeFiles/ionkmc_lib.dir/kmc/stats.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/kmc/sumtree.c.o"
  "CMakeFiles/ionkmc_lib.dir/kmc/sumtree.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/lattice/lattice.c.o"
  "CMakeFiles/ionkmc_lib.dir/lattice/lattice.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/lattice/outfile.c.o"
  "CMakeFiles/ionkmc_lib.dir/lattice/outfile.c.o.d"
  "CMakeFiles/ionkmc_lib.dir/lattice/status.c.o"
  "CMakeFiles/ionkmc_lib.dir/lattice/status.c.o.d"
  "libionkmc.a"
  "libionkmc.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/ionkmc_lib.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
