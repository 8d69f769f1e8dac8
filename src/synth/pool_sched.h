/*
 * The parent's state in the synthesis pool, shared by its contract side
 * (pool.c: open, start, stop, submit, wait) and its scheduling side
 * (pool_sched.c: the poll loop, results, lost workers): the table of runs
 * between pool_submit() and pool_wait(), and what the parent knows of each
 * worker and of the result it is receiving. Internal to pool.c and
 * pool_sched.c.
 *
 * Contract: a run's entry moves WAITING -> SENT -> DONE or FAILED, and only
 * pool_wait() removes it; a DONE entry owns its clip until then.
 * pool_sched_pump() never blocks longer than its timeout and never fails:
 * whatever goes wrong fails the runs concerned, reported by pool_wait().
 */
#ifndef SCRIPTCAST_POOL_SCHED_H
#define SCRIPTCAST_POOL_SCHED_H

#include "synth/engine.h"
#include "synth/pool_proto.h"
#include "util/strbuf.h"

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct diags;

/* How long a worker that closed its socket, or was asked to stop, gets to
 * exit before it is killed: enough to finish a run, short enough that a
 * stuck worker does not hold up the end of a render noticeably. */
#define POOL_REAP_MS 1000

/* Runs are named in diagnostics by this many characters of their text. */
#define POOL_EXCERPT_CHARS 48

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

/* Sleeps *tick_us and doubles it up to 10 ms (waiting for workers to exit). */
void pool_sched_nap(long *waited_us, long *tick_us);
/* Frees the result being received from w and gets ready for the next. */
void pool_sched_in_reset(struct pool_worker *w);
/* Fails run e with the diagnostic "LEAD"EXCERPT" (line N)TAIL". */
void pool_sched_fail(struct pool_entry *e, const char *lead, const char *tail);
/* The entry of run id, or NULL. */
struct pool_entry *pool_sched_find(struct pool *p, uint64_t id);
/* Waits up to timeout_ms (-1: until something happens, or a periodic check
 * of the workers), moves what it can and hands out waiting runs. */
void pool_sched_pump(struct pool *p, int timeout_ms, struct diags *d);

#endif
