#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Pauses where the language changes at punctuation: each run is synthesized
# alone and its trailing silence trimmed, so the plan's run pause_ms must
# come out as silence in the audio. Renders the same speech with and
# without the sentence stop at the boundary and measures the difference
# and the silence at the boundary in the decoded file.
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

head='---
title: t
lang: zh
speakers: [陆飞]
scriptcast: {announce-title: false}
---
'
printf '%s\n陆飞：这里说的是 free pages。这里有很多内容。\n' "$head" > stop.md
printf '%s\n陆飞：这里说的是 free pages 这里有很多内容。\n' "$head" > none.md
"$BIN" plan --json stop.md > stop.json || fail "plan --json stop.md"
expect_exit 0 "$BIN" render stop.md -o stop.wav --manifest stop.manifest.json --no-cache
expect_exit 0 "$BIN" render none.md -o none.wav --no-cache
"$AUDIOINFO" stop.wav > stop.info || fail "cannot decode stop.wav"
"$AUDIOINFO" none.wav > none.info || fail "cannot decode none.wav"
python3 - <<'PY' || fail "pause at the run boundary"
import json
plan = json.load(open("stop.json"))
runs = plan["segments"][0]["runs"]
assert [r["lang"] for r in runs] == ["zh", "en", "zh"], runs
assert runs[1]["text"] == "free pages.", runs
pause = runs[2].get("pause_ms", 0)
assert pause >= 300, runs
stop, none = json.load(open("stop.info")), json.load(open("none.info"))
rate = stop["rate"]
extra_ms = (stop["frames"] - none["frames"]) * 1000 / rate
# The stop adds the planned pause; the voice's own sentence ending may move
# the rest by a few tens of milliseconds.
assert abs(extra_ms - pause) < 80, (extra_ms, pause)
PY
finish
