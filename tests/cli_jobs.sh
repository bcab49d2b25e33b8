#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs that outlive one sitting: job-array parts merged into the whole run's
# bytes (run, sweep), a resumed sweep equal to an uninterrupted one (after
# SIGKILL and with a row cut short), an existing sweep CSV refused without
# --resume/--force, and a run killed with SIGKILL after checkpoints, then
# restarted, equal to the uninterrupted JSON (several kill times); restarts
# of another command or catalog are refused naming what differs.
set -u
. "$(dirname "$0")/shell_common.sh"
cd "$TMP" || exit 1

# 1. job arrays: --part i/n, then ionkmc merge (parts in any order)
R=(run --defect V_I+,I_I- --size 4 --runs 7 --hops 4000 --seed 21 --threads 1 --json r.json --csv r.csv)
mkdir whole parts
(cd whole && "$BIN" "${R[@]}" >out 2>err)
check "whole run" $?
for i in 1 2 3; do (cd parts && "$BIN" "${R[@]}" --part $i/3 --part-out p$i >/dev/null 2>&1); check "part $i/3" $?; done
[ ! -e parts/r.json ] && [ ! -e parts/r.csv ]
check "a part writes no JSON or CSV of its own" $?
(cd parts && "$BIN" merge p2 p3 p1 >out 2>err)
check "merge exits 0" $?
for f in r.json r.csv out err; do cmp -s whole/$f parts/$f; check "merge: $f = the whole run's" $?; done
(cd parts && "$BIN" merge p1 p3 >/dev/null 2>err); rc=$?
[ $rc = 2 ] && grep -q 'part 2 of 3 is missing' parts/err
check "merge without part 2: exit 2 naming it (rc=$rc)" $?
(cd parts && "$BIN" merge p1 p1 p2 p3 >/dev/null 2>err); rc=$?
[ $rc = 2 ] && grep -q 'given twice' parts/err
check "merge with part 1 twice: exit 2 (rc=$rc)" $?
S=(sweep --T 350,400,450 --size 3 --defect V_I+,I_I- --runs 3 --hops 2000 --seed 22 --threads 1 --csv s.csv --json s.json)
(cd whole && "$BIN" "${S[@]}" 2>/dev/null)
(cd parts && rm -f s.csv s.json && "$BIN" "${S[@]}" --part 1/2 --part-out q1 2>/dev/null && "$BIN" "${S[@]}" --part 2/2 --part-out q2 2>/dev/null &&
  "$BIN" merge q1 q2 2>/dev/null)
check "sweep in 2 parts, merged" $?
cmp -s whole/s.csv parts/s.csv && cmp -s whole/s.json parts/s.json
check "merged sweep CSV and JSON = the whole sweep's" $?
expect_bad "--part: expected i/n" run --part 4/3 --part-out x
expect_bad "--part: give --part-out" run --part 1/2
expect_bad "--part: not for catalog derive" catalog derive --part 1/2 --part-out x
expect_bad "go with run, sweep, compare and catalog derive only" bench --checkpoint x

# 2. sweeps that survive: refused, --force, --resume
W=(sweep --T 330:480:30 --size 3 --defect V_I+ --runs 4 --hops 60000 --seed 23 --threads 1)
"$BIN" "${W[@]}" --csv full.csv 2>/dev/null
check "uninterrupted sweep" $?
cp full.csv old.csv
"$BIN" "${W[@]}" --csv old.csv >/dev/null 2>err; rc=$?
[ $rc = 2 ] && [ "$(wc -l <err)" = 1 ] && grep -q 'the file exists (--resume continues the sweep in it, --force replaces it)' err
ok=$?
check "an existing CSV is refused without --resume or --force (rc=$rc: $(head -c 200 err))" $ok
cmp -s full.csv old.csv
check "the refused CSV is untouched" $?
echo 'other' >old.csv
"$BIN" "${W[@]}" --csv old.csv --force 2>/dev/null && cmp -s full.csv old.csv
check "--force replaces it" $?
# a row cut short by a kill: dropped and written again
head -c "$(( $(head -n 3 full.csv | wc -c) + 25 ))" full.csv >cut.csv
"$BIN" "${W[@]}" --csv cut.csv --resume 2>/dev/null && cmp -s full.csv cut.csv
check "resume after a cut row = the uninterrupted CSV" $?
# SIGKILL while the sweep runs
for delay in 0.3 0.8; do
  rm -f k.csv
  "$BIN" "${W[@]}" --csv k.csv 2>/dev/null &
  pid=$!
  for _ in $(seq 200); do [ "$(cat k.csv 2>/dev/null | wc -l)" -ge 2 ] && break; sleep 0.02; done
  sleep "$delay"
  kill -KILL $pid 2>/dev/null
  wait $pid 2>/dev/null
  rows=$(($(wc -l <k.csv) - 1))
  "$BIN" "${W[@]}" --csv k.csv --resume 2>/dev/null && cmp -s full.csv k.csv
  check "sweep killed after $rows rows (+${delay}s), resumed = uninterrupted" $?
done
expect_bad "--resume: not with --json" "${W[@]}" --csv full.csv --resume --json out.json
echo 'x,y' >bad.csv
"$BIN" "${W[@]}" --csv bad.csv --resume 2>err; rc=$?
[ $rc = 2 ] && grep -q 'line 1 is not the header' err
check "--resume of a file that is not a sweep CSV: exit 2 (rc=$rc)" $?

# 3. checkpoint / restart after SIGKILL (the same --json name in two folders,
# so that the recorded command lines are the same too)
K=(run --defect V_I+ --size 4 --runs 12 --hops 2000000 --seed 24 --threads 1 --quiet --json j.json)
mkdir ref kill
(cd ref && "$BIN" "${K[@]}" 2>/dev/null)
check "uninterrupted run" $?
killed=0 resumed=0
for delay in 0 0.15 0.4; do
  rm -f kill/ck kill/j.json
  (cd kill && exec "$BIN" "${K[@]}" --checkpoint ck --checkpoint-every 0 2>/dev/null) &
  pid=$!
  for _ in $(seq 500); do [ -e kill/ck ] && break; sleep 0.01; done
  sleep "$delay"
  kill -KILL $pid 2>/dev/null && killed=$((killed + 1))
  wait $pid 2>/dev/null
  (cd kill && "$BIN" "${K[@]}" --restart ck --checkpoint ck 2>err)
  ok=$?
  check "restart after SIGKILL (+${delay}s) exits 0 ($(head -c 200 kill/err))" $ok
  cmp -s ref/j.json kill/j.json
  ok=$?
  check "restarted JSON = the uninterrupted one, byte for byte (killed +${delay}s after the first checkpoint; $(head -1 kill/err))" $ok
  grep -q ' [1-9][0-9]* continued from their saved state' kill/err && resumed=$((resumed + 1))
done
[ "$killed" -ge 1 ]
check "at least one run was killed before it ended ($killed)" $?
[ "$resumed" -ge 1 ]
check "at least one restart continued a run from its saved state ($resumed)" $?
# a checkpointed run (in pieces) = one without, for a time limit, MSD and a mixed box
for a in "--defect V_I+,I_I- --time 2e-6 --msd" "--box V_I+=2,I_I-=2 --hops 150000"; do
  # shellcheck disable=SC2086
  (cd ref && "$BIN" run --size 4 --runs 3 --seed 26 --threads 1 --quiet $a --json p.json 2>/dev/null)
  # shellcheck disable=SC2086
  (cd kill && "$BIN" run --size 4 --runs 3 --seed 26 --threads 1 --quiet $a --json p.json --checkpoint ck3 --checkpoint-every 0 2>/dev/null)
  cmp -s ref/p.json kill/p.json
  check "run $a: in pieces under --checkpoint = in one piece" $?
done
cp kill/ck ck
# a sweep killed after a checkpoint, restarted: its CSV and JSON (the CSV is
# written again from the start, so no --resume or --force is needed)
(cd ref && "$BIN" "${W[@]}" --csv w.csv --json w.json 2>/dev/null)
rm -f kill/ck4
(cd kill && exec "$BIN" "${W[@]}" --csv w.csv --json w.json --checkpoint ck4 --checkpoint-every 0 2>/dev/null) &
pid=$!
for _ in $(seq 500); do [ -e kill/ck4 ] && break; sleep 0.01; done
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
(cd kill && "$BIN" "${W[@]}" --csv w.csv --json w.json --restart ck4 2>/dev/null)
cmp -s ref/w.csv kill/w.csv && cmp -s ref/w.json kill/w.json
check "sweep killed after a checkpoint, restarted: CSV and JSON = uninterrupted" $?
"$BIN" run --defect V_I+ --size 4 --runs 12 --hops 2000001 --seed 24 --threads 1 --quiet --restart ck 2>err; rc=$?
[ $rc = 2 ] && grep -q "differs from the checkpointed one at word 9 ('2000000' there, '2000001' here)" err
ok=$?
check "restart with another --hops: exit 2 naming the word (rc=$rc: $(head -c 200 err))" $ok
"$BIN" catalog export cat.json 2>/dev/null
C=(run --defect V_I+ --size 3 --runs 3 --hops 2000 --seed 25 --threads 1 --quiet --catalog cat.json)
"$BIN" "${C[@]}" --checkpoint ck2 --checkpoint-every 0 2>/dev/null
sed -i '0,/"provenance": "/s//"provenance": "edited /' cat.json
"$BIN" "${C[@]}" --restart ck2 2>err; rc=$?
[ $rc = 2 ] && grep -q 'catalog (digest of its JSON) differs' err
ok=$?
check "restart with another catalog: exit 2 naming the catalog (rc=$rc: $(head -c 200 err))" $ok
printf 'ionkmc-checkpoint\nxx' >damaged
expect_bad "--restart damaged: cut short" run --restart damaged

echo "cli_jobs: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
