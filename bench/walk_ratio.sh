#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# One V_I+ against the bare random walk (bench/bench_walk.c), HOPS hops each,
# ROUNDS rounds (default 3), the best of each kept:
#   in-engine      `ionkmc bench --scenario single-vacancy` hops/s over the
#                  walk loop's hops/s (both exclude start-up)
#   whole process  wall time of `ionkmc_bench_walk HOPS` over that of
#                  `ionkmc run --defect V_I+ --runs 1 --hops HOPS --threads 1`
#                  (both include start-up, the catalog and the output)
#   whole process, CPU  the same two processes' user + system CPU time, the
#                  figure to read when the machine is loaded
#   bench/walk_ratio.sh IONKMC WALK [HOPS [ROUNDS [libm|batch]]]
set -u
IONKMC=$1 WALK=$2 HOPS=${3:-20000000} ROUNDS=${4:-3} LOG=${5:-libm}
now() { date +%s.%N; }
TIMEFORMAT='%3U %3S'
cpu() { { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'; }
best() { sort -g | head -1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq 1 "$ROUNDS"); do
  "$WALK" "$HOPS" 1 "$LOG" | awk '$1 == "seconds" {print $2}' >>"$tmp/walk_in"
  "$IONKMC" bench --scenario single-vacancy --hops "$HOPS" --quiet --csv - |
    awk -F, 'NR == 2 {print $6}' >>"$tmp/run_in"
  t0=$(now)
  "$WALK" "$HOPS" 1 "$LOG" >/dev/null
  t1=$(now)
  "$IONKMC" run --defect V_I+ --runs 1 --hops "$HOPS" --threads 1 --json "$tmp/out.json" >/dev/null 2>&1
  t2=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}' >>"$tmp/walk_all"
  awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}' >>"$tmp/run_all"
  cpu "$WALK" "$HOPS" 1 "$LOG" >>"$tmp/walk_cpu"
  cpu "$IONKMC" run --defect V_I+ --runs 1 --hops "$HOPS" --threads 1 --json "$tmp/out.json" >>"$tmp/run_cpu"
done
wi=$(best <"$tmp/walk_in") ri=$(best <"$tmp/run_in")
wa=$(best <"$tmp/walk_all") ra=$(best <"$tmp/run_all")
wc=$(best <"$tmp/walk_cpu") rc=$(best <"$tmp/run_cpu")
printf 'hops %s  walk log: %s  load %s\n' "$HOPS" "$LOG" "$(cut -d' ' -f1 /proc/loadavg)"
awk -v w="$wi" -v r="$ri" 'BEGIN {printf "in-engine:     walk %.4f s, engine %.4f s, ratio %.3f\n", w, r, w / r}'
awk -v w="$wa" -v r="$ra" 'BEGIN {printf "whole process: walk %.4f s, run    %.4f s, ratio %.3f\n", w, r, w / r}'
awk -v w="$wc" -v r="$rc" 'BEGIN {printf "whole process, CPU: walk %.3f s, run %.3f s, ratio %.3f\n", w, r, w / r}'
