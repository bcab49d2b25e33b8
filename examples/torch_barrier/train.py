#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fit a barrier model to a CSV table and export it as TorchScript for ionkmc.

Input: a CSV with a header row (lines starting with '#' are comments), the 18
descriptor columns of version 1 in order, then Eb (eV) and nu (1/s).
Output: a TorchScript archive with forward(x: Tensor[B, 18] float64) ->
Tensor[B, 2] = (Eb in eV, log10(nu / (1/s))) and the metadata file
ionkmc.json (see README.md).

The network is an MLP with two hidden layers of 64 (tanh), in float64. The
inputs and the log10(nu) output are standardised inside the module, so the C
side passes raw descriptors. Eb goes through softplus and is never negative.
Deterministic: fixed seed, one thread, deterministic algorithms.

Needs Debian's python3-torch (1.13, the version Debian 12's libtorch loads).
"""
import argparse
import csv
import json
import math
import os
import sys

import torch

DESCRIPTOR_VERSION = 1
DESCRIPTOR_LENGTH = 18


class BarrierMLP(torch.nn.Module):
    def __init__(self, x_mean, x_std, lg_mean, lg_std, width: int = 64):
        super().__init__()
        self.register_buffer("x_mean", x_mean)
        self.register_buffer("x_std", x_std)
        self.register_buffer("lg_mean", lg_mean)
        self.register_buffer("lg_std", lg_std)
        self.net = torch.nn.Sequential(
            torch.nn.Linear(DESCRIPTOR_LENGTH, width), torch.nn.Tanh(),
            torch.nn.Linear(width, width), torch.nn.Tanh(),
            torch.nn.Linear(width, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.net((x - self.x_mean) / self.x_std)
        eb = torch.nn.functional.softplus(h[:, 0])
        lg = h[:, 1] * self.lg_std + self.lg_mean
        return torch.stack([eb, lg], dim=1)


def read_samples(path):
    rows = []
    with open(path, newline="") as f:
        lines = [ln for ln in f if not ln.lstrip().startswith("#")]
    reader = csv.reader(lines)
    header = next(reader)
    if len(header) != DESCRIPTOR_LENGTH + 2:
        raise SystemExit("%s: %d columns, expected %d descriptor columns + Eb + nu"
                         % (path, len(header), DESCRIPTOR_LENGTH))
    for lineno, r in enumerate(reader, start=2):
        if not r:
            continue
        v = [float(s) for s in r]
        if len(v) != len(header) or not all(math.isfinite(t) for t in v):
            raise SystemExit("%s: bad row %d" % (path, lineno))
        if v[-1] <= 0.0 or v[-2] < 0.0:
            raise SystemExit("%s: row %d: need Eb >= 0 and nu > 0" % (path, lineno))
        rows.append(v)
    data = torch.tensor(rows, dtype=torch.float64)
    x = data[:, :DESCRIPTOR_LENGTH]
    y = torch.stack([data[:, DESCRIPTOR_LENGTH], torch.log10(data[:, DESCRIPTOR_LENGTH + 1])], 1)
    return x, y


def main():
    # TorchScript writes some class attributes in set order; a fixed hash seed
    # makes the archive byte-for-byte reproducible, not only its weights.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable] + sys.argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", default="samples.csv")
    ap.add_argument("--out", default="model.pt")
    ap.add_argument("--epochs", type=int, default=3000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--description", default="EXAMPLE MLP 18-64-64-2 fitted to the synthetic "
                    "examples/torch_barrier/samples.csv; not physics")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    x, y = read_samples(args.samples)
    x_std = x.std(0)
    x_std[x_std < 1e-12] = 1.0      # a constant column stays as it is
    model = BarrierMLP(x.mean(0), x_std, y[:, 1].mean(), y[:, 1].std()).double()

    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    # Weight the two columns so that both count: Eb in eV, log10 nu in decades.
    w = torch.tensor([1.0 / 0.01 ** 2, 1.0 / 0.05 ** 2], dtype=torch.float64)
    for epoch in range(args.epochs):
        opt.zero_grad()
        loss = (((model(x) - y) ** 2) * w).mean()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(x)
        rmse = ((pred - y) ** 2).mean(0).sqrt()
    print("train RMSE: Eb %.4f eV, log10 nu %.4f (%d samples, %d epochs)"
          % (rmse[0], rmse[1], x.shape[0], args.epochs))

    meta = {"descriptor_version": DESCRIPTOR_VERSION,
            "descriptor_length": DESCRIPTOR_LENGTH,
            "units": {"Eb": "eV", "nu": "1/s"},
            "description": args.description,
            "output": ["Eb", "log10_nu"],
            "train_rmse": {"Eb": float(rmse[0]), "log10_nu": float(rmse[1])}}
    scripted = torch.jit.script(model)
    torch.jit.save(scripted, args.out, _extra_files={"ionkmc.json": json.dumps(meta)})

    # Read it back the way the C side does and check that it agrees.
    extra = {"ionkmc.json": ""}
    back = torch.jit.load(args.out, map_location="cpu", _extra_files=extra)
    assert json.loads(extra["ionkmc.json"])["descriptor_length"] == DESCRIPTOR_LENGTH
    with torch.no_grad():
        assert torch.equal(back(x), pred)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
