#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""usage: same_report.py A.json B.json RTOL

Exit 0 if the two calibration reports are the same apart from file names:
strings that name trajectory files (and the command line that names
them) are dropped; every other string, every
integer and the structure must be equal; reals must agree within RTOL
relative (0 = exactly equal). Prints the first difference otherwise.
"""
import json
import math
import sys


def same(a, b, rtol, where):
    if isinstance(a, dict) and isinstance(b, dict):
        if sorted(a) != sorted(b):
            return f"{where}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            if k in ("file", "path", "provenance", "command"):
                continue
            r = same(a[k], b[k], rtol, f"{where}.{k}")
            if r:
                return r
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            r = same(x, y, rtol, f"{where}[{i}]")
            if r:
                return r
        return None
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            if a == b or (rtol > 0 and math.isclose(a, b, rel_tol=rtol, abs_tol=0)):
                return None
        return f"{where}: {a!r} != {b!r}"
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main():
    a, b = (json.load(open(p)) for p in sys.argv[1:3])
    r = same(a, b, float(sys.argv[3]), "$")
    if r:
        print(r)
        sys.exit(1)


if __name__ == "__main__":
    main()
