# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rate catalogs as objects: load, edit, validate and save through the
library's own parser (barriers/catalog.c), schema ionkmc-catalog/1."""
import copy
import ctypes
import json
import os
import tempfile

from . import _lib
from .errors import BadInput, InternalError

_ENOMEM = 2


def _from_ptr(ptr, err, status, what):
    if not ptr:
        if status.value == _ENOMEM:
            raise InternalError(f"{what}: {err.text.decode()}", 1)
        raise BadInput(err.text.decode(), 2)
    try:
        return json.loads(_lib.take_string(_lib.lib.ionkmc_catalog_dumps(ptr)))
    finally:
        _lib.lib.ionkmc_catalog_free(ptr)


class Catalog:
    """A rate catalog. .doc is the JSON document as a dict (edit it freely, or
    through .entry(defect)); validate() checks it with the library's parser
    and raises BadInput with its message."""

    def __init__(self, doc):
        self.doc = copy.deepcopy(doc)

    @classmethod
    def default(cls):
        """The embedded default catalog (the paper's Table 2 barriers)."""
        err = _lib.Error()
        ptr = _lib.lib.ionkmc_catalog_alloc_default(ctypes.byref(err))
        return cls(_from_ptr(ptr, err, ctypes.c_int(_ENOMEM if not ptr else 0), "default catalog"))

    @classmethod
    def load(cls, path):
        """Read and validate a catalog file."""
        err, st = _lib.Error(), ctypes.c_int(0)
        ptr = _lib.lib.ionkmc_catalog_alloc_file(os.fsencode(path), ctypes.byref(err), ctypes.byref(st))
        return cls(_from_ptr(ptr, err, st, str(path)))

    @classmethod
    def from_json(cls, text):
        return cls(json.loads(text))

    @property
    def name(self):
        return self.doc.get("name")

    @property
    def entries(self):
        return self.doc.setdefault("entries", [])

    def entry(self, defect):
        """The entry (a dict, edited in place) of a defect name such as 'V_I+'."""
        for e in self.entries:
            if e.get("defect") == defect:
                return e
        raise KeyError(f"catalog has no entry for {defect!r}")

    __getitem__ = entry

    def defects(self):
        return [e.get("defect") for e in self.entries]

    def to_json(self, indent=2):
        return json.dumps(self.doc, indent=indent)

    def validate(self):
        """Check the document with the library's parser; returns self, or
        raises BadInput with the library's message (naming the field)."""
        err, st = _lib.Error(), ctypes.c_int(0)
        ptr = _lib.lib.ionkmc_catalog_alloc_string(json.dumps(self.doc).encode(), b"catalog",
                                                   ctypes.byref(err), ctypes.byref(st))
        _from_ptr(ptr, err, st, "catalog")
        return self

    def save(self, path):
        """Validate, then write the catalog atomically (a temporary file in
        the same directory renamed into place); an invalid catalog leaves
        the existing file untouched."""
        self.validate()
        path = os.fspath(path)
        d = os.path.dirname(os.path.abspath(path))
        fd, tmp = tempfile.mkstemp(prefix=".ionkmc-catalog.", dir=d)
        try:
            with os.fdopen(fd, "w") as fp:
                fp.write(self.to_json() + "\n")
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def __repr__(self):
        return f"Catalog({self.name!r}, defects={self.defects()})"
