#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Standard input and output, and --play: `-` as the transcript, `-o -`
# with --format (the same bytes as a file render, sidecars only where
# asked, nothing left in TMPDIR), and --play through SCRIPTCAST_PLAYER.
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

printf '# Talk\n\n## One\n\nAlice: Hello there.\n\n## Two\n\nBob: Hi, Alice.\n' > t.md
mkdir tmp
export TMPDIR="$WORK/tmp"

expect_exit 0 sh -c "\"$BIN\" plan - < t.md"
expect_grep '^<stdin>$' out.txt
expect_grep '<stdin>:5:1: warning: speaker "Alice"' err.txt

expect_exit 0 "$BIN" render t.md -o file.wav -q
expect_exit 0 sh -c "\"$BIN\" render - -o - --format wav --chapters piped.json -q < t.md > piped.wav"
cmp -s file.wav piped.wav || fail "render -o - wrote other bytes than a file render"
cmp -s file.chapters.json piped.json || fail "--chapters FILE differs from the default chapters"
"$AUDIOINFO" piped.wav >info.json || fail "audioinfo cannot read piped.wav"
[ -z "$(ls tmp)" ] || fail "render -o - left $(ls tmp) in TMPDIR"
expect_exit 0 sh -c "\"$BIN\" render t.md -o - --format mp3 -q > piped.mp3"
"$AUDIOINFO" piped.mp3 >/dev/null || fail "render -o - --format mp3 is no MP3"
[ -e ./-.chapters.json ] || [ -e piped.chapters.json ] && fail "-o - wrote chapters nobody asked for"

expect_exit 2 sh -c "\"$BIN\" render t.md -o - > x.wav"
expect_grep 'name the audio format with --format FMT' err.txt
expect_exit 2 sh -c "\"$BIN\" render t.md -o - --format wav --play > x.wav"
expect_exit 2 "$BIN" render - < t.md
expect_grep 'reading standard input: give -o OUT' err.txt
expect_exit 2 "$BIN" render t.md -o y.mp3 --format wav

# --play: the player gets the written file, which is complete by then.
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> played.txt\ntest -s "$1"\n' > recorder
chmod +x recorder
expect_exit 0 env SCRIPTCAST_PLAYER="$WORK/recorder" "$BIN" render t.md --section 2 -o p.wav --play
[ "$(cat played.txt)" = "p.wav" ] || fail "the player was given '$(cat played.txt)', not p.wav"
expect_grep 'playing p.wav' err.txt
expect_exit 3 env SCRIPTCAST_PLAYER=false "$BIN" render t.md -o f.wav --play -q
expect_grep 'the player (false) failed' err.txt
[ -s f.wav ] || fail "a failed player took the rendered file with it"
expect_exit 3 env -u SCRIPTCAST_PLAYER PATH=/nowhere "$BIN" render t.md -o n.wav --play -q
expect_grep 'no player found' err.txt
finish
