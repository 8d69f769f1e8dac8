#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `scriptcast batch`: a site rendered into a mirrored folder, a broken
# transcript that does not stop the others, index.json, skipping what is up
# to date, and CI shards that are disjoint and cover every file.
. "$(dirname "$0")/lib.sh"

mkdir -p site/talks/2026 site/.git
printf -- '---\ntitle: One\nspeakers: Ann, Bob\n---\n\n## Hello\n\nAnn: Hello Bob.\nBob: Hi Ann.\n\n## Bye\n\nAnn: Bye now.\n' > site/talks/one.md
printf -- '---\ntitle: 第二期\nspeaker: 陆飞\n---\n\n陆飞：大家好，今天聊2026年的AI。\n' > site/talks/2026/two.md
printf 'Host: A third one, without front matter.\n' > site/three.md
printf -- '---\ntitle: [broken\n---\nHost: never rendered\n' > site/talks/broken.md
printf 'Host: hidden folders are not read\n' > site/.git/four.md
echo "not a transcript" > site/notes.txt

expect_exit 1 "$BIN" batch site -d out -j 2
expect_grep "broken.md:2:8: error: bad YAML" err.txt
for f in talks/one talks/2026/two three; do
    [ -s "out/$f.wav" ] || fail "missing out/$f.wav"
    [ -s "out/$f.chapters.json" ] || fail "missing out/$f.chapters.json"
    [ -s "out/$f.manifest.json" ] || fail "missing out/$f.manifest.json"
done
[ -e out/talks/broken.wav ] && fail "a broken transcript left an output"
[ -e out/.git ] && fail "a hidden folder was rendered"
python3 - <<'PY' || fail "index.json after the first run"
import json
idx = json.load(open("out/index.json"))
t = {e["name"]: e for e in idx["transcripts"]}
assert sorted(t) == ["talks/2026/two", "talks/broken", "talks/one", "three"], sorted(t)
assert [e["name"] for e in idx["transcripts"]] == sorted(t), "not in sorted order"
assert idx["rendered"] == 3 and idx["failed"] == 1, idx
one = t["talks/one"]
assert one["status"] == "rendered" and "talks/one.wav" in one["outputs"], one
assert [c["title"] for c in one["chapters"]] == ["Hello", "Bye"], one["chapters"]
assert one["seconds"] > 1
bad = t["talks/broken"]
assert bad["status"] == "failed" and bad["outputs"] == []
assert bad["diagnostics"][0]["line"] == 2, bad
PY
cp out/index.json first-index.json

# A second run skips everything that is up to date.
expect_exit 1 "$BIN" batch site -d out -j 2
python3 - <<'PY' || fail "second run did not skip"
import json
idx = json.load(open("out/index.json"))
assert idx["rendered"] == 0 and idx["up_to_date"] == 3 and idx["failed"] == 1, idx
PY

# Editing one transcript renders that one again, and only it.
printf '\nBob: One more line.\n' >> site/talks/one.md
expect_exit 1 "$BIN" batch site -d out -j 1
python3 - <<'PY' || fail "edit did not re-render exactly one"
import json
idx = json.load(open("out/index.json"))
t = {e["name"]: e["status"] for e in idx["transcripts"]}
assert t == {"talks/one": "rendered", "talks/2026/two": "up-to-date", "three": "up-to-date",
             "talks/broken": "failed"}, t
PY

# Shards: disjoint, and together every transcript.
rm site/talks/broken.md
for k in 1 2 3; do
    expect_exit 0 "$BIN" batch site -d "shard$k" --shard "$k/3" -q
done
python3 - <<'PY' || fail "shards"
import json
names = []
for k in (1, 2, 3):
    idx = json.load(open(f"shard{k}/index.json"))
    assert idx["shard"] == f"{k}/3"
    names += [e["name"] for e in idx["transcripts"]]
assert sorted(names) == ["talks/2026/two", "talks/one", "three"], names
PY

# The shards' indexes join into one, in the order one batch lists them.
expect_exit 0 "$BIN" batch --merge-index merged.json shard1/index.json shard2/index.json \
    shard3/index.json
expect_grep "wrote merged.json: 3 indexes merged: 3 rendered, 0 up to date, 0 failed" err.txt
python3 - <<'PY' || fail "merged index"
import json
m = json.load(open("merged.json"))
assert [e["name"] for e in m["transcripts"]] == ["talks/2026/two", "talks/one", "three"], m
assert m["shards"] == ["1/3", "2/3", "3/3"] and m["rendered"] == 3 and m["failed"] == 0, m
assert "shard" not in m and m["format"] == "wav" and m["version"] == 1, m
by = {}
for k in (1, 2, 3):
    for e in json.load(open(f"shard{k}/index.json"))["transcripts"]:
        by[e["name"]] = e
assert all(e == by[e["name"]] for e in m["transcripts"]), "entries changed in the merge"
PY
expect_exit 1 "$BIN" batch --merge-index twice.json shard1/index.json shard1/index.json
expect_grep 'is in shard1/index.json too' err.txt
[ -e twice.json ] && fail "a refused merge wrote its output"
echo '{"version": 1}' > notindex.json
expect_exit 1 "$BIN" batch --merge-index bad.json notindex.json
expect_grep 'notindex.json: error: not an index.json of scriptcast batch' err.txt
expect_exit 1 "$BIN" batch --merge-index bad.json missing.json
expect_grep 'missing.json: error: cannot read this index' err.txt
expect_exit 2 "$BIN" batch --merge-index x.json
expect_exit 2 "$BIN" batch --merge-index x.json -d out shard1/index.json

# Seconds are rounded to the millisecond; a sidecar no longer asked for is
# removed when its transcript renders again, and only that one.
expect_exit 0 "$BIN" batch site/three.md -d side --vtt --srt -q
[ -s side/three.vtt ] && [ -s side/three.srt ] || fail "batch --vtt --srt wrote no sidecars"
echo keep > side/three.notes
expect_exit 0 "$BIN" batch site/three.md -d side --srt -q
[ -e side/three.vtt ] && fail "batch left the .vtt it no longer writes"
[ -s side/three.srt ] || fail "batch removed the .srt it still writes"
[ -e side/three.notes ] || fail "batch removed a file it never wrote"
python3 - <<'PY' || fail "seconds not rounded to the millisecond"
import json
s = json.load(open("side/index.json"))["transcripts"][0]["seconds"]
assert s > 0 and abs(s * 1000 - round(s * 1000)) < 1e-6 and len(repr(s).split(".")[1]) <= 3, s
PY

expect_exit 2 "$BIN" batch site
expect_exit 2 "$BIN" batch -d out
expect_exit 2 "$BIN" batch site -d out --shard 4/3
expect_exit 2 "$BIN" batch site -d out --shard x
expect_exit 2 "$BIN" batch site -d out --format aiff
expect_exit 0 "$BIN" batch --help
expect_grep "usage: scriptcast batch" out.txt
# Two inputs with one output name: an error naming both, nothing rendered.
mkdir -p clash/content clash/other
printf 'Host: the first a.\n' > clash/content/a.md
printf 'Host: the second a.\n' > clash/other/a.md
printf 'Host: a b.\n' > clash/content/b.md
expect_exit 1 "$BIN" batch clash/content clash/other/a.md -d clash/pub -j 2
expect_grep "clash/content/a.md and clash/other/a.md would both be rendered to clash/pub/a.wav" err.txt
[ -e clash/pub ] && fail "a batch with clashing names rendered something: $(ls -R clash/pub)"
# The same file twice (a folder and a path in it, a symbolic link): once.
ln -s content/a.md clash/link.md
expect_exit 0 "$BIN" batch clash/content clash/content/a.md clash/link.md -d clash/once -j 2
n=$(grep -c "clash/content/a.md: rendered" err.txt)
[ "$n" = 1 ] || fail "a file given three times was rendered $n times"
python3 - <<'PY' || fail "index.json of a batch with duplicates"
import json, os
idx = json.load(open("clash/once/index.json"))
assert sorted(e["name"] for e in idx["transcripts"]) == ["a", "b"], idx["transcripts"]
assert not os.path.exists("clash/once/link.wav")
PY

finish
