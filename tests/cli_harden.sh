#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile input and a hostile machine: each case below once crashed, hung,
# lost data or printed nan with exit 0. Devices and FIFOs as outputs, full
# disks (/dev/full), signals, stale temporaries, output sets, lenient parsing,
# absurd work and out-of-range physics.
set -u
. "$(dirname "$0")/shell_common.sh"

Q="--defect V_I+ --T 400 --runs 2 --hops 100" # above 327 K: no phase warning on stderr
# A full disk. As root, a private node of /dev/full: should a regression
# rename over the output, it replaces that copy, not the system's device.
FULL=/dev/full
if [ "$(id -u)" -eq 0 ] && mknod "$TMP/full" c 1 7 2>/dev/null; then FULL=$TMP/full; fi
J="--json $TMP/out.json --csv $TMP/out.csv"

# 1. a device, FIFO or symlink as output is written into, never replaced
mkfifo "$TMP/fifo"
timeout 60 cat "$TMP/fifo" >"$TMP/from_fifo" &
reader=$!
"$BIN" run $Q --quiet --json "$TMP/fifo"; rc=$?
wait $reader
check "run --json FIFO exits 0 ($rc)" $([ $rc -eq 0 ]; echo $?)
check "the FIFO is still a FIFO" $([ -p "$TMP/fifo" ]; echo $?)
grep -q '"results"' "$TMP/from_fifo"; check "the JSON went through the FIFO" $?
if [ "$(id -u)" -eq 0 ] && mknod "$TMP/null" c 1 3 2>/dev/null; then
  "$BIN" run $Q --quiet --json "$TMP/null" --csv "$TMP/null"
  check "a character device stays a device (root)" $([ -c "$TMP/null" ]; echo $?)
  "$BIN" run $Q --quiet --json "$FULL" 2>/dev/null
  check "a full device stays a device (root)" $([ -c "$FULL" ]; echo $?)
fi
echo old >"$TMP/real.json"
ln -s real.json "$TMP/link.json"
"$BIN" run $Q --quiet --json "$TMP/link.json"
check "a symlink stays a symlink" $([ -L "$TMP/link.json" ]; echo $?)
grep -q '"results"' "$TMP/real.json"; check "the file behind the symlink is replaced" $?

# 2. synth without --defect: a clear error (it once indexed entry 4294967295)
expect_bad "--defect: expected a defect name" synth --T 500 --out "$TMP/out.dump"

# 3. a bad --json path must not delete (or touch) an existing CSV
echo keep >"$TMP/keep.csv"
"$BIN" sweep --T 300 --hops 10 --runs 2 --csv "$TMP/keep.csv" --json "$TMP/nodir/s.json" 2>/dev/null
rc=$?
check "sweep with a bad --json exits 2 ($rc)" $([ $rc -eq 2 ]; echo $?)
check "... and leaves the existing CSV as it was" $([ "$(cat "$TMP/keep.csv")" = keep ]; echo $?)

# 4. write errors are exit 1 with the reason: full files and full stdout
for c in "run $Q" "sweep --T 400 --runs 2 --hops 100" "catalog show" "catalog show --json -"; do
  "$BIN" $c >/dev/full 2>"$TMP/err"; rc=$?
  check "$c > /dev/full exits 1 ($rc)" $([ $rc -eq 1 ] && grep -q "No space left\|write failed" "$TMP/err"; echo $?)
  check "$c > /dev/full: one line on stderr" $([ "$(wc -l <"$TMP/err")" -eq 1 ]; echo $?)
done
"$BIN" sweep --T 300 --runs 2 --hops 100 --csv "$FULL" 2>"$TMP/err"; rc=$?
check "sweep --csv FULL exits 1 ($rc)" $([ $rc -eq 1 ] && grep -q "No space left" "$TMP/err"; echo $?)
"$BIN" run $Q --quiet --json "$FULL" 2>"$TMP/err"; rc=$?
check "run --json FULL exits 1 ($rc)" $([ $rc -eq 1 ] && grep -q "No space left" "$TMP/err"; echo $?)

# 5. overflows: a tiny sweep step, box counts past INT_MAX
expect_bad "--T: range '300:600:1e-7' has" sweep --T 300:600:1e-7 --hops 10 --runs 2 --csv "$TMP/out.csv"
big=$(printf 'V_I+=100000000,%.0s' $(seq 22))
expect_bad "--box: V_I+: more than 100000000 defects" run --box "${big%,}" --runs 2 --hops 10 $J

# 6. work that could not finish is refused at once
expect_bad "--rate: 1e+300 1/s per path" synth --defect V_I+ --T 500 --rate 1e300 --out "$TMP/out.dump"
expect_bad "--time-factor: expected a factor > 0 and <= 1000000" compare --defect V_I+ --md 500:x --time-factor 1e300
expect_bad "--hops: expected an integer in [1, 1000000000000]" run --hops 1e15 $J
expect_bad "--hops/--time: about inf hops per run" run --defect V_I+ --time 1e300 $J
expect_bad "--runs x --hops: about 1e+15 hops in all" run --defect V_I+ --runs 1000 --hops 1e12 $J
expect_bad "--runs x --hops" sweep --T 300:600:1 --runs 10000 --hops 1e9 --csv "$TMP/out.csv"

# 7. physics outside the valid ranges: exit 2, never nan/inf printed
expect_bad "--T: expected a temperature in [1, 3000] K" run --T 0.001 $J
expect_bad "--T: expected a temperature in [1, 3000] K" run --T 1e300 $J
expect_bad "--T: expected a temperature in [1, 3000] K" sweep --T 0.001,300 --csv "$TMP/out.csv"
expect_bad "--barrier-shift: expected a shift in [-10, 10] eV" run --barrier-shift 50 $J
expect_bad "--field: |E| = 10 V/angstrom" run --defect V_I+ --field 10,0,0 $J
expect_bad "--a: expected a lattice constant in [1, 100] angstrom" run --a 1e300 $J
expect_bad "rate per path" run --defect V_I+ --barrier-shift 9 $J
good='{"schema": "ionkmc-catalog/1", "entries": [{"defect": "V_I+", "mechanism": "kick_out", "Eb": 0.2, "nu": 1e12, "source": "user", "provenance": "test"}]}'
# (prefactors, barriers and widths out of range in the catalog itself:
# tests/data/catalog_invalid/, run by test_catalog_invalid)
echo "${good/\"Eb\": 0.2/\"Eb\": 0.2, \"disorder_sigma\": 0.9}" >"$TMP/sigma_lowT.json"
expect_bad "rate per path" run --defect V_I+ --T 20 --catalog "$TMP/sigma_lowT.json" $J
# catalog check runs run's checks: a torch model that is missing
tq='{"schema": "ionkmc-catalog/1", "entries": [{"defect": "I_I-", "mechanism": "double_bridge", "provider": "torch", "model": "MODEL", "Eb": 0.2, "nu": 1e11, "source": "user", "provenance": "t"}]}'
echo "${tq/MODEL/$TMP/none.pt}" >"$TMP/t_missing.json"
expect_bad "none.pt" catalog check "$TMP/t_missing.json"
"$BIN" catalog show --T 1 >"$TMP/show" 2>&1
! grep -qiwE "nan|inf" "$TMP/show"; check "catalog show --T 1 prints no nan/inf" $?

# 8. every output path is checked before the work
start=$(date +%s)
expect_bad "--out $TMP/nodir/x.json: cannot write" catalog derive --out "$TMP/nodir/x.json"
check "catalog derive refuses --out at once" $([ $(($(date +%s) - start)) -lt 20 ]; echo $?)
expect_bad "--out $TMP/nodir/x.dump: cannot write" synth --defect V_I+ --T 500 --out "$TMP/nodir/x.dump"

# 9. signals remove temporaries; stale ones of dead processes are cleaned
for sig in INT TERM; do
  rm -f "$TMP"/sig.*
  "$BIN" run --defect V_I+ --runs 4 --hops 1e9 --threads 1 --quiet --json "$TMP/sig.json" &
  pid=$!
  for _ in $(seq 100); do ls "$TMP"/sig.json.tmp.* >/dev/null 2>&1 && break; sleep 0.05; done
  ls "$TMP"/sig.json.tmp.ionkmc-$pid-* >/dev/null 2>&1; check "SIG$sig: temporary named with the pid" $?
  kill -$sig $pid
  wait $pid 2>/dev/null
  check "SIG$sig: no temporary left" $([ -z "$(ls "$TMP"/sig.* 2>/dev/null)" ]; echo $?)
done
sh -c 'exit 0' &
dead=$!
wait $dead
touch "$TMP/stale.json.tmp.ionkmc-$dead-AbCdEf" "$TMP/stale.json.tmp.ionkmc-$$-AbCdEf"
"$BIN" run $Q --quiet --json "$TMP/stale.json"
check "a stale temporary of a dead process is removed" $([ ! -e "$TMP/stale.json.tmp.ionkmc-$dead-AbCdEf" ]; echo $?)
check "a live process's temporary is kept" $([ -e "$TMP/stale.json.tmp.ionkmc-$$-AbCdEf" ]; echo $?)
rm -f "$TMP"/stale.*

# 10. outputs of one command are committed together or not at all
echo oldjson >"$TMP/set.json"
"$BIN" run $Q --quiet --json "$TMP/set.json" --csv "$FULL" 2>"$TMP/err"; rc=$?
check "run --json A --csv FULL exits 1 ($rc)" $([ $rc -eq 1 ]; echo $?)
check "... and A is as it was" $([ "$(cat "$TMP/set.json")" = oldjson ]; echo $?)
check "... and no temporary is left" $([ -z "$(ls "$TMP"/set.json.tmp.* 2>/dev/null)" ]; echo $?)

# 11. strict parsing
expect_bad "--T: expected a number, got '0x10'" run --T 0x10 $J
expect_bad "--T: expected a number, got ' 300'" run --T ' 300' $J
expect_bad "--T: expected a number, got 'inf'" run --T inf $J
# (a duplicate key in a catalog: tests/data/catalog_invalid/duplicate_key)
long=$(printf '0%.0s' $(seq 70))300
expect_bad "--T: expected a number, got '${long}x'" sweep --T "${long}x:600:50" --csv "$TMP/out.csv"
"$BIN" sweep --T "${long}:300:50" --runs 2 --hops 10 --defect V_I+ --csv "$TMP/long.csv" 2>/dev/null
check "a range field longer than 63 characters is read whole" $(grep -q '^V_I+,I,300,' "$TMP/long.csv"; echo $?)
# one line per error (these printed two, or the whole usage)
expect_bad "--T: expected a number, got 'a'" sweep --T a:600:50 --csv "$TMP/out.csv"
expect_bad "--fit-window: expected a number, got 'a'" calibrate --fit-window a:b --md 500:x --defect V_I+ --out "$TMP/out.json"
expect_bad "expected an action" catalog
expect_bad "expected a command" 
expect_bad "synth writes plain text" synth --defect V_I+ --T 500 --out "$TMP/out.dump.gz"
expect_bad "unexpected argument 'extra'" version extra
many=$(printf 'V_I+,%.0s' $(seq 25))
expect_bad "--defect: at most 24 defects" run --defect "${many%,}" $J
# (ulimit -v cannot be combined with AddressSanitizer's shadow memory)
LIMIT=1
[ -n "${IONKMC_SANITIZE:-}" ] && LIMIT=0
printf 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n100000000\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\nITEM: ATOMS id type x y z\n1 1 0 0 0\n' >"$TMP/huge.dump"
( [ $LIMIT = 1 ] && ulimit -v 400000; "$BIN" calibrate --defect V_I+ --types 1=Pb,2=I --md "500:$TMP/huge.dump" --out "$TMP/out.json" >/dev/null 2>"$TMP/err" )
rc=$?
check "a dump announcing 1e8 atoms with one atom line: exit 2 under 400 MB ($rc)" $([ $rc -eq 2 ] && grep -q "line 11\|atom line" "$TMP/err"; echo $?)

# 12. libtorch loads only on demand: the program starts under a 400 MB
# address-space limit, and a torch model under it fails cleanly
if [ $LIMIT = 1 ]; then
( ulimit -v 400000; "$BIN" --version >/dev/null 2>&1 ); rc=$?
check "ionkmc --version under ulimit -v 400000 ($rc)" $([ $rc -eq 0 ]; echo $?)
( ulimit -v 400000; "$BIN" run $Q --quiet --json "$TMP/lim.json" ); rc=$?
check "a small run under ulimit -v 400000 ($rc)" $([ $rc -eq 0 ] && [ -s "$TMP/lim.json" ]; echo $?)
fi
if command -v readelf >/dev/null; then
  ! readelf -d "$BIN" | grep -q 'libtorch\|libc10'; check "ionkmc does not link libtorch" $?
fi
M=${IONKMC_SOURCE_DIR:-.}/examples/torch_barrier/constant_v_i.pt
echo "${tq/MODEL/$M}" >"$TMP/t_const.json"
if [ -e "$(dirname "$BIN")/libionkmc-torch.so" ]; then
  "$BIN" run --defect I_I- --runs 2 --hops 100 --quiet --catalog "$TMP/t_const.json"
  check "a torch model loads the module on demand" $?
  if [ $LIMIT = 1 ]; then
    ( ulimit -v 400000; "$BIN" run --defect I_I- --runs 2 --hops 100 --quiet --catalog "$TMP/t_const.json" 2>"$TMP/err" ); rc=$?
    check "torch under ulimit -v 400000: exit 1, out of memory, one line ($rc)" \
      $([ $rc -eq 1 ] && grep -q "out of memory" "$TMP/err" && [ "$(wc -l <"$TMP/err")" -eq 1 ]; echo $?)
  fi
  IONKMC_TORCH_MODULE=$TMP/none.so "$BIN" run --defect I_I- --runs 2 --hops 100 --quiet --catalog "$TMP/t_const.json" 2>"$TMP/err"
  rc=$?
  check "a missing torch module is a clear error ($rc)" $([ $rc -ne 0 ] && grep -q "libionkmc-torch.so could not be loaded" "$TMP/err"; echo $?)
fi

echo "cli_harden: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
