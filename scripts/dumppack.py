#!/usr/bin/python3
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Lossless compact storage of LAMMPS text dumps with a fixed atom set.

A dump of N atoms sorted by id, all frames alike except the time step and the
positions ("ITEM: ATOMS id type xu yu zu", positions written with a fixed
number of decimals), is stored as the text of its first frame's header and
atom columns, the list of time steps, and the positions as integers in units
of the last decimal, differenced along time and laid out atom by atom
(each coordinate's time series contiguous), the whole compressed with xz.
Signed zeros ("-0.0") are kept in a list of their places. `unpack` writes
the dump back byte for byte; `pack` checks that before it writes anything.

Usage:
  dumppack.py pack DUMP[.gz] OUT.dpk      (OUT holds the packed dump)
  dumppack.py unpack IN.dpk OUT.dump      (the original text, exactly)
Exit 0 on success, 2 on input it cannot represent (it says why).
"""
import gzip
import io
import lzma
import os
import struct
import sys

import numpy as np

MAGIC = b"IONKMC-DUMPPACK 1\n"


def fail(msg):
    sys.stderr.write("dumppack: " + msg + "\n")
    sys.exit(2)


def read_text(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        return f.read().decode("ascii")


def parse(text, path):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        fail("%s: does not end with a line break" % path)
    if len(lines) < 9 or lines[0] != "ITEM: TIMESTEP" or lines[2] != "ITEM: NUMBER OF ATOMS":
        fail("%s: line 1: expected a LAMMPS text dump (ITEM: TIMESTEP)" % path)
    n = int(lines[3])
    fl = 9 + n
    if len(lines) % fl:
        fail("%s: %d lines is not a whole number of %d-line frames" % (path, len(lines), fl))
    nf = len(lines) // fl
    head = lines[2:9]
    if not head[6].startswith("ITEM: ATOMS"):
        fail("%s: line 9: expected ITEM: ATOMS" % path)
    first = [ln.split(" ") for ln in lines[9:fl]]
    ncol = len(first[0])
    lead = [" ".join(t[: ncol - 3]) for t in first]
    dec = None
    steps = []
    ints = np.empty((nf, n, 3), dtype=np.int64)
    negz = []
    for k in range(nf):
        base = k * fl
        if lines[base] != "ITEM: TIMESTEP" or lines[base + 2 : base + 9] != head:
            fail("%s: line %d: frame %d's header differs from frame 0's (only the time step may change)"
                 % (path, base + 1, k))
        steps.append(lines[base + 1])
        for i in range(n):
            t = lines[base + 9 + i].split(" ")
            if len(t) != ncol or " ".join(t[: ncol - 3]) != lead[i]:
                fail("%s: line %d: the atom's leading columns differ from frame 0's" % (path, base + 10 + i))
            for c in range(3):
                s = t[ncol - 3 + c]
                d = len(s) - s.index(".") - 1 if "." in s else 0
                if dec is None:
                    dec = d
                if d != dec:
                    fail("%s: line %d: %r has %d decimals, expected %d" % (path, base + 10 + i, s, d, dec))
                v = int(s.replace(".", ""))
                if v == 0 and s.startswith("-"):
                    negz.append((k * n + i) * 3 + c)
                ints[k, i, c] = v
    return head, lead, dec, steps, ints, negz


def fmt(v, dec):
    s = "%d" % abs(v)
    if dec:
        s = s.rjust(dec + 1, "0")
        s = s[:-dec] + "." + s[-dec:]
    return ("-" if v < 0 else "") + s


def render(head, lead, dec, steps, ints, negz):
    nf, n, _ = ints.shape
    neg = set(negz)
    out = io.StringIO()
    for k in range(nf):
        out.write("ITEM: TIMESTEP\n%s\n" % steps[k])
        out.write("\n".join(head) + "\n")
        for i in range(n):
            vals = []
            for c in range(3):
                v = int(ints[k, i, c])
                s = fmt(v, dec)
                if v == 0 and (k * n + i) * 3 + c in neg:
                    s = "-" + s
                vals.append(s)
            out.write(lead[i] + " " + " ".join(vals) + "\n")
    return out.getvalue()


def pack(src, dst):
    text = read_text(src)
    head, lead, dec, steps, ints, negz = parse(text, src)
    if render(head, lead, dec, steps, ints, negz) != text:
        fail("%s: the packed form would not give the file back byte for byte" % src)
    nf, n, _ = ints.shape
    d = np.diff(ints, axis=0, prepend=np.zeros((1, n, 3), dtype=np.int64))
    if np.abs(d).max() >= 2**31:
        fail("%s: a position step does not fit 32 bits" % src)
    cols = np.ascontiguousarray(d.transpose(1, 2, 0)).astype("<i4")
    meta = "\n".join(["%d %d %d %d" % (nf, n, dec, len(negz))] + head + lead + steps) + "\n"
    body = (struct.pack("<I", len(meta)) + meta.encode("ascii") + np.asarray(negz, dtype="<i8").tobytes()
            + cols.tobytes())
    data = MAGIC + lzma.compress(body, preset=9 | lzma.PRESET_EXTREME)
    with open(dst + ".tmp", "wb") as f:
        f.write(data)
    os.replace(dst + ".tmp", dst)


def unpack(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    if not data.startswith(MAGIC):
        fail("%s: not a packed dump (expected the header %r)" % (src, MAGIC.decode().strip()))
    body = lzma.decompress(data[len(MAGIC):])
    (ml,) = struct.unpack("<I", body[:4])
    meta = body[4 : 4 + ml].decode("ascii").split("\n")
    nf, n, dec, nneg = (int(x) for x in meta[0].split())
    head = meta[1:8]
    lead = meta[8 : 8 + n]
    steps = meta[8 + n : 8 + n + nf]
    off = 4 + ml
    negz = np.frombuffer(body[off : off + 8 * nneg], dtype="<i8").tolist()
    off += 8 * nneg
    cols = np.frombuffer(body[off:], dtype="<i4").reshape(n, 3, nf)
    ints = np.cumsum(cols.astype(np.int64), axis=2).transpose(2, 0, 1)
    text = render(head, lead, dec, steps, ints, negz)
    with open(dst + ".tmp", "w") as f:
        f.write(text)
    os.replace(dst + ".tmp", dst)


def main(argv):
    if len(argv) != 4 or argv[1] not in ("pack", "unpack"):
        sys.stderr.write(__doc__)
        return 2
    (pack if argv[1] == "pack" else unpack)(argv[2], argv[3])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
