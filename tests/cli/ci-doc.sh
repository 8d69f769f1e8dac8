#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# docs/ci.md as written: every command of its sh blocks, and every run step
# of its GitHub Actions and GitLab CI examples (matrix expanded, artifacts
# passed between jobs as the CI systems do), run on the bundled examples.
# The steps are read from the page, so the page and this test cannot drift.
. "$(dirname "$0")/lib.sh"
PATH="$(cd "$(dirname "$BIN")" && pwd):$PATH"
export PATH
python3 "$SRC/tests/tools/cidoc.py" "$SRC" || fail "docs/ci.md does not run as written"
finish
