#include "barriers/torch_model.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
static void t(void **s) { ionkmc_status st; ionkmc_torch_model *m = ionkmc_torch_model_alloc("x", 1, 18, NULL, &st); (void)m; }
int main(void) { const struct CMUnitTest tests[] = {cmocka_unit_test(t)}; return cmocka_run_group_tests(tests, NULL, NULL); }
