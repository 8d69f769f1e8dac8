/*
 * `scriptcast plan FILE [--json] [--section SEL]...`: shows who will say
 * what, in which voice, before anything is synthesized.
 */
#include "cli/cli.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "util/diag.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void plan_usage(FILE *out)
{
    fputs("usage: scriptcast plan FILE [--json] [--section SEL]... [options]\n"
          "\n"
          "Reads a transcript and shows the plan: chapters, speakers with their voices\n"
          "and how each was chosen, segment counts and an estimate of the spoken length.\n"
          "Nothing is synthesized.\n"
          "\n"
          "  --json               print the plan as one JSON object (see docs/cli.md)\n"
          "  --section SEL        keep only chapters SEL: a number, a range 2-4, or a\n"
          "                       title (exact, else a unique substring); repeatable\n"
          "  --cast FILE          speaker-to-voice settings overriding the front matter\n"
          "  --voices DIR         look for voice profiles in DIR first; repeatable\n"
          "  --chapter-level N    headings of level N start chapters\n"
          "  --strict             speakers without a cast entry are errors\n"
          "  -q, --quiet          print errors only\n"
          "  -v, --verbose        print notes too\n"
          "  -h, --help           show this help\n"
          "\n"
          "Exit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure.\n",
          out);
}

int cmd_plan(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"section", required_argument, NULL, OPT_SECTION},
        {"cast", required_argument, NULL, OPT_CAST},
        {"voices", required_argument, NULL, OPT_VOICES},
        {"chapter-level", required_argument, NULL, OPT_CHAPTER_LEVEL},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli_common o = {0};
    bool json = false;
    int opt, rc = EXIT_OK;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":qvh", longopts, NULL)) != -1) {
        int r = cli_common_option(&o, "plan", opt, optarg);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto out;
        }
        if (r > 0)
            continue;
        if (opt == OPT_JSON) {
            json = true;
        } else if (opt == 'h') {
            plan_usage(stdout);
            goto out;
        } else {
            rc = cli_bad_option("plan", opt, argv);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage_error("plan",
                             optind == argc ? "no transcript given" : "plan takes one transcript");
        goto out;
    }
    if ((rc = cli_common_validate(&o, "plan")) != EXIT_OK)
        goto out;

    struct diags d;
    diag_init(&d);
    struct pipeline pl = {0};
    int ok = pipeline_load(&pl, argv[optind], &o, &d);
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
    return rc;
}
