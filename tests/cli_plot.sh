#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# ionkmc plot / report and progress output: every kind renders to PNG and
# SVG from the committed example outputs (tests/data/plot, written by
# scripts/make-figures.sh --test-data); the PNG decodes to the figure size;
# the SVG holds one marker per data point (plus one per legend entry) and
# one error bar per interval, and its axis labels with units; bad input
# exits 2 with one line and no file; the HTML report has every section and
# no external reference; progress shows on a terminal and not on a pipe.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?set IONKMC_SOURCE_DIR to the repository root}
D=$SRC/tests/data/plot

for c in plot report; do
  "$BIN" $c --help >"$TMP/help" 2>&1
  check "$c --help exits 0" $?
done
"$BIN" plot --help | grep -q "arrhenius" && "$BIN" plot --help | grep -q "hops"
check "plot --help lists the kinds" $?

# count_markers FILE.svg: filled opaque polygons other than the white
# background of the legend; count_errbars: polylines of the error-bar width.
count_markers() {
  tr -d '\n' <"$1" | grep -o '<polyline[^>]*>' | grep 'fill-opacity="1.000000"' | grep 'fill="#' |
    grep -vc 'fill="#FFFFFF"'
}
count_errbars() { grep -c 'stroke-width="1.250000e+00"' "$1"; }
count_width() { grep -c "stroke-width=\"$2\"" "$1"; }
# svg_text FILE.svg: the text of every <text> element, one per line (the
# driver writes each character as &#xNN;).
svg_text() {
  tr -d '\n' <"$1" | grep -o '<text[^>]*>.*\?</text>' | sed 's#</text>#\n#g' | sed 's/<[^>]*>//g' | sed 's/^ *//; s/ *$//' |
    sed 's/&#x\([0-9a-fA-F][0-9a-fA-F]\);/\\x\1/g' | while IFS= read -r l; do printf '%b\n' "$l"; done
}
# png_size FILE.png: "WIDTH HEIGHT" from the IHDR chunk, after checking the signature.
png_size() {
  [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ] || { echo "bad"; return; }
  local w h
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4}')
  echo "$w $h"
}

# Expected counts, from the inputs themselves.
nT=$(grep -c '"rate_ci95_lo"' "$D/report.json")
nK=$(grep -c '"kmc_rate"' "$D/compare.json")
nP=$(tr -d ' \n' <"$D/report.json" | grep -o '"predictions":\[[^]]*\]' | grep -o '"T":' | wc -l)
nRuns=$(grep -c '"frame_dt_ps"' "$D/report.json")
nSweep=$(grep -c '"D_species"' "$D/sweep.json")
nDef=$(grep -o '"defect": "[^"]*"' "$D/sweep.json" | sort -u | wc -l)
[ "$nT" -gt 1 ] && [ "$nK" -gt 1 ] && [ "$nP" -ge 1 ] && [ "$nRuns" -ge "$nT" ] && [ "$nSweep" -gt 1 ]
check "test inputs present (T $nT, compare $nK, predictions $nP, runs $nRuns, sweep $nSweep)" $?

render() { # kind out args...
  local kind=$1 out=$2; shift 2
  "$BIN" plot "$kind" "$@" --out "$out" 2>"$TMP/err"
}
for fmt in png svg; do
  render arrhenius "$TMP/arr.$fmt" --in "$D/report.json" --in "$D/compare.json"
  _rc=$?
  check "arrhenius $fmt ($(head -c 200 "$TMP/err"))" $_rc
  render msd "$TMP/msd.$fmt" --in "$D/report.json" --in "$D/kmc600.json"
  check "msd $fmt" $?
  render parity "$TMP/par.$fmt" --in "$D/compare.json"
  check "parity $fmt" $?
  render sweep "$TMP/swp.$fmt" --in "$D/sweep.json"
  check "sweep $fmt" $?
  render hops "$TMP/hops.$fmt" --in "$D/events.csv"
  check "hops $fmt" $?
done
render arrhenius "$TMP/arr.pdf" --in "$D/report.json"
[ "$(head -c 5 "$TMP/arr.pdf")" = "%PDF-" ]
check "arrhenius pdf is a PDF" $?
render sweep "$TMP/swpcsv.png" --in "$D/sweep.csv"
check "sweep from the CSV" $?

for f in arr msd par swp swpcsv; do
  [ "$(png_size "$TMP/$f.png")" = "1050 810" ]
  _rc=$?
  check "$f.png: PNG of 1050 x 810 (3.5 x 2.7 in at 300 dpi; got $(png_size "$TMP/$f.png"))" $_rc
done
[ "$(png_size "$TMP/hops.png")" = "1050 1980" ]
_rc=$?
check "hops.png: PNG of 1050 x 1980 (got $(png_size "$TMP/hops.png"))" $_rc
[ "$(stat -c %a "$TMP/arr.png")" != 600 ]
check "figure has ordinary permissions (not the temporary's 600)" $?
[ -z "$(ls "$TMP"/*.tmp.* 2>/dev/null)" ]
check "no temporary left" $?

# arrhenius: MD points, KMC hop rates, 2 predictions per T, 4 legend markers.
m=$(count_markers "$TMP/arr.svg") e=$(count_errbars "$TMP/arr.svg")
[ "$m" -eq $((nT + nK + 2 * nP + 4)) ] && [ "$e" -eq $((nT + nK + 2 * nP)) ]
check "arrhenius svg: $m markers, $e error bars (expected $((nT + nK + 2 * nP + 4)), $((nT + nK + 2 * nP)))" $?
svg_text "$TMP/arr.svg" >"$TMP/arr.txt"
grep -qx '1000/T (1/K)' "$TMP/arr.txt" && grep -qx 'rate per path (1/s)' "$TMP/arr.txt" &&
  grep -qx 'T (K)' "$TMP/arr.txt" && grep -q 'Arrhenius fit, 95% band' "$TMP/arr.txt" &&
  grep -q 'NEB-fixed fit' "$TMP/arr.txt" && grep -qx '300 K' "$TMP/arr.txt"
check "arrhenius svg: axis labels with units, second T axis, legend, 300 K" $?
render arrhenius "$TMP/arrD.svg" --quantity D --in "$D/report.json" --in "$D/compare.json" --in "$D/rt300.json"
m=$(count_markers "$TMP/arrD.svg") e=$(count_errbars "$TMP/arrD.svg")
[ "$m" -eq $((nT + nK + 1 + 2)) ] && [ "$e" -eq $((nT + nK + 1)) ]
check "arrhenius D svg: $m markers, $e error bars (expected $((nT + nK + 3)), $((nT + nK + 1)))" $?
svg_text "$TMP/arrD.svg" | grep -q 'KMC (95% sampling only)'
check "arrhenius D: the KMC interval says what it includes" $?
# A file that carries ci95_total (sampling and catalog) gets that interval,
# said so in the legend and the report.
awk '/"D_species": \{/ {print; print "        \"ci95_total\": [1e-6, 3e-5],"; next} {print}' "$D/rt300.json" >"$TMP/tot.json"
render arrhenius "$TMP/arrT.svg" --quantity D --in "$D/compare.json" --in "$TMP/tot.json"
svg_text "$TMP/arrT.svg" >"$TMP/arrT.txt"
grep -q 'KMC (95% total)' "$TMP/arrT.txt" && grep -q 'KMC (95% sampling only)' "$TMP/arrT.txt"
check "arrhenius: ci95_total used where present, ci95 elsewhere, both labelled" $?
"$BIN" report --in "$TMP/tot.json" --out "$TMP/tot.html" && grep -q '\[1.000e-06, 3.000e-05\] (total)' "$TMP/tot.html"
check "report: the total interval where the file has it" $?
# parity: D_species and D_defect per T, both intervals, 2 legend markers.
m=$(count_markers "$TMP/par.svg") e=$(count_errbars "$TMP/par.svg")
[ "$m" -eq $((2 * nK + 2)) ] && [ "$e" -eq $((4 * nK)) ]
check "parity svg: $m markers, $e error bars (expected $((2 * nK + 2)), $((4 * nK)))" $?
svg_text "$TMP/par.svg" | tr -d '\n' | grep -q 'MD D (cm2/s)'
check "parity svg: axis label with units" $?
# msd: one thin line per MD run, the pooled curves thick.
w=$(count_width "$TMP/msd.svg" "6.000000e-01")
[ "$w" -eq "$nRuns" ]
check "msd svg: one curve per MD run ($w, expected $nRuns)" $?
svg_text "$TMP/msd.svg" | grep -q 'lag time (ps)' && svg_text "$TMP/msd.svg" | grep -q 'MD D fit window' &&
  svg_text "$TMP/msd.svg" | grep -q 'KMC V_I+, 600 K'
check "msd svg: axis label, fit window and KMC curve in the legend" $?
# sweep: one marker and bar per point, a legend marker per defect.
m=$(count_markers "$TMP/swp.svg") e=$(count_errbars "$TMP/swp.svg")
[ "$m" -eq $((nSweep + nDef)) ] && [ "$e" -eq "$nSweep" ]
check "sweep svg: $m markers, $e error bars (expected $((nSweep + nDef)), $nSweep)" $?
# hops: the back-hop fraction per T with its interval.
nHT=$(tail -n +2 "$D/events.csv" | cut -d, -f2 | sort -u | wc -l)
m=$(count_markers "$TMP/hops.svg") e=$(count_errbars "$TMP/hops.svg")
[ "$m" -eq $((nHT + 1)) ] && [ "$e" -eq "$nHT" ]
check "hops svg: $m markers, $e error bars (expected $((nHT + 1)), $nHT)" $?
svg_text "$TMP/hops.svg" | grep -q 'back-hop fraction' && svg_text "$TMP/hops.svg" | grep -q 'hop length'
check "hops svg: panel labels" $?

# Bad input: exit 2, one line, no file.
expect_bad "unknown kind" plot bars --in "$D/report.json" --out "$TMP/out.png"
expect_bad ".png, .svg or .pdf" plot arrhenius --in "$D/report.json" --out "$TMP/out.jpg"
expect_bad "cannot write" plot arrhenius --in "$D/report.json" --out "$TMP/nodir/out.png"
expect_bad "not an ionkmc output" plot arrhenius --in "$SRC/examples/default_catalog.json" --out "$TMP/out.png"
expect_bad "no MSD curves" plot msd --in "$D/compare.json" --out "$TMP/out.svg"
expect_bad "needs a calibrate --report" plot arrhenius --in "$D/sweep.json" --quantity rate --out "$TMP/out.png"
expect_bad "no KMC/MD pairs" plot parity --in "$D/sweep.json" --out "$TMP/out.png"
expect_bad "cannot open" plot hops --in "$TMP/missing.csv" --out "$TMP/out.png"
head -1 "$D/events.csv" | sed 's/dwell_ps/dwell/' >"$TMP/ev.csv"
expect_bad "expected a column 'dwell_ps'" plot hops --in "$TMP/ev.csv" --out "$TMP/out.png"
(head -1 "$D/events.csv"; echo "a.dump,500,x,I,1,2,3,0,0,0,kick_out,0,kick_out,1,0.05") >"$TMP/ev.csv"
expect_bad "line 2: field 'time_ps'" plot hops --in "$TMP/ev.csv" --out "$TMP/out.png"
echo '{"results": [{"T": 500}]}' >"$TMP/odd.json"
expect_bad "results[0]: expected the field kmc_D_species" plot sweep --in "$TMP/odd.json" --out "$TMP/out.png"
expect_bad "--quantity" plot sweep --in "$D/sweep.json" --quantity speed --out "$TMP/out.png"
echo "x" >"$TMP/out.png"
"$BIN" plot sweep --in "$TMP/odd.json" --out "$TMP/out.png" 2>/dev/null
[ "$(cat "$TMP/out.png")" = "x" ]
check "a failed plot leaves the existing file alone" $?
rm -f "$TMP/out.png"

# The HTML report: every section, figures inline, nothing external.
"$BIN" report --in "$D/report.json" --in "$D/compare.json" --in "$D/rt300.json" --in "$D/events.csv" \
  --out "$TMP/r.html" 2>"$TMP/err"
_rc=$?
check "report ($(head -c 200 "$TMP/err"))" $_rc
for id in provenance calibration compare runs figures warnings; do
  grep -q "<h2 id=\"$id\">" "$TMP/r.html"
  check "report has section $id" $?
done
[ "$(grep -c '<svg' "$TMP/r.html")" -eq 6 ]
_rc=$?
check "report inlines 6 figures ($(grep -c '<svg' "$TMP/r.html"))" $_rc
! grep -qiE 'https?:|src=|<link|<script|@import|url\([^#]' "$TMP/r.html"
check "report is self-contained (no external reference)" $?
[ "$(grep -o 'id="[^"]*"' "$TMP/r.html" | sort | uniq -d | wc -l)" -eq 0 ]
check "report: element ids are unique" $?
grep -q 'sampling only' "$TMP/r.html" && grep -q 'md_500_0.dump' "$TMP/r.html"
check "report: warnings and the MD files' provenance" $?
expect_bad "--in" report --out "$TMP/out.html"
expect_bad "not an ionkmc output" report --in "$SRC/examples/default_catalog.json" --out "$TMP/out.html"

# Progress: on a terminal (script gives the command a pseudo-terminal) it is
# redrawn in place; on a pipe it is absent unless forced, and then in lines.
RUN="run --defect V_I+ --T 400 --size 3 --runs 8 --hops 4000 --threads 1 --quiet"  # above 327 K: no phase warning on stderr
IONKMC_PROGRESS_DELAY=0 script -qec "$BIN $RUN" /dev/null >"$TMP/pty" 2>&1
grep -q $'\r\\[ionkmc run\\] defect 1/1 V_I+' "$TMP/pty"
check "progress on a terminal, redrawn in place" $?
IONKMC_PROGRESS_DELAY=0 script -qec "$BIN $RUN --no-progress" /dev/null >"$TMP/pty" 2>&1
! grep -q 'ionkmc run\]' "$TMP/pty"
check "--no-progress on a terminal: none" $?
IONKMC_PROGRESS_DELAY=0 "$BIN" $RUN 2>"$TMP/pipe" | cat >/dev/null
[ ! -s "$TMP/pipe" ]
check "no progress on a pipe" $?
"$BIN" $RUN --progress 2>&1 >/dev/null | cat >"$TMP/pipe"
grep -q '^\[ionkmc run\] defect 1/1' "$TMP/pipe" && ! grep -q $'\r' "$TMP/pipe"
check "--progress on a pipe: whole lines, no carriage return" $?
# The same command line both times (the JSON records it): one output path.
"$BIN" run --defect V_I+ --size 3 --runs 4 --hops 2000 --quiet --json "$TMP/p.json" 2>/dev/null &&
  mv "$TMP/p.json" "$TMP/a.json"
IONKMC_PROGRESS_DELAY=0 script -qec "$BIN run --defect V_I+ --size 3 --runs 4 --hops 2000 --quiet --json $TMP/p.json" /dev/null >/dev/null
cmp -s "$TMP/a.json" "$TMP/p.json"
check "progress never reaches the JSON" $?
"$BIN" synth --defect V_I+ --T 500 --rate 6e10 --frames 400 --out "$TMP/s500.dump" >/dev/null &&
  "$BIN" synth --defect V_I+ --T 600 --rate 9e10 --frames 400 --out "$TMP/s600.dump" >/dev/null
check "synth for the calibrate progress" $?
CAL="calibrate --md 500:$TMP/s500.dump --md 600:$TMP/s600.dump --defect V_I+ --types 1=Pb,2=I,3=C,4=N --dwell 0.02 --out $TMP/cal.json --quiet"
IONKMC_PROGRESS_DELAY=0 script -qec "$BIN $CAL" /dev/null >"$TMP/pty" 2>&1
grep -q '\[ionkmc calibrate\] file 2/2 s600.dump: .* MB, .* frames' "$TMP/pty" && grep -q 'ETA' "$TMP/pty"
check "calibrate progress per file on a terminal (bytes, frames, ETA)" $?
IONKMC_PROGRESS_DELAY=0 "$BIN" $CAL 2>"$TMP/pipe"
! grep -q 'ionkmc calibrate\]' "$TMP/pipe"
check "no calibrate progress on a pipe" $?
"$BIN" sweep --T 400,500 --defect V_I+ --size 3 --runs 4 --hops 2000 --progress --csv "$TMP/sw.csv" 2>"$TMP/pipe"
grep -q '^\[ionkmc sweep\] point 2/2' "$TMP/pipe" && [ "$(wc -l <"$TMP/sw.csv")" -eq 3 ]
check "sweep --progress on a pipe: points in lines, CSV untouched" $?

echo "cli_plot: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
