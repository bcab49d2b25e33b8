#!/usr/bin/env bash
# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# The shell tests can fail: no `check "...$(cmd)..." $?` in tests/*.sh. The
# command substitution in the description is expanded before the status
# argument and sets $? to its own status, so such a check always passes
# (tests/shell_common.sh: take the status into a variable first).
set -u
. "$(dirname "$0")/shell_common.sh"
SRC=${IONKMC_SOURCE_DIR:?}

# A check line whose description holds $( (not the arithmetic $(( ) and
# whose status argument is $?.
lint() {
  grep -nE '^[[:space:]]*check[[:space:]]+".*\$\([^(].*"[[:space:]]+\$\?[[:space:]]*$' "$@"
}

lint "$SRC"/tests/*.sh >"$TMP/hits"
[ ! -s "$TMP/hits" ]
rc=$?
check "no check with a command substitution before \$? in tests/*.sh: $(head -c 600 "$TMP/hits")" $rc

# The lint finds the pattern, and not its repaired or arithmetic forms.
d='$'
{
  echo "check \"bad: ${d}(cat x)\" ${d}?"
  echo "rc=${d}?; check \"good: ${d}(cat x)\" ${d}rc"
  echo "check \"arithmetic: ${d}((1 + 2))\" ${d}?"
} >"$TMP/sample.sh"
lint "$TMP/sample.sh" >"$TMP/s.hits"
[ "$(wc -l <"$TMP/s.hits")" -eq 1 ] && grep -q '^1:' "$TMP/s.hits"
rc=$?
check "the lint flags exactly the broken line of a sample ($(cat "$TMP/s.hits"))" $rc

# And the reason it matters: such a check passes on a failed command.
( fails=0; false; check "x$(true)" $?; [ "$fails" -eq 0 ] )
rc=$?
check "a failed command before check \"\$(...)\" \$? is not counted as a failure" $rc

echo "cli_shell_lint: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
