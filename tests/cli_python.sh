#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The Python package (python/ionkmc) with Debian's python3, numpy and ASE,
# over the in-tree libionkmc.so: python/tests/test_ionkmc.py.
set -u
BIN=${1:?usage: cli_python.sh path/to/ionkmc}
SRC=${IONKMC_SOURCE_DIR:?}
export IONKMC_BIN=$BIN
export IONKMC_LIBRARY=${IONKMC_LIBRARY:?set by ctest to the shared library}
PY=/usr/bin/python3
if ! $PY -c 'import numpy, ase' 2>/dev/null; then
  echo "cli_python: needs Debian's python3-numpy and python3-ase (scripts/install-deps)"
  exit 1
fi
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in the source tree
cd "$SRC/python" && exec $PY -m unittest -v tests.test_ionkmc
