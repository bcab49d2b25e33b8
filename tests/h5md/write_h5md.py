#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write an extended-XYZ trajectory as H5MD (h5py), for the reader's tests.

usage: write_h5md.py MODE IN.xyz OUT.h5md

MODE ase:   frames read with ASE (ase.io.iread), element names as strings,
            positions in angstrom as ASE has them, a fixed [3][3] box, times
            in ps (position/time [frames]).
MODE plain: frames parsed here without ASE; positions in nm, wrapped into the
            box with image flags (image/value), species as integers
            (1 Pb, 2 I, 3 C, 4 N: give --types to ionkmc), a time-dependent
            orthorhombic box (box/edges/value [frames][3]), a box offset, and
            the time as a scalar interval in fs with an offset attribute.
Both write one frame at a time into resizable datasets.
"""
import sys

import h5py
import numpy as np


def frames_ase(path):
    import ase.io
    for atoms in ase.io.iread(path, index=":", format="extxyz"):
        yield (atoms.get_chemical_symbols(), atoms.get_positions(), np.array(atoms.get_cell()),
               float(atoms.info["Time"]))


def frames_plain(path):
    with open(path) as fp:
        while True:
            head = fp.readline()
            if not head.strip():
                return
            n = int(head)
            comment = fp.readline()
            lat = comment.split('Lattice="')[1].split('"')[0].split()
            cell = np.array([float(v) for v in lat]).reshape(3, 3)
            t = float(comment.split("Time=")[1].split()[0])
            sym, pos = [], np.empty((n, 3))
            for i in range(n):
                w = fp.readline().split()
                sym.append(w[0])
                pos[i] = [float(v) for v in w[1:4]]
            yield sym, pos, cell, t


def main():
    mode, src, dst = sys.argv[1:4]
    frames = frames_ase(src) if mode == "ase" else frames_plain(src)
    with h5py.File(dst, "w") as f:
        f.attrs["version"] = np.array([1, 1])
        h = f.create_group("h5md")
        h.attrs["version"] = np.array([1, 1])
        h.create_group("author").attrs["name"] = "ionkmc tests"
        g = f.create_group("particles/all")
        box = g.create_group("box")
        box.attrs["dimension"] = 3
        box.attrs["boundary"] = np.array([b"periodic"] * 3)
        pos = g.create_group("position")
        t0 = None
        for k, (sym, x, cell, t) in enumerate(frames):
            n = len(sym)
            if k == 0:
                if mode == "ase":
                    g.create_dataset("species", data=np.array(sym, dtype="S2"))
                    box.create_dataset("edges", data=cell)
                    pv = pos.create_dataset("value", shape=(0, n, 3), maxshape=(None, n, 3), dtype="f8")
                    pv.attrs["unit"] = "angstrom"
                    pt = pos.create_dataset("time", shape=(0,), maxshape=(None,), dtype="f8")
                    pt.attrs["unit"] = "ps"
                else:
                    codes = {"Pb": 1, "I": 2, "C": 3, "N": 4}
                    g.create_dataset("species", data=np.array([codes[s] for s in sym], dtype="i4"))
                    ev = box.create_group("edges").create_dataset("value", shape=(0, 3), maxshape=(None, 3),
                                                                  dtype="f8")
                    ev.attrs["unit"] = "nm"
                    origin = np.array([-0.5, 0.25, 1.0])  # angstrom
                    box.create_dataset("offset", data=origin / 10)
                    pv = pos.create_dataset("value", shape=(0, n, 3), maxshape=(None, n, 3), dtype="f8")
                    pv.attrs["unit"] = "nm"
                    iv = g.create_group("image").create_dataset("value", shape=(0, n, 3), maxshape=(None, n, 3),
                                                                dtype="i4")
                    t0 = t
            pv.resize(k + 1, axis=0)
            if mode == "ase":
                pv[k] = x
                pt.resize(k + 1, axis=0)
                pt[k] = t
            else:
                L = np.diag(cell)
                img = np.floor((x - origin) / L).astype(np.int32)
                pv[k] = (x - img * L) / 10
                iv.resize(k + 1, axis=0)
                iv[k] = img
                ev.resize(k + 1, axis=0)
                ev[k] = L / 10
                if k == 1:
                    dt = t - t0
        if mode != "ase":
            # A fixed interval: the source's frame times are k * dt exactly.
            tt = pos.create_dataset("time", data=dt * 1000.0)
            tt.attrs["unit"] = "fs"
            tt.attrs["offset"] = t0 * 1000.0


if __name__ == "__main__":
    main()
