/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for casting (src/cast/cast.c, gender.c) and the people lookup
 * it relies on (src/script/people.c): gender hints in every form, the
 * built-in given-name table, pool order by gender, sharing when the pool
 * runs out, and exact/alias/containment lookups through the hash table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cast/cast.h"
#include "cast/gender.h"
#include "cast/voice.h"
#include "script/people.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char scriptcast_given_names_tsv[];

static int parse(struct script *s, struct diags *d, const char *text)
{
    diag_init(d);
    return script_parse(s, "t.md", text, strlen(text), NULL, d);
}

static void load_voices(struct voicebook *vb)
{
    const char *src = getenv("SCRIPTCAST_SOURCE_DIR");
    struct strbuf dir = STRBUF_INIT;
    strbuf_addf(&dir, "%s/voices", src ? src : ".");
    char *path[] = {dir.buf, NULL};
    struct diags d;
    diag_init(&d);
    assert_int_equal(voice_load_all(vb, path, &d), 0);
    assert_int_equal(d.errors, 0);
    diag_release(&d);
    strbuf_release(&dir);
}

static const struct cast_role *role_of(const struct cast *c, const struct script *s,
                                       const char *name)
{
    for (size_t i = 0; i < s->npeople; i++)
        if (!strcmp(s->people[i].name, name))
            return &c->people[i];
    fail_msg("no person \"%s\"", name);
    return NULL;
}

/* Every name of the table is found with its own gender: the table is sorted
 * the way the bisection expects, and no line is lost. */
static void test_table_round_trip(void **state)
{
    (void)state;
    const char *p = scriptcast_given_names_tsv, *end = p + strlen(p);
    size_t names = 0, female = 0;
    const char *prev = NULL;
    size_t prevlen = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (*p != '#') {
            const char *tab = memchr(p, '\t', (size_t)(le - p));
            assert_non_null(tab);
            size_t len = (size_t)(tab - p);
            if (prev) {
                int c = memcmp(prev, p, prevlen < len ? prevlen : len);
                assert_true(c < 0 || (c == 0 && prevlen < len));
            }
            enum person_gender want = tab[1] == 'f' ? GENDER_FEMALE : GENDER_MALE;
            assert_int_equal(gender_table_lookup(p, len), want);
            female += want == GENDER_FEMALE;
            names++;
            prev = p;
            prevlen = len;
        }
        p = le + 1;
    }
    assert_true(names > 5000);
    assert_true(female > 1000 && names - female > 1000);
    assert_int_equal(gender_table_lookup("zzzzzz", 6), GENDER_UNKNOWN);
    assert_int_equal(gender_table_lookup("a", 1), GENDER_UNKNOWN);
}

static void test_given_names(void **state)
{
    (void)state;
    assert_int_equal(gender_from_given_name("Maya Ortiz"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("PRIYA"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Kenji Sato"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Dr. Arun Patel"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Prof Maya"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Mary-Xyzzy Smith"), GENDER_FEMALE);
    /* accents as French and Spanish transcripts write the names */
    assert_int_equal(gender_from_given_name("André"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Chloé Martin"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("JOSÉ"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Ærø"), GENDER_UNKNOWN);
    /* Cyrillic by its Latin spelling, -ий and -ия as the table has them */
    assert_int_equal(gender_from_given_name("Анна"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Борис Ельцин"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("ОЛЬГА"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Татьяна"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Дмитрий"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Анастасия"), GENDER_FEMALE);
    assert_int_equal(gender_from_given_name("Артём"), GENDER_MALE);
    assert_int_equal(gender_from_given_name("Щщщ"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name("Аnna"), GENDER_UNKNOWN); /* mixed scripts */
    /* Ambiguous, unknown, or not Latin: no answer. */
    assert_int_equal(gender_from_given_name("Jordan Lee"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name("Taylor"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name("Speaker 1"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name("小鹿"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name(""), GENDER_UNKNOWN);
    assert_int_equal(gender_from_given_name("Dr."), GENDER_UNKNOWN);
}

static void test_russian_names(void **state)
{
    (void)state;
    assert_int_equal(gender_from_russian_name("Марина Соколова"), GENDER_FEMALE);
    assert_int_equal(gender_from_russian_name("А. Петровская"), GENDER_FEMALE);
    assert_int_equal(gender_from_russian_name("Анна Сергеевна"), GENDER_FEMALE);
    assert_int_equal(gender_from_russian_name("Андрей Норкин"), GENDER_MALE);
    assert_int_equal(gender_from_russian_name("Сергей Иванович Петров"), GENDER_MALE);
    assert_int_equal(gender_from_russian_name("Ст.Крючков"), GENDER_MALE);
    assert_int_equal(gender_from_russian_name("Крючков"), GENDER_MALE);
    assert_int_equal(gender_from_russian_name("Ольга"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_russian_name("Тарас Шевченко"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_russian_name("Ivanova"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_russian_name("Ведущий программы вечером сегодня"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_russian_name(""), GENDER_UNKNOWN);
}

static void test_honorifics(void **state)
{
    (void)state;
    assert_int_equal(gender_from_honorific("Mr. Lee"), GENDER_MALE);
    assert_int_equal(gender_from_honorific("mr Lee"), GENDER_MALE);
    assert_int_equal(gender_from_honorific("Ms. Casey"), GENDER_FEMALE);
    assert_int_equal(gender_from_honorific("Mrs Alvarez"), GENDER_FEMALE);
    assert_int_equal(gender_from_honorific("Miss Jordan"), GENDER_FEMALE);
    assert_int_equal(gender_from_honorific("Sra. García"), GENDER_FEMALE);
    assert_int_equal(gender_from_honorific("王先生"), GENDER_MALE);
    assert_int_equal(gender_from_honorific("李女士"), GENDER_FEMALE);
    assert_int_equal(gender_from_honorific("张小姐"), GENDER_FEMALE);
    /* A title alone is no name; words that only start like one are not titles. */
    assert_int_equal(gender_from_honorific("Mr."), GENDER_UNKNOWN);
    assert_int_equal(gender_from_honorific("先生"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_honorific("Mrsomething Else"), GENDER_UNKNOWN);
    assert_int_equal(gender_from_honorific("Jordan Lee"), GENDER_UNKNOWN);
}

static void test_hint_sources(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\n"
                           "speakers:\n"
                           "  - {name: Robin Park, gender: male}\n"
                           "  - name: Taylor\n"
                           "    gender: F\n"
                           "    aliases: [TT]\n"
                           "host: {name: Jordan, gender: robot}\n"
                           "scriptcast:\n"
                           "  cast:\n"
                           "    Sam: female\n"
                           "    Alex: {gender: male}\n"
                           "    Casey: {voice: en-male-3, gender: female}\n"
                           "---\n"
                           "Robin: a\nTT: b\nJordan: c\nSam: d\nAlex: e\nCasey: f\nMr. Kim: g\n"
                           "Priya: h\n"),
                     0);
    assert_int_equal(d.errors, 0);
    bool robot = false; /* the unknown gender is a warning, where it is */
    for (size_t i = 0; i < d.n; i++)
        robot |= d.v[i].level == DIAG_WARNING && d.v[i].line == 7 && strstr(d.v[i].msg, "robot");
    assert_true(robot);
    struct voicebook vb;
    load_voices(&vb);
    struct cast c;
    assert_int_equal(cast_assign(&c, &s, &vb, false, &d), 0);
    static const struct {
        const char *name;
        enum person_gender g;
        enum cast_gender_from from;
        enum cast_source source;
    } want[] = {
        {"Robin Park", GENDER_MALE, CAST_GENDER_FRONT_MATTER, CAST_SOURCE_DECLARED},
        {"Taylor", GENDER_FEMALE, CAST_GENDER_FRONT_MATTER, CAST_SOURCE_DECLARED},
        {"Jordan", GENDER_UNKNOWN, CAST_GENDER_NONE, CAST_SOURCE_DECLARED},
        {"Sam", GENDER_FEMALE, CAST_GENDER_CAST, CAST_SOURCE_CAST},
        {"Alex", GENDER_MALE, CAST_GENDER_CAST, CAST_SOURCE_CAST},
        {"Casey", GENDER_FEMALE, CAST_GENDER_CAST, CAST_SOURCE_CAST},
        {"Mr. Kim", GENDER_MALE, CAST_GENDER_HONORIFIC, CAST_SOURCE_UNDECLARED},
        {"Priya", GENDER_FEMALE, CAST_GENDER_NAME_TABLE, CAST_SOURCE_UNDECLARED},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct cast_role *r = role_of(&c, &s, want[i].name);
        assert_int_equal(r->gender, want[i].g);
        assert_int_equal(r->gender_from, want[i].from);
        assert_int_equal(r->source, want[i].source);
        const char *vg = voice_gender(r->voice);
        if (!strcmp(want[i].name, "Casey")) {
            /* A named voice wins over the gender. */
            assert_string_equal(r->voice->name, "en-male-3");
            assert_int_equal(r->voice_from, CAST_VOICE_CAST);
        } else if (want[i].g != GENDER_UNKNOWN) {
            assert_string_equal(vg, config_gender_name(want[i].g));
            assert_int_equal(r->voice_from, CAST_VOICE_POOL);
        }
    }
    /* Distinct, and never the narrator's. */
    for (size_t i = 0; i < s.npeople; i++) {
        assert_ptr_not_equal(c.people[i].voice, c.narrator.voice);
        for (size_t k = 0; k < i; k++)
            assert_ptr_not_equal(c.people[i].voice, c.people[k].voice);
    }
    cast_release(&c);
    voice_release_all(&vb);
    script_release(&s);
    diag_release(&d);
}

/* Eight women in a pool of six female voices: six get female voices, then
 * distinct voices win over gender while any is free; sharing only after. */
static void test_gender_runs_out(void **state)
{
    (void)state;
    struct strbuf text = STRBUF_INIT;
    static const char *const women[] = {"Anna",  "Beth", "Clara", "Diana", "Emma",
                                        "Fiona", "Gina", "Helen", NULL};
    for (size_t i = 0; women[i]; i++)
        strbuf_addf(&text, "%s: hello.\n", women[i]);
    for (int i = 0; i < 6; i++)
        strbuf_addf(&text, "Zq%d: hello.\n", i);
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d, text.buf), 0);
    struct voicebook vb;
    load_voices(&vb);
    struct cast c;
    assert_int_equal(cast_assign(&c, &s, &vb, false, &d), 0);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(voice_gender(c.people[i].voice), "female");
        assert_int_equal(c.people[i].voice_from, CAST_VOICE_POOL);
    }
    for (size_t i = 6; i < 8; i++) {
        assert_string_equal(voice_gender(c.people[i].voice), "male");
        assert_int_equal(c.people[i].voice_from, CAST_VOICE_POOL);
    }
    /* 12 pool voices, 14 speakers: the last two share, not the first's voice. */
    for (size_t i = 8; i < 12; i++)
        assert_int_equal(c.people[i].voice_from, CAST_VOICE_POOL);
    for (size_t i = 12; i < 14; i++) {
        assert_int_equal(c.people[i].voice_from, CAST_VOICE_SHARED);
        assert_ptr_not_equal(c.people[i].voice, c.people[0].voice);
        assert_ptr_not_equal(c.people[i].voice, c.narrator.voice);
    }
    cast_release(&c);
    voice_release_all(&vb);
    script_release(&s);
    diag_release(&d);
    strbuf_release(&text);
}

/* The narrator's profile, even when it is a pool name, is never given out. */
static void test_narrator_voice_reserved(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\nscriptcast: {narrator: en-female-1}\n---\n"
                           "Intro.\n\nAnna: one\n\nBeth: two\n"),
                     0);
    struct voicebook vb;
    load_voices(&vb);
    struct cast c;
    assert_int_equal(cast_assign(&c, &s, &vb, false, &d), 0);
    assert_string_equal(c.narrator.voice->name, "en-female-1");
    assert_string_equal(c.people[0].voice->name, "en-female-2");
    assert_string_equal(c.people[1].voice->name, "en-female-3");
    cast_release(&c);
    voice_release_all(&vb);
    script_release(&s);
    diag_release(&d);
}

/* Lookups through the table behave as the scans they replace. */
static void test_people_lookup(void **state)
{
    (void)state;
    struct script s;
    struct diags d;
    assert_int_equal(parse(&s, &d,
                           "---\nspeaker: 北美王陆飞\nguests: [Andrew Poelstra, Al]\n"
                           "scriptcast:\n  cast:\n    老隐: {voice: zh-male-2, aliases: [隐哥]}\n"
                           "---\n陆飞：你好\n"),
                     0);
    assert_int_equal(people_find(&s, "北美王陆飞", strlen("北美王陆飞")), 0);
    assert_int_equal(people_find(&s, "陆飞", strlen("陆飞")), 0); /* contained */
    assert_int_equal(people_find(&s, "andrew POELSTRA", 15), 1);  /* case */
    assert_int_equal(people_find(&s, "Poelstra", 8), 1);          /* whole word */
    assert_int_equal(people_find(&s, "Poel", 4), -1);             /* not a word */
    assert_int_equal(people_find(&s, "Al", 2), 2);                /* exact beats contained */
    assert_int_equal(people_find(&s, "隐哥", strlen("隐哥")), 3); /* cast alias */
    assert_int_equal(people_find(&s, "飞", strlen("飞")), -1);    /* one character */
    /* A label person is found exactly, but never by containment. */
    int k = people_add(&s, "Zed Label", 9, PERSON_LABEL, 9, 1);
    assert_int_equal(people_find(&s, "zed label", 9), k);
    assert_int_equal(people_find(&s, "Zed", 3), -1);
    /* An alias given later finds its person; two people with one name: the first. */
    people_alias_add(&s, 1, "AP", 2);
    assert_int_equal(people_find(&s, "ap", 2), 1);
    int dup = people_add(&s, "AP", 2, PERSON_FIELD, 9, 1);
    assert_true(dup > 1);
    assert_int_equal(people_find(&s, "AP", 2), 1);
    /* Many people: every one is found. */
    char name[32];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(name, sizeof(name), "Person%d", i);
        people_add(&s, name, (size_t)n, PERSON_LABEL, 10, 1);
    }
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(name, sizeof(name), "person%d", i);
        int at = people_find(&s, name, (size_t)n);
        assert_true(at >= 0);
        assert_string_equal(s.people[at].name + 6, name + 6);
    }
    script_release(&s);
    diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_round_trip), cmocka_unit_test(test_given_names),
        cmocka_unit_test(test_honorifics),       cmocka_unit_test(test_hint_sources),
        cmocka_unit_test(test_gender_runs_out),  cmocka_unit_test(test_narrator_voice_reserved),
        cmocka_unit_test(test_people_lookup),    cmocka_unit_test(test_russian_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
