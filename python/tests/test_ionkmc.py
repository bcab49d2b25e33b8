# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the Python package (Debian's python3, numpy, ASE).

Environment: IONKMC_LIBRARY (libionkmc.so) and IONKMC_BIN (the program), set
by tests/cli_python.sh. The program's JSON for the same options and seed is
the reference for every command.
"""
import _thread
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest
import weakref

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import ionkmc  # noqa: E402
from ionkmc.ase import Frames, structure  # noqa: E402

BIN = os.environ.get("IONKMC_BIN", os.path.join(os.path.dirname(__file__), "..", "..", "build", "ionkmc"))
TY = "1=Pb,2=I,3=C,4=N"
HOP = ["--dwell", "0.02", "--window", "0", "--no-sensitivity"]


def cli(*args):
    """Run the program; return its stdout (raises on a non-zero exit)."""
    return subprocess.run([BIN, *map(str, args)], check=True, capture_output=True, text=True).stdout


def nocmd(text):
    """JSON text without its "command" line: the command line the result
    records is the program's argv, or the API's own."""
    return "".join(line for line in text.splitlines(True) if not line.startswith('  "command": '))


def drop_command(obj):
    """The JSON without its top-level "command" (see nocmd)."""
    return {k: v for k, v in obj.items() if k != "command"}


def drop_files(obj):
    """The JSON with the 'file' fields (trajectory names) and the command line removed."""
    if isinstance(obj, dict):
        return {k: drop_files(v) for k, v in obj.items() if k not in ("file", "command")}
    if isinstance(obj, list):
        return [drop_files(v) for v in obj]
    return obj


class Tmp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._d = tempfile.TemporaryDirectory(prefix="ionkmc-pytest.")
        cls.d = cls._d.name

    @classmethod
    def tearDownClass(cls):
        cls._d.cleanup()

    def p(self, name):
        return os.path.join(self.d, name)


class TestRunSweep(Tmp):
    def test_run_equals_cli(self):
        opts = dict(defects=["V_I+", "I_I-"], T=450, size=4, runs=6, hops=3000, seed=11, threads=2)
        text = ionkmc.run(raw=True, **opts)
        cli("run", "--defect", "V_I+,I_I-", "--T", 450, "--size", 4, "--runs", 6, "--hops", 3000, "--seed", 11,
            "--threads", 2, "--quiet", "--json", self.p("run.json"))
        with open(self.p("run.json")) as fp:
            self.assertEqual(nocmd(text), nocmd(fp.read()))
        r = ionkmc.run(**opts)
        want = json.loads(text)
        self.assertEqual(r["seed"], 11)
        self.assertEqual([x["defect"] for x in r["results"]], ["V_I+", "I_I-"])
        ci = r["results"][0]["D_species"]["ci95"]
        self.assertIsInstance(ci, np.ndarray)
        np.testing.assert_array_equal(ci, want["results"][0]["D_species"]["ci95"])
        self.assertEqual(r["results"][1]["D_species"]["mean"], want["results"][1]["D_species"]["mean"])

    def test_other_seed_differs(self):
        a = ionkmc.run(defects="V_I+", T=450, size=4, runs=4, hops=2000, seed=1, raw=True)
        b = ionkmc.run(defects="V_I+", T=450, size=4, runs=4, hops=2000, seed=2, raw=True)
        self.assertNotEqual(a, b)

    def test_sweep_equals_cli(self):
        text = ionkmc.sweep(T=[400, 500], defects="V_I+", size=4, runs=3, hops=2000, seed=5, raw=True)
        cli("sweep", "--T", "400,500", "--defect", "V_I+", "--size", 4, "--runs", 3, "--hops", 2000, "--seed", 5,
            "--csv", self.p("s.csv"), "--json", self.p("s.json"))
        with open(self.p("s.json")) as fp:
            self.assertEqual(nocmd(text), nocmd(fp.read()))

    def test_bad_input_is_an_exception_with_the_message(self):
        with self.assertRaises(ionkmc.BadInput) as cm:
            ionkmc.run(T=-5)
        self.assertEqual(cm.exception.status, 2)
        self.assertIn("--T: expected a temperature in [1, 3000] K", str(cm.exception))
        with self.assertRaises(ionkmc.BadInput) as cm:
            ionkmc.run(defects="V_X")
        self.assertIn("unknown defect 'V_X'", cm.exception.message)
        with self.assertRaises(ionkmc.BadInput) as cm:
            ionkmc.command(["run", "--json", "x.json"])
        self.assertIn("set by the API", cm.exception.message)

    def test_interrupt_stops_the_run_and_the_next_run_works(self):
        # About 200 s of work; the interrupt comes from another Python
        # thread, which can only run while the call has released the GIL.
        timer = threading.Timer(0.3, _thread.interrupt_main)
        timer.start()
        with self.assertRaises(KeyboardInterrupt) as cm:
            ionkmc.run(defects="V_I+", T=600, size=8, runs=2000, hops=100000, seed=3, threads=2)
        timer.cancel()
        self.assertIn("cancelled", str(cm.exception))
        r = ionkmc.run(defects="V_I+", T=500, size=4, runs=2, hops=1000, seed=1)
        self.assertEqual(r["results"][0]["runs"], 2)


class TestCatalog(Tmp):
    def test_default_edit_save_load_run(self):
        c = ionkmc.Catalog.default()
        self.assertIn("V_I+", c.defects())
        c["V_I+"]["Eb"] = 0.2
        c["V_I+"]["source"] = "user"
        # the paper's uncertainty no longer describes the edited entry (and
        # the library refuses values that differ from the entry's own)
        del c["V_I+"]["uncertainty"]
        c.validate()
        c.save(self.p("c.json"))
        back = ionkmc.Catalog.load(self.p("c.json"))
        self.assertEqual(back["V_I+"]["Eb"], 0.2)
        # A run with the object = the program with the saved file.
        text = ionkmc.run(defects="V_I+", T=500, size=4, runs=3, hops=2000, seed=4, catalog=c, raw=True)
        cli("run", "--defect", "V_I+", "--T", 500, "--size", 4, "--runs", 3, "--hops", 2000, "--seed", 4,
            "--catalog", self.p("c.json"), "--quiet", "--json", self.p("r.json"))
        with open(self.p("r.json")) as fp:
            ref = json.load(fp)
        got = json.loads(text)
        self.assertNotEqual(got["catalog"], "")
        self.assertEqual(drop_files(got["results"]), drop_files(ref["results"]))
        base = ionkmc.run(defects="V_I+", T=500, size=4, runs=3, hops=2000, seed=4)
        self.assertNotEqual(base["results"][0]["sim_time_s"], got["results"][0]["sim_time_s"])

    def test_library_validation_messages(self):
        c = ionkmc.Catalog.default()
        c["V_I+"]["Eb"] = -1
        with self.assertRaises(ionkmc.BadInput) as cm:
            c.validate()
        self.assertIn("Eb: expected a barrier >= 0 eV", cm.exception.message)
        with open(self.p("keep.json"), "w") as fp:
            fp.write("original\n")
        with self.assertRaises(ionkmc.BadInput):
            c.save(self.p("keep.json"))
        with open(self.p("keep.json")) as fp:
            self.assertEqual(fp.read(), "original\n")
        c = ionkmc.Catalog.default()
        c["V_I+"]["mechanism"] = "double_bridge"
        self.assertRaises(ionkmc.BadInput, c.validate)
        with self.assertRaises(ionkmc.BadInput):
            ionkmc.Catalog.load(self.p("keep.json"))


class TestCalibrate(Tmp):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for T, rate, stream in ((500, 6e10, 0), (600, 1e11, 1)):
            cli("synth", "--defect", "V_I+", "--T", T, "--rate", rate, "--frames", 800, "--stream", stream,
                "--format", "extxyz", "--out", os.path.join(cls.d, f"a{T}.xyz"))

    def md(self):
        return {500: self.p("a500.xyz"), 600: self.p("a600.xyz")}

    def test_calibrate_equals_cli_and_ase_frames_equal_files(self):
        text = ionkmc.calibrate(self.md(), "V_I+", types=TY, dwell=0.02, window=0, no_sensitivity=True, raw=True)
        cli("calibrate", "--md", f"500:{self.p('a500.xyz')}", "--md", f"600:{self.p('a600.xyz')}", "--defect",
            "V_I+", "--types", TY, *HOP, "--out", self.p("cat.json"), "--report", self.p("rep.json"), "--quiet")
        with open(self.p("rep.json")) as fp:
            ref = json.load(fp)
        self.assertEqual(drop_command(json.loads(text)), drop_command(ref))
        # The same frames read by ASE and pushed one at a time.
        rep = ionkmc.calibrate({500: Frames(self.p("a500.xyz")), 600: Frames(self.p("a600.xyz"))}, "V_I+",
                               dwell=0.02, window=0, no_sensitivity=True, out=self.p("cat_ase.json"))
        self.assertIsInstance(rep["catalog"], ionkmc.Catalog)
        got = json.loads(ionkmc.calibrate({500: Frames(self.p("a500.xyz")), 600: Frames(self.p("a600.xyz"))},
                                          "V_I+", dwell=0.02, window=0, no_sensitivity=True, raw=True))
        self.assertEqual(drop_files(got), drop_files(ref))
        self.assertTrue(all(t["count"] > 0 for t in ref["calibration"]["temperatures"]))
        self.assertEqual(rep["catalog"]["V_I+"]["Eb"], ionkmc.Catalog.load(self.p("cat.json"))["V_I+"]["Eb"])

    def test_ase_native_trajectory(self):
        # ASE's own .traj format (no times stored: frame_dt gives them).
        import ase.io
        for T in (500, 600):
            frames = list(ase.io.iread(self.p(f"a{T}.xyz"), index=":"))
            for a in frames:
                a.info.clear()
            ase.io.write(self.p(f"a{T}.traj"), frames)
        got = ionkmc.calibrate({500: Frames(self.p("a500.traj"), frame_dt=0.01),
                                600: Frames(self.p("a600.traj"), frame_dt=0.01)}, "V_I+", dwell=0.02, window=0,
                               no_sensitivity=True, raw=True)
        ref = ionkmc.calibrate(self.md(), "V_I+", types=TY, dwell=0.02, window=0, no_sensitivity=True, raw=True)
        self.assertEqual(drop_files(json.loads(got)), drop_files(json.loads(ref)))

    def test_frames_stream_one_at_a_time(self):
        import ase.io
        alive = [0]
        peak = [0]

        def gone():
            alive[0] -= 1

        def frames(path):
            def gen():
                for atoms in ase.io.iread(path, index=":"):
                    weakref.finalize(atoms, gone)
                    alive[0] += 1
                    peak[0] = max(peak[0], alive[0])
                    yield atoms
            return gen

        ionkmc.calibrate({500: Frames(frames(self.p("a500.xyz"))), 600: Frames(frames(self.p("a600.xyz")))},
                         "V_I+", dwell=0.02, window=0, no_sensitivity=True)
        gc.collect()
        self.assertLessEqual(peak[0], 2)  # the frame being handed over and at most the previous one

    def test_frame_errors(self):
        import ase.io
        frames = list(ase.io.iread(self.p("a500.xyz"), index="0:50"))
        for a in frames:
            a.info.pop("Time")
        with self.assertRaises(ionkmc.BadInput) as cm:
            ionkmc.calibrate({500: frames, 600: self.p("a600.xyz")}, "V_I+", types=TY)
        self.assertIn("frame 0: no atoms.info['time'] (ps); give Frames(..., frame_dt=PS)", cm.exception.message)
        bad = frames[0].copy()
        bad[0].symbol = "Cs"
        with self.assertRaises(ionkmc.BadInput) as cm:
            ionkmc.calibrate({500: Frames([bad], frame_dt=0.01), 600: self.p("a600.xyz")}, "V_I+", types=TY)
        self.assertIn("element 'Cs' (expected Pb, I, C, N or H)", cm.exception.message)

    def test_compare_equals_cli(self):
        cli("calibrate", "--md", f"500:{self.p('a500.xyz')}", "--md", f"600:{self.p('a600.xyz')}", "--defect",
            "V_I+", "--types", TY, *HOP, "--out", self.p("cat2.json"), "--quiet")
        text = ionkmc.compare(self.md(), self.p("cat2.json"), "V_I+", types=TY, dwell=0.02, window=0, runs=3,
                              time_factor=1, seed=9, raw=True)
        cli("compare", "--md", f"500:{self.p('a500.xyz')}", "--md", f"600:{self.p('a600.xyz')}", "--defect",
            "V_I+", "--types", TY, "--dwell", 0.02, "--window", 0, "--catalog", self.p("cat2.json"), "--runs", 3,
            "--time-factor", 1, "--seed", 9, "--quiet", "--json", self.p("cmp.json"))
        with open(self.p("cmp.json")) as fp:
            self.assertEqual(nocmd(text), nocmd(fp.read()))
        # Catalog object and ASE frames give the same comparison.
        got = ionkmc.compare({500: Frames(self.p("a500.xyz")), 600: Frames(self.p("a600.xyz"))},
                             ionkmc.Catalog.load(self.p("cat2.json")), "V_I+", dwell=0.02, window=0, runs=3,
                             time_factor=1, seed=9, raw=True)
        self.assertEqual(drop_files(json.loads(got)), drop_files(json.loads(text)))


class TestStructure(unittest.TestCase):
    def test_structure(self):
        at = structure("V_I+", size=3, T=300)
        # 27 MA (C, N, 3 H each), 27 Pb, 81 - 1 I
        self.assertEqual(at.get_chemical_formula(), "C27H162I80N27Pb27")
        self.assertTrue(all(at.get_pbc()))
        a = at.cell.lengths()[0] / 3
        self.assertAlmostEqual(a, 6.354 + 2.3e-4 * (300 - 500), places=3)
        self.assertEqual(at.info["ionkmc"]["net_charge"], 1)
        at2 = structure(["I_I-"], size=2, a=6.4, a_site="Cs")
        self.assertEqual(at2.get_chemical_formula(), "Cs8I25Pb8")
        self.assertAlmostEqual(at2.cell.lengths()[0], 12.8, places=6)
        # every C-N distance is a bond of one molecule
        perfect = structure(size=2, a=6.3)
        c = [i for i, s in enumerate(perfect.get_chemical_symbols()) if s == "C"]
        n = [i for i, s in enumerate(perfect.get_chemical_symbols()) if s == "N"]
        d = perfect.get_all_distances(mic=True)
        for i in c:
            self.assertAlmostEqual(min(d[i][j] for j in n), 1.47, places=2)


if __name__ == "__main__":
    unittest.main()
