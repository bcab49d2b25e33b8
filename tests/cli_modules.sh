#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The optional modules (base/module.h): the program links none of libhdf5,
# PLplot and libtorch, and the dynamic loader opens none of them, nor any
# libionkmc-*.so module, for --version, --help and a tiny run (LD_DEBUG=files
# lists every object it opens, those of dlopen included); a figure opens the
# plotting module and PLplot, an H5MD file the H5MD module and libhdf5 (so
# the listing does show a module when one is used); a missing or foreign
# module is exit 1 with one line naming the module and the variable that sets
# its path, and no output file or temporary left behind.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?set IONKMC_SOURCE_DIR to the repository root}
D=$SRC/tests/data/plot
HEAVY='libhdf5|libplplot|libtorch|libc10|libionkmc-'

# opened ARGS...: the objects the dynamic loader opens for `ionkmc ARGS`, one a line.
opened() { LD_DEBUG=files "$BIN" "$@" 2>&1 >/dev/null | grep -o 'file=[^ ]*' | sed 's/^file=//' | sort -u; }

if command -v readelf >/dev/null; then
  need=$(readelf -d "$BIN" | grep NEEDED)
  ! grep -Eq "$HEAVY" <<<"$need"
  rc=$?
  check "ionkmc links none of libhdf5, PLplot, libtorch ($(grep -Eo "${HEAVY}[^]]*" <<<"$need" | tr '\n' ' '))" $rc
fi

for args in "--version" "--help" "run --defect V_I+ --runs 2 --hops 1000 --threads 1 --quiet --seed 1"; do
  # shellcheck disable=SC2086
  list=$(opened $args)
  [ -n "$list" ] && grep -q 'libc\.so' <<<"$list"
  check "LD_DEBUG=files lists the objects of 'ionkmc $args'" $?
  ! grep -Eq "$HEAVY" <<<"$list"
  rc=$?
  check "'ionkmc $args' opens no heavy library or module ($(grep -E "$HEAVY" <<<"$list" | tr '\n' ' '))" $rc
done

# A figure opens the plotting module (next to the program) and PLplot.
list=$(opened plot sweep --in "$D/sweep.json" --out "$TMP/fig.png")
[ -s "$TMP/fig.png" ] && grep -q 'libionkmc-plot\.so' <<<"$list" && grep -q 'libplplot' <<<"$list" &&
  ! grep -q 'libhdf5' <<<"$list"
check "plot opens libionkmc-plot.so and PLplot, not libhdf5" $?

# An H5MD file opens the H5MD module and libhdf5 (this one is not HDF5: bad input, exit 2).
printf 'not hdf5\n' >"$TMP/x.h5md"
list=$(opened calibrate --md "500:$TMP/x.h5md" --md "600:$TMP/x.h5md" --defect V_I+ --out "$TMP/cat.json")
grep -q 'libionkmc-h5md\.so' <<<"$list" && grep -q 'libhdf5' <<<"$list" && ! grep -q 'libplplot' <<<"$list"
check "an H5MD file opens libionkmc-h5md.so and libhdf5, not PLplot" $?
expect_bad "x.h5md: not an HDF5 (H5MD) file" calibrate --md "500:$TMP/x.h5md" --md "600:$TMP/x.h5md" \
  --defect V_I+ --out "$TMP/out.json"

# expect_missing VAR MODULE FILE WHY ARGS...: with VAR=FILE, exit 1, one line
# naming MODULE, WHY and VAR, and no out.* or temporary left behind.
expect_missing() {
  local var=$1 mod=$2 file=$3 why=$4
  shift 4
  rm -f "$TMP"/out.*
  env "$var=$file" "$BIN" "$@" >/dev/null 2>"$TMP/err"
  local rc=$?
  [ $rc -eq 1 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF "$mod could not be loaded" "$TMP/err" &&
    grep -qF "$why" "$TMP/err" && grep -qF "set $var to its path" "$TMP/err" &&
    [ -z "$(ls "$TMP"/out.* "$TMP"/*.tmp.* 2>/dev/null)" ]
  local ok=$?
  check "$var=$(basename "$file") $1: exit 1, one line ($rc: $(head -c 300 "$TMP/err"))" $ok
}
for f in "$TMP/none.so" "${IONKMC_FAILWRITE:-}"; do
  [ -n "$f" ] || continue
  [ "$f" = "$TMP/none.so" ] && why="No such file" || why="not an ionkmc module"
  expect_missing IONKMC_PLOT_MODULE "the plotting module libionkmc-plot.so" "$f" "$why" \
    plot sweep --in "$D/sweep.json" --out "$TMP/out.png"
  expect_missing IONKMC_H5MD_MODULE "the H5MD (HDF5) module libionkmc-h5md.so" "$f" "$why" \
    calibrate --md "500:$TMP/x.h5md" --md "600:$TMP/x.h5md" --defect V_I+ --out "$TMP/out.json"
done

echo "cli_modules: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
