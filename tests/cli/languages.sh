#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Transcripts in languages without shipped profiles: a German one renders
# with derived de-* voices (decoded: speech, not silence), region tags reach
# espeak-ng's regional voice, a language espeak-ng lacks is an error at the
# front matter's lang with exit 1, and one it reads partly a warning.
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

# Partly: a warning at lang:, and the plan goes on.
sed 's/lang: de-DE/lang: ar/' de.md >ar.md
expect_exit 0 "$BIN" plan ar.md
expect_grep 'ar.md:3:7: warning: language "ar" (Arabic): espeak-ng speaks it only partly' err.txt
finish
