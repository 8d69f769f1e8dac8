#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Japanese end to end: a transcript with kanji renders to audio whose
# samples equal those of the same transcript written in the readings the
# plan shows (so the kanji were read before synthesis, by MeCab), every
# Japanese run goes to a ja voice and Latin words to the latin-voice, and
# espeak-ng's phonemes for the plan's texts hold no "Chinese letter". With
# the dictionary missing, render warns and still writes audio. The voices
# are the derived ja ones (no profile files).
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

head='---
title: テスト
lang: ja
speakers: [田中, 佐藤]
scriptcast: {announce-title: false}
---
'
printf '%s\n田中: 今日は日本に行った話をします。一人で3日間、東京にいました。\n\n佐藤: GPT-4o も使いましたか？\n' \
    "$head" > kanji.md
"$BIN" plan --json kanji.md > plan.json 2>plan.err || fail "plan --json kanji.md"
python3 - <<'PY' || fail "plan of the Japanese transcript"
import json, re, subprocess
plan = json.load(open("plan.json"))
runs = [r for s in plan["segments"] for r in s["runs"]]
ja = [r for r in runs if r["lang"] == "ja"]
assert ja and all(r["voice"] == "ja" for r in ja), runs
en = [r for r in runs if r["lang"] == "en"]
assert [r["text"] for r in en] == ["G P T 4o"] and en[0]["voice"] == "en-us", runs
assert ja[0]["text"].startswith("キョーワニッポンニイッタハナシヲシマス。ヒトリデミッカカン"), ja[0]
for r in ja:
    assert not re.search(r"[\u4e00-\u9fff0-9]", r["text"]), r  # no kanji, no digits left
    ph = subprocess.run(["espeak-ng", "-q", "-x", "-v", "ja", r["text"]],
                        capture_output=True, text=True, check=True).stdout
    assert "(en)" not in ph, (r["text"], ph)  # "Chinese letter" is read in English
# The same transcript written in the readings, for the render comparison.
text = open("kanji.md").read()
body = text[text.index("田中:"):]
for line in body.split("\n"):
    if line.startswith("田中:"):
        text = text.replace(line, "田中: " + ja[0]["text"])
open("kana.md", "w").write(text)
PY
expect_exit 0 "$BIN" render kanji.md -o kanji.wav --manifest kanji.json --no-cache
expect_exit 0 "$BIN" render kana.md -o kana.wav --no-cache
"$AUDIOINFO" kanji.wav > kanji.info || fail "cannot decode kanji.wav"
"$AUDIOINFO" kana.wav > kana.info || fail "cannot decode kana.wav"
cmp -s kanji.wav kana.wav || fail "kanji.wav and kana.wav differ: the readings did not reach the engine"

# Without the dictionary: a warning, and audio all the same (kanji spelled out).
expect_exit 0 env SCRIPTCAST_MECAB_DICDIR="$WORK/none" "$BIN" render kanji.md -o nodic.wav \
    --no-cache
expect_grep "warning: cannot open the MeCab dictionary" err.txt
expect_grep "Chinese letter" err.txt
"$AUDIOINFO" nodic.wav > nodic.info || fail "cannot decode nodic.wav"
python3 - <<'PY' || fail "rendered lengths"
import json
k, n = json.load(open("kanji.info")), json.load(open("nodic.info"))
m = json.load(open("kanji.json"))
assert k["frames"] > k["rate"] * 3, k            # several seconds of speech
assert m["audio"]["samples"] == k["frames"], (m["audio"], k)
assert [s["voice"] for s in m["segments"]] == ["ja-male-1", "ja-female-1"], m["segments"]
assert n["frames"] > k["frames"] * 1.5, (n, k)   # "Chinese letter" for every kanji is long
PY
finish
