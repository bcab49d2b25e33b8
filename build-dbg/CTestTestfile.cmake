# CMake generated Testfile for 
# Source directory: /work/main
# Build directory: /work/main/build-dbg
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_catalog "/work/main/build-dbg/test_catalog")
set_tests_properties(test_catalog PROPERTIES  ENVIRONMENT "IONKMC_BIN=/work/main/build-dbg/ionkmc;IONKMC_SOURCE_DIR=/work/main;IONKMC_SHARED_DIR=/work/main/../shared" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;51;add_test;/work/main/CMakeLists.txt;0;")
add_test(test_engine "/work/main/build-dbg/test_engine")
set_tests_properties(test_engine PROPERTIES  ENVIRONMENT "IONKMC_BIN=/work/main/build-dbg/ionkmc;IONKMC_SOURCE_DIR=/work/main;IONKMC_SHARED_DIR=/work/main/../shared" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;51;add_test;/work/main/CMakeLists.txt;0;")
add_test(test_lattice "/work/main/build-dbg/test_lattice")
set_tests_properties(test_lattice PROPERTIES  ENVIRONMENT "IONKMC_BIN=/work/main/build-dbg/ionkmc;IONKMC_SOURCE_DIR=/work/main;IONKMC_SHARED_DIR=/work/main/../shared" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;51;add_test;/work/main/CMakeLists.txt;0;")
add_test(test_rng "/work/main/build-dbg/test_rng")
set_tests_properties(test_rng PROPERTIES  ENVIRONMENT "IONKMC_BIN=/work/main/build-dbg/ionkmc;IONKMC_SOURCE_DIR=/work/main;IONKMC_SHARED_DIR=/work/main/../shared" TIMEOUT "900" _BACKTRACE_TRIPLES "/work/main/CMakeLists.txt;51;add_test;/work/main/CMakeLists.txt;0;")
