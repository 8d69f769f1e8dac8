#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# MP3 encoded in segments (src/audio/avsplit.h), checked on what a player
# decodes: exactly the manifest's length; every pause of the manifest
# silent (a bad splice is a burst of noise or a shift of the speech); every
# turn audible where the manifest puts it; the same bytes twice.
. "$(dirname "$0")/lib.sh"

command -v ffmpeg >/dev/null || { echo "ffmpeg missing (scripts/deps.sh installs it)" >&2; exit 1; }
# About three and a half minutes of speech in 40 turns: several segments.
python3 "$SRC/bench/gen.py" 600 long.md || fail "gen.py"
expect_exit 0 "$BIN" render long.md -o long.mp3 --manifest long.json -q
expect_exit 0 "$BIN" render long.md -o again.mp3 -q
cmp -s long.mp3 again.mp3 || fail "two renders of long.md differ"
ffmpeg -v error -i long.mp3 -f s16le -ac 1 long.raw || fail "ffmpeg cannot decode long.mp3"

python3 - <<'PY' || fail "the decoded MP3 does not match the manifest"
import array, json
m = json.load(open("long.json"))
rate = m["audio"]["sample_rate"]
x = array.array("h")
x.frombytes(open("long.raw", "rb").read())
assert len(x) == m["audio"]["samples"], (len(x), m["audio"]["samples"])
assert m["audio"]["seconds"] > 150, m["audio"]["seconds"]
segs = m["segments"]
edge = int(0.02 * rate)
pauses = 0
for a, b in zip(segs, segs[1:]):
    lo, hi = int(a["end"] * rate) + edge, int(b["start"] * rate) - edge
    if hi - lo > int(0.2 * rate):
        pauses += 1
        loud = max(abs(v) for v in x[lo:hi])
        assert loud <= 16, ("noise in a pause", a["end"], b["start"], loud)
for s in segs:
    lo, hi = int(s["start"] * rate), int(s["end"] * rate)
    part = x[lo:hi]
    assert part and max(abs(v) for v in part) > 1000, ("a silent turn", s["start"], s["end"])
assert pauses >= 8, pauses
PY
exit $FAILED
