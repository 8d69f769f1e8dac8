/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for util/diag's printing: a source line is shown whole when
 * short and as a window around the column when long (a 50 MB line is
 * neither copied per diagnostic nor echoed), with the caret still under
 * the column; characters a terminal would act on (ESC, OSC, BEL, C1, DEL,
 * bidirectional overrides, bytes that are not UTF-8) are shown escaped in
 * the file name, the message and the source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* diag_print_one() of the last diagnostic of d, as a malloc'd string. */
static char *printed(const struct diags *d, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    assert_non_null(out);
    diag_print_one(&d->v[d->n - 1], out);
    fclose(out);
    if (len)
        *len = n;
    return buf;
}

/* The n-th line (0-based) of text, malloc'd. */
static char *line_of(const char *text, int n)
{
    const char *p = text;
    while (n-- > 0) {
        p = strchr(p, '\n');
        assert_non_null(p);
        p++;
    }
    const char *e = strchr(p, '\n');
    return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static void test_short_line_whole(void **state)
{
    (void)state;
    struct diags d;
    diag_init(&d);
    diag_add(&d, DIAG_WARNING, "t.md", 3, 6, "Bob: 你好 there", "a %s", "warning");
    char *out = printed(&d, NULL);
    assert_string_equal(out, "scriptcast: t.md:3:6: warning: a warning\n"
                             "     3 | Bob: 你好 there\n"
                             "       |      ^\n");
    free(out);
    diag_release(&d);
}

static void test_long_line_window(void **state)
{
    (void)state;
    size_t n = 50u << 20;
    char *line = malloc(n + 1);
    memset(line, 'x', n);
    memcpy(line, "Bob: ", 5);
    line[n] = '\0';
    line[25000000 - 1] = 'Y'; /* the column pointed at */
    struct diags d;
    diag_init(&d);
    diag_add(&d, DIAG_ERROR, "t.md", 1, 25000000, line, "deep in a long line");
    diag_add(&d, DIAG_WARNING, "t.md", 1, 1, line, "at its start");
    free(line); /* the diagnostics keep windows, not the 50 MB */
    assert_true(strlen(d.v[0].source) <= DIAG_WINDOW);
    assert_true(strlen(d.v[1].source) <= DIAG_WINDOW);

    size_t len;
    char *out = printed(&d, &len);
    assert_true(len < 400);
    char *src = line_of(out, 1);
    assert_memory_equal(src, "     1 | Bob: xxx", 17);
    assert_non_null(strstr(src, "x..."));
    assert_int_equal(strlen(src), 9 + DIAG_WINDOW + 3);
    free(src);
    free(out);

    d.n--; /* the first one */
    out = printed(&d, &len);
    d.n++;
    assert_true(len < 400);
    src = line_of(out, 1);
    char *caret = line_of(out, 2);
    /* "     1 | ..." then the window; the caret under the Y. */
    assert_memory_equal(src, "     1 | ...xxx", 15);
    const char *y = strchr(src, 'Y');
    assert_non_null(y);
    assert_int_equal(strlen(caret), (size_t)(y - src) + 1);
    assert_int_equal(caret[y - src], '^');
    assert_int_equal((size_t)(y - src), 9 + 3 + DIAG_WINDOW_BEFORE);
    free(caret);
    free(src);
    free(out);
    diag_release(&d);
}

static void test_controls_escaped(void **state)
{
    (void)state;
    /* OSC title change, CSI colour, BEL, a C1 CSI (U+009B), DEL, an RLO
     * and a byte that is not UTF-8. */
    const char *src = "Bob: \x1b]0;pwned\x07 \x1b[31mred \xc2\x9b"
                      "2J\x7f \xe2\x80\xae"
                      "evil \xff!";
    struct diags d;
    diag_init(&d);
    /* The column of the '!' (characters: the escapes count one each). */
    int col = 1 + (int)strlen("Bob: .]0;pwned. .[31mred .2J. .evil .");
    diag_add(&d, DIAG_WARNING, "a\x1b[2Jb.md", 2, col, src, "speaker \"%s\"", "\x1b[5mX");
    size_t len;
    char *out = printed(&d, &len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f || c == 0xff)
            fail_msg("raw byte 0x%02x at %zu in:\n%s", c, i, out);
    }
    assert_null(strstr(out, "\xc2\x9b"));
    assert_null(strstr(out, "\xe2\x80\xae"));
    assert_non_null(strstr(out, "scriptcast: a\\x1b[2Jb.md:2:"));
    assert_non_null(strstr(out, "speaker \"\\x1b[5mX\""));
    assert_non_null(strstr(out, "| Bob: \\x1b]0;pwned\\x07 \\x1b[31mred \\u009b2J\\x7f "
                                "\\u202eevil \\xff!\n"));
    char *s = line_of(out, 1), *caret = line_of(out, 2);
    const char *bang = strchr(s, '!');
    assert_non_null(bang);
    assert_int_equal(strlen(caret), (size_t)(bang - s) + 1);
    assert_int_equal(caret[bang - s], '^');
    free(s);
    free(caret);
    free(out);
    diag_release(&d);
}

static void test_long_message_cut(void **state)
{
    (void)state;
    char *name = malloc(100001);
    memset(name, 'n', 100000);
    name[100000] = '\0';
    struct diags d;
    diag_init(&d);
    diag_add(&d, DIAG_WARNING, "t.md", 1, 1, NULL, "speaker \"%s\" has no voice", name);
    free(name);
    assert_int_equal(strlen(d.v[0].msg), DIAG_MSG_MAX + 3);
    assert_string_equal(d.v[0].msg + DIAG_MSG_MAX, "...");
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_line_whole),
        cmocka_unit_test(test_long_line_window),
        cmocka_unit_test(test_controls_escaped),
        cmocka_unit_test(test_long_message_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
