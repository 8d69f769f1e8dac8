/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for the script stage: any bytes as a transcript must give
 * a script or diagnostics, never a crash, a leak or undefined behaviour.
 * Built with -DSCRIPTCAST_FUZZ=ON and clang, like every target here
 * (fuzz_voice, fuzz_cast, fuzz_section, fuzz_cache, fuzz_plan):
 *   CC=clang cmake -S . -B build-fuzz -DSCRIPTCAST_FUZZ=ON -DSCRIPTCAST_TESTS=OFF
 *   cmake --build build-fuzz --target fuzz_script
 *   build-fuzz/fuzz_script -max_total_time=60 assets/examples
 * scripts/fuzz.sh runs each for a while on its seeds (the test command runs
 * it for 30 s each).
 */
#include "fuzz_common.h"
#include "script/script.h"
#include "util/diag.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diags d;
    diag_init(&d);
    struct script s;
    script_parse(&s, "fuzz.md", (const char *)data, size, NULL, &d);
    script_release(&s);
    fuzz_diags_done(&d);
    return 0;
}
