#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The layering check: scripts/layers passes on the tree (no upward include,
# no circle of modules beyond scripts/layers.allow), and it fails on a
# scratch tree with an upward include, with a circle, and with a malformed
# allow-list; an allowed circle passes, and one no longer there is noted;
# the umbrella header ionkmc.h lists the headers floor by floor.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
L="$SRC/scripts/layers"

"$L" >"$TMP/tree.out" 2>&1
rc=$?
check "scripts/layers on the tree: $(head -c 800 "$TMP/tree.out")" $rc

# A scratch tree: lattice/a.h includes kmc/b.h (upward), barriers/p.c and
# barriers/q.c include each other's headers (a circle of two modules), and
# events/x_impl.h, the private header of events/x, includes events/x.h (not
# a circle: x_impl.h belongs to module events/x).
S="$TMP/tree"
mkdir -p "$S/scripts" "$S/lattice" "$S/kmc" "$S/barriers" "$S/events" "$S/tests"
printf '#include "kmc/b.h"\n' >"$S/lattice/a.h"
printf 'int b(void);\n' >"$S/kmc/b.h"
printf 'int p(void);\n' >"$S/barriers/p.h"
printf 'int q(void);\n' >"$S/barriers/q.h"
printf '#include "barriers/p.h"\n#include "barriers/q.h"\n' >"$S/barriers/p.c"
printf '#include "barriers/q.h"\n#include "barriers/p.h"\n' >"$S/barriers/q.c"
printf 'int x(void);\n' >"$S/events/x.h"
printf '#include "events/x.h"\n' >"$S/events/x_impl.h"
printf '#include "events/x_impl.h"\n#include "events/x.h"\n' >"$S/events/x.c"
printf '#include "kmc/b.h"\n#include "lattice/a.h"\n' >"$S/tests/t.c" # tests include anything
: >"$S/scripts/layers.allow"

"$L" --root "$S" >"$TMP/s1" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "lattice/a.h:1: includes kmc/b.h of layer kmc" "$TMP/s1" &&
  grep -q "circle of 2 modules: barriers/p barriers/q" "$TMP/s1" && ! grep -q "events/x" "$TMP/s1" &&
  ! grep -q "tests/" "$TMP/s1"
ok=$?
check "an upward include and a circle fail (rc=$rc: $(cat "$TMP/s1"))" $ok

# Each violation alone fails too.
rm "$S/lattice/a.h"
"$L" --root "$S" >"$TMP/s2" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "circle of 2 modules" "$TMP/s2" && ! grep -q "includes" "$TMP/s2"
ok=$?
check "a circle alone fails (rc=$rc: $(cat "$TMP/s2"))" $ok

# Allowed: the circle passes; an allowed circle that is gone is a note (a
# failure with --strict).
printf '# test\ncircle barriers/p barriers/q # known, reason given\ncircle kmc/b kmc/c # gone\n' \
  >"$S/scripts/layers.allow"
"$L" --root "$S" >"$TMP/s3" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "note: .*allowed circle kmc/b kmc/c is no longer in the tree" "$TMP/s3"
ok=$?
check "an allowed circle passes, a stale entry is noted (rc=$rc: $(cat "$TMP/s3"))" $ok
"$L" --root "$S" --strict >"$TMP/s4" 2>&1
rc=$?
check "--strict fails on the stale entry (rc=$rc)" $([ "$rc" -eq 1 ]; echo $?)

# An upward include in a .c file, of a header two floors up.
printf '#include "calibration/c.h"\n' >"$S/barriers/r.c"
mkdir -p "$S/calibration" && printf 'int c(void);\n' >"$S/calibration/c.h"
"$L" --root "$S" >"$TMP/s5" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "barriers/r.c:1: includes calibration/c.h of layer calibration, above its own layer barriers" "$TMP/s5"
ok=$?
check "an upward include in a .c file fails (rc=$rc: $(cat "$TMP/s5"))" $ok
rm "$S/barriers/r.c"

# A malformed allow-list (an entry without a reason) is a usage error.
printf 'circle barriers/p barriers/q\n' >"$S/scripts/layers.allow"
"$L" --root "$S" >"$TMP/s6" 2>&1
rc=$?
[ "$rc" -eq 2 ] && grep -q "needs its reason" "$TMP/s6"
ok=$?
check "an exception without a reason is refused (rc=$rc: $(cat "$TMP/s6"))" $ok

# The umbrella header: out of floor order fails; a public header left out
# is a note, unless the allow-list names it private.
printf 'circle barriers/p barriers/q # known\n' >"$S/scripts/layers.allow"
printf '#include "kmc/b.h"\n#include "events/x.h"\n' >"$S/ionkmc.h"
"$L" --root "$S" >"$TMP/s7" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "ionkmc.h:2: events/x.h (layer events) comes after a header of layer kmc" "$TMP/s7" &&
  grep -q "note: ionkmc.h does not include barriers/p.h" "$TMP/s7" && ! grep -q "x_impl.h" "$TMP/s7"
ok=$?
check "the umbrella out of order fails, a header left out is noted (rc=$rc: $(cat "$TMP/s7"))" $ok
rm -r "$S/calibration"
printf '#include "events/x.h"\n#include "barriers/p.h"\n#include "kmc/b.h"\n' >"$S/ionkmc.h"
printf 'private barriers/q.h # test\n' >>"$S/scripts/layers.allow"
"$L" --root "$S" --strict >"$TMP/s8" 2>&1
rc=$?
check "the umbrella in order, every header listed or private, passes --strict (rc=$rc: $(cat "$TMP/s8"))" $rc

echo "cli_layers: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
