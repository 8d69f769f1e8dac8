/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast plan FILE [--json] [--section SEL]...`: shows who will say
 * what, in which voice, before anything is synthesized.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "util/diag.h"

#include <stdio.h>
#include <string.h>

static const struct cli_command plan_cmd = {
    "plan",
    CMD_PLAN,
    "plan FILE [--json] [--section SEL]... [options]",
    "Reads a transcript and shows the plan: chapters, speakers with their voices\n"
    "and how each was chosen, segment counts and an estimate of the spoken length.\n"
    "Nothing is synthesized. --json prints it as one JSON object (see docs/cli.md).\n",
    "Exit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure.\n",
};

int cmd_plan(int argc, char **argv)
{
    struct cli_args a;
    struct cli_common o = {0};
    int rc = cli_parse(&plan_cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        goto out;
    rc = EXIT_OK;
    cli_common_from_args(&o, &a);
    bool json = a.v[CLI_OPT_JSON].set;
    if (a.noperands != 1) {
        rc = cli_usage_error("plan", a.noperands == 0 ? "no transcript given"
                                                      : "plan takes one transcript");
        goto out;
    }
    if ((rc = cli_common_validate(&o, "plan")) != EXIT_OK)
        goto out;

    struct diags d;
    diag_init(&d);
    struct pipeline pl = {0};
    int ok = pipeline_load(&pl, a.operands[0], &o, &d);
    planout_diagnostics(&d, o.verbosity, stderr);
    if (ok == 0) {
        if (json)
            rc = planout_json(&pl.plan, stdout) < 0 ? EXIT_SYSTEM : EXIT_OK;
        else
            planout_table(&pl.plan, stdout);
    }
    if (rc == EXIT_OK)
        rc = pl.usage_error ? EXIT_USAGE : diag_exit_code(&d);
    pipeline_release(&pl);
    diag_release(&d);
out:
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
