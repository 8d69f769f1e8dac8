/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The writer's encoding thread (writer_io.h). audio_writer_write() copies
 * the samples into a ring of blocks and returns; this thread resamples and
 * encodes them, so that encoding runs beside the work of the caller
 * (assembly and the master stage's passes) on a core of its own instead of
 * after it. The blocks go to the encoder in order, exactly as a direct call
 * would have passed them, so the bytes do not depend on the thread.
 * Diagnostics the thread raises are kept in its own list and moved to the
 * caller's at the next call that can report them.
 */
#include "audio/writer_io.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

/* Blocks of WRITER_CHUNK frames: 64 are 12 s at 22050 Hz, 512 KiB. */
#define PIPE_BLOCKS 64

struct writer_block {
    int16_t *samples; /* WRITER_CHUNK * channels values */
    size_t n;         /* frames */
    bool silence;     /* n frames of zeros, samples unused (n may exceed a block) */
};

struct writer_pipe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    struct writer_block blocks[PIPE_BLOCKS];
    size_t head, count; /* the next block to encode; blocks queued */
    bool busy;          /* the thread is encoding a block it took */
    bool closing;       /* no more blocks will come */
    bool discard;       /* abort: drop what is queued */
    bool failed;        /* the thread's diagnostic is in diags */
    struct diags diags;
};

static void *writer_pipe_main(void *arg)
{
    struct audio_writer *w = arg;
    struct writer_pipe *p = w->pipe;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->count && !p->closing)
            pthread_cond_wait(&p->ready, &p->mu);
        if (!p->count)
            break;
        struct writer_block *b = &p->blocks[p->head];
        bool skip = p->failed || p->discard;
        p->busy = true;
        pthread_mutex_unlock(&p->mu);
        bool ok = skip || writer_feed_now(w, b->silence ? NULL : b->samples, b->n, &p->diags) == 0;
        pthread_mutex_lock(&p->mu);
        p->busy = false;
        p->failed |= !ok;
        p->head = (p->head + 1) % PIPE_BLOCKS;
        p->count--;
        pthread_cond_broadcast(&p->space);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int writer_pipe_start(struct audio_writer *w, struct diags *d)
{
    struct writer_pipe *p = xcalloc(1, sizeof(*p));
    for (size_t i = 0; i < PIPE_BLOCKS; i++)
        p->blocks[i].samples =
            xmalloc((size_t)WRITER_CHUNK * (size_t)w->channels * sizeof(int16_t));
    diag_init(&p->diags);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->space, NULL);
    w->pipe = p;
    /* Signals stay with the caller's thread, whose handlers stop the render. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&p->thread, NULL, writer_pipe_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "cannot start the encoding thread: %s",
                 strerror(rc));
        writer_pipe_free(w);
        return -1;
    }
    return 0;
}

/* Moves the thread's diagnostics to d, once. Call with the thread idle or joined. */
static void writer_pipe_report(struct writer_pipe *p, struct diags *d)
{
    for (size_t i = 0; i < p->diags.n; i++) {
        const struct diag *g = &p->diags.v[i];
        diag_add(d, g->level, g->file, g->line, g->col, g->source, "%s", g->msg);
    }
    diag_release(&p->diags);
    diag_init(&p->diags);
}

int writer_pipe_push(struct audio_writer *w, const int16_t *samples, size_t n, struct diags *d)
{
    struct writer_pipe *p = w->pipe;
    size_t ch = (size_t)w->channels;
    pthread_mutex_lock(&p->mu);
    while (n > 0 && !p->failed) {
        while (p->count == PIPE_BLOCKS && !p->failed)
            pthread_cond_wait(&p->space, &p->mu);
        if (p->failed)
            break;
        struct writer_block *b = &p->blocks[(p->head + p->count) % PIPE_BLOCKS];
        size_t k = samples ? (n < WRITER_CHUNK ? n : WRITER_CHUNK) : n;
        b->n = k;
        b->silence = !samples;
        if (samples) {
            memcpy(b->samples, samples, k * ch * sizeof(*samples));
            samples += k * ch;
        }
        n -= k;
        p->count++;
        pthread_cond_signal(&p->ready);
    }
    bool failed = p->failed;
    /* The thread stops touching its diagnostics once it has failed. */
    while (failed && (p->busy || p->count))
        pthread_cond_wait(&p->space, &p->mu);
    pthread_mutex_unlock(&p->mu);
    if (failed) {
        writer_pipe_report(p, d);
        w->failed = true;
        return -1;
    }
    return 0;
}

void writer_pipe_sync(struct writer_pipe *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->count || p->busy)
        pthread_cond_wait(&p->space, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

int writer_pipe_finish(struct audio_writer *w, bool discard, struct diags *d)
{
    struct writer_pipe *p = w->pipe;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    p->discard |= discard;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    bool failed = p->failed;
    if (d)
        writer_pipe_report(p, d);
    writer_pipe_free(w);
    if (failed)
        w->failed = true;
    return failed ? -1 : 0;
}

void writer_pipe_free(struct audio_writer *w)
{
    struct writer_pipe *p = w->pipe;
    if (!p)
        return;
    for (size_t i = 0; i < PIPE_BLOCKS; i++)
        free(p->blocks[i].samples);
    diag_release(&p->diags);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->space);
    free(p);
    w->pipe = NULL;
}
