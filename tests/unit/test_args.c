/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for the option table and its parser (src/cli/args.c): the
 * table is consistent (no name taken twice by one subcommand, help for
 * every entry), and every accepted syntax stores what it should.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cli/args.h"
#include "util/diag.h"

#include <stdio.h>
#include <string.h>

static void test_table_consistent(void **state)
{
    (void)state;
    for (size_t i = 0; i < CLI_OPT_COUNT; i++) {
        const struct cli_option *o = &cli_options[i];
        assert_int_equal(o->id, i);
        assert_non_null(o->longname);
        assert_non_null(o->help);
        assert_true(o->cmds != 0);
        /* A flag has no argument name; everything else has one. */
        assert_int_equal(o->kind == CLI_FLAG, o->argname == NULL);
        if (o->kind == CLI_CHOICE)
            assert_non_null(o->choices);
        for (size_t k = i + 1; k < CLI_OPT_COUNT; k++) {
            const struct cli_option *p = &cli_options[k];
            if (!(o->cmds & p->cmds))
                continue;
            if (!strcmp(o->longname, p->longname))
                fail_msg("--%s defined twice for one subcommand", o->longname);
            if (o->shortname && o->shortname == p->shortname)
                fail_msg("-%c defined twice for one subcommand", o->shortname);
        }
    }
}

static const struct cli_command render = {"render", CMD_RENDER, "render FILE", NULL, NULL};
static const struct cli_command batch = {"batch", CMD_BATCH, "batch DIR", NULL, NULL};

/* Parses a NULL-terminated list of words as `scriptcast CMD WORDS...`. */
static int parse(const struct cli_command *cmd, struct cli_args *a, char **words)
{
    int argc = 0;
    while (words[argc])
        argc++;
    return cli_parse(cmd, argc, words, a);
}

static void test_syntax(void **state)
{
    (void)state;
    char *w[] = {"render", "-qj3", "--rate=16000", "talk.md", "--section", "2", "--sec", "Intro",
                 "-o",     "-",    "--",           "-v",      NULL};
    struct cli_args a;
    assert_int_equal(parse(&render, &a, w), CLI_PROCEED);
    assert_true(a.v[CLI_OPT_QUIET].set);
    assert_int_equal(a.v[CLI_OPT_JOBS].num, 3);
    assert_int_equal(a.v[CLI_OPT_RATE].num, 16000);
    assert_int_equal(a.v[CLI_OPT_SECTION].nlist, 2);
    assert_string_equal(a.v[CLI_OPT_SECTION].list[1], "Intro");
    assert_string_equal(a.v[CLI_OPT_OUTPUT].arg, "-");
    assert_false(a.v[CLI_OPT_VERBOSE].set); /* after "--": an operand */
    assert_int_equal(a.noperands, 2);
    assert_string_equal(a.operands[0], "talk.md");
    assert_string_equal(a.operands[1], "-v");
    cli_args_release(&a);
}

static void test_kinds(void **state)
{
    (void)state;
    char *w[] = {"batch", "--shard", "2/3", "--format", "opus", "-d", "out", "--vtt", NULL};
    struct cli_args a;
    assert_int_equal(parse(&batch, &a, w), CLI_PROCEED);
    assert_int_equal(a.v[CLI_OPT_SHARD].num, 2);
    assert_int_equal(a.v[CLI_OPT_SHARD].num2, 3);
    assert_int_equal(a.v[CLI_OPT_BATCH_FORMAT].num, 3);
    assert_true(a.v[CLI_OPT_BATCH_VTT].set);
    assert_false(a.v[CLI_OPT_VTT].set); /* render's --vtt FILE is another entry */
    cli_args_release(&a);
    uint64_t n = 0;
    assert_int_equal(cli_parse_size("2G", &n), 0);
    assert_int_equal(n, 2ULL << 30);
    assert_int_equal(cli_parse_size("1.5G", &n), -1);
}

static void test_errors(void **state)
{
    (void)state;
    char *bad[][4] = {
        {"render", "--jobs", "x", NULL},   {"render", "--jobs", NULL},
        {"render", "--strict=1", NULL},    {"render", "--c", "x", NULL},
        {"render", "--json", NULL},        {"render", "-x", NULL},
        {"batch", "--shard", "4/3", NULL}, {"render", "--chapter-level", "7", NULL},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cli_args a;
        const struct cli_command *cmd = !strcmp(bad[i][0], "batch") ? &batch : &render;
        assert_int_equal(parse(cmd, &a, bad[i]), EXIT_USAGE);
        cli_args_release(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_consistent),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
