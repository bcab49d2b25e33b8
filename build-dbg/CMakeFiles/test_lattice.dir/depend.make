# Empty dependencies file for test_lattice.
# This may be replaced when dependencies are built.
