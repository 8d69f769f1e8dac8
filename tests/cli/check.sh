#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `scriptcast check`: exit codes, --strict, and the JSON and JUnit reports
# (parsed, not just grepped).
. "$(dirname "$0")/lib.sh"

cp "$SRC/assets/examples/ai-podcast-zh.md" zh.md
cp "$SRC/assets/examples/panel-en.md" en.md
printf 'Host: hi\nRoney: hello\n' > unknown.md
printf -- '---\ntitle: [x\n---\nBob: hi\n' > bad.md

expect_exit 0 "$BIN" check zh.md en.md
expect_grep "zh.md: ok: 5 chapters, 5 speakers, 22 segments" out.txt

# Unknown speakers: a warning, and an error under --strict.
expect_exit 0 "$BIN" check unknown.md
expect_grep 'unknown.md:2:1: warning: speaker "Roney" is not declared' err.txt
expect_exit 1 "$BIN" check --strict unknown.md
expect_grep 'unknown.md:2:1: error: speaker "Roney"' err.txt

# One bad file among good ones: all are checked, exit 1.
expect_exit 1 "$BIN" check zh.md bad.md en.md
expect_grep "bad.md: FAILED" out.txt
expect_grep "en.md: ok" out.txt
expect_grep "3 files checked, 1 failed" out.txt

# JUnit XML that a CI system reads.
expect_exit 1 "$BIN" check --format junit zh.md bad.md
python3 - out.txt <<'PY' || fail "junit report is wrong"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites", root.tag
suite = root.find("testsuite")
assert suite.get("tests") == "2" and suite.get("failures") == "1", suite.attrib
cases = suite.findall("testcase")
assert [c.get("name") for c in cases] == ["zh.md", "bad.md"]
assert cases[0].find("failure") is None
f = cases[1].find("failure")
assert f is not None and "bad.md:2:" in f.get("message"), f.attrib
PY

# JSON report.
expect_exit 1 "$BIN" check --format json zh.md bad.md
python3 - out.txt <<'PY' || fail "json report is wrong"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["files_checked"] == 2 and r["files_failed"] == 1
zh, bad = r["files"]
assert zh["ok"] and zh["chapters"] == 5 and zh["speakers"] == 5, zh
assert not bad["ok"] and bad["diagnostics"][0]["line"] == 2, bad
PY

# A profile whose espeak-ng voice does not exist: exit 1, pointing at it.
mkdir myvoices
printf 'name: en-robot\nlang: en\nvoice: xx-nonexistent\n' > myvoices/en-robot.yaml
printf -- '---\nscriptcast:\n  narrator: en-robot\n---\nHello there.\n' > robot.md
expect_exit 1 "$BIN" check --voices myvoices robot.md
expect_grep 'myvoices/en-robot.yaml:1: error: profile "en-robot": espeak-ng has no voice "xx-nonexistent"' err.txt

# Every problem of a file in one run: a bad setting does not hide an
# unknown voice profile below it.
printf -- '---\nscriptcast:\n  cast:\n    Bob: en-mail-1\n  pauses: {turn: fast}\n---\nBob: hi\n' > many.md
expect_exit 1 "$BIN" check many.md
expect_grep 'many.md:5:18: error: pause "turn" must be a duration' err.txt
expect_grep 'many.md:4:10: error: unknown voice profile "en-mail-1"' err.txt

# Folders: every *.md below them, sorted, as batch selects them; a folder
# without any is a warning of its own.
mkdir -p site/b site/.hidden emptydir
printf -- '---\nscriptcast:\n  cast:\n    Alice: en-female-1\n---\nAlice: hi\n' > site/b/cast.md
cp unknown.md site/a.md
cp unknown.md site/.hidden/x.md
expect_exit 0 "$BIN" check site emptydir
expect_grep '^site/a.md: ok' out.txt
expect_grep '^site/b/cast.md: ok' out.txt
expect_grep '^emptydir: no transcript' out.txt
expect_no_grep 'hidden' out.txt
expect_grep 'emptydir: warning: no transcript' err.txt
expect_exit 1 "$BIN" check --strict --format json site
python3 - <<'PY' || fail "check --format json of a folder"
import json
r = json.load(open("out.txt"))
assert r["files_checked"] == 2, r
assert [f["file"] for f in r["files"]] == ["site/a.md", "site/b/cast.md"], r
assert [f["ok"] for f in r["files"]] == [False, True], r
PY

# Usage errors exit 2; help exits 0 on stdout.
expect_exit 2 "$BIN" check
expect_exit 2 "$BIN" check --format xml zh.md
expect_exit 2 "$BIN" check --voices does-not-exist zh.md
expect_exit 2 "$BIN" check --bogus zh.md
expect_exit 0 "$BIN" check --help
expect_grep "usage: scriptcast check" out.txt
expect_exit 1 "$BIN" check missing-file.md
expect_grep "missing-file.md: error: cannot read" err.txt
finish
