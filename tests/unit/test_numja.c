/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the Japanese number readings (src/plan/numja.c): a table of
 * written forms and the katakana a listener expects (counter sound changes
 * included), the integer speller checked by parsing its katakana back for
 * every value up to 100000, and random text that must never keep a digit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/numja.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct numja_case {
    const char *in;
    const char *want;
};

static const struct numja_case cases[] = {
    /* integers */
    {"0", "ゼロ"},
    {"7", "ナナ"},
    {"10", "ジュー"},
    {"100", "ヒャク"},
    {"123", "ヒャクニジューサン"},
    {"300", "サンビャク"},
    {"600", "ロッピャク"},
    {"800", "ハッピャク"},
    {"1000", "セン"},
    {"3000", "サンゼン"},
    {"8000", "ハッセン"},
    {"2025", "ニセンニジューゴ"},
    {"10000", "イチマン"},
    {"12000", "イチマンニセン"},
    {"10000000", "イッセンマン"},
    {"15000000", "センゴヒャクマン"},
    {"100000000", "イチオク"},
    {"1000000000000", "イッチョー"},
    {"8000000000000", "ハッチョー"},
    {"1,000,000", "ヒャクマン"},
    {"007", "ゼロゼロナナ"},
    {"12345678901234567", "イチニサンヨンゴロクナナハチキューゼロイチニサンヨンゴロクナナ"},
    /* digits before 万 億 兆 */
    {"1万", "イチマン"},
    {"1万円", "イチマンエン"},
    {"3億5000万", "サンオクゴセンマン"},
    {"1000万", "イッセンマン"},
    {"1.5億", "イッテンゴオク"},
    {"1兆", "イッチョー"},
    {"10兆", "ジュッチョー"},
    /* decimals, signs, percent */
    {"3.14", "サンテンイチヨン"},
    {"1.5", "イッテンゴ"},
    {"8.2", "ハッテンニ"},
    {"0.05", "ゼロテンゼロゴ"},
    {"-5", "マイナスゴ"},
    {"3.5%", "サンテンゴパーセント"},
    {"10%", "ジュッパーセント"},
    {"50％", "ゴジュッパーセント"},
    /* counters and their sound changes */
    {"1人", "ヒトリ"},
    {"3つの手順", "ミッツの手順"},
    {"1つ目", "ヒトツ目"},
    {"9つ", "ココノツ"},
    {"2人", "フタリ"},
    {"3人", "サンニン"},
    {"4人", "ヨニン"},
    {"3万人", "サンマンニン"},
    {"4年", "ヨネン"},
    {"2025年", "ニセンニジューゴネン"},
    {"4月", "シガツ"},
    {"7月", "シチガツ"},
    {"9月", "クガツ"},
    {"3ヶ月", "サンカゲツ"},
    {"1か月", "イッカゲツ"},
    {"6ヶ月", "ロッカゲツ"},
    {"10カ月", "ジュッカゲツ"},
    {"3月1日", "サンガツツイタチ"},
    {"1日", "イチニチ"},
    {"20日", "ハツカ"},
    {"14日", "ジューヨッカ"},
    {"17日", "ジューシチニチ"},
    {"3日間", "ミッカカン"},
    {"4時", "ヨジ"},
    {"7時", "シチジ"},
    {"9時", "クジ"},
    {"19時", "ジュークジ"},
    {"2時間", "ニジカン"},
    {"1分", "イップン"},
    {"2分", "ニフン"},
    {"3分", "サンプン"},
    {"4分", "ヨンプン"},
    {"10分", "ジュップン"},
    {"30分", "サンジュップン"},
    {"45分", "ヨンジューゴフン"},
    {"4円", "ヨエン"},
    {"1本", "イッポン"},
    {"3本", "サンボン"},
    {"4本", "ヨンホン"},
    {"6本", "ロッポン"},
    {"100本", "ヒャッポン"},
    {"1000本", "センボン"},
    {"1泊", "イッパク"},
    {"3階", "サンガイ"},
    {"1回", "イッカイ"},
    {"8個", "ハッコ"},
    {"1歳", "イッサイ"},
    {"20歳", "ハタチ"},
    {"10冊", "ジュッサツ"},
    {"2倍", "ニバイ"},
    /* counters written in kana */
    {"7がつ 20にち", "シチガツ ハツカ"},
    {"2じかん", "ニジカン"},
    {"4じ", "ヨジ"},
    {"1ぷん", "イップン"},
    {"3にん", "サンニン"},
    /* clock times and dates */
    {"10:30", "ジュージサンジュップン"},
    {"9:05", "クジゴフン"},
    {"10:00", "ジュージ"},
    {"23:59:30", "ニジューサンジゴジューキューフンサンジュービョー"},
    {"2025/11/28", "ニセンニジューゴネンジューイチガツニジューハチニチ"},
    {"2025-03-01", "ニセンニジューゴネンサンガツツイタチ"},
    {"11月28日", "ジューイチガツニジューハチニチ"},
    /* ranges, phone numbers, text around */
    {"3〜5人", "サンカラゴニン"},
    {"2024-2025", "ニセンニジューヨンカラニセンニジューゴ"},
    {"03-1234-5678", "ゼロサンノイチニサンヨンノゴロクナナハチ"},
    {"第3回", "第サンカイ"},
    {"２０２５年", "ニセンニジューゴネン"},
    {"約100人です。", "約ヒャクニンです。"},
    {"", ""},
};

static void test_table(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = numja_normalize(cases[i].in);
        if (strcmp(got, cases[i].want)) {
            fprintf(stderr, "numja(\"%s\") = \"%s\", want \"%s\"\n", cases[i].in, got,
                    cases[i].want);
            bad++;
        }
        free(got);
    }
    assert_int_equal(bad, 0);
}

/* Parses a reading made by numja_count() back into a value, so every
 * integer can be checked without a table: the words and sound-changed
 * forms below are the only ones the speller may produce. */
static long long reparse(const char *s)
{
    static const struct {
        const char *w;
        int v; /* 0-9 digits; 10/100/1000 multipliers; -4/-8/-12 big units */
    } words[] = {{"ゼロ", 0},
                 {"イチ", 1},
                 {"イッセン", -1000},
                 {"ニ", 2},
                 {"サンゼン", -3000},
                 {"サンビャク", -300},
                 {"サン", 3},
                 {"ヨン", 4},
                 {"ゴ", 5},
                 {"ロッピャク", -600},
                 {"ロク", 6},
                 {"ナナ", 7},
                 {"ハッピャク", -800},
                 {"ハッセン", -8000},
                 {"ハチ", 8},
                 {"キュー", 9},
                 {"ジュー", 10},
                 {"ヒャク", 100},
                 {"セン", 1000},
                 {"マン", -4}};
    long long total = 0, section = 0, cur = -1;
    while (*s) {
        size_t best = 0;
        int v = 0;
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
            size_t n = strlen(words[i].w);
            if (n > best && !strncmp(s, words[i].w, n)) {
                best = n;
                v = words[i].v;
            }
        }
        if (!best)
            return -1;
        s += best;
        if (v >= 0 && v < 10) {
            cur = v;
        } else if (v >= 10) {
            section += (cur < 0 ? 1 : cur) * v;
            cur = -1;
        } else if (v == -4) {
            total += (section + (cur < 0 ? 0 : cur)) * 10000;
            section = 0;
            cur = -1;
        } else {
            section += -v; /* サンゼン, ロッピャク ... are whole hundreds/thousands */
        }
    }
    return total + section + (cur < 0 ? 0 : cur);
}

static void test_integers_read_back(void **state)
{
    (void)state;
    char digits[32];
    for (long long v = 0; v <= 100000; v++) {
        struct strbuf sb = STRBUF_INIT;
        snprintf(digits, sizeof(digits), "%lld", v);
        assert_int_equal(numja_count(&sb, digits, strlen(digits), NULL, false), 0);
        long long back = reparse(sb.buf);
        if (back != v)
            fail_msg("%lld read %s, parsed back %lld", v, sb.buf, back);
        strbuf_release(&sb);
    }
}

static void test_count_consumes_counter(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(numja_count(&sb, "1", 1, "人が", false), strlen("人"));
    assert_string_equal(sb.buf, "ヒトリ");
    strbuf_reset(&sb);
    assert_int_equal(numja_count(&sb, "1", 1, "日", true), strlen("日"));
    assert_string_equal(sb.buf, "ツイタチ");
    strbuf_reset(&sb);
    assert_int_equal(numja_count(&sb, "300", 3, "が", false), 0);
    assert_string_equal(sb.buf, "サンビャク");
    strbuf_release(&sb);
}

/* Random text of digits, punctuation and counters: no digit may survive. */
static void test_no_digit_left(void **state)
{
    (void)state;
    static const char *const parts[] = {"1",  "0",  "9",  ".",  ",",  ":",  "-",  "/",  "%",
                                        "〜", "年", "月", "日", "人", "万", "億", "兆", "本",
                                        "１", "．", "分", "時", "は", " ",  "A",  "ー"};
    unsigned seed = 12345;
    for (int round = 0; round < 20000; round++) {
        struct strbuf in = STRBUF_INIT;
        int n = 1 + (int)(seed % 12);
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            strbuf_adds(&in, parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))]);
        }
        char *out = numja_normalize(in.buf);
        for (const char *p = out; *p; p++)
            if (*p >= '0' && *p <= '9')
                fail_msg("digit left in \"%s\" -> \"%s\"", in.buf, out);
        if (strstr(out, "１"))
            fail_msg("full-width digit left in \"%s\" -> \"%s\"", in.buf, out);
        free(out);
        strbuf_release(&in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_integers_read_back),
        cmocka_unit_test(test_count_consumes_counter),
        cmocka_unit_test(test_no_digit_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
