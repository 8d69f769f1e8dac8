/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Rendering one transcript (contract in render.h): every output goes
 * through a temporary file; only when all of them are complete and closed
 * are they renamed into place, as one set under the lock of their folders,
 * so a failed or interrupted render leaves no partial file and keeps the
 * previous set as it was. Output paths are checked against the input and
 * each other before any work (render_paths.c).
 */
#include "cli/render.h"
#include "audio/assemble.h"
#include "audio/peaks.h"
#include "audio/master.h"
#include "audio/timeline.h"
#include "audio/writer.h"
#include "cli/cli.h"
#include "cli/pipeline.h"
#include "cli/render_paths.h"
#include "cli/render_set.h"
#include "cli/publish.h"
#include "manifest/manifest.h"
#include "synth/synth.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/keepfile.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The optional sidecar outputs, in the order they are written. */
typedef void (*render_format_fn)(const struct manifest_in *m, struct strbuf *out);

static const render_format_fn render_formats[SIDE_COUNT] = {
    manifest_full_json,     manifest_vtt,        manifest_srt, manifest_transcript_json,
    manifest_chapters_vtt,  manifest_ffmetadata, manifest_cue, manifest_html,
    manifest_chapters_json,
};

char *render_chapters_path(const char *out)
{
    const char *slash = strrchr(out, '/');
    const char *dot = strrchr(out, '.');
    size_t n = dot && (!slash || dot > slash + 1) ? (size_t)(dot - out) : strlen(out);
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, out, n);
    strbuf_adds(&sb, ".chapters.json");
    return strbuf_detach(&sb);
}

/* How the listening page names each other file of the set. */
static const char *const render_link_labels[SIDE_COUNT] = {
    [SIDE_MANIFEST] = "Manifest (JSON)",
    [SIDE_VTT] = "Subtitles (WebVTT)",
    [SIDE_SRT] = "Subtitles (SubRip)",
    [SIDE_TRANSCRIPT] = "Transcript (Podcasting 2.0 JSON)",
    [SIDE_CHAPTERS_VTT] = "Chapters (WebVTT)",
    [SIDE_FFMETADATA] = "Chapters (FFMETADATA)",
    [SIDE_CUE] = "CUE sheet",
    [SIDE_CHAPTERS_JSON] = "Chapters (Podcasting 2.0 JSON)",
};

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

struct render_progress {
    bool tty;
    double start; /* monotonic seconds */
    double last;  /* when the line was last drawn */
};

static double render_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* SIGINT, SIGTERM and SIGHUP only raise this flag: the render stops between
 * segments and cleans up through the normal error path (exit 3), ending its
 * helper processes on the way. */
static volatile sig_atomic_t render_interrupted;

bool render_stopped(void)
{
    return render_interrupted != 0;
}

static void render_on_signal(int sig)
{
    (void)sig;
    render_interrupted = 1;
}

/* A write past the file size limit (ulimit -f) then fails with EFBIG, and
 * that is an ordinary write error: exit 3, temporaries removed. */
static void render_on_xfsz(int sig)
{
    (void)sig;
}

void render_install_signal_handlers(void)
{
    atomicfile_install_signal_handlers();
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = render_on_signal;
    sigemptyset(&sa.sa_mask);
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        struct sigaction old;
        /* nohup and background jobs ignore some of these on purpose. */
        if (sigaction(stops[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(stops[i], &sa, NULL);
    }
    sa.sa_handler = render_on_xfsz;
    sigaction(SIGXFSZ, &sa, NULL);
}

static bool render_progress_cb(void *ctx, size_t done, size_t total, uint64_t samples, int rate)
{
    struct render_progress *rp = ctx;
    if (render_interrupted)
        return false;
    if (!rp->tty)
        return true;
    double now = render_now();
    if (now - rp->last < 0.1 && done < total)
        return true; /* ten updates a second are plenty */
    rp->last = now;
    double elapsed = now - rp->start, audio = (double)samples / rate;
    fprintf(stderr, "\rscriptcast: %zu/%zu segments, %.1f min of audio, %.0fx real time", done,
            total, audio / 60.0, elapsed > 0 ? audio / elapsed : 0.0);
    if (done < total && done > 0)
        fprintf(stderr, ", %.0f s left", elapsed * (double)(total - done) / (double)done);
    fputs("\033[K", stderr);
    if (done == total)
        fputs("\r\033[K", stderr);
    fflush(stderr);
    return true;
}

/* The output's folder, where the master spools ("." for a bare name; malloc'd). */
static char *render_dir(const char *out)
{
    const char *slash = strrchr(out, '/');
    if (!slash)
        return xstrdup(".");
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, out, slash == out ? 1 : (size_t)(slash - out));
    return strbuf_detach(&sb);
}

/*
 * What each encoder does to loudness and peaks, measured with ffmpeg's
 * ebur128 filter (lavfi.r128.I to 0.001 LU) on both bundled examples at
 * -16 LUFS, the decoded file against the samples handed to the encoder:
 * MP3 (LAME, no bit reservoir) reads 0.5 LU quieter and its true peak up
 * to 0.4 dB higher, Opus 0.1 LU quieter and 0.5 dB higher, Vorbis the same
 * loudness and 0.9 dB higher, AAC (the fast coder) 0.1 LU quieter (bench/
 * RESULTS.md has the table). The master aims that much louder, and the
 * limiter that much lower; PCM is only rounded and resampled.
 */
static void render_codec(enum audio_format fmt, double *loudness, double *margin)
{
    switch (fmt) {
    case AUDIO_WAV:
    case AUDIO_FLAC:
        *loudness = 0.0;
        *margin = 0.1;
        return;
    case AUDIO_OGG:
        *loudness = 0.0;
        *margin = 1.2;
        return;
    case AUDIO_OPUS:
        *loudness = 0.1;
        *margin = 0.8;
        return;
    case AUDIO_MP3:
        *loudness = 0.5;
        *margin = 0.8;
        return;
    default:
        *loudness = 0.1;
        *margin = 1.0;
        return;
    }
}

static void render_summarize(const struct master_report *mr, struct render_result *res)
{
    /* The file's loudness: what the encoder was given, less what it takes off. */
    res->loudness = mr->out.integrated - mr->codec_loudness;
    res->loudness_range = mr->out.range;
    res->true_peak = mr->out.true_peak;
    res->rms = res->rms_max = mr->out.rms - mr->codec_loudness;
    res->sample_peak = mr->out.peak;
    res->rms_target = mr->mode == MASTER_RMS;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < mr->nspeakers; i++) {
        double v = mr->speakers[i].out.integrated - mr->codec_loudness;
        if (!loudness_valid(v))
            continue;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    res->speaker_spread = hi >= lo ? hi - lo : 0.0;
}

void render_print_loudness(FILE *out, const struct render_result *res)
{
    if (!loudness_valid(res->loudness)) {
        fputs("scriptcast: loudness: too short to measure\n", out);
        return;
    }
    fprintf(out, "scriptcast: loudness %.1f LUFS, range %.1f LU, true peak %.1f dBTP",
            res->loudness, res->loudness_range, res->true_peak);
    fprintf(out, "; voices within %.1f LU of each other\n", res->speaker_spread);
    if (!res->rms_target)
        return;
    if (res->rms_max - res->rms >= 0.05)
        fprintf(out, "scriptcast: RMS %.1f to %.1f dBFS", res->rms, res->rms_max);
    else
        fprintf(out, "scriptcast: RMS %.1f dBFS", res->rms);
    fprintf(out, ", sample peak %.1f dBFS\n", res->sample_peak);
}

/* Writes one sidecar's text to a finished temporary. 0, or -1 (af released). */
static int render_sidecar(struct atomicfile *af, const char *path, const struct strbuf *text,
                          struct diags *d)
{
    if (atomicfile_open(af, path, d) != 0)
        return -1;
    if (fdio_write(af->fd, text->buf, text->len) != 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        atomicfile_abort(af);
        return -1;
    }
    return atomicfile_finish(af, d);
}

/* The chapters of chapters.json, to be embedded in the audio file too. */
static void render_embed_chapters(struct audio_writer *w, const struct plan *p,
                                  const struct timeline *tl)
{
    struct audio_chapter *ch = xcalloc(p->nchapters ? p->nchapters : 1, sizeof(*ch));
    for (size_t i = 0; i < p->nchapters; i++) {
        ch[i].title = p->chapters[i].title;
        ch[i].start = tl->chapters[i].start;
        ch[i].end = tl->chapters[i].end;
    }
    audio_writer_set_chapters(w, ch, p->nchapters);
    free(ch);
}

/* Writes the audio and every sidecar; all or nothing. */
static int render_run(const struct render_request *rq, const struct cli_common *o,
                      struct pipeline *pl, const char *chapters_path, enum audio_format fmt,
                      struct render_result *res, struct diags *d)
{
    const struct plan *p = &pl->plan;
    struct synth_options so = {
        .jobs = rq->jobs,
        .cache_dir = rq->cache_dir,
        .file = rq->in,
        .verbosity = o->verbosity,
        .engine = pl->engine,
    };
    struct synth *sy = synth_open(&so, d);
    if (!sy)
        return -1;
    struct publish_tags tags;
    struct audio_writer *w = NULL;
    if (publish_tags_build(&tags, pl, fmt, rq->cover, d) == 0) {
        tags.meta.bitrate = rq->bitrate;
        /* The estimate decides whether a .wav needs RF64 (more than 4 GiB). */
        uint64_t expect = assemble_expect_frames(p, synth_rate(sy));
        w = audio_writer_open_sized(rq->out, fmt, synth_rate(sy), rq->rate, 1, &tags.meta, expect,
                                    d);
    }
    const char *artist = tags.artist;
    int rc = -1;
    char *spool_dir = render_dir(rq->out);
    struct master *ms = NULL;
    struct master_report mr = {0};
    struct timeline tl = {0};
    struct atomicfile side[SIDE_COUNT];
    memset(side, 0, sizeof(side));
    const char *paths[SIDE_COUNT];
    memcpy(paths, rq->sidecar, sizeof(paths));
    paths[SIDE_CHAPTERS_JSON] = chapters_path;
    struct peaks pk;
    peaks_init(&pk, synth_rate(sy), 1);
    if (!w)
        goto done;
    if (paths[SIDE_HTML])
        audio_writer_set_peaks(w, &pk);
    struct master_options mo = {
        .mode = rq->loudness_off   ? MASTER_OFF
                : rq->loudness_rms ? MASTER_RMS
                                   : MASTER_LUFS,
        .target = rq->loudness,
        .true_peak = rq->true_peak,
        .spool_dir = spool_dir,
        .cache_dir = rq->cache_dir,
    };
    render_codec(fmt, &mo.codec_loudness, &mo.codec_margin);
    ms = master_open(&mo, synth_rate(sy), p->nspeakers, w, d);
    if (!ms)
        goto done;
    struct render_progress rp = {.tty = rq->progress && isatty(STDERR_FILENO),
                                 .start = render_now()};
    struct assemble_pad pad = {rq->head_ms, rq->tail_ms};
    if (assemble_render(p, sy, w, ms, &pad, &tl, render_progress_cb, &rp, d) < 0 ||
        master_finish(ms, &mr, d) < 0) {
        if (render_interrupted)
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "interrupted: no output written");
        goto done;
    }
    render_summarize(&mr, res);
    render_embed_chapters(w, p, &tl);
    struct keepfile *kf = audio_writer_finish(w, d);
    if (!kf)
        goto done;
    /* Every sidecar is complete and closed (as a temporary) before anything
     * is renamed, so a failure here leaves every old output untouched. */
    peaks_finish(&pk);
    struct manifest_link links[SIDE_COUNT];
    size_t nlinks = 0;
    for (int k = 0; k < SIDE_COUNT && paths[SIDE_HTML]; k++)
        if (k != SIDE_HTML && paths[k])
            links[nlinks++] = (struct manifest_link){render_link_labels[k],
                                                     render_relative(paths[k], paths[SIDE_HTML])};
    struct manifest_in m = {.plan = p,
                            .tl = &tl,
                            .audio_format = audio_format_name(fmt),
                            .artist = artist,
                            .peaks = &pk,
                            .links = links,
                            .nlinks = nlinks,
                            .date = pl->script.meta.date,
                            .description = pl->script.meta.description,
                            .loudness = &mr};
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (!paths[k])
            continue;
        struct strbuf text = STRBUF_INIT;
        m.audio_file = rq->audio_name ? rq->audio_name : render_relative(rq->out, paths[k]);
        render_formats[k](&m, &text);
        int ok = render_sidecar(&side[k], paths[k], &text, d);
        strbuf_release(&text);
        if (ok != 0)
            goto done;
    }
    if (render_interrupted) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "interrupted: no output written");
        goto done;
    }
    /* From here the outputs belong to a set: this render's own, published
     * now, or the caller's (render_chapters()), published with the others. */
    struct render_set own;
    render_set_init(&own);
    render_set_add(rq->defer ? rq->defer : &own, kf, side, paths, SIDE_COUNT);
    if (!rq->defer && render_set_publish(&own, &res->kept, d) != 0)
        goto done;
    res->seconds = timeline_seconds(&tl, tl.samples);
    rc = 0;
done:
    for (int k = 0; k < SIDE_COUNT; k++)
        atomicfile_abort(&side[k]);
    audio_writer_abort(w);
    struct synth_stats st;
    synth_get_stats(sy, &st);
    res->synthesized = st.synthesized;
    res->cached = st.cached;
    timeline_release(&tl);
    peaks_release(&pk);
    master_close(ms);
    master_report_release(&mr);
    free(spool_dir);
    publish_tags_release(&tags);
    synth_close(sy);
    return rc;
}

int render_file(const struct render_request *rq, const struct cli_common *o,
                struct render_result *res, struct diags *d)
{
    memset(res, 0, sizeof(*res));
    int fmt = audio_format_from_path(rq->out);
    if (fmt < 0) {
        diag_add(d, DIAG_ERROR, rq->out, 0, 0, NULL,
                 "unknown audio format (use .wav, .flac, .ogg, .opus, .mp3, .m4a or .m4b)");
        return -1;
    }
    char *chapters = rq->sidecar[SIDE_CHAPTERS_JSON] ? xstrdup(rq->sidecar[SIDE_CHAPTERS_JSON])
                                                     : render_chapters_path(rq->out);
    if (render_check_paths(rq, chapters, d) != 0) {
        res->usage_error = true;
        free(chapters);
        return -1;
    }
    render_sweep(rq, chapters);
    struct pipeline pl = {0};
    pl.engine_depth = synth_engine_depth(rq->jobs);
    pl.engine_turns = synth_engine_turns(rq->jobs);
    pl.engine_hold = synth_engine_hold(rq->jobs);
    int rc = pipeline_load(&pl, rq->in, o, d);
    if (rc == 0) {
        res->chapters = pl.plan.nchapters;
        res->segments = pl.plan.nsegments;
        rc = render_run(rq, o, &pl, chapters, (enum audio_format)fmt, res, d);
    }
    res->usage_error = pl.usage_error;
    pipeline_release(&pl);
    free(chapters);
    return rc;
}

char *render_numbered(const char *path, int k, int digits)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    /* A leading dot is part of the name, not an extension. */
    const char *dot = strchr(*base == '.' ? base + 1 : base, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, path, n);
    strbuf_addf(&sb, "-%0*d", digits, k);
    strbuf_adds(&sb, path + n);
    return strbuf_detach(&sb);
}

int render_chapters(const struct render_request *rq, const struct cli_common *o,
                    struct render_result *res, struct diags *d)
{
    memset(res, 0, sizeof(*res));
    /* The plan once, for the chapters to write: what --section selects. */
    struct pipeline pl = {0};
    int rc = pipeline_load(&pl, rq->in, o, d);
    size_t n = rc == 0 ? pl.plan.nchapters : 0;
    int *numbers = xcalloc(n ? n : 1, sizeof(*numbers));
    for (size_t i = 0; i < n; i++)
        numbers[i] = pl.plan.chapters[i].number;
    res->usage_error = pl.usage_error;
    pipeline_release(&pl);
    int digits = 2;
    for (int last = n ? numbers[n - 1] : 0; last >= 100; last /= 10)
        digits++;
    res->loudness = res->rms = HUGE_VAL;
    res->true_peak = res->rms_max = res->sample_peak = -HUGE_VAL;
    res->digits = digits;
    res->first_file = n ? numbers[0] : 0;
    res->last_file = n ? numbers[n - 1] : 0;
    /* Every chapter's files are published together at the end: a failure
     * in a later chapter leaves the earlier ones as they were. */
    struct render_set set;
    render_set_init(&set);
    for (size_t i = 0; rc == 0 && i < n && !render_stopped(); i++) {
        struct render_request one = *rq;
        one.defer = &set;
        char *names[SIDE_COUNT + 1] = {NULL};
        names[SIDE_COUNT] = render_numbered(rq->out, numbers[i], digits);
        one.out = names[SIDE_COUNT];
        for (int k = 0; k < SIDE_COUNT; k++)
            if (rq->sidecar[k])
                one.sidecar[k] = names[k] = render_numbered(rq->sidecar[k], numbers[i], digits);
        struct cli_common oc = *o;
        char sel[24];
        snprintf(sel, sizeof(sel), "%d", numbers[i]);
        char *sections[] = {sel};
        oc.sections = sections;
        oc.nsections = 1;
        struct render_result r;
        rc = render_file(&one, &oc, &r, d);
        if (rc == 0) {
            res->seconds += r.seconds;
            res->chapters++;
            res->segments += r.segments;
            res->synthesized += r.synthesized;
            res->cached += r.cached;
            res->kept = i == 0 ? r.kept : res->kept && r.kept;
            res->loudness = r.loudness < res->loudness ? r.loudness : res->loudness;
            res->true_peak = r.true_peak > res->true_peak ? r.true_peak : res->true_peak;
            res->loudness_range =
                r.loudness_range > res->loudness_range ? r.loudness_range : res->loudness_range;
            res->speaker_spread =
                r.speaker_spread > res->speaker_spread ? r.speaker_spread : res->speaker_spread;
            res->rms = r.rms < res->rms ? r.rms : res->rms;
            res->rms_max = r.rms > res->rms_max ? r.rms : res->rms_max;
            res->sample_peak = r.sample_peak > res->sample_peak ? r.sample_peak : res->sample_peak;
            res->rms_target = r.rms_target;
        }
        res->usage_error = res->usage_error || r.usage_error;
        for (int k = 0; k <= SIDE_COUNT; k++)
            free(names[k]);
    }
    if (rc == 0 && render_stopped()) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "interrupted");
        rc = -1;
    }
    if (rc == 0)
        rc = render_set_publish(&set, &res->kept, d);
    else
        render_set_abort(&set);
    free(numbers);
    return rc;
}
