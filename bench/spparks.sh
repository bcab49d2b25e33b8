#!/bin/bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc beside SPPARKS on one problem: the dilute-vacancies scenario of
# `ionkmc bench` (983 vacancies on the 98 304 X sites of a 32^3 perovskite
# box, every vacancy hopping to its 8 X neighbours at a/sqrt(2) with one
# rate, vacancies excluding each other) as SPPARKS's lattice app
# `app_style diffusion off hop` on a site file of the X sublattice (an atom
# hops to a vacant neighbour with rate 1: the same walk with exclusion).
#
#   bench/spparks.sh [IONKMC]          (default build/ionkmc)
#
# Environment: SPPARKS, the SPPARKS executable (default: the first spk_* on
# PATH); HOPS events per run (default 2000000); ROUNDS (default 3); L (32),
# NVAC (983) and SEED (1); KEEP, a directory to keep the SPPARKS input, site
# file and log in. Needs python3 (the site file).
#
# Each round runs ionkmc, then SPPARKS, and prints the rates of both, events
# per second, and their ratio ionkmc / SPPARKS:
#   engine   ionkmc: hops_per_second of `bench` (the stepping loop only);
#            SPPARKS: events (Naccept) / "Loop time" (its run loop only);
#   wall     events / wall time of the whole process (start-up, reading the
#            site file or building the box, and the run);
#   cpu      events / CPU time (user + system) of the whole process: on a
#            loaded machine the least disturbed of the three.
# Without SPPARKS it says so and exits 0 (this is a benchmark, not a test).
set -u
IONKMC=${1:-build/ionkmc}
HOPS=${HOPS:-2000000} ROUNDS=${ROUNDS:-3} L=${L:-32} NVAC=${NVAC:-983} SEED=${SEED:-1}

spk=${SPPARKS:-}
if [ -z "$spk" ]; then
  name=$(compgen -c spk_ 2>/dev/null | sort -u | head -n 1)
  [ -n "$name" ] && spk=$(command -v "$name")
fi
if [ -z "$spk" ]; then
  echo "bench/spparks.sh: SPPARKS not found (no spk_* on PATH; set SPPARKS=/path/to/spk_serial): nothing to compare"
  exit 0
fi
if [ ! -x "$spk" ]; then
  echo "bench/spparks.sh: SPPARKS=$spk: not an executable" >&2
  exit 2
fi
if [ ! -x "$IONKMC" ]; then
  echo "bench/spparks.sh: $IONKMC: not an executable (build first, or give the program's path)" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "bench/spparks.sh: needs python3 (the site file)" >&2; exit 2; }

dir=${KEEP:-}
if [ -n "$dir" ]; then
  mkdir -p "$dir" || exit 2
else
  dir=$(mktemp -d) || exit 1
  trap 'rm -rf "$dir"' EXIT
fi

# The site file: sites (i+1/2, j, k), (i, j+1/2, k), (i, j, k+1/2) of the
# L^3 cells (lattice units, box [0, L)^3, periodic), the 8 nearest X
# neighbours of each, and the values 1 (vacant) on NVAC sites drawn at random
# (seed SEED), 2 (occupied) elsewhere.
python3 - "$L" "$NVAC" "$SEED" "$dir/sites.txt" <<'PY' || exit 1
import random, sys
L, nvac, seed, path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
n = 3 * L ** 3
def sid(o, c):  # o: the axis of the half offset; c: the cell
    return 1 + o + 3 * (c[0] % L + L * (c[1] % L + L * (c[2] % L)))
def neighbours(o, c):
    # the site on axis o touches, on each other axis q, the q-sites of the
    # cells c, c + e_o, c - e_q and c + e_o - e_q
    out = []
    for q in range(3):
        if q != o:
            for do in (0, 1):
                for dq in (0, -1):
                    d = list(c)
                    d[o] += do
                    d[q] += dq
                    out.append(sid(q, d))
    return out
rows = [(o, (i, j, k)) for k in range(L) for j in range(L) for i in range(L) for o in range(3)]
vac = set(random.Random(seed).sample(range(1, n + 1), nvac))
with open(path, "w") as f:
    f.write("X sublattice of a %d^3 perovskite box, %d vacancies (ionkmc bench/spparks.sh)\n\n" % (L, nvac))
    f.write("3 dimension\n%d sites\n8 max neighbors\n" % n)
    f.write("0 %d xlo xhi\n0 %d ylo yhi\n0 %d zlo zhi\n\nSites\n\n" % (L, L, L))
    for o, c in rows:
        x = [float(v) for v in c]
        x[o] += 0.5
        f.write("%d %g %g %g\n" % (sid(o, c), x[0], x[1], x[2]))
    f.write("\nNeighbors\n\n")
    for o, c in rows:
        f.write("%d %s\n" % (sid(o, c), " ".join(map(str, neighbours(o, c)))))
    f.write("\nValues\n\n")
    for o, c in rows:
        s = sid(o, c)
        f.write("%d %d\n" % (s, 1 if s in vac else 2))
PY

# SPPARKS time: every event has rate 1, so the total rate is the number of
# (atom, vacant neighbour) pairs, about 8 NVAC (1 - NVAC / sites); run long
# enough for HOPS events (the events actually done are counted).
tend=$(awk -v h="$HOPS" -v v="$NVAC" -v n=$((3 * L * L * L)) 'BEGIN { printf "%.1f", h / (8 * v * (1 - v / n)) }')
cat >"$dir/in.diffusion" <<EOF
seed            $SEED
app_style       diffusion off hop
dimension       3
boundary        p p p
read_sites      $dir/sites.txt
solve_style     tree
diag_style      diffusion
stats           $tend
run             $tend
EOF

med() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { # label load ionkmc_engine spparks_engine ionkmc_wall spparks_wall ionkmc_cpu spparks_cpu
  awk -v l="$1" -v load="$2" -v ie="$3" -v se="$4" -v iw="$5" -v sw="$6" -v ic="$7" -v sc="$8" 'BEGIN {
    printf "%-6s %5s  %9.3g %9.3g %5.1f  %9.3g %9.3g %5.1f  %9.3g %9.3g %5.1f\n",
      l, load, ie, se, ie / se, iw, sw, iw / sw, ic, sc, ic / sc }'
}

echo "# ionkmc: $IONKMC ($("$IONKMC" --version))"
echo "# SPPARKS: $spk ($("$spk" -log none </dev/null 2>/dev/null | head -n 1))"
echo "# $NVAC vacancies on the $((3 * L * L * L)) X sites of a $L^3 box, 8 X neighbours each, one rate;" \
  "$HOPS events per run; $(nproc) CPUs"
echo "#              ---------- engine ---------  ----------- wall ----------  ----------- cpu -----------"
printf '%-6s %5s  %9s %9s %5s  %9s %9s %5s  %9s %9s %5s\n' round load ionkmc SPPARKS ratio ionkmc SPPARKS ratio \
  ionkmc SPPARKS ratio
: >"$dir/rows"
TIMEFORMAT='%R %U %S'
for r in $(seq 1 "$ROUNDS"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  { time "$IONKMC" bench --scenario dilute-vacancies --hops "$HOPS" --seed "$SEED" --quiet \
    --json "$dir/ionkmc.json" 2>"$dir/ionkmc.err"; } 2>"$dir/ionkmc.time" || { cat "$dir/ionkmc.err" >&2; exit 1; }
  { time "$spk" -echo none -log "$dir/log.spparks" <"$dir/in.diffusion" >"$dir/spparks.log" 2>&1; } 2>"$dir/spparks.time" ||
    { tail -n 5 "$dir/spparks.log" >&2; exit 1; }
  ik=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))["results"][0]; print(r["hops"], r["hops_per_second"])' \
    "$dir/ionkmc.json") || exit 1
  # the last stats line before "Loop time": Time Naccept ...
  sp=$(awk '/^Loop time of/ { print last, $4; exit } NF > 2 && $1 ~ /^[0-9.e+]+$/ { last = $2 }' "$dir/spparks.log")
  [ -n "$sp" ] || { echo "bench/spparks.sh: no Loop time in the SPPARKS log ($dir/spparks.log)" >&2; exit 1; }
  read -r ihops ieng <<<"$ik"
  read -r shops sloop <<<"$sp"
  read -r iw iu is <"$dir/ionkmc.time"
  read -r sw su ss <"$dir/spparks.time"
  vals=$(awk -v ih="$ihops" -v ie="$ieng" -v sh="$shops" -v sl="$sloop" -v iw="$iw" -v ic="$iu $is" -v sw="$sw" \
    -v sc="$su $ss" 'BEGIN { split(ic, a, " "); split(sc, b, " ")
      printf "%g %g %g %g %g %g", ie, sh / sl, ih / iw, sh / sw, ih / (a[1] + a[2]), sh / (b[1] + b[2]) }')
  echo "$vals" >>"$dir/rows"
  # shellcheck disable=SC2086
  row "$r" "$load" $vals
done
m() { awk -v k="$1" '{ print $k }' "$dir/rows" | med; }
row median "" "$(m 1)" "$(m 2)" "$(m 3)" "$(m 4)" "$(m 5)" "$(m 6)"
echo "# events per second; ratio = ionkmc / SPPARKS (median row: of the medians); engine: the stepping loops" \
  "only; wall, cpu: the whole process"
