/*
 * Worker processes for synthesis (contract in pool.h). Each worker is a
 * forked process that opens its own engine once and then answers requests
 * on a private Unix socket: one length-prefixed request per run, one result
 * per request, in the order asked. The parent never blocks on one worker:
 * it reads and writes without waiting, guided by poll() over every socket,
 * so a worker stuck writing a large clip is always drained and can never
 * deadlock against a request being written to it. Each worker holds at most
 * POOL_QUEUE requests (the run it is on and the next, so it never waits
 * for the parent between runs); runs beyond that wait in the parent, in
 * order, for the least busy worker, and among equally busy ones for one
 * already set to the run's voice. Results may arrive in any order and wait
 * in a table until the caller asks for them. A socket rather than two pipes because send()
 * with MSG_NOSIGNAL reports a dead worker as EPIPE instead of killing the
 * parent with SIGPIPE, and shutdown() ends a worker's input even if a
 * process forked later holds a copy of the parent's end.
 *
 * This file is the contract: starting, stopping and closing the pool and
 * queueing and collecting runs. The parent's moving of bytes (the poll
 * loop, scheduling, results, lost workers) is in pool_sched.c; the worker's
 * side is pool_worker.c; the messages they exchange are in pool_proto.h.
 */
#include "synth/pool.h"
#include "synth/pool_proto.h"
#include "synth/pool_sched.h"
#include "synth/engine.h"
#include "synth/synth.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- contract ----------------------------------------------------------- */

static void pool_excerpt(char *dst, size_t cap, const char *text)
{
    const char *p = text, *end = text + strlen(text);
    size_t len = 0;
    for (int i = 0; i < POOL_EXCERPT_CHARS && p < end; i++) {
        const char *from = p;
        utf8_decode(&p, end);
        memcpy(dst + len, from, (size_t)(p - from));
        len += (size_t)(p - from);
    }
    if (p < end && len + sizeof("…") <= cap) {
        memcpy(dst + len, "…", sizeof("…") - 1);
        len += sizeof("…") - 1;
    }
    dst[len] = '\0';
}

/* Ends every worker and reaps it. */
static void pool_stop(struct pool *p)
{
    /* End of input tells an idle worker to exit; one writing a result gets
     * EPIPE and exits too. Whatever it was sending is no longer wanted. */
    for (int i = 0; i < p->n; i++) {
        struct pool_worker *w = &p->w[i];
        if (w->fd >= 0) {
            shutdown(w->fd, SHUT_RDWR);
            close(w->fd);
            w->fd = -1;
        }
    }
    /* One shared deadline: workers wind down in parallel. */
    long waited_us = 0, tick_us = 100;
    for (;;) {
        bool left = false;
        for (int i = 0; i < p->n; i++) {
            struct pool_worker *w = &p->w[i];
            if (w->pid < 0)
                continue;
            pid_t r = waitpid(w->pid, NULL, WNOHANG);
            if (r == w->pid || (r < 0 && errno == ECHILD))
                w->pid = -1;
            else
                left = true;
        }
        if (!left)
            break;
        if (waited_us >= POOL_REAP_MS * 1000L) {
            for (int i = 0; i < p->n; i++) {
                if (p->w[i].pid < 0)
                    continue;
                kill(p->w[i].pid, SIGKILL);
                while (waitpid(p->w[i].pid, NULL, 0) < 0 && errno == EINTR)
                    ;
                p->w[i].pid = -1;
            }
            break;
        }
        pool_sched_nap(&waited_us, &tick_us);
    }
}

struct pool *pool_open(int workers, const char *cache_dir, struct diags *d)
{
    (void)d; /* nothing can fail before the workers start */
    if (workers < 1)
        workers = 1;
    struct pool *p = xcalloc(1, sizeof(*p));
    p->n = workers;
    p->cache_dir = cache_dir ? xstrdup(cache_dir) : NULL;
    p->w = xcalloc((size_t)workers, sizeof(*p->w));
    p->pfd = xcalloc((size_t)workers, sizeof(*p->pfd));
    p->pfd_worker = xcalloc((size_t)workers, sizeof(*p->pfd_worker));
    for (int i = 0; i < workers; i++) {
        p->w[i].pid = -1;
        p->w[i].fd = -1;
        strbuf_init(&p->w[i].out);
    }
    return p;
}

/*
 * Forks the workers and waits until every engine is up, so that a broken
 * espeak-ng installation is reported as such and not as a failed run. Done
 * at the first run the cache does not have rather than in pool_open(): a
 * render that finds everything in the cache then never pays for starting
 * the workers (about 10 ms for two, a sixth of such a render).
 */
static int pool_start(struct pool *p, struct diags *d)
{
    p->started = true;
    pid_t self = getpid();
    /* Buffered output would otherwise exist once more in every worker. */
    fflush(NULL);
    for (int i = 0; i < p->n; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot start synthesis workers: %s",
                     strerror(errno));
            goto fail;
        }
        pid_t pid = fork();
        if (pid < 0) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot start synthesis workers: fork: %s",
                     strerror(errno));
            close(sv[0]);
            close(sv[1]);
            goto fail;
        }
        if (pid == 0) {
            /* A worker holding another's socket would keep that one from
             * seeing its end of input. */
            for (int j = 0; j < i; j++)
                close(p->w[j].fd);
            close(sv[0]);
            pool_worker_main(sv[1], p->cache_dir, self);
        }
        close(sv[1]);
        fcntl(sv[0], F_SETFD, FD_CLOEXEC);
        fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
        p->w[i].pid = pid;
        p->w[i].fd = sv[0];
    }

    for (;;) {
        bool starting = false;
        for (int i = 0; i < p->n; i++) {
            if (p->w[i].fd < 0) {
                diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot start synthesis workers: %s",
                         p->last_loss ? p->last_loss : "a worker is gone");
                goto fail;
            }
            starting = starting || !p->w[i].ready;
        }
        if (!starting)
            return 0;
        pool_sched_pump(p, -1, d);
    }

fail:
    pool_stop(p);
    p->start_failed = true;
    return -1;
}

void pool_close(struct pool *p)
{
    if (!p)
        return;
    pool_stop(p);
    for (int i = 0; i < p->n; i++) {
        struct pool_worker *w = &p->w[i];
        free(w->voice);
        strbuf_release(&w->out);
        pool_sched_in_reset(w);
    }
    for (size_t k = 0; k < p->ne; k++) {
        struct pool_entry *e = &p->e[k];
        free(e->voice);
        strbuf_release(&e->request);
        clip_release(&e->clip);
        free(e->error);
    }
    free(p->e);
    free(p->w);
    free(p->pfd);
    free(p->pfd_worker);
    free(p->last_loss);
    free(p->cache_dir);
    free(p);
}

int pool_submit(struct pool *p, size_t id, const struct synth_job *job, struct diags *d)
{
    if (p->start_failed || (!p->started && pool_start(p, d) < 0))
        return -1;
    const struct engine_voice *v = &job->voice;
    const char *text = job->text ? job->text : "";
    XGROW(p->e, p->cap, p->ne + 1);
    struct pool_entry *e = &p->e[p->ne++];
    memset(e, 0, sizeof(*e));
    strbuf_init(&e->request);
    e->id = id;
    e->state = POOL_WAITING;
    e->worker = -1;
    e->line = job->line;
    pool_excerpt(e->excerpt, sizeof(e->excerpt), text);

    struct strbuf key = STRBUF_INIT;
    strbuf_adds(&key, v->voice ? v->voice : "");
    if (v->variant) {
        strbuf_addc(&key, '+');
        strbuf_adds(&key, v->variant);
    }
    e->voice = strbuf_detach(&key);

    struct pool_request q;
    memset(&q, 0, sizeof(q));
    q.id = id;
    q.rate = v->rate;
    q.pitch = v->pitch;
    q.range = v->range;
    q.volume = v->volume;
    size_t voice_len = v->voice ? strlen(v->voice) : 0;
    size_t variant_len = v->variant ? strlen(v->variant) : 0;
    size_t text_len = strlen(text);
    if (voice_len > POOL_MAX_NAME || variant_len > POOL_MAX_NAME || text_len > POOL_MAX_TEXT) {
        pool_sched_fail(e, "", " is too long for a synthesis worker");
        return 0; /* reported in order, by pool_wait() */
    }
    q.voice_len = (uint32_t)voice_len;
    q.variant_len = (uint32_t)variant_len;
    q.text_len = (uint32_t)text_len;
    q.flags = (v->voice ? POOL_HAS_VOICE : 0) | (v->variant ? POOL_HAS_VARIANT : 0);
    strbuf_add(&e->request, &q, sizeof(q));
    strbuf_add(&e->request, v->voice ? v->voice : "", voice_len);
    strbuf_add(&e->request, v->variant ? v->variant : "", variant_len);
    strbuf_add(&e->request, text, text_len);

    /* Also collects finished results without waiting, so workers are
     * refilled while the caller is still queueing runs. */
    pool_sched_pump(p, 0, d);
    return 0;
}

int pool_wait(struct pool *p, size_t id, struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    struct pool_entry *e;
    for (;;) {
        e = pool_sched_find(p, id);
        if (!e) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "run %zu was never given to the workers",
                     id);
            return -1;
        }
        if (e->state == POOL_DONE || e->state == POOL_FAILED)
            break;
        pool_sched_pump(p, -1, d);
    }
    int rc = 0;
    if (e->state == POOL_DONE) {
        *out = e->clip;
    } else {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "%s", e->error);
        rc = -1;
    }
    free(e->voice);
    free(e->error);
    strbuf_release(&e->request);
    size_t k = (size_t)(e - p->e);
    memmove(e, e + 1, (p->ne - k - 1) * sizeof(*e));
    p->ne--;
    return rc;
}

pid_t pool_worker_pid(const struct pool *p, int i)
{
    if (i < 0 || i >= p->n)
        return -1;
    return p->w[i].pid;
}
