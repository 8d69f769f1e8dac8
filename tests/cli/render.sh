#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `scriptcast render`: decodes what was written and checks it against the
# manifests — lengths, sample-exact chapter and segment positions, sidecar
# times, determinism, section previews, every audio format, the English
# example's read/not-read rules.
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

cp "$SRC/assets/examples/ai-podcast-zh.md" zh.md
cp "$SRC/assets/examples/panel-en.md" en.md
mkdir -p out again

render_all() {
    dir=$1
    expect_exit 0 "$BIN" render zh.md -o "$dir/zh.wav" --manifest "$dir/zh.manifest.json" \
        --vtt "$dir/zh.vtt" --srt "$dir/zh.srt" --transcript-json "$dir/zh.transcript.json" \
        --chapters-vtt "$dir/zh.chapters.vtt" --ffmetadata "$dir/zh.ffmeta" --cue "$dir/zh.cue"
}
render_all out
expect_grep "wrote out/zh.wav" err.txt
"$BIN" plan --json zh.md > plan.json || fail "plan --json"

"$AUDIOINFO" out/zh.wav > info.json || fail "audioinfo cannot open out/zh.wav"
# Peaks around every chapter start: 200 ms before it, 100 ms after it.
ranges=$(python3 - <<'PY'
import json
m = json.load(open("out/zh.manifest.json"))
r = m["audio"]["sample_rate"]
print(" ".join(f"{max(0, c['start_sample'] - r // 5)}:{c['start_sample']} "
               f"{c['start_sample']}:{c['start_sample'] + r // 10}" for c in m["chapters"]))
PY
)
# shellcheck disable=SC2086
"$AUDIOINFO" out/zh.wav $ranges > peaks.json || fail "audioinfo ranges"

python3 - <<'PY' || fail "full render does not match its manifests"
import json, re
m = json.load(open("out/zh.manifest.json"))
plan = json.load(open("plan.json"))
info = json.load(open("info.json"))
peaks = json.load(open("peaks.json"))["peaks"]
rate = m["audio"]["sample_rate"]
assert rate == 22050 and info["rate"] == rate and info["channels"] == 1, info
assert info["frames"] == m["audio"]["samples"], (info, m["audio"])
assert info["has_title"], "no title metadata in the WAV"

# Segments: in order, contiguous: each starts exactly one pause after the
# previous clip ends; so the length is the sum of clips and pauses.
segs = m["segments"]
assert len(segs) == len(plan["segments"]) == 22
pos = 0
clips = pauses = 0
for s, p in zip(segs, plan["segments"]):
    pause = p["pause_ms"] * rate // 1000
    assert s["start_sample"] == pos + pause, (s, pos, pause)
    assert s["end_sample"] > s["start_sample"], s
    assert s["text"] == p["text"] and s["line"] == p["line"]
    clips += s["end_sample"] - s["start_sample"]
    pauses += pause
    pos = s["end_sample"]
assert pos == info["frames"] == clips + pauses, (pos, clips, pauses)

# Chapters: the first at 0, each at the first sample of its first clip,
# silence before it and speech within 100 ms after it.
chs = m["chapters"]
assert [c["index"] for c in chs] == [1, 2, 3, 4, 5]
assert chs[0]["start_sample"] == 0
for i, c in enumerate(chs):
    first = next(s for s in segs if s["chapter"] == c["index"])
    if i:
        assert c["start_sample"] == first["start_sample"], (c, first)
        assert peaks[2 * i] < 300, ("not silent before chapter", c, peaks[2 * i])
    assert peaks[2 * i + 1] > 2000, ("no speech after chapter start", c, peaks[2 * i + 1])
    assert c["end_sample"] == (chs[i + 1]["start_sample"] if i + 1 < len(chs) else info["frames"])

starts = [c["start_sample"] / rate for c in chs]
def close(values, what, tol=0.001):
    assert len(values) == len(starts), (what, values)
    for v, want in zip(values, starts):
        assert abs(v - want) <= tol, (what, v, want)

close([c["start"] for c in chs], "manifest")
pc = json.load(open("out/zh.chapters.json"))
assert pc["version"] == "1.2.0" and pc["title"] == plan["title"]
close([c["startTime"] for c in pc["chapters"]], "chapters.json")
assert [c["title"] for c in pc["chapters"]] == [c["title"] for c in chs]

def hms(t):
    h, mi, s = t.replace(",", ".").split(":")
    return int(h) * 3600 + int(mi) * 60 + float(s)
vtt = open("out/zh.chapters.vtt").read()
assert vtt.startswith("WEBVTT\n")
close([hms(a) for a in re.findall(r"^(\S+) --> ", vtt, re.M)], "chapters.vtt")
ff = open("out/zh.ffmeta").read()
assert ff.startswith(";FFMETADATA1\n") and "TIMEBASE=1/1000" in ff
assert "title=硅谷夜谈 第42期：大模型的下一站" in ff
close([int(x) / 1000 for x in re.findall(r"^START=(\d+)$", ff, re.M)], "ffmetadata")
cue = open("out/zh.cue").read()
idx = re.findall(r"INDEX 01 (\d+):(\d+):(\d+)", cue)
close([int(a) * 60 + int(b) + int(f) / 75 for a, b, f in idx], "cue", 1 / 75)

# Subtitles: in order, inside the file, speaker-tagged, Chinese cues cut at
# punctuation and never longer than a readable line.
subs = open("out/zh.vtt").read()
assert subs.startswith("WEBVTT\n")
cues = re.findall(r"^(\S+) --> (\S+)\n<v ([^>]+)>(.*)$", subs, re.M)
assert len(cues) >= len(segs), len(cues)
last = 0
for a, b, who, text in cues:
    a, b = hms(a), hms(b)
    assert last - 0.001 <= a < b <= info["frames"] / rate + 0.001, (a, b, text)
    last = b
    assert len(text) <= 60, text
assert any(w == "老隐" for _, _, w, _ in cues)
srt = open("out/zh.srt").read()
assert len(re.findall(r"^\d+:\d+:\d+,\d+ --> ", srt, re.M)) == len(cues)
tr = json.load(open("out/zh.transcript.json"))
assert tr["version"] == "1.0.0" and len(tr["segments"]) == len(cues)
assert all(s["startTime"] < s["endTime"] for s in tr["segments"])

sp = {s["name"]: s for s in m["speakers"]}
assert sp["老隐"]["voice"] == "zh-male-2" and sp["老隐"]["source"] == "cast"
assert sp["老隐"]["segments"] == 4 and sp["老隐"]["seconds"] > 5
PY

# Determinism: a second render gives the same bytes, for every file.
render_all again
for f in out/*; do
    cmp -s "$f" "again/$(basename "$f")" || fail "render is not deterministic: $f"
done

# The same bytes whether clips come one at a time, several at once, or
# from the cache: a clip depends on its run alone.
expect_exit 0 "$BIN" render zh.md -o j1.wav -j 1 --no-cache -q
expect_exit 0 "$BIN" render zh.md -o j2.wav -j 2 --no-cache -q
cmp -s j1.wav j2.wav || fail "--jobs 1 and --jobs 2 give different audio"
cmp -s j1.wav out/zh.wav || fail "a render without the cache differs from one with it"

# A preview of chapter 3 lasts as long as chapter 3 in the full render, less
# the section pause that follows it, and has one chapter at 0.
expect_exit 0 "$BIN" render zh.md --section 3 -o preview.wav --manifest preview.json
python3 - <<'PY' || fail "section preview"
import json
full = json.load(open("out/zh.manifest.json"))
prev = json.load(open("preview.json"))
plan = json.load(open("plan.json"))
rate = full["audio"]["sample_rate"]
c3 = full["chapters"][2]
next_pause = next(p["pause_ms"] for p in plan["segments"] if p["chapter"] == 4) * rate // 1000
assert prev["audio"]["samples"] == c3["end_sample"] - c3["start_sample"] - next_pause, \
    (prev["audio"]["samples"], c3, next_pause)
assert [(c["index"], c["start_sample"]) for c in prev["chapters"]] == [(3, 0)]
pc = json.load(open("preview.chapters.json"))
assert [c["startTime"] for c in pc["chapters"]] == [0.0]
PY

# Every format opens again with libsndfile at the expected rate.
for ext in flac ogg opus mp3; do
    expect_exit 0 "$BIN" render en.md -o "en.$ext" -q
    "$AUDIOINFO" "en.$ext" > "info.$ext.json" || fail "cannot decode en.$ext"
done
expect_exit 0 "$BIN" render en.md -o en.wav --manifest en.json -q
expect_exit 0 "$BIN" render en.md -o en44.wav --rate 44100 --manifest en44.json -q
"$AUDIOINFO" en.wav > info.wav.json
"$AUDIOINFO" en44.wav > info.44.json
python3 - <<'PY' || fail "formats"
import json
want = {"wav": 22050, "flac": 22050, "ogg": 22050, "opus": 48000, "mp3": 44100}  # MP3: podcast-grade by default
wav = json.load(open("info.wav.json"))
for ext, rate in want.items():
    i = json.load(open(f"info.{ext}.json"))
    assert i["rate"] == rate and i["channels"] == 1, (ext, i)
    expect = wav["frames"] * rate // 22050
    assert abs(i["frames"] - expect) <= rate // 10, (ext, i["frames"], expect)
    if ext in ("wav", "flac"):
        assert i["frames"] == expect, (ext, i)
m44 = json.load(open("en44.json"))
i44 = json.load(open("info.44.json"))
assert i44["rate"] == 44100 and i44["frames"] == m44["audio"]["samples"] == 2 * wav["frames"]
assert m44["chapters"][1]["start_sample"] == 2 * json.load(open("en.json"))["chapters"][1]["start_sample"]
PY

# Rendering again to the same bytes leaves the file as it was (same inode,
# fresh time) in every format, headers rewritten at close included; a change
# replaces it with exactly what a fresh render writes.
for ext in wav flac ogg opus mp3; do
    before=$(stat -c %i "en.$ext")
    touch -d '2000-01-01' "en.$ext"
    expect_exit 0 "$BIN" render en.md -o "en.$ext"
    expect_grep "wrote en.$ext (unchanged" err.txt
    [ "$(stat -c %i "en.$ext")" = "$before" ] || fail "an unchanged en.$ext was rewritten"
    [ "$(stat -c %Y "en.$ext")" -gt 946684800 ] || fail "an unchanged en.$ext kept its old time"
done
sed 's/read every new issue/read each new issue/' en.md > en2.md
for ext in wav ogg; do
    cp "en.$ext" "edit.$ext"
    expect_exit 0 "$BIN" render en2.md -o "edit.$ext"
    expect_no_grep "unchanged" err.txt
    expect_exit 0 "$BIN" render en2.md -o "fresh.$ext" -q
    cmp -s "edit.$ext" "fresh.$ext" || fail "re-rendering over an older $ext gives other bytes"
done

# The English panel reads lists, quotes and link text; never the code, the
# HTML comment, the image or a URL.
python3 - <<'PY' || fail "English example read/not-read"
import json
texts = " ".join(s["text"] for s in json.load(open("en.json"))["segments"])
for said in ["read every new issue within two days", "Saying no is also a contribution",
             "contributing guide", "10:30 on Fridays", "Q&A: Advice for Newcomers"]:
    assert said in texts, said
for unsaid in ["gh issue list", "Recorded live", "http", "example.org", "Photo of the panel",
               "```", "**", "<!--"]:
    assert unsaid not in texts, unsaid
PY

# Failures leave no partial file and keep what was there: exit 3.
cp out/zh.wav keep.wav
expect_exit 3 "$BIN" render en.md -o no/such/folder/x.wav -q
[ -e no ] && fail "render into a missing folder created something"
echo "not a folder" > plainfile
expect_exit 3 "$BIN" render en.md -o plainfile/x.wav -q
expect_exit 3 "$BIN" render en.md -o keep.wav --vtt plainfile/x.vtt -q
cmp -s keep.wav out/zh.wav || fail "a failed render changed the previous output"
[ -e keep.chapters.json ] && fail "a failed render wrote chapters"
if [ "$(id -u)" != 0 ]; then
    mkdir ro && chmod 555 ro
    expect_exit 3 "$BIN" render en.md -o ro/x.wav -q
fi

# Interrupted by SIGINT: exit 3, no temporary left, the old output intact.
python3 - "$BIN" <<'PY' || fail "SIGINT"
import os, signal, subprocess, sys, time
big = open("zh.md").read()
body = big.split("---", 2)[2]
open("long.md", "w").write(big + body * 40)
p = subprocess.Popen([sys.argv[1], "render", "long.md", "-o", "keep.wav", "-q", "--no-cache"],
                     stderr=subprocess.PIPE)
time.sleep(0.5)
p.send_signal(signal.SIGINT)
_, err = p.communicate(timeout=60)
assert p.returncode == 3, (p.returncode, err)
assert b"interrupted" in err, err
left = [f for f in os.listdir(".") if f.startswith(".keep")]
assert not left, left
assert open("keep.wav", "rb").read() == open("out/zh.wav", "rb").read()
PY
ls -a | grep -q '^\.' && ls -a | grep '^\.[a-z]' && fail "temporary files left behind"
finish
