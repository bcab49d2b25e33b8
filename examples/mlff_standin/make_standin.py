#!/usr/bin/env python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the stand-in interatomic potential for CsPbI3 as a TorchScript model
with the interface of a deployed NequIP/Allegro model.

The potential is a pair potential, Buckingham plus damped-shifted-force (DSF)
Coulomb (Fennell and Gezelter, J. Chem. Phys. 124, 234104 (2006)), the same
functional form as LAMMPS's `pair_style born/coul/dsf` with sigma = D = 0:

    E = sum_i<j [ A_ij exp(-r/rho_ij) - C_ij / r^6 - (the same at r_max) ]  (r < r_max)
      + k_e sum_i<j q_i q_j [ erfc(alpha r)/r - erfc(alpha r_c)/r_c
                              + (erfc(alpha r_c)/r_c^2
                                 + 2 alpha/sqrt(pi) exp(-alpha^2 r_c^2)/r_c) (r - r_c) ]
      - k_e sum_i q_i^2 [ erfc(alpha r_c)/(2 r_c) + alpha/sqrt(pi) ]
        (the self term, written as LAMMPS writes it: e_shift/2 with e_shift the
         pair energy's constant, see below)

Interface (what a deployed NequIP/Allegro model takes and returns):
  forward(data: Dict[str, Tensor]) -> Dict[str, Tensor]
  in:  pos [N,3] float64 (angstrom), edge_index [2,E] int64 (full list: both
       i->j and j->i), edge_cell_shift [E,3] float64 (integer lattice shifts),
       cell [3,3] float64 (rows are lattice vectors), atom_types [N] or [N,1]
       int64 (indices into type_names).
       Edge vector: pos[j] - pos[i] + edge_cell_shift @ cell.
  out: total_energy [1,1] (eV), atomic_energy [N,1], forces [N,3] (eV/A,
       -dE/dpos by autograd), stress [1,3,3] (eV/A^3, (1/V) dE/d(strain)),
       virial [1,3,3] (eV, -dE/d(strain)).
  metadata (torch.jit.save _extra_files, the keys nequip-deploy writes and
  pair_allegro reads): nequip_version, torch_version, r_max, n_species,
  type_names (space separated), _jit_bailout_depth, _jit_fusion_strategy,
  allow_tf32, model_dtype, config.

The parameters are params.json next to this script. Run:
    /usr/bin/python3 make_standin.py            # writes model.pth
    /usr/bin/python3 make_standin.py --check    # E(a) of the perfect cubic cell
    /usr/bin/python3 make_standin.py --params params_ma.json model_ma.pth
        (the MA stand-in: Cs Pb I C N H, with Morse C-N, C-H, N-H bonds)
    /usr/bin/python3 make_standin.py OUT [--torch-version V] [--drop KEY] [--float32]
        (the test models of tests/data/mlff: another torch version, a key left
         out, a float32 model without model_dtype)
"""
import json
import math
import os
import sys
from typing import Dict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
KE = 14.399645  # e^2/(4 pi eps0) in eV*angstrom (LAMMPS metal units qqr2e)


class BuckinghamDSF(torch.nn.Module):
    def __init__(self, p):
        super().__init__()
        names = p["type_names"]
        n = len(names)
        A = torch.zeros(n, n, dtype=torch.float64)
        rho = torch.ones(n, n, dtype=torch.float64)
        C = torch.zeros(n, n, dtype=torch.float64)
        for pair in p["buckingham"]:
            i, j = names.index(pair["pair"][0]), names.index(pair["pair"][1])
            for (a, b) in ((i, j), (j, i)):
                A[a, b] = pair["A_eV"]
                rho[a, b] = pair["rho_A"]
                C[a, b] = pair["C_eVA6"]
        # Optional bonded pairs (the MA stand-in, params_ma.json): a Morse
        # bond D ((1 - exp(-a (r - r0)))^2 - 1) switched off smoothly between
        # r_on and r_off, the pair's Buckingham switched on over the same range,
        # E = sw M + (1 - sw) B, sw = 1 below r_on, (1 + cos(pi t))/2 between.
        D = torch.zeros(n, n, dtype=torch.float64)
        ma = torch.ones(n, n, dtype=torch.float64)
        r0 = torch.ones(n, n, dtype=torch.float64)
        ron = torch.zeros(n, n, dtype=torch.float64)
        roff = torch.ones(n, n, dtype=torch.float64) * 1e-3
        for pair in p.get("morse", []):
            i, j = names.index(pair["pair"][0]), names.index(pair["pair"][1])
            for (a, b) in ((i, j), (j, i)):
                D[a, b] = pair["D_eV"]
                ma[a, b] = pair["alpha_per_A"]
                r0[a, b] = pair["r0_A"]
                ron[a, b] = pair["r_on_A"]
                roff[a, b] = pair["r_off_A"]
        self.has_morse = len(p.get("morse", [])) > 0
        self.register_buffer("mD", D)
        self.register_buffer("ma", ma)
        self.register_buffer("mr0", r0)
        self.register_buffer("mron", ron)
        self.register_buffer("mroff", roff)
        self.register_buffer("q", torch.tensor([p["charges_e"][t] for t in names],
                                               dtype=torch.float64))
        self.register_buffer("A", A)
        self.register_buffer("rho", rho)
        self.register_buffer("C", C)
        self.alpha = float(p["alpha_per_A"])
        self.rc = float(p["r_max_A"])
        self.ke = KE
        a, rc = self.alpha, self.rc
        erfc_c = math.erfc(a * rc)
        # Pair energy E(r) = ke q q (erfc(a r)/r - e_shift - r f_shift), which
        # is zero with zero slope at rc.
        self.f_shift = -(erfc_c / rc ** 2 + 2.0 / math.sqrt(math.pi) * a
                         * math.exp(-a * a * rc * rc) / rc)
        self.e_shift = erfc_c / rc - self.f_shift * rc

    def forward(self, data: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        pos = data["pos"]
        cell = data["cell"].reshape(3, 3)
        edge_index = data["edge_index"]
        shift = data["edge_cell_shift"]
        types = data["atom_types"].reshape(-1)
        if not pos.requires_grad:
            pos.requires_grad_(True)
        strain = torch.zeros((3, 3), dtype=pos.dtype, device=pos.device)
        strain.requires_grad_(True)
        sym = 0.5 * (strain + strain.transpose(0, 1))
        pos_s = pos + torch.matmul(pos, sym)
        cell_s = cell + torch.matmul(cell, sym)
        i = edge_index[0]
        j = edge_index[1]
        vec = pos_s[j] - pos_s[i] + torch.matmul(shift, cell_s)
        r = torch.sqrt((vec * vec).sum(-1))
        inside = (r < self.rc).to(pos.dtype)
        rs = torch.where(r < self.rc, r, torch.full_like(r, self.rc))
        ti = types[i]
        tj = types[j]
        A = self.A[ti, tj]
        rho = self.rho[ti, tj]
        C = self.C[ti, tj]
        buck = (A * torch.exp(-rs / rho) - C / rs ** 6) - (A * torch.exp(-self.rc / rho) - C / self.rc ** 6)
        if self.has_morse:
            mD = self.mD[ti, tj]
            ron = self.mron[ti, tj]
            roff = self.mroff[ti, tj]
            t = torch.clamp((rs - ron) / (roff - ron), 0.0, 1.0)
            sw = torch.where(mD > 0, 0.5 * (1.0 + torch.cos(math.pi * t)), torch.zeros_like(rs))
            em = torch.exp(-self.ma[ti, tj] * (rs - self.mr0[ti, tj]))
            morse = mD * ((1.0 - em) ** 2 - 1.0)
            buck = sw * morse + (1.0 - sw) * buck
        qq = self.ke * self.q[ti] * self.q[tj]
        coul = qq * (torch.erfc(self.alpha * rs) / rs - self.e_shift - rs * self.f_shift)
        e_edge = 0.5 * inside * (buck + coul)
        qa = self.q[types]
        e_self = -(0.5 * self.e_shift + self.alpha / math.sqrt(math.pi)) * self.ke * qa * qa
        atomic = e_self.index_add(0, i, e_edge)
        total = atomic.sum()
        grads = torch.autograd.grad([total], [pos, strain])
        gpos = grads[0]
        gstrain = grads[1]
        if gpos is None:
            gpos = torch.zeros_like(pos)
        if gstrain is None:
            gstrain = torch.zeros_like(strain)
        volume = torch.abs(torch.det(cell))
        out: Dict[str, torch.Tensor] = {}
        out["total_energy"] = total.reshape(1, 1).detach()
        out["atomic_energy"] = atomic.reshape(-1, 1).detach()
        out["forces"] = (-gpos).detach()
        out["stress"] = (gstrain / volume).reshape(1, 3, 3).detach()
        out["virial"] = (-gstrain).reshape(1, 3, 3).detach()
        return out


def cubic_cell(a, L):
    """Cs at the cage centre, Pb at the origin, I on the Pb-I-Pb bonds."""
    basis = [("Cs", (0.5, 0.5, 0.5)), ("Pb", (0, 0, 0)), ("I", (0.5, 0, 0)),
             ("I", (0, 0.5, 0)), ("I", (0, 0, 0.5))]
    el, pos = [], []
    for x in range(L):
        for y in range(L):
            for z in range(L):
                for e, f in basis:
                    el.append(e)
                    pos.append([(x + f[0]) * a, (y + f[1]) * a, (z + f[2]) * a])
    return el, pos


def brute_edges(pos, cell, rc):
    """All (i, j, shift) with |pos_j - pos_i + shift.cell| < rc (i != j or shift != 0)."""
    n = pos.shape[0]
    inv = torch.linalg.inv(cell)
    heights = 1.0 / torch.linalg.norm(inv, dim=0)
    m = [int(math.ceil(rc / h)) + 1 for h in heights.tolist()]
    ii, jj, ss = [], [], []
    for a in range(-m[0], m[0] + 1):
        for b in range(-m[1], m[1] + 1):
            for c in range(-m[2], m[2] + 1):
                s = torch.tensor([a, b, c], dtype=torch.float64)
                d = pos[None, :, :] - pos[:, None, :] + s @ cell
                r = torch.linalg.norm(d, dim=-1)
                ok = r < rc
                if a == 0 and b == 0 and c == 0:
                    ok &= ~torch.eye(n, dtype=torch.bool)
                idx = ok.nonzero()
                ii.append(idx[:, 0]); jj.append(idx[:, 1]); ss.append(s.expand(len(idx), 3))
    return torch.stack([torch.cat(ii), torch.cat(jj)]), torch.cat(ss)


def main():
    args = sys.argv[1:]
    params = os.path.join(HERE, "params.json")
    if "--params" in args:  # another parameter set (params_ma.json: the MA stand-in)
        k = args.index("--params")
        params = args[k + 1]
        del args[k:k + 2]
    with open(params) as f:
        p = json.load(f)
    model = torch.jit.script(BuckinghamDSF(p))
    if "--check" in args:
        names = p["type_names"]
        for a in [6.0 + 0.05 * k for k in range(17)]:
            el, pos = cubic_cell(a, 2)
            pos = torch.tensor(pos, dtype=torch.float64)
            cell = torch.eye(3, dtype=torch.float64) * 2 * a
            ei, sh = brute_edges(pos, cell, p["r_max_A"])
            out = model({"pos": pos, "cell": cell, "edge_index": ei, "edge_cell_shift": sh,
                         "atom_types": torch.tensor([names.index(e) for e in el])})
            s = out["stress"][0]
            print("a %.3f  E/atom %.6f eV  stress_xx %.4f GPa" %
                  (a, out["total_energy"].item() / len(el), s[0, 0].item() * 160.21766))
        return
    meta = {
        "nequip_version": "ionkmc-standin-1",
        "torch_version": torch.__version__,
        "r_max": str(float(p["r_max_A"])),
        "n_species": str(len(p["type_names"])),
        "type_names": " ".join(p["type_names"]),
        "_jit_bailout_depth": "2",
        "_jit_fusion_strategy": "DYNAMIC,3",
        "allow_tf32": "0",
        "model_dtype": "float64",
        "config": json.dumps(p, sort_keys=True),
    }
    # Test variants: --torch-version V records another exporting torch;
    # --drop KEY leaves a metadata key out.
    if "--torch-version" in args:
        k = args.index("--torch-version")
        meta["torch_version"] = args[k + 1]
        del args[k:k + 2]
    if "--float32" in args:  # a float32 model, as older nequip-deploy wrote them (no model_dtype key)
        args.remove("--float32")
        model = torch.jit.script(BuckinghamDSF(p).float())
        meta.pop("model_dtype")
    while "--drop" in args:
        k = args.index("--drop")
        meta.pop(args[k + 1])
        del args[k:k + 2]
    out = args[0] if args else os.path.join(HERE, "model.pth")
    torch.jit.save(model, out, _extra_files={k: v.encode("ascii") for k, v in meta.items()})
    print("wrote", out)


if __name__ == "__main__":
    main()
