#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (tests/fuzz/, clang with ASan + UBSan, every
# report fatal) and runs each on its seeds for FUZZ_SECONDS seconds (default
# 30): the smoke run of the test command. New inputs go to a scratch
# corpus, never into the seed folders; a crash, leak, sanitizer report or
# broken invariant fails this script and leaves the input in
# build-fuzz/artifacts/ (reproduce: build-fuzz/fuzz_NAME FILE).
set -eu
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCRIPTCAST_FUZZ=ON \
    -DSCRIPTCAST_TESTS=OFF -DSCRIPTCAST_WERROR=ON >/dev/null
cmake --build build-fuzz -j "$(nproc 2>/dev/null || echo 2)" --target \
    fuzz_script fuzz_voice fuzz_cast fuzz_section fuzz_cache fuzz_plan

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p build-fuzz/artifacts
failed=""
for t in script voice cast section cache plan; do
    case $t in
    script | plan) seeds="assets/examples tests/cases" ;;
    voice) seeds="voices" ;;
    *) seeds="tests/fuzz/corpus/$t" ;;
    esac
    mkdir -p "$scratch/$t"
    echo "== fuzz_$t for ${seconds}s"
    # shellcheck disable=SC2086
    if ! build-fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
        -artifact_prefix=build-fuzz/artifacts/fuzz_$t- "$scratch/$t" $seeds \
        >"$scratch/$t.log" 2>&1; then
        tail -n 40 "$scratch/$t.log"
        failed="$failed fuzz_$t"
    else
        grep -E '^stat::number_of_executed_units|^Done' "$scratch/$t.log" | tr '\n' ' '
        echo
    fi
done
if [ -n "$failed" ]; then
    echo "fuzzing found problems in:$failed (inputs in build-fuzz/artifacts/)"
    exit 1
fi
