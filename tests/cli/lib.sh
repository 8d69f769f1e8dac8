# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the command-line tests: each test script gets the binary and
# the source folder as $1 and $2, runs in a temporary folder, and fails on
# the first broken expectation with a message saying what was expected.
set -u
BIN=$1
SRC=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2
export SCRIPTCAST_VOICES="$SRC/voices"
# Never touch the user's clip cache from a test.
export XDG_CACHE_HOME="$WORK/xdg-cache"
FAILED=0

fail() {
    echo "FAIL: $*" >&2
    FAILED=1
}

# expect_exit CODE CMD...: runs CMD, stdout to out.txt, stderr to err.txt.
expect_exit() {
    want=$1
    shift
    "$@" >out.txt 2>err.txt
    got=$?
    if [ "$got" != "$want" ]; then
        fail "'$*' exited $got, expected $want"
        sed 's/^/  stderr: /' err.txt >&2
    fi
}

expect_grep() {
    if ! grep -q -- "$1" "$2"; then
        fail "expected '$1' in $2"
        sed 's/^/  | /' "$2" >&2
    fi
}

expect_no_grep() {
    if grep -q -- "$1" "$2"; then
        fail "did not expect '$1' in $2"
    fi
}

finish() {
    if [ "$FAILED" = 0 ]; then
        echo "ok"
    fi
    exit "$FAILED"
}
