/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the scriptcast settings (src/script/config.c): durations
 * and their limits, checked after the unit is applied, and the diagnostics
 * that point at a pause value that is not a duration or is too long.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/config.h"
#include "script/script.h"
#include "util/diag.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static void test_duration_forms(void **state)
{
    (void)state;
    assert_int_equal(config_duration_ms("350ms"), 350);
    assert_int_equal(config_duration_ms("350"), 350);
    assert_int_equal(config_duration_ms("1.5s"), 1500);
    assert_int_equal(config_duration_ms(" 2 s "), 2000);
    assert_int_equal(config_duration_ms("0"), 0);
    assert_int_equal(config_duration_ms("0.5"), 1);
    assert_int_equal(config_duration_ms(".25s"), 250);
    assert_int_equal(config_duration_ms("60s"), 60000);
    assert_int_equal(config_duration_ms("60000ms"), 60000);
}

static void test_duration_not_numbers(void **state)
{
    (void)state;
    /* Each of these once reached a double-to-int conversion or passed as a
     * number: NaN and infinities, signs, hexadecimal and exponents. */
    const char *bad[] = {"nan",   "NaN", "nan ms", "-nan", "inf",   "-inf", "infinity",
                         "1e400", "1e3", "0x10",   "-0",   "-1",    "+5",   "",
                         "ms",    "s",   "1.2.3",  ".",    "5 min", "5h",   "1,5s"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int ms = config_duration_ms(bad[i]);
        if (ms != CONFIG_DURATION_INVALID)
            fail_msg("\"%s\" gave %d, expected CONFIG_DURATION_INVALID", bad[i], ms);
    }
}

static void test_duration_limit_after_unit(void **state)
{
    (void)state;
    /* 100000s passed once: the limit was checked on the number before the
     * unit multiplied it (a 154-byte transcript made a 4.4 GB WAV). */
    assert_int_equal(config_duration_ms("100000s"), CONFIG_DURATION_TOO_LONG);
    assert_int_equal(config_duration_ms("60.001s"), CONFIG_DURATION_TOO_LONG);
    assert_int_equal(config_duration_ms("60001"), CONFIG_DURATION_TOO_LONG);
    assert_int_equal(config_duration_ms("600000"), CONFIG_DURATION_TOO_LONG);
    assert_int_equal(
        config_duration_ms("99999999999999999999999999999999999999999999999999999999999s"),
        CONFIG_DURATION_TOO_LONG);
    char huge[512];
    memset(huge, '9', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    assert_int_equal(config_duration_ms(huge), CONFIG_DURATION_TOO_LONG);
}

/* The pause diagnostics point at the value, and say what the limit is. */
static void test_pause_diagnostics(void **state)
{
    (void)state;
    const char *text = "---\nscriptcast:\n  pauses: {paragraph: nan, turn: 100000s, section: 2s}\n"
                       "---\nBob: hi\n";
    struct script s;
    struct diags d;
    diag_init(&d);
    assert_int_equal(script_parse(&s, "t.md", text, strlen(text), NULL, &d), 0);
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.v[0].line, 3);
    assert_int_equal(d.v[0].col, 23);
    assert_non_null(strstr(d.v[0].msg, "\"paragraph\" must be a duration"));
    assert_int_equal(d.v[1].line, 3);
    assert_int_equal(d.v[1].col, 34);
    assert_non_null(strstr(d.v[1].msg, "\"turn\" is longer than a minute"));
    /* The defaults stay where a value was refused. */
    assert_int_equal(s.config.pause_paragraph_ms, 350);
    assert_int_equal(s.config.pause_turn_ms, 650);
    assert_int_equal(s.config.pause_section_ms, 2000);
    script_release(&s);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duration_forms),
        cmocka_unit_test(test_duration_not_numbers),
        cmocka_unit_test(test_duration_limit_after_unit),
        cmocka_unit_test(test_pause_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
