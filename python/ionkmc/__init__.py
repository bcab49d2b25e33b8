# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""ionkmc from Python: kinetic Monte Carlo of ion migration in MAPbI3.

Pure Python over libionkmc.so (ctypes); each call runs the same code as the
command line program, so the results are the program's JSON for the same
options and seed, as dicts with numeric lists turned into numpy arrays
(raw=True gives the JSON text itself).

    import ionkmc
    r = ionkmc.run(defects="V_I+", T=350, size=6, runs=32, seed=1)
    r["results"][0]["D_species"]["mean"]          # cm^2/s

Options are the command's long options with '_' for '-' (barrier_shift=...);
True gives a flag, None or False leaves it out, lists are joined with commas;
catalog= takes a Catalog or a path. Errors raise ionkmc.BadInput /
ionkmc.InternalError with the library's message; the GIL is released during
a call and Ctrl-C (KeyboardInterrupt) stops it at the next trajectory or MD
frame.
"""
import json
import os
import tempfile

import numpy as np

from . import _lib
from .catalog import Catalog
from .errors import BadInput, Cancelled, InternalError, IonkmcError

__all__ = ["run", "sweep", "calibrate", "compare", "command", "version", "Catalog", "IonkmcError",
           "BadInput", "InternalError", "Cancelled"]

command = _lib.command
version = _lib.version


def _arrays(obj):
    """Lists of numbers (nested, rectangular) become numpy arrays; null in
    them becomes NaN. Dicts and other values keep their JSON shape."""
    if isinstance(obj, dict):
        return {k: _arrays(v) for k, v in obj.items()}
    if isinstance(obj, list):
        def numeric(x):
            if isinstance(x, list):
                return all(numeric(y) for y in x)
            return x is None or (isinstance(x, (int, float)) and not isinstance(x, bool))
        if obj and numeric(obj):
            try:
                a = np.array([np.nan if v is None else v for v in obj] if not isinstance(obj[0], list) else
                             [[np.nan if v is None else v for v in row] for row in obj])
                if a.dtype != object:
                    return a
            except ValueError:
                pass
        return [_arrays(v) for v in obj]
    return obj


class _Args:
    """Builds an argument vector; owns the temporary files it needs."""

    def __init__(self, cmd):
        self.argv = [cmd]
        self.tmp = tempfile.TemporaryDirectory(prefix="ionkmc-py.")

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def add(self, name, value):
        if value is None or value is False:
            return
        opt = "--" + name.replace("_", "-")
        if value is True:
            self.argv.append(opt)
            return
        if isinstance(value, Catalog):
            p = self.path(f"catalog{len(self.argv)}.json")
            value.save(p)
            value = p
        elif isinstance(value, (list, tuple, np.ndarray)):
            value = ",".join(str(v) for v in value)
        self.argv += [opt, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]

    def options(self, opts):
        for k, v in opts.items():
            self.add(k, v)


def _finish(cmd, a, raw):
    text = command(a.argv)
    return text if raw else _arrays(json.loads(text))


def run(defects=None, T=None, *, raw=False, **options):
    """ionkmc run: D_species, D_defect, f, ... of each defect at T (K).
    defects: a name or a list ('V_I+', ['V_I+', 'I_I-']); box='V_I+=2,I_I-=1'
    for one mixed box; size, runs, hops, time, seed, threads, a,
    barrier_shift, field=(Ex, Ey, Ez), catalog, msd=True."""
    a = _Args("run")
    a.add("defect", defects)
    a.add("T", T)
    a.options(options)
    try:
        return _finish("run", a, raw)
    finally:
        a.tmp.cleanup()


def sweep(*, raw=False, **options):
    """ionkmc sweep over the cartesian product: T, size, defect,
    barrier_shift as lists or 'lo:hi:step' strings."""
    a = _Args("sweep")
    if "defects" in options:
        options["defect"] = options.pop("defects")
    a.options(options)
    try:
        return _finish("sweep", a, raw)
    finally:
        a.tmp.cleanup()


def _md_args(a, md, sources):
    """md: {T: source or [sources]} or [(T, source), ...]. A source is a file
    path (LAMMPS dump, extxyz, H5MD: read by the library) or frames from
    memory (ionkmc.ase.Frames, or any list of ase.Atoms), pushed one at a
    time."""
    items = []
    if isinstance(md, dict):
        for T, src in md.items():
            for s in (src if isinstance(src, (list, tuple)) and not _is_frames(src) else [src]):
                items.append((T, s))
    else:
        items = list(md)
    for T, src in items:
        if isinstance(src, (str, os.PathLike)):
            a.argv += ["--md", f"{T}:{os.fspath(src)}"]
        else:
            from . import ase as _ase
            fs = src if isinstance(src, _ase.Frames) else _ase.Frames(src)
            sources.append(fs.register())
            a.argv += ["--md", f"{T}:mem:{sources[-1].name}"]


def _is_frames(x):
    return bool(x) and all(hasattr(v, "get_positions") for v in x)


def calibrate(md, defect, *, out=None, raw=False, **options):
    """ionkmc calibrate: a rate catalog from MD runs. Returns the report (the
    --report JSON) with report['catalog'] the calibrated Catalog (also
    written to out when given). types='1=Pb,2=I,3=C,4=N' for LAMMPS types;
    neb=path, use_neb=True, fit_a=True, predict=[300], events=path, ..."""
    a = _Args("calibrate")
    a.add("defect", defect)
    sources = []
    try:
        _md_args(a, md, sources)
        cat_path = os.fspath(out) if out is not None else a.path("catalog.json")
        a.add("out", cat_path)
        a.options(options)
        text = command(a.argv)
        if raw:
            return text
        rep = _arrays(json.loads(text))
        rep["catalog"] = Catalog.load(cat_path)
        return rep
    finally:
        for s in sources:
            s.unregister()
        a.tmp.cleanup()


def compare(md, catalog, defect, *, raw=False, **options):
    """ionkmc compare: the KMC with catalog against the MD runs md, at the MD
    temperatures (runs, time_factor, seed, ...)."""
    a = _Args("compare")
    a.add("defect", defect)
    sources = []
    try:
        _md_args(a, md, sources)
        a.add("catalog", catalog)
        a.options(options)
        return _finish("compare", a, raw)
    finally:
        for s in sources:
            s.unregister()
        a.tmp.cleanup()
