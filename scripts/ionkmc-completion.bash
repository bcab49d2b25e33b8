# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for ionkmc (installed as
# share/bash-completion/completions/ionkmc). Commands come from
# `ionkmc --help`, options from `ionkmc COMMAND --help`, so the completion
# follows the program it completes; file names are completed after options
# that take a FILE.
_ionkmc() {
  local cur prev cmd words
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local prog=${COMP_WORDS[0]}
  if [[ $COMP_CWORD -eq 1 ]]; then
    words=$("$prog" --help 2>/dev/null | awk '/^commands:/{on=1; next} on && /^  [a-z]/{print $1} on && /^$/{if (n++) exit}')
    COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
    return
  fi
  cmd=${COMP_WORDS[1]}
  # After an option whose help says it takes a FILE (or T:FILE), complete files.
  if [[ $prev == --* ]] && "$prog" "$cmd" --help 2>/dev/null |
      grep -Eq -- "^ *$prev +[A-Z:]*(FILE|CATALOG|DIR)"; then
    COMPREPLY=($(compgen -f -- "${cur#*:}"))
    return
  fi
  if [[ $cur == -* || -z $cur ]]; then
    words=$("$prog" "$cmd" --help 2>/dev/null | grep -Eo -- '(^|[ ,\[])--[a-z][a-z0-9-]*' | tr -d ' ,[' | sort -u)
    COMPREPLY=($(compgen -W "$words --help" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _ionkmc ionkmc
