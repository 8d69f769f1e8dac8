/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Robustness of the script and plan stages against broken input, run in
 * every test build (the sanitizer build turns any memory error into a
 * failure): thousands of deterministic mutations of the bundled examples —
 * bytes flipped, cut, duplicated, garbage inserted — must each give a
 * script or diagnostics, never a crash. tests/fuzz/ has the libFuzzer target
 * for longer runs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static void read_example(struct strbuf *sb, const char *name)
{
    const char *src = getenv("SCRIPTCAST_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/assets/examples/%s", src ? src : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        strbuf_add(sb, buf, n);
    fclose(f);
}

static void mutate(struct strbuf *out, const struct strbuf *in)
{
    strbuf_reset(out);
    strbuf_add(out, in->buf, in->len);
    int edits = 1 + (int)(rng() % 8);
    static const char *const pieces[] = {"---\n",    "\n# ",
                                         ":",        "：",
                                         "**",       "\xff",
                                         "\xe4\xbd", "[00:01] ",
                                         "```\n",    "<!--",
                                         "\r\n",     "&a ",
                                         "*a",       "scriptcast:\n  cast:\n    x: {voice: [1]}\n",
                                         "\0"};
    for (int e = 0; e < edits && out->len; e++) {
        size_t at = rng() % out->len;
        switch (rng() % 4) {
        case 0: /* flip a byte */
            out->buf[at] = (char)(rng() & 0xff);
            break;
        case 1: /* cut */
            strbuf_setlen(out, at);
            break;
        case 2: { /* insert a troublesome piece */
            const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
            size_t n = *p ? strlen(p) : 1;
            struct strbuf t = STRBUF_INIT;
            strbuf_add(&t, out->buf, at);
            strbuf_add(&t, p, n);
            strbuf_add(&t, out->buf + at, out->len - at);
            strbuf_release(out);
            *out = t;
            break;
        }
        default: { /* duplicate a span */
            size_t n = rng() % 64;
            if (at + n > out->len)
                n = out->len - at;
            struct strbuf t = STRBUF_INIT;
            strbuf_add(&t, out->buf, at + n);
            strbuf_add(&t, out->buf + at, out->len - at);
            strbuf_release(out);
            *out = t;
        }
        }
    }
}

static void test_mutations(void **state)
{
    (void)state;
    static const char *const examples[] = {"ai-podcast-zh.md", "panel-en.md"};
    for (size_t x = 0; x < 2; x++) {
        struct strbuf base = STRBUF_INIT, m = STRBUF_INIT;
        read_example(&base, examples[x]);
        for (int i = 0; i < 1500; i++) {
            mutate(&m, &base);
            struct diags d;
            diag_init(&d);
            struct script s;
            int rc = script_parse(&s, "m.md", m.buf, m.len, NULL, &d);
            /* Failure always comes with a reason. */
            if (rc < 0 && !d.errors && !d.system)
                fail_msg("mutation %d of %s failed without a diagnostic", i, examples[x]);
            script_release(&s);
            diag_release(&d);
        }
        strbuf_release(&base);
        strbuf_release(&m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
