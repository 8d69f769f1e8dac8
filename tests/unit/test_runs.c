/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for text preparation (src/plan/runs.c): language runs inside
 * Chinese speech, ALL-CAPS spelling, the lexicon, and the promise that no
 * ASCII digit reaches a Chinese run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cast/voice.h"
#include "plan/plan.h"
#include "plan/runs.h"
#include "script/config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct voice zh_voice = {
    .name = "zh-test", .lang = "zh", .voice = "cmn-latn-pinyin", .latin_voice = "en-us"};
static struct voice en_voice = {.name = "en-test", .lang = "en", .voice = "en-us"};

/* Runs rendered as "lang:text|lang:text" for compact expectations. */
static void runs_string(const char *text, const struct voice *v, const struct config *cfg,
                        char *out, size_t n)
{
    struct plan_run *runs = NULL;
    size_t nruns = 0;
    runs_split(text, v, NULL, cfg, &runs, &nruns);
    out[0] = '\0';
    for (size_t i = 0; i < nruns; i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s:%s", i ? "|" : "", runs[i].lang, runs[i].text);
    }
    runs_free(runs, nruns);
}

struct runs_case {
    const char *in;
    const char *want;
};

static const struct runs_case zh_cases[] = {
    {"你好", "zh:你好"},
    {"我用ChatGPT写代码", "zh:我用|en:ChatGPT|zh:写代码"},
    {"我们用 GPT-4o 和 Claude", "zh:我们用|en:G P T 4o|zh:和|en:Claude"},
    {"用 Node.js 写个原型", "zh:用|en:Node.js|zh:写个原型"},
    {"主要看 All-in AI 的项目", "zh:主要看|en:All-in A I|zh:的项目"},
    {"在做 Voice Mode 相关的产品", "zh:在做|en:Voice Mode|zh:相关的产品"},
    {"Kevin，你好", "en:Kevin,|zh:你好"},
    {"2025年OpenAI发布", "zh:二零二五年|en:OpenAI|zh:发布"},
    {"iPhone 15发布了", "en:iPhone 15|zh:发布了"},
    {"投入1050亿美元", "zh:投入一千零五十亿美元"},
    {"利用率45.5%。", "zh:利用率百分之四十五点五。"},
    {"**粗体**和#号", "zh:粗体和号"},
    {"A/B测试", "en:A/B|zh:测试"},
};

static void test_zh_runs(void **state)
{
    (void)state;
    char got[512];
    for (size_t i = 0; i < sizeof(zh_cases) / sizeof(zh_cases[0]); i++) {
        runs_string(zh_cases[i].in, &zh_voice, NULL, got, sizeof(got));
        if (strcmp(got, zh_cases[i].want))
            fail_msg("\"%s\": got \"%s\", want \"%s\"", zh_cases[i].in, got, zh_cases[i].want);
    }
}

static void test_en_runs(void **state)
{
    (void)state;
    char got[512];
    runs_string("The NASA API costs 3 USD, says Dr. Who.", &en_voice, NULL, got, sizeof(got));
    assert_string_equal(got, "en:The N A S A A P I costs 3 U S D, says Dr. Who.");
    runs_string("NATO and UNICEF", &en_voice, NULL, got, sizeof(got));
    assert_string_equal(got, "en:N A T O and UNICEF"); /* five letters: a word */
    runs_string("***", &en_voice, NULL, got, sizeof(got));
    assert_string_equal(got, ""); /* nothing speakable: no run */
}

static void test_lexicon(void **state)
{
    (void)state;
    struct config cfg;
    config_init(&cfg);
    struct config_lexeme lex[] = {{"GPT", "Generative"}, {"AI", "人工智能"}, {"陆飞", "路飞"}};
    cfg.lexicon = lex;
    cfg.nlexicon = 3;
    char got[512];
    runs_string("GPT 和 AI 还有 MAIN", &zh_voice, &cfg, got, sizeof(got));
    /* "AI" inside "MAIN" is not a whole word; MAIN is spelled (4 capitals) */
    assert_string_equal(got, "en:Generative|zh:和 人工智能 还有|en:M A I N");
    runs_string("陆飞说", &zh_voice, &cfg, got, sizeof(got));
    assert_string_equal(got, "zh:路飞说");
}

static void test_no_digit_in_chinese(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "第3章 2025-11-28 10:30 -5 +3 3/4 1,000,000 007 GPT-4o 12个 99.9% 2.5万",
        "H2O 和 CO2 以及 3D 打印 4K 屏幕 5G 网络",
        "1 2 3 4 5 6 7 8 9 0 １２３",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct plan_run *runs = NULL;
        size_t n = 0;
        runs_split(inputs[i], &zh_voice, NULL, NULL, &runs, &n);
        for (size_t r = 0; r < n; r++) {
            if (strcmp(runs[r].lang, "zh"))
                continue;
            for (const char *p = runs[r].text; *p; p++)
                if (*p >= '0' && *p <= '9')
                    fail_msg("digit left in Chinese run \"%s\"", runs[r].text);
        }
        runs_free(runs, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zh_runs),
        cmocka_unit_test(test_en_runs),
        cmocka_unit_test(test_lexicon),
        cmocka_unit_test(test_no_digit_in_chinese),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
