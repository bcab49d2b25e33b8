#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the small TorchScript models that tests/test_torch_model.c uses to
provoke every error of barriers/torch_model.h. Run from this folder with
Debian's python3-torch (1.13):  /usr/bin/python3 make_test_models.py

  wrong_version.pt  descriptor_version 2             -> IONKMC_EINVAL
  wrong_length.pt   descriptor_length 17             -> IONKMC_EINVAL
  wrong_units.pt    units Eb in kJ/mol               -> IONKMC_EINVAL
  no_metadata.pt    no ionkmc.json in the archive    -> IONKMC_EPARSE
  nan.pt            Eb = NaN on rows with q < 0      -> IONKMC_ERANGE
  negative.pt       Eb = -0.05 on rows with q < 0    -> IONKMC_ERANGE
  zero_nu.pt        log10 nu = -400 (nu underflows to 0) on rows with q < 0
  bad_shape.pt      returns Tensor[B, 3]             -> IONKMC_EINTERNAL
  not_a_model.pt    plain text                       -> IONKMC_EPARSE
Otherwise each model returns Eb = 0.15 eV + 0.01 eV * q and log10 nu = 10.
"""
import json
import os
import sys

import torch


def meta(version=1, length=18, units=None):
    return {"descriptor_version": version, "descriptor_length": length,
            "units": units or {"Eb": "eV", "nu": "1/s"},
            "description": "ionkmc error-test model, not physics"}


class Plain(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        eb = 0.15 + 0.01 * x[:, 0]
        return torch.stack([eb, torch.full_like(eb, 10.0)], dim=1)


class BadRows(torch.nn.Module):
    """Replaces column `col` by `value` on the rows whose charge is negative."""

    def __init__(self, col: int, value: float):
        super().__init__()
        self.col = col
        self.value = value

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        eb = 0.15 + 0.01 * x[:, 0]
        out = torch.stack([eb, torch.full_like(eb, 10.0)], dim=1)
        bad = x[:, 0] < 0.0
        out[:, self.col] = torch.where(bad, torch.full_like(eb, self.value), out[:, self.col])
        return out


class BadShape(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros(x.shape[0], 3, dtype=torch.float64)


def save(module, name, m=None):
    files = {} if m is None else {"ionkmc.json": json.dumps(m)}
    torch.jit.save(torch.jit.script(module), name, _extra_files=files)
    print("wrote", name)


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    save(Plain(), "wrong_version.pt", meta(version=2))
    save(Plain(), "wrong_length.pt", meta(length=17))
    save(Plain(), "wrong_units.pt", meta(units={"Eb": "kJ/mol", "nu": "1/s"}))
    save(Plain(), "no_metadata.pt", None)
    save(BadRows(0, float("nan")), "nan.pt", meta())
    save(BadRows(0, -0.05), "negative.pt", meta())
    save(BadRows(1, -400.0), "zero_nu.pt", meta())
    save(BadShape(), "bad_shape.pt", meta())
    with open("not_a_model.pt", "w") as f:
        f.write("This is a text file, not a TorchScript archive.\n")
    print("wrote not_a_model.pt")


if __name__ == "__main__":
    main()
