/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The master stage's passes over the spool (design in master.h, state in
 * master_impl.h): pass 1 measures each speaker as synthesized, the trials
 * find the gains that land the limited programme on its target, the final
 * pass feeds the encoder. Pass 1 and the trials only measure, and on a
 * programme long enough to be sampled (MASTER_SAMPLE_MIN_S) they run in
 * two halves at once, each with meters and a limiter of its own, the
 * meters then read together (libebur128's gating over the union of both
 * halves' blocks): the second core is otherwise idle between synthesis and
 * encoding. The halves meet at a multiple of MASTER_PERIOD_S, so the
 * trials read the same stretches either way; what changes is that the
 * second half's filters and limiter start from rest, and no gating block
 * spans the seam, which moves a measurement by rounding (bench/RESULTS.md).
 * The seam depends on the programme's length alone, never on the number
 * of cores, so the bytes are the same on every machine.
 */
#include "audio/limiter.h"
#include "audio/master_impl.h"
#include "audio/master_meter.h"
#include "audio/writer.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MASTER_LOOKAHEAD_MS 5.0
#define MASTER_RELEASE_MS 80.0
#define MASTER_TRIALS 3
#define MASTER_PERIOD_S 9
#define MASTER_SPAN_S 3
#define MASTER_SAMPLE_MIN_S 600
#define MASTER_PARTS 2

/* A stretch of the spool one pass reads, with buffers of its own. */
struct master_part {
    uint64_t from, to;
    int16_t *in;
    float *fbuf;
    struct diags d;
};

typedef int (*master_chunk_fn)(struct master *m, void *ctx, int speaker, float *x, size_t n,
                               struct diags *d);

/* The index of the run that holds sample pos. */
static size_t master_run_at(const struct master *m, uint64_t pos)
{
    size_t lo = 0, hi = m->nruns;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->runs[mid].start <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool master_sampled(const struct master *m)
{
    return m->spooled > (uint64_t)MASTER_SAMPLE_MIN_S * (uint64_t)m->rate;
}

/*
 * Reads part p of the spool and calls fn on float chunks with their
 * speaker. sample: read only MASTER_SPAN_S of every MASTER_PERIOD_S
 * seconds of a sampled programme (the trials: a third of an hour of speech
 * measures its loudness and the limiter's effect to within hundredths of a
 * LU, at a third of the cost); the final pass reads all.
 */
static int master_replay(struct master *m, struct master_part *p, master_chunk_fn fn, void *ctx,
                         bool sample, struct diags *d)
{
    uint64_t period = (uint64_t)MASTER_PERIOD_S * (uint64_t)m->rate;
    uint64_t span = (uint64_t)MASTER_SPAN_S * (uint64_t)m->rate;
    sample = sample && master_sampled(m);
    uint64_t pos = p->from;
    size_t run = master_run_at(m, pos);
    while (pos < p->to) {
        if (sample && pos % period >= span) {
            pos += period - pos % period;
            continue;
        }
        while (run + 1 < m->nruns && m->runs[run + 1].start <= pos)
            run++;
        uint64_t end = run + 1 < m->nruns ? m->runs[run + 1].start : p->to;
        end = end < p->to ? end : p->to;
        if (sample && end > pos - pos % period + span)
            end = pos - pos % period + span;
        uint64_t left = end - pos;
        size_t k = left < MASTER_CHUNK ? (size_t)left : MASTER_CHUNK;
        if (fdio_pread_exact(m->fd, p->in, k * sizeof(*p->in), (off_t)(pos * sizeof(*p->in))) != 0)
            return master_fail(m, d, "cannot read the temporary for loudness normalization");
        master_to_float(p->in, p->fbuf, k);
        if (fn(m, ctx, m->nruns ? m->runs[run].speaker : -1, p->fbuf, k, d) != 0)
            return -1;
        pos += k;
    }
    return 0;
}

/* The parts a measuring pass reads: two halves of a sampled programme, else one. */
static size_t master_parts_init(const struct master *m, struct master_part *parts)
{
    size_t n = 1;
    uint64_t seam = m->spooled;
    if (master_sampled(m)) {
        uint64_t period = (uint64_t)MASTER_PERIOD_S * (uint64_t)m->rate;
        seam = m->spooled / MASTER_PARTS / period * period;
        n = seam > 0 ? MASTER_PARTS : 1;
    }
    for (size_t i = 0; i < n; i++) {
        parts[i].from = i == 0 ? 0 : seam;
        parts[i].to = i + 1 == n ? m->spooled : seam;
        parts[i].in = xmalloc(MASTER_CHUNK * sizeof(*parts[i].in));
        parts[i].fbuf = xmalloc(MASTER_CHUNK * sizeof(*parts[i].fbuf));
        diag_init(&parts[i].d);
    }
    return n;
}

static void master_parts_release(struct master_part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(parts[i].in);
        free(parts[i].fbuf);
        diag_release(&parts[i].d);
    }
}

/* One part's work: 0, or -1 with a diagnostic in p->d. */
typedef int (*master_part_fn)(struct master *m, struct master_part *p, void *job);

struct master_worker {
    struct master *m;
    struct master_part *p;
    void *job;
    master_part_fn fn;
    int rc;
};

static void *master_worker_main(void *arg)
{
    struct master_worker *w = arg;
    w->rc = w->fn(w->m, w->p, w->job);
    return NULL;
}

/*
 * Runs fn on every part, the first on this thread and the others on
 * threads of their own (one after the other here if a thread cannot be
 * had: the same result). Diagnostics reach d in the parts' order. 0, or -1.
 */
static int master_parts_run(struct master *m, struct master_part *parts, size_t n, void **jobs,
                            master_part_fn fn, struct diags *d)
{
    struct master_worker w[MASTER_PARTS];
    memset(w, 0, sizeof(w));
    pthread_t th[MASTER_PARTS];
    bool started[MASTER_PARTS] = {false};
    for (size_t i = 0; i < n; i++)
        w[i] = (struct master_worker){m, &parts[i], jobs[i], fn, 0};
    for (size_t i = 1; i < n; i++)
        started[i] = pthread_create(&th[i], NULL, master_worker_main, &w[i]) == 0;
    master_worker_main(&w[0]);
    int rc = w[0].rc;
    for (size_t i = 1; i < n; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else
            master_worker_main(&w[i]);
        rc = rc == 0 ? w[i].rc : rc;
    }
    for (size_t i = 0; i < n; i++)
        diag_move(d, &parts[i].d);
    return rc;
}

static void master_apply(const double *gain, int speaker, double extra, float *x, size_t n)
{
    if (speaker < 0)
        return; /* silence stays silence */
    float g = (float)(gain[speaker] * extra);
    for (size_t i = 0; i < n; i++)
        x[i] *= g;
}

/* Passes 2 and 3: gains, limiter, quantization, measurement, (encoder). */
struct master_out {
    const double *gain;
    double master;
    struct limiter *lim;
    size_t skip; /* limiter latency still to drop */
    float *lbuf;
    int16_t *obuf;
    struct master_span *spans; /* MASTER_CHUNK of them */
    int *spk_of;               /* speaker of each sample in the limiter's delay, a ring */
    size_t spk_len, spk_pos;
    struct loudness *prog; /* NULL in a trial: the speakers' meters together are the programme */
    struct loudness **spk;
    struct master_meter *meter; /* the final pass's meters' thread, or NULL: inline */
    bool write;                 /* false: a trial run, measured only */
    bool measure;               /* false: the final pass of a cache hit, which knows the numbers */
    int last_sp;                /* trial: who spoke last; pauses count towards them */
    uint64_t nobody;            /* trial: samples before anyone spoke */
};

static int master_out_block(struct master *m, struct master_out *mo, const float *x, int speaker,
                            size_t n, struct diags *d)
{
    limiter_process(mo->lim, x, mo->lbuf, n);
    size_t from = mo->skip < n ? mo->skip : n;
    mo->skip -= from;
    size_t k = n - from;
    const float *y = mo->lbuf + from;
    for (size_t i = 0; i < k; i++) {
        float v = y[i] * 32768.0f;
        v = v > 32767.0f ? 32767.0f : v < -32768.0f ? -32768.0f : v;
        mo->obuf[i] = (int16_t)lrintf(v);
    }
    if (!mo->measure)
        return k && mo->write ? audio_writer_write(m->w, mo->obuf, k, d) : 0;
    /* Per speaker: the samples leaving the limiter belong to whoever spoke
     * its latency ago; the ring remembers, and each stretch of one speaker
     * is measured in one call. */
    size_t run_from = 0, nspans = 0;
    int run_sp = -1;
    for (size_t i = 0; i <= n; i++) {
        int sp = -1;
        if (i < n) {
            sp = mo->spk_of[mo->spk_pos];
            mo->spk_of[mo->spk_pos] = speaker;
            mo->spk_pos = mo->spk_pos + 1 == mo->spk_len ? 0 : mo->spk_pos + 1;
            if (i < from)
                continue;
            /* A trial has no programme meter: a pause is measured with the
             * speech before it, so the speakers' blocks together are the
             * programme's. */
            if (!mo->prog) {
                if (sp < 0 && mo->last_sp < 0)
                    mo->nobody++;
                sp = sp < 0 ? mo->last_sp : sp;
                mo->last_sp = sp;
            }
        }
        if (i < n && sp == run_sp)
            continue;
        if (run_sp >= 0 && i > run_from)
            mo->spans[nspans++] =
                (struct master_span){run_sp, (uint32_t)(run_from - from), (uint32_t)(i - run_from)};
        run_sp = sp;
        run_from = i;
    }
    /* Measure what the encoder gets: the quantized samples. */
    if (mo->meter) {
        master_meter_put(mo->meter, mo->obuf, k, mo->spans, nspans);
    } else if (master_meter_block(mo->prog, mo->spk, mo->obuf, k, mo->spans, nspans, mo->lbuf) !=
               0) {
        errno = ENOMEM;
        return master_fail(m, d, "cannot measure loudness");
    }
    return k && mo->write ? audio_writer_write(m->w, mo->obuf, k, d) : 0;
}

static int master_out_chunk(struct master *m, void *ctx, int speaker, float *x, size_t n,
                            struct diags *d)
{
    struct master_out *mo = ctx;
    master_apply(mo->gain, speaker, mo->master, x, n);
    return master_out_block(m, mo, x, speaker, n, d);
}

static void master_out_release(struct master_out *mo, size_t nspeakers)
{
    for (size_t i = 0; i < nspeakers; i++)
        loudness_close(mo->spk[i]);
    free(mo->spk);
    loudness_close(mo->prog);
    limiter_close(mo->lim);
    free(mo->lbuf);
    free(mo->obuf);
    free(mo->spans);
    free(mo->spk_of);
}

/*
 * The state of a pass through gains and limiter. write: the final pass,
 * which feeds the encoder and (when measure) measures everything; else a
 * trial, which measures each speaker's loudness only. 0, or -1 when a meter
 * cannot be had (mo released).
 */
static int master_out_init(struct master *m, struct master_out *mo, const double *gain,
                           double master_db, bool write, bool measure)
{
    enum loudness_what what = write ? LOUDNESS_FULL : LOUDNESS_INTEGRATED;
    double ceiling = loudness_linear(m->o.true_peak - m->o.codec_margin);
    *mo = (struct master_out){
        .gain = gain,
        .master = loudness_linear(master_db),
        .lim = limiter_open(m->rate, ceiling, MASTER_LOOKAHEAD_MS, MASTER_RELEASE_MS),
        .lbuf = xmalloc(MASTER_CHUNK * sizeof(float)),
        .obuf = xmalloc(MASTER_CHUNK * sizeof(int16_t)),
        .spans = xmalloc(MASTER_CHUNK * sizeof(struct master_span)),
        .prog = write && measure ? loudness_open(m->rate, what) : NULL,
        .last_sp = -1,
        .spk = xcalloc(m->nspeakers ? m->nspeakers : 1, sizeof(*mo->spk)),
        .write = write,
        .measure = measure,
    };
    mo->skip = limiter_latency(mo->lim);
    mo->spk_len = mo->skip + 1;
    mo->spk_of = xmalloc(mo->spk_len * sizeof(*mo->spk_of));
    for (size_t i = 0; i < mo->spk_len; i++)
        mo->spk_of[i] = -1;
    bool ok = !(write && measure && !mo->prog);
    for (size_t i = 0; measure && i < m->nspeakers; i++)
        ok = (mo->spk[i] = loudness_open(m->rate, what)) != NULL && ok;
    if (!ok) {
        master_out_release(mo, m->nspeakers);
        return -1;
    }
    return 0;
}

/* Part p through mo, then the limiter drained: its latency in silence
 * pushes the last samples out. */
static int master_out_part(struct master *m, struct master_part *p, struct master_out *mo,
                           struct diags *d)
{
    int rc = master_replay(m, p, master_out_chunk, mo, !mo->write, d);
    for (size_t left = limiter_latency(mo->lim); rc == 0 && left > 0;) {
        size_t k = left < MASTER_CHUNK ? left : MASTER_CHUNK;
        memset(p->fbuf, 0, k * sizeof(*p->fbuf));
        rc = master_out_block(m, mo, p->fbuf, -1, k, d);
        left -= k;
    }
    return rc;
}

int master_emit(struct master *m, const double *gain, double master_db, struct loudness_stats *prog,
                struct loudness_stats *spk, struct master_report *rep, struct diags *d)
{
    bool measure = prog && spk;
    struct master_out mo;
    if (master_out_init(m, &mo, gain, master_db, true, measure) != 0) {
        errno = ENOMEM;
        return master_fail(m, d, "cannot measure loudness");
    }
    if (measure)
        mo.meter = master_meter_start(mo.prog, mo.spk);
    struct master_part p = {0, m->spooled, m->sbuf, m->fbuf, {0}};
    int rc = master_out_part(m, &p, &mo, d);
    if (master_meter_stop(mo.meter) != 0 && rc == 0) {
        errno = ENOMEM;
        rc = master_fail(m, d, "cannot measure loudness");
    }
    if (rc == 0 && prog && spk) {
        loudness_get(mo.prog, prog);
        for (size_t i = 0; i < m->nspeakers; i++)
            loudness_get(mo.spk[i], &spk[i]);
        rep->limiter_max_db = limiter_max_reduction_db(mo.lim);
        rep->limited_seconds = (double)limiter_reduced_samples(mo.lim) / m->rate;
    }
    master_out_release(&mo, m->nspeakers);
    return rc;
}

static int master_trial_part(struct master *m, struct master_part *p, void *job)
{
    return master_out_part(m, p, job, &p->d);
}

/* One trial: the programme's loudness (or RMS) and each speaker's. */
static int master_trial_once(struct master *m, const double *gain, double gm,
                             struct loudness_stats *prog, struct loudness_stats *spk,
                             struct diags *d)
{
    struct master_part parts[MASTER_PARTS];
    struct master_out mo[MASTER_PARTS];
    void *jobs[MASTER_PARTS];
    size_t n = master_parts_init(m, parts), ready = 0;
    for (; ready < n; ready++) {
        if (master_out_init(m, &mo[ready], gain, gm, false, true) != 0)
            break;
        jobs[ready] = &mo[ready];
    }
    int rc = -1;
    if (ready < n) {
        errno = ENOMEM;
        master_fail(m, d, "cannot measure loudness");
    } else {
        rc = master_parts_run(m, parts, n, jobs, master_trial_part, d);
    }
    if (rc == 0) {
        /* Pauses were measured with the speech before them, so the
         * speakers' blocks together are the programme's. */
        size_t ns = m->nspeakers;
        struct loudness **all = xcalloc(n * ns + 1, sizeof(*all));
        uint64_t nobody = 0;
        for (size_t k = 0; k < n; k++) {
            memcpy(all + k * ns, mo[k].spk, ns * sizeof(*all));
            nobody += mo[k].nobody;
        }
        memset(prog, 0, sizeof(*prog));
        loudness_get_multiple(all, n * ns, nobody, &prog->integrated, &prog->rms);
        for (size_t i = 0; i < ns; i++) {
            struct loudness *each[MASTER_PARTS];
            for (size_t k = 0; k < n; k++)
                each[k] = mo[k].spk[i];
            memset(&spk[i], 0, sizeof(spk[i]));
            loudness_get_multiple(each, n, 0, &spk[i].integrated, &spk[i].rms);
        }
        free(all);
    }
    for (size_t k = 0; k < ready; k++)
        master_out_release(&mo[k], m->nspeakers);
    master_parts_release(parts, n);
    return rc;
}

/*
 * The trial passes: the levelled programme through the limiter, measured.
 * The limiter takes more off a voice with sharper peaks, and takes
 * loudness off the whole, more the harder it is driven (on the English
 * example, 1 dB more gain gives only 0.4 LU more loudness). Each trial
 * corrects every speaker's gain by how far it sits from the speakers'
 * mean, and the master gain by how far the programme sits from the target:
 * the first steps assume slope 1 (the speaker corrections move the
 * programme too, and would spoil a slope), the last one takes the secant
 * of the two trials before it, whose speaker gains hardly differ. Three
 * trials land within 0.1 LU on our examples.
 */
int master_trial(struct master *m, double *gain, struct master_report *rep, struct diags *d)
{
    struct loudness_stats prog;
    struct loudness_stats *spk = xcalloc(m->nspeakers ? m->nspeakers : 1, sizeof(*spk));
    double gm = 0, gm_prev = 0, level_prev = 0;
    int rc = 0;
    for (int t = 0; rc == 0 && t < MASTER_TRIALS; t++) {
        rc = master_trial_once(m, gain, gm, &prog, spk, d);
        double level = m->o.mode == MASTER_LUFS ? prog.integrated : prog.rms;
        if (rc != 0 || !loudness_valid(level))
            break;
        double slope = 1.0;
        if (t == MASTER_TRIALS - 1 && t > 0 && gm != gm_prev)
            slope = (level - level_prev) / (gm - gm_prev);
        /* A limiter never makes the programme grow faster than its gain. */
        slope = slope > 1.0 ? 1.0 : slope < 0.2 ? 0.2 : slope;
        gm_prev = gm;
        level_prev = level;
        gm += (m->o.target + m->o.codec_loudness - level) / slope;
        /* Speakers move towards their mean, so the programme stays put. */
        double mean = 0;
        size_t counted = 0;
        for (size_t i = 0; i < m->nspeakers; i++) {
            if (loudness_valid(spk[i].integrated)) {
                mean += spk[i].integrated;
                counted++;
            }
        }
        mean = counted ? mean / (double)counted : 0.0;
        for (size_t i = 0; i < m->nspeakers; i++) {
            if (!loudness_valid(spk[i].integrated))
                continue;
            double c = mean - spk[i].integrated;
            c = c > 3.0 ? 3.0 : c < -3.0 ? -3.0 : c;
            rep->speakers[i].gain_db += c;
            gain[i] = loudness_linear(rep->speakers[i].gain_db);
        }
    }
    rep->master_gain_db = gm;
    free(spk);
    return rc;
}

/* Pass 1, normalization on: each speaker's loudness as synthesized. */
static int master_measure_chunk(struct master *m, void *ctx, int speaker, float *x, size_t n,
                                struct diags *d)
{
    struct loudness **spk = ctx;
    if (speaker >= 0 && loudness_add(spk[speaker], x, n) != 0) {
        errno = ENOMEM;
        return master_fail(m, d, "cannot measure loudness");
    }
    return 0;
}

static int master_measure_part(struct master *m, struct master_part *p, void *job)
{
    return master_replay(m, p, master_measure_chunk, job, false, &p->d);
}

int master_measure(struct master *m, struct loudness_stats *in, struct diags *d)
{
    struct master_part parts[MASTER_PARTS];
    size_t n = master_parts_init(m, parts), ns = m->nspeakers;
    struct loudness **spk = xcalloc(n * ns + 1, sizeof(*spk));
    void *jobs[MASTER_PARTS];
    bool ok = true;
    for (size_t k = 0; k < n; k++) {
        jobs[k] = spk + k * ns;
        for (size_t i = 0; i < ns; i++)
            ok = (spk[k * ns + i] = loudness_open(m->rate, LOUDNESS_INTEGRATED)) != NULL && ok;
    }
    int rc = -1;
    if (!ok) {
        errno = ENOMEM;
        master_fail(m, d, "cannot measure loudness");
    } else {
        rc = master_parts_run(m, parts, n, jobs, master_measure_part, d);
    }
    for (size_t i = 0; rc == 0 && i < ns; i++) {
        if (n == 1) {
            loudness_get(spk[i], &in[i]);
            continue;
        }
        struct loudness *each[MASTER_PARTS];
        memset(&in[i], 0, sizeof(in[i]));
        in[i].true_peak = in[i].peak = -HUGE_VAL;
        for (size_t k = 0; k < n; k++) {
            each[k] = spk[k * ns + i];
            struct loudness_stats one;
            loudness_get(each[k], &one);
            in[i].frames += one.frames;
        }
        loudness_get_multiple(each, n, 0, &in[i].integrated, &in[i].rms);
    }
    for (size_t i = 0; i < n * ns; i++)
        loudness_close(spk[i]);
    free(spk);
    master_parts_release(parts, n);
    return rc;
}
