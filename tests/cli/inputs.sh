#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
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

# Inputs without an end are refused past --max-input (exit 1), whatever
# reads them: the transcript, --cast, batch's change detection. Regular
# files are refused unread.
for cmd in plan check; do
    expect_exit 1 timeout 60 "$BIN" $cmd /dev/zero --max-input 1M
    expect_grep "/dev/zero: error: larger than the input limit of 1 MiB; --max-input SIZE changes it" err.txt
    expect_exit 1 timeout 60 "$BIN" $cmd ok.md --cast /dev/zero --max-input 1M
    expect_grep "/dev/zero: error: larger than the input limit of 1 MiB" err.txt
done
expect_exit 1 timeout 60 "$BIN" render ok.md -o z.wav --cast /dev/zero --max-input 64K --no-cache
expect_grep "/dev/zero: error: larger than the input limit of 64 KiB" err.txt
[ ! -e z.wav ] || fail "render with --cast /dev/zero wrote z.wav"
mkdir -p site
cp ok.md site/
expect_exit 1 timeout 60 "$BIN" batch site -d pub --cast /dev/zero --max-input 1M --no-cache
expect_grep "/dev/zero: error: larger than the input limit" err.txt
yes 'Bob: hi' | timeout 60 "$BIN" check /dev/stdin --max-input 64K >out.txt 2>err.txt
[ $? = 1 ] || fail "an endless pipe was not refused with exit 1"
expect_grep "larger than the input limit of 64 KiB" err.txt
# The default is 256 MiB: /dev/zero stops there too (and fast).
expect_exit 1 timeout 60 "$BIN" check /dev/zero
expect_grep "larger than the input limit of 256 MiB" err.txt
head -c 5000 /dev/zero | tr '\0' 'a' > big.md
expect_exit 1 "$BIN" check big.md --max-input 4K
expect_grep "big.md: error: larger than the input limit of 4 KiB" err.txt
expect_exit 0 "$BIN" check ok.md --max-input 8
# A bad size is a usage error naming the option.
expect_exit 2 "$BIN" check ok.md --max-input 1.5Q
expect_grep 'error: --max-input: not a size: "1.5Q"' err.txt
expect_exit 2 "$BIN" render ok.md --max-input 0
expect_grep 'error: --max-input: not a size above 0' err.txt

# Out of memory is exit 3 with a message, never abort() (exit 134): in our
# allocations and in cmark's. Sanitizer builds reserve more address space
# than any limit here allows, so they skip this.
python3 -c "
import sys
with open('huge.md', 'w') as f:
    for i in range(400000):
        f.write('Bob: hello there number %d and more words\n\n' % i)
"
if (ulimit -v 200000 && "$BIN" --version) >/dev/null 2>&1; then
    for v in 100000 200000; do
        (ulimit -v $v && exec "$BIN" check huge.md) >out.txt 2>err.txt
        rc=$?
        [ $rc = 3 ] || fail "check of huge.md under ulimit -v $v exited $rc, expected 3"
        expect_grep "scriptcast: error: out of memory" err.txt
    done
    mkdir -p oom
    (ulimit -v 200000 && exec "$BIN" render huge.md -o oom/h.wav --no-cache) >out.txt 2>err.txt
    rc=$?
    [ $rc = 3 ] || fail "render of huge.md under ulimit -v 200000 exited $rc, expected 3"
    [ "$(ls -A oom)" = "" ] || fail "out of memory left files behind: $(ls -A oom)"
fi

# Diagnostics: a 50 MB line is echoed as a window around the column, and
# escape sequences in a transcript reach the terminal escaped.
python3 -c "
with open('wide.md', 'w') as f:
    f.write('Zed: ' + 'x' * (50 << 20) + '\n')
"
expect_exit 0 "$BIN" check wide.md
[ "$(wc -c < err.txt)" -lt 2000 ] || fail "check of a 50 MB line wrote $(wc -c < err.txt) bytes to stderr"
expect_grep '     1 | Zed: xxxxxxxxxx.*x\.\.\.$' err.txt
printf 'Zed: \033]0;pwned\007 \033[31mred\302\233 \342\200\256x\n' > esc.md
expect_exit 0 "$BIN" check esc.md
if LC_ALL=C grep -q "$(printf '[\033\007]')" err.txt || grep -q "$(printf '\302\233')" err.txt; then
    fail "a control character reached stderr raw"
fi
expect_grep 'Zed: \\x1b]0;pwned\\x07 \\x1b\[31mred\\u009b \\u202ex' err.txt

# Names and titles with line breaks (a blank line, a fake SRT timing line,
# CR, U+2028) are folded onto one line in every sidecar: no bogus cues.
cat > names.md <<'MD'
---
title: "Show\n\nTitle\r\n[CHAPTER]"
speakers: ["Ann\n\n99\n00:00:00.000 --> 00:09:00.000\nEvil\r\u2028X"]
---
Ann: Hello there. How are you?

Ann: Fine.
MD
expect_exit 0 "$BIN" render names.md -o names.wav --no-cache --srt names.srt --vtt names.vtt \
    --cue names.cue --ffmetadata names.ffmeta --transcript-json names.json \
    --chapters-vtt names.chapters.vtt
python3 - <<'PY' || fail "a name or title with line breaks broke a sidecar"
import json, re
srt = open("names.srt", encoding="utf-8").read()
blocks = srt.rstrip("\n").split("\n\n")
for i, b in enumerate(blocks):
    lines = b.split("\n")
    # Number, timing, and the text on at most two lines (cues are wrapped
    # at 32 characters), none of which looks like a timing line.
    assert len(lines) in (3, 4), lines
    assert lines[0] == str(i + 1), lines
    assert re.fullmatch(r"\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}", lines[1]), lines
    assert all("-->" not in t for t in lines[2:]), lines
def text(b):
    return " ".join(b.split("\n")[2:])
name = "Ann 99 00:00:00.000 -> 00:09:00.000 Evil X"
assert text(blocks[0]) == "Narrator: Show Title [CHAPTER]", blocks[0]
# The long name may push the rest of the sentence into the next cue; the
# name itself stays whole, in one cue.
assert text(blocks[1]).startswith(name + ": Hello"), blocks[1]
assert "\r" not in srt and "\u2028" not in srt
vtt = open("names.vtt", encoding="utf-8").read()
vblocks = vtt.rstrip("\n").split("\n\n")
# SRT cues are cut to two lines of 32 characters, WebVTT cues are not.
assert vblocks[0] == "WEBVTT" and 1 < len(vblocks) <= len(blocks) + 1, vblocks
for b in vblocks[1:]:
    assert len(b.split("\n")) == 3, b
assert "<v Ann 99 00:00:00.000 --&gt; 00:09:00.000 Evil X>Hello there." in vtt, vtt
cue = open("names.cue", encoding="utf-8").read()
for line in cue.splitlines():
    assert re.match(r"(TITLE|PERFORMER|FILE|  TRACK|    TITLE|    INDEX) ", line), line
assert 'TITLE "Show Title [CHAPTER]"' in cue, cue
ff = open("names.ffmeta", encoding="utf-8").read()
for line in ff.splitlines():
    assert line in ("", ";FFMETADATA1", "[CHAPTER]") or re.match(r"[A-Za-z]+=", line), line
assert "title=Show Title [CHAPTER]" in ff, ff
tj = json.load(open("names.json", encoding="utf-8"))
assert {s["speaker"] for s in tj["segments"]} == {"Narrator", name.replace("->", "-->")}, tj
cv = open("names.chapters.vtt", encoding="utf-8").read()
for b in cv.rstrip("\n").split("\n\n")[1:]:
    assert len(b.split("\n")) == 3, b
PY

finish
