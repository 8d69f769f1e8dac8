#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Transcripts in languages without shipped profiles: a German one renders
# with derived de-* voices (decoded: speech, not silence), region tags reach
# espeak-ng's regional voice, a language espeak-ng lacks is an error at the
# front matter's lang with exit 1, and one it reads partly a warning;
# `voices` lists derived profiles (a golden listing: names and parameters
# stay the same), marks them, and lets a file of the same name override one.
. "$(dirname "$0")/lib.sh"

cat >de.md <<'MD'
---
title: Das Wetter
lang: de-DE
---

# Heute

Anna: Guten Morgen, wie ist das Wetter heute in Berlin?

Peter: Es regnet seit drei Tagen, aber morgen scheint die Sonne.
MD

expect_exit 0 "$BIN" render de.md -o de.wav --manifest de.json --no-cache
python3 - de.wav de.json <<'PY' || fail "German render"
import json, sys, wave, array
w = wave.open(sys.argv[1])
pcm = array.array("h", w.readframes(w.getnframes()))
assert w.getnframes() > w.getframerate(), w.getnframes()  # over a second
loud = sum(1 for x in pcm if abs(x) > 1000)
assert loud > len(pcm) // 20, (loud, len(pcm))  # speech, not silence
m = json.load(open(sys.argv[2]))
voices = {s["name"]: s["voice"] for s in m["speakers"]}
assert voices["Anna"] == "de-female-1", voices
assert voices["Peter"] == "de-male-1", voices
assert all(s["voice"].startswith("de-") for s in m["segments"]), m["segments"]
PY

# pt-BR: the Brazilian voices, not Portugal's.
sed 's/lang: de-DE/lang: pt-BR/' de.md >pt.md
expect_exit 0 "$BIN" plan pt.md --json
python3 - out.txt <<'PY' || fail "pt-BR voices"
import json, sys
p = json.load(open(sys.argv[1]))
assert all(s["voice"].startswith("pt-br-") for s in p["speakers"]), p["speakers"]
PY

# No voice: an error at lang: naming the language and how to add profiles.
sed 's/lang: de-DE/lang: nn/' de.md >nn.md
expect_exit 1 "$BIN" plan nn.md
expect_grep 'nn.md:3:7: error: espeak-ng has no voice for language "nn"' err.txt
expect_grep 'nn-narrator.yaml' err.txt
expect_grep 'lang: nn and voice: an espeak-ng voice id' err.txt
expect_exit 1 "$BIN" check nn.md
expect_grep 'nn.md:3:7: error' err.txt

# Profiles of its own make it work: nn read by the Bokmål voice.
mkdir nn-voices
printf 'name: nn-narrator\nlang: nn\nvoice: nb\n' >nn-voices/nn-narrator.yaml
printf 'name: nn-female-1\nlang: nn\nvoice: nb\nvariant: f2\n' >nn-voices/nn-female-1.yaml
expect_exit 0 "$BIN" plan nn.md --voices nn-voices --json
expect_grep '"nn-female-1"' out.txt

# --strict and unknown names work with derived pools: undeclared speakers
# are errors; a cast entry may name a derived voice of another language,
# not a derived name that does not exist.
expect_exit 1 "$BIN" check --strict de.md
expect_grep 'de.md:8:1: error: speaker "Anna" is not declared' err.txt
cat >cast.yaml <<'YAML'
cast:
  Anna: fr-female-2
  Peter: de-male-9
YAML
expect_exit 1 "$BIN" plan de.md --cast cast.yaml
expect_grep 'error: unknown voice profile "de-male-9"' err.txt
expect_no_grep 'fr-female-2"' err.txt
printf 'cast:\n  Anna: fr-female-2\n' >cast.yaml
expect_exit 0 "$BIN" plan de.md --cast cast.yaml --json
expect_grep '"fr-female-2"' out.txt

# Partly: a warning at lang:, and the plan goes on.
sed 's/lang: de-DE/lang: ar/' de.md >ar.md
expect_exit 0 "$BIN" plan ar.md
expect_grep 'ar.md:3:7: warning: language "ar" (Arabic): espeak-ng speaks it only partly' err.txt
# The derived listing of a few languages, as golden JSON.
expect_exit 0 "$BIN" voices --json --lang de --lang pt-BR --lang ko --lang en-GB --lang yue
python3 - out.txt "$SRC/tests/cli/voices-derived.json" <<'PY' || fail "voices --json differs from tests/cli/voices-derived.json"
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for g, w in zip(got, want):
    if g != w:
        print("got ", g, "\nwant", w)
assert got == want, (len(got), len(want))
PY

# Every language: 13 each, names unique, shipped en and zh not derived.
expect_exit 0 "$BIN" voices --json
python3 - out.txt <<'PY' || fail "voices --json: all languages"
import json, sys, collections
v = json.load(open(sys.argv[1]))
names = [x["name"] for x in v]
assert len(names) == len(set(names))
per = collections.Counter(x["lang"] for x in v)
assert len(per) >= 100, len(per)
assert all(n >= 13 for n in per.values()), per
assert not any(x["derived"] for x in v if x["lang"] in ("en", "zh"))
assert all(x["path"] is None for x in v if x["derived"])
for lang in per:
    g = collections.Counter(x["gender"] for x in v if x["lang"] == lang)
    assert g["male"] >= 6 and g["female"] >= 6, (lang, g)
PY

# A file of a derived name wins; the language's other names stay derived.
mkdir over
printf 'name: de-male-1\nlang: de\nvoice: de\nvariant: m2\npitch: 33\n' >over/de-male-1.yaml
expect_exit 0 "$BIN" voices --json --lang de --voices over
python3 - out.txt <<'PY' || fail "override of a derived profile"
import json, sys
v = {x["name"]: x for x in json.load(open(sys.argv[1]))}
assert len(v) == 13, sorted(v)
m = v["de-male-1"]
assert not m["derived"] and m["variant"] == "m2" and m["pitch"] == 33, m
assert m["path"].endswith("over/de-male-1.yaml"), m
assert v["de-male-2"]["derived"]
PY
expect_exit 0 "$BIN" voices --lang de --voices over
expect_grep '^de-male-2 .*derived: German' out.txt
expect_grep '^de-male-1 .*over/de-male-1.yaml' out.txt
expect_grep 'derived .*: 12 profiles used' out.txt

# Derived names as operands; a missing one, and a language espeak-ng lacks.
expect_exit 0 "$BIN" voices ko-male-3 fr-narrator
expect_grep '^ko-male-3 ' out.txt
expect_exit 1 "$BIN" voices de-male-9
expect_grep 'no voice profile "de-male-9"' err.txt
expect_exit 1 "$BIN" voices --lang nn
expect_grep 'espeak-ng has no voice for language "nn"' err.txt
expect_exit 0 "$BIN" voices --lang ar
expect_grep 'warning: language "ar" (Arabic): espeak-ng speaks it only partly' err.txt
finish
