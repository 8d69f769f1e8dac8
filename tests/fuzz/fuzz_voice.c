/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for voice profiles: any bytes as a profile (voices/NAME.yaml)
 * must load as a profile or give diagnostics (printed, to exercise the
 * window and escapes too), never a crash, a leak or undefined behaviour.
 * The file is named v.yaml, so inputs that say "name: v" load fully.
 * Build and run: see fuzz_script.c; seeds: voices/.
 */
#include "fuzz_common.h"
#include "cast/voice.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("v.yaml", data, size);
    struct diags d;
    diag_init(&d);
    struct voice v;
    if (voice_load_file(&v, path, &d) == 0)
        voice_release(&v);
    fuzz_diags_done(&d);
    return 0;
}
