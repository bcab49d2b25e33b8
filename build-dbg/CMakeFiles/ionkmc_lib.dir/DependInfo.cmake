
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/barriers/catalog.c" "CMakeFiles/ionkmc_lib.dir/barriers/catalog.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/barriers/catalog.c.o.d"
  "/work/main/barriers/default_catalog.c" "CMakeFiles/ionkmc_lib.dir/barriers/default_catalog.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/barriers/default_catalog.c.o.d"
  "/work/main/events/defects.c" "CMakeFiles/ionkmc_lib.dir/events/defects.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/events/defects.c.o.d"
  "/work/main/kmc/engine.c" "CMakeFiles/ionkmc_lib.dir/kmc/engine.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/kmc/engine.c.o.d"
  "/work/main/kmc/rng.c" "CMakeFiles/ionkmc_lib.dir/kmc/rng.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/kmc/rng.c.o.d"
  "/work/main/kmc/runner.c" "CMakeFiles/ionkmc_lib.dir/kmc/runner.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/kmc/runner.c.o.d"
  "/work/main/kmc/stats.c" "CMakeFiles/ionkmc_lib.dir/kmc/stats.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/kmc/stats.c.o.d"
  "/work/main/kmc/sumtree.c" "CMakeFiles/ionkmc_lib.dir/kmc/sumtree.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/kmc/sumtree.c.o.d"
  "/work/main/lattice/lattice.c" "CMakeFiles/ionkmc_lib.dir/lattice/lattice.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/lattice/lattice.c.o.d"
  "/work/main/lattice/outfile.c" "CMakeFiles/ionkmc_lib.dir/lattice/outfile.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/lattice/outfile.c.o.d"
  "/work/main/lattice/status.c" "CMakeFiles/ionkmc_lib.dir/lattice/status.c.o" "gcc" "CMakeFiles/ionkmc_lib.dir/lattice/status.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
