#include "cli/cli.h"
int cmd_mdinput(int argc, char **argv) { (void)argc; (void)argv; return 1; }
