#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Two binaries on one bench scenario, paired in time: ROUNDS rounds of A, B,
# B, A (HOPS hops each, each in its own process, one thread); per round the
# mean in-engine rate of B's two runs over that of A's two. Prints the
# median of those ratios with quartiles, and the median rates. Run from the
# source root (torch-dilute reads examples/torch_barrier/model.pt).
#
#   bench/ab_ratio.sh ROUNDS HOPS SCENARIO A B
set -eu
[ $# = 5 ] || { echo "usage: bench/ab_ratio.sh ROUNDS HOPS SCENARIO A B" >&2; exit 2; }
N=$1; H=$2; SC=$3; A=$4; B=$5
rate() { OMP_NUM_THREADS=1 "$1" bench --scenario "$SC" --hops "$H" --quiet --csv - | tail -1 | cut -d, -f7; }
for r in $(seq "$N"); do
  echo "$(rate "$A") $(rate "$B") $(rate "$B") $(rate "$A")"
done | /usr/bin/python3 -c '
import sys, statistics as st
rows = [list(map(float, l.split())) for l in sys.stdin]
q = sorted((r[1] + r[2]) / (r[0] + r[3]) for r in rows)
k = len(q) // 4
print(f"B/A per-round ratio median {st.median(q):.3f} (quartiles {q[k]:.3f}-{q[-1-k]:.3f}, "
      f"all {q[0]:.3f}-{q[-1]:.3f}); A median {st.median([(r[0] + r[3]) / 2 for r in rows]):.3e}, "
      f"B median {st.median([(r[1] + r[2]) / 2 for r in rows]):.3e} hops/s")
'
