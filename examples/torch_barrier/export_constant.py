#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Export constant_v_i.pt: a TorchScript model that ignores its input and
returns the constant-catalog values of V_I+ for every row,
Eb = 0.15 eV and nu = 5.58e10 1/s, to check the torch provider against the
constant provider.

The model returns log10(nu) (the ionkmc convention), and ionkmc computes
nu = 10^log10(nu). No float64 value L has 10^L == 5.58e10 exactly: near
L = 10.75 one step of L (2^-49) moves nu by about 30 of its own ulps. The
model stores L = log10(5.58e10) rounded to float64 (10.74663419893758), so the
library returns nu = 10^L = 55800000000.0001 1/s (relative difference
1.8e-15). A bit-for-bit comparison must give the constant provider that same
double; ionkmc.json records it under "constant".
"""
import json
import math
import os
import sys

import torch

EB = 0.15
NU = 5.58e10


class Constant(torch.nn.Module):
    def __init__(self, eb: float, log10nu: float):
        super().__init__()
        self.register_buffer("row", torch.tensor([[eb, log10nu]], dtype=torch.float64))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.row.expand(x.shape[0], 2).clone()


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    out = sys.argv[1] if len(sys.argv) > 1 else "constant_v_i.pt"
    lg = math.log10(NU)
    meta = {"descriptor_version": 1, "descriptor_length": 18,
            "units": {"Eb": "eV", "nu": "1/s"},
            "description": "constant V_I+ barrier: Eb = 0.15 eV, nu = 10^%r 1/s for any input"
                           % lg,
            "output": ["Eb", "log10_nu"],
            "constant": {"Eb": EB, "log10_nu": lg, "nu": 10.0 ** lg}}
    m = torch.jit.script(Constant(EB, lg))
    torch.jit.save(m, out, _extra_files={"ionkmc.json": json.dumps(meta)})
    print("wrote %s: Eb = %r eV, log10 nu = %r, nu = %r 1/s" % (out, EB, lg, 10.0 ** lg))


if __name__ == "__main__":
    main()
