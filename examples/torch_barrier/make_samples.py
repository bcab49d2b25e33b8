#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write samples.csv: a SYNTHETIC example table for train.py.

EXAMPLE DATA, NOT PHYSICS. The barriers and prefactors below come from a
made-up formula chosen only to give the network something smooth to learn
from every part of the version-1 descriptor. Replace them with NEB or MD
results before drawing any conclusion.

Columns: the 18 descriptor elements (see README.md), then Eb (eV) and nu (1/s).
Deterministic: the same file comes out on every run.
"""
import argparse
import math
import random

KINDS = ["V_I+", "I_I-", "I_MA+", "I_MA0", "V_MA-", "V_MA0"]
HEADER = (["q", "dr", "a", "qEdr"]
          + ["init_" + k for k in KINDS]
          + ["final_" + k for k in KINDS]
          + ["cos2_sum", "ncages", "Eb", "nu"])


def sample(rng):
    """One synthetic hop: (descriptor[18], Eb, nu)."""
    on_x = rng.random() < 0.5          # iodide hop (X) or MA hop (A)
    a = rng.uniform(6.30, 6.40)        # angstrom
    if on_x:
        q = rng.choice([1.0, -1.0])
        dr = a / math.sqrt(2.0)
        ncages = 4
        # MA axis class x, y or z against a <110> hop: cos^2 = 1/2, 1/2, 0
        cos2 = sum(rng.choice([0.5, 0.5, 0.0]) for _ in range(ncages))
    else:
        q = rng.choice([1.0, 0.0, -1.0])
        dr = a
        ncages = 4
        # against a <100> hop: cos^2 = 1, 0, 0
        cos2 = sum(rng.choice([1.0, 0.0, 0.0]) for _ in range(ncages))
    field = q * rng.uniform(-0.05, 0.05)           # eV, q E . dr
    init = [rng.choice([0, 0, 0, 0, 1, 2]) for _ in KINDS]
    final = [rng.choice([0, 0, 0, 0, 1, 2]) for _ in KINDS]
    eb = (0.15 + 0.04 * (cos2 - 1.0) + 0.02 * sum(init) - 0.01 * sum(final)
          - 0.5 * field - 2.0 * (a - 6.365) + rng.gauss(0.0, 0.002))
    eb = max(eb, 0.01)
    log10nu = 10.75 + 0.05 * (sum(init) - sum(final)) + 0.3 * (a - 6.365) + rng.gauss(0.0, 0.01)
    x = [q, dr, a, field] + init + final + [cos2, ncages]
    return x, eb, 10.0 ** log10nu


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="samples.csv")
    ap.add_argument("-n", type=int, default=400, help="number of rows")
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        f.write("# EXAMPLE synthetic samples for examples/torch_barrier/train.py, NOT physics.\n")
        f.write("# Eb in eV, nu in 1/s; descriptor version 1, length 18 (see README.md).\n")
        f.write(",".join(HEADER) + "\n")
        for _ in range(args.n):
            x, eb, nu = sample(rng)
            f.write(",".join(repr(float(v)) if not float(v).is_integer() else str(int(v))
                             for v in x) + ",%.6f,%.6e\n" % (eb, nu))


if __name__ == "__main__":
    main()
