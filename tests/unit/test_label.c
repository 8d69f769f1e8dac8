/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for speaker-label detection (src/script/label.c): every label
 * form of the transcript format, and every trap that must not become a
 * speaker.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/label.h"

#include <stdbool.h>
#include <string.h>

static bool known_names(const char *name, size_t len, void *ctx)
{
    (void)ctx;
    static const char *const names[] = {"陆飞", "Alice", "主持人", NULL};
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == len && !memcmp(names[i], name, len))
            return true;
    return false;
}

struct label_case {
    const char *line;
    const char *name; /* NULL: not a label */
    const char *text;
};

static const struct label_case cases[] = {
    /* forms */
    {"Alice: hello there", "Alice", "hello there"},
    {"陆飞：大家好", "陆飞", "大家好"},
    {"陆飞: 大家好", "陆飞", "大家好"},
    {"[00:01:02] Alice: hi", "Alice", "hi"},
    {"[01:02] Bob: hi", "Bob", "hi"},
    {"Alice (00:01:02): hi", "Alice", "hi"},
    {"老隐（00:12:30）：说得好", "老隐", "说得好"},
    {"  Bob:  spaced out", "Bob", "spaced out"},
    {"Dr. Arun Patel: thanks", "Dr. Arun Patel", "thanks"},
    {"Guest 2: yes", "Guest 2", "yes"},
    {"Jean van Dyke: hallo", "Jean van Dyke", "hallo"},
    {"小鹿：再见！", "小鹿", "再见！"},
    {"Q: what now?", "Q", "what now?"},
    /* a known name needs no text after it */
    {"Alice:", "Alice", ""},
    {"主持人：", "主持人", ""},
    /* traps */
    /* an unknown name alone: a label; the caller decides whether speech follows */
    {"Bob:", "Bob", ""},
    {"Lenny Rachitsky (00:00:00):", "Lenny Rachitsky", ""},
    {"Speaker 0: 00:00:16", "Speaker 0", "00:00:16"},
    {"00:00:16 Speaker 1: Live from Utrecht", "Speaker 1", "Live from Utrecht"},
    {"0:02 - Alice: hi", "Alice", "hi"},
    {"[00:00:00 - 00:00:04] Bob: hi", "Bob", "hi"},
    {"Bob [00:01:02]: hi", "Bob", "hi"},
    /* alias declarations: the name without the parenthesis */
    {"Andrew Poelstra（AP）：当然。", "Andrew Poelstra", "当然。"},
    {"Aaron van Wirdum (AvW): En directo", "Aaron van Wirdum", "En directo"},
    {"陆飞（主持人）：你好", "陆飞", "你好"},
    {"Lenny (00:12:01) (host): hi", "Lenny", "hi"},
    /* a language tag is found as a label; the caller looks past it */
    {"CN: 主持人：下午好", "CN", "主持人：下午好"},
    {"有一次一位创始人在路演结束时被问到为什么，他回答说：“因为快。”", NULL, NULL},
    {"他回答说：“因为快。”", NULL, NULL}, /* speech verb clause */
    /* a name and a timestamp alone, no colon: the speech is on the next lines */
    {"[00:00:51] Stefan", "Stefan", ""},
    {"Stefan  0:03", "Stefan", ""},
    {"Frau 00:01:02", "Frau", ""},
    {"Alice (00:01:02)", "Alice", ""},
    {"[00:00:51] Stefan sagt hallo zu allen hier im Raum", NULL, NULL},
    {"Stefan", NULL, NULL},           /* no timestamp: any short line */
    {"Meeting at 10:30", NULL, NULL}, /* not a name */
    {"10:30 Stefan arrives", NULL, NULL},
    {"他说：好的", NULL, NULL},
    {"我的看法是：不行", NULL, NULL},
    {"10:30 on Fridays works for me.", NULL, NULL}, /* clock time */
    {"We meet at 9:05 daily", NULL, NULL},
    {"https://example.org/faq is the link", NULL, NULL}, /* URL */
    {"See http://x.org: it helps", NULL, NULL},
    {"The answer is simple: we ship", NULL, NULL}, /* sentence */
    {"It's simple: ship it", NULL, NULL},          /* lowercase word */
    {"note: lowercase", NULL, NULL},
    {"One two three four: too many words", NULL, NULL},
    {"Alice said \"hi\": and left", NULL, NULL},
    {"Kevin: \"quoted\"", NULL, NULL}, /* opens a quotation */
    {"12: numbers only", NULL, NULL},
    {"这是一个非常非常长的从句：后面", NULL, NULL}, /* more than 6 CJK */
    {"首先，我们：讨论", NULL, NULL},               /* punctuation */
    {"a/b: path", NULL, NULL},
    {"**Bold**: x", NULL, NULL},
    {"A very long latin name of thirty-three: x", NULL, NULL},
    {"no colon here at all", NULL, NULL},
};

static void test_label_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct label_case *c = &cases[i];
        struct label lb;
        bool found = label_find(c->line, known_names, NULL, &lb);
        if (found != (c->name != NULL))
            fail_msg("\"%s\": expected %s", c->line, c->name ? "a label" : "no label");
        if (!found)
            continue;
        size_t n = lb.name_end - lb.name_start;
        if (strlen(c->name) != n || memcmp(c->line + lb.name_start, c->name, n))
            fail_msg("\"%s\": name \"%.*s\", expected \"%s\"", c->line, (int)n,
                     c->line + lb.name_start, c->name);
        assert_string_equal(c->line + lb.text_start, c->text);
    }
}

static void test_label_alias(void **state)
{
    (void)state;
    struct label lb;
    const char *line = "Andrew Poelstra（AP）：当然。";
    assert_true(label_find(line, known_names, NULL, &lb));
    assert_int_equal(lb.alias_end - lb.alias_start, 2);
    assert_memory_equal(line + lb.alias_start, "AP", 2);
    line = "陆飞（主持人）：你好"; /* a role note is no alias */
    assert_true(label_find(line, known_names, NULL, &lb));
    assert_int_equal(lb.alias_end, lb.alias_start);
    line = "Lenny Rachitsky (00:00:00):";
    assert_true(label_find(line, known_names, NULL, &lb));
    assert_true(lb.stamped);
    assert_true(lb.empty_text);
    assert_int_equal(lb.alias_end, lb.alias_start);
}

static void test_label_lang_tag(void **state)
{
    (void)state;
    assert_true(label_is_lang_tag("EN", 2));
    assert_true(label_is_lang_tag("cn", 2));
    assert_true(label_is_lang_tag("中文", strlen("中文")));
    assert_true(label_is_lang_tag("English", 7));
    assert_false(label_is_lang_tag("Eno", 3));
    assert_false(label_is_lang_tag("主持人", strlen("主持人")));
}

static void test_label_hereafter(void **state)
{
    (void)state;
    struct label lb;
    const char *line = "編集部 ライター 佐藤健太（以下、佐藤）：";
    assert_true(label_find(line, NULL, NULL, &lb));
    assert_true(lb.hereafter);
    assert_int_equal(lb.name_end - lb.name_start, strlen("佐藤健太"));
    assert_memory_equal(line + lb.name_start, "佐藤健太", strlen("佐藤健太"));
    assert_memory_equal(line + lb.alias_start, "佐藤", strlen("佐藤"));
    assert_int_equal(lb.alias_end - lb.alias_start, strlen("佐藤"));
    line = "滿留悠平(以降、滿留):文字起こしは";
    assert_true(label_find(line, NULL, NULL, &lb));
    assert_memory_equal(line + lb.alias_start, "滿留", strlen("滿留"));
    /* without the declaration, a long description is no label */
    assert_false(label_find("編集部 ライター 佐藤健太：", NULL, NULL, &lb));
}

static void test_label_plausible(void **state)
{
    (void)state;
    assert_true(label_plausible("陆飞", strlen("陆飞")));
    assert_true(label_plausible("北美王陆飞", strlen("北美王陆飞")));
    assert_true(label_plausible("嘉宾A", strlen("嘉宾A")));
    assert_false(label_plausible("一二三四五六七", strlen("一二三四五六七")));
    assert_false(label_plausible("10", 2));
    assert_false(label_plausible("", 0));
    assert_true(label_plausible("Maya Lopez", 10));
    assert_false(label_plausible("maya", 4));
    /* names in other alphabets, as Russian and Arabic transcripts write them */
    assert_true(label_plausible("Андрей Норкин", strlen("Андрей Норкин")));
    assert_true(label_plausible("А. Норкин", strlen("А. Норкин")));
    assert_true(label_plausible("А.ВЕНЕДИКТОВ", strlen("А.ВЕНЕДИКТОВ")));
    assert_true(label_plausible("Ст.Крючков", strlen("Ст.Крючков")));
    assert_true(label_plausible("Ирина Петровская", strlen("Ирина Петровская")));
    assert_true(label_plausible("المذيع", strlen("المذيع")));
    assert_true(label_plausible("Γιάννης", strlen("Γιάννης")));
    assert_false(label_plausible("вопрос", strlen("вопрос")));
    assert_false(label_plausible("Итак, вопрос", strlen("Итак, вопрос")));
    assert_false(label_plausible("В прошлом году мы решили", strlen("В прошлом году мы решили")));
    assert_false(label_plausible("т.е", strlen("т.е")));
    assert_false(label_plausible("Он сказал.Потом", strlen("Он сказал.Потом")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_label_table),     cmocka_unit_test(test_label_alias),
        cmocka_unit_test(test_label_lang_tag),  cmocka_unit_test(test_label_plausible),
        cmocka_unit_test(test_label_hereafter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
