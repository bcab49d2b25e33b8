#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# calibrate + compare on real LAMMPS MD (tests/data/md14/, written by
# scripts/make-md14-fixtures.sh): a 3x3x3 CsPbI3 stand-in cell with one I_I-
# (500 and 650 K) and one with one V_I+ (1100 and 1250 K), 250 / 120 ps each.
# What holds for any catalog: the defect is seen in every frame, the report's
# event counts are the event log's, each event moves one I by a/sqrt(2), and
# the KMC of the calibrated catalog hops at the MD's rate; and
# scripts/md14-stats.py gives the known statistics of synth I_I- runs. The
# D_species check of a catalog with a correlated pattern goes at the end
# (marked).
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}
DATA=$SRC/tests/data/md14
TY="--types 1=Pb,2=I,3=Cs --timestep 0.002"

for spec in "I_I- ii double_bridge 500 650" "V_I+ vi kick_out 1100 1250"; do
  read -r defect tag mech T1 T2 <<<"$spec"
  MD="--md $T1:$DATA/${tag}_$T1.dump.gz --md $T2:$DATA/${tag}_$T2.dump.gz"
  "$BIN" calibrate $MD --defect "$defect" $TY --out "$TMP/$tag.cat.json" --report "$TMP/$tag.rep.json" \
    --events "$TMP/$tag.ev.csv" --no-sensitivity --quiet 2>"$TMP/stderr"
  rc=$?
  check "$defect: calibrate on the LAMMPS fixtures (stderr: $(head -c 300 "$TMP/stderr"))" $rc
  "$BIN" compare $MD --defect "$defect" $TY --catalog "$TMP/$tag.cat.json" --runs 16 --threads 2 \
    --json "$TMP/$tag.cmp.json" --quiet 2>"$TMP/stderr"
  rc=$?
  check "$defect: compare with the calibrated catalog (stderr: $(head -c 300 "$TMP/stderr"))" $rc
  python3 - "$TMP/$tag.rep.json" "$TMP/$tag.ev.csv" "$TMP/$tag.cmp.json" "$mech" >"$TMP/py.out" 2>&1 <<'EOF'
import csv, json, sys
rep = json.load(open(sys.argv[1]))["calibration"]
rows = list(csv.DictReader(open(sys.argv[2])))
cmp = json.load(open(sys.argv[3]))["results"]
mech = sys.argv[4]
bad = []
for run in rep["runs"]:
    # one defect in every frame: the exposure is the run's time
    if abs(run["exposure_s"][mech] / (run["time_ps"] * 1e-12) - 1) > 1e-6:
        bad.append("%s: exposure %g s for %g ps" % (run["file"], run["exposure_s"][mech], run["time_ps"]))
    if run["defects_first_frame"][mech] != 1:
        bad.append("%s: %s defects in frame 0" % (run["file"], run["defects_first_frame"][mech]))
for tp, c in zip(rep["temperatures"], cmp):
    T = tp["T"]
    ev = {(r["file"], r["event"]) for r in rows if float(r["T"]) == T and r["event_mechanism"] == mech}
    if tp["count"] != len(ev):
        bad.append("T %g: report counts %g events, the log %d" % (T, tp["count"], len(ev)))
    if tp["count"] < 15:
        bad.append("T %g: only %g events" % (T, tp["count"]))
    if tp["unclassified_events"] > 0.2 * tp["count"]:
        bad.append("T %g: %g unclassified events" % (T, tp["unclassified_events"]))
    # every event of the mechanism moves one I by a/sqrt(2) (within the 0.1 A rounding)
    lam = c["a"] / 2 ** 0.5
    for r in rows:
        if float(r["T"]) == T and r["event_mechanism"] == mech:
            d = sum(float(r[k]) ** 2 for k in ("dx_A", "dy_A", "dz_A")) ** 0.5
            if r["event_atoms"] != "1" or abs(d - lam) > 0.05 * lam:
                bad.append("T %g: event %s moves %s atoms by %.3f A" % (T, r["event"], r["event_atoms"], d))
    # hop rates agree: MD rate = events / exposure, the KMC rate inside its Garwood 95% interval
    rate = tp["count"] / tp["exposure_defect_s"]
    lo, hi = c["md_rate"]["ci95"]
    if abs(c["md_rate"]["mean"] / rate - 1) > 1e-6 or not lo < c["kmc_rate"] < hi:
        bad.append("T %g: MD rate %g [%g, %g], KMC %g" % (T, c["md_rate"]["mean"], lo, hi, c["kmc_rate"]))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
  rc=$?
  check "$defect: frames, counts, hop lengths, MD and KMC rates ($(head -c 600 "$TMP/py.out"))" $rc
done

# The geometry and correlation script reads the same outputs (events, rates,
# D, back-hops, f) without failing and says which T it saw.
python3 "$SRC/scripts/md14-stats.py" --defect I_I- --events "$TMP/ii.ev.csv" --report "$TMP/ii.rep.json" \
  --compare "$TMP/ii.cmp.json" --json "$TMP/ii.stats.json" >"$TMP/stats.out" 2>&1
rc=$?
check "md14-stats.py on the I_I- outputs ($(head -c 300 "$TMP/stats.out"))" $rc
grep -q '^| 500 |' "$TMP/stats.out" && grep -q '^| 650 |' "$TMP/stats.out"
check "md14-stats.py prints a row per temperature" $?

# The script's defect walk on a KMC of known statistics: synth I_I- (the
# unoriented split pair) at two T. The same atom makes the next hop in 1/2
# of successive events, the defect returns in 1/8 (both within 3 binomial
# SE), and f_MD's interval holds the pair's f = 1.
STY="--types 1=Pb,2=I,3=C,4=N"
for T in 500 650; do
  "$BIN" synth --defect I_I- --T $T --rate 3e10 --frame-dt 0.05 --frames 8000 --stream $T \
    --out "$TMP/syn_$T.dump" >/dev/null
done
SMD="--md 500:$TMP/syn_500.dump --md 650:$TMP/syn_650.dump"
"$BIN" calibrate $SMD --defect I_I- $STY --out "$TMP/syn.cat.json" --report "$TMP/syn.rep.json" \
  --events "$TMP/syn.ev.csv" --no-sensitivity --quiet 2>"$TMP/stderr" &&
  "$BIN" compare $SMD --defect I_I- $STY --catalog "$TMP/syn.cat.json" --runs 8 --time-factor 2 --threads 2 \
    --json "$TMP/syn.cmp.json" --quiet 2>>"$TMP/stderr" &&
  python3 "$SRC/scripts/md14-stats.py" --defect I_I- --events "$TMP/syn.ev.csv" --report "$TMP/syn.rep.json" \
    --compare "$TMP/syn.cmp.json" --json "$TMP/syn.stats.json" >/dev/null 2>>"$TMP/stderr"
rc=$?
check "synth I_I-: calibrate, compare, md14-stats.py ($(head -c 300 "$TMP/stderr"))" $rc
python3 - "$TMP/syn.stats.json" >"$TMP/py.out" 2>&1 <<'EOF'
import json, sys
bad = []
for r in json.load(open(sys.argv[1]))["temperatures"]:
    n = r["back_hop_pairs"]
    for key, p in (("same_atom_fraction", 0.5), ("back_hop_fraction", 0.125)):
        if n < 100 or abs(r[key] - p) > 3 * (p * (1 - p) / n) ** 0.5:
            bad.append("T %g: %s %.3f over %d pairs, expected %g" % (r["T"], key, r[key], n, p))
    lo, hi = r["f_md_ci95"]
    if not lo < 1 < hi:
        bad.append("T %g: f_MD %.3f [%.3f, %.3f] misses 1" % (r["T"], r["f_md"], lo, hi))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
rc=$?
check "synth I_I-: same atom 1/2, back-hop 1/8, f_MD holds 1 ($(head -c 600 "$TMP/py.out"))" $rc

# ---------------------------------------------------------------------------
# The larger interstitial sample (tests/data/md14/large: 8 runs of 250 ps per
# T, stored with scripts/dumppack.py): the rate-only catalog against the one
# calibrate selects a pattern for. compare's D_species verdict (95% interval
# of MD runs and KMC sampling) and its decomposition. What holds on these
# runs: the rate-only catalog (f = 1) misses at both T, and compare names the
# correlation; calibrate selects a correlated pattern (relay, with its side
# rate: the MD's pair at 650 K returns less often than it steps sideways),
# whose D_species and hop rate agree at every T (tests/data/md14/README.md).
LG=$TMP/large
mkdir -p "$LG"
for f in "$DATA"/large/ii_*.dpk; do
  /usr/bin/python3 "$SRC/scripts/dumppack.py" unpack "$f" "$LG/$(basename "$f" .dpk).dump" &
done
wait
MDL=()
for f in "$LG"/ii_*.dump; do
  T=$(basename "$f" .dump); T=${T#ii_}; T=${T%%_*}
  MDL+=(--md "$T:$f")
done
check "large sample: 16 runs unpacked (${#MDL[@]} arguments)" "$([ "${#MDL[@]}" -eq 32 ]; echo $?)"
for mode in rate-only auto; do
  "$BIN" calibrate "${MDL[@]}" --defect I_I- $TY --pattern $mode --out "$TMP/lg_$mode.cat.json" \
    --no-sensitivity --quiet 2>"$TMP/stderr"
  rc=$?
  check "large sample: calibrate --pattern $mode (stderr: $(head -c 300 "$TMP/stderr"))" $rc
  "$BIN" compare "${MDL[@]}" --defect I_I- $TY --catalog "$TMP/lg_$mode.cat.json" --runs 32 --threads 2 \
    --json "$TMP/lg_$mode.cmp.json" --quiet 2>"$TMP/stderr"
  rc=$?
  check "large sample: compare with the --pattern $mode catalog (stderr: $(head -c 300 "$TMP/stderr"))" $rc
done
/usr/bin/python3 - "$TMP" >"$TMP/py.out" 2>&1 <<'EOF'
import json, sys
t = sys.argv[1]
bad = []
def rows(mode):
    return {r["T"]: r for r in json.load(open("%s/lg_%s.cmp.json" % (t, mode)))["results"]}
def line(r):
    d = r["decomposition"]
    return "T %g: D MD/KMC %.3f agree %s, correlation %.3f, off %s" % (
        r["T"], d["D_species"]["ratio"], d["D_species"]["agree"], d["correlation"]["ratio"], d["off"])
cat = json.load(open("%s/lg_auto.cat.json" % t))
ent = [e for e in cat["entries"] if e.get("defect") == "I_I-" and "pattern_evidence" in e]
pat = ent[0].get("pattern", "single") if ent else "?"
if pat not in ("oriented", "relay", "returns"):
    bad.append("auto chose %s, not a correlated pattern" % pat)
ro, pa = rows("rate-only"), rows("auto")
for T in sorted(ro):
    print("rate-only " + line(ro[T]))
    print("%s " % pat + line(pa[T]))
    if ro[T]["agree_95"] or ro[T]["decomposition"]["off"] not in ("correlation", "correlation (largest)"):
        bad.append("rate-only at T %g: expected a miss named correlation" % T)
for T in sorted(pa):
    if not pa[T]["agree_95"]:
        bad.append("%s at T %g: D_species disagrees" % (pat, T))
    if not pa[T]["decomposition"]["rate"]["agree"]:
        bad.append("%s at T %g: the hop rate disagrees" % (pat, T))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
rc=$?
check "large sample: rate-only misses (correlation), the selected pattern agrees at every T ($(head -c 1200 "$TMP/py.out"))" $rc

echo "cli_md14: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
