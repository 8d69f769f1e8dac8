/*
 * The parent's side of the synthesis pool at work (pool_sched.h): one poll()
 * loop over every worker's socket that writes queued requests and reads
 * results without ever blocking on one worker, hands waiting runs to the
 * best worker, files results in the table by run, and loses workers that
 * die, misbehave or hang, failing the runs they held.
 */
#include "synth/pool_sched.h"
#include "synth/pool_proto.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Requests one worker holds at a time. Two keep it busy while the parent
 * fetches its last result; more would bind runs to a worker early, where
 * they wait behind a long run while another worker sits idle. */
#define POOL_QUEUE 2

/* While waiting for results, how often to check that the workers holding
 * runs are alive. A dead worker usually shows as end of file at once, but
 * its engine's helper holds a copy of the socket until it finishes what it
 * was doing. */
#define POOL_CHECK_MS 1000

/* ---- parent: losing workers --------------------------------------------- */

/* Sleeps *tick_us and doubles it up to 10 ms: a worker that is exiting
 * takes a millisecond or two, one finishing a run can take much longer. */
void pool_sched_nap(long *waited_us, long *tick_us)
{
    struct timespec ts = {0, *tick_us * 1000};
    nanosleep(&ts, NULL);
    *waited_us += *tick_us;
    if (*tick_us < 10000)
        *tick_us *= 2;
}

/* Reaps pid, giving it up to ms milliseconds before killing it. 1 with
 * *status when it ended by itself, 0 when it had to be killed, -1 when it
 * cannot be waited for (someone else reaped it). */
static int pool_reap(pid_t pid, int ms, int *status)
{
    long waited_us = 0, tick_us = 100;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return -1;
        if (waited_us >= ms * 1000L)
            break;
        pool_sched_nap(&waited_us, &tick_us);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static void pool_describe(struct strbuf *sb, int reaped, int status)
{
    if (reaped < 0)
        strbuf_adds(sb, "closed its connection");
    else if (reaped == 0)
        strbuf_adds(sb, "stopped answering and was killed");
    else if (WIFSIGNALED(status))
        strbuf_addf(sb, "was killed by signal %d (%s)", WTERMSIG(status),
                    strsignal(WTERMSIG(status)));
    else if (WIFEXITED(status))
        strbuf_addf(sb, "exited with status %d", WEXITSTATUS(status));
    else
        strbuf_adds(sb, "stopped");
}

void pool_sched_in_reset(struct pool_worker *w)
{
    free(w->msg);
    free(w->marks);
    free(w->samples);
    w->msg = NULL;
    w->marks = NULL;
    w->samples = NULL;
    w->stage = POOL_IN_HEADER;
    w->got = 0;
}

/* Fails run e with the diagnostic "LEAD"EXCERPT" (line N)TAIL". */
void pool_sched_fail(struct pool_entry *e, const char *lead, const char *tail)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s\"%s\"", lead, e->excerpt);
    if (e->line > 0)
        strbuf_addf(&sb, " (line %d)", e->line);
    strbuf_adds(&sb, tail);
    e->state = POOL_FAILED;
    e->error = strbuf_detach(&sb);
}

/*
 * Worker i is gone, or no longer to be trusted (why says how; the worker is
 * then killed). Every run it held fails: the first one is the run it was on
 * (it answers in order), the others had not started.
 */
static void pool_lose(struct pool *p, int i, const char *why)
{
    struct pool_worker *w = &p->w[i];
    if (w->fd < 0)
        return;
    shutdown(w->fd, SHUT_RDWR);
    close(w->fd);
    w->fd = -1;
    int status = w->status, reaped = 1;
    if (w->pid > 0) {
        if (why)
            kill(w->pid, SIGKILL);
        reaped = pool_reap(w->pid, POOL_REAP_MS, &status);
        w->pid = -1;
    }

    struct strbuf how = STRBUF_INIT, lead = STRBUF_INIT;
    strbuf_addf(&how, "worker %d ", i + 1);
    if (why)
        strbuf_adds(&how, why);
    else
        pool_describe(&how, reaped, status);

    bool first = true;
    for (size_t k = 0; k < p->ne; k++) {
        struct pool_entry *e = &p->e[k];
        if (e->state != POOL_SENT || e->worker != i)
            continue;
        strbuf_reset(&lead);
        strbuf_addf(&lead, "%s %s ", how.buf, first ? "while synthesizing" : "before synthesizing");
        pool_sched_fail(e, lead.buf, "");
        first = false;
    }
    strbuf_release(&lead);
    w->queued = 0;
    strbuf_reset(&w->out);
    w->out_done = 0;
    pool_sched_in_reset(w);
    free(p->last_loss);
    p->last_loss = strbuf_detach(&how);
}

/* ---- parent: talking to workers ----------------------------------------- */

/* Writes what worker i can take now of its pending requests. */
static void pool_flush(struct pool *p, int i)
{
    struct pool_worker *w = &p->w[i];
    while (w->fd >= 0 && w->out_done < w->out.len) {
        ssize_t r = send(w->fd, w->out.buf + w->out_done, w->out.len - w->out_done, MSG_NOSIGNAL);
        if (r > 0) {
            w->out_done += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        pool_lose(p, i, NULL);
        return;
    }
    if (w->fd >= 0) {
        strbuf_reset(&w->out);
        w->out_done = 0;
    }
}

struct pool_entry *pool_sched_find(struct pool *p, uint64_t id)
{
    for (size_t k = 0; k < p->ne; k++)
        if (p->e[k].id == id)
            return &p->e[k];
    return NULL;
}

/* A whole result from worker i has arrived. -1 when it was not one we asked
 * for (the worker is then lost). */
static int pool_finish(struct pool *p, int i, struct diags *d)
{
    struct pool_worker *w = &p->w[i];
    struct pool_result *r = &w->res;
    const char *msg = w->msg ? w->msg : "";

    if (r->id == POOL_GREETING && !w->ready) {
        if (r->status != 0) {
            struct strbuf why = STRBUF_INIT;
            strbuf_addf(&why, "could not start: %s", *msg ? msg : "no reason given");
            pool_lose(p, i, why.buf);
            strbuf_release(&why);
            return -1;
        }
        w->ready = true;
        pool_sched_in_reset(w);
        return 0;
    }
    struct pool_entry *e = pool_sched_find(p, r->id);
    if (!w->ready || !e || e->state != POOL_SENT || e->worker != i) {
        pool_lose(p, i, "sent a result nobody asked for");
        return -1;
    }
    w->queued--;
    if (r->status != 0) {
        /* The engine's own diagnostic, word for word: the same as --jobs 1. */
        e->state = POOL_FAILED;
        e->error = xstrdup(*msg ? msg : "synthesis failed without a reason");
    } else {
        e->state = POOL_DONE;
        e->clip.rate = r->rate;
        e->clip.n = (size_t)r->n;
        e->clip.samples = w->samples;
        w->samples = NULL;
        e->clip.nmarks = (size_t)r->nmarks;
        if (r->nmarks) {
            e->clip.marks = xmalloc(e->clip.nmarks * sizeof(*e->clip.marks));
            for (size_t k = 0; k < e->clip.nmarks; k++) {
                e->clip.marks[k].sample = (size_t)w->marks[k].sample;
                e->clip.marks[k].text_offset = (size_t)w->marks[k].text_offset;
            }
        }
        /* Every worker has its own cache handle; one report is enough. */
        if (*msg && !p->warned) {
            diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL, "%s", msg);
            p->warned = true;
        }
    }
    pool_sched_in_reset(w);
    return 0;
}

/* Where the next bytes of worker i's result go, and how many are due. */
static char *pool_in_target(struct pool_worker *w, size_t *len)
{
    switch (w->stage) {
    case POOL_IN_HEADER:
        *len = sizeof(w->res);
        return (char *)&w->res;
    case POOL_IN_MSG:
        *len = w->res.msg_len;
        return w->msg;
    case POOL_IN_MARKS:
        *len = (size_t)w->res.nmarks * sizeof(*w->marks);
        return (char *)w->marks;
    case POOL_IN_SAMPLES:
        break;
    }
    *len = (size_t)w->res.n * sizeof(*w->samples);
    return (char *)w->samples;
}

/* One part of worker i's result is complete: get ready for the next. */
static int pool_in_advance(struct pool *p, int i, struct diags *d)
{
    struct pool_worker *w = &p->w[i];
    w->got = 0;
    switch (w->stage) {
    case POOL_IN_HEADER: {
        const struct pool_result *r = &w->res;
        if (r->msg_len > POOL_MAX_MSG || r->n > POOL_MAX_SAMPLES || r->nmarks > POOL_MAX_MARKS ||
            (r->status != 0 && (r->n || r->nmarks))) {
            pool_lose(p, i, "sent a malformed result");
            return -1;
        }
        /* Allocated at once, so a clip is read straight into its final
         * place, in as few reads as the socket allows. */
        w->msg = xcalloc(r->msg_len + 1, 1);
        w->marks = r->nmarks ? xmalloc((size_t)r->nmarks * sizeof(*w->marks)) : NULL;
        w->samples = r->n ? xmalloc((size_t)r->n * sizeof(*w->samples)) : NULL;
        w->stage = POOL_IN_MSG;
        return 0;
    }
    case POOL_IN_MSG:
        w->stage = POOL_IN_MARKS;
        return 0;
    case POOL_IN_MARKS:
        w->stage = POOL_IN_SAMPLES;
        return 0;
    case POOL_IN_SAMPLES:
        break;
    }
    return pool_finish(p, i, d);
}

/* Reads whatever worker i has sent, without blocking. */
static void pool_receive(struct pool *p, int i, struct diags *d)
{
    struct pool_worker *w = &p->w[i];
    while (w->fd >= 0) {
        size_t len;
        char *at = pool_in_target(w, &len);
        if (w->got == len) {
            if (pool_in_advance(p, i, d) < 0)
                return;
            continue;
        }
        ssize_t r = read(w->fd, at + w->got, len - w->got);
        if (r > 0) {
            w->got += (size_t)r;
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        pool_lose(p, i, NULL); /* end of file: it died, maybe mid-result */
        return;
    }
}

/*
 * The worker for a run in voice: of those with room, the least busy, and
 * among equally busy ones one that last had that voice (its engine surely
 * has a helper for it, where another may have to start one, which takes
 * milliseconds; an idle worker costs a whole run). -1 when all are full,
 * -2 when none is left.
 */
static int pool_pick(const struct pool *p, const char *voice)
{
    int best = -2, best_score = 0;
    bool any = false;
    for (int i = 0; i < p->n; i++) {
        const struct pool_worker *w = &p->w[i];
        if (w->fd < 0 || !w->ready)
            continue;
        any = true;
        if (w->queued >= POOL_QUEUE)
            continue;
        bool same = w->voice && strcmp(w->voice, voice) == 0;
        int score = w->queued * 2 + (same ? 0 : 1);
        if (best < 0 || score < best_score) {
            best = i;
            best_score = score;
        }
    }
    return best >= 0 ? best : any ? -1 : -2;
}

/* Hands waiting runs, in order, to workers with room for them. */
static void pool_assign(struct pool *p)
{
    for (size_t k = 0; k < p->ne; k++) {
        struct pool_entry *e = &p->e[k];
        if (e->state != POOL_WAITING)
            continue;
        int i = pool_pick(p, e->voice);
        if (i == -1)
            return;
        if (i == -2) {
            struct strbuf tail = STRBUF_INIT;
            strbuf_addf(&tail, ": %s", p->last_loss ? p->last_loss : "none was started");
            pool_sched_fail(e, "no synthesis worker left for ", tail.buf);
            strbuf_release(&tail);
            continue;
        }
        struct pool_worker *w = &p->w[i];
        strbuf_add(&w->out, e->request.buf, e->request.len);
        strbuf_release(&e->request);
        if (!w->voice || strcmp(w->voice, e->voice) != 0) {
            free(w->voice);
            w->voice = xstrdup(e->voice);
        }
        w->queued++;
        e->worker = i;
        e->state = POOL_SENT;
        pool_flush(p, i);
    }
}

/* Loses the workers that have died although their sockets are open. */
static void pool_check(struct pool *p, struct diags *d)
{
    for (int i = 0; i < p->n; i++) {
        struct pool_worker *w = &p->w[i];
        if (w->fd < 0 || w->pid < 0 || waitpid(w->pid, &w->status, WNOHANG) != w->pid)
            continue;
        w->pid = -1;
        pool_receive(p, i, d); /* results it finished before it died still count */
        pool_lose(p, i, NULL);
    }
}

/*
 * Waits up to timeout_ms (-1: until something happens, or POOL_CHECK_MS
 * have passed and the workers were checked on) for any worker to be
 * writable or readable, moves what it can, and hands out waiting runs.
 */
void pool_sched_pump(struct pool *p, int timeout_ms, struct diags *d)
{
    nfds_t n = 0;
    for (int i = 0; i < p->n; i++) {
        const struct pool_worker *w = &p->w[i];
        if (w->fd < 0)
            continue;
        p->pfd[n].fd = w->fd;
        /* Idle workers too: one that dies is noticed before it is given
         * a run. */
        p->pfd[n].events = POLLIN | (w->out_done < w->out.len ? POLLOUT : 0);
        p->pfd[n].revents = 0;
        p->pfd_worker[n] = i;
        n++;
    }
    int ready = n > 0 ? poll(p->pfd, n, timeout_ms < 0 ? POOL_CHECK_MS : timeout_ms) : 0;
    if (ready == 0 && timeout_ms < 0)
        pool_check(p, d);
    if (ready > 0) {
        for (nfds_t k = 0; k < n; k++) {
            int i = p->pfd_worker[k];
            short ev = p->pfd[k].revents;
            if (ev & POLLOUT)
                pool_flush(p, i);
            if ((ev & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) && p->w[i].fd >= 0)
                pool_receive(p, i, d);
        }
    }
    pool_assign(p);
}
