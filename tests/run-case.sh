#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Golden-file case: runs `scriptcast plan --json` (plus any options in
# NAME.args) on tests/cases/NAME.md and compares exit status, stderr and
# stdout with tests/cases/NAME.out. SCRIPTCAST_UPDATE_GOLDEN=1 rewrites the
# expected file instead.
set -u
bin=$1
md=$2
dir=$(cd "$(dirname "$md")" && pwd)
src=$(cd "$dir/../.." && pwd)
name=$(basename "$md" .md)
expected="$dir/$name.out"
args=""
[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
cmd="plan --json"
[ -f "$dir/$name.cmd" ] && cmd=$(cat "$dir/$name.cmd")

actual=$(mktemp)
trap 'rm -f "$actual" "$actual.err" "$actual.out"' EXIT
cd "$dir" || exit 2
# shellcheck disable=SC2086
"$bin" $cmd "$name.md" --voices "$src/voices" $args >"$actual.out" 2>"$actual.err"
status=$?
{
    echo "exit: $status"
    echo "--- stderr"
    sed "s#$src#\$SRC#g" "$actual.err"
    echo "--- stdout"
    cat "$actual.out"
} >"$actual"

if [ "${SCRIPTCAST_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! diff -u "$expected" "$actual"; then
    echo "case $name: output differs from $expected" >&2
    echo "(if the change is intended: SCRIPTCAST_UPDATE_GOLDEN=1 ctest -R case.$name)" >&2
    exit 1
fi
