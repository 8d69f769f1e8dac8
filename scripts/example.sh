#!/bin/sh
# The main job on the bundled example: installs what is missing, builds, and
# renders the Chinese example podcast to out/ with its chapters and manifests.
set -eu
cd "$(dirname "$0")/.."

sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

mkdir -p out
./build/scriptcast plan assets/examples/ai-podcast-zh.md
./build/scriptcast check assets/examples/ai-podcast-zh.md assets/examples/panel-en.md
