#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scatter of D from one lattice random walk for two MSD fit windows.

A lone MD defect's walk (calibration/mdtrack.c) is built from committed hops
only, so its MSD is linear from the first lag. This draws walks of N frames
with a hop probability p per frame (unit steps along +-x, y, z), fits the
time-origin averaged MSD over lags [lo, hi] * (N - 1) with a free intercept,
and prints the mean and the relative standard deviation of D / D_true for
each window. Pure Python, a few seconds per window.

usage: scripts/msd-window-scatter.py [walks] [frames] [p]   (defaults 300 400 0.08)
"""
import math
import random
import sys


def walk(n, p, rng):
    x = [(0, 0, 0)]
    for _ in range(1, n):
        a = list(x[-1])
        if rng.random() < p:
            a[rng.randrange(3)] += rng.choice((-1, 1))
        x.append(tuple(a))
    return x


def slope(x, lo, hi):
    n = len(x)
    lags = list(range(max(1, int(lo * (n - 1))), int(hi * (n - 1)) + 1))
    msd = []
    for m in lags:
        s = sum(sum((x[k + m][c] - x[k][c]) ** 2 for c in range(3)) for k in range(n - m))
        msd.append(s / (n - m))
    lm, ym = sum(lags) / len(lags), sum(msd) / len(msd)
    return sum((l - lm) * (y - ym) for l, y in zip(lags, msd)) / sum((l - lm) ** 2 for l in lags)


def main():
    walks = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    p = float(sys.argv[3]) if len(sys.argv) > 3 else 0.08
    for lo, hi in ((0.0, 0.1), (0.1, 0.5)):
        rng = random.Random(1)
        r = [slope(walk(n, p, rng), lo, hi) / p for _ in range(walks)]  # E[slope] = p
        m = sum(r) / walks
        sd = math.sqrt(sum((v - m) ** 2 for v in r) / (walks - 1))
        print(f"window {lo}-{hi}: D/D_true mean {m:.3f} +- {sd / math.sqrt(walks):.3f}, "
              f"relative sd per walk {sd:.2f}")


if __name__ == "__main__":
    main()
