/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the Japanese readings (src/plan/textja.c): words whose
 * reading depends on their context (今日は, 日本に行った, 一人), particles,
 * long vowels, kanji numerals with counters, punctuation; the same result
 * twice; and, in a child process with the dictionary gone, the error that
 * says why and the text returned with its numbers still written out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/textja.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct textja_case {
    const char *in;
    const char *want;
};

static const struct textja_case cases[] = {
    /* readings that depend on the words around them */
    {"今日は", "キョーワ"},
    {"今日は日本に行った。", "キョーワニッポンニイッタ。"},
    {"一人で東京へ行きました。", "ヒトリデトーキョーエイキマシタ。"},
    {"二人", "フタリ"},
    {"昨日、新しい本を読みました。", "キノー、アタラシイホンヲヨミマシタ。"},
    {"生物学を研究しています。", "セイブツガクヲケンキューシテイマス。"},
    {"上手に話せます", "ジョーズニハナセマス"},
    {"十分です", "ジューブンデス"},
    /* kana only: particles and long vowels still need the analysis */
    {"わたしはがっこうへいきます", "ワタシワガッコーエイキマス"},
    {"しましょう", "シマショー"},
    {"しゅみの はなし", "シュミノ ハナシ"},
    {"コンピューター", "コンピューター"},
    /* kanji numerals and counters */
    {"三百人", "サンビャクニン"},
    {"六百", "ロッピャク"},
    {"二〇二五年", "ニセンニジューゴネン"},
    {"十一月二十八日", "ジューイチガツニジューハチニチ"},
    {"四時", "ヨジ"},
    {"一万円", "イチマンエン"},
    /* digits (numja) inside sentences */
    {"2025年3月に3人で", "ニセンニジューゴネンサンガツニサンニンデ"},
    {"10時30分です", "ジュージサンジュップンデス"},
    /* punctuation and symbols */
    {"はい,そうです", "ハイ、ソーデス"},
    {"アイ・エム", "アイ エム"},
    {"A/B", "A、B"},
    {"", ""},
};

static void test_readings(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = textja_read(cases[i].in);
        if (strcmp(got, cases[i].want)) {
            fprintf(stderr, "textja(\"%s\") = \"%s\", want \"%s\"\n", cases[i].in, got,
                    cases[i].want);
            bad++;
        }
        free(got);
    }
    assert_null(textja_error());
    assert_int_equal(bad, 0);
}

static void test_no_kanji_left(void **state)
{
    (void)state;
    const char *text = "私たちは毎日、新しい技術について話し合っています。"
                       "特に音声合成と機械翻訳の研究が進んでいます。";
    char *a = textja_read(text), *b = textja_read(text);
    assert_string_equal(a, b); /* deterministic within a process */
    for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
        /* Han ideographs U+4E00..U+9FFF are E4 B8 80 .. E9 BF BF in UTF-8. */
        if (*p >= 0xE4 && *p <= 0xE9)
            fail_msg("kanji left in \"%s\"", a);
        while (p[1] >= 0x80 && p[1] < 0xC0)
            p++;
    }
    free(a);
    free(b);
}

static void test_missing_dictionary(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("SCRIPTCAST_MECAB_DICDIR", "/nonexistent/ipadic", 1);
        char *got = textja_read("今日は3人");
        const char *err = textja_error();
        int ok = err && strstr(err, "/nonexistent/ipadic") && strstr(err, "IPAdic") &&
                 !strcmp(got, "今日はサンニン");
        free(got);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: the child must start with MeCab not yet loaded. */
        cmocka_unit_test(test_missing_dictionary),
        cmocka_unit_test(test_readings),
        cmocka_unit_test(test_no_kanji_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
