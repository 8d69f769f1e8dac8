/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The master stage (design and contract in master.h): the spool and the
 * cache key built while assembly runs (or, with normalization off, samples
 * measured and passed straight on), then master_finish(), which runs the
 * passes over the spool (master_pass.c) or, on a cached record, only the
 * last one.
 */
#include "audio/master.h"
#include "audio/master_cache.h"
#include "audio/master_impl.h"
#include "audio/writer.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define MASTER_SPOOL_BUF (1u << 16) /* samples buffered before a write to the spool */
/* Bump when anything passes 1 to 3 compute changes: cached records then miss.
 * 2: long programmes measured in two halves (master_pass.c). */
#define MASTER_ALGORITHM 2

int master_fail(struct master *m, struct diags *d, const char *what)
{
    diag_add(d, DIAG_SYSTEM, m->spool_path ? m->spool_path : m->o.spool_dir, 0, 0, NULL, "%s: %s",
             what, strerror(errno));
    return -1;
}

static int master_spool_open(struct master *m, struct diags *d)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, m->o.spool_dir && *m->o.spool_dir ? m->o.spool_dir : ".");
    strbuf_adds(&sb, "/.scriptcast-master-XXXXXX");
    m->spool_path = strbuf_detach(&sb);
    m->fd = mkstemp(m->spool_path);
    if (m->fd < 0)
        return master_fail(m, d, "cannot create the temporary for loudness normalization");
    /* Unlinked at once: no file is ever left behind, whatever happens to us. */
    unlink(m->spool_path);
    m->sbuf = xmalloc(MASTER_SPOOL_BUF * sizeof(*m->sbuf));
    return 0;
}

struct master *master_open(const struct master_options *o, int rate, size_t nspeakers,
                           struct audio_writer *w, struct diags *d)
{
    struct master *m = xcalloc(1, sizeof(*m));
    m->o = *o;
    m->rate = rate;
    m->nspeakers = nspeakers;
    m->w = w;
    m->fd = -1;
    m->fbuf = xmalloc(MASTER_CHUNK * sizeof(*m->fbuf));
    m->spk = xcalloc(nspeakers ? nspeakers : 1, sizeof(*m->spk));
    bool ok = true;
    for (size_t i = 0; o->mode == MASTER_OFF && i < nspeakers; i++)
        ok = ok && (m->spk[i] = loudness_open(rate, LOUDNESS_FULL)) != NULL;
    if (o->mode == MASTER_OFF)
        ok = ok && (m->prog = loudness_open(rate, LOUDNESS_FULL)) != NULL;
    if (!ok) {
        errno = ENOMEM;
        master_fail(m, d, "cannot measure loudness");
        master_close(m);
        return NULL;
    }
    if (o->mode != MASTER_OFF && master_spool_open(m, d) != 0) {
        master_close(m);
        return NULL;
    }
    if (o->mode != MASTER_OFF && (m->key = XXH3_createState()) != NULL) {
        XXH3_128bits_reset(m->key);
        int32_t head[4] = {MASTER_ALGORITHM, (int32_t)o->mode, rate, (int32_t)nspeakers};
        double opt[4] = {o->target, o->true_peak, o->codec_margin, o->codec_loudness};
        XXH3_128bits_update(m->key, head, sizeof(head));
        XXH3_128bits_update(m->key, opt, sizeof(opt));
        XXH3_128bits_update(m->key, SCRIPTCAST_VERSION, sizeof(SCRIPTCAST_VERSION));
    }
    return m;
}

void master_close(struct master *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nspeakers; i++)
        loudness_close(m->spk[i]);
    free(m->spk);
    loudness_close(m->prog);
    if (m->fd >= 0)
        close(m->fd);
    free(m->spool_path);
    free(m->sbuf);
    free(m->fbuf);
    free(m->runs);
    if (m->key)
        XXH3_freeState(m->key);
    free(m);
}

static void master_mark(struct master *m, int speaker)
{
    if (m->nruns && m->runs[m->nruns - 1].speaker == speaker)
        return;
    if (m->nruns && m->runs[m->nruns - 1].start == m->pos) {
        m->runs[m->nruns - 1].speaker = speaker;
        return;
    }
    XGROW(m->runs, m->runs_cap, m->nruns + 1);
    m->runs[m->nruns++] = (struct master_run){m->pos, speaker};
}

static int master_spool_flush(struct master *m, struct diags *d)
{
    if (!m->sn)
        return 0;
    if (fdio_write(m->fd, m->sbuf, m->sn * sizeof(*m->sbuf)) != 0)
        return master_fail(m, d, "cannot write the temporary for loudness normalization");
    m->spooled += m->sn;
    m->sn = 0;
    return 0;
}

void master_to_float(const int16_t *s, float *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f[i] = (float)s[i] * (1.0f / 32768.0f);
}

/* Samples (NULL: silence) for speaker (-1: none). */
static int master_feed(struct master *m, int speaker, const int16_t *s, size_t n, struct diags *d)
{
    if (speaker >= (int)m->nspeakers)
        speaker = -1;
    master_mark(m, s ? speaker : -1);
    while (n > 0) {
        size_t k = n < MASTER_CHUNK ? n : MASTER_CHUNK;
        if (s)
            master_to_float(s, m->fbuf, k);
        else
            memset(m->fbuf, 0, k * sizeof(*m->fbuf));
        /* Normalization on: pass 1 measures on the way back (see master.h). */
        bool now = m->o.mode == MASTER_OFF;
        if ((now && s && speaker >= 0 && loudness_add(m->spk[speaker], m->fbuf, k) != 0) ||
            (m->prog && loudness_add(m->prog, m->fbuf, k) != 0)) {
            errno = ENOMEM;
            return master_fail(m, d, "cannot measure loudness");
        }
        if (m->o.mode == MASTER_OFF) {
            int rc = s ? audio_writer_write(m->w, s, k, d) : audio_writer_silence(m->w, k, d);
            if (rc != 0)
                return -1;
        } else {
            if (m->sn + k > MASTER_SPOOL_BUF && master_spool_flush(m, d) != 0)
                return -1;
            if (s)
                memcpy(m->sbuf + m->sn, s, k * sizeof(*s));
            else
                memset(m->sbuf + m->sn, 0, k * sizeof(*s));
            if (m->key)
                XXH3_128bits_update(m->key, m->sbuf + m->sn, k * sizeof(*s));
            m->sn += k;
        }
        m->pos += k;
        if (s)
            s += k;
        n -= k;
    }
    return 0;
}

int master_write(struct master *m, int speaker, const int16_t *s, size_t n, struct diags *d)
{
    return master_feed(m, speaker, s, n, d);
}

int master_silence(struct master *m, size_t n, struct diags *d)
{
    return master_feed(m, -1, NULL, n, d);
}

/* The levelling gains: each speaker to the target; unmeasurable ones get the mean. */
static void master_speaker_gains(struct master *m, struct master_report *rep, double *gain)
{
    double sum = 0;
    size_t counted = 0;
    for (size_t i = 0; i < m->nspeakers; i++) {
        const struct loudness_stats *in = &rep->speakers[i].in;
        double g = NAN;
        if (m->o.mode != MASTER_OFF && loudness_valid(in->integrated)) {
            /* RMS targets level the voices at that many LUFS: near enough for speech. */
            double target = m->o.target + m->o.codec_loudness;
            g = target - in->integrated;
            g = g > MASTER_MAX_GAIN_DB    ? MASTER_MAX_GAIN_DB
                : g < -MASTER_MAX_GAIN_DB ? -MASTER_MAX_GAIN_DB
                                          : g;
            sum += g;
            counted++;
        }
        rep->speakers[i].gain_db = g;
    }
    double fallback = counted ? sum / (double)counted : 0.0;
    for (size_t i = 0; i < m->nspeakers; i++) {
        if (isnan(rep->speakers[i].gain_db))
            rep->speakers[i].gain_db = m->o.mode == MASTER_OFF ? 0.0 : fallback;
        gain[i] = loudness_linear(rep->speakers[i].gain_db);
    }
}

/* The cache key: what master_open() began, then every sample, then who spoke where. */
static bool master_key(struct master *m, struct master_cache_key *k)
{
    if (!m->key || !m->o.cache_dir)
        return false;
    for (size_t i = 0; i < m->nruns; i++) {
        int64_t run[2] = {(int64_t)m->runs[i].start, m->runs[i].speaker};
        XXH3_128bits_update(m->key, run, sizeof(run));
    }
    XXH128_hash_t h = XXH3_128bits_digest(m->key);
    k->lo = h.low64;
    k->hi = h.high64;
    return true;
}

static void master_report_init(struct master *m, struct master_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    rep->mode = m->o.mode;
    rep->target = m->o.target;
    rep->codec_loudness = m->o.codec_loudness;
    rep->nspeakers = m->nspeakers;
    rep->speakers = xcalloc(m->nspeakers ? m->nspeakers : 1, sizeof(*rep->speakers));
}

int master_finish(struct master *m, struct master_report *rep, struct diags *d)
{
    double *gain = xmalloc((m->nspeakers ? m->nspeakers : 1) * sizeof(*gain));
    int rc = 0;
    if (m->o.mode == MASTER_OFF) {
        master_report_init(m, rep);
        for (size_t i = 0; i < m->nspeakers; i++)
            loudness_get(m->spk[i], &rep->speakers[i].in);
        master_speaker_gains(m, rep, gain);
        loudness_get(m->prog, &rep->out);
        for (size_t i = 0; i < m->nspeakers; i++)
            rep->speakers[i].out = rep->speakers[i].in;
        free(gain);
        return 0;
    }
    rc = master_spool_flush(m, d);
    struct master_cache_key key;
    bool keyed = rc == 0 && master_key(m, &key);
    if (keyed && master_cache_load(m->o.cache_dir, &key, m->nspeakers, rep)) {
        for (size_t i = 0; i < m->nspeakers; i++)
            gain[i] = loudness_linear(rep->speakers[i].gain_db);
        rc = master_emit(m, gain, rep->master_gain_db, NULL, NULL, rep, d);
        free(gain);
        return rc;
    }
    master_report_init(m, rep);
    struct loudness_stats *in = xcalloc(m->nspeakers ? m->nspeakers : 1, sizeof(*in));
    if (rc == 0)
        rc = master_measure(m, in, d);
    for (size_t i = 0; i < m->nspeakers; i++)
        rep->speakers[i].in = in[i];
    free(in);
    if (rc == 0)
        master_speaker_gains(m, rep, gain);
    if (rc == 0)
        rc = master_trial(m, gain, rep, d);
    struct loudness_stats *spk = xcalloc(m->nspeakers ? m->nspeakers : 1, sizeof(*spk));
    if (rc == 0)
        rc = master_emit(m, gain, rep->master_gain_db, &rep->out, spk, rep, d);
    for (size_t i = 0; i < m->nspeakers; i++)
        rep->speakers[i].out = spk[i];
    free(spk);
    if (rc == 0 && keyed)
        master_cache_store(m->o.cache_dir, &key, rep);
    free(gain);
    return rc;
}

void master_report_release(struct master_report *rep)
{
    free(rep->speakers);
    memset(rep, 0, sizeof(*rep));
}
