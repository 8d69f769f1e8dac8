#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages scriptcast needs to build, test and run, when
# any is missing. Safe to run again: it does nothing when all are present.
set -eu

PACKAGES="build-essential cmake pkg-config clang-format clang libclang-rt-14-dev \
libyaml-dev libcmark-dev libjansson-dev libespeak-ng-dev espeak-ng-data espeak-ng \
libsonic-dev libsndfile1-dev libsoxr-dev libxxhash-dev libcmocka-dev sox python3 python3-yaml procps cppcheck \
mandoc man-db zsh chromium-headless-shell fonts-wqy-zenhei \
libebur128-dev ffmpeg \
libavformat-dev libavcodec-dev libavutil-dev python3-mutagen \
libmecab-dev libmecab2 mecab-ipadic-utf8 libopencc-dev libopencc1.1 libopencc-data libcld2-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "scriptcast: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
