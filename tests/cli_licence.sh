#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Licence and citation files: every source file of the tree carries the SPDX
# header (scripts/spdx --check), the check fails on a file without one and the
# add mode repairs it, and LICENSE / CITATION.cff are the ones the README names.
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}

"$SRC/scripts/spdx" --check >"$TMP/check.out" 2>&1
rc=$?
check "scripts/spdx --check on the tree: $(head -c 600 "$TMP/check.out")" $rc

# The check can fail: a copy of the script in a scratch tree (not a git
# checkout) with one file lacking the header.
mkdir -p "$TMP/tree/scripts" "$TMP/tree/lib"
cp "$SRC/scripts/spdx" "$TMP/tree/scripts/spdx"
printf 'int f(void) { return 1; }\n' >"$TMP/tree/lib/a.c"
printf '#!/bin/sh\necho hi\n' >"$TMP/tree/lib/run"
chmod +x "$TMP/tree/lib/run"
printf '{"not": "source"}\n' >"$TMP/tree/lib/data.json"
"$TMP/tree/scripts/spdx" --check >"$TMP/c1" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "lib/a.c" "$TMP/c1" && grep -q "lib/run" "$TMP/c1" && ! grep -q data.json "$TMP/c1"
ok=$?
check "check flags the files without a header (rc=$rc: $(cat "$TMP/c1"))" $ok
"$TMP/tree/scripts/spdx" >/dev/null 2>&1
"$TMP/tree/scripts/spdx" --check >"$TMP/c2" 2>&1
rc=$?
check "add mode repairs them: $(cat "$TMP/c2")" $rc
[ "$(head -n 1 "$TMP/tree/lib/run")" = '#!/bin/sh' ] && [ "$(tail -n 1 "$TMP/tree/lib/run")" = 'echo hi' ]
check "the #! line stays first" $?
[ "$(cat "$TMP/tree/lib/data.json")" = '{"not": "source"}' ]
check "data files are left alone" $?
cc -fsyntax-only "$TMP/tree/lib/a.c"
check "a header-added C file still compiles" $?

grep -q "GNU GENERAL PUBLIC LICENSE" "$SRC/LICENSE" && grep -q "Version 3, 29 June 2007" "$SRC/LICENSE" &&
  [ "$(wc -l <"$SRC/LICENSE")" -gt 600 ]
check "LICENSE is the full GPL-3 text" $?
grep -q '^cff-version: 1.2.0' "$SRC/CITATION.cff" && grep -q '^license: GPL-3.0-or-later' "$SRC/CITATION.cff" &&
  grep -q "version: \"$("$BIN" version | awk '{print $2}')\"" "$SRC/CITATION.cff"
check "CITATION.cff: cff 1.2.0, the licence and the program's version" $?

echo "cli_licence: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
