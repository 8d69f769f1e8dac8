#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Language identification, checked on the plan JSON of the language golden
# cases (tests/cases/lang-*.md), whatever voice names the cast picks:
# each document's language and where it came from, every run's letters in
# its language's script, every run read by the profile's own voice in the
# profile's language and otherwise by its language's espeak-ng voice (or
# the latin-voice), and each English quotation an English run of its own
# while nothing else is English.
. "$(dirname "$0")/lib.sh"

"$BIN" voices --json > voices.json || fail "voices --json"
for f in "$SRC"/tests/cases/lang-*.md; do
    name=$(basename "$f")
    case $name in lang-tags.md | lang-mismatch.md) continue ;; esac
    cp "$f" "$name"
    "$BIN" plan --json "$name" > "$name.json" 2> "$name.err" || fail "plan --json $name"
done

python3 - <<'PY' || fail "language invariants"
import json, re, unicodedata

listed = json.load(open("voices.json"))
if isinstance(listed, dict):
    listed = listed["voices"]
voices = {v["name"]: v for v in listed}

def profile(name):
    """A listed profile, else a derived one: LANG-narrator, LANG-male-N, ...
    with its language's espeak-ng voice and en-us as latin-voice."""
    if name in voices:
        return voices[name]
    lang = re.sub(r"-(narrator|male-\d+|female-\d+)$", "", name)
    return {"name": name, "lang": lang, "voice": engine_voice.get(lang), "latin_voice": "en-us"}

# Document: (language, where from, the English quotations in it).
cases = {
    "lang-de-interview.md": ("de", "front-matter",
        ['"You will never go back to the old way of doing things."']),
    "lang-es-podcast.md": ("es", "front-matter",
        ['"Measure twice, migrate once, and always keep a way back."']),
    "lang-fr-interview.md": ("fr", "front-matter",
        ['"Good typography is invisible, bad typography is everywhere."']),
    "lang-ru-interview.md": ("ru", "front-matter", ['"We rewrite it once, and we do it right."']),
    "lang-ko-podcast.md": ("ko", "front-matter", ['"Don\'t panic, just read the logs carefully."']),
    "lang-ar-interview.md": ("ar", "front-matter",
        ['"The tool does not replace the teacher, it changes the teacher\'s job."']),
    "lang-es-detect.md": ("es", "text",
        ['"We have looked at twenty tools and yours is the only one that actually works."']),
    "lang-suffix.fr.md": ("fr", "file-name", []),
}
script_of = {"de": "LATIN", "es": "LATIN", "fr": "LATIN", "en": "LATIN", "ru": "CYRILLIC",
             "ko": "HANGUL", "ar": "ARABIC"}
engine_voice = {"de": "de", "es": "es", "fr": "fr", "en": "en-us", "ru": "ru", "ko": "ko",
                "ar": "ar"}

def scripts(text):
    out = set()
    for ch in text:
        if ch.isalpha():
            out.add(unicodedata.name(ch, "?").split()[0])
    return out

bad = []
for name, (lang, frm, quotes) in sorted(cases.items()):
    plan = json.load(open(name + ".json"))
    if plan["lang"] != lang or plan["lang_from"] != frm:
        bad.append(f"{name}: lang {plan['lang']} from {plan['lang_from']}, want {lang} from {frm}")
    english = []
    for sg in plan["segments"]:
        prof = profile(sg["voice"])
        if prof["lang"] != lang:
            bad.append(f"{name}:{sg['line']}: profile {prof['name']} is {prof['lang']}, not {lang}")
        for r in sg["runs"]:
            where = f"{name}:{sg['line']}: {r['lang']} run {r['text']!r}"
            want = script_of.get(r["lang"])
            if want is None:
                bad.append(f"{where}: unexpected language")
                continue
            if scripts(r["text"]) - {want}:
                bad.append(f"{where}: letters of {sorted(scripts(r['text']))}")
            if r["lang"] == prof["lang"]:
                ok = r["voice"] == prof["voice"]
            else:
                ok = r["voice"] in (engine_voice[r["lang"]], prof.get("latin_voice"))
            if not ok:
                bad.append(f"{where}: read by {r['voice']} (profile {prof['name']})")
            if r["lang"] == "en":
                english.append(r["text"])
    # Latin-script documents: the quotations are the only English; other
    # scripts may also have English words (to the latin-voice).
    if script_of[lang] == "LATIN":
        if english != quotes:
            bad.append(f"{name}: English runs {english}, want {quotes}")
    else:
        for q in quotes:
            if q not in english:
                bad.append(f"{name}: no English run {q!r} (English runs: {english})")
for b in bad:
    print(b)
assert not bad
PY

# check: a declared language the text contradicts is a warning at lang:,
# naming the languages found; a matching one is not.
cp "$SRC/tests/cases/lang-mismatch.md" mismatch.md
expect_exit 0 "$BIN" check mismatch.md
expect_grep 'mismatch.md:3:7: warning: lang is "en" but the text reads as Spanish (es ' err.txt
expect_exit 0 "$BIN" check -v lang-es-podcast.md
expect_no_grep 'reads as' err.txt
expect_grep 'note: language "es" from the front matter' err.txt
expect_exit 0 "$BIN" check -v lang-es-detect.md
expect_grep 'note: language "es" identified from the text (es ' err.txt
exit $FAILED
