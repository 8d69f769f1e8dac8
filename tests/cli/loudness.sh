#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Loudness and delivery presets: what ffmpeg's EBU R128 meter (ebur128
# filter, true peak on) reads in what scriptcast wrote — the target within
# 0.5 LU, the true peak at or under the ceiling, every speaker within 1 LU
# of every other (their segments cut out by the manifest's sample
# positions), the manifest's own figures agreeing with ffmpeg's, the same
# bytes twice, --loudness off left as synthesized, bad values refused; the
# podcast preset (and a bare .mp3) at 44.1 kHz 128 kbit/s; the ACX preset's
# measurable requirements on every chapter file; --rate and --bitrate
# overriding a preset.
. "$(dirname "$0")/lib.sh"

cp "$SRC/assets/examples/panel-en.md" en.md
cp "$SRC/assets/examples/ai-podcast-zh.md" zh.md

# ebur128 FILE: "I TP" as ffmpeg's meter reads them.
ebur128() {
    ffmpeg -nostdin -hide_banner -nostats -i "$1" -af ebur128=peak=true -f null - 2>&1 |
        awk '/^ +I:/ {i=$2} /^ +Peak:/ {p=$2} END {print i, p}'
}

# check_file FILE MANIFEST TARGET CEILING: the file and each speaker in it.
check_file() {
    read -r I TP <<EOF2
$(ebur128 "$1")
EOF2
    python3 - "$I" "$TP" "$3" "$4" <<'PY' || fail "$1: integrated $I LUFS, true peak $TP dBTP; want $3 and <= $4"
import sys
i, tp, target, ceiling = map(float, sys.argv[1:])
assert abs(i - target) <= 0.5 and tp <= ceiling, (i, tp)
PY
    # Each speaker's segments, cut from the decoded audio, measured alone.
    ffmpeg -nostdin -v error -y -i "$1" -ac 1 -c:a pcm_s16le decoded.wav || fail "decode $1"
    python3 - "$2" <<'PY' || fail "$1: cannot cut the speakers"
import json, sys, wave
m = json.load(open(sys.argv[1]))
src = wave.open("decoded.wav")
rate = src.getframerate()
frames = src.readframes(src.getnframes())
assert rate == m["audio"]["sample_rate"], (rate, m["audio"])
names = []
for k, sp in enumerate(m["speakers"]):
    segs = [s for s in m["segments"] if s["speaker"] == sp["name"]]
    if sum(s["end_sample"] - s["start_sample"] for s in segs) < rate * 3:
        continue  # too little speech for a stable integrated loudness
    out = wave.open(f"speaker{k}.wav", "wb")
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(rate)
    for s in segs:
        out.writeframes(frames[2 * s["start_sample"]:2 * s["end_sample"]])
    out.close()
    names.append(f"speaker{k}.wav")
open("speakers.txt", "w").write("\n".join(names) + "\n")
PY
    : > levels.txt
    while read -r f; do
        ebur128 "$f" >> levels.txt
    done < speakers.txt
    python3 - "$2" "$I" "$TP" <<'PY' || fail "$1: speakers or manifest off"
import json, sys
m = json.load(open(sys.argv[1]))
levels = [float(l.split()[0]) for l in open("levels.txt")]
assert len(levels) >= 2, levels
assert max(levels) - min(levels) <= 1.0, ("speaker spread", levels)
# The manifest's figures are scriptcast's own meter on the same samples.
L = m["loudness"]
# (less the encoder's measured loudness offset, which it reports)
assert abs(L["integrated"] - float(sys.argv[2])) <= 0.3, (L, sys.argv[2])
# Measured before the encoder: lossy codecs add overshoot (the limiter leaves
# them a margin), PCM only rounding.
lossless = m["audio"]["format"] in ("wav", "flac")
assert abs(L["true_peak"] - float(sys.argv[3])) <= (0.3 if lossless else 1.0), (L, sys.argv[3])
assert L["range"] > 0 and L["rms"] < L["sample_peak"], L
for s in m["speakers"]:
    assert "loudness" in s and "gain" in s["loudness"], s
PY
}

expect_exit 0 "$BIN" render en.md -o en.wav --manifest en.json
expect_grep "loudness -1[56]\.[0-9] LUFS" err.txt
check_file en.wav en.json -16 -1.0
mv en.wav first.wav
expect_exit 0 "$BIN" render en.md -o en.wav --manifest en.json
cmp -s first.wav en.wav || fail "two renders of en.md differ"
ls -a | grep -q scriptcast-master && fail "a temporary was left behind"

# Another target and ceiling, a lossy format, the Chinese example.
expect_exit 0 "$BIN" render zh.md -o zh.ogg --manifest zh.json --loudness -20 --true-peak -3
check_file zh.ogg zh.json -20 -3.0

# Off: left as synthesized (espeak-ng's voices differ by several dB), measured.
expect_exit 0 "$BIN" render zh.md -o off.wav --manifest off.json --loudness off
python3 - <<'PY' || fail "--loudness off changed the audio"
import json
m = json.load(open("off.json"))
L = m["loudness"]
assert L["normalization"] == "off" and "master_gain" not in L, L
assert L["integrated"] < -19, L
levels = [s["loudness"]["integrated"] for s in m["speakers"]]
assert max(levels) - min(levels) > 1.5, levels
assert all(s["loudness"]["gain"] == 0 for s in m["speakers"]), m["speakers"]
PY

# probe FILE: "rate bit_rate" of its audio stream.
probe() {
    ffprobe -v error -select_streams a:0 -show_entries stream=sample_rate,bit_rate -of csv=p=0 "$1" |
        tr ',' ' '
}

# Podcast: Apple's MP3 at 44.1 kHz, 128 kbit/s (mono), -16 LUFS, -1 dBTP.
expect_exit 0 "$BIN" render en.md --preset podcast -o pod.mp3 --manifest pod.json
check_file pod.mp3 pod.json -16 -1.0
[ "$(probe pod.mp3)" = "44100 128000" ] || fail "podcast preset: $(probe pod.mp3)"
# A bare .mp3 gets the same settings, hence the same bytes.
expect_exit 0 "$BIN" render en.md -o bare.mp3
cmp -s pod.mp3 bare.mp3 || fail "a bare .mp3 differs from --preset podcast"
# --rate and --bitrate override the preset; a preset's format is its own.
expect_exit 0 "$BIN" render en.md --preset podcast --rate 48000 --bitrate 96 -o p48.mp3
[ "$(probe p48.mp3)" = "48000 96000" ] || fail "--rate/--bitrate over a preset: $(probe p48.mp3)"
expect_exit 2 "$BIN" render en.md --preset podcast -o pod.wav
expect_grep "writes .mp3" err.txt
expect_exit 2 "$BIN" batch en.md -d b --preset acx
expect_grep "file per chapter" err.txt

# Audiobook: M4B, once this build has an MP4 writer; until then said plainly.
"$BIN" render en.md --preset audiobook -o book.m4b --manifest book.json >out.txt 2>err.txt
case $? in
0) check_file book.m4b book.json -18 -3.0
   [ "$(probe book.m4b | cut -d' ' -f1)" = 44100 ] || fail "audiobook: $(probe book.m4b)" ;;
2) expect_grep "cannot write" err.txt ;;
*) fail "--preset audiobook: $(cat err.txt)" ;;
esac

# ACX: a file per chapter, named by number, with its own sidecars; each
# 44.1 kHz CBR MP3 at 192 kbit/s, RMS -23..-18 dBFS, peaks <= -3 dB, noise
# floor <= -60 dB, 0.5-1 s of room tone before and 1-5 s after.
mkdir acx
expect_exit 0 "$BIN" render zh.md --preset acx -o acx/book.mp3 --manifest acx/book.manifest.json
expect_grep "book-01.mp3 to acx/book-05.mp3, one file per chapter" err.txt
[ ! -e acx/book.mp3 ] || fail "ACX wrote the whole book as one file too"
for k in 01 02 03 04 05; do
    f=acx/book-$k.mp3
    [ -s acx/book-$k.chapters.json ] && [ -s acx/book-$k.manifest.json ] ||
        fail "$f has no sidecars"
    [ "$(probe "$f")" = "44100 192000" ] || fail "$f: $(probe "$f")"
    sizes=$(ffprobe -v error -select_streams a:0 -show_entries packet=size -of default=nw=1:nk=1 "$f" |
        sort -u | tr '
' ' ')
    # CBR at 44.1 kHz, 192 kbit/s: every frame is 626 bytes, or 627 with padding.
    case "$sizes" in "626 627 " | "626 " | "627 ") ;; *) fail "$f is not CBR: $sizes" ;; esac
    ffmpeg -nostdin -v error -y -i "$f" -c:a pcm_s16le acx.wav || fail "decode $f"
    python3 - "$f" <<'PY' || fail "$f misses ACX's requirements"
import math, struct, sys, wave
w = wave.open("acx.wav")
r, n = w.getframerate(), w.getnframes()
x = struct.unpack("<%dh" % n, w.readframes(n))
db = lambda v: 20 * math.log10(max(v, 1e-9) / 32768)
rms = db(math.sqrt(sum(v * v for v in x) / n))
peak = db(max(abs(v) for v in x))
# The quietest half second anywhere is the noise floor.
half = r // 2
floor = min(db(math.sqrt(sum(v * v for v in x[i:i + half]) / half))
            for i in range(0, n - half, r // 10))
step = r // 100
def quiet(i):
    return db(math.sqrt(sum(v * v for v in x[i:i + step]) / step)) < -60
head = 0
while head + step <= n and quiet(head):
    head += step
tail = 0
while tail + step <= n and quiet(n - tail - step):
    tail += step
assert -23 <= rms <= -18, ("RMS", rms)
assert peak <= -3, ("peak", peak)
assert floor <= -60, ("noise floor", floor)
assert 0.5 <= head / r <= 1.0, ("room tone at the head", head / r)
assert 1.0 <= tail / r <= 5.0, ("room tone at the tail", tail / r)
PY
done
cp acx/book-03.mp3 third.mp3
expect_exit 0 "$BIN" render zh.md --preset acx -o acx/book.mp3
cmp -s third.mp3 acx/book-03.mp3 || fail "two ACX renders differ"

# What normalization found is kept beside the clips: the render that finds
# it writes the same bytes and manifest as one that works it out, and a
# damaged record is ignored.
expect_exit 0 "$BIN" render en.md -o warm1.mp3 --manifest warm1.json -q --cache cc
ls cc/master/*.gains >/dev/null 2>&1 || fail "no loudness record in the cache"
expect_exit 0 "$BIN" render en.md -o warm2.mp3 --manifest warm2.json -q --cache cc
expect_exit 0 "$BIN" render en.md -o cold.mp3 --manifest cold.json -q --no-cache
for f in cc/master/*.gains; do printf 'garbage' | dd of="$f" bs=1 seek=60 conv=notrunc 2>/dev/null; done
expect_exit 0 "$BIN" render en.md -o warm3.mp3 --manifest warm3.json -q --cache cc
for n in warm2 cold warm3; do
    cmp -s warm1.mp3 $n.mp3 || fail "$n.mp3 differs from warm1.mp3"
    sed "s/$n/warm1/g" $n.json | cmp -s warm1.json - || fail "$n.json differs from warm1.json"
done

expect_exit 2 "$BIN" render zh.md --loudness loud
expect_grep "loudness: takes LUFS" err.txt
expect_exit 2 "$BIN" render zh.md --loudness -3
expect_exit 2 "$BIN" render zh.md --true-peak 1
expect_grep "true-peak" err.txt
finish
