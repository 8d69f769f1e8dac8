/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scriptcast-espeak: the espeak-ng helper program. The engine (see
 * src/synth/espeak.c) runs one helper per voice+variant, and each helper
 * forks a process for every run. Run as a fork of scriptcast, a helper
 * carries every library scriptcast and Debian's libespeak-ng.so load (41,
 * with PulseAudio, ALSA and X11 behind espeak-ng's audio output), and fork
 * and exit cost time in proportion to them: this program links espeak-ng
 * statically and without audio output (noaudio.c), and where the build finds
 * libsonic.a and glibc's static libraries it is static altogether, so a run
 * process is one mapped file and its data (measured: 0.97 -> 0.74 ms of CPU
 * for a short run with five shared libraries left; static, 4% less CPU
 * again for a whole cold render). It is started only by the engine (posix_spawn()),
 * with the descriptors it is to use already open:
 *
 *   scriptcast-espeak --helper=VERSION/PROTOCOL FD REPLYFD GREETING TURN_R,TURN_W|- VOICE|- SLOT...
 *
 * and then behaves exactly like the in-process helper, whose code it shares.
 */
#include "synth/espeak_proto.h"

#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A number argument, or -1 when it is not one. */
static long long helper_number(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -1;
    return v;
}

/* Two descriptors "R,W". 0, or -1 when it is not that. */
static int helper_pair(const char *s, int pair[2])
{
    const char *comma = strchr(s, ',');
    if (!comma)
        return -1;
    char first[24];
    size_t n = (size_t)(comma - s);
    if (n == 0 || n >= sizeof(first))
        return -1;
    memcpy(first, s, n);
    first[n] = '\0';
    long long r = helper_number(first), w = helper_number(comma + 1);
    if (r < 0 || r > INT_MAX || w < 0 || w > INT_MAX)
        return -1;
    pair[0] = (int)r;
    pair[1] = (int)w;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 8 || strcmp(argv[1], ESPEAK_HELPER_MARK) != 0) {
        fprintf(stderr, "scriptcast-espeak: this program is run by scriptcast %s, not by hand\n",
                SCRIPTCAST_VERSION);
        return 2;
    }
    long long fd = helper_number(argv[2]), reply = helper_number(argv[3]);
    long long greeting = helper_number(argv[4]);
    int turn[2] = {-1, -1};
    bool turn_ok = strcmp(argv[5], "-") == 0 || helper_pair(argv[5], turn) == 0;
    int nslots = argc - 7;
    if (fd < 0 || fd > INT_MAX || reply < 0 || reply > INT_MAX || greeting < 0 || !turn_ok ||
        nslots > ESPEAK_HELPER_MAX_SLOTS) {
        fprintf(stderr, "scriptcast-espeak: bad arguments\n");
        return 2;
    }
    int slots[ESPEAK_HELPER_MAX_SLOTS];
    for (int k = 0; k < nslots; k++) {
        long long s = helper_number(argv[7 + k]);
        if (s < 0 || s > INT_MAX) {
            fprintf(stderr, "scriptcast-espeak: bad arguments\n");
            return 2;
        }
        slots[k] = (int)s;
    }
    struct espeak_helper_args a = {(int)fd,
                                   (int)reply,
                                   slots,
                                   nslots,
                                   strcmp(argv[6], "-") == 0 ? NULL : argv[6],
                                   (uint64_t)greeting,
                                   {turn[0], turn[1]}};
    espeak_helper_main(&a);
}
