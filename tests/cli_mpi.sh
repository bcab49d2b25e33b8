#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# mpirun -np 1, 2 and 3 (oversubscribed) on run, sweep and compare: the JSON,
# CSV and table are the bytes of the serial command (the JSON's "command"
# line and "parallel" block left out), with 1 and 2 threads per rank; the
# "parallel" block says how many ranks ran. Skipped where mpirun or the MPI
# module is missing.
set -u
. "$(dirname "$0")/shell_common.sh"
if ! command -v mpirun >/dev/null 2>&1; then
  echo "cli_mpi: skipped (no mpirun; install openmpi-bin)"
  exit 0
fi
if [ ! -e "$(dirname "$BIN")/libionkmc-mpi.so" ]; then
  echo "cli_mpi: skipped (built without the MPI module, libionkmc-mpi.so)"
  exit 0
fi
if [ -n "${IONKMC_SANITIZE:-}" ]; then
  # OpenMPI keeps allocations of its plugins (unloaded at MPI_Finalize, so
  # LeakSanitizer cannot name them for a suppression)
  echo "cli_mpi: skipped under the sanitizers (OpenMPI's own allocations at exit)"
  exit 0
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
MPI=(timeout 120 mpirun --oversubscribe)
strip_json() { sed '/^ *"command": /d; /^ *"parallel": {/,/^ *},/d' "$1"; }

"$BIN" synth --defect V_I+ --T 500 --rate 3e10 --frames 1500 --seed 3 --out "$TMP/a500.dump" >/dev/null 2>&1
check "synth for compare" $?

declare -A ARGS
ARGS[run]="run --defect V_I+,I_I- --size 4 --runs 5 --hops 6000 --seed 7"
ARGS[sweep]="sweep --T 350,450 --size 4 --defect V_I+ --runs 3 --hops 3000 --seed 8"
ARGS[compare]="compare --md 500:$TMP/a500.dump --defect V_I+ --types 1=Pb,2=I,3=C,4=N --dwell 0.02 --window 0 --runs 4 --time-factor 2 --seed 19"

for c in run sweep compare; do
  # shellcheck disable=SC2086
  "$BIN" ${ARGS[$c]} --threads 1 --json "$TMP/$c.s.json" --csv "$TMP/$c.s.csv" >"$TMP/$c.s.out" 2>"$TMP/$c.s.err"
  check "$c serial" $?
  for np in 1 2 3; do
    for th in 1 2; do
      [ "$np" = 1 ] && [ "$th" = 2 ] && continue
      t="$TMP/$c.$np.$th"
      # shellcheck disable=SC2086
      "${MPI[@]}" -np $np "$BIN" ${ARGS[$c]} --threads $th --json "$t.json" --csv "$t.csv" >"$t.out" 2>"$t.err"
      ok=$?
      check "mpirun -np $np $c --threads $th exits 0 ($(head -c 300 "$t.err"))" $ok
      cmp -s <(strip_json "$TMP/$c.s.json") <(strip_json "$t.json")
      check "$c: JSON of $np ranks x $th threads = serial" $?
      cmp -s "$TMP/$c.s.csv" "$t.csv"
      check "$c: CSV of $np ranks x $th threads = serial" $?
      cmp -s "$TMP/$c.s.out" "$t.out"
      check "$c: stdout of $np ranks = serial" $?
      [ "$(jq -c .parallel.mpi_ranks "$t.json")" = "$np" ]
      check "$c: parallel.mpi_ranks = $np" $?
    done
  done
done
# catalog derive: the derived catalog and the f lines on stderr
D=(catalog derive --size 3 --runs 6 --hops 2000 --seed 20)
"$BIN" "${D[@]}" --output "$TMP/d.s.json" 2>"$TMP/d.s.err"
"${MPI[@]}" -np 2 "$BIN" "${D[@]}" --output "$TMP/d.2.json" 2>"$TMP/d.2.err"
cmp -s "$TMP/d.s.json" "$TMP/d.2.json" && cmp -s "$TMP/d.s.err" "$TMP/d.2.err"
check "catalog derive: 2 ranks = serial (catalog and stderr)" $?
[ "$(jq -c .parallel "$TMP/run.s.json")" = '{"mpi_ranks":1,"threads":1}' ]
check "serial JSON: parallel = {mpi_ranks 1, threads 1}" $?
# The comparison can fail: another seed differs.
"${MPI[@]}" -np 2 "$BIN" ${ARGS[run]/--seed 7/--seed 70} --threads 1 --json "$TMP/other.json" >/dev/null 2>&1
! cmp -s <(strip_json "$TMP/run.s.json") <(strip_json "$TMP/other.json")
check "another seed gives another JSON" $?
# Bad input under mpirun: exit status 2, the message once.
"${MPI[@]}" -np 2 "$BIN" run --T -5 >"$TMP/bad.out" 2>"$TMP/bad.err"
rc=$?
[ "$rc" = 2 ] && [ "$(grep -c 'expected a temperature' "$TMP/bad.err")" = 1 ]
check "mpirun: bad input exits 2 with one message (rc=$rc)" $?
# Bad input that rank 0 alone reads (the existing CSV of a sweep; the other
# ranks wait for it): exit status 2, the message once, the file untouched.
printf 'x\n' >"$TMP/exists.csv"
"${MPI[@]}" -np 2 "$BIN" sweep --T 350,450 --size 4 --runs 2 --hops 500 --csv "$TMP/exists.csv" >"$TMP/bad2.out" 2>"$TMP/bad2.err"
rc=$?
[ "$rc" = 2 ] && [ "$(grep -c 'the file exists' "$TMP/bad2.err")" = 1 ] && [ "$(cat "$TMP/exists.csv")" = x ]
check "mpirun: an existing sweep CSV exits 2 with one message (rc=$rc)" $?
# Other commands run on rank 0 alone.
[ "$("${MPI[@]}" -np 2 "$BIN" version 2>/dev/null | wc -l)" = 1 ]
check "mpirun -np 2 ionkmc version prints once" $?

echo "cli_mpi: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
