/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the plan stage: any bytes as a transcript go
 * through parsing, casting with the shipped profiles and planning, and
 * every segment is cut into its runs. Beyond "no crash, no leak, no
 * undefined behaviour" it checks what docs/transcript-format.md promises:
 * no ASCII digit reaches a Chinese run (espeak-ng's Mandarin voice reads
 * them wrongly, so numbers are written out first), and every run's text
 * is valid UTF-8. Build and run: see fuzz_script.c; seeds: assets/examples,
 * tests/cases.
 */
#include "fuzz_common.h"
#include "cast/cast.h"
#include "plan/plan.h"
#include "plan/runs.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <string.h>

static void fuzz_check_runs(const struct plan *p)
{
    for (size_t i = 0; i < p->nsegments; i++) {
        struct plan_run *runs = NULL;
        size_t nruns = 0;
        plan_segment_runs(p, &p->segments[i], &runs, &nruns);
        for (size_t r = 0; r < nruns; r++) {
            const char *t = runs[r].text;
            if (!utf8_valid(t, strlen(t), NULL))
                fuzz_fail("a run's text is not UTF-8", t);
            if (!strcmp(runs[r].lang, "zh") && strpbrk(t, "0123456789"))
                fuzz_fail("an ASCII digit in a Chinese run", t);
        }
        runs_free(runs, nruns);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diags d;
    diag_init(&d);
    struct script s;
    struct script_options so = {.max_input = 1u << 20};
    if (script_parse(&s, "fuzz.md", (const char *)data, size, &so, &d) == 0) {
        struct cast c;
        if (cast_assign(&c, &s, fuzz_voices(), false, &d) == 0) {
            struct plan p;
            if (plan_build(&p, &s, &c, NULL, &d) == 0)
                fuzz_check_runs(&p);
            plan_release(&p);
        }
        cast_release(&c);
    }
    script_release(&s);
    fuzz_diags_done(&d);
    return 0;
}
