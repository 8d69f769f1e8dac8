#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fault injection: every file-system call a render makes on its outputs and
# its cache (open, write, pwrite, fsync/fdatasync, ftruncate, fchmod, close,
# rename, link, copy_file_range) is made to fail in turn with ENOSPC, EIO or
# EDQUOT, through the test library tests/inject/inject.c. After each: exit 3
# with the previous output set byte for byte and no temporary left, or exit
# 0 with the new set complete and right; and the cache still serves a render
# that synthesizes nothing and gives the same bytes.
. "$(dirname "$0")/lib.sh"
: "${INJECT_LIB:?INJECT_LIB must name the fault injection library}"
# The library comes before an AddressSanitizer runtime in the load order.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# Every output is synced before it is renamed: fdatasync is one of the calls.
export SCRIPTCAST_FSYNC=1

cat > t.md <<'MD'
---
title: Tiny
---
# One
Alice: Hello there.
Bob: Hi Alice.
# Two
Alice: Bye now.
MD
sed 's/Bye now./Goodbye, see you next week./' t.md > u.md
mkdir out ref before check

# render FILE DIR: the whole output set of FILE into DIR, warm cache.
render() {
    "$BIN" render "$1" -o "$2/x.wav" --manifest "$2/x.manifest.json" --vtt "$2/x.vtt" \
        --srt "$2/x.srt" --cue "$2/x.cue" --cache cache -j 1 -q
}
set_files="x.wav x.chapters.json x.manifest.json x.vtt x.srt x.cue"

render u.md out || fail "warming the cache for u.md"
# shellcheck disable=SC2086
(cd out && cp $set_files ../ref/) # the new set, as a good render writes it
render t.md out || fail "the previous set"
# shellcheck disable=SC2086
(cd out && cp $set_files ../before/)

# How many watched calls a render of u.md over t.md's set makes.
LD_PRELOAD="$INJECT_LIB" SCRIPTCAST_INJECT_PATHS="out/:cache/" SCRIPTCAST_INJECT_COUNT="$WORK/counts" \
    render u.md out || fail "the counting render failed"
# shellcheck disable=SC2086
for f in $set_files; do cmp -s "out/$f" "ref/$f" || fail "the counting render wrote another $f"; done
# shellcheck disable=SC2086
(cd before && cp $set_files ../out/)
total=$(awk '{s += $2} END {print s}' counts)
[ "$total" -gt 30 ] || fail "only $total calls counted: is the library working?"
awk '$1 == "rename" && $2 < 6 || $1 == "link" && $2 < 6 || $1 == "fdatasync" && $2 < 6 ||
     $1 == "close" && $2 < 6 || $1 == "write" && $2 < 5 { bad = 1 } END { exit bad }' counts ||
    fail "fewer calls than the outputs need: $(cat counts)"

same_as() { # same_as DIR WHAT
    # shellcheck disable=SC2086
    for f in $set_files; do
        cmp -s "out/$f" "$1/$f" || {
            fail "$2: out/$f differs from $1/$f"
            return
        }
    done
}

errnos="ENOSPC EIO EDQUOT"
k=0
failed=0
harmless=0
while read -r call count; do
    i=1
    while [ "$i" -le "$count" ]; do
        k=$((k + 1))
        e=$(echo $errnos | cut -d' ' -f$((k % 3 + 1)))
        what="$call #$i ($e)"
        rm -f report
        LD_PRELOAD="$INJECT_LIB" SCRIPTCAST_INJECT_PATHS="out/:cache/" SCRIPTCAST_INJECT_CALL=$call \
            SCRIPTCAST_INJECT_NTH=$i SCRIPTCAST_INJECT_ERRNO=$e SCRIPTCAST_INJECT_REPORT="$WORK/report" \
            render u.md out 2>err.txt
        rc=$?
        [ -s report ] || fail "$what: the call was not made"
        left=$(ls -A out | grep '^\.' || true)
        [ -z "$left" ] || fail "$what: temporaries left: $left"
        case $rc in
        3)
            failed=$((failed + 1))
            grep -q "error:" err.txt || fail "$what: exit 3 without an error message"
            same_as before "$what: exit 3"
            ;;
        0)
            harmless=$((harmless + 1))
            same_as ref "$what: exit 0"
            ;;
        *)
            fail "$what: exit $rc"
            sed 's/^/  stderr: /' err.txt >&2
            ;;
        esac
        # The cache is still whole: a render from it alone, same bytes.
        "$BIN" render u.md -o check/x.wav --manifest check/x.manifest.json --vtt check/x.vtt \
            --srt check/x.srt --cue check/x.cue --cache cache -j 1 2>err.txt ||
            fail "$what: the render after it failed"
        grep -q "(0 runs synthesized" err.txt || fail "$what: the cache lost entries: $(tail -1 err.txt)"
        for f in x.wav x.manifest.json x.vtt x.srt x.cue x.chapters.json; do
            cmp -s "check/$f" "ref/$f" || fail "$what: a render after it gives another $f"
        done
        # Back to the previous set for the next call.
        # shellcheck disable=SC2086
        (cd before && cp $set_files ../out/)
        i=$((i + 1))
    done
done < counts
echo "$k calls failed in turn: $failed exit 3, $harmless harmless (exit 0, outputs right)"
[ "$failed" -gt 20 ] || fail "only $failed of $k failures made the render fail"
finish
