#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Numbers per language end to end: `scriptcast plan --json` on transcripts
# whose front matter says lang: de / es / fr / ko / ar, with the derived
# voices of those languages, sends the rewritten numbers to the engine (the
# runs' text). The readings themselves are checked by ear in tests/lang/.
. "$2/tests/cli/lib.sh"

# runs_text FILE.md: the text of every run of the plan, one a line.
runs_text() {
    "$BIN" plan --json "$1" >plan.json 2>err.txt || {
        fail "plan --json $1 failed"
        sed 's/^/  stderr: /' err.txt >&2
        return
    }
    python3 -c 'import json,sys
for s in json.load(open("plan.json"))["segments"]:
    for r in s["runs"]:
        print(r["lang"], r["text"])' >runs.txt
}

check_lang() { # LANG TEXT EXPECTED
    printf -- '---\nlang: %s\n---\n\n%s\n' "$1" "$2" >"talk-$1.md"
    runs_text "talk-$1.md"
    if ! grep -qF -- "$1 $3" runs.txt; then
        fail "lang $1: '$2' should reach the engine as '$3'"
        sed 's/^/  run: /' runs.txt >&2
    fi
}

check_lang de "Am 03.12.2026 um 10:30 Uhr, im Jahr 1999." \
    "Am dritten Dezember 2026 um 10 Uhr 30, im Jahr neunzehnhundertneunundneunzig."
check_lang es "El 3/12/2025 hizo -5 grados." "El 3 de diciembre de 2025 hizo menos 5 grados."
check_lang fr "Le 21e siècle commence à 14h30." "Le vingt et unième siècle commence à 14 heures 30."
check_lang ko "10시 30분에 사과 3개, 50%." "열 시 30분에 사과 세 개, 50 퍼센트."
check_lang ar "ارتفع 50% في 2026-12-03" "ارتفع 50 فِي الْمِئَة في 3 دِيسَمْبِر 2026"
finish
