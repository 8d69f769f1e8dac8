#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Chinese varieties end to end: lang: zh-HK and yue documents are read by
# the Cantonese voice (numbers written out, Latin words to the
# latin-voice, no run that espeak-ng reads in English), zh-TW and zh-Hant
# ones by Mandarin with their traditional characters simplified before
# synthesis — the audio of a traditional transcript equals that of the
# same transcript written in the plan's simplified run texts.
. "$(dirname "$0")/lib.sh"

tag_lang() {
    printf -- '---\ntitle: t\nlang: %s\nspeakers: [甲]\n---\n\n甲：大家好。\n' "$1" > tag.md
    "$BIN" plan --json tag.md 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["lang"])'
}
for t in yue zh-yue zh-HK zh_hk zh-MO zh-Hant-HK; do
    [ "$(tag_lang "$t")" = yue ] || fail "lang: $t is not read as yue"
done
for t in zh zh-TW zh-Hant zh-CN cmn; do
    [ "$(tag_lang "$t")" = zh ] || fail "lang: $t is not read as zh"
done

cp "$SRC/tests/cases/yue-podcast.md" yue.md
"$BIN" plan --json yue.md > yue.json 2>yue.err || fail "plan --json yue.md"
python3 - <<'PY' || fail "Cantonese plan"
import json, re, subprocess
runs = [r for s in json.load(open("yue.json"))["segments"] for r in s["runs"]]
yue = [r for r in runs if r["lang"] == "yue"]
assert yue and all(r["voice"] == "yue" for r in yue), runs
assert all(r["voice"] == "en-us" for r in runs if r["lang"] == "en"), runs
assert {r["lang"] for r in runs} == {"yue", "en"}, runs
for r in yue:
    assert not re.search(r"[0-9%$]", r["text"]), r
    ph = subprocess.run(["espeak-ng", "-q", "-x", "-v", "yue", r["text"]],
                        capture_output=True, text=True, check=True).stdout
    assert "(en)" not in ph, (r["text"], ph)
assert any("二零二五年" in r["text"] and "百分之五十" in r["text"] for r in yue), yue
PY

printf -- '---\ntitle: t\nlang: zh-TW\nspeakers: [林]\nscriptcast: {announce-title: false}\n---\n\n林：關於這個計劃，由於時間不夠，後面很乾淨。\n' > tw.md
"$BIN" plan --json tw.md > tw.json 2>tw.err || fail "plan --json tw.md"
python3 - <<'PY' || fail "Mandarin plan of traditional text"
import json, subprocess
runs = [r for s in json.load(open("tw.json"))["segments"] for r in s["runs"]]
assert [r["voice"] for r in runs] == ["cmn-latn-pinyin"], runs
text = runs[0]["text"]
assert text == "关于这个计划，由于时间不够，后面很干净。", text
ph = lambda t: subprocess.run(["espeak-ng", "-q", "-x", "-v", "cmn-latn-pinyin", t],
                              capture_output=True, text=True, check=True).stdout
# What it fixes: espeak-ng reads 於 as yū (tone 1), 于 as yú.
assert ph("關於") != ph("关于") and ph(text).count("y35") >= 2, ph(text)
open("cn.md", "w").write(open("tw.md").read().replace(
    "關於這個計劃，由於時間不夠，後面很乾淨。", text))
PY
expect_exit 0 "$BIN" render tw.md -o tw.wav --no-cache
expect_exit 0 "$BIN" render cn.md -o cn.wav --no-cache
cmp -s tw.wav cn.wav || fail "tw.wav and cn.wav differ: the simplified text did not reach the engine"
finish
