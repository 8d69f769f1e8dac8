#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite: installs what is missing, checks formatting, builds
# with warnings as errors and runs every test, then builds again with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again,
# then runs every libFuzzer target for 30 seconds (scripts/fuzz.sh).
set -eu
cd "$(dirname "$0")/.."

sh scripts/deps.sh

echo "== format check"
find src tests -name '*.[ch]' -print | sort | xargs clang-format --dry-run --Werror

echo "== licence lines (SPDX)"
# Every source, build and test file says its licence in its first lines.
nolicence=$(find src tests scripts bench cmake .ci CMakeLists.txt -type f \
    \( -name '*.[ch]' -o -name '*.def' -o -name '*.sh' -o -name '*.py' -o -name '*.cmake' \
    -o -name CMakeLists.txt -o -name run \) ! -path 'tests/cases/*' | sort |
    while read -r f; do
        head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || echo "  $f"
    done)
if [ -n "$nolicence" ]; then
    echo "no 'SPDX-License-Identifier: GPL-3.0-or-later' in the first 3 lines of:"
    echo "$nolicence"
    exit 1
fi

echo "== static analysis (cppcheck)"
cppcheck --error-exitcode=1 --enable=warning,performance,portability --std=c11 --quiet \
    -I src src

jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (warnings are errors)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCRIPTCAST_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
echo "== tests"
(cd build && ctest --output-on-failure -j "$jobs")

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCRIPTCAST_WERROR=ON \
    -DSCRIPTCAST_SANITIZE=ON >/dev/null
cmake --build build-asan -j "$jobs"
echo "== tests under ASan + UBSan"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")

echo "== fuzzing (libFuzzer, ASan + UBSan, ${FUZZ_SECONDS:-30} s per target)"
sh scripts/fuzz.sh
