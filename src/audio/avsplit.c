/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MP3 encoded in segments on a pool of threads (contract and the splicing
 * rule in avsplit.h). The caller's thread scans the samples for runs of
 * digital silence, fills segments and hands them to the pool; it also takes
 * finished segments back in order and passes their frames on. A run of
 * zeros is only counted, never stored, until it ends: where it ends decides
 * whether a cut falls in it, and the zeros on each side of a cut are then
 * written exactly, whatever the size of the pieces the samples came in.
 */
#include "audio/avsplit.h"
#include "audio/avenc.h"
#include "audio/lav.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Frames of silence required on each side of a cut, and the frames a
 * segment encodes before its first kept one. The splice of two instances
 * measured bit-identical to one instance's output around the cut with
 * these (and two frames either side already did). */
#define AVSPLIT_GUARD 3
#define AVSPLIT_PREROLL 2
/* Past this a segment is encoded as it grows, on the caller's thread,
 * instead of being held in memory (a programme without silence). */
#define AVSPLIT_MAX_SECONDS 120
#define AVSPLIT_MAX_THREADS 4

enum seg_state { SEG_FILLING, SEG_QUEUED, SEG_ENCODING, SEG_DONE, SEG_FAILED };

struct seg {
    int16_t *buf; /* samples held for a worker (interleaved) */
    size_t n, cap;
    uint64_t start;       /* the sample of the whole stream its input starts at */
    uint64_t keep_from;   /* first frame (of the whole stream's grid) it keeps */
    uint64_t keep_to;     /* first frame it does not keep; UINT64_MAX: all */
    struct avenc *enc;    /* open while streaming or once encoded */
    enum seg_state state; /* guarded by the splitter's mutex once queued */
    char err[200];
};

struct avsplit {
    int rate, channels, bitrate;
    uint64_t frame, delay; /* the encoder's frame size and delay, in samples */
    uint64_t min_frames;   /* grid frames a segment spans at least */
    size_t max_samples;
    avsplit_store_fn store;
    void *ctx;

    struct seg *cur; /* the segment being filled */
    uint64_t pos;    /* samples seen */
    uint64_t zfrom;  /* where the run of zeros at the end began */
    uint64_t zrun;   /* its length (0: the last sample was not silent) */
    size_t segments; /* begun so far */
    bool failed;

    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct seg **fifo; /* submitted, in stream order */
    size_t head, count, cap;
    pthread_t *threads;
    size_t nthreads;
    bool stop;
};

static void seg_free(struct seg *g)
{
    if (!g)
        return;
    free(g->buf);
    avenc_free(g->enc);
    free(g);
}

static struct seg *seg_new(uint64_t start, uint64_t keep_from)
{
    struct seg *g = xcalloc(1, sizeof(*g));
    g->start = start;
    g->keep_from = keep_from;
    g->keep_to = UINT64_MAX;
    return g;
}

static int avsplit_fail(struct avsplit *s, char *err, size_t errlen, const char *msg)
{
    s->failed = true;
    if (msg)
        snprintf(err, errlen, "%s", msg);
    return -1;
}

/* Encodes a held segment; any thread, without the mutex. */
static bool seg_encode(const struct avsplit *s, struct seg *g)
{
    g->enc = avenc_open_segment(s->rate, s->channels, s->bitrate, g->err, sizeof(g->err));
    bool ok = g->enc && avenc_write(g->enc, g->buf, g->n, g->err, sizeof(g->err)) == 0 &&
              avenc_finish(g->enc, g->err, sizeof(g->err)) == 0;
    free(g->buf);
    g->buf = NULL;
    return ok;
}

static void *avsplit_worker(void *arg)
{
    struct avsplit *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct seg *g = NULL;
        for (size_t i = 0; i < s->count && !g; i++) {
            struct seg *c = s->fifo[(s->head + i) % s->cap];
            if (c->state == SEG_QUEUED)
                g = c;
        }
        if (!g) {
            pthread_cond_wait(&s->work, &s->mu);
            continue;
        }
        g->state = SEG_ENCODING;
        pthread_mutex_unlock(&s->mu);
        bool ok = seg_encode(s, g);
        pthread_mutex_lock(&s->mu);
        g->state = ok ? SEG_DONE : SEG_FAILED;
        pthread_cond_broadcast(&s->done);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

struct avsplit *avsplit_open(int rate, int channels, int bitrate, avsplit_store_fn store, void *ctx,
                             char *err, size_t errlen)
{
    /* The grid and delay of the encoder every segment will use. */
    struct avenc *probe = avenc_open_segment(rate, channels, bitrate, err, errlen);
    if (!probe)
        return NULL;
    struct avsplit *s = xcalloc(1, sizeof(*s));
    s->rate = rate;
    s->channels = channels;
    s->bitrate = bitrate;
    s->frame = (uint64_t)avenc_frame_size(probe);
    s->delay = (uint64_t)avenc_delay(probe);
    avenc_free(probe);
    s->min_frames = ((uint64_t)AVSPLIT_MIN_SECONDS * (uint64_t)rate + s->frame - 1) / s->frame;
    s->max_samples = (size_t)AVSPLIT_MAX_SECONDS * (size_t)rate * (size_t)channels;
    s->store = store;
    s->ctx = ctx;
    s->cur = seg_new(0, 0);
    s->segments = 1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->work, NULL);
    pthread_cond_init(&s->done, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t want = cores < 1 ? 1 : cores > AVSPLIT_MAX_THREADS ? AVSPLIT_MAX_THREADS : (size_t)cores;
    s->cap = want + 2;
    s->fifo = xcalloc(s->cap, sizeof(*s->fifo));
    s->threads = xcalloc(want, sizeof(*s->threads));
    /* Signals stay with the caller's thread, whose handlers stop the render. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (s->nthreads < want &&
           pthread_create(&s->threads[s->nthreads], NULL, avsplit_worker, s) == 0)
        s->nthreads++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!s->nthreads) {
        snprintf(err, errlen, "cannot start an encoding thread");
        avsplit_free(s);
        return NULL;
    }
    return s;
}

/* Passes a finished segment's kept frames on, in the whole stream's times. */
static int avsplit_emit(struct avsplit *s, struct seg *g, char *err, size_t errlen)
{
    if (g->state == SEG_FAILED)
        return avsplit_fail(s, err, errlen, g->err);
    AVPacket *pkt = lav.av_packet_alloc();
    if (!pkt || avenc_rewind(g->enc) != 0) {
        lav.av_packet_free(&pkt);
        return avsplit_fail(s, err, errlen, "cannot read the encoded audio back");
    }
    uint64_t first = g->start / s->frame;
    int rc = 0;
    for (uint64_t j = 0; rc == 0; j++) {
        int more = avenc_next(g->enc, pkt);
        if (more <= 0) {
            if (more < 0)
                rc = avsplit_fail(s, err, errlen, "cannot read the encoded audio back");
            break;
        }
        uint64_t f = first + j;
        if (f >= g->keep_from && f < g->keep_to) {
            pkt->pts += (int64_t)g->start;
            pkt->dts += (int64_t)g->start;
            /* The encoder marks its delay on its first frame and its
             * padding on its last: only the stream's own first and last
             * count, and the first and last segments keep them. */
            if (g->start != 0 && g->keep_to != UINT64_MAX)
                lav.av_packet_free_side_data(pkt);
            if (s->store(s->ctx, pkt) != 0)
                rc = avsplit_fail(s, err, errlen, "cannot write a temporary file");
        }
        lav.av_packet_unref(pkt);
    }
    lav.av_packet_free(&pkt);
    return rc;
}

/* Emits the finished segments at the head of the queue, waiting for more
 * until fewer than room are queued (room 0: until none is). Call with the
 * mutex held. */
static int avsplit_drain(struct avsplit *s, size_t room, char *err, size_t errlen)
{
    for (;;) {
        struct seg *g = s->count ? s->fifo[s->head] : NULL;
        if (g && (g->state == SEG_DONE || g->state == SEG_FAILED)) {
            s->head = (s->head + 1) % s->cap;
            s->count--;
            pthread_mutex_unlock(&s->mu);
            int rc = avsplit_emit(s, g, err, errlen);
            seg_free(g);
            pthread_mutex_lock(&s->mu);
            if (rc != 0)
                return -1;
            continue;
        }
        if (room ? s->count < room : !s->count)
            return 0;
        pthread_cond_wait(&s->done, &s->mu);
    }
}

static int avsplit_submit(struct avsplit *s, struct seg *g, char *err, size_t errlen)
{
    if (g->enc) { /* streamed: finish it here */
        g->state = avenc_finish(g->enc, g->err, sizeof(g->err)) == 0 ? SEG_DONE : SEG_FAILED;
    } else {
        g->state = SEG_QUEUED;
    }
    pthread_mutex_lock(&s->mu);
    int rc = avsplit_drain(s, s->cap, err, errlen);
    if (rc == 0) {
        s->fifo[(s->head + s->count) % s->cap] = g;
        s->count++;
        pthread_cond_signal(&s->work);
    } else {
        seg_free(g);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

/* Appends n frames to the current segment (samples NULL: zeros). */
static int avsplit_put(struct avsplit *s, const int16_t *samples, size_t n, char *err,
                       size_t errlen)
{
    struct seg *g = s->cur;
    size_t ch = (size_t)s->channels, len = n * ch;
    if (!g->enc && g->n * ch + len > s->max_samples) {
        g->enc = avenc_open_segment(s->rate, s->channels, s->bitrate, err, errlen);
        if (!g->enc || avenc_write(g->enc, g->buf, g->n, err, errlen) != 0)
            return avsplit_fail(s, err, errlen, NULL);
        free(g->buf);
        g->buf = NULL;
        g->n = g->cap = 0;
    }
    if (g->enc) {
        static const int16_t zeros[4096];
        while (!samples && n) {
            size_t k =
                n < sizeof(zeros) / sizeof(*zeros) / ch ? n : sizeof(zeros) / sizeof(*zeros) / ch;
            if (avenc_write(g->enc, zeros, k, err, errlen) != 0)
                return avsplit_fail(s, err, errlen, NULL);
            n -= k;
        }
        if (samples && avenc_write(g->enc, samples, n, err, errlen) != 0)
            return avsplit_fail(s, err, errlen, NULL);
        return 0;
    }
    if ((g->n + n) * ch > g->cap) {
        size_t want = g->cap ? g->cap : 65536;
        while (want < (g->n + n) * ch)
            want *= 2;
        g->buf = xrealloc(g->buf, want * sizeof(*g->buf));
        g->cap = want;
    }
    if (samples)
        memcpy(g->buf + g->n * ch, samples, len * sizeof(*samples));
    else
        memset(g->buf + g->n * ch, 0, len * sizeof(*samples));
    g->n += n;
    return 0;
}

/* The run of zeros [from, to) ended (or the stream did): cut in it if the
 * current segment is long enough and the run holds a cut with its guards,
 * else keep its zeros in the segment. */
static int avsplit_run_end(struct avsplit *s, uint64_t from, uint64_t to, char *err, size_t errlen)
{
    uint64_t F = s->frame;
    uint64_t k = (from + s->delay + AVSPLIT_GUARD * F + F - 1) / F;
    uint64_t kmin = s->cur->keep_from + s->min_frames;
    if (k < kmin)
        k = kmin;
    if ((k + AVSPLIT_GUARD) * F > to)
        return avsplit_put(s, NULL, (size_t)(to - from), err, errlen);
    if (avsplit_put(s, NULL, (size_t)((k + AVSPLIT_GUARD) * F - from), err, errlen) != 0)
        return -1;
    struct seg *g = s->cur;
    g->keep_to = k;
    s->cur = seg_new((k - AVSPLIT_PREROLL) * F, k);
    s->segments++;
    if (avsplit_submit(s, g, err, errlen) != 0)
        return -1;
    return avsplit_put(s, NULL, (size_t)(to - s->cur->start), err, errlen);
}

static bool avsplit_silent(const int16_t *x, size_t ch)
{
    for (size_t c = 0; c < ch; c++)
        if (x[c])
            return false;
    return true;
}

int avsplit_write(struct avsplit *s, const int16_t *samples, size_t n, char *err, size_t errlen)
{
    if (s->failed)
        return -1;
    size_t ch = (size_t)s->channels, i = 0;
    while (i < n) {
        size_t j = i;
        if (avsplit_silent(samples + i * ch, ch)) {
            while (j < n && avsplit_silent(samples + j * ch, ch))
                j++;
            if (!s->zrun)
                s->zfrom = s->pos + i;
            s->zrun += j - i;
        } else {
            while (j < n && !avsplit_silent(samples + j * ch, ch))
                j++;
            if (s->zrun) {
                if (avsplit_run_end(s, s->zfrom, s->pos + i, err, errlen) != 0)
                    return -1;
                s->zrun = 0;
            }
            if (avsplit_put(s, samples + i * ch, j - i, err, errlen) != 0)
                return -1;
        }
        i = j;
    }
    s->pos += n;
    return 0;
}

int avsplit_finish(struct avsplit *s, char *err, size_t errlen)
{
    if (s->failed)
        return -1;
    /* Trailing silence is the last segment's: no cut after the programme. */
    if (s->zrun && avsplit_put(s, NULL, (size_t)s->zrun, err, errlen) != 0)
        return -1;
    s->zrun = 0;
    struct seg *g = s->cur;
    s->cur = NULL;
    if (avsplit_submit(s, g, err, errlen) != 0)
        return -1;
    pthread_mutex_lock(&s->mu);
    int rc = avsplit_drain(s, 0, err, errlen);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void avsplit_free(struct avsplit *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_broadcast(&s->work);
    pthread_mutex_unlock(&s->mu);
    for (size_t i = 0; i < s->nthreads; i++)
        pthread_join(s->threads[i], NULL);
    for (size_t i = 0; i < s->count; i++)
        seg_free(s->fifo[(s->head + i) % s->cap]);
    seg_free(s->cur);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->work);
    pthread_cond_destroy(&s->done);
    free(s->fifo);
    free(s->threads);
    free(s);
}

size_t avsplit_segments(const struct avsplit *s)
{
    return s->segments;
}
