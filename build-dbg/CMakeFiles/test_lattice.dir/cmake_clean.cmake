file(REMOVE_RECURSE
  "CMakeFiles/test_lattice.dir/tests/test_lattice.c.o"
  "CMakeFiles/test_lattice.dir/tests/test_lattice.c.o.d"
  "test_lattice"
  "test_lattice.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_lattice.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
