#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Compares the two language identifiers Debian packages (CLD2, used by
# scriptcast, and libexttextcat) on tests/data/langid-sentences.tsv.
# Needs libcld2-dev and libexttextcat-dev (the latter only for this bench).
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
c++ -O2 -o "$out/compare" bench/langid/compare.cc -lcld2 $(pkg-config --cflags --libs libexttextcat)
"$out/compare" tests/data/langid-sentences.tsv /usr/share/libexttextcat/
