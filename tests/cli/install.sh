#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `cmake --install` into a prefix chosen at install time, then the installed
# program used from another folder: it finds its voices (BIN/../share),
# renders, lists where it looked, and `man scriptcast` shows its manual.
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

BUILD=$(dirname "$BIN")
P="$WORK/prefix with space"
cmake --install "$BUILD" --prefix "$P" >install.log 2>&1 || {
    fail "cmake --install failed"
    sed 's/^/  /' install.log >&2
}
[ -x "$P/bin/scriptcast" ] || fail "no $P/bin/scriptcast"
[ -f "$P/share/scriptcast/voices/en-male-1.yaml" ] || fail "voices not installed"
[ -f "$P/share/man/man1/scriptcast.1" ] || fail "man page not installed"
[ -f "$P/share/bash-completion/completions/scriptcast" ] || fail "bash completion not installed"
[ -f "$P/share/zsh/vendor-completions/_scriptcast" ] || fail "zsh completion not installed"
[ ! -e "$P/bin/scriptcast-datadir" ] || fail "the build tree's marker was installed"

# From another folder, with nothing pointing at the sources.
unset SCRIPTCAST_VOICES
mkdir elsewhere && cd elsewhere || exit 1
printf '# Hello\n\nAlice: Hello there.\n\nBob: Hi Alice.\n' > talk.md
expect_exit 0 "$P/bin/scriptcast" voices
expect_grep "^en-male-1 .*$P/share/scriptcast/voices/en-male-1.yaml" out.txt
expect_grep "data folder *$P/share/scriptcast/voices: [0-9]* profiles used" out.txt
expect_grep "current folder *./voices: not found" out.txt
expect_exit 0 "$P/bin/scriptcast" render talk.md -o talk.wav
"$AUDIOINFO" talk.wav >info.json || fail "audioinfo cannot read talk.wav"
python3 -c 'import json,sys; assert json.load(open("info.json"))["frames"] > 10000' ||
    fail "talk.wav holds no audio"
[ -f talk.chapters.json ] || fail "no talk.chapters.json"

# The manual, as man finds it through MANPATH and as a file.
MANPATH="$P/share/man" MANPAGER=cat MANWIDTH=80 man scriptcast >man.txt 2>man.err ||
    fail "man scriptcast: $(cat man.err)"
expect_grep "scriptcast cache prune" man.txt
MANPAGER=cat man -l "$P/share/man/man1/scriptcast.1" >man-l.txt 2>&1 || fail "man -l"
expect_grep "SYNOPSIS" man-l.txt
finish
