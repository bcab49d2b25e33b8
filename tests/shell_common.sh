# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the tests/cli_*.sh scripts (sourced, not a test itself):
# BIN from $1, a scratch directory TMP removed at exit, pass/fail counting
# with check, and expect_bad for the bad-input contract.
BIN=${1:?usage: $(basename "$0") path/to/ionkmc}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
pass=0

# check DESCRIPTION STATUS. Take the status into a variable first when the
# description holds a command substitution: "$(...)" is expanded before the
# status argument and resets $? to its own (0), so `check "x: $(cat f)" $?`
# could never fail; write `rc=$?; check "x: $(cat f)" $rc`.
check() { # description, condition result
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fails=$((fails + 1)); echo "FAIL: $1"; fi
}

# expect_bad WANT ARGS...: exit 2, exactly one stderr line containing WANT,
# and no output file (out.*) or temporary left behind.
expect_bad() {
  local want=$1; shift
  rm -f "$TMP"/out.*
  "$BIN" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
  local rc=$?
  local lines; lines=$(wc -l <"$TMP/stderr")
  local ok=0
  [ "$rc" -eq 2 ] || ok=1
  [ "$lines" -eq 1 ] || ok=1
  grep -qF -- "$want" "$TMP/stderr" || ok=1
  [ -z "$(ls "$TMP"/out.* 2>/dev/null)" ] || ok=1
  [ -z "$(ls "$TMP"/*.tmp.* 2>/dev/null)" ] || ok=1
  check "bad input '$*' (rc=$rc, stderr: $(head -c 300 "$TMP/stderr"))" $ok
}
