#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The documentation agrees with the program: every subcommand's --help (made
# from the option table), the man page and docs/cli.md list the same options,
# and the man page is clean under mandoc -Tlint. An option added to
# src/cli/options.def fails here until docs/cli.md and docs/scriptcast.1
# describe it.
. "$2/tests/cli/lib.sh"

if ! python3 "$SRC/tests/tools/optlists.py" "$BIN" "$SRC" >diff.txt 2>&1; then
    fail "options differ between --help, docs/scriptcast.1 and docs/cli.md:"
    sed 's/^/  /' diff.txt >&2
fi

# -W warning: warnings and errors; the style notes about cross references
# depend on which other manuals this machine has.
if ! mandoc -Tlint -W warning "$SRC/docs/scriptcast.1" >lint.txt 2>&1; then
    fail "mandoc -Tlint docs/scriptcast.1:"
    sed 's/^/  /' lint.txt >&2
fi
mandoc -Tascii "$SRC/docs/scriptcast.1" 2>&1 | sed 's/.\x08//g' >man.txt || fail "mandoc cannot render the man page"
expect_grep "scriptcast cache prune" man.txt
finish
