# Empty dependencies file for ionkmc_lib.
# This may be replaced when dependencies are built.
