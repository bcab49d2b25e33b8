# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""ctypes bindings of libionkmc (cli/api.h, barriers/catalog.h, calibration/traj.h).

The library is found, in this order: the path in $IONKMC_LIBRARY; the in-tree
build (build/libionkmc.so next to this package's python/ folder);
libionkmc.so.0 of the prefix this package was installed into
(<prefix>/lib); libionkmc.so.0 on the loader's path (ldconfig,
$LD_LIBRARY_PATH).
"""
import ctypes
import os
import threading

from .errors import BadInput, Cancelled, IonkmcError, InternalError

_here = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("IONKMC_LIBRARY")
    if env:
        yield env
        return
    yield os.path.join(_here, "..", "..", "build", "libionkmc.so")
    # <prefix>/lib/python3/dist-packages/ionkmc -> <prefix>/lib/libionkmc.so.0
    yield os.path.join(_here, "..", "..", "..", "libionkmc.so.0")
    yield "libionkmc.so.0"


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append(f"{path}: no such file")
            continue
        try:
            return ctypes.CDLL(path)  # CDLL: the GIL is released during calls
        except OSError as e:
            errors.append(str(e))
    raise ImportError("ionkmc: cannot load libionkmc.so (set IONKMC_LIBRARY): " + "; ".join(errors))


lib = _load()

lib.ionkmc_api_command.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p),
                                   ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
lib.ionkmc_api_command.restype = ctypes.c_int
lib.ionkmc_api_cancel.argtypes = []
lib.ionkmc_api_cancel.restype = None
lib.ionkmc_api_free.argtypes = [ctypes.c_void_p]
lib.ionkmc_api_free.restype = None
lib.ionkmc_api_version.argtypes = []
lib.ionkmc_api_version.restype = ctypes.c_char_p
lib.ionkmc_init.argtypes = []
lib.ionkmc_init.restype = ctypes.c_int
# The process-wide settings of the library (base/init.h: GSL's aborting
# error handler off), once, when the package is imported.
lib.ionkmc_init()


class Error(ctypes.Structure):
    """ionkmc_error: one line of text."""
    _fields_ = [("text", ctypes.c_char * 512)]


lib.ionkmc_catalog_alloc_default.argtypes = [ctypes.POINTER(Error)]
lib.ionkmc_catalog_alloc_default.restype = ctypes.c_void_p
lib.ionkmc_catalog_alloc_string.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(Error),
                                            ctypes.POINTER(ctypes.c_int)]
lib.ionkmc_catalog_alloc_string.restype = ctypes.c_void_p
lib.ionkmc_catalog_alloc_file.argtypes = [ctypes.c_char_p, ctypes.POINTER(Error), ctypes.POINTER(ctypes.c_int)]
lib.ionkmc_catalog_alloc_file.restype = ctypes.c_void_p
lib.ionkmc_catalog_free.argtypes = [ctypes.c_void_p]
lib.ionkmc_catalog_free.restype = None
lib.ionkmc_catalog_dumps.argtypes = [ctypes.c_void_p]
lib.ionkmc_catalog_dumps.restype = ctypes.c_void_p


class FrameIn(ctypes.Structure):
    """ionkmc_frame_in (calibration/traj.h)."""
    _fields_ = [("natoms", ctypes.c_int),
                ("time", ctypes.c_double),
                ("origin", ctypes.c_double * 3),
                ("cell", (ctypes.c_double * 3) * 3),
                ("id", ctypes.c_void_p),
                ("element", ctypes.c_void_p),
                ("x", ctypes.c_void_p),
                ("image", ctypes.c_void_p),
                ("f", ctypes.c_void_p)]


FRAME_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(FrameIn),
                            ctypes.POINTER(Error))
lib.ionkmc_traj_register.argtypes = [ctypes.c_char_p, FRAME_FN, ctypes.c_void_p, ctypes.POINTER(Error)]
lib.ionkmc_traj_register.restype = ctypes.c_int
lib.ionkmc_traj_unregister.argtypes = [ctypes.c_char_p]
lib.ionkmc_traj_unregister.restype = None

API_OK, API_INTERNAL, API_BAD_INPUT, API_CANCELLED = 0, 1, 2, 3


def take_string(p):
    """Copy and free a string the library allocated (a c_void_p value)."""
    if not p:
        return None
    try:
        return ctypes.string_at(p).decode("utf-8", "replace")
    finally:
        lib.ionkmc_api_free(p)


def version():
    """The library's version string."""
    return lib.ionkmc_api_version().decode()


def command(args):
    """Run one subcommand (args as on the command line, without 'ionkmc') and
    return its JSON text (None for synth). The call runs in a worker thread
    with the GIL released; KeyboardInterrupt asks the library to stop at its
    next trajectory or frame, waits for it, and is raised again. Bad input
    raises BadInput, a failure InternalError, both with the library's
    message."""
    argv = [str(a).encode() for a in args]
    arr = (ctypes.c_char_p * len(argv))(*argv)
    out = {}

    done = threading.Event()

    def work():
        try:
            js, msg = ctypes.c_void_p(), ctypes.c_void_p()
            rc = lib.ionkmc_api_command(len(argv), arr, ctypes.byref(js), ctypes.byref(msg))
            out["rc"], out["json"], out["msg"] = rc, take_string(js.value), take_string(msg.value)
        finally:
            done.set()

    t = threading.Thread(target=work, name="ionkmc", daemon=True)
    t.start()
    interrupted = False
    # Wait on an event, not on join(): an interrupted join can leave the
    # thread looking finished while the library still runs.
    while not done.is_set():
        try:
            done.wait(0.05)
        except KeyboardInterrupt:
            interrupted = True
            lib.ionkmc_api_cancel()
    rc, msg = out["rc"], out["msg"] or ""
    if interrupted:
        raise KeyboardInterrupt(f"ionkmc {args[0]}: stopped" + (f" ({msg})" if msg else ""))
    if rc == API_OK:
        return out["json"]
    if rc == API_BAD_INPUT:
        raise BadInput(msg, rc)
    if rc == API_CANCELLED:
        raise Cancelled(msg, rc)
    raise InternalError(msg, rc)


__all__ = ["lib", "command", "version", "take_string", "Error", "FrameIn", "FRAME_FN", "IonkmcError"]
