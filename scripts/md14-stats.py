#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Geometry and correlation of one defect's hops in MD, from what
`ionkmc calibrate` and `ionkmc compare` write, beside the KMC of `compare`.

    scripts/md14-stats.py --defect I_I- --events events.csv --report report.json \
        --compare compare.json [--json out.json]

Per temperature it prints: events per mechanism (from the event log), the MD
and KMC hop rates, D_species of MD and KMC and their ratio, the per-event
sum over atoms of |dr|^2, the defect's immediate back-hop fraction against the
random-walk value 1/8 (both defects walk on the 8 X-sublattice neighbours at
a/sqrt(2)), the fraction of successive events made by the same atom (a
vacancy: 1/8 by chance, as a back-hop; the KMC's unoriented split pair:
1/2, either atom of the pair), the mean cosine between successive defect
jumps, and the effective
correlation f = D_species / (rate x <sum |dr|^2 per event> / 6) of MD and KMC.

Intervals (all 95%): rates, Garwood (exact Poisson) as calibrate and compare
print them; D_species, the Student-t intervals of those programs (MD: the
blocks or runs compare used; KMC: sampling only); back-hop fraction,
Clopper-Pearson (exact binomial) over the pairs of successive events;
<cos> and <sum |dr|^2>, mean +- 1.96 SE over events; f and the D ratio:
the half-widths on the log scale of the factors' 95% intervals (D of MD and
KMC as above, the MD rate's Garwood interval, the KMC rate's 1.96/sqrt(hops),
<sum |dr|^2>'s 1.96 SE/mean) added in quadrature, as independent.

The defect's walk: a vacancy sits on the hopping atom's target site before an
event and on its source site after it; a split interstitial the other way
round. Only events of one atom of the calibrated mechanism enter the walk; a
pair of successive such events counts for the back-hop fraction and the angle
only where the second starts where the first ended.
"""
import argparse
import csv
import json
import math
import sys

MECH = {"V_I+": "kick_out", "I_I-": "double_bridge"}


def binom_cdf(k, n, p):
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))


def clopper_pearson(k, n, alpha=0.05):
    if n == 0:
        return (math.nan, math.nan)

    def bisect(go_up):
        """The p in (0, 1) where go_up(p) turns false (go_up true below it)."""
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if go_up(mid):
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    # lower: P(X >= k | p) = alpha/2 (increasing in p); upper: P(X <= k | p) = alpha/2 (decreasing)
    lo = 0.0 if k == 0 else bisect(lambda p: 1 - binom_cdf(k - 1, n, p) < alpha / 2)
    hi = 1.0 if k == n else bisect(lambda p: binom_cdf(k, n, p) > alpha / 2)
    return (lo, hi)


def mean_sem(xs):
    n = len(xs)
    if n == 0:
        return (math.nan, math.nan)
    m = sum(xs) / n
    if n < 2:
        return (m, math.nan)
    v = sum((x - m) ** 2 for x in xs) / (n - 1)
    return (m, math.sqrt(v / n))


def log_halfwidth(d):
    """Half-width, on the log scale, of the 95% interval of a {mean, sem, ci95} object: from its
    ci95 where that is positive, else 1.96 sem / mean (nan if missing)."""
    if not d or not d.get("mean"):
        return math.nan
    lo, hi = d.get("ci95", (0, 0))
    if lo and lo > 0 and hi > lo:
        return 0.5 * math.log(hi / lo)
    return 1.96 * d["sem"] / abs(d["mean"])


def lognormal_ci(x, h):
    """x exp(-h), x exp(+h)."""
    if not (x > 0) or math.isnan(h):
        return (math.nan, math.nan)
    return (x * math.exp(-h), x * math.exp(h))


def read_events(path):
    with open(path, newline="") as fp:
        return list(csv.DictReader(fp))


def analyse_T(rows, mech, defect):
    """Event statistics of the rows of one temperature."""
    per_mech = {}
    events = {}  # (file, event id) -> rows
    for r in rows:
        key = (r["file"], int(r["event"]))
        events.setdefault(key, []).append(r)
    for (f, e), rs in events.items():
        m = rs[0]["event_mechanism"]
        per_mech[m] = per_mech.get(m, 0) + 1
    sum_dr2 = []
    walks = {}
    for (f, e), rs in sorted(events.items(), key=lambda kv: (kv[0][0], min(float(r["time_ps"]) for r in kv[1]))):
        if rs[0]["event_mechanism"] != mech:
            continue
        s = sum(float(r["dx_A"]) ** 2 + float(r["dy_A"]) ** 2 + float(r["dz_A"]) ** 2 for r in rs)
        sum_dr2.append(s)
        if len(rs) != 1:
            walks.setdefault(f, []).append(None)
            continue
        r = rs[0]
        v = [float(r["dx_A"]), float(r["dy_A"]), float(r["dz_A"])]
        a, b = int(r["from_site"]), int(r["to_site"])
        if defect.startswith("V_"):
            before, after, dv = b, a, [-x for x in v]
        else:
            before, after, dv = a, b, v
        walks.setdefault(f, []).append((before, after, dv, r["atom_ids"]))
    pairs = backs = same = 0
    coss = []
    for f, w in walks.items():
        for p, q in zip(w, w[1:]):
            if p is None or q is None or q[0] != p[1]:
                continue
            pairs += 1
            if q[1] == p[0]:
                backs += 1
            if q[3] == p[3]:
                same += 1
            n1 = math.sqrt(sum(x * x for x in p[2]))
            n2 = math.sqrt(sum(x * x for x in q[2]))
            if n1 > 0 and n2 > 0:
                coss.append(sum(x * y for x, y in zip(p[2], q[2])) / (n1 * n2))
    return {
        "events_by_mechanism": per_mech,
        "events": len(sum_dr2),
        "sum_dr2_A2": mean_sem(sum_dr2),
        "pairs": pairs,
        "back_hops": backs,
        "back_hop_fraction": backs / pairs if pairs else math.nan,
        "back_hop_ci95": clopper_pearson(backs, pairs),
        "cos_successive": mean_sem(coss),
        "same_atom": same,
        "same_atom_ci95": clopper_pearson(same, pairs),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--defect", required=True, choices=sorted(MECH))
    ap.add_argument("--events", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--compare", required=True)
    ap.add_argument("--json")
    o = ap.parse_args()
    mech = MECH[o.defect]
    rows = read_events(o.events)
    rep = json.load(open(o.report))["calibration"]
    cmp = json.load(open(o.compare))["results"]
    out = []
    for c in cmp:
        T = c["T"]
        tp = next(t for t in rep["temperatures"] if abs(t["T"] - T) < 1e-6)
        st = analyse_T([r for r in rows if abs(float(r["T"]) - T) < 1e-6], mech, o.defect)
        a = c["a"]
        n = tp["count"]
        md_rate = n / tp["exposure_defect_s"]
        kmc_rate = c["kmc_rate"]
        m2, m2_se = st["sum_dr2_A2"]
        h_m2 = 1.96 * m2_se / m2 if m2 > 0 and not math.isnan(m2_se) else 0.0
        dmd, dkmc = c["md_D_species"], c["kmc_D_species"]
        h_rate = log_halfwidth({"mean": md_rate, "ci95": c["md_rate"]["ci95"]})
        f_md = dmd["mean"] / (md_rate * m2 * 1e-16 / 6)
        f_md_h = math.sqrt(log_halfwidth(dmd) ** 2 + h_rate ** 2 + h_m2 ** 2)
        lam2 = a * a / 2  # one atom moves a/sqrt(2) per KMC hop of either defect
        f_kmc = dkmc["mean"] / (kmc_rate * lam2 * 1e-16 / 6)
        f_kmc_h = math.sqrt(log_halfwidth(dkmc) ** 2 + 1.96 ** 2 / c["kmc_hops"])
        ratio = dkmc["mean"] / dmd["mean"]
        ratio_h = math.sqrt(log_halfwidth(dmd) ** 2 + log_halfwidth(dkmc) ** 2)
        out.append({
            "T": T, "a_A": a, "events_by_mechanism": st["events_by_mechanism"], "events": n,
            "md_rate_s": md_rate, "md_rate_ci95": c["md_rate"]["ci95"], "kmc_rate_s": kmc_rate,
            "kmc_hops": c["kmc_hops"],
            "md_D_species": dmd["mean"], "md_D_species_ci95": dmd["ci95"],
            "kmc_D_species": dkmc["mean"], "kmc_D_species_ci95": dkmc["ci95"],
            "ratio_kmc_over_md": ratio, "ratio_ci95": lognormal_ci(ratio, ratio_h),
            "md_sum_dr2_per_event_A2": m2, "md_sum_dr2_ci95": (m2 - 1.96 * m2_se, m2 + 1.96 * m2_se),
            "kmc_sum_dr2_per_hop_A2": lam2,
            "back_hop_fraction": st["back_hop_fraction"], "back_hop_ci95": st["back_hop_ci95"],
            "back_hop_pairs": st["pairs"], "back_hop_random_walk": 1 / 8,
            "same_atom_fraction": st["same_atom"] / st["pairs"] if st["pairs"] else math.nan,
            "same_atom_ci95": st["same_atom_ci95"],
            "cos_successive": st["cos_successive"][0],
            "cos_successive_ci95": (st["cos_successive"][0] - 1.96 * st["cos_successive"][1],
                                    st["cos_successive"][0] + 1.96 * st["cos_successive"][1]),
            "f_md": f_md, "f_md_ci95": lognormal_ci(f_md, f_md_h),
            "f_kmc": f_kmc, "f_kmc_ci95": lognormal_ci(f_kmc, f_kmc_h),
        })
    g = lambda x: "%.3g" % x
    ci = lambda p: "[%s, %s]" % (g(p[0]), g(p[1]))
    print("| T/K | events (by mechanism) | MD rate/s [95%] | KMC rate/s | D_MD cm2/s [95%] | D_KMC cm2/s [95%] "
          "| KMC/MD [95%] | <sum dr2>/A2 MD (KMC) | back-hop [95%] (pairs; RW 1/8) | same atom [95%] | <cos> [95%] "
          "| f_MD [95%] | f_KMC [95%] |")
    print("|" + "---|" * 13)
    for r in out:
        ev = ", ".join("%s %d" % kv for kv in sorted(r["events_by_mechanism"].items()))
        print("| %g | %d (%s) | %s %s | %s | %s %s | %s %s | %s %s | %.2f (%.2f) | %.3f %s (%d) | %.3f %s | %.3f %s "
              "| %s %s | %s %s |" % (
            r["T"], r["events"], ev, g(r["md_rate_s"]), ci(r["md_rate_ci95"]), g(r["kmc_rate_s"]),
            g(r["md_D_species"]), ci(r["md_D_species_ci95"]), g(r["kmc_D_species"]), ci(r["kmc_D_species_ci95"]),
            g(r["ratio_kmc_over_md"]), ci(r["ratio_ci95"]), r["md_sum_dr2_per_event_A2"], r["kmc_sum_dr2_per_hop_A2"],
            r["back_hop_fraction"], ci(r["back_hop_ci95"]), r["back_hop_pairs"], r["same_atom_fraction"],
            ci(r["same_atom_ci95"]), r["cos_successive"],
            ci(r["cos_successive_ci95"]), g(r["f_md"]), ci(r["f_md_ci95"]), g(r["f_kmc"]), ci(r["f_kmc_ci95"])))
    if o.json:
        with open(o.json, "w") as fp:
            json.dump({"defect": o.defect, "mechanism": mech, "temperatures": out}, fp, indent=1)
            fp.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
