/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast render FILE [-o OUT]`: option parsing for rendering one
 * transcript; the work itself is render_file() in render.c.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/planout.h"
#include "cli/preset.h"
#include "cli/render.h"
#include "audio/writer.h"
#include "synth/cache.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct cli_command render_cmd = {
    "render",
    CMD_RENDER,
    "render FILE [-o OUT] [--section SEL]... [options]",
    "Synthesizes the transcript into one audio file with chapters. The format\n"
    "follows OUT's extension: .wav (PCM 16), .flac, .ogg (Vorbis), .opus (48 kHz),\n"
    ".mp3, .m4a or .m4b (AAC). Default OUT: the input's base name with .wav (with\n"
    "--preset, its format), in the current folder. Chapters, tags and cover go\n"
    "inside every format but WAV; OUT's base name + .chapters.json (Podcasting 2.0\n"
    "chapters) is always written. Audio is normalized to -16 LUFS unless\n"
    "--loudness says otherwise; a bare .mp3 gets the podcast preset's settings.\n",
    "Exit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure\n"
    "(I/O, engine, disk full, interrupted). Outputs are replaced as one set or not\n"
    "at all: on failure the previous files stay as they were. No output may be the\n"
    "transcript or another output (exit 2).\n",
};

/* "talk.md" -> "talk.wav" (or the preset's extension) in the current folder. */
static char *render_default_out(const char *in, const char *ext)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *dot = strrchr(base, '.');
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
    strbuf_addc(&sb, '.');
    strbuf_adds(&sb, ext);
    return strbuf_detach(&sb);
}

int cmd_render(int argc, char **argv)
{
    struct cli_args a;
    struct cli_common o = {0};
    struct render_request rq;
    memset(&rq, 0, sizeof(rq));
    char *out_path = NULL, *default_cache = NULL;
    int rc = cli_parse(&render_cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        goto out;
    rc = EXIT_OK;
    cli_common_from_args(&o, &a);
    rq.jobs = a.v[CLI_OPT_JOBS].set ? (int)a.v[CLI_OPT_JOBS].num : cli_default_jobs();
    rq.rate = (int)a.v[CLI_OPT_RATE].num;
    rq.out = a.v[CLI_OPT_OUTPUT].arg;
    rq.cover = a.v[CLI_OPT_COVER].arg;
    static const enum cli_opt sidecar_opt[] = {
        [SIDE_MANIFEST] = CLI_OPT_MANIFEST,
        [SIDE_VTT] = CLI_OPT_VTT,
        [SIDE_SRT] = CLI_OPT_SRT,
        [SIDE_TRANSCRIPT] = CLI_OPT_TRANSCRIPT_JSON,
        [SIDE_CHAPTERS_VTT] = CLI_OPT_CHAPTERS_VTT,
        [SIDE_FFMETADATA] = CLI_OPT_FFMETADATA,
        [SIDE_CUE] = CLI_OPT_CUE,
        [SIDE_HTML] = CLI_OPT_HTML,
    };
    for (size_t k = 0; k < sizeof(sidecar_opt) / sizeof(sidecar_opt[0]); k++)
        rq.sidecar[k] = a.v[sidecar_opt[k]].arg;
    const struct preset *preset = NULL;
    const char *ext = rq.out ? strrchr(rq.out, '.') : NULL;
    if ((rc = preset_from_args(&rq, &a, "render", ext ? ext + 1 : NULL, &preset)) != EXIT_OK)
        goto out;
    if (a.noperands != 1) {
        rc = cli_usage_error("render", a.noperands == 0 ? "no transcript given"
                                                        : "render takes one transcript");
        goto out;
    }
    if ((rc = cli_common_validate(&o, "render")) != EXIT_OK)
        goto out;
    if (rq.cover && access(rq.cover, R_OK) != 0) {
        rc = cli_usage_error("render", "--cover %s: %s", rq.cover, strerror(errno));
        goto out;
    }
    rq.in = a.operands[0];
    out_path = rq.out ? xstrdup(rq.out) : render_default_out(rq.in, preset ? preset->ext : "wav");
    rq.out = out_path;
    if (preset && audio_format_from_path(out_path) < 0) {
        rc = cli_usage_error("render", "--preset %s writes .%s, which this build cannot write",
                             preset->name, preset->ext);
        goto out;
    }
    if (audio_format_from_path(out_path) < 0) {
        rc = cli_usage_error(
            "render", "%s: unknown audio format (use .wav, .flac, .ogg, .opus, .mp3, .m4a or .m4b)",
            out_path);
        goto out;
    }
    if (!a.v[CLI_OPT_NO_CACHE].set)
        rq.cache_dir =
            a.v[CLI_OPT_CACHE].set ? a.v[CLI_OPT_CACHE].arg : (default_cache = cache_default_dir());
    rq.progress = o.verbosity >= 0;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    render_install_signal_handlers();
    struct diags d;
    diag_init(&d);
    struct render_result res;
    bool ok =
        (rq.per_chapter ? render_chapters(&rq, &o, &res, &d) : render_file(&rq, &o, &res, &d)) == 0;
    planout_diagnostics(&d, o.verbosity, stderr);
    if (ok && o.verbosity >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        char len[32];
        planout_duration(len, sizeof(len), res.seconds);
        char *shown = out_path;
        if (rq.per_chapter) {
            char *first = render_numbered(out_path, res.first_file, res.digits);
            char *last = render_numbered(out_path, res.last_file, res.digits);
            struct strbuf sb = STRBUF_INIT;
            strbuf_addf(&sb, "%s to %s, one file per chapter", first, last);
            shown = strbuf_detach(&sb);
            free(first);
            free(last);
        }
        fprintf(stderr,
                "scriptcast: wrote %s%s: %s, %zu %s, %zu %s in %.1fs "
                "(%zu %s synthesized, %zu from cache)\n",
                shown,
                !res.kept        ? ""
                : rq.per_chapter ? " (unchanged: the files already held these bytes)"
                                 : " (unchanged: the file already held these bytes)",
                len, res.chapters, cli_plural(res.chapters, "chapter", "chapters"), res.segments,
                cli_plural(res.segments, "segment", "segments"),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                res.synthesized, cli_plural(res.synthesized, "run", "runs"), res.cached);
        render_print_loudness(stderr, &res);
        if (shown != out_path)
            free(shown);
    }
    rc = res.usage_error ? EXIT_USAGE : diag_exit_code(&d);
    diag_release(&d);
out:
    free(out_path);
    free(default_cache);
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
