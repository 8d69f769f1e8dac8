#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Completion smoke tests. Bash: source the completion, set COMP_WORDS and
# COMP_CWORD as bash does, call the function and read COMPREPLY. Zsh (when
# installed): the completion function with compadd and _files stubbed to
# print what they are given.
. "$(dirname "$0")/lib.sh"

cp "$SRC/assets/examples/panel-en.md" talk.md

# bash_complete WORD...: prints COMPREPLY for the line WORD..., the cursor
# on the last word.
bash_complete() {
    bash -c '
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
        _scriptcast
        printf "%s\n" "${COMPREPLY[@]}"' sh "$SRC/completions/scriptcast.bash" "$BIN" "$@"
}

# expect_completion WORD... = WANTED...: completing the line WORD... (the
# cursor on the last word) offers every WANTED.
expect_completion() {
    words=""
    while [ "$1" != "=" ]; do
        words="$words '$1'"
        shift
    done
    shift
    eval "bash_complete $words" >got.txt 2>&1
    for want in "$@"; do
        grep -qxF -- "$want" got.txt || {
            fail "completing '$words' did not offer '$want'"
            sed 's/^/  | /' got.txt >&2
        }
    done
}

expect_completion "" = render plan check voices batch cache --version
expect_completion ren = render
expect_completion render --ch = --chapter-level --chapters-vtt
expect_completion render - = -o -j --jobs --section --no-cache --help
expect_completion check --format "" = text json junit
expect_completion batch x -d y --format "" = wav flac ogg opus mp3
expect_completion cache "" = stats prune
expect_completion cache prune --m = --max-size
expect_completion voices en-ma = en-male-1 en-male-2
expect_completion render talk.md --section "" = 1 2 Welcome
expect_completion render talk.md --cast ta = talk.md
bash_complete render --jo >got.txt
[ "$(cat got.txt)" = "--jobs" ] || fail "render --jo completed to '$(cat got.txt)', not --jobs"
bash_complete plan --jobs >got.txt
grep -q . got.txt && fail "plan offered --jobs, an option it does not take"

# zsh_complete WORD...: what the zsh function offers for the line.
zsh_complete() {
    zsh -f -c '
        compadd() { if [[ $1 == -a ]]; then print -l -- ${(P)2}; else print -l -- "$@"; fi }
        _files() { print -- _files "$@" }
        src=$1; shift
        words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
        source "$src"' zsh "$SRC/completions/_scriptcast" "$BIN" "$@"
}
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$SRC/completions/_scriptcast" || fail "zsh -n _scriptcast"
    zsh_complete "" >got.txt 2>&1
    grep -qx render got.txt || fail "zsh: no subcommands: $(cat got.txt)"
    zsh_complete check --format "" >got.txt 2>&1
    grep -qx junit got.txt || fail "zsh: no --format choices: $(cat got.txt)"
    zsh_complete render --s >got.txt 2>&1
    grep -qx -- --section got.txt || fail "zsh: no options: $(cat got.txt)"
    zsh_complete render talk.md --section "" >got.txt 2>&1
    grep -qx Welcome got.txt || fail "zsh: no sections: $(cat got.txt)"
    zsh_complete voices "" >got.txt 2>&1
    grep -qx en-male-1 got.txt || fail "zsh: no voice names: $(cat got.txt)"
fi
finish
