/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the script stage (src/script/): front matter, people and
 * alias matching, continuation, chapter levels and title, BOM/CRLF, what is
 * not read, and diagnostics for broken input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/people.h"
#include "script/script.h"
#include "util/diag.h"

#include <stdbool.h>
#include <string.h>

static int parse(struct script *s, struct diags *d, const char *text)
{
    diag_init(d);
    return script_parse(s, "t.md", text, strlen(text), NULL, d);
}

static const char *speaker_of(const struct script *s, size_t block)
{
    int who = s->blocks[block].speaker;
    return who < 0 ? "(narrator)" : s->people[who].name;
}

static void test_front_matter_people(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\ntitle: 节目\nspeaker: 北美王陆飞\nguest: 老隐，Kevin、小鹿\n---\n"
                           "陆飞：你好\n老隐：好\n\nKevin: hi\n"),
                     0);
    assert_string_equal(s.title, "节目");
    assert_string_equal(s.lang, "zh");
    assert_int_equal(s.npeople, 4);
    assert_string_equal(s.people[0].name, "北美王陆飞");
    assert_string_equal(s.people[1].name, "老隐");
    assert_string_equal(s.people[2].name, "Kevin");
    assert_string_equal(s.people[3].name, "小鹿");
    /* alias by containment: 陆飞 is in 北美王陆飞 */
    assert_int_equal(s.nblocks, 3);
    assert_string_equal(speaker_of(&s, 0), "北美王陆飞");
    assert_string_equal(s.blocks[0].text, "你好");
    assert_int_equal(s.blocks[0].line, 6);
    assert_string_equal(speaker_of(&s, 1), "老隐");
    assert_int_equal(s.blocks[1].line, 7);
    assert_string_equal(speaker_of(&s, 2), "Kevin");
    assert_int_equal(d.errors, 0);
    script_release(&s);
    diag_release(&d);
}

static void test_alias_rules(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\nhosts: [Alice Smith]\nscriptcast:\n  cast:\n"
                           "    老隐: {voice: zh-male-2, aliases: [隐哥]}\n---\n"
                           "Smith: one\n\nAl: two\n\n隐哥：三\n"),
                     0);
    assert_int_equal(people_find(&s, "Smith", 5), 0); /* whole word of "Alice Smith" */
    int al = people_find(&s, "Al", 2); /* not a word of "Alice Smith": its own person */
    assert_true(al > 0);
    assert_int_equal(s.people[al].origin, PERSON_LABEL);
    int yin = people_find(&s, "隐哥", strlen("隐哥"));
    assert_true(yin >= 0);
    assert_string_equal(s.people[yin].name, "老隐");
    assert_string_equal(speaker_of(&s, 0), "Alice Smith");
    assert_string_equal(speaker_of(&s, 1), "Al"); /* a new, undeclared speaker */
    assert_string_equal(speaker_of(&s, 2), "老隐");
    script_release(&s);
    diag_release(&d);
}

static void test_continuation_and_narrator(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "Intro text.\n\n## One\n\nBob: first\ncontinued line\n\n"
                           "A new paragraph.\n\n## Two\n\nStill Bob.\n"),
                     0);
    assert_string_equal(speaker_of(&s, 0), "(narrator)");
    assert_string_equal(s.blocks[2].text, "first continued line");
    assert_string_equal(speaker_of(&s, 3), "Bob");
    assert_false(s.blocks[3].labeled);
    assert_string_equal(speaker_of(&s, 5), "Bob"); /* across a heading */
    script_release(&s);
    diag_release(&d);
}

static void test_chapter_levels(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    /* lone # title above ## sections */
    parse(&s, &d, "# Title\n\n## A\n\nx\n\n## B\n\ny\n");
    assert_int_equal(s.chapter_level, 2);
    assert_string_equal(s.title, "Title");
    assert_true(s.title_is_heading);
    script_release(&s);
    diag_release(&d);
    /* repeated # wins over a deeper level */
    parse(&s, &d, "# A\n\n### x\n\n### y\n\ntext\n\n# B\n\ntext\n");
    assert_int_equal(s.chapter_level, 1);
    assert_null(s.title);
    script_release(&s);
    diag_release(&d);
    /* only deeper headings repeated, shallowest used once */
    parse(&s, &d, "## Only\n\ntext\n");
    assert_int_equal(s.chapter_level, 2);
    script_release(&s);
    diag_release(&d);
    /* no headings */
    parse(&s, &d, "Bob: hi\n");
    assert_int_equal(s.chapter_level, 0);
    script_release(&s);
    diag_release(&d);
}

static void test_not_read(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    parse(&s, &d,
          "Bob: see [the guide](https://x.org/guide) now\n\n```\ncode: here\n```\n\n"
          "    indented code\n\n<!-- comment -->\n\n<div>html</div>\n\n"
          "![alt text](a.png) Picture\n\nVisit https://example.org today\n\n"
          "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted **bold** words\n\n- item one\n");
    assert_int_equal(s.nblocks, 6);
    assert_string_equal(s.blocks[0].text, "see the guide now");
    assert_string_equal(s.blocks[1].text, "Picture");
    assert_string_equal(s.blocks[2].text, "Visit today");
    assert_string_equal(s.blocks[3].text, "a b 1 2");
    assert_string_equal(s.blocks[4].text, "quoted bold words");
    assert_string_equal(s.blocks[5].text, "item one");
    assert_int_equal(s.blocks[5].line, 23);
    script_release(&s);
    diag_release(&d);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(
        parse(&s, &d, "\xEF\xBB\xBF---\r\ntitle: T\r\n---\r\n\r\nBob: hi\r\nthere\r\n"), 0);
    assert_string_equal(s.title, "T");
    assert_string_equal(s.blocks[0].text, "hi there");
    assert_int_equal(s.blocks[0].line, 5);
    script_release(&s);
    diag_release(&d);
}

static void test_errors(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d, ""), -1);
    assert_string_equal(d.v[0].msg, "the transcript is empty");
    script_release(&s);
    diag_release(&d);

    assert_int_equal(parse(&s, &d, "ok\nab\xC3(\n"), -1);
    assert_int_equal(d.v[0].line, 2);
    assert_int_equal(d.v[0].col, 3);
    script_release(&s);
    diag_release(&d);

    assert_int_equal(parse(&s, &d, "---\ntitle: [unclosed\n---\nBob: hi\n"), -1);
    assert_int_equal(d.v[0].level, DIAG_ERROR);
    assert_true(d.v[0].line >= 2 && d.v[0].line <= 3);
    script_release(&s);
    diag_release(&d);

    assert_int_equal(parse(&s, &d, "---\ntitle: x\nno end\n"), -1);
    script_release(&s);
    diag_release(&d);

    assert_int_equal(parse(&s, &d, "# Only a heading\n\n```\ncode\n```\n"), -1);
    script_release(&s);
    diag_release(&d);

    /* A forbidden setting is an error, but parsing goes on so that later
     * stages can report theirs too. */
    assert_int_equal(parse(&s, &d, "---\nscriptcast:\n  engine: /bin/sh\n---\nBob: hi\n"), 0);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.v[0].line, 3);
    assert_string_equal(s.blocks[0].text, "hi");
    script_release(&s);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter_people),
        cmocka_unit_test(test_alias_rules),
        cmocka_unit_test(test_continuation_and_narrator),
        cmocka_unit_test(test_chapter_levels),
        cmocka_unit_test(test_not_read),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
