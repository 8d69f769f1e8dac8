/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the per-language number readers (src/plan/num*.c; their
 * readings are checked by ear in tests/lang/numbers-*.tsv): random text
 * made of digits, separators, signs and letters of each script must come
 * out as valid UTF-8, without a crash or a read past the end (the ASan
 * build runs this too), and text without digits or minus signs must come
 * out unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/numlang.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

static char *(*const PREPARE[])(const char *) = {numlang_de, numlang_es, numlang_fr, numlang_en,
                                                 numlang_ko, numlang_ar, numlang_ru};

/* Pieces the readers look at, glued at random. */
static const char *const PIECES[] = {
    "0",    "1",   "2",   "3",    "9",        "12",  "31",   "1999", "2026", ".",
    ",",    ":",   "/",   "-",    "−",        "%",   "٪",    " ",    " ",    "h",
    "e",    "er",  "re",  "ème",  "º",        "ª",   "Uhr",  "am",   "der",  "Mai",
    "Dez.", "12 ", "000", "年",   "月",       "日",  "시",   "개",   "번째", "월",
    "년",   "٣",   "٫",   "٬",    "-й",       "-го", "году", "г.",   "года", "декабря",
    "в",    "до",  "ᵉ",   "\xff", "\xe2\x82", "a",   "Z",    "ö",    "ß"};

static void test_random_text(void **state)
{
    (void)state;
    srand(16);
    for (int round = 0; round < 20000; round++) {
        struct strbuf sb = STRBUF_INIT;
        int n = rand() % 12;
        for (int k = 0; k < n; k++)
            strbuf_adds(&sb, PIECES[(size_t)rand() % (sizeof(PIECES) / sizeof(PIECES[0]))]);
        bool valid = utf8_valid(sb.buf, sb.len, NULL);
        for (size_t l = 0; l < sizeof(PREPARE) / sizeof(PREPARE[0]); l++) {
            char *out = PREPARE[l](sb.buf);
            assert_non_null(out);
            if (valid && !utf8_valid(out, strlen(out), NULL))
                fail_msg("invalid UTF-8 from language %zu for \"%s\": \"%s\"", l, sb.buf, out);
            free(out);
        }
        strbuf_release(&sb);
    }
}

static void test_no_number_no_change(void **state)
{
    (void)state;
    static const char *const texts[] = {"Guten Tag, wie geht's?",
                                        "Hola, ¿qué tal?",
                                        "Bonjour à tous.",
                                        "Hello there.",
                                        "안녕하세요.",
                                        "مرحبا بكم",
                                        "Добрый день."};
    for (size_t l = 0; l < sizeof(PREPARE) / sizeof(PREPARE[0]); l++) {
        char *out = PREPARE[l](texts[l]);
        assert_string_equal(out, texts[l]);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_no_number_no_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
