#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Publishing containers: every compressed format carries the chapters of
# chapters.json (ffprobe -show_chapters; mutagen reads the MP3's CHAP/CTOC
# frames), Chinese titles intact, starts within 1 ms; title and artist read
# back; the decoded length is the manifest's; a second render gives the
# same bytes.
. "$(dirname "$0")/lib.sh"

command -v ffprobe >/dev/null || { echo "ffprobe missing (scripts/deps.sh installs it)" >&2; exit 1; }
# mutagen is a Debian package: the system's python3 has it even where
# another python3 comes first on PATH.
PYM=python3
python3 -c 'import mutagen' 2>/dev/null || PYM=/usr/bin/python3
$PYM -c 'import mutagen' || { echo "python3-mutagen missing" >&2; exit 1; }

FORMATS="m4b m4a mp3 opus ogg flac"
# The Chinese example with the publishing fields and a cover beside it.
mkdir -p art
ffmpeg -v error -f lavfi -i color=red:s=64x48 -frames:v 1 -y art/cover.png || fail "ffmpeg png"
ffmpeg -v error -f lavfi -i color=blue:s=40x30 -frames:v 1 -y blue.jpg || fail "ffmpeg jpeg"
python3 - "$SRC/assets/examples/ai-podcast-zh.md" <<'PY'
import sys
src = open(sys.argv[1]).read().split("\n")
extra = ["show: 硅谷夜谈", "summary: 两位工程师聊大模型的下一站。", "episode: 42", "cover: art/cover.png"]
open("zh.md", "w").write("\n".join(src[:1] + extra + src[1:]))
PY
cp "$SRC/assets/examples/panel-en.md" en.md

for ext in $FORMATS; do
    expect_exit 0 "$BIN" render zh.md -o "zh.$ext" --manifest "zh.$ext.json" -q
    ffprobe -v error -show_chapters -show_format -show_streams -of json "zh.$ext" \
        > "probe.$ext.json" || fail "ffprobe cannot read zh.$ext"
done

python3 - $FORMATS <<'PY' || fail "chapters or tags in the containers"
import json, sys
for ext in sys.argv[1:]:
    want = json.load(open("zh.chapters.json"))["chapters"]
    m = json.load(open(f"zh.{ext}.json"))
    p = json.load(open(f"probe.{ext}.json"))
    got = p["chapters"]
    assert len(got) == len(want) == 5, (ext, len(got))
    for g, w in zip(got, want):
        assert g["tags"]["title"] == w["title"], (ext, g["tags"], w["title"])
        assert abs(float(g["start_time"]) - w["startTime"]) <= 0.001, (ext, g, w)
    assert "开场" in [g["tags"]["title"] for g in got], ext
    # The last chapter ends with the audio (ffprobe counts Opus's 312 samples
    # of pre-skip into the stream's length, 6.5 ms).
    seconds = m["audio"]["seconds"]
    slack = 0.0075 if ext == "opus" else 0.001
    assert abs(float(got[-1]["end_time"]) - seconds) <= slack, (ext, got[-1], seconds)
    tags = {k.lower(): v for k, v in p["format"].get("tags", {}).items()}
    # Ogg keeps its comments on the stream.
    for s in p["streams"]:
        tags.update({k.lower(): v for k, v in s.get("tags", {}).items()})
    assert tags.get("title") == "硅谷夜谈 第42期：大模型的下一站", (ext, tags)
    assert "老隐" in tags.get("artist", ""), (ext, tags)
    audio = [s for s in p["streams"] if s["codec_type"] == "audio"]
    assert len(audio) == 1 and int(audio[0]["sample_rate"]) == m["audio"]["sample_rate"], ext
    # Chapter comments are the spec's, numbered from 001, in exact milliseconds.
    if ext in ("opus", "ogg", "flac"):
        raw = open(f"zh.{ext}", "rb").read()
        assert b"CHAPTER002=00:00:15.406" in raw and "CHAPTER002NAME=开场".encode() in raw, ext
    # The bit rate asked for is the one delivered (Opus's unconstrained VBR
    # once took 79 kbit/s for the default 48); the file's overall rate
    # includes the container and the cover.
    if ext in ("opus", "mp3"):
        asked = {"opus": 48000, "mp3": 128000}[ext]
        got_rate = int(audio[0].get("bit_rate") or p["format"]["bit_rate"])
        assert 0.85 * asked <= got_rate <= 1.1 * asked, (ext, got_rate, asked)
print("chapters and tags ok in", " ".join(sys.argv[1:]))
PY

# The decoded length is the manifest's, to the sample, where the decoder
# honours the container's end (MP4's edit list ends it; ffmpeg 5.1 decodes
# the last AAC frame whole, so MP4 is checked in the stream header).
for ext in mp3 opus ogg flac; do
    n=$(ffmpeg -v error -i "zh.$ext" -f s16le -ac 1 - | wc -c)
    python3 - "$ext" "$n" <<'PY' || fail "decoded length of zh.$ext"
import json, sys
ext, nbytes = sys.argv[1], int(sys.argv[2])
want = json.load(open(f"zh.{ext}.json"))["audio"]["samples"]
assert nbytes // 2 == want, (ext, nbytes // 2, want)
PY
done
python3 - <<'PY' || fail "MP4 length"
import json
for ext in ("m4b", "m4a"):
    p = json.load(open(f"probe.{ext}.json"))
    a = [s for s in p["streams"] if s["codec_type"] == "audio"][0]
    want = json.load(open(f"zh.{ext}.json"))["audio"]["samples"]
    assert int(a["duration_ts"]) == want, (ext, a["duration_ts"], want)
    assert p["format"]["tags"]["major_brand"].strip() == ("M4B" if ext == "m4b" else "M4A"), p
PY

# MP3: ID3v2 CHAP frames under a CTOC, each with a TIT2 title, as mutagen reads them.
$PYM - <<'PY' || fail "MP3 ID3 chapters (mutagen)"
import json
from mutagen.id3 import ID3
want = json.load(open("zh.chapters.json"))["chapters"]
t = ID3("zh.mp3")
assert t.version[:2] == (2, 3), t.version
tocs = t.getall("CTOC")
assert len(tocs) == 1 and tocs[0].flags & 1 and tocs[0].flags & 2, tocs
chaps = {c.element_id: c for c in t.getall("CHAP")}
assert list(tocs[0].child_element_ids) == [f"ch{i + 1}" for i in range(len(want))]
for i, w in enumerate(want):
    c = chaps[f"ch{i + 1}"]
    assert c.sub_frames["TIT2"].text[0] == w["title"], (c, w)
    assert abs(c.start_time / 1000 - w["startTime"]) <= 0.001, (c.start_time, w)
assert str(t["TIT2"]) == "硅谷夜谈 第42期：大模型的下一站"
assert not open("zh.mp3", "rb").read()[-128:].startswith(b"TAG"), "no ID3v1 tag"
PY

# Tags and cover from the front matter (Chinese: show, summary, episode,
# cover beside the transcript) and from --cover (English),
# read back by ffprobe and mutagen in every container.
for ext in $FORMATS; do
    cp "probe.$ext.json" "zh.$ext.probe.json"
    expect_exit 0 "$BIN" render en.md -o "en.$ext" --cover blue.jpg -q
    ffprobe -v error -show_format -show_streams -of json "en.$ext" > "en.$ext.probe.json" ||
        fail "ffprobe en.$ext"
    for f in "zh.$ext" "en.$ext"; do
        ffmpeg -v error -i "$f" -map 0:v -c copy -f image2 -y "$f.cover" || fail "no cover in $f"
    done
done
$PYM - $FORMATS <<'PY' || fail "tags and cover"
import base64, json, sys
import mutagen
from mutagen.flac import Picture
png, jpg = open("art/cover.png", "rb").read(), open("blue.jpg", "rb").read()
zh = {"title": "硅谷夜谈 第42期：大模型的下一站", "album": "硅谷夜谈", "date": "2026-11-20",
      "track": "42", "description": "两位工程师聊大模型的下一站。"}
for ext in sys.argv[1:]:
    for f, want, cover, lang in (("zh." + ext, zh, png, "zh"),
                                 ("en." + ext, {"title": "Open Source Maintainers Panel"}, jpg,
                                  "en")):
        p = json.load(open(f + ".probe.json"))
        tags = {k.lower(): v for k, v in p["format"].get("tags", {}).items()}
        audio = [s for s in p["streams"] if s["codec_type"] == "audio"][0]
        tags.update({k.lower(): v for k, v in audio.get("tags", {}).items()})
        for k, v in want.items():
            assert v in tags.get(k, "") or (k == "description" and v in tags.get("comment", "")), \
                (f, k, tags.get(k), v)
        assert tags.get("genre") == ("Audiobook" if ext == "m4b" else "Podcast"), (f, tags)
        disclosure = tags.get("comment", "")
        assert "Synthetic voices (AI): espeak-ng" in disclosure, (f, tags)
        assert ("zh-male-1" if lang == "zh" else "en-female-1") in disclosure, (f, disclosure)
        if lang == "en":
            assert tags["artist"] == "Maya Lopez, Arun, Jo Chen" or "Maya" in tags["artist"], tags
        assert open(f + ".cover", "rb").read() == cover, (f, "cover bytes differ")
        pics = [s for s in p["streams"] if s["codec_type"] == "video"]
        assert pics and pics[0]["disposition"]["attached_pic"] == 1, (f, pics)
        m = mutagen.File(f)
        assert m is not None, f
        if ext == "mp3":
            assert m.tags.version[:2] == (2, 3)
            assert str(m.tags["TIT2"]) == want["title"]
            assert m.tags.getall("APIC")[0].data == cover and m.tags.getall("APIC")[0].type == 3
            comm = [c for c in m.tags.getall("COMM") if c.desc == ""][0]
            assert "Synthetic voices" in str(comm), comm
            assert str(m.tags["TLAN"]) == ("chi" if lang == "zh" else "eng")
            assert str(m.tags["TCON"]) == "Podcast"
            if lang == "zh":
                assert str(m.tags["TALB"]) == zh["album"] and str(m.tags["TRCK"]) == "42"
                d = [c for c in m.tags.getall("COMM") if c.desc == "description"][0]
                assert str(d) == zh["description"], d
                assert str(m.tags["TDRC"]) == "2026-11-20", m.tags["TDRC"]
        elif ext in ("m4a", "m4b"):
            assert m.tags["\xa9nam"] == [want["title"]]
            assert bytes(m.tags["covr"][0]) == cover
            assert "Synthetic voices" in m.tags["\xa9cmt"][0]
            assert m.tags["stik"] == [2 if ext == "m4b" else 21], m.tags["stik"]
            assert audio["tags"]["language"] == ("chi" if lang == "zh" else "eng"), audio
            if lang == "zh":
                assert m.tags["desc"] == [zh["description"]] and m.tags["trkn"] == [(42, 0)]
        else:
            assert m.tags["title"] == [want["title"]], m.tags
            assert m.tags["language"] == [lang], m.tags
            pic = m.pictures[0] if ext == "flac" else Picture(
                base64.b64decode(m.tags["metadata_block_picture"][0]))
            assert pic.data == cover and pic.type == 3, f
            assert (pic.width, pic.height) == ((64, 48) if lang == "zh" else (40, 30)), f
            if lang == "zh":
                assert m.tags["tracknumber"] == ["42"] and m.tags["album"] == [zh["album"]]
                assert m.tags["description"][0].startswith(zh["description"] + "\n\nSynthetic")
print("tags and cover ok")
PY

# Same input, same bytes, in every container (MP4 creation times, encoder
# strings and Ogg serial numbers would break this).
mkdir -p again
for ext in $FORMATS; do
    expect_exit 0 "$BIN" render zh.md -o "again/zh.$ext" -q
    cmp -s "zh.$ext" "again/zh.$ext" || fail "a second render of zh.$ext gives other bytes"
done

# A transcript may only name a cover inside its own folder tree, and only
# an image: errors at the value's line and column, exit 1, nothing written.
mkdir -p show/art
cp zh.md show/zh.md
cp art/cover.png show/art/
echo "not an image" > show/art/fake.png
echo "outside" > secret.png
ln -s ../../secret.png show/art/link.png
for bad in ../secret.png /etc/passwd art/link.png art/fake.png art/missing.png; do
    sed "s|^cover: art/cover.png|cover: $bad|" show/zh.md > show/bad.md
    expect_exit 1 "$BIN" render show/bad.md -o show/bad.mp3 -q
    expect_grep "show/bad.md:5:8: error: cover" err.txt
    [ -e show/bad.mp3 ] && fail "a refused cover ($bad) still wrote audio"
    expect_exit 1 "$BIN" check show/bad.md
    expect_grep "show/bad.md:5:8: error: cover" err.txt
done
sed "s|^cover: art/cover.png|cover: art/fake.png|" show/zh.md > show/bad.md
expect_exit 1 "$BIN" check show/bad.md
expect_grep "not a PNG or JPEG" err.txt
sed "s|^cover: art/cover.png|cover: ../secret.png|" show/zh.md > show/bad.md
expect_exit 1 "$BIN" check show/bad.md
expect_grep "outside the transcript's folder" err.txt
# --cover comes from whoever runs the command: any path, still checked.
expect_exit 2 "$BIN" render en.md -o en.mp3 --cover no-such.png -q
expect_exit 1 "$BIN" render en.md -o bad.mp3 --cover show/art/fake.png -q
expect_grep "not a PNG or JPEG image" err.txt

# Sidecar fixes: chapter WebVTT escapes & < > (the English panel has a
# "Q&A" chapter); SRT cues have at most two lines of 32 characters and
# together say the whole text; Opus at --rate 16000 still decodes at 48 kHz,
# so the manifest counts at 48 kHz.
sed 's/^## Workflows$/## Workflows: 1 < 2 \& 3 > 2/' en.md > en-side.md
expect_exit 0 "$BIN" render en-side.md -o side.wav --srt side.srt --chapters-vtt side.vtt \
    --manifest side.json -q
expect_exit 0 "$BIN" render zh.md -o zh-side.wav --srt zh.srt --manifest zh-side.json -q
expect_exit 0 "$BIN" render en.md -o en16.opus --rate 16000 --manifest en16.json -q
ffprobe -v error -show_chapters -show_streams -of json en16.opus > en16.probe.json || fail "ffprobe"
n16=$(ffmpeg -v error -i en16.opus -f s16le -ac 1 - | wc -c)
python3 - "$n16" <<'PY' || fail "sidecar fixes"
import json, re, sys
vtt = open("side.vtt").read()
assert "Q&amp;A: Advice for Newcomers" in vtt, vtt
assert "Workflows: 1 &lt; 2 &amp; 3 &gt; 2" in vtt, vtt
for line in vtt.split("\n"):
    if "-->" in line:
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d\d\d --> \d\d:\d\d:\d\d\.\d\d\d", line), line
    else:
        assert "<" not in line and not re.search(r"&(?!amp;|lt;|gt;)", line), line

def srt(path, manifest):
    m = json.load(open(manifest))
    names = sorted({s["speaker"] for s in m["segments"]}, key=len, reverse=True)
    blocks = open(path).read().strip("\n").split("\n\n")
    said, last = [], 0.0
    for i, b in enumerate(blocks):
        lines = b.split("\n")
        assert lines[0] == str(i + 1), b
        t = re.fullmatch(r"(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)", lines[1])
        assert t, b
        v = [int(x) for x in t.groups()]
        start = v[0] * 3600 + v[1] * 60 + v[2] + v[3] / 1000
        end = v[4] * 3600 + v[5] * 60 + v[6] + v[7] / 1000
        assert last <= start <= end, (b, last)
        last = end
        text = lines[2:]
        assert 1 <= len(text) <= 2, b
        assert all(len(l) <= 32 for l in text), b
        first = text[0]
        for name in names:
            if first.startswith(name + ": "):
                first = first[len(name) + 2:]
                break
        said.append(" ".join([first] + text[1:]))
    joined = re.sub(r"\s+", "", "".join(said))
    for s in m["segments"]:
        body = re.sub(r"\s+", "", s["text"])
        assert body in joined, (s["text"], path)
    return len(blocks)

assert srt("side.srt", "side.json") > len(json.load(open("side.json"))["segments"])
srt("zh.srt", "zh-side.json")

m = json.load(open("en16.json"))
assert m["audio"]["sample_rate"] == 48000, m["audio"]
assert int(sys.argv[1]) // 2 == m["audio"]["samples"], (int(sys.argv[1]) // 2, m["audio"])
p = json.load(open("en16.probe.json"))
assert int(p["streams"][0]["sample_rate"]) == 48000
for c, g in zip(m["chapters"], p["chapters"]):
    assert abs(c["start_sample"] / 48000 - float(g["start_time"])) <= 0.001, (c, g)
print("sidecar fixes ok")
PY

finish
