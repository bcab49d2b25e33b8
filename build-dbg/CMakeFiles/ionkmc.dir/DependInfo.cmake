
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/cli/cmd_bench.c" "CMakeFiles/ionkmc.dir/cli/cmd_bench.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/cmd_bench.c.o.d"
  "/work/main/cli/cmd_catalog.c" "CMakeFiles/ionkmc.dir/cli/cmd_catalog.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/cmd_catalog.c.o.d"
  "/work/main/cli/cmd_run.c" "CMakeFiles/ionkmc.dir/cli/cmd_run.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/cmd_run.c.o.d"
  "/work/main/cli/cmd_sweep.c" "CMakeFiles/ionkmc.dir/cli/cmd_sweep.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/cmd_sweep.c.o.d"
  "/work/main/cli/common.c" "CMakeFiles/ionkmc.dir/cli/common.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/common.c.o.d"
  "/work/main/cli/main.c" "CMakeFiles/ionkmc.dir/cli/main.c.o" "gcc" "CMakeFiles/ionkmc.dir/cli/main.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build-dbg/CMakeFiles/ionkmc_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
