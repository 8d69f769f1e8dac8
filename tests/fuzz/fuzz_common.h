/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the libFuzzer targets share: a scratch folder for inputs that the
 * code under test only reads from files (voice profiles, --cast files,
 * cache entries), the shipped voice profiles loaded once, and a sink for
 * printing diagnostics (printing is code under test too: windows, escapes).
 *
 * Contract: fuzz_write() returns a path inside the scratch folder, valid
 * until the next call with the same name; the folder is removed at exit.
 * fuzz_voices() returns a voicebook owned by this module. A target calls
 * fuzz_fail() to report a broken invariant: it prints and aborts, which
 * libFuzzer records as a crash with the input that caused it.
 */
#ifndef SCRIPTCAST_FUZZ_COMMON_H
#define SCRIPTCAST_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct diags;
struct voicebook;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The scratch folder (created on first use). */
const char *fuzz_dir(void);
/* Writes data to fuzz_dir()/name and returns that path. */
const char *fuzz_write(const char *name, const void *data, size_t size);
/* The profiles of the source tree's voices/ folder. */
const struct voicebook *fuzz_voices(void);
/* Prints d to /dev/null and releases it. */
void fuzz_diags_done(struct diags *d);
_Noreturn void fuzz_fail(const char *what, const char *detail);

#endif
