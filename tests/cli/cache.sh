#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `scriptcast cache`: stats (text, and JSON parsed with python3), prune to a
# size (least recently used first) and to nothing, the default folder, usage
# errors (exit 2) and an unreadable folder (exit 3). Entries are written here
# in the documented format by python3 (stats and prune check headers only, so
# the checksum need not be right); once `render --cache` exists, a real render
# fills a cache too and the same commands are checked on it.
. "$(dirname "$0")/lib.sh"

# make_entries DIR: three header-valid entries of 2 KiB of samples each with
# mtimes 1000, 2000, 3000 s after 2020-01-01, a corrupt entry and a file
# that is not the cache's. Prints the size of one valid entry.
make_entries() {
    python3 - "$1" <<'PY'
import os, struct, sys
d = sys.argv[1]
size = 0
for i, key in enumerate(["aa" + "0" * 30, "bb" + "1" * 30, "cc" + "2" * 30]):
    marks = struct.pack("<QQ", 0, 0)
    samples = b"\x01\x00" * 1024
    header = b"SCCLIP\x00\x01" + struct.pack("<IIQIIQ", 1, 22050, 1024, 1, 0, 0)
    os.makedirs(os.path.join(d, key[:2]), exist_ok=True)
    path = os.path.join(d, key[:2], key + ".clip")
    with open(path, "wb") as f:
        f.write(header + bytes.fromhex(key) + marks + samples)
    t = 1577836800 + 1000 * (i + 1)
    os.utime(path, (t, t))
    size = os.path.getsize(path)
os.makedirs(os.path.join(d, "dd"), exist_ok=True)
with open(os.path.join(d, "dd", "d" * 32 + ".clip"), "wb") as f:
    f.write(b"not a clip")
with open(os.path.join(d, "README"), "w") as f:
    f.write("not the cache's\n")
print(size)
PY
}

# json_check FILE PYTHON-EXPRESSIONS...: every expression holds for r, the
# parsed FILE.
json_check() {
    file=$1
    shift
    for expr in "$@"; do
        python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); assert eval(sys.argv[2]), r' \
            "$file" "$expr" || fail "in $file: $expr"
    done
}

SIZE=$(make_entries c1)
[ "$SIZE" = 2120 ] || fail "a 1024-sample entry with one mark should be 2120 bytes, got $SIZE"

expect_exit 0 "$BIN" cache stats --cache c1 --json
json_check out.txt 'r["entries"] == 4' 'r["corrupt"] == 1' 'r["stale_temporaries"] == 0' \
    "r[\"bytes\"] == 3 * $SIZE + 10" 'r["folder"] == "c1"' 'r["exists"] is True' \
    'r["size"] == "6.2 KiB"'

expect_exit 0 "$BIN" cache stats --cache c1
expect_grep "^folder: *c1$" out.txt
expect_grep "^entries: *4$" out.txt
expect_grep "^size: *6.2 KiB$" out.txt
expect_grep "^to prune: 1 corrupt entry, 0 stale temporaries$" out.txt

# Room for two valid entries: the corrupt one and the oldest go.
expect_exit 0 "$BIN" cache prune --cache c1 --max-size $((2 * SIZE))
expect_grep "^removed 2 entries (2.1 KiB) from c1 (1 corrupt)$" out.txt
expect_grep "^2 entries (4.1 KiB) remain" out.txt
[ -e c1/aa/aa000000000000000000000000000000.clip ] && fail "prune kept the oldest entry"
[ -e c1/bb/bb111111111111111111111111111111.clip ] || fail "prune removed a recent entry"
[ -e c1/README ] || fail "prune removed a file that is not the cache's"

expect_exit 0 "$BIN" cache prune --cache c1 --max-size 1K
expect_grep "removed 2 entries (4.1 KiB)" out.txt
expect_exit 0 "$BIN" cache stats --cache c1 --json
json_check out.txt 'r["entries"] == 0' 'r["bytes"] == 0'

# Size suffixes.
make_entries c2 >/dev/null
expect_exit 0 "$BIN" cache prune --cache c2 --max-size 1M
expect_grep "^removed 1 entry (10 bytes) from c2 (1 corrupt)$" out.txt
expect_exit 0 "$BIN" cache prune --cache c2 --max-size 5KiB
expect_grep "^removed 1 entry (2.1 KiB)" out.txt
expect_grep "^2 entries (4.1 KiB) remain$" out.txt
expect_exit 0 "$BIN" cache prune --cache c2 --max-size 0
expect_grep "^0 entries (0 bytes) remain" out.txt
expect_exit 0 "$BIN" cache prune -q --cache c2
[ -s out.txt ] && fail "prune -q printed something"

# The default folder: $XDG_CACHE_HOME/scriptcast (lib.sh sets it), else
# ~/.cache/scriptcast; a folder not created yet is an empty cache.
expect_exit 0 "$BIN" cache stats --json
json_check out.txt "r[\"folder\"] == \"$XDG_CACHE_HOME/scriptcast\"" 'r["exists"] is False' \
    'r["entries"] == 0'
expect_exit 0 env -u XDG_CACHE_HOME HOME="$WORK/home" "$BIN" cache stats --json
json_check out.txt "r[\"folder\"] == \"$WORK/home/.cache/scriptcast\""
expect_exit 0 env -u XDG_CACHE_HOME HOME="$WORK/home" "$BIN" cache stats
expect_grep "(not created yet)" out.txt
expect_exit 2 env -u XDG_CACHE_HOME -u HOME "$BIN" cache stats

# Usage errors exit 2; help exits 0 on stdout.
expect_exit 2 "$BIN" cache
expect_exit 2 "$BIN" cache bogus
expect_grep "unknown cache command 'bogus'" err.txt
expect_exit 2 "$BIN" cache stats --bogus
expect_exit 2 "$BIN" cache stats extra
expect_exit 2 "$BIN" cache stats --max-size 1G
expect_exit 2 "$BIN" cache stats --cache
expect_exit 2 "$BIN" cache prune --json
expect_exit 2 "$BIN" cache prune --max-size
expect_exit 2 "$BIN" cache prune --max-size 5X
expect_grep 'max-size: not a size: "5X"' err.txt
expect_exit 2 "$BIN" cache prune --max-size 500MB
expect_exit 2 "$BIN" cache prune --max-size -1
expect_exit 2 "$BIN" cache prune --max-size 99999999999999999999
for args in "--help" "stats --help" "prune --help"; do
    # shellcheck disable=SC2086
    expect_exit 0 "$BIN" cache $args
    expect_grep "usage: scriptcast cache" out.txt
done
expect_exit 0 "$BIN" --help
expect_grep "cache stats|prune" out.txt

# A cache folder that cannot be read is a system failure.
echo x > notafolder
expect_exit 3 "$BIN" cache stats --cache notafolder
expect_grep "cannot read cache folder notafolder" err.txt
expect_exit 3 "$BIN" cache prune --cache notafolder

# With real entries from a render.
if "$BIN" render --help 2>/dev/null | grep -q -- --cache; then
    printf 'Alice: Hello there.\n\nBob: Hi Alice, how are you?\n' >tiny.md
    expect_exit 0 "$BIN" render tiny.md -o first.wav --cache rc
    expect_exit 0 "$BIN" cache stats --cache rc --json
    json_check out.txt 'r["entries"] >= 2' 'r["corrupt"] == 0' 'r["bytes"] > 1000'
    # A warm render reads the entries back and gives the same audio.
    expect_exit 0 "$BIN" render tiny.md -o second.wav --cache rc
    cmp -s first.wav second.wav || fail "a render from the cache differs from the first one"
    expect_exit 0 "$BIN" cache prune --cache rc --max-size 0
    expect_exit 0 "$BIN" cache stats --cache rc --json
    json_check out.txt 'r["entries"] == 0'
    expect_exit 0 "$BIN" render tiny.md -o third.wav --cache rc
    cmp -s first.wav third.wav || fail "a render after prune differs from the first one"
fi
finish
