#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Per-hop costs of the engine's own code in one bench scenario, under
# cachegrind (cache and branch simulation): PROG is run for N1 and for N2
# hops, and the difference of the two runs, divided by N2 - N1, leaves out
# the set-up. Only functions in files of the source tree, of the build's
# copies of its headers and of the compiler's intrinsic headers count: not
# libtorch (whose start-up differs from run to run), libc or libm. Prints
# instructions, mispredicted branches (conditional + indirect) and L1 data
# misses (reads + writes) per hop. PROG should be built with -g (e.g.
# CMAKE_BUILD_TYPE=Release with CMAKE_C_FLAGS=-g) so that costs carry file
# names. Run from the source root (torch-dilute reads
# examples/torch_barrier/model.pt).
#
#   bench/cg_per_hop.sh PROG SCENARIO N1 N2
set -eu
[ $# = 4 ] || { echo "usage: bench/cg_per_hop.sh PROG SCENARIO N1 N2" >&2; exit 2; }
PROG=$1; SC=$2; N1=$3; N2=$4
SRC=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
for n in "$N1" "$N2"; do
  valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes --cachegrind-out-file="$W/$n" \
    "$PROG" bench --scenario "$SC" --hops "$n" --quiet >/dev/null 2>&1 &
done
wait
sums() {  # Ir, Bcm + Bim, D1mr + D1mw over the engine's functions
  cg_annotate --auto=no --threshold=0 --show=Ir,Bcm,Bim,D1mr,D1mw "$1" 2>/dev/null |
    awk -v src="$SRC/" 'BEGIN { ir = 0; br = 0; d1 = 0 }
      $1 ~ /^[0-9,]+$/ && (index($NF, src) == 1 || $NF ~ /\/layers\// || $NF ~ /\/gcc\//) {
        n = 0
        for (i = 1; i <= NF; i++) if ($i ~ /^[0-9,]+$/) { x = $i; gsub(",", "", x); v[n++] = x }
        ir += v[0]; br += v[1] + v[2]; d1 += v[3] + v[4]
      }
      END { print ir, br, d1 }'
}
read -r a1 a2 a3 < <(sums "$W/$N1")
read -r b1 b2 b3 < <(sums "$W/$N2")
awk -v n=$((N2 - N1)) -v s="$SC" -v a1="$a1" -v a2="$a2" -v a3="$a3" -v b1="$b1" -v b2="$b2" -v b3="$b3" \
  'BEGIN { printf "%s: per hop %.1f instructions, %.3f mispredicted branches, %.2f L1 data misses\n",
           s, (b1 - a1) / n, (b2 - a2) / n, (b3 - a3) / n }'
