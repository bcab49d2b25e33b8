#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes failing at every point of an output commit (tests/chaos/failwrite.c,
# preloaded): each failure is exit 1 with one line naming the file, and the
# user's files stay as they were (or absent, if they were absent); a run
# that exits 0 has written every output whole.
set -u
. "$(dirname "$0")/shell_common.sh"
SHIM=${IONKMC_FAILWRITE:-}
if [ -z "$SHIM" ] || [ ! -e "$SHIM" ] || [ -n "${IONKMC_SANITIZE:-}" ]; then
  echo "cli_chaos: no shim (or a sanitizer build, which must come first in the preload order): skipped"
  exit 0
fi

A=$TMP/res.json
C=$TMP/res.csv
run() { # the command under test, with the shim
  LD_PRELOAD=$SHIM "$BIN" "$@" 2>"$TMP/err"
}
every_point() { # label, prepare-function, then the ionkmc arguments
  local label=$1 prep=$2; shift 2
  $prep
  IONKMC_FAILWRITE_AT=0 IONKMC_FAILWRITE_COUNT=$TMP/count run "$@"
  local n; n=$(cat "$TMP/count")
  check "$label: the commit makes calls to fail ($n)" $([ "$n" -ge 4 ]; echo $?)
  local k bad=0 failed=0
  for k in $(seq 1 "$n"); do
    $prep
    local before; before=$(cat "$A" "$C" 2>/dev/null | md5sum)
    IONKMC_FAILWRITE_AT=$k run "$@"
    local rc=$?
    local after; after=$(cat "$A" "$C" 2>/dev/null | md5sum)
    if [ $rc -eq 0 ]; then
      grep -q '"results"' "$A" && grep -q '^defect,' "$C" || { echo "point $k: exit 0, outputs not whole"; bad=1; }
    else
      failed=$((failed + 1))
      [ $rc -eq 1 ] || { echo "point $k: exit $rc"; bad=1; }
      [ "$before" = "$after" ] || { echo "point $k: the user's files changed"; bad=1; }
      [ "$(wc -l <"$TMP/err")" -eq 1 ] || { echo "point $k: $(wc -l <"$TMP/err") lines on stderr"; bad=1; }
      grep -q "$TMP/res\.\|write failed" "$TMP/err" || { echo "point $k: $(cat "$TMP/err")"; bad=1; }
    fi
    [ -z "$(ls "$TMP"/res.*.tmp.* 2>/dev/null)" ] || { echo "point $k: a temporary left"; bad=1; }
  done
  check "$label: $n points, $failed failed cleanly, files as they were" $bad
  check "$label: most points fail the command" $([ $failed -ge $((n / 2)) ]; echo $?)
}
old_files() { echo oldjson >"$A"; echo oldcsv >"$C"; }
no_files() { rm -f "$A" "$C"; }
R="run --defect V_I+,I_I- --T 400 --runs 2 --hops 200 --threads 1 --quiet --json $A --csv $C"
every_point "run, existing outputs" old_files $R
every_point "run, new outputs" no_files $R

echo "cli_chaos: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
