/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The plan stage's text preparation as a filter, for the number tables of
 * tests/lang/: each line of standard input is one segment's text spoken by a
 * voice of the language given as the argument; it goes through runs_split()
 * (lexicon, language runs, numbers, symbols: what `plan` does to a turn) and
 * the texts of its runs come out on one line, joined by a space.
 *
 * Usage: prepare LANG [ESPEAK-VOICE] < lines. Exit 0, or 2 on bad usage.
 */
#include "cast/voice.h"
#include "plan/plan.h"
#include "plan/runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: prepare LANG [ESPEAK-VOICE] < lines\n");
        return 2;
    }
    static char engine[] = "espeak-ng";
    struct voice v = {0};
    v.name = argv[1];
    v.lang = argv[1];
    v.engine = engine;
    v.voice = argc == 3 ? argv[2] : argv[1];
    v.latin_voice = NULL;
    char line[4096];
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        struct plan_run *runs = NULL;
        size_t n = 0;
        runs_split(line, &v, NULL, NULL, &runs, &n);
        for (size_t i = 0; i < n; i++)
            printf("%s%s", i ? " " : "", runs[i].text);
        putchar('\n');
        runs_free(runs, n);
    }
    return 0;
}
