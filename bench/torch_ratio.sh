#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# torch-dilute against dilute-vacancies, paired in time: ROUNDS rounds; in
# each, every binary in turn runs dilute-vacancies, torch-dilute and
# dilute-vacancies again (HOPS hops each, each in its own process), and
# torch's rate is divided by the mean of the two dilute rates around it.
# Prints per binary the median of those ratios with quartiles and range, and
# the median rates. Run from the source root (the torch scenario reads
# examples/torch_barrier/model.pt).
#
#   bench/torch_ratio.sh ROUNDS HOPS BIN...
set -eu
[ $# -ge 3 ] || { echo "usage: bench/torch_ratio.sh ROUNDS HOPS BIN..." >&2; exit 2; }
N=$1; H=$2; shift 2
rate() { "$1" bench --scenario "$2" --hops "$H" --quiet --csv - | tail -1 | cut -d, -f7; }
for r in $(seq "$N"); do
  for b in "$@"; do
    echo "$b $(rate "$b" dilute-vacancies) $(rate "$b" torch-dilute) $(rate "$b" dilute-vacancies)"
  done
done | /usr/bin/python3 -c '
import sys, statistics as st
rows = [l.split() for l in sys.stdin]
for b in dict.fromkeys(r[0] for r in rows):
    R = [r for r in rows if r[0] == b]
    rat = sorted(float(r[2]) / ((float(r[1]) + float(r[3])) / 2) for r in R)
    t = [float(r[2]) for r in R]
    d = [(float(r[1]) + float(r[3])) / 2 for r in R]
    q = len(rat) // 4
    print(f"{b}: per-round ratio median {st.median(rat):.3f} (quartiles {rat[q]:.3f}-{rat[-1-q]:.3f}, "
          f"all {rat[0]:.3f}-{rat[-1]:.3f}); torch median {st.median(t):.3e}, dilute median {st.median(d):.3e} hops/s")
'
