#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Numbers and dates per language, checked by ear through espeak-ng's
# phonemes. Each row of tests/lang/numbers-LANG.tsv is "written<TAB>said":
# the written form goes through scriptcast's text preparation for LANG (the
# prepare tool: runs_split(), as `plan` does), the said form is the correct
# words, and espeak-ng -x must give both the same phonemes. Stress marks,
# pauses and word boundaries (' , % _ _! _| _: spaces) are not compared:
# espeak-ng stresses a number it reads from digits differently from the
# same words typed, which a listener hears as the same words. A table's
# "# same: A B" lines name phonemes it counts as one sound, where espeak-ng's
# number reader and its dictionary write two variants of it (the flapped t2
# of American "twenty"); each such line says why in the table.
#
# Usage: numbers.sh PREPARE TSV. The voice is the table's "# voice: ID" line.
set -u
PREPARE=$1
TSV=$2
LANG_TAG=$(basename "$TSV" .tsv)
LANG_TAG=${LANG_TAG#numbers-}
VOICE=$(sed -n 's/^# voice: *//p' "$TSV" | head -n 1)
[ -n "$VOICE" ] || { echo "FAIL: $TSV has no '# voice:' line" >&2; exit 1; }
command -v espeak-ng >/dev/null || { echo "FAIL: espeak-ng not installed" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TAB=$(printf '\t')
grep -v '^#' "$TSV" | grep -v '^$' >"$WORK/rows"
cut -f1 "$WORK/rows" >"$WORK/written"
"$PREPARE" "$LANG_TAG" "$VOICE" <"$WORK/written" >"$WORK/prepared" || {
    echo "FAIL: prepare $LANG_TAG exited $?" >&2
    exit 1
}

phonemes() {
    printf '%s\n' "$1" | espeak-ng -v "$VOICE" -x -q | tr '\n' ' '
}
# Only the sounds: stress, pauses and word boundaries dropped, the table's
# "same" variants folded (a sed script built from its "# same:" lines).
sed -n 's/^# same: *\([^ ]*\) \([^ ]*\).*/s|\1|\2|g/p' "$TSV" >"$WORK/same.sed"
sounds() {
    printf '%s' "$1" | sed -e 's/_[!|:]\{0,1\}//g' -e "s/[',% ]//g" | sed -f "$WORK/same.sed"
}

passed=0
failed=0
n=0
while IFS="$TAB" read -r written said; do
    n=$((n + 1))
    prepared=$(sed -n "${n}p" "$WORK/prepared")
    got=$(phonemes "$prepared")
    want=$(phonemes "$said")
    if [ -z "$said" ] || [ "$(sounds "$got")" != "$(sounds "$want")" ]; then
        failed=$((failed + 1))
        echo "FAIL: $LANG_TAG: '$written'" >&2
        echo "  prepared: $prepared" >&2
        echo "  expected: $said" >&2
        echo "  espeak-ng -v $VOICE -x, prepared: $got" >&2
        echo "  espeak-ng -v $VOICE -x, expected: $want" >&2
    else
        passed=$((passed + 1))
    fi
done <"$WORK/rows"
[ "$n" -gt 0 ] || { echo "FAIL: $TSV has no rows" >&2; exit 1; }
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
