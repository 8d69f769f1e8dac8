#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `scriptcast plan`: --section selection, the table, --help and usage errors
# of every subcommand.
. "$(dirname "$0")/lib.sh"

cp "$SRC/assets/examples/ai-podcast-zh.md" zh.md

expect_exit 0 "$BIN" plan zh.md
expect_grep "chapters (5)" out.txt
expect_grep "老隐 *zh-male-2 *cast" out.txt

# --section by number, range, and title substring; chapter index kept.
expect_exit 0 "$BIN" plan --json --section 3 zh.md
python3 - out.txt <<'PY' || fail "--section 3"
import json, sys
p = json.load(open(sys.argv[1]))
assert [c["index"] for c in p["chapters"]] == [3], p["chapters"]
assert p["chapters"][0]["title"] == "模型与算力"
assert all(s["chapter"] == 3 for s in p["segments"])
assert p["segments"][0]["pause_ms"] == 0
PY
expect_exit 0 "$BIN" plan --json --section 2-3 zh.md
python3 -c "import json,sys; assert [c['index'] for c in json.load(open('out.txt'))['chapters']] == [2,3]" \
    || fail "--section 2-3"
expect_exit 0 "$BIN" plan --json --section 产品 zh.md
python3 -c "import json,sys; assert [c['index'] for c in json.load(open('out.txt'))['chapters']] == [4]" \
    || fail "--section by title"
expect_exit 2 "$BIN" plan --section 9 zh.md
expect_grep "no such chapter" err.txt
expect_exit 2 "$BIN" plan --section nothing-like-it zh.md

# No ASCII digit reaches a Chinese run.
expect_exit 0 "$BIN" plan --json zh.md
python3 - out.txt <<'PY' || fail "digit in a Chinese run"
import json, re, sys
p = json.load(open(sys.argv[1]))
for s in p["segments"]:
    for r in s["runs"]:
        assert not (r["lang"] == "zh" and re.search(r"[0-9]", r["text"])), r
PY

for cmd in plan check voices render; do
    expect_exit 0 "$BIN" $cmd --help
    expect_grep "usage: scriptcast $cmd" out.txt
done
expect_exit 0 "$BIN" --help
expect_exit 0 "$BIN" --version
expect_grep "scriptcast " out.txt
expect_exit 2 "$BIN"
expect_exit 2 "$BIN" frobnicate
expect_exit 2 "$BIN" plan
expect_exit 2 "$BIN" plan a.md b.md
expect_exit 2 "$BIN" plan --chapter-level 9 zh.md
finish
