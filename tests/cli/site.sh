#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `batch` as a publisher uses it: the bundled examples with a site file and
# --base-url give every episode its page, OUTDIR/index.html listing them and
# OUTDIR/feed.xml, a podcast feed whose every required field is checked
# against the files written (URLs, byte lengths, types, durations, chapters,
# transcripts, people, guids, dates, order), also when rendered in shards
# and merged. Bad site files and base URLs are refused with a diagnostic.
. "$(dirname "$0")/lib.sh"

mkdir -p content
cp "$SRC/assets/examples/ai-podcast-zh.md" "$SRC/assets/examples/panel-en.md" content/
# The Chinese example has a date; give it a summary as a publisher would.
sed -i 's/^date: \(.*\)$/date: \1\nsummary: 算力、模型和产品：四位从业者聊大模型的下一站。/' \
    content/ai-podcast-zh.md
cat > content/site.yaml <<'YAML'
title: "硅谷夜谈 & Friends"
author: scriptcast examples
description: Transcripts read aloud <by> scriptcast.
language: zh-CN
category: Technology
explicit: false
image: cover.png
email: shows@example.org
YAML
expect_exit 0 "$BIN" batch content -d pub --base-url https://example.org/pod/ -q
for f in index.html feed.xml ai-podcast-zh.html panel-en.html ai-podcast-zh.vtt \
    panel-en.transcript.json; do
    [ -s "pub/$f" ] || fail "batch wrote no pub/$f"
done

python3 - <<'PY' || fail "the feed does not match the files written (see above)"
import datetime, json, os, re, sys
import xml.etree.ElementTree as ET
NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
      "podcast": "https://podcastindex.org/namespace/1.0",
      "atom": "http://www.w3.org/2005/Atom"}
bad = []
def check(cond, msg):
    if not cond:
        bad.append(msg)
base = "https://example.org/pod"
root = ET.parse("pub/feed.xml").getroot()
check(root.tag == "rss" and root.get("version") == "2.0", "not RSS 2.0")
ch = root.find("channel")
check(ch.findtext("title") == "硅谷夜谈 & Friends", f"channel title {ch.findtext('title')!r}")
check(ch.findtext("description") == "Transcripts read aloud <by> scriptcast.", "description")
check(ch.findtext("language") == "zh-CN", "language")
check(ch.findtext("itunes:author", namespaces=NS) == "scriptcast examples", "itunes:author")
check(ch.find("itunes:image", NS).get("href") == base + "/cover.png", "itunes:image")
check(ch.find("itunes:category", NS).get("text") == "Technology", "itunes:category")
check(ch.findtext("itunes:explicit", namespaces=NS) == "false", "itunes:explicit")
check(ch.findtext("itunes:owner/itunes:email", namespaces=NS) == "shows@example.org", "owner")
check(ch.find("atom:link", NS).get("href") == base + "/feed.xml", "atom:link self")
items = ch.findall("item")
idx = json.load(open("pub/index.json"))
names = sorted(t["name"] for t in idx["transcripts"])
check(sorted(i.findtext("guid") for i in items) == names, "one item per episode, guid = name")
dates = []
for it in items:
    name = it.findtext("guid")
    m = json.load(open(f"pub/{name}.manifest.json"))
    check(it.findtext("title") == m["title"], f"{name}: title")
    enc = it.find("enclosure")
    check(enc.get("url") == f"{base}/{name}.wav", f"{name}: enclosure url {enc.get('url')}")
    check(enc.get("length") == str(os.path.getsize(f"pub/{name}.wav")), f"{name}: length")
    check(enc.get("type") == "audio/wav", f"{name}: type")
    check(it.findtext("itunes:duration", namespaces=NS) == str(round(m["audio"]["seconds"])),
          f"{name}: duration")
    check(it.findtext("link") == f"{base}/{name}.html", f"{name}: link")
    c = it.find("podcast:chapters", NS)
    check(c.get("url") == f"{base}/{name}.chapters.json"
          and c.get("type") == "application/json+chapters", f"{name}: chapters")
    got = json.load(open(f"pub/{name}.chapters.json"))["chapters"]
    check(len(got) == len(m["chapters"]), f"{name}: chapters file")
    tr = {t.get("type"): t.get("url") for t in it.findall("podcast:transcript", NS)}
    check(tr == {"text/vtt": f"{base}/{name}.vtt",
                 "application/json": f"{base}/{name}.transcript.json"}, f"{name}: transcripts {tr}")
    for u in tr.values():
        check(os.path.exists("pub/" + u[len(base) + 1:]), f"{name}: {u} not written")
    people = [p.text for p in it.findall("podcast:person", NS)]
    want = [s["name"] for s in m["speakers"] if s["source"] != "narrator"]
    check(people == want, f"{name}: people {people} != {want}")
    # Both examples have a date and a description in their front matter.
    src = open(f"content/{name}.md", encoding="utf-8").read().split("---")[1]
    fm_date = re.search(r"^date: (\S+)$", src, re.M).group(1)
    check(m.get("date") == fm_date, f"{name}: manifest date {m.get('date')} != {fm_date}")
    want_pub = datetime.date.fromisoformat(fm_date).strftime("%a, %d %b %Y 00:00:00 +0000")
    check(it.findtext("pubDate") == want_pub, f"{name}: pubDate {it.findtext('pubDate')}")
    check(it.findtext("description") == m.get("description") and m.get("description"),
          f"{name}: description")
    dates.append(fm_date)
check(len(dates) == 2 and dates == sorted(dates, reverse=True), f"items not newest first: {dates}")
check(ch.findtext("lastBuildDate") ==
      datetime.date.fromisoformat(max(dates)).strftime("%a, %d %b %Y 00:00:00 +0000"),
      "lastBuildDate is not the newest episode's date")
# The index page links every episode's page.
html = open("pub/index.html", encoding="utf-8").read()
for n in names:
    check(f'href="{n}.html"' in html, f"index.html does not link {n}.html")
check('href="feed.xml"' in html, "index.html does not link the feed")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# Same input, same bytes.
cp pub/feed.xml feed.1 && cp pub/index.html index.1
expect_exit 0 "$BIN" batch content -d pub --base-url https://example.org/pod -q
cmp -s pub/feed.xml feed.1 || fail "a second batch changed feed.xml"
cmp -s pub/index.html index.1 || fail "a second batch changed index.html"

# Sharded as docs/ci.md does it: every shard's files copied into one folder
# (each shard's own index.html and feed.xml list only its episodes, and the
# last one copied wins), then --merge-index writes the pages again for all
# of them, with the site the shards used, to the same bytes as one batch.
for k in 1 2 3; do
    expect_exit 0 "$BIN" batch content -d "shard$k" --shard "$k/3" \
        --base-url https://example.org/pod -q
done
mkdir -p joined
for k in 1 2 3; do cp -R "shard$k/." joined/; done
expect_exit 0 "$BIN" batch --merge-index joined/index.json shard3/index.json shard1/index.json \
    shard2/index.json
cmp -s joined/feed.xml feed.1 || fail "the merged feed differs from one batch's"
cmp -s joined/index.html index.1 || fail "the merged index.html differs from one batch's"
# Shards that were given different sites are not one site.
expect_exit 0 "$BIN" batch content -d other --shard 1/3 --base-url https://example.org/else -q
expect_exit 1 "$BIN" batch --merge-index mixed.json other/index.json shard2/index.json
expect_grep "site (site file and --base-url) differs" err.txt
[ -e mixed.json ] && fail "a refused merge wrote its index"

# Without a base URL: the index, no feed.
expect_exit 0 "$BIN" batch content -d local -q
[ -s local/index.html ] || fail "no index.html without --base-url"
[ -e local/feed.xml ] && fail "a feed without a base URL"

# Bad input: where in the site file, or which option.
printf 'title: x\nexplicit: maybe\n' > content/site.yaml
expect_exit 1 "$BIN" batch content -d bad -q
expect_grep "site.yaml:2:11: error: explicit takes true or false" err.txt
rm content/site.yaml
expect_exit 2 "$BIN" batch content -d bad --base-url ftp://example.org
expect_grep "--base-url: not an absolute http(s) URL" err.txt
expect_exit 2 "$BIN" batch content -d bad --site missing.yaml
expect_grep "--site missing.yaml" err.txt
finish
