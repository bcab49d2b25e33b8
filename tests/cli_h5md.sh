#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# H5MD trajectories: the same synthetic MD as extxyz and as H5MD written by
# two writers (tests/h5md/write_h5md.py: frames read through ASE; frames
# parsed by hand with nm units, wrapped positions with image flags, integer
# species, a time-dependent box with an offset, a scalar time interval in fs)
# give the same calibration report as the extxyz; bad H5MD files are bad
# input with one line naming the file and the dataset.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
PY=/usr/bin/python3
W="$SRC/tests/h5md/write_h5md.py"
SAME="$SRC/tests/h5md/same_report.py"
if ! $PY -c 'import h5py, ase' 2>/dev/null; then
  echo "cli_h5md: needs Debian's python3-h5py and python3-ase (scripts/install-deps)"
  exit 1
fi

TY="--types 1=Pb,2=I,3=C,4=N"
HOP="--dwell 0.02 --window 0 --no-sensitivity"
"$BIN" synth --defect V_I+ --T 500 --rate 6e10 --frames 1000 --format extxyz --out "$TMP/a500.xyz" >/dev/null
check "synth 500 K" $?
"$BIN" synth --defect V_I+ --T 600 --rate 1e11 --frames 1000 --stream 1 --format extxyz --out "$TMP/a600.xyz" >/dev/null
check "synth 600 K" $?
for m in ase plain; do
  for T in 500 600; do
    $PY "$W" $m "$TMP/a$T.xyz" "$TMP/a${T}_$m.h5md" 2>"$TMP/py.err"
    rc=$?
    check "write_h5md.py $m $T K: $(head -c 300 "$TMP/py.err")" $rc
  done
done

cal() { # tag md500 md600 [extra options]
  local tag=$1 a=$2 b=$3; shift 3
  "$BIN" calibrate --md "500:$a" --md "600:$b" --defect V_I+ $HOP "$@" \
    --out "$TMP/$tag.cat.json" --report "$TMP/$tag.rep.json" --events "$TMP/$tag.ev.csv" --quiet 2>"$TMP/$tag.err"
}
cal xyz "$TMP/a500.xyz" "$TMP/a600.xyz" $TY
_rc=$?
check "calibrate extxyz: $(cat "$TMP/xyz.err")" $_rc
cal ase "$TMP/a500_ase.h5md" "$TMP/a600_ase.h5md"
_rc=$?
check "calibrate H5MD (ASE frames, element names): $(cat "$TMP/ase.err")" $_rc
cal plain "$TMP/a500_plain.h5md" "$TMP/a600_plain.h5md" $TY
_rc=$?
check "calibrate H5MD (nm, images, integer species): $(cat "$TMP/plain.err")" $_rc
cal fmt "$TMP/a500_ase.h5md" "$TMP/a600_ase.h5md" --format h5md
_rc=$?
check "calibrate --format h5md: $(cat "$TMP/fmt.err")" $_rc
grep -q '"events": [1-9]\|"count": [1-9]' "$TMP/xyz.rep.json"
check "the extxyz report has events" $?

# The ASE writer stores the very numbers of the extxyz: the report is the
# same, every real exactly. The other writer converts to nm and wraps, which
# moves positions by an ulp; the MSD spill keeps float32, so D may move in
# the 9th digit; counts, events, exposures and everything else are equal.
out=$($PY "$SAME" "$TMP/xyz.rep.json" "$TMP/ase.rep.json" 0)
check "H5MD (ASE) report = extxyz report exactly: $out" $?
out=$($PY "$SAME" "$TMP/xyz.cat.json" "$TMP/ase.cat.json" 0)
check "H5MD (ASE) catalog = extxyz catalog: $out" $?
out=$($PY "$SAME" "$TMP/xyz.rep.json" "$TMP/plain.rep.json" 1e-6)
check "H5MD (nm, images) report = extxyz report within 1e-6: $out" $?
out=$($PY "$SAME" "$TMP/xyz.rep.json" "$TMP/fmt.rep.json" 0)
check "--format h5md = auto: $out" $?
cut -d, -f2- "$TMP/xyz.ev.csv" >"$TMP/e1"
cut -d, -f2- "$TMP/ase.ev.csv" >"$TMP/e2"
cut -d, -f2- "$TMP/plain.ev.csv" >"$TMP/e3"
cmp -s "$TMP/e1" "$TMP/e2" && cmp -s "$TMP/e1" "$TMP/e3"
check "the same events, in the same order, from all three" $?
# The comparison can fail: a different run is not the same report.
out=$($PY "$SAME" "$TMP/xyz.rep.json" "$TMP/plain.rep.json" 0)
[ -n "$out" ]; check "the exact comparison sees the ulp-level differences of the nm writer" $?

# Bad files: one line naming the file and what is wrong; no output file.
J="--defect V_I+ $HOP --out $TMP/out.json"
printf 'not hdf5\n' >"$TMP/bad.h5md"
expect_bad "bad.h5md: not an HDF5 (H5MD) file" calibrate --md "500:$TMP/bad.h5md" --md "600:$TMP/a600.xyz" $J $TY
$PY - "$TMP" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
src = h5py.File(f"{d}/a500_ase.h5md", "r")
def copy(name, drop=None, edit=None):
    with h5py.File(f"{d}/{name}.h5md", "w") as f:
        for k in src:
            src.copy(k, f)
        if drop:
            del f[drop]
        if edit:
            edit(f)
copy("noparticles", drop="particles")
copy("nobox", drop="particles/all/box")
def unit(f):
    f["particles/all/position/value"].attrs["unit"] = "bohr"
copy("unit", edit=unit)
def numbers(f):
    del f["particles/all/species"]
    f["particles/all/species"] = np.arange(1, f["particles/all/position/value"].shape[1] + 1, dtype="i4")
copy("numbers", edit=numbers)
def notime(f):
    del f["particles/all/position/time"]
copy("notime", edit=notime)
PY
check "bad H5MD files written" $?
expect_bad "noparticles.h5md: no /particles group" calibrate --md "500:$TMP/noparticles.h5md" --md "600:$TMP/a600.xyz" $J $TY
expect_bad "nobox.h5md: /particles/all/box: missing" calibrate --md "500:$TMP/nobox.h5md" --md "600:$TMP/a600.xyz" $J $TY
expect_bad "unit.h5md: /particles/all/position/value: unit 'bohr'" calibrate --md "500:$TMP/unit.h5md" --md "600:$TMP/a600.xyz" $J $TY
expect_bad "species 2 is not the atomic number of Pb, I, C, N or H" calibrate --md "500:$TMP/numbers.h5md" --md "600:$TMP/a600.xyz" $J
expect_bad "notime.h5md: /particles/all/position/time: missing; give the time between frames (--frame-dt PS)" \
  calibrate --md "500:$TMP/notime.h5md" --md "600:$TMP/a600.xyz" $J $TY
expect_bad "--format: expected auto, lammps, extxyz or h5md" calibrate --md "500:$TMP/a500.xyz" --format xtc $J $TY
# Without the time dataset, --frame-dt gives the times (the synth's 0.01 ps).
cal dt "$TMP/notime.h5md" "$TMP/a600_ase.h5md" --frame-dt 0.01
_rc=$?
check "--frame-dt for an H5MD file without times: $(cat "$TMP/dt.err")" $_rc
out=$($PY "$SAME" "$TMP/xyz.rep.json" "$TMP/dt.rep.json" 1e-9)
check "... gives the same report: $out" $?

echo "cli_h5md: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
