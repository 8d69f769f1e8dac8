#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The main job on the bundled example: installs what is missing, builds, and
# renders the Chinese example podcast to out/ with its chapters, manifests
# and listening page (open out/ai-podcast-zh.html in a browser).
set -eu
cd "$(dirname "$0")/.."

sh scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

mkdir -p out
./build/scriptcast plan assets/examples/ai-podcast-zh.md
./build/scriptcast render assets/examples/ai-podcast-zh.md -o out/ai-podcast-zh.wav \
    --manifest out/ai-podcast-zh.manifest.json --vtt out/ai-podcast-zh.vtt \
    --srt out/ai-podcast-zh.srt --transcript-json out/ai-podcast-zh.transcript.json \
    --chapters-vtt out/ai-podcast-zh.chapters.vtt --ffmetadata out/ai-podcast-zh.ffmeta \
    --cue out/ai-podcast-zh.cue --html out/ai-podcast-zh.html
echo
echo "Written to out/:"
ls -l out/
