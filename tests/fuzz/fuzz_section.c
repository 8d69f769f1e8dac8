/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for --section selectors: the input, cut at newlines
 * and NUL bytes into up to 8 selectors, filters the plan of a fixed
 * transcript with Latin, CJK and look-alike titles. A plan, a "selects
 * nothing" usage error, or diagnostics; never a crash, a leak or undefined
 * behaviour, and a plan that is kept is never empty. Seeds:
 * tests/fuzz/corpus/section/.
 */
#include "fuzz_common.h"
#include "cast/cast.h"
#include "plan/plan.h"
#include "script/script.h"
#include "util/diag.h"

#include <stdlib.h>
#include <string.h>

static const char fuzz_transcript[] = "# Intro\n\nAnn: hi\n\n# Part 2-4\n\nAnn: two\n\n"
                                      "# 第三章：开始\n\n陆飞：三\n\n# intro again\n\nAnn: four\n\n"
                                      "# 10\n\nAnn: five\n\n# Ünïcode Ⅻ\n\nAnn: six\n";

#define FUZZ_MAX_SELECTORS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *sel[FUZZ_MAX_SELECTORS];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < FUZZ_MAX_SELECTORS; i++) {
        if (i < size && data[i] != '\n' && data[i] != '\0')
            continue;
        sel[n] = malloc(i - start + 1);
        memcpy(sel[n], data + start, i - start);
        sel[n][i - start] = '\0';
        n++;
        start = i + 1;
    }
    struct diags d;
    diag_init(&d);
    struct script s;
    if (script_parse(&s, "fuzz.md", fuzz_transcript, sizeof(fuzz_transcript) - 1, NULL, &d) == 0) {
        struct cast c;
        if (cast_assign(&c, &s, fuzz_voices(), false, &d) == 0) {
            struct plan p;
            struct plan_filter f = {sel, n};
            int rc = plan_build(&p, &s, &c, &f, &d);
            if (rc == 0 && (p.nchapters == 0 || p.nsegments == 0))
                fuzz_fail("a filtered plan", "has nothing in it");
            if (rc != 0 && rc != -1 && rc != -2)
                fuzz_fail("plan_build", "returned neither 0, -1 nor -2");
            plan_release(&p); /* after a failure too, as the pipeline does */
        }
        cast_release(&c);
    }
    script_release(&s);
    fuzz_diags_done(&d);
    for (size_t i = 0; i < n; i++)
        free(sel[i]);
    return 0;
}
