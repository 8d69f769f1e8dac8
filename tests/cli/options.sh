#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The option table seen from the command line: errors name the option and
# quote its argument (exit 2), --help comes from the table, -V is --version.
. "$2/tests/cli/lib.sh"

printf 'Alice: hello\n' > t.md

expect_exit 2 "$BIN" render --jobs x t.md
expect_grep 'scriptcast render: error: --jobs: not a number: "x"' err.txt
expect_exit 2 "$BIN" render -j 0 t.md
expect_grep '--jobs: out of range (1 to 256): "0"' err.txt
expect_exit 2 "$BIN" cache prune --max-size 1.5G
expect_grep '--max-size: not a size: "1.5G"' err.txt
expect_exit 2 "$BIN" check --format xml t.md
expect_grep '--format: not one of text, json, junit: "xml"' err.txt
expect_exit 2 "$BIN" batch t.md -d out --format aiff
expect_grep '--format: not one of wav, flac, ogg, opus, mp3, m4a, m4b: "aiff"' err.txt
expect_exit 2 "$BIN" batch t.md -d out --shard 0/2
expect_grep '--shard: not K/N with 1 <= K <= N: "0/2"' err.txt
expect_exit 2 "$BIN" render --rate
expect_grep '--rate: needs a value (HZ)' err.txt
expect_exit 2 "$BIN" plan --strict=yes t.md
expect_grep '--strict: takes no value' err.txt
expect_exit 2 "$BIN" plan --jobs 2 t.md
expect_grep '--jobs: not an option of plan (only of render, batch)' err.txt
expect_exit 2 "$BIN" render --bogus t.md
expect_grep "unknown option '--bogus'" err.txt
expect_exit 2 "$BIN" render --c x t.md
expect_grep "ambiguous option '--c'" err.txt
expect_exit 2 "$BIN" plan --chapter-level 9 t.md
expect_grep '--chapter-level: out of range (1 to 6): "9"' err.txt

# Accepted forms: --opt=value, unique prefixes, bundled short options,
# options after operands.
expect_exit 0 "$BIN" plan t.md --json --chapter-level=2
expect_exit 0 "$BIN" plan --verb t.md
expect_exit 0 "$BIN" plan -qv t.md

# -V is --version; help of every subcommand lists its options.
expect_exit 0 "$BIN" -V
expect_grep '^scriptcast [0-9]' out.txt
expect_exit 0 "$BIN" render --help
expect_grep '-j, --jobs N' out.txt
expect_grep '--transcript-json FILE' out.txt
expect_exit 0 "$BIN" batch --help
expect_grep '--shard K/N' out.txt
expect_exit 0 "$BIN" cache prune --help
expect_grep '--max-size SIZE' out.txt

# Counts read as English: one chapter, two chapters.
expect_exit 0 "$BIN" check t.md
expect_grep 't.md: ok: 1 chapter, 1 speaker, 1 segment' out.txt
expect_exit 0 "$BIN" render t.md -o t.wav --no-cache -j 1
expect_grep 'wrote t.wav: .*, 1 chapter, 1 segment in .*(1 run synthesized, 0 from cache)' err.txt

# A chapter level no heading has is a warning, not silence.
printf '# Title\n\n## One\n\nAlice: hi\n\n## Two\n\nAlice: yo\n' > h.md
expect_exit 0 "$BIN" check --chapter-level 3 h.md
expect_grep 'h.md: warning: --chapter-level 3: no heading of level 3' err.txt
expect_exit 0 "$BIN" check --chapter-level 2 h.md
expect_no_grep 'chapter-level' err.txt

# voices NAME... lists only those profiles; an unknown NAME is an error.
expect_exit 0 "$BIN" voices en-male-1
[ "$(grep -c '^[a-z][a-z]-' out.txt)" = 1 ] || fail "voices en-male-1 listed $(cat out.txt)"
expect_grep '^en-male-1 ' out.txt
expect_exit 1 "$BIN" voices en-male-1 nope
expect_grep 'error: no voice profile "nope"' err.txt

# The completions' view of the table.
expect_exit 0 "$BIN" --list-options check
expect_grep "$(printf '^-\t--format\tFMT\ttext json junit$')" out.txt
expect_exit 0 "$BIN" --list-options cache prune
expect_grep "$(printf '^-\t--max-size\tSIZE\t$')" out.txt
expect_exit 2 "$BIN" --list-options frob
finish
