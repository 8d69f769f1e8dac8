/*
 * `scriptcast render FILE [-o OUT]`: the whole pipeline — plan, synthesis,
 * sample-exact assembly into one audio file, and the manifests beside it.
 * Every output goes through a temporary file renamed into place only when
 * all of them are complete, so a failed or interrupted render leaves no
 * partial file and keeps what was there before.
 */
#include "audio/assemble.h"
#include "audio/timeline.h"
#include "audio/writer.h"
#include "cli/cli.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "manifest/manifest.h"
#include "synth/engine.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The optional sidecar outputs, in the order they are written. */
enum render_sidecar {
    SIDE_MANIFEST,
    SIDE_VTT,
    SIDE_SRT,
    SIDE_TRANSCRIPT,
    SIDE_CHAPTERS_VTT,
    SIDE_FFMETADATA,
    SIDE_CUE,
    SIDE_CHAPTERS_JSON, /* always written: OUT.chapters.json */
    SIDE_COUNT,
};

typedef void (*render_format_fn)(const struct manifest_in *m, struct strbuf *out);

static const render_format_fn render_formats[SIDE_COUNT] = {
    manifest_full_json,    manifest_vtt,        manifest_srt, manifest_transcript_json,
    manifest_chapters_vtt, manifest_ffmetadata, manifest_cue, manifest_chapters_json,
};

struct render_opts {
    struct cli_common common;
    const char *out;
    const char *sidecar[SIDE_COUNT];
    int rate;
};

static void render_usage(FILE *out)
{
    fputs("usage: scriptcast render FILE [-o OUT] [--section SEL]... [options]\n"
          "\n"
          "Synthesizes the transcript into one audio file with chapters. The format\n"
          "follows OUT's extension: .wav (PCM 16), .flac, .ogg (Vorbis), .opus (48 kHz),\n"
          ".mp3. Default OUT: the input's base name with .wav, in the current folder.\n"
          "OUT's base name + .chapters.json (Podcasting 2.0 chapters) is always written.\n"
          "\n"
          "  -o, --output OUT         the audio file to write\n"
          "  --section SEL            render only chapters SEL (number, range 2-4, or\n"
          "                           title); times are relative to the preview\n"
          "  --rate HZ                output sample rate (resampled with libsoxr)\n"
          "  --manifest FILE          the full manifest (JSON)\n"
          "  --vtt FILE               WebVTT subtitles with <v Speaker> tags\n"
          "  --srt FILE               SubRip subtitles\n"
          "  --transcript-json FILE   Podcasting 2.0 JSON transcript\n"
          "  --chapters-vtt FILE      WebVTT chapter track\n"
          "  --ffmetadata FILE        ffmpeg metadata with chapters (;FFMETADATA1)\n"
          "  --cue FILE               CUE sheet\n"
          "  --cast FILE              speaker-to-voice settings overriding the front matter\n"
          "  --voices DIR             look for voice profiles in DIR first; repeatable\n"
          "  --chapter-level N        headings of level N start chapters\n"
          "  --strict                 speakers without a cast entry are errors\n"
          "  -q, --quiet              no summary, errors only\n"
          "  -v, --verbose            print notes too\n"
          "  -h, --help               show this help\n"
          "\n"
          "Exit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure\n"
          "(I/O, engine, disk full). On failure no output file is left half-written.\n",
          out);
}

/* "talk.md" -> "talk.wav" in the current folder. */
static char *render_default_out(const char *in)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *dot = strrchr(base, '.');
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
    strbuf_adds(&sb, ".wav");
    return strbuf_detach(&sb);
}

/* "out/talk.wav" -> "out/talk.chapters.json" */
static char *render_chapters_path(const char *out)
{
    const char *slash = strrchr(out, '/');
    const char *dot = strrchr(out, '.');
    size_t n = dot && (!slash || dot > slash + 1) ? (size_t)(dot - out) : strlen(out);
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, out, n);
    strbuf_adds(&sb, ".chapters.json");
    return strbuf_detach(&sb);
}

/* The audio path as seen from a sidecar: its base name when both are in
 * one folder, so that a folder of outputs can move as a whole. */
static const char *render_relative(const char *audio, const char *sidecar)
{
    const char *a = strrchr(audio, '/'), *b = strrchr(sidecar, '/');
    size_t da = a ? (size_t)(a - audio) : 0, db = b ? (size_t)(b - sidecar) : 0;
    if (da == db && !strncmp(audio, sidecar, da))
        return a ? a + 1 : audio;
    return audio;
}

static char *render_artist(const struct plan *p)
{
    struct strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < p->nspeakers; i++) {
        if (!strcmp(p->speakers[i].source, "narrator"))
            continue;
        if (sb.len)
            strbuf_adds(&sb, ", ");
        strbuf_adds(&sb, p->speakers[i].name);
    }
    return sb.len ? strbuf_detach(&sb) : NULL;
}

struct render_progress {
    bool tty;
    time_t last;
};

/* SIGINT/SIGTERM only raise this flag: the render stops between segments
 * and cleans up through the normal error path (exit 3). */
static volatile sig_atomic_t render_interrupted;

static void render_on_signal(int sig)
{
    (void)sig;
    render_interrupted = 1;
}

static bool render_progress_cb(void *ctx, size_t done, size_t total, uint64_t samples, int rate)
{
    struct render_progress *rp = ctx;
    if (render_interrupted)
        return false;
    if (!rp->tty)
        return true;
    time_t now = time(NULL);
    if (now == rp->last && done < total)
        return true;
    rp->last = now;
    fprintf(stderr, "\rscriptcast: %zu/%zu segments, %.1f min of audio", done, total,
            (double)samples / rate / 60.0);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    return true;
}

/* Writes the audio and every sidecar; all or nothing. */
static int render_run(struct render_opts *o, struct pipeline *pl, const char *out_path,
                      enum audio_format fmt, double *seconds, struct diags *d)
{
    const struct plan *p = &pl->plan;
    struct engine *e = engine_open(d);
    if (!e)
        return -1;
    char *artist = render_artist(p);
    struct audio_meta meta = {.title = p->title, .artist = artist, .comment = "scriptcast"};
    struct audio_writer *w = audio_writer_open(out_path, fmt, engine_rate(e), o->rate, 1, &meta, d);
    int rc = -1;
    struct timeline tl = {0};
    struct atomicfile side[SIDE_COUNT];
    memset(side, 0, sizeof(side));
    bool opened[SIDE_COUNT] = {false};
    if (!w)
        goto done;
    struct render_progress rp = {.tty = o->common.verbosity >= 0 && isatty(STDERR_FILENO)};
    if (assemble_render(p, e, w, &tl, render_progress_cb, &rp, d) < 0) {
        if (render_interrupted)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "interrupted: no output written");
        audio_writer_abort(w);
        goto done;
    }
    /* Sidecars are complete on disk (as temporaries) before anything is
     * renamed, so a failure here leaves every old output untouched. */
    struct manifest_in m = {.plan = p,
                            .tl = &tl,
                            .audio_file = out_path,
                            .audio_format = audio_format_name(fmt),
                            .artist = artist};
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (!o->sidecar[k])
            continue;
        struct strbuf text = STRBUF_INIT;
        m.audio_file = render_relative(out_path, o->sidecar[k]);
        render_formats[k](&m, &text);
        bool ok = atomicfile_open(&side[k], o->sidecar[k], d) == 0;
        opened[k] = ok;
        if (ok && fwrite(text.buf, 1, text.len, side[k].fp) != text.len) {
            diag_add(d, DIAG_SYSTEM, o->sidecar[k], 0, 0, NULL, "cannot write");
            ok = false;
        }
        strbuf_release(&text);
        if (!ok) {
            audio_writer_abort(w);
            goto done;
        }
    }
    if (audio_writer_commit(w, d) < 0)
        goto done;
    *seconds = timeline_seconds(&tl, tl.samples);
    rc = 0;
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (opened[k] && atomicfile_commit(&side[k], d) < 0)
            rc = -1;
        opened[k] = false;
    }
done:
    for (int k = 0; k < SIDE_COUNT; k++)
        if (opened[k])
            atomicfile_abort(&side[k]);
    timeline_release(&tl);
    free(artist);
    engine_close(e);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"section", required_argument, NULL, OPT_SECTION},
        {"rate", required_argument, NULL, OPT_RATE},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"vtt", required_argument, NULL, OPT_VTT},
        {"srt", required_argument, NULL, OPT_SRT},
        {"transcript-json", required_argument, NULL, OPT_TRANSCRIPT_JSON},
        {"chapters-vtt", required_argument, NULL, OPT_CHAPTERS_VTT},
        {"ffmetadata", required_argument, NULL, OPT_FFMETADATA},
        {"cue", required_argument, NULL, OPT_CUE},
        {"cast", required_argument, NULL, OPT_CAST},
        {"voices", required_argument, NULL, OPT_VOICES},
        {"chapter-level", required_argument, NULL, OPT_CHAPTER_LEVEL},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct render_opts o;
    memset(&o, 0, sizeof(o));
    int opt, rc = EXIT_OK;
    char *out_path = NULL, *chapters_path = NULL;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:qvh", longopts, NULL)) != -1) {
        int r = cli_common_option(&o.common, "render", opt, optarg);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto out;
        }
        if (r > 0)
            continue;
        switch (opt) {
        case 'o':
            o.out = optarg;
            break;
        case OPT_RATE: {
            char *end;
            long hz = strtol(optarg, &end, 10);
            if (*end || hz < 8000 || hz > 192000) {
                rc = cli_usage_error("render", "--rate takes a rate from 8000 to 192000 Hz");
                goto out;
            }
            o.rate = (int)hz;
            break;
        }
        case OPT_MANIFEST:
        case OPT_VTT:
        case OPT_SRT:
        case OPT_TRANSCRIPT_JSON:
        case OPT_CHAPTERS_VTT:
        case OPT_FFMETADATA:
        case OPT_CUE:
            o.sidecar[SIDE_MANIFEST + (opt - OPT_MANIFEST)] = optarg;
            break;
        case 'h':
            render_usage(stdout);
            goto out;
        default:
            rc = cli_usage_error("render", "%s '%s'",
                                 opt == ':' ? "missing value for" : "unknown option",
                                 argv[optind - 1]);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage_error("render", optind == argc ? "no transcript given"
                                                      : "render takes one transcript");
        goto out;
    }
    if ((rc = cli_common_validate(&o.common, "render")) != EXIT_OK)
        goto out;
    const char *in = argv[optind];
    out_path = o.out ? xstrdup(o.out) : render_default_out(in);
    int fmt = audio_format_from_path(out_path);
    if (fmt < 0) {
        rc = cli_usage_error("render",
                             "%s: unknown audio format (use .wav, .flac, .ogg, "
                             ".opus or .mp3)",
                             out_path);
        goto out;
    }
    chapters_path = render_chapters_path(out_path);
    o.sidecar[SIDE_CHAPTERS_JSON] = chapters_path;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    atomicfile_install_signal_handlers();
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = render_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct diags d;
    diag_init(&d);
    struct pipeline pl = {0};
    double seconds = 0;
    bool ok = pipeline_load(&pl, in, &o.common, &d) == 0 &&
              render_run(&o, &pl, out_path, (enum audio_format)fmt, &seconds, &d) == 0;
    planout_diagnostics(&d, o.common.verbosity, stderr);
    if (ok && o.common.verbosity >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        char len[32];
        planout_duration(len, sizeof(len), seconds);
        fprintf(stderr, "scriptcast: wrote %s: %s, %zu chapters, %zu segments in %.1fs\n", out_path,
                len, pl.plan.nchapters, pl.plan.nsegments,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    rc = pl.usage_error ? EXIT_USAGE : diag_exit_code(&d);
    pipeline_release(&pl);
    diag_release(&d);
out:
    free(out_path);
    free(chapters_path);
    cli_common_release(&o.common);
    return rc;
}
