#include "cli/cli.h"
int cmd_catalog(int argc, char **argv) { (void)argc; (void)argv; return 1; }
