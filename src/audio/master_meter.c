/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The final pass's meters (contract in master_meter.h): measuring the
 * programme and every speaker (K-weighting, gating, true peak) costs more
 * than the limiter, so they run in a thread of their own while the pass
 * goes on, fed blocks through a short queue in the order they were made.
 */
#include "audio/master_meter.h"
#include "audio/master_impl.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Measures a block of quantized samples: the whole into prog (when there
 * is one), each span into its speaker's meter. fbuf holds n floats. 0, or
 * -1 when a meter fails (out of memory). */
int master_meter_block(struct loudness *prog, struct loudness **spk, const int16_t *s, size_t n,
                       const struct master_span *spans, size_t nspans, float *fbuf)
{
    master_to_float(s, fbuf, n);
    if (prog && loudness_add(prog, fbuf, n) != 0)
        return -1;
    for (size_t i = 0; i < nspans; i++)
        if (loudness_add(spk[spans[i].speaker], fbuf + spans[i].at, spans[i].len) != 0)
            return -1;
    return 0;
}

/*
 * The final pass's meters in a thread of their own: measuring the
 * programme and every speaker (K-weighting, gating, true peak) costs more
 * than the limiter, and a WAV render otherwise does both on one core. The
 * blocks reach the meters in the order they were made, so the figures are
 * those of measuring inline.
 */
#define MASTER_METER_QUEUE 8

struct master_mblock {
    int16_t s[MASTER_CHUNK];
    struct master_span spans[MASTER_CHUNK];
    size_t n, nspans;
};

struct master_meter {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    struct master_mblock *q;
    size_t head, count;
    bool done, failed;
    pthread_t th;
    struct loudness *prog;
    struct loudness **spk;
    float fbuf[MASTER_CHUNK];
};

static void *master_meter_main(void *arg)
{
    struct master_meter *mt = arg;
    pthread_mutex_lock(&mt->mu);
    for (;;) {
        while (!mt->count && !mt->done)
            pthread_cond_wait(&mt->changed, &mt->mu);
        if (!mt->count)
            break;
        struct master_mblock *b = &mt->q[mt->head];
        pthread_mutex_unlock(&mt->mu);
        bool bad = !mt->failed && master_meter_block(mt->prog, mt->spk, b->s, b->n, b->spans,
                                                     b->nspans, mt->fbuf) != 0;
        pthread_mutex_lock(&mt->mu);
        mt->failed = mt->failed || bad;
        mt->head = (mt->head + 1) % MASTER_METER_QUEUE;
        mt->count--;
        pthread_cond_broadcast(&mt->changed);
    }
    pthread_mutex_unlock(&mt->mu);
    return NULL;
}

/* Starts the meter thread on the meters given; NULL when it cannot be had
 * (the caller then measures inline: the same figures). */
struct master_meter *master_meter_start(struct loudness *prog, struct loudness **spk)
{
    struct master_meter *mt = xcalloc(1, sizeof(*mt));
    mt->q = xmalloc(MASTER_METER_QUEUE * sizeof(*mt->q));
    mt->prog = prog;
    mt->spk = spk;
    pthread_mutex_init(&mt->mu, NULL);
    pthread_cond_init(&mt->changed, NULL);
    if (pthread_create(&mt->th, NULL, master_meter_main, mt) != 0) {
        pthread_mutex_destroy(&mt->mu);
        pthread_cond_destroy(&mt->changed);
        free(mt->q);
        free(mt);
        return NULL;
    }
    return mt;
}

/* Hands a block to the thread, waiting for room. */
void master_meter_put(struct master_meter *mt, const int16_t *s, size_t n,
                      const struct master_span *spans, size_t nspans)
{
    pthread_mutex_lock(&mt->mu);
    while (mt->count == MASTER_METER_QUEUE)
        pthread_cond_wait(&mt->changed, &mt->mu);
    struct master_mblock *b = &mt->q[(mt->head + mt->count) % MASTER_METER_QUEUE];
    pthread_mutex_unlock(&mt->mu);
    /* The slot is ours until count says otherwise: the thread reads only
     * counted slots. */
    memcpy(b->s, s, n * sizeof(*s));
    memcpy(b->spans, spans, nspans * sizeof(*spans));
    b->n = n;
    b->nspans = nspans;
    pthread_mutex_lock(&mt->mu);
    mt->count++;
    pthread_cond_broadcast(&mt->changed);
    pthread_mutex_unlock(&mt->mu);
}

/* Waits for every block to be measured and ends the thread. 0, or -1 when
 * a meter failed. NULL is allowed. */
int master_meter_stop(struct master_meter *mt)
{
    if (!mt)
        return 0;
    pthread_mutex_lock(&mt->mu);
    mt->done = true;
    pthread_cond_broadcast(&mt->changed);
    pthread_mutex_unlock(&mt->mu);
    pthread_join(mt->th, NULL);
    int rc = mt->failed ? -1 : 0;
    pthread_mutex_destroy(&mt->mu);
    pthread_cond_destroy(&mt->changed);
    free(mt->q);
    free(mt);
    return rc;
}
