# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""ASE integration: trajectories ASE can read as calibration input, passed to
the library one frame at a time, and ionkmc's structures as ase.Atoms.

    from ionkmc.ase import Frames
    rep = ionkmc.calibrate({500: Frames("run500.traj", frame_dt=0.01),
                            600: Frames("run600.traj", frame_dt=0.01)}, defect="V_I+")

Times: atoms.info["time"] or ["Time"] in ps (extxyz Time= lands there),
else frame index * frame_dt (ps). Elements Pb, I, C, N, H; every frame must
have the same atoms in the same order (ids 1..N) and a periodic cell.
"""
import ctypes
import itertools
import json
import os
import tempfile

import numpy as np

from . import _lib
from .errors import BadInput

_EL = {"Pb": 1, "I": 2, "C": 3, "N": 4, "H": 5}
_EINVAL = 1
_counter = itertools.count()


class Frames:
    """A re-iterable source of ase.Atoms frames for calibrate/compare.
    source: a file name (read lazily with ase.io.iread(source, index,
    format, **read_kw) on every pass), a list of Atoms, or a callable that
    returns a fresh iterator of Atoms."""

    def __init__(self, source, index=":", format=None, frame_dt=None, **read_kw):
        self.source, self.index, self.format, self.frame_dt, self.read_kw = source, index, format, frame_dt, read_kw
        self.name = None
        self._it = None
        self._keep = None
        self._k = 0
        self._cb = _lib.FRAME_FN(self._call)
        self._consumed_once = False

    def _iter(self):
        if isinstance(self.source, (str, os.PathLike)):
            import ase.io
            return ase.io.iread(self.source, index=self.index, format=self.format, **self.read_kw)
        if callable(self.source):
            return iter(self.source())
        if isinstance(self.source, (list, tuple)):
            return iter(self.source)
        # A one-shot iterator: only one pass.
        if self._consumed_once:
            raise BadInput("ionkmc.ase.Frames: this iterator was used already; pass a list, a file or a callable")
        self._consumed_once = True
        return iter(self.source)

    def _fill(self, atoms, fin):
        k = self._k
        sym = atoms.get_chemical_symbols()
        try:
            el = np.fromiter((_EL[s] for s in sym), dtype=np.uint8, count=len(sym))
        except KeyError as e:
            raise BadInput(f"frame {k}: element {e.args[0]!r} (expected Pb, I, C, N or H)")
        if not all(atoms.get_pbc()):
            raise BadInput(f"frame {k}: the cell must be periodic in x, y and z")
        x = np.ascontiguousarray(atoms.get_positions(), dtype=np.float64)
        t = atoms.info.get("time", atoms.info.get("Time"))
        if t is None:
            if not self.frame_dt:
                raise BadInput(f"frame {k}: no atoms.info['time'] (ps); give Frames(..., frame_dt=PS)")
            t = k * float(self.frame_dt)
        cell = np.asarray(atoms.get_cell(), dtype=np.float64)
        self._keep = (el, x)  # alive until the next call
        fin.natoms = len(sym)
        fin.time = float(t)
        for a in range(3):
            fin.origin[a] = 0.0
            for b in range(3):
                fin.cell[a][b] = cell[a, b]
        fin.id = None
        fin.element = el.ctypes.data
        fin.x = x.ctypes.data
        fin.image = None
        fin.f = None

    def _call(self, user, rewind, fin, err):
        try:
            if rewind:
                self._it, self._k, self._keep = self._iter(), 0, None
                return 0
            atoms = next(self._it, None)
            if atoms is None:
                self._keep = None
                fin.contents.natoms = 0
                return 0
            self._fill(atoms, fin.contents)
            self._k += 1
            return 0
        except BaseException as e:  # never let an exception unwind through C
            msg = f"{self.name}: {e.message if hasattr(e, 'message') else e}"
            err.contents.text = msg.encode()[:511]
            return _EINVAL

    def register(self):
        """Register under a fresh name ('mem:NAME' for the library)."""
        self.name = f"py{os.getpid()}-{next(_counter)}"
        e = _lib.Error()
        if _lib.lib.ionkmc_traj_register(self.name.encode(), self._cb, None, ctypes.byref(e)):
            raise BadInput(e.text.decode())
        return self

    def unregister(self):
        if self.name:
            _lib.lib.ionkmc_traj_unregister(self.name.encode())
        self._it = self._keep = None


def structure(defect=None, size=3, T=300.0, a=None, seed=1, a_site=None, b_site=None, x_site=None,
              ma_axis=None, catalog=None):
    """An ase.Atoms of a cubic ABX3 supercell (size^3 cells) from ionkmc's
    structure builder (`ionkmc structure`): full CH3NH3 molecules (C, N and
    3 H each) or point cations on the A sites, and the defects `defect`
    ("NAME" or "NAME@SITE", or a list of them; None: the perfect cell) at the
    lattice constant a, or the catalog's a(T) when a is None. The cell has
    been mapped back onto the lattice with calibrate's site assignment, and
    the builder's summary (counts, net charge, defect sites) is in
    atoms.info["ionkmc"]."""
    import ase.io
    args = ["structure", "--size", size, "--seed", seed, "--format", "extxyz"]
    if defect:
        args += ["--defect", defect if isinstance(defect, str) else ",".join(defect)]
    args += ["--a", a] if a is not None else ["--T", T]
    for opt, v in (("--a-site", a_site), ("--b-site", b_site), ("--x-site", x_site),
                   ("--ma-axis", ma_axis), ("--catalog", catalog)):
        if v is not None:
            args += [opt, v]
    with tempfile.TemporaryDirectory(prefix="ionkmc-py.") as d:
        p = os.path.join(d, "structure.xyz")
        summary = _lib.command(args + ["--out", p])
        atoms = ase.io.read(p, index=0, format="extxyz")
    atoms.set_pbc(True)
    if summary:
        atoms.info["ionkmc"] = json.loads(summary)
    return atoms
