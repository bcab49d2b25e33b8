# Empty compiler generated dependencies file for ionkmc.
# This may be replaced when dependencies are built.
