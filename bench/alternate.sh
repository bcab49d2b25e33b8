#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Side-by-side throughput of two ionkmc programs: ROUNDS rounds (default 4),
# each running `bench --repeat 3` of OLD and then of NEW, into OUT as CSV rows
# prefixed with the round and "old"/"new", with the 1-minute load average of
# each run as a comment line.
#   bench/alternate.sh OLD NEW OUT [ROUNDS]
set -u
OLD=$1 NEW=$2 OUT=$3 ROUNDS=${4:-4}
: >"$OUT"
for r in $(seq 1 "$ROUNDS"); do
  for which in old new; do
    b=$OLD
    [ "$which" = new ] && b=$NEW
    echo "# round $r $which load $(cut -d' ' -f1 /proc/loadavg)" >>"$OUT"
    "$b" bench --repeat 3 --quiet --csv - 2>/dev/null | sed "s/^/$r,$which,/" >>"$OUT"
  done
done
