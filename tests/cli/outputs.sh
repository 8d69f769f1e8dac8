#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The output set of `scriptcast render`: paths that would clobber the input
# or each other are refused before any work (exit 2), a failure while
# publishing the set leaves the previous set byte for byte, a name too long
# for the file system is refused before any work, and temporaries a killed
# render left behind are removed by the next render into that folder.
. "$(dirname "$0")/lib.sh"

cat > t.md <<'MD'
---
title: Tiny
---
# One
Alice: Hello there.
Bob: Hi Alice.
# Two
Alice: Bye now.
MD
sed 's/Bye now./Goodbye, see you next week./' t.md > u.md
cp t.md t.orig
export SCRIPTCAST_CACHE="$WORK/cache"
R="--cache $WORK/cache -j 1 -q"

# Same path: exit 2, naming both options, and nothing written at all.
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md --vtt t.md $R
expect_grep "\-\-vtt t.md is the transcript t.md itself" err.txt
cmp -s t.md t.orig || fail "--vtt t.md changed the transcript"
[ -e t.wav ] && fail "a refused render wrote t.wav"
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o t.wav --manifest t.wav $R
expect_grep "\-o t.wav and \-\-manifest t.wav are the same file" err.txt
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o u.wav --srt u.chapters.json $R
expect_grep "\-\-srt u.chapters.json and -o's chapters file u.chapters.json" err.txt
# Through a symbolic link, `..`, and for files that do not exist yet.
ln -s t.md link.md
mkdir sub
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o x.wav --vtt link.md $R
expect_grep "is the transcript" err.txt
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o sub/../y.wav --cue y.wav $R
expect_grep "are the same file" err.txt
ln -s sub alias
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o sub/z.wav --vtt alias/new.vtt --srt sub/new.vtt $R
expect_grep "\-\-vtt alias/new.vtt and \-\-srt sub/new.vtt are the same file" err.txt
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render sub/../t.md -o o.wav --ffmetadata "$WORK/t.md" $R
cmp -s t.md t.orig || fail "a refused render changed the transcript"
ls sub | grep -q . && fail "a refused render wrote into sub: $(ls sub)"
for f in x.wav y.wav o.wav u.wav; do [ -e $f ] && fail "a refused render wrote $f"; done

# The previous set: audio, manifest, chapters, subtitles.
set_files="out.wav out.chapters.json out.manifest.json out.srt"
# shellcheck disable=SC2086
expect_exit 0 "$BIN" render t.md -o out.wav --manifest out.manifest.json --srt out.srt $R
mkdir before
# shellcheck disable=SC2086
cp $set_files before/

same_set() { # same_set WHAT: the set is still the one in before/
    for f in $set_files; do
        cmp -s "$f" "before/$f" || fail "$1: $f changed"
    done
    left=$(ls -A | grep '^\.' || true)
    [ -z "$left" ] || fail "$1: temporaries left: $left"
}

# A sidecar that cannot be replaced (a folder holds its name): the render
# fails with exit 3 and the audio, manifest and chapters are the old ones.
mkdir -p vttdir/inside
# shellcheck disable=SC2086
expect_exit 3 "$BIN" render u.md -o out.wav --manifest out.manifest.json --srt out.srt --vtt vttdir $R
expect_grep "vttdir" err.txt
same_set "a sidecar that cannot be replaced"
# The same with the folder as the last output renamed (the chapters file).
mkdir -p out2.chapters.json/inside
cp out.wav out2.wav
# shellcheck disable=SC2086
expect_exit 3 "$BIN" render u.md -o out2.wav --manifest out.manifest.json $R
cmp -s out2.wav out.wav || fail "a failed render replaced out2.wav"
same_set "the chapters file cannot be replaced"
rm -r out2.chapters.json out2.wav

# A name too long for the file system: refused before any work.
mkdir long
a251=$(printf 'a%.0s' $(seq 251))
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o "long/$a251.wav" $R
expect_grep "chapters file written beside it" err.txt
[ -z "$(ls -A long)" ] || fail "a name too long left files: $(ls -A long)"
a260=$(printf 'b%.0s' $(seq 260))
# shellcheck disable=SC2086
expect_exit 2 "$BIN" render t.md -o out.wav --vtt "$a260.vtt" $R
expect_grep "\-\-vtt: the file name is 264 bytes long" err.txt
same_set "a name too long"

# One file per chapter (--preset acx) is one set too: when a later
# chapter's file cannot be replaced, the first chapter's files stay old.
mkdir acx
# shellcheck disable=SC2086
expect_exit 0 "$BIN" render t.md -o acx/book.mp3 --preset acx $R
sed 's/Hello there./Hello there, everyone./' u.md > v.md
mkdir acx-before && cp acx/* acx-before/
rm acx/book-02.chapters.json && mkdir -p acx/book-02.chapters.json/inside
# shellcheck disable=SC2086
expect_exit 3 "$BIN" render v.md -o acx/book.mp3 --preset acx $R
for f in book-01.mp3 book-01.chapters.json book-02.mp3; do
    cmp -s "acx/$f" "acx-before/$f" || fail "a failed per-chapter render replaced $f"
done
[ -z "$(ls -A acx | grep '^\.')" ] || fail "a failed per-chapter render left temporaries"
rm -r acx/book-02.chapters.json
# shellcheck disable=SC2086
expect_exit 0 "$BIN" render v.md -o acx/book.mp3 --preset acx $R
cmp -s acx/book-01.mp3 acx-before/book-01.mp3 && fail "chapter 1 was not rendered anew"

# Two renders of different transcripts to the same output set at once, many
# times: afterwards the set is always entirely one of them, never a mix.
python3 - "$BIN" 60 <<'PY' || fail "concurrent renders mixed their files"
import os, subprocess, sys
binary, trials = sys.argv[1], int(sys.argv[2])
def cmd(src, d):
    return [binary, "render", src, "-o", f"{d}/out.wav", "--manifest", f"{d}/out.json",
            "--vtt", f"{d}/out.vtt", "--srt", f"{d}/out.srt", "--cue", f"{d}/out.cue",
            "--cache", "cache", "-j", "1", "-q"]
files = ["out.wav", "out.json", "out.vtt", "out.srt", "out.cue", "out.chapters.json"]
for src in ("t.md", "u.md"):
    os.makedirs("ref_" + src, exist_ok=True)
    subprocess.run(cmd(src, "ref_" + src), check=True)
ref = {src: [open(f"ref_{src}/{f}", "rb").read() for f in files] for src in ("t.md", "u.md")}
os.makedirs("set", exist_ok=True)
mixed = 0
for i in range(trials):
    ps = [subprocess.Popen(cmd(src, "set"), stderr=subprocess.PIPE) for src in ("t.md", "u.md")]
    for p in ps:
        _, err = p.communicate()
        assert p.returncode == 0, err
    got = [open(f"set/{f}", "rb").read() for f in files]
    if got != ref["t.md"] and got != ref["u.md"]:
        mixed += 1
print(f"{mixed} of {trials} trials mixed the two renders' files")
sys.exit(1 if mixed else 0)
PY

finish
