/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for --cast files: any bytes as the settings file of a
 * small fixed transcript go through parsing, casting and planning with the
 * shipped profiles; diagnostics or a plan, never a crash, a leak or
 * undefined behaviour. Build and run: see fuzz_script.c; seeds:
 * tests/fuzz/corpus/cast/.
 */
#include "fuzz_common.h"
#include "cast/cast.h"
#include "plan/plan.h"
#include "script/script.h"
#include "util/diag.h"

#include <string.h>

static const char fuzz_transcript[] = "---\ntitle: Fuzz\nspeakers: [Ann, 陆飞]\n---\n"
                                      "# One\n\nAnn: Hello GPT-4o, 3.14 and 2025.\n\n"
                                      "陆飞：你好，第3期，50%的人。\n\n# Two\n\nBob: bye\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("cast.yaml", data, size);
    struct diags d;
    diag_init(&d);
    struct script_options so = {.cast_file = path, .max_input = 1u << 20};
    struct script s;
    if (script_parse(&s, "fuzz.md", fuzz_transcript, sizeof(fuzz_transcript) - 1, &so, &d) == 0) {
        struct cast c;
        if (cast_assign(&c, &s, fuzz_voices(), size % 2, &d) == 0) {
            struct plan p;
            plan_build(&p, &s, &c, NULL, &d);
            plan_release(&p); /* after a failure too, as the pipeline does */
        }
        cast_release(&c);
    }
    script_release(&s);
    fuzz_diags_done(&d);
    return 0;
}
