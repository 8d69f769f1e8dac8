#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Casting from the command line: voices that fit the people (gender hints,
# the name table), distinct voices while the pool lasts and never the
# narrator's, --strict for undeclared speakers only, and a transcript of
# 100,000 labelled speakers (people lookup and casting must be linear: this
# test only has to finish; bench/RESULTS.md has the timings).
. "$(dirname "$0")/lib.sh"

cp "$SRC/assets/examples/panel-en.md" en.md
cp "$SRC/tests/cases/seven-voices.md" seven.md

# The bundled panel: Maya and Priya female, Kenji male, inferred from the
# name table; its speakers are declared, so --strict passes.
expect_exit 0 "$BIN" plan en.md --json
python3 - out.txt <<'PY' || fail "panel voices"
import json, sys
p = json.load(open(sys.argv[1]))
sp = {s["name"]: s for s in p["speakers"]}
def gender(v):
    return "female" if "-female-" in v else "male" if "-male-" in v else None
for name, want in [("Maya Lopez", "female"), ("Priya Raman", "female"), ("Kenji Sato", "male")]:
    s = sp[name]
    assert gender(s["voice"]) == want, s
    assert s["gender"] == want and s["gender_from"] == "name-table", s
    assert s["source"] == "declared" and s["voice_from"] == "pool", s
assert sp["Dr. Arun Patel"]["source"] == "cast"
voices = [s["voice"] for s in p["speakers"]]
assert len(set(voices)) == len(voices), voices
PY
expect_exit 0 "$BIN" check --strict en.md

# Seven speakers, seven distinct voices, none the narrator's.
expect_exit 0 "$BIN" plan seven.md --json
python3 - out.txt <<'PY' || fail "seven voices"
import json, sys
p = json.load(open(sys.argv[1]))
narr = [s["voice"] for s in p["speakers"] if s["source"] == "narrator"]
people = [s for s in p["speakers"] if s["source"] != "narrator"]
assert len(people) == 7, people
voices = [s["voice"] for s in people]
assert len(set(voices)) == 7, voices
assert not set(voices) & set(narr) and "en-narrator" not in voices, voices
PY

# --strict: an undeclared speaker is an error, a declared one is not.
printf -- '---\nspeakers: Ann\n---\nAnn: hi\nRoney: hello\n' > mixed.md
expect_exit 1 "$BIN" check --strict mixed.md
expect_grep 'mixed.md:5:1: error: speaker "Roney" is not declared' err.txt
expect_no_grep '"Ann"' err.txt
printf -- '---\nspeakers: Ann\nscriptcast:\n  cast: {Roney: male}\n---\nAnn: hi\nRoney: hello\n' > cast.md
expect_exit 0 "$BIN" check --strict cast.md

# Gender hints that cannot be read are reported where they are.
printf -- '---\nscriptcast:\n  cast: {Ann: {gender: robot}}\n---\nAnn: hi\n' > badg.md
expect_exit 1 "$BIN" check badg.md
expect_grep 'badg.md:3:24: error: the gender of "Ann" must be female or male' err.txt

# More speakers than voices: distinct while the pool lasts, then shared in
# rotation; never the narrator's voice, and the first speaker's voice last.
python3 - <<'PY'
with open("many.md", "w") as f:
    f.write("# Many\n\n")
    for i in range(40):
        f.write("Guest%02d: line %d.\n\n" % (i, i))
PY
expect_exit 0 "$BIN" plan many.md --json
python3 - out.txt <<'PY' || fail "pool running out"
import json, sys
p = json.load(open(sys.argv[1]))
people = [s for s in p["speakers"] if s["source"] != "narrator"]
voices = [s["voice"] for s in people]
pool = len(set(voices))
assert pool == 12, pool
assert len(set(voices[:pool])) == pool, voices
assert all(s["voice_from"] == "pool" for s in people[:pool])
assert all(s["voice_from"] == "shared" for s in people[pool:])
assert "en-narrator" not in voices
assert voices[0] not in voices[1:], voices
PY
expect_grep 'more speakers than voices: shared' err.txt
mv out.txt many1.json
expect_exit 0 "$BIN" plan many.md --json
cmp -s out.txt many1.json || fail "two plans of the same transcript differ"
expect_grep '20 more speakers took pool voices' err.txt

# 100,000 labelled speakers: plan finishes and every speaker has a voice,
# none the narrator's (the table: one line per speaker).
python3 - <<'PY'
with open("huge.md", "w") as f:
    f.write("# Crowd\n\n")
    for i in range(100000):
        f.write("Speaker%d: Hello number %d.\n" % (i, i))
PY
expect_exit 0 "$BIN" plan huge.md
expect_grep "^speakers (100001)$" out.txt
n=$(grep -c "en-narrator" out.txt)
[ "$n" = 1 ] || fail "$n speakers of 100,000 have the narrator's voice"
n=$(grep -c "^  Speaker[0-9]* *en-[a-z]*-[0-9]* *undeclared *1 segment  voice: \(pool\|shared\)" out.txt)
[ "$n" = 100000 ] || fail "$n of 100,000 speakers have a pool voice"
expect_grep "99980 more speakers took pool voices" err.txt
finish
