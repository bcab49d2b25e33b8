CMakeFiles/ionkmc_lib.dir/barriers/default_catalog.c.o: \
 /work/main/barriers/default_catalog.c /usr/include/stdc-predef.h
