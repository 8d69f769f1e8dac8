/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for traditional characters in Mandarin runs
 * (src/plan/zhhant.c): traditional text simplified (phrases included:
 * 乾淨 but 乾隆), simplified text left alone without loading OpenCC at all
 * (checked in the process's memory map), numbers still written out after
 * the conversion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/zhhant.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool opencc_mapped(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    bool found = false;
    if (!f)
        return false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, "libopencc") != NULL;
    fclose(f);
    return found;
}

static void check(const char *in, const char *want)
{
    char *got = zhhant_simplify(in);
    if (strcmp(got, want))
        fail_msg("zhhant_simplify(\"%s\") = \"%s\", want \"%s\"", in, got, want);
    free(got);
}

/* First: nothing loaded yet in this process. */
static void test_simplified_loads_nothing(void **state)
{
    (void)state;
    check("这是简体中文，我们在讨论语音合成。", "这是简体中文，我们在讨论语音合成。");
    check("著名的作家", "著名的作家");
    assert_false(opencc_mapped());
    assert_null(zhhant_error());
}

static void test_traditional(void **state)
{
    (void)state;
    check("關於這個問題", "关于这个问题");
    check("由於電腦越來越快，我們的計劃在後面", "由于电脑越来越快，我们的计划在后面");
    check("很乾淨", "很干净");
    check("臺灣的學習", "台湾的学习");
    check("由於", "由于");         /* 於 is in GB2312 too: still converted */
    check("乾隆皇帝", "乾隆皇帝"); /* a phrase: 乾 stays */
    assert_true(opencc_mapped());
    assert_null(zhhant_error());
}

static void test_read(void **state)
{
    (void)state;
    char *got = zhhant_read("關於2018年的30%");
    assert_string_equal(got, "关于二零一八年的百分之三十");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simplified_loads_nothing),
        cmocka_unit_test(test_traditional),
        cmocka_unit_test(test_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
