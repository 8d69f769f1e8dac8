/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Table tests for timestamps and non-speech cues (src/script/stamp.c,
 * src/script/cue.c): every form the transcript format documents as not read,
 * and the clock times in speech that must stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "script/cue.h"
#include "script/stamp.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct strip_case {
    const char *in;
    const char *out; /* '|' stands for STRIP_BREAK; spaces are folded */
    size_t stamps, cues;
};

static const struct strip_case strip_cases[] = {
    /* timestamps: bracketed, anywhere */
    {"[00:01:02] Hello", "Hello", 1, 0},
    {"[04:22] Hello", "Hello", 1, 0},
    {"[04:22.21] Hello", "Hello", 1, 0},
    {"[00:01:02,345] Hello", "Hello", 1, 0},
    {"(00:31:47) Hello", "Hello", 1, 0},
    {"Hello (00:31:47) again", "Hello again", 1, 0},
    {"全角（00:31:47）括号", "全角括号", 1, 0},
    {"【01:02】方括号", "方括号", 1, 0},
    {"[00:00:00 - 00:00:04] Range", "Range", 1, 0},
    {"[00:00:01 --> 00:00:04] Subtitle range", "Subtitle range", 1, 0},
    {"[ 0:02 ] spaced", "spaced", 1, 0},
    {"end of line [1:08:47]", "end of line", 1, 0},
    {"[18:04] to [\\00:18:51.08]", "", 1, 0}, /* a range written as two, a stray escape */
    {"(00:02:00):", "", 1, 0},                /* a label of a time only: continues */
    {"（00:02:00）：接着说", "接着说", 1, 0},
    /* timestamps: bare, at the start */
    {"00:00:16", "", 1, 0},
    {"1:08:47", "", 1, 0},
    {"00:16 Live from Utrecht", "Live from Utrecht", 1, 0},
    {"0:02 - Hello", "Hello", 1, 0},
    {"1:08:47 | Hello", "Hello", 1, 0},
    {"10:30", "", 1, 0}, /* alone on its line */
    /* clock times in speech stay */
    {"我们10:30开始", "我们10:30开始", 0, 0},
    {"10:30 on Fridays works for me.", "10:30 on Fridays works for me.", 0, 0},
    {"We meet at 9:05 daily", "We meet at 9:05 daily", 0, 0},
    {"10:30am works", "10:30am works", 0, 0},
    {"ratio 3:2 wins", "ratio 3:2 wins", 0, 0},
    {"[1] a footnote", "[1] a footnote", 0, 0},
    {"(2024) a year", "(2024) a year", 0, 0},
    {"[00:61] odd seconds", "odd seconds", 1, 0}, /* still a timestamp */
    {"Version 2:10:2025", "Version 2:10:2025", 0, 0},
    /* cues */
    {"That was funny [laughs] really", "That was funny|really", 0, 1},
    {"[laughter] Anyway.", "Anyway.", 0, 1},
    {"[Laughter] Anyway.", "Anyway.", 0, 1},
    {"Over each other [crosstalk]", "Over each other", 0, 1},
    {"and [inaudible 00:12:01] nothing", "and|nothing", 0, 1},
    {"[laughs nervously] OK", "OK", 0, 1},
    {"(applause) Thank you", "Thank you", 0, 1},
    {"[music playing]", "", 0, 1},
    {"哈哈(笑)是的", "哈哈|是的", 0, 1},
    {"哈哈（笑）是的", "哈哈|是的", 0, 1},
    {"[笑声] 好", "好", 0, 1},
    {"好[音乐]", "好", 0, 1},
    {"【掌声】谢谢", "谢谢", 0, 1},
    {"（众人笑）对", "对", 0, 1},
    {"Bueno [risas] vale", "Bueno|vale", 0, 1},
    {"two [laughs] cues [applause] here", "two|cues|here", 0, 2},
    {"investors and [inaudible 00:48:10]. It's", "investors and.|It's", 0, 1},
    {"好的（笑）。我们", "好的。|我们", 0, 1},
    {"[laughs]. Yes", "Yes", 0, 1},
    /* not cues */
    {"a [citation needed] note", "a [citation needed] note", 0, 0},
    {"the (music) business", "the|business", 0, 1}, /* a listed word alone is a cue */
    {"(笑话)不是", "(笑话)不是", 0, 0},
    {"[laughs] [00:01:02] both", "both", 1, 1},
};

/* Breaks as '|', spaces folded and trimmed, none around a break. */
static char *fold(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    bool space = false;
    for (; *s; s++) {
        char c = *s == STRIP_BREAK ? '|' : *s;
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (space && sb.len && c != '|' && sb.buf[sb.len - 1] != '|')
            strbuf_addc(&sb, ' ');
        space = false;
        strbuf_addc(&sb, c);
    }
    return strbuf_detach(&sb);
}

static void test_strip_table(void **state)
{
    (void)state;
    struct cue_list cues;
    cue_list_init(&cues);
    size_t failed = 0;
    for (size_t i = 0; i < sizeof(strip_cases) / sizeof(strip_cases[0]); i++) {
        const struct strip_case *c = &strip_cases[i];
        struct strbuf out = STRBUF_INIT;
        struct strip_count n = {0, 0};
        strip_text(c->in, &cues, &out, &n);
        char *got = fold(out.len ? out.buf : "");
        if (strcmp(got, c->out) != 0 || n.stamps != c->stamps || n.cues != c->cues) {
            print_error("\"%s\": got \"%s\" (%zu stamps, %zu cues), expected \"%s\" (%zu, %zu)\n",
                        c->in, got, n.stamps, n.cues, c->out, c->stamps, c->cues);
            failed++;
        }
        free(got);
        strbuf_release(&out);
    }
    cue_list_release(&cues);
    assert_int_equal(failed, 0);
}

struct only_case {
    const char *text;
    bool only;
};

/* Link texts and headings that are nothing but times. */
static const struct only_case only_cases[] = {
    {"0:02", true},
    {"1:08:47", true},
    {"[00:00:00 - 00:00:04]", true},
    {"00:00:00 - 00:00:04", true},
    {"(00:31:47)", true},
    {"00:12:30 · 00:13:00", true},
    {"Intro 00:12", false},
    {"10:30am", false},
    {"2024", false},
    {"", false},
};

static void test_stamp_only(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(only_cases) / sizeof(only_cases[0]); i++)
        if (stamp_is_only(only_cases[i].text, strlen(only_cases[i].text)) != only_cases[i].only)
            fail_msg("\"%s\": expected %s", only_cases[i].text,
                     only_cases[i].only ? "only timestamps" : "more than timestamps");
}

static void test_cue_added(void **state)
{
    (void)state;
    struct cue_list cues;
    cue_list_init(&cues);
    const char *s = "[door slams] Sorry";
    assert_int_equal(cue_bracketed(s, s + strlen(s), &cues), 0);
    cue_list_add(&cues, "Door Slams", 10);
    assert_int_equal(cue_bracketed(s, s + strlen(s), &cues), strlen("[door slams]"));
    cue_list_release(&cues);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strip_table),
        cmocka_unit_test(test_stamp_only),
        cmocka_unit_test(test_cue_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
