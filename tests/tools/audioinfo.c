/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test helper: decodes an audio file with libsndfile and prints what the
 * command-line tests check, as JSON: rate, channels, frames, and for each
 * START:END range of frames given, the peak absolute sample value (0-32767)
 * in it. Exit 1 when the file cannot be opened.
 */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: audioinfo FILE [START:END]...\n");
        return 2;
    }
    SF_INFO info;
    memset(&info, 0, sizeof(info));
    SNDFILE *sf = sf_open(argv[1], SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "audioinfo: %s: %s\n", argv[1], sf_strerror(NULL));
        return 1;
    }
    size_t n = (size_t)info.frames * (size_t)info.channels;
    short *pcm = malloc((n ? n : 1) * sizeof(short));
    sf_count_t got = sf_readf_short(sf, pcm, info.frames);
    const char *title = sf_get_string(sf, SF_STR_TITLE);
    printf("{\"rate\": %d, \"channels\": %d, \"frames\": %lld, \"decoded\": %lld, "
           "\"has_title\": %s, \"peaks\": [",
           info.samplerate, info.channels, (long long)info.frames, (long long)got,
           title && *title ? "true" : "false");
    for (int i = 2; i < argc; i++) {
        long long a = 0, b = 0;
        if (sscanf(argv[i], "%lld:%lld", &a, &b) != 2)
            a = b = 0;
        if (a < 0)
            a = 0;
        if (b > got)
            b = got;
        int peak = 0;
        for (long long k = a; k < b; k++) {
            int v = abs(pcm[k * info.channels]);
            if (v > peak)
                peak = v;
        }
        printf("%s%d", i > 2 ? ", " : "", peak);
    }
    printf("]}\n");
    free(pcm);
    sf_close(sf);
    return 0;
}
