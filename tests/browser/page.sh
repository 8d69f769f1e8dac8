#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The listening page in a real browser: renders the bundled Chinese and
# English examples with --html, loads each page in headless Chromium with
# tests/browser/probe.js run in it (tests/browser/cdp.py), and checks what a listener sees against
# the sidecars of the same render — the sentence highlighted at a seeked
# time (from the Podcasting 2.0 transcript), a chapter click and PageDown
# landing on chapter starts (from chapters.json), search finding every cue
# with a word, no script errors. Screenshots (desktop and phone) are left in
# BUILD/browser/ for a person to look at.
. "$(dirname "$0")/../cli/lib.sh"

CHROME=$(command -v chromium-headless-shell || command -v chromium || true)
[ -n "$CHROME" ] || { echo "FAIL: no headless Chromium (scripts/deps.sh installs chromium-headless-shell)" >&2; exit 1; }
SHOTS=$(cd "$(dirname "$BIN")" && pwd)/browser
mkdir -p "$SHOTS" site

check_page() {
    name=$1 word=$2
    cp "$SRC/assets/examples/$3" "$name.md"
    expect_exit 0 "$BIN" render "$name.md" -o "site/$name.wav" --html "site/$name.html" \
        --transcript-json "site/$name.transcript.json" --vtt "site/$name.vtt" --no-cache
    [ -s "site/$name.html" ] || { fail "$name: no page written"; return; }
    # What a listener does: seek into the 6th transcript cue, click chapter
    # 2, press PageDown, search for a word, click the 4th cue of the page.
    params=$(python3 - "$name" "$word" <<'PY'
import json, sys
name, word = sys.argv[1], sys.argv[2]
t = json.load(open(f"site/{name}.transcript.json"))["segments"]
s = t[5]
print(json.dumps({"seek": round((s["startTime"] + s["endTime"]) / 2, 3), "chapter": 2,
                  "word": word, "cue": 3}))
PY
)
    python3 "$(dirname "$0")/cdp.py" "$CHROME" "file://$PWD/site/$name.html" \
        "$(dirname "$0")/probe.js" "$params" "$SHOTS/$name" > "$name.probe.json" ||
        { fail "$name: the browser run failed"; tail -5 chrome.err >&2; return; }
    python3 - "$name" "$word" <<'PY' || fail "$name: the page did not behave (see above)"
import json, sys
name, word = sys.argv[1], sys.argv[2]
r = json.load(open(f"{name}.probe.json"))
print(f"{name}: {json.dumps(r, ensure_ascii=False)}")
bad = []
tr = json.load(open(f"site/{name}.transcript.json"))["segments"]
ch = json.load(open(f"site/{name}.chapters.json"))["chapters"]

def cue_at(t):
    best = None
    for s in tr:
        if s["startTime"] <= t + 1e-4:
            best = s
    return best["body"] if best else None

if r.get("errors"):
    bad.append(f"script errors: {r['errors']}")
if r.get("audioError"):
    bad.append("the audio did not load")
else:
    want = cue_at(r["seekTime"])
    if r.get("highlight") != want:
        bad.append(f"at {r['seekTime']:.3f} s the page highlights {r.get('highlight')!r}, "
                   f"the transcript says {want!r}")
    if abs(r["chapterClickTime"] - ch[1]["startTime"]) > 0.002:
        bad.append(f"chapter 2 click seeks to {r['chapterClickTime']}, "
                   f"chapters.json says {ch[1]['startTime']}")
    if r.get("chapterCurrent") != ch[1]["title"]:
        bad.append(f"current chapter shows {r.get('chapterCurrent')!r}, expected {ch[1]['title']!r}")
    if abs(r["pageDownTime"] - ch[2]["startTime"]) > 0.002:
        bad.append(f"PageDown from chapter 2 seeks to {r['pageDownTime']}, "
                   f"chapter 3 starts at {ch[2]['startTime']}")
    n = sum(1 for s in tr if word.lower() in s["body"].lower())
    found = f"{n} match" if n == 1 else f"{n} matches"
    if n == 0 or r["searchMarked"] != n or r["searchFound"] != found:
        bad.append(f"search {word!r}: page says {r['searchFound']!r}, marked {r['searchMarked']}; "
                   f"the transcript has {n}")
    if (abs(r["cueClickTime"] - tr[3]["startTime"]) > 0.002
            or r.get("cueClickHighlight") != tr[3]["body"]):
        bad.append(f"clicking cue 4 seeks to {r['cueClickTime']} showing "
                   f"{r.get('cueClickHighlight')!r}; expected {tr[3]['startTime']} {tr[3]['body']!r}")
for b in bad:
    print(f"FAIL: {name}: {b}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
    for size in desktop phone; do
        [ -s "$SHOTS/$name-$size.png" ] || fail "$name: no $size screenshot"
    done
}

check_page zh "AI" ai-podcast-zh.md
check_page en "maintain" panel-en.md

# The site index of a batch of both, as a visitor's browser shows it.
mkdir -p content
cp "$SRC/assets/examples/ai-podcast-zh.md" "$SRC/assets/examples/panel-en.md" content/
expect_exit 0 "$BIN" batch content -d pub --base-url https://example.org/pod -q --no-cache
python3 "$(dirname "$0")/cdp.py" "$CHROME" "file://$PWD/pub/index.html" \
    "$(dirname "$0")/index-probe.js" '{}' "$SHOTS/index" > index.probe.json ||
    fail "index: the browser run failed"
python3 - <<'PY' || fail "index: the page does not list the episodes (see above)"
import json, sys
r = json.load(open("index.probe.json"))
print("index:", json.dumps(r, ensure_ascii=False))
idx = json.load(open("pub/index.json"))
want = sorted(t["name"] + ".html" for t in idx["transcripts"])
ok = sorted(r["episodes"]) == want and r["feedLink"] and not r["errors"]
sys.exit(0 if ok else 1)
PY
echo "screenshots: $SHOTS"
exit $FAILED
