#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Loudness: what ffmpeg's EBU R128 meter (ebur128 filter, true peak on)
# reads in what scriptcast wrote — the target within 0.5 LU, the true peak
# at or under the ceiling, every speaker within 1 LU of every other (their
# segments cut out by the manifest's sample positions), the manifest's own
# figures agreeing with ffmpeg's, the same bytes twice, --loudness off left
# as synthesized, and bad values refused.
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
assert abs(L["integrated"] - float(sys.argv[2])) <= 0.15, (L, sys.argv[2])
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

expect_exit 2 "$BIN" render zh.md --loudness loud
expect_grep "loudness: takes LUFS" err.txt
expect_exit 2 "$BIN" render zh.md --loudness -3
expect_exit 2 "$BIN" render zh.md --true-peak 1
expect_grep "true-peak" err.txt
finish
