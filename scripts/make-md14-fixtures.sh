#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates tests/data/md14/: classical MD (Debian's `lmp`) of a 3x3x3
# CsPbI3 stand-in cell (examples/forcefields/cspbi3_standin.lmp) with one
# iodide split interstitial (I_I-) and of one with one iodide vacancy (V_I+),
# two temperatures each, as small gzip LAMMPS dumps that `ionkmc calibrate`
# and `compare` read (tests/cli_md14.sh).
#
# The cells, seeds and LAMMPS decks are those of `ionkmc md-input` (one run
# per T, no strained cells, 2 fs steps: no H atoms in CsPbI3). Two changes to
# its dump line keep the fixtures small: no element column (calibrate takes
# --types 1=Pb,2=I,3=Cs) and positions to 0.1 A (`dump_modify format float
# %.1f`; the hop detector's r_inner is 1.5 A and a rounding offset drops out of
# an MSD slope), written plain and compressed here with `gzip -9 -n` (no name
# or time stamp in the file). Frames every 0.1 ps, a third of the default
# 0.3 ps dwell, as md-input writes them.
#
# Usage: scripts/make-md14-fixtures.sh [outdir]   (default tests/data/md14)
#   IONKMC (default build/ionkmc), LMP (default lmp), JOBS (LAMMPS runs at
#   once, default 2; each on one core, OMP_NUM_THREADS=1), PROD_PS (production
#   ps of every run instead of the table's, for a quick check of the pipeline),
#   RUNS (runs per T, default 1; with more, distinct seeds per run and files
#   named TAG_T_rI.dump.gz).
#   SET=large instead writes the committed larger interstitial sample into
#   OUTDIR/large (default tests/data/md14/large): two I_I- campaigns of four
#   runs per T (seeds 14 and 114; runs r0-r3 and r4-r7), each dump stored with
#   scripts/dumppack.py (lossless; about 0.42 MB a run instead of 1.4 MB).
# One LAMMPS run on one core takes 1-4 minutes on an idle machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/data/md14}
IONKMC=${IONKMC:-$root/build/ionkmc}
LMP=${LMP:-lmp}
JOBS=${JOBS:-2}
RUNS=${RUNS:-1}
ff=$root/examples/forcefields/cspbi3_standin.lmp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

SET=${SET:-small}
# defect  tag  temperatures  production/ps  campaign seed  runs per T  first run's number
if [ "$SET" = large ]; then
  CAMPAIGNS=(
    "I_I- ii 500,650 250 14 4 0"
    "I_I- ii 500,650 250 114 4 4"
  )
  out=$out/large
else
  CAMPAIGNS=(
    "I_I- ii 500,650 250 14 $RUNS 0"
    "V_I+ vi 1100,1250 120 15 $RUNS 0"
  )
fi

runs=()
for c in "${CAMPAIGNS[@]}"; do
  read -r defect tag temps prod seed nruns first <<<"$c"
  prod=${PROD_PS:-$prod}
  "$IONKMC" md-input --defect "$defect" --ff "$ff" --a-site Cs --size 3 --T "$temps" \
    --runs "$nruns" --strain 0 --timestep 2 --equil 10 --prod "$prod" --seed "$seed" \
    --out "$work/${tag}_$seed" >/dev/null
  for d in "$work/${tag}_$seed"/runs/*/; do
    in=$d/in.lammps
    grep -q '^dump traj all custom/gz [0-9]* traj.dump.gz id type element xu yu zu$' "$in" ||
      { echo "make-md14-fixtures: unexpected dump line in $in" >&2; exit 1; }
    sed -i -e 's|^dump traj all custom/gz \([0-9]*\) traj.dump.gz id type element xu yu zu$|dump traj all custom \1 traj.dump id type xu yu zu|' \
      -e 's|^dump_modify traj element .* sort id$|dump_modify traj sort id format float %.1f|' "$in"
    runs+=("$d")
  done
done

run_one() {
  (cd "$1" && OMP_NUM_THREADS=1 nice "$LMP" -in in.lammps -log log.lammps -screen none && gzip -9 -n traj.dump)
}
pids=()
for d in "${runs[@]}"; do
  run_one "$d" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$JOBS" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p"; done

mkdir -p "$out"
for c in "${CAMPAIGNS[@]}"; do
  read -r defect tag temps prod seed nruns first <<<"$c"
  if [ "$SET" = large ]; then
    cp "$work/${tag}_$seed/campaign.json" "$out/${tag}_campaign_seed$seed.json"
  else
    cp "$work/${tag}_$seed/campaign.json" "$out/${tag}_campaign.json"
  fi
  for d in "$work/${tag}_$seed"/runs/*/; do
    name=$(basename "$d")          # T500_r0
    T=${name#T}; T=${T%%_*}
    base=${tag}_${T}
    r=${name##*_r}
    if [ "$SET" = large ]; then
      base=${base}_r$((r + first))
      "${PYTHON:-/usr/bin/python3}" "$root/scripts/dumppack.py" pack "$d/traj.dump.gz" "$out/$base.dpk"
    else
      [ "$nruns" -eq 1 ] || base=${base}_r$r
      cp "$d/traj.dump.gz" "$out/$base.dump.gz"
    fi
    cp "$d/in.lammps" "$out/$base.in"
  done
done
ls -l "$out"
