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
 */
#include "synth/pool.h"
#include "synth/cache.h"
#include "synth/engine.h"
#include "synth/synth.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Requests one worker holds at a time. Two keep it busy while the parent
 * fetches its last result; more would bind runs to a worker early, where
 * they wait behind a long run while another worker sits idle. */
#define POOL_QUEUE 2

/* The id of the message a worker sends once its engine is up (or is not). */
#define POOL_GREETING UINT64_MAX

/* Bounds a result must respect, so a garbled message is reported instead of
 * allocating whatever its header claims. */
#define POOL_MAX_NAME 256
#define POOL_MAX_TEXT ((uint32_t)64 << 20)
#define POOL_MAX_MSG ((uint32_t)1 << 20)
#define POOL_MAX_SAMPLES ((uint64_t)1 << 32)
#define POOL_MAX_MARKS ((uint64_t)1 << 24)

/* How long a worker that closed its socket, or was asked to stop, gets to
 * exit before it is killed: enough to finish a run, short enough that a
 * stuck worker does not hold up the end of a render noticeably. */
#define POOL_REAP_MS 1000

/* While waiting for results, how often to check that the workers holding
 * runs are alive. A dead worker usually shows as end of file at once, but
 * its engine's helper holds a copy of the socket until it finishes what it
 * was doing. */
#define POOL_CHECK_MS 1000

/* Runs are named in diagnostics by this many characters of their text. */
#define POOL_EXCERPT_CHARS 48

enum {
    POOL_HAS_VOICE = 1,
    POOL_HAS_VARIANT = 2,
};

/* Parent -> worker; followed by voice_len, variant_len and text_len bytes. */
struct pool_request {
    uint64_t id;
    int32_t rate, pitch, range, volume;
    uint32_t voice_len, variant_len, text_len;
    uint32_t flags; /* POOL_HAS_*: NULL and "" are different voices to the engine */
};

/*
 * Worker -> parent; followed by msg_len bytes of message, nmarks marks and
 * n samples. status 0: the clip, and msg is a warning to pass on (or
 * empty). Otherwise msg is the diagnostic and there is no clip.
 */
struct pool_result {
    uint64_t id;
    uint64_t n;
    uint64_t nmarks;
    int32_t status;
    int32_t rate;
    uint32_t msg_len;
    uint32_t reserved;
};

struct pool_wire_mark {
    uint64_t sample;
    uint64_t text_offset;
};

enum pool_state {
    POOL_WAITING, /* no worker has room for it yet */
    POOL_SENT,    /* with worker `worker` */
    POOL_DONE,
    POOL_FAILED,
};

/* A run between pool_submit() and pool_wait(). */
struct pool_entry {
    size_t id;
    enum pool_state state;
    int worker;
    int line;
    char *voice;           /* "voice" or "voice+variant": which workers suit it best */
    struct strbuf request; /* the encoded request, until it goes to a worker */
    char excerpt[POOL_EXCERPT_CHARS * 4 + 4];
    struct clip clip; /* POOL_DONE */
    char *error;      /* POOL_FAILED */
};

/* What the parent reads next from a worker. */
enum pool_stage {
    POOL_IN_HEADER,
    POOL_IN_MSG,
    POOL_IN_MARKS,
    POOL_IN_SAMPLES,
};

struct pool_worker {
    pid_t pid;         /* -1 once reaped */
    int status;        /* how it ended, once reaped */
    int fd;            /* the parent's end; -1 once the worker is lost */
    bool ready;        /* its engine is up */
    int queued;        /* requests sent and not answered yet */
    char *voice;       /* voice of the last run it was given */
    struct strbuf out; /* request bytes not written yet */
    size_t out_done;
    /* The result being received. */
    enum pool_stage stage;
    size_t got;
    struct pool_result res;
    char *msg;
    struct pool_wire_mark *marks;
    int16_t *samples;
};

struct pool {
    struct pool_worker *w;
    int n;
    char *cache_dir;
    bool started;      /* the workers were forked (at the first pool_submit()) */
    bool start_failed; /* and could not all be started */
    struct pollfd *pfd;
    int *pfd_worker;
    struct pool_entry *e; /* by increasing id */
    size_t ne, cap;
    char *last_loss; /* how the last lost worker went, for runs left without one */
    bool warned;     /* a worker's warning (a cache that cannot be written) was passed on */
};

/* ---- both sides --------------------------------------------------------- */

static int pool_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* 0 when len bytes were read, 1 at end of input before the first byte, -1
 * on an error or a message cut short. */
static int pool_recv_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, p + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0 && got == 0)
            return 1;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* ---- worker ------------------------------------------------------------- */

static void pool_diag_text(const struct diags *d, struct strbuf *sb)
{
    for (size_t i = 0; i < d->n; i++) {
        if (sb->len)
            strbuf_adds(sb, "; ");
        strbuf_adds(sb, d->v[i].msg);
    }
}

static int pool_worker_reply(int fd, uint64_t id, int status, int rate, const char *msg,
                             const struct clip *c)
{
    struct pool_result r;
    memset(&r, 0, sizeof(r));
    r.id = id;
    r.status = status;
    r.rate = rate;
    size_t msg_len = msg ? strlen(msg) : 0;
    r.msg_len = msg_len < POOL_MAX_MSG ? (uint32_t)msg_len : POOL_MAX_MSG;
    r.n = c ? c->n : 0;
    r.nmarks = c ? c->nmarks : 0;

    struct pool_wire_mark *marks = NULL;
    if (r.nmarks) {
        marks = xmalloc(c->nmarks * sizeof(*marks));
        for (size_t i = 0; i < c->nmarks; i++) {
            marks[i].sample = c->marks[i].sample;
            marks[i].text_offset = c->marks[i].text_offset;
        }
    }
    int rc = 0;
    if (pool_send_all(fd, &r, sizeof(r)) < 0 || pool_send_all(fd, msg, r.msg_len) < 0 ||
        pool_send_all(fd, marks, r.nmarks * sizeof(*marks)) < 0 ||
        (c && pool_send_all(fd, c->samples, c->n * sizeof(*c->samples)) < 0))
        rc = -1;
    free(marks);
    return rc;
}

static int pool_worker_string(int fd, struct strbuf *sb, uint32_t len)
{
    strbuf_reset(sb);
    strbuf_grow(sb, len);
    if (pool_recv_all(fd, sb->buf, len) != 0)
        return -1;
    strbuf_setlen(sb, len);
    return 0;
}

static void pool_worker_signals(void)
{
    /* An interrupt is the parent's to handle: it stops between runs and
     * then closes the pool. (Workers also leave the terminal's process
     * group, so Ctrl-C does not reach them or their engines at all.) */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    /* The parent's handlers, which remove its partial outputs, are not ours
     * to run; and the engine must be able to reap its own children. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Answers requests on fd until the parent closes it. */
static _Noreturn void pool_worker_main(int fd, const char *cache_dir, pid_t parent)
{
    pool_worker_signals();
#ifdef __linux__
    /* A parent killed outright (SIGKILL, OOM) must not leave workers
     * running; elsewhere they notice at the end of their current run. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != parent)
        _exit(1); /* the parent died before the line above took effect */
    setpgid(0, 0);

    struct diags d;
    diag_init(&d);
    struct engine *e = engine_open(&d);
    if (!e) {
        struct strbuf why = STRBUF_INIT;
        pool_diag_text(&d, &why);
        pool_worker_reply(fd, POOL_GREETING, -1, 0, why.buf, NULL);
        _exit(1);
    }
    /* The parent opened the same folder first and reported any problem. */
    struct clip_cache *cache = cache_dir ? cache_open(cache_dir, &d) : NULL;
    diag_release(&d);
    if (pool_worker_reply(fd, POOL_GREETING, 0, engine_rate(e), NULL, NULL) < 0)
        _exit(1);

    struct strbuf voice = STRBUF_INIT, variant = STRBUF_INIT, text = STRBUF_INIT;
    struct strbuf msg = STRBUF_INIT;
    for (;;) {
        struct pool_request q;
        int r = pool_recv_all(fd, &q, sizeof(q));
        if (r == 1)
            break;
        if (r < 0 || q.voice_len > POOL_MAX_NAME || q.variant_len > POOL_MAX_NAME ||
            q.text_len > POOL_MAX_TEXT || pool_worker_string(fd, &voice, q.voice_len) < 0 ||
            pool_worker_string(fd, &variant, q.variant_len) < 0 ||
            pool_worker_string(fd, &text, q.text_len) < 0)
            _exit(1);
        struct engine_voice v = {
            .voice = (q.flags & POOL_HAS_VOICE) ? voice.buf : NULL,
            .variant = (q.flags & POOL_HAS_VARIANT) ? variant.buf : NULL,
            .rate = q.rate,
            .pitch = q.pitch,
            .range = q.range,
            .volume = q.volume,
        };
        struct clip c = {0};
        int status = engine_synth(e, &v, text.buf, &c, &d) < 0 ? -1 : 0;
        if (status == 0 && cache) {
            struct cache_key k;
            cache_key(&k, engine_name(e), engine_version(e), &v, text.buf);
            cache_put(cache, &k, &c, &d);
        }
        strbuf_reset(&msg);
        pool_diag_text(&d, &msg);
        diag_release(&d);
        r = pool_worker_reply(fd, q.id, status, c.rate, msg.buf, status == 0 ? &c : NULL);
        clip_release(&c);
        if (r < 0)
            _exit(1); /* the parent is gone or gave up on us */
    }
    cache_close(cache);
    engine_close(e);
    _exit(0);
}

/* ---- parent: losing workers --------------------------------------------- */

/* Sleeps *tick_us and doubles it up to 10 ms: a worker that is exiting
 * takes a millisecond or two, one finishing a run can take much longer. */
static void pool_nap(long *waited_us, long *tick_us)
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
        pool_nap(&waited_us, &tick_us);
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

static void pool_in_reset(struct pool_worker *w)
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
static void pool_fail(struct pool_entry *e, const char *lead, const char *tail)
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
        pool_fail(e, lead.buf, "");
        first = false;
    }
    strbuf_release(&lead);
    w->queued = 0;
    strbuf_reset(&w->out);
    w->out_done = 0;
    pool_in_reset(w);
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

static struct pool_entry *pool_find(struct pool *p, uint64_t id)
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
        pool_in_reset(w);
        return 0;
    }
    struct pool_entry *e = pool_find(p, r->id);
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
    pool_in_reset(w);
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
            pool_fail(e, "no synthesis worker left for ", tail.buf);
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
static void pool_pump(struct pool *p, int timeout_ms, struct diags *d)
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
        pool_nap(&waited_us, &tick_us);
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
        pool_pump(p, -1, d);
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
        pool_in_reset(w);
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
        pool_fail(e, "", " is too long for a synthesis worker");
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
    pool_pump(p, 0, d);
    return 0;
}

int pool_wait(struct pool *p, size_t id, struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    struct pool_entry *e;
    for (;;) {
        e = pool_find(p, id);
        if (!e) {
            diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "run %zu was never given to the workers",
                     id);
            return -1;
        }
        if (e->state == POOL_DONE || e->state == POOL_FAILED)
            break;
        pool_pump(p, -1, d);
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
