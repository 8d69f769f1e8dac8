/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for metadata in the body (src/script/meta.c): which lines are
 * "key：value", which keys name people or other metadata, which headings
 * hold details, and how names, aliases and descriptions are told apart when
 * a metadata item declares people.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/meta.h"
#include "script/script.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <string.h>

struct split_case {
    const char *line;
    const char *key; /* NULL: not key：value */
};

static const struct split_case split_cases[] = {
    {"嘉宾： Cat & Boris", "嘉宾"},
    {"播客节目：Deeply Intents", "播客节目"},
    {"YouTube 链接：https://youtu.be/x", "YouTube 链接"},
    {"Guest: Maya Ortiz", "Guest"},
    {"音频文件：", "音频文件"},
    {"JP Kobryn：How the scheduler works", "JP Kobryn"},
    {"https://example.org/a: b", NULL},                     /* a URL */
    {"10:30 on Fridays", NULL},                             /* a time */
    {"I said, honestly: no", NULL},                         /* a sentence */
    {"这是一个非常非常非常长的句子的开头部分：后面", NULL}, /* too long */
    {"no colon at all", NULL},
};

static void test_meta_split(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
        const struct split_case *c = &split_cases[i];
        size_t klen = 0, vstart = 0;
        bool yes = meta_split(c->line, &klen, &vstart);
        if (yes != (c->key != NULL))
            fail_msg("\"%s\": expected %s", c->line, c->key ? "key：value" : "no key");
        if (yes && (strlen(c->key) != klen || memcmp(c->line, c->key, klen)))
            fail_msg("\"%s\": key \"%.*s\", expected \"%s\"", c->line, (int)klen, c->line, c->key);
    }
}

static void test_meta_keys(void **state)
{
    (void)state;
    static const char *const people[] = {"主持人",    "嘉宾",     "演讲者", "本期嘉宾", "Host",
                                         "Hosts",     "Guest",    "Guests", "Speaker",  "Speakers",
                                         "Moderator", "Invitado", NULL};
    for (size_t i = 0; people[i]; i++)
        if (!meta_is_people_key(people[i], strlen(people[i])))
            fail_msg("\"%s\" should name people", people[i]);
    static const char *const info[] = {"日期",      "YouTube 链接", "Date", "Episode", "Recorded",
                                       "Video URL", "主题",         "概要", "Fecha",   NULL};
    for (size_t i = 0; info[i]; i++)
        if (!meta_is_info_key(info[i], strlen(info[i])) ||
            meta_is_people_key(info[i], strlen(info[i])))
            fail_msg("\"%s\" should be other metadata", info[i]);
    assert_false(meta_is_info_key("Summary of the day", strlen("Summary of the day")));
    assert_false(meta_is_people_key("主题", strlen("主题")));
}

static void test_meta_details(void **state)
{
    (void)state;
    assert_true(meta_is_details_heading("Details"));
    assert_true(meta_is_details_heading("Episode details"));
    assert_true(meta_is_details_heading("Show notes"));
    assert_true(meta_is_details_heading("视频详情"));
    assert_true(meta_is_details_heading("目录 (Table of Contents)"));
    assert_true(meta_is_details_heading("来源"));
    assert_false(meta_is_details_heading("Opening"));
    assert_false(meta_is_details_heading("Transcript"));
    assert_false(meta_is_details_heading("关于我们如何理解信息论的一次很长的讨论"));
}

static void test_meta_names(void **state)
{
    (void)state;
    assert_true(meta_looks_like_names("Cat & Boris"));
    assert_true(meta_looks_like_names("Maya Ortiz"));
    assert_true(meta_looks_like_names("张三、李四"));
    assert_true(meta_looks_like_names("宋宝华（Barry Song）"));
    assert_false(meta_looks_like_names("Welcome."));
    assert_false(meta_looks_like_names("下午好"));
    assert_false(meta_looks_like_names("大家好。欢迎收听"));
}

static void test_meta_speech(void **state)
{
    (void)state;
    assert_true(meta_looks_like_speech("Welcome to the show."));
    assert_true(meta_looks_like_speech("Thanks for having me today"));
    assert_true(meta_looks_like_speech("大家好，欢迎收听"));
    assert_false(meta_looks_like_speech("小林"));
    assert_false(meta_looks_like_speech("Maya Ortiz"));
    assert_false(meta_looks_like_speech("Cat 和 Boris（Claude Code 工程师，Anthropic）"));
}

static void test_meta_declare(void **state)
{
    (void)state;
    struct script s;
    memset(&s, 0, sizeof(s));
    struct strbuf names = STRBUF_INIT;
    assert_int_equal(meta_declare(&s, "宋宝华（Barry Song）", 1, 1, &names), 1);
    assert_int_equal(meta_declare(&s, "Cat 和 Boris（终端助手工程师，某公司）", 2, 1, &names), 2);
    assert_int_equal(meta_declare(&s, "张和平", 3, 1, &names), 1);
    assert_int_equal(meta_declare(&s, "Katia Banina（Bebop CEO）", 4, 1, &names), 1);
    assert_int_equal(meta_declare(&s, "Ana y Luis", 5, 1, &names), 2);
    assert_int_equal(s.npeople, 7);
    assert_string_equal(s.people[0].name, "宋宝华");
    assert_int_equal(s.people[0].naliases, 1);
    assert_string_equal(s.people[0].aliases[0], "Barry Song");
    assert_string_equal(s.people[1].name, "Cat");
    assert_string_equal(s.people[2].name, "Boris");
    assert_int_equal(s.people[2].naliases, 0); /* a description is no alias */
    assert_string_equal(s.people[3].name, "张和平");
    assert_string_equal(s.people[4].name, "Katia Banina");
    assert_int_equal(s.people[4].naliases, 0);
    assert_string_equal(names.buf, "宋宝华, Cat, Boris, 张和平, Katia Banina, Ana, Luis");
    strbuf_release(&names);
    script_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_split),   cmocka_unit_test(test_meta_keys),
        cmocka_unit_test(test_meta_details), cmocka_unit_test(test_meta_names),
        cmocka_unit_test(test_meta_speech),  cmocka_unit_test(test_meta_declare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
