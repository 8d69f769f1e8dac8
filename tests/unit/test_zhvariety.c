/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the Chinese varieties of language tags
 * (src/script/zhvariety.c): Cantonese tags and regions, Mandarin tags and
 * scripts, names of the languages, and tags that are not Chinese.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/zhvariety.h"

#include <stdio.h>
#include <string.h>

static void test_tags(void **state)
{
    (void)state;
    static const struct {
        const char *tag, *want;
    } cases[] = {
        {"yue", "yue"},        {"YUE-Hant", "yue"},      {"yue_HK", "yue"},
        {"zh-yue", "yue"},     {"zh-HK", "yue"},         {"zh_hk", "yue"},
        {"zh-MO", "yue"},      {"zh-Hant-HK", "yue"},    {"Cantonese", "yue"},
        {"粵語", "yue"},       {"广东话", "yue"},        {"zh", "zh"},
        {"zh-CN", "zh"},       {"zh-TW", "zh"},          {"zh-Hant", "zh"},
        {"zh-Hant-TW", "zh"},  {"zh-Hans-SG", "zh"},     {"cmn", "zh"},
        {"cmn-Hant-TW", "zh"}, {"Chinese", "zh"},        {"普通話", "zh"},
        {"國語", "zh"},        {"中文", "zh"},           {"ja", NULL},
        {"en", NULL},          {"zhuang", NULL},         {"", NULL},
        {"hk", NULL},          {"zh-Latn-pinyin", "zh"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = zhvariety_of_tag(cases[i].tag);
        if (!cases[i].want)
            assert_null(got);
        else if (!got || strcmp(got, cases[i].want))
            fail_msg("%s -> %s, want %s", cases[i].tag, got ? got : "NULL", cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
