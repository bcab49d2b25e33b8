#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The recorded outputs of scripts/golden (run, sweep, a mixed box, a field,
# the constant/kra/torch providers, catalog export and derive, synth,
# calibrate, compare; fixed seeds) are reproduced byte for byte. A change that
# must keep the physics (a refactoring, a speed-up) keeps them; a change that
# alters results on purpose re-records them (`scripts/golden record BIN`) and
# says why in its commit. The check can fail: a one-digit change in a recorded
# file is reported.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}

"$SRC/scripts/golden" check "$BIN" >"$TMP/golden.out" 2>&1
ok=$?
check "outputs equal tests/golden: $(head -c 1500 "$TMP/golden.out")" $ok

# A mutated copy of the reference folder must be caught.
mkdir -p "$TMP/tree/scripts" "$TMP/tree/tests"
cp "$SRC/scripts/golden" "$TMP/tree/scripts/"
cp -r "$SRC/tests/golden" "$TMP/tree/tests/"
ln -s "$SRC/examples" "$TMP/tree/examples"
sed -i '0,/"seed": /s/"seed": \([0-9]\)/"seed": 9\1/' "$TMP/tree/tests/golden/run.json"
"$TMP/tree/scripts/golden" check "$BIN" >"$TMP/mut.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q 'run.json differs' "$TMP/mut.out"
check "a changed digit in run.json is reported (rc=$rc)" $?

echo "cli_golden: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
