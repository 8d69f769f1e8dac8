/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast render FILE [-o OUT]`: option parsing for rendering one
 * transcript; the work itself is render_file() in render.c.
 */
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/planout.h"
#include "cli/play.h"
#include "cli/preset.h"
#include "cli/render.h"
#include "audio/writer.h"
#include "synth/cache.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct cli_command render_cmd = {
    "render",
    CMD_RENDER,
    "render FILE|- [-o OUT|-] [--section SEL]... [--play] [options]",
    "Synthesizes the transcript into one audio file with chapters. The format\n"
    "follows OUT's extension: .wav (PCM 16), .flac, .ogg (Vorbis), .opus (48 kHz),\n"
    ".mp3, .m4a or .m4b (AAC). Default OUT: the input's base name with .wav (with\n"
    "--preset, its format), in the current folder. Chapters, tags and cover go\n"
    "inside every format but WAV; OUT's base name + .chapters.json (Podcasting 2.0\n"
    "chapters) is always written. Audio is normalized to -16 LUFS unless\n"
    "--loudness says otherwise; a bare .mp3 gets the podcast preset's settings.\n"
    "FILE - reads standard input; -o - writes the audio to standard output\n"
    "(--format names it; sidecars, chapters too, only where options say).\n",
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

static bool render_ends_with(const char *path, const char *fmt)
{
    size_t n = strlen(path), k = strlen(fmt);
    return n > k && path[n - k - 1] == '.' && !strcmp(path + n - k, fmt);
}

/* -o -: the format must be named, nothing else may go to standard output,
 * and --play needs a file. */
static int render_stdout_check(const struct cli_args *a, const char *fmt, bool per_chapter)
{
    if (!fmt)
        return cli_usage_error("render", "-o -: name the audio format with --format FMT");
    if (per_chapter)
        return cli_usage_error("render", "-o -: this preset writes a file per chapter");
    if (a->v[CLI_OPT_PLAY].set)
        return cli_usage_error("render", "--play plays a file: not with -o -");
    if (isatty(STDOUT_FILENO))
        return cli_usage_error("render", "-o -: standard output is a terminal; redirect it");
    return EXIT_OK;
}

/* A private folder for the audio of -o -: the writer needs a file it can
 * seek in and rename into place; the bytes go to standard output after. */
static char *render_spool(void)
{
    const char *tmp = getenv("TMPDIR");
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/scriptcast-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(sb.buf)) {
        fprintf(stderr, "scriptcast: %s: cannot create folder: %s\n", sb.buf, strerror(errno));
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb);
}

/* Removes the spool folder with the audio (and the chapters written
 * beside it when no --chapters FILE took them elsewhere). */
static void render_spool_remove(const char *spool, const char *audio, bool chapters_elsewhere)
{
    if (audio)
        unlink(audio);
    if (audio && !chapters_elsewhere) {
        char *ch = render_chapters_path(audio);
        unlink(ch);
        free(ch);
    }
    rmdir(spool);
}

/* Copies the finished audio to standard output. */
static int render_copy_out(const char *path, struct diags *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return -1;
    }
    char buf[65536];
    ssize_t n;
    int rc = 0;
    while ((n = fdio_read(fd, buf, sizeof(buf))) > 0)
        if (fdio_write(STDOUT_FILENO, buf, (size_t)n) < 0) {
            diag_add(d, DIAG_SYSTEM, "<stdout>", 0, 0, NULL, "cannot write: %s", strerror(errno));
            rc = -1;
            break;
        }
    if (n < 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    struct cli_args a;
    struct cli_common o = {0};
    struct render_request rq;
    memset(&rq, 0, sizeof(rq));
    char *out_path = NULL, *default_cache = NULL, *spool = NULL;
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
    rq.sidecar[SIDE_CHAPTERS_JSON] = a.v[CLI_OPT_CHAPTERS].arg;
    bool to_stdout = rq.out && !strcmp(rq.out, "-");
    const struct cli_value *fmt = &a.v[CLI_OPT_RENDER_FORMAT];
    /* -o -: --format names the format, else the preset's. */
    const char *stdout_fmt = fmt->set ? fmt->arg : preset ? preset->ext : NULL;
    if (!rq.out && !strcmp(rq.in, "-")) {
        rc =
            cli_usage_error("render", "reading standard input: give -o OUT (or -o - --format FMT)");
        goto out;
    }
    if (a.v[CLI_OPT_PLAY].set && rq.per_chapter) {
        rc = cli_usage_error("render", "--play plays one file: not with a file per chapter");
        goto out;
    }
    if (to_stdout) {
        if ((rc = render_stdout_check(&a, stdout_fmt, rq.per_chapter)) != EXIT_OK)
            goto out;
        if (!(spool = render_spool())) {
            rc = EXIT_SYSTEM;
            goto out;
        }
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "%s/audio.%s", spool, stdout_fmt);
        out_path = strbuf_detach(&sb);
        rq.audio_name = "-";
    } else {
        out_path =
            rq.out ? xstrdup(rq.out) : render_default_out(rq.in, preset ? preset->ext : "wav");
    }
    rq.out = out_path;
    if (preset && audio_format_from_path(out_path) < 0) {
        rc = cli_usage_error("render", "--preset %s writes .%s, which this build cannot write",
                             preset->name, preset->ext);
        goto out;
    }
    if (fmt->set && !to_stdout && audio_format_from_path(out_path) >= 0 &&
        !render_ends_with(out_path, fmt->arg)) {
        rc = cli_usage_error("render",
                             "--format %s, but %s says otherwise: the extension of OUT "
                             "names the format (--format is for -o -)",
                             fmt->arg, out_path);
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
    if (ok && to_stdout)
        ok = render_copy_out(out_path, &d) == 0;
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
                to_stdout ? "standard output" : shown,
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
    /* Played after the summary, so the user reads what was written while
     * listening; the file stays whether or not a player is found. */
    rc = res.usage_error ? EXIT_USAGE : diag_exit_code(&d);
    if (ok && a.v[CLI_OPT_PLAY].set) {
        struct diags pd;
        diag_init(&pd);
        if (o.verbosity >= 0)
            fprintf(stderr, "scriptcast: playing %s\n", out_path);
        if (play_file(out_path, &pd) < 0 && rc == EXIT_OK)
            rc = diag_exit_code(&pd);
        planout_diagnostics(&pd, o.verbosity, stderr);
        diag_release(&pd);
    }
    diag_release(&d);
out:
    if (spool)
        render_spool_remove(spool, out_path, a.v[CLI_OPT_CHAPTERS].set);
    free(spool);
    free(out_path);
    free(default_cache);
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
