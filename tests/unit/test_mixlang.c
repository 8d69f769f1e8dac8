/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Table test for mixed-language text in Chinese speech (src/plan/mixlang.c,
 * src/plan/runtext.c through runs_split()): which voice reads a number
 * inside English words, version and model numbers, dates written with
 * spaces, '/' and '+', the pause where the language changes at
 * punctuation, and the promise that no ASCII digit or symbol that
 * cmn-latn-pinyin reads in English reaches a Chinese run; then the same
 * rules for speakers of other scripts (Russian, Korean, Arabic) and
 * Latin-script sentences identified in Spanish speech.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cast/voice.h"
#include "plan/mixlang.h"
#include "plan/plan.h"
#include "plan/runs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct voice zh_voice = {
    .name = "zh-test", .lang = "zh", .voice = "cmn-latn-pinyin", .latin_voice = "en-us"};

struct mix_case {
    const char *in;
    const char *want; /* runs as "lang:text", joined by '|'; "<MS>" marks a pause before one */
};

static const struct mix_case cases[] = {
    /* Numbers inside English sentences are English. */
    {"I met you at SBC in 2022. The top three builders have about 90% of the market.",
     "en:I met you at S B C in 2022. The top three builders have about 90% of the market."},
    {"他说 I met you in 2022.", "zh:他说|en:I met you in 2022."},
    {"In 2022, 90% of builders", "en:In 2022, 90% of builders"},
    {"2022 was a good year", "en:2022 was a good year"},
    {"about 90% 的市场", "en:about 90%|zh:的市场"},
    /* Version and model numbers stay with their word. */
    {"我们讨论 Layer 2 的方案", "zh:我们讨论|en:Layer 2|zh:的方案"},
    {"Sonnet 3.7 很强", "en:Sonnet 3.7|zh:很强"},
    {"iPhone 15 Pro 发布了", "en:iPhone 15 Pro|zh:发布了"},
    {"iPhone 15发布了", "en:iPhone 15|zh:发布了"},
    {"Windows 11 系统", "en:Windows 11|zh:系统"},
    {"Llama 3.1 405B 模型", "en:Llama 3.1 405B|zh:模型"},
    {"比 Claude 3 Opus 便宜 50%", "zh:比|en:Claude 3 Opus|zh:便宜百分之五十"},
    /* ...unless a Han measure or date word counts it, or Han text comes first. */
    {"用了 GPT 3 个月", "zh:用了|en:G P T|zh:三个月"},
    {"SBC in 2022 年", "en:S B C in|zh:二零二二年"},
    {"有 3 GPU", "zh:有三|en:G P U"},
    {"90% 的人", "zh:百分之九十的人"},
    /* Dates and amounts written with spaces. */
    {"2026 年 7 月 5 日", "zh:二零二六年七月五日"},
    {"在 2022 年的大会上", "zh:在二零二二年的大会上"},
    {"第 3 章", "zh:第三章"},
    {"大约 50% 左右", "zh:大约百分之五十左右"},
    {"价格是 $20", "zh:价格是二十美元"},
    {"融资 $20亿", "zh:融资二十亿美元"},
    {"100元/月", "zh:一百元每月"},
    {"20/月", "zh:二十每月"},
    /* '/' and '+'. */
    {"看一下 /proc/pagetypeinfo 这个文件", "zh:看一下|en:/proc/pagetypeinfo|zh:这个文件"},
    {"芯片/硬件", "zh:芯片、硬件"},
    {"开发+运营", "zh:开发加运营"},
    {"A/B测试", "en:A/B|zh:测试"},
    {"C++ 和 C#", "en:C++|zh:和|en:C sharp"},
    {"这是 GPU/小时 的价格", "zh:这是|en:G P U|<170>zh:小时 的价格"},
    {"TCP/IP 协议", "en:T C P/I P|zh:协议"},
    {"超过 10+ 人", "zh:超过十多人"},
    /* Punctuation where the language changes: kept, and a pause. */
    {"这个页面叫 free pages。这里", "zh:这个页面叫|en:free pages.|<330>zh:这里"},
    {"Kevin，你好", "en:Kevin,|<170>zh:你好"},
    {"很多内容。Free pages are here.", "zh:很多内容。|<330>en:Free pages are here."},
    {"用 Python、Rust 和 Go", "zh:用|en:Python, Rust|zh:和|en:Go"},
    {"你好,我们走吧.", "zh:你好，我们走吧。"},
    {"等等...好吧", "zh:等等…好吧"},
    {"伊隆・马斯克", "zh:伊隆·马斯克"},
    {"don’t panic，好吗", "en:don't panic,|<170>zh:好吗"},
    /* Brackets and quotes open the run after them. */
    {"推理成本（inference cost）才是", "zh:推理成本|en:(inference cost)|zh:才是"},
    {"他说：“Hello, world.”然后走了", "zh:他说：|<170>en:\"Hello, world.\"|<330>zh:然后走了"},
    /* Forms seen in published bilingual podcast transcripts (ASCII commas in
     * Chinese, lists of English names, numbers glued to Han text). */
    {"我想说,David,你好", "zh:我想说，|<170>en:David,|<170>zh:你好"},
    {"花了大约500小时研究Nvidia以后", "zh:花了大约五百小时研究|en:Nvidia|zh:以后"},
    {"和 SK Hynix、Micron、Samsung 做的 HBM 放在一起",
     "zh:和|en:S K Hynix, Micron, Samsung|zh:做的|en:H B M|zh:放在一起"},
    {"收入有超过40%来自推理", "zh:收入有超过百分之四十来自推理"},
    {"他只说了“very good”。2024年", "zh:他只说了|en:\"very good\".|<330>zh:二零二四年"},
    /* Forms from a published Chinese newsletter (Bitcoin Optech, zh). */
    {"在 2010 年被移除的 OP_CAT 操作码", "zh:在二零一零年被移除的|en:O P C A T|zh:操作码"},
    {"发布第 200 期常规 Newsletter。", "zh:发布第二百期常规|en:Newsletter."},
    {"（见 Newsletter #187）", "zh:（见|en:Newsletter 187)"},
    {"由 OpenAI 于 2022 年 11 月 30 日发布", "zh:由|en:OpenAI|zh:于二零二二年十一月三十日发布"},
};

static void runs_string(const char *text, char *out, size_t n)
{
    struct plan_run *runs = NULL;
    size_t nruns = 0;
    runs_split(text, &zh_voice, NULL, NULL, &runs, &nruns);
    out[0] = '\0';
    for (size_t i = 0; i < nruns; i++) {
        size_t len = strlen(out);
        const char *want_voice = !strcmp(runs[i].lang, "zh") ? "cmn-latn-pinyin" : "en-us";
        if (strcmp(runs[i].voice, want_voice))
            fail_msg("\"%s\": run %zu (%s) has voice %s", text, i, runs[i].lang, runs[i].voice);
        if (i == 0 && runs[i].pause_ms)
            fail_msg("\"%s\": a pause before the first run", text);
        if (runs[i].pause_ms)
            len += (size_t)snprintf(out + len, n - len, "%s<%d>", i ? "|" : "", runs[i].pause_ms);
        snprintf(out + len, n - len, "%s%s:%s", i && !runs[i].pause_ms ? "|" : "", runs[i].lang,
                 runs[i].text);
    }
    runs_free(runs, nruns);
}

static void test_table(void **state)
{
    (void)state;
    char got[1024];
    int bad = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        runs_string(cases[i].in, got, sizeof(got));
        if (strcmp(got, cases[i].want)) {
            print_error("\"%s\":\n   got \"%s\"\n  want \"%s\"\n", cases[i].in, got, cases[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* What cmn-latn-pinyin reads in English (espeak-ng -x shows "(en)"): digits
 * and % & / + = # * @ ~ \ and the katakana middle dot. */
static void test_nothing_english_in_chinese(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "芯片/硬件 开发+运营 50% 左右 R&D 和 /usr/bin 以及 a=b #1 *重点* @某人 ~/x C:\\dir",
        "在 2022 年 7 月 5 日 和 2023/1/2 以及 3 / 4 还有 10 + 20 = 30 和 +86 和 -5",
        "%的 /的 +的 ・的 ./ 的 .. 的",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        struct plan_run *runs = NULL;
        size_t n = 0;
        runs_split(inputs[i], &zh_voice, NULL, NULL, &runs, &n);
        for (size_t r = 0; r < n; r++) {
            if (strcmp(runs[r].lang, "zh"))
                continue;
            if (strpbrk(runs[r].text, "0123456789%&/+=#*@~\\"))
                fail_msg("\"%s\": Chinese run \"%s\" holds a symbol read in English", inputs[i],
                         runs[r].text);
            if (strstr(runs[r].text, "・"))
                fail_msg("\"%s\": Chinese run \"%s\" holds ・", inputs[i], runs[r].text);
        }
        runs_free(runs, n);
    }
}

/* Other speakers' scripts: the same rules with the speaker's script as the
 * base, Latin sentences identified in Latin-script speech. */
static struct voice ru_voice = {
    .name = "ru-test", .lang = "ru", .voice = "ru", .latin_voice = "en-us"};
static struct voice ko_voice = {
    .name = "ko-test", .lang = "ko", .voice = "ko", .latin_voice = "en-us"};
static struct voice ar_voice = {
    .name = "ar-test", .lang = "ar", .voice = "ar", .latin_voice = "en-us"};
static struct voice es_voice = {
    .name = "es-test", .lang = "es", .voice = "es", .latin_voice = "en-us"};

static void test_scripts(void **state)
{
    (void)state;
    static const struct {
        const struct voice *v;
        const char *doc, *in, *want; /* runs as "lang/voice:text", '|' between */
    } rows[] = {
        {&ru_voice, "ru", "В 2023 году мы перешли на Rust 1.70.",
         "ru/ru:В две тысячи двадцать третьем году мы перешли на|en/en-us:Rust 1.70."},
        {&ru_voice, "ru", "iPhone 15 стоит дорого", "en/en-us:iPhone 15|ru/ru:стоит дорого"},
        {&ru_voice, "ru", "Санкт-Петербург", "ru/ru:Санкт-Петербург"},
        {&ko_voice, "ko", "2015년에 React를 배웠다",
         "ko/ko:2015년에|en/en-us:React|ko/ko:를 배웠다"},
        {&ar_voice, "ar", "استخدمنا Python 3 في 2023",
         "ar/ar:استخدمنا|en/en-us:Python 3|ar/ar:في 2023"},
        {&zh_voice, "zh", "他说 Спасибо 了",
         "zh/cmn-latn-pinyin:他说|ru/ru:Спасибо|zh/cmn-latn-pinyin:了"},
        {&es_voice, "es", "Dijo: \"We will ship it next week, no matter what.\" Y se fue.",
         "es/es:Dijo:|<170>en/en-us:\"We will ship it next week, no matter what.\"|<330>es/es:Y se "
         "fue."},
        {&es_voice, "es", "Claro, OK. Thank you.", "es/es:Claro, O K. Thank you."},
        {&es_voice, "es", "Usamos Node.js y Python 3.12 en producción.",
         "es/es:Usamos Node.js y Python 3.12 en producción."},
        {&zh_voice, "zh", "Это 東京", "ru/ru:Это|zh/cmn-latn-pinyin:东京"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct plan_run *runs = NULL;
        size_t n = 0;
        runs_split(rows[i].in, rows[i].v, rows[i].doc, NULL, &runs, &n);
        char got[1024] = "";
        for (size_t r = 0; r < n; r++) {
            size_t len = strlen(got);
            if (runs[r].pause_ms)
                len += (size_t)snprintf(got + len, sizeof(got) - len, "%s<%d>", r ? "|" : "",
                                        runs[r].pause_ms);
            snprintf(got + len, sizeof(got) - len, "%s%s/%s:%s", r && !runs[r].pause_ms ? "|" : "",
                     runs[r].lang, runs[r].voice, runs[r].text);
        }
        runs_free(runs, n);
        if (strcmp(got, rows[i].want)) {
            print_error("\"%s\":\n   got \"%s\"\n  want \"%s\"\n", rows[i].in, got, rows[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_pause_class(void **state)
{
    (void)state;
    assert_int_equal(mixlang_pause(" ", 1), 0);
    assert_int_equal(mixlang_pause("。", strlen("。")), MIXLANG_PAUSE_SENTENCE_MS);
    assert_int_equal(mixlang_pause("? ", 2), MIXLANG_PAUSE_SENTENCE_MS);
    assert_int_equal(mixlang_pause("，", strlen("，")), MIXLANG_PAUSE_CLAUSE_MS);
    assert_int_equal(mixlang_pause(" / ", 3), MIXLANG_PAUSE_CLAUSE_MS);
    assert_int_equal(mixlang_pause("（", strlen("（")), 0);
}

static void test_same_title(void **state)
{
    (void)state;
    assert_true(plan_same_title("The PM guide | Zevi (Meta)", "The PM guide: Zevi (Meta)"));
    assert_true(plan_same_title("The PM guide — Zevi, Meta", "the pm guide: zevi (meta)"));
    assert_true(
        plan_same_title("硅谷夜谈 第42期：大模型的下一站", "硅谷夜谈第42期 | 大模型的下一站"));
    assert_true(plan_same_title("ＡＩ 播客", "AI播客"));
    assert_false(plan_same_title("The PM guide", "The PM guide 2"));
    assert_false(plan_same_title("开场", "结语"));
    assert_false(plan_same_title("", "x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),      cmocka_unit_test(test_nothing_english_in_chinese),
        cmocka_unit_test(test_scripts),    cmocka_unit_test(test_pause_class),
        cmocka_unit_test(test_same_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
