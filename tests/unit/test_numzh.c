/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the Chinese number normalizer (src/plan/numzh.c): a table
 * of written forms and the reading a listener expects for each, the integer
 * speller checked by parsing its output back for every value up to 100000
 * and for random large ones, and sweeps over generated and random text that
 * must never leave a digit for espeak-ng to misread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/numzh.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct numzh_case {
    const char *in;
    const char *want;
};

static const struct numzh_case cases[] = {
    /* integers, grouping and 零 */
    {"0", "零"},
    {"7", "七"},
    {"10", "十"},
    {"15", "十五"},
    {"20", "二十"},
    {"100", "一百"},
    {"101", "一百零一"},
    {"110", "一百一十"},
    {"606", "六百零六"},
    {"1000", "一千"},
    {"1001", "一千零一"},
    {"1050", "一千零五十"},
    {"10000", "一万"},
    {"10001", "一万零一"},
    {"10010", "一万零一十"},
    {"100000", "十万"},
    {"1050亿", "一千零五十亿"},
    {"120000", "十二万"},
    {"1001000", "一百万一千"},
    {"100000000", "一亿"},
    {"100010000", "一亿零一万"},
    {"2300000000", "二十三亿"},
    {"1000000000000", "一万亿"},
    {"9999999999999999", "九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九"},
    {"12345678901234567", "一二三四五六七八九零一二三四五六七"},
    {"1,000,000", "一百万"},
    {"12,345.67", "一万二千三百四十五点六七"},
    {"1,2,3", "一,二,三"},
    /* years */
    {"2025年", "二零二五年"},
    {"1998年", "一九九八年"},
    {"3年", "三年"},
    {"10年", "十年"},
    {"5000年", "五千年"},
    {"2024-2025", "二零二四到二零二五"},
    {"2024-2025年", "二零二四到二零二五年"},
    {"1990到2000年", "一九九零到二零零零年"},
    {"1000到2000元", "一千到二千元"},
    /* decimals and dotted chains */
    {"3.14", "三点一四"},
    {"0.5", "零点五"},
    {"12.05", "十二点零五"},
    {"1.2.3", "一点二点三"},
    {"192.168.1.1", "一九二点一六八点一点一"},
    {"版本3.", "版本三."},
    /* percent */
    {"50%", "百分之五十"},
    {"3.5%", "百分之三点五"},
    {"50％", "百分之五十"},
    {"5‰", "千分之五"},
    {"10%-20%", "百分之十到百分之二十"},
    /* signs, ranges, operators */
    {"-5", "负五"},
    {"−3.2", "负三点二"},
    {"－7", "负七"},
    {"-5%", "负百分之五"},
    {"气温-3度", "气温负三度"},
    {"+5", "五"},
    {"10+", "十多"},
    {"10+个", "十多个"},
    {"3-5个", "三到五个"},
    {"3~5天", "三到五天"},
    {"2024年-2025年", "二零二四年到二零二五年"},
    {"3天-5天", "三天到五天"},
    {"阅读量10万+", "阅读量十万多"},
    {"10%+", "百分之十多"},
    {"1-2个", "一到两个"},
    {"C++", "C++"},
    {"5 - 3", "五 - 三"},
    {"1+1=2", "一加一等于二"},
    {"5−3", "五减三"},
    {"3×4", "三乘四"},
    /* ordinals */
    {"第3", "第三"},
    {"第10章", "第十章"},
    {"第21", "第二十一"},
    /* clock times */
    {"10:30", "十点三十分"},
    {"9:05", "九点零五分"},
    {"10:00", "十点"},
    {"23:59:30", "二十三点五十九分三十秒"},
    {"10:00:05", "十点零分零五秒"},
    {"2:30", "两点三十分"},
    {"0:15", "零点十五分"},
    {"10：30", "十点三十分"},
    {"10:30-11:00", "十点三十分到十一点"},
    /* dates */
    {"2025-11-28", "二零二五年十一月二十八日"},
    {"2025/11/28", "二零二五年十一月二十八日"},
    {"2025.1.5", "二零二五年一月五日"},
    {"11月28日", "十一月二十八日"},
    /* fractions and ratios */
    {"3/4", "四分之三"},
    {"1/2/3", "一/二/三"},
    {"比分3:2", "比分三比二"},
    /* 两 */
    {"2个", "两个"},
    {"2個", "两個"}, /* traditional measure words (Cantonese runs) */
    {"2萬", "两萬"},
    {"2万", "两万"},
    {"2年", "两年"},
    {"2小时", "两小时"},
    {"12个", "十二个"},
    {"第2个", "第二个"},
    {"2月", "二月"},
    {"2年级", "二年级"},
    {"2", "二"},
    /* codes, read digit by digit */
    {"007", "零零七"},
    {"0123", "零一二三"},
    {"138-1234-5678", "一三八-一二三四-五六七八"},
    {"010-12345678", "零一零-一二三四五六七八"},
    {"007-008", "零零七-零零八"},
    {"A100", "A一零零"},
    {"GPT-4o", "GPT-四o"},
    {"GPT-3.5", "GPT-三点五"},
    /* full-width digits */
    {"１２３", "一百二十三"},
    {"３．１４", "三点一四"},
    {"２０２５年", "二零二五年"},
    /* in running text */
    {"今天是2025年11月28日，气温-3度，湿度50%。",
     "今天是二零二五年十一月二十八日，气温负三度，湿度百分之五十。"},
    {"他花了1050亿买了2个公司", "他花了一千零五十亿买了两个公司"},
    {"没有数字的句子。", "没有数字的句子。"},
    {"", ""},
};

static bool has_digit(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
            return true;
    }
    return false;
}

static void test_table(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char *got = numzh_normalize(cases[k].in);
        if (strcmp(got, cases[k].want) != 0) {
            fprintf(stderr, "numzh_normalize(\"%s\") = \"%s\", want \"%s\"\n", cases[k].in, got,
                    cases[k].want);
            failures++;
        }
        free(got);
    }
    assert_int_equal(failures, 0);
}

static void test_integer_contract(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, "共");
    numzh_integer(&sb, "1050", 4);
    assert_string_equal(sb.buf, "共一千零五十");
    strbuf_reset(&sb);
    numzh_integer(&sb, "000", 3);
    assert_string_equal(sb.buf, "零");
    strbuf_reset(&sb);
    numzh_integer(&sb, "", 0);
    assert_string_equal(sb.buf, "零");
    strbuf_reset(&sb);
    numzh_integer(&sb, "0010", 4);
    assert_string_equal(sb.buf, "十");
    strbuf_reset(&sb);
    numzh_integer(&sb, "12345", 3); /* only n bytes are read */
    assert_string_equal(sb.buf, "一百二十三");
    strbuf_release(&sb);
}

/* Reads a Chinese numeral back; returns false on a character it does not know. */
static bool parse_zh(const char *s, uint64_t *out)
{
    static const char *const digit[10] = {"零", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九"};
    uint64_t total = 0, wan = 0, section = 0, num = 0;
    while (*s) {
        int d = -1;
        for (int k = 0; k < 10; k++)
            if (strncmp(s, digit[k], 3) == 0)
                d = k;
        if (d >= 0) {
            num = (uint64_t)d;
        } else if (strncmp(s, "十", 3) == 0) {
            section += (num ? num : 1) * 10, num = 0;
        } else if (strncmp(s, "百", 3) == 0) {
            section += num * 100, num = 0;
        } else if (strncmp(s, "千", 3) == 0) {
            section += num * 1000, num = 0;
        } else if (strncmp(s, "万", 3) == 0) {
            wan = (section + num) * 10000, section = num = 0;
        } else if (strncmp(s, "亿", 3) == 0) {
            total = (total + wan + section + num) * 100000000u, wan = section = num = 0;
        } else {
            return false;
        }
        s += 3;
    }
    *out = total + wan + section + num;
    return true;
}

/* Spelled value v must parse back to v and follow the 零 and 十 rules. */
static void check_spelling(uint64_t v)
{
    char digits[32];
    struct strbuf sb = STRBUF_INIT;
    uint64_t back = 0;
    snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
    numzh_integer(&sb, digits, strlen(digits));
    if (!parse_zh(sb.buf, &back) || back != v)
        fail_msg("%s spelled %s, reads back as %llu", digits, sb.buf, (unsigned long long)back);
    if (v != 0) {
        const char *z = sb.buf;
        if (strstr(sb.buf, "零零") || strncmp(sb.buf, "一十", strlen("一十")) == 0)
            fail_msg("%s spelled %s", digits, sb.buf);
        if (sb.len >= 3 && strcmp(sb.buf + sb.len - 3, "零") == 0)
            fail_msg("%s spelled %s: trailing 零", digits, sb.buf);
        while ((z = strstr(z, "零")) != NULL) {
            z += 3;
            if (strncmp(z, "十", 3) == 0 || strncmp(z, "百", 3) == 0 || strncmp(z, "千", 3) == 0 ||
                strncmp(z, "万", 3) == 0 || strncmp(z, "亿", 3) == 0)
                fail_msg("%s spelled %s: 零 before a unit", digits, sb.buf);
        }
    }
    strbuf_release(&sb);
}

static uint64_t next_random(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed >> 11;
}

static void test_integer_roundtrip(void **state)
{
    (void)state;
    uint64_t seed = 42;
    for (uint64_t v = 0; v <= 100000; v++)
        check_spelling(v);
    for (int k = 0; k < 20000; k++) {
        uint64_t v = next_random(&seed) % 10000000000000000u, scale = 1;
        /* Zeroing random 4-digit groups exercises the 零 rules across 万 and 亿. */
        for (int g = 0; g < 4; g++, scale *= 10000u)
            if (next_random(&seed) % 2)
                v -= v / scale % 10000u * scale;
        check_spelling(v);
    }
}

static void test_sweep_no_digits(void **state)
{
    (void)state;
    static const char *const forms[] = {"%d",    "%d年",  "-%d",   "%d%%", "第%d", "%d.%d",
                                        "%d:%d", "%d/%d", "%d-%d", "x%d",  "%d个", "0%d"};
    char in[64];
    for (int v = 0; v <= 100000; v++) {
        for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
            snprintf(in, sizeof(in), forms[f], v, v % 100);
            char *out = numzh_normalize(in);
            if (has_digit(out) || !utf8_valid(out, strlen(out), NULL))
                fail_msg("numzh_normalize(\"%s\") = \"%s\"", in, out);
            free(out);
        }
    }
}

static void test_random_text(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "0",  "1",  "2",  "5",  "9", "０", "７", ",",  ".",  ":",  "/",    "-",
        "−",  "+",  "%",  "％", "‰", "~",  "～", "—",  "×",  "=",  "年",   "月",
        "第", "个", "到", "级", "A", "o",  " ",  "，", "：", "．", "\xff", "\xe4\xb8",
    };
    const size_t npieces = sizeof(pieces) / sizeof(pieces[0]);
    uint64_t seed = 7;
    for (int k = 0; k < 20000; k++) {
        struct strbuf in = STRBUF_INIT;
        size_t len = next_random(&seed) % 60;
        for (size_t j = 0; j < len; j++)
            strbuf_adds(&in, pieces[next_random(&seed) % npieces]);
        char *out = numzh_normalize(in.buf);
        if (has_digit(out))
            fail_msg("numzh_normalize(\"%s\") = \"%s\"", in.buf, out);
        free(out);
        strbuf_release(&in);
    }
    /* A very long number is a code, and must not be slow or overflow. */
    struct strbuf big = STRBUF_INIT;
    for (int k = 0; k < 5000; k++)
        strbuf_addc(&big, (char)('0' + k % 10));
    char *out = numzh_normalize(big.buf);
    assert_false(has_digit(out));
    assert_int_equal(utf8_length(out), 5000);
    free(out);
    strbuf_release(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_integer_contract),
        cmocka_unit_test(test_integer_roundtrip),
        cmocka_unit_test(test_sweep_no_digits),
        cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
