#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The README as a newcomer uses it: it fits on two screens (96 lines of at
# most 80 columns), and its commands work as written. The install block
# runs with HOME in the test folder (its first two lines, deps.sh and the
# build, are what the test command itself has just done); every command of
# the other sh blocks then runs from a folder holding the clone's assets,
# with only PATH pointing at the installed program, as the README says.
. "$(dirname "$0")/lib.sh"

README="$SRC/README.md"
lines=$(wc -l <"$README")
[ "$lines" -le 96 ] || fail "README.md has $lines lines; two screens are 96"
awk 'length > 80 { printf "README.md:%d: longer than 80 columns\n", NR; bad = 1 }
     END { exit bad }' "$README" >&2 || fail "README.md has lines over 80 columns"

# The sh blocks, one file per block: block1.sh, block2.sh ...
awk '/^```sh$/ { n++; on = 1; next } /^```$/ { on = 0 } on { print > ("block" n ".sh") }' "$README"
[ -f block1.sh ] && [ -f block2.sh ] || fail "README.md lost its sh blocks"
grep -q 'cmake --install build --prefix ~/.local' block1.sh || fail "install block changed"

export HOME="$WORK/home"
mkdir -p "$HOME" clone
ln -s "$(cd "$(dirname "$BIN")" && pwd)" clone/build
cp -R "$SRC/assets" clone/assets
unset SCRIPTCAST_VOICES
cd clone || exit 1
grep -v -e '^sh scripts/deps.sh' -e '^cmake -S' ../block1.sh >install.sh
expect_exit 0 sh -e install.sh
PATH="$HOME/.local/bin:$PATH"
export PATH MANPAGER=cat MANWIDTH=80

n=2
while [ -f "../block$n.sh" ]; do
    while IFS= read -r cmd; do
        [ -n "$cmd" ] || continue
        expect_exit 0 sh -e -c "$cmd" </dev/null
    done <"../block$n.sh"
    n=$((n + 1))
done
[ -s panel.mp3 ] && [ -s panel.chapters.json ] && [ -s panel.vtt ] || fail "no panel.mp3 and sidecars"
[ -s preview.wav ] || fail "no preview.wav"
[ -s public/audio/index.json ] || fail "batch wrote no index"
expect_exit 0 man scriptcast
expect_grep "scriptcast render" out.txt
finish
