#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Room-temperature diffusion of the mobile defects, then a sweep.
# Run from the repository root after `make run` (or `make build`).
set -euo pipefail
BIN=${BIN:-build/ionkmc}
"$BIN" run --T 300 --runs 64 --json rt300.json --csv rt300.csv
"$BIN" run --defect V_I+ --T 300 --catalog examples/strained_catalog.json
"$BIN" sweep --T 300:600:50 --defect V_I+,I_I- --barrier-shift -0.05:0.05:0.05 \
  --runs 16 --hops 50000 --csv sweep.csv
