/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The espeak-ng engine's helper processes (contract in espeak_engine.h;
 * design in espeak.c): starting one per voice+variant, finding the one a
 * run needs, sending requests, and filing the answers that arrive on the
 * shared reply socket, in whatever order the runs finish. A helper that goes
 * away fails the runs it had, with how it ended.
 */
#include "synth/espeak_engine.h"
#include "util/fdio.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- answers ------------------------------------------------------------- */

/* How a helper ended, for the runs it leaves unanswered. Reaps it, unless
 * it already was (status st, reaped true). */
static void espeak_proc_reap(struct espeak_proc *p, bool reaped, int st, struct strbuf *why)
{
    pid_t r = p->helper;
    while (!reaped && (r = waitpid(p->helper, &st, 0)) < 0 && errno == EINTR)
        ;
    if (r == p->helper && WIFSIGNALED(st))
        strbuf_addf(why, "its espeak-ng helper was killed by signal %d", WTERMSIG(st));
    else
        strbuf_adds(why, "its espeak-ng helper process is gone");
    p->helper = 0;
}

static int espeak_take(struct engine *e);

/* Helper p is gone (already reaped with status st when `reaped`): every
 * run it had fails, and so does a wait on it. */
static void espeak_proc_lost(struct engine *e, struct espeak_proc *p, bool reaped, int st)
{
    struct strbuf why = STRBUF_INIT;
    /* Its last words (why it could not start) may still be on the way. */
    while (espeak_take(e) == 0)
        ;
    close(p->fd);
    p->fd = -1;
    p->broken = true;
    espeak_proc_reap(p, reaped, st, &why);
    if (p->fail) {
        strbuf_reset(&why);
        strbuf_adds(&why, p->fail);
    }
    /* A helper that was up may have left run processes writing into its
     * runs' clip files for a moment (they die with it); one that never
     * greeted (or failed to start) never started a run. */
    bool strays = p->greeting == 0 && !p->fail;
    int turns = 0;
    for (int k = 0; k < e->nslots; k++) {
        struct espeak_flight *f = &e->fly[k];
        if (!f->busy || f->done || f->proc != p)
            continue;
        turns++;
        f->done = true;
        f->poisoned = strays;
        f->r.status = -1;
        strbuf_reset(&f->why);
        strbuf_adds(&f->why, why.buf);
    }
    /* Its run processes died with it, perhaps holding turns: one goes back
     * for each (a turn too many only lets one more run go at once; one too
     * few for good could leave runs waiting forever). */
    espeak_turn_give(e, turns);
    p->inflight = 0;
    if (e->want_proc == p && !e->want_done) {
        e->want_done = true;
        memset(&e->want_r, 0, sizeof(e->want_r));
        e->want_r.status = -1;
        strbuf_reset(&e->want_msg);
        strbuf_adds(&e->want_msg, why.buf);
    }
    strbuf_release(&why);
}

/* Reads one message from the reply socket, if there is one, and files it.
 * 0, or -1 when there was none. */
static int espeak_take(struct engine *e)
{
    char buf[sizeof(struct espeak_reply) + ESPEAK_MAX_MSG];
    ssize_t n;
    do
        n = recv(e->reply[0], buf, sizeof(buf), MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if (n < (ssize_t)sizeof(struct espeak_reply))
        return 0; /* not a message of ours */
    struct espeak_reply r;
    memcpy(&r, buf, sizeof(r));
    const char *msg = buf + sizeof(r);
    size_t len = (size_t)n - sizeof(r);
    if (r.msg_len < len)
        len = r.msg_len;
    if (r.id == e->want_id && !e->want_done) {
        e->want_done = true;
        e->want_r = r;
        strbuf_reset(&e->want_msg);
        strbuf_add(&e->want_msg, msg, len);
        return 0;
    }
    for (size_t i = 0; i < e->nprocs; i++) {
        struct espeak_proc *p = &e->procs[i];
        if (p->greeting != r.id)
            continue;
        p->greeting = 0;
        if (r.status != 0)
            p->fail = xstrndup(msg, len);
        return 0;
    }
    for (int k = 0; k < e->nslots; k++) {
        struct espeak_flight *f = &e->fly[k];
        if (!f->busy || f->done || f->id != r.id)
            continue;
        f->done = true;
        f->r = r;
        strbuf_reset(&f->why);
        strbuf_add(&f->why, msg, len);
        f->proc->inflight--;
        return 0;
    }
    /* A late answer for a run already failed: nothing waits for it. */
    return 0;
}

/*
 * Waits until an answer arrives or a helper that owes one is gone. Answers
 * are read before losses are believed: a helper's last words (say, why it
 * could not start) reach the socket before its end of file.
 */
void espeak_pump(struct engine *e)
{
    struct pollfd pfd[ESPEAK_PROCS + 1];
    struct espeak_proc *who[ESPEAK_PROCS + 1];
    size_t n = 0;
    pfd[n].fd = e->reply[0];
    pfd[n].events = POLLIN;
    who[n++] = NULL;
    for (size_t i = 0; i < e->nprocs; i++) {
        struct espeak_proc *p = &e->procs[i];
        if (p->fd < 0 || (p->inflight == 0 && !(e->want_proc == p && !e->want_done)))
            continue;
        pfd[n].fd = p->fd;
        pfd[n].events = POLLIN;
        who[n++] = p;
    }
    /*
     * A helper's end of file is the usual news of its death; but a copy of
     * its socket in a process it was forking at that moment (a spare, say,
     * stopped before it closed it) would hold that back. So a wait that
     * lasts also asks the helpers themselves.
     */
    int ready = poll(pfd, n, ESPEAK_CHECK_MS);
    if (ready < 0)
        return; /* EINTR: the caller looks again */
    if (ready == 0) {
        for (size_t i = 1; i < n; i++) {
            int st = 0;
            if (waitpid(who[i]->helper, &st, WNOHANG) == who[i]->helper)
                espeak_proc_lost(e, who[i], true, st);
        }
        return;
    }
    if (pfd[0].revents) {
        espeak_take(e);
        return;
    }
    for (size_t i = 1; i < n; i++)
        if (pfd[i].revents)
            espeak_proc_lost(e, who[i], false, 0);
}

/* Waits for the answer `id` from helper p. The answer's status, -1 when p
 * is gone; *r and msg hold it. */
int espeak_await(struct engine *e, struct espeak_proc *p, uint64_t id, struct espeak_reply *r,
                 struct strbuf *msg)
{
    e->want_id = id;
    e->want_proc = p;
    e->want_done = false;
    while (!e->want_done)
        espeak_pump(e);
    e->want_proc = NULL;
    *r = e->want_r;
    strbuf_reset(msg);
    strbuf_add(msg, e->want_msg.buf, e->want_msg.len);
    return r->status;
}

/* ---- helpers ------------------------------------------------------------- */

static bool espeak_kept(long fd, const int *keep, size_t nkeep)
{
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i] == fd)
            return true;
    return false;
}

/* Calls fn(ctx, fd) for every open descriptor above stderr but the nkeep
 * in keep. */
static void espeak_each_other_fd(const int *keep, size_t nkeep, void (*fn)(void *, int), void *ctx)
{
    /* /proc lists the open ones, far fewer than the limit allows. */
    DIR *dir = opendir("/proc/self/fd");
    if (dir) {
        struct dirent *de;
        while ((de = readdir(dir))) {
            char *end;
            long fd = strtol(de->d_name, &end, 10);
            if (*end == '\0' && end != de->d_name && fd > 2 && fd != dirfd(dir) &&
                !espeak_kept(fd, keep, nkeep))
                fn(ctx, (int)fd);
        }
        closedir(dir);
        return;
    }
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (long fd = 3; fd < max; fd++)
        if (!espeak_kept(fd, keep, nkeep) && fcntl((int)fd, F_GETFD) >= 0)
            fn(ctx, (int)fd);
}

static void espeak_close_fd(void *ctx, int fd)
{
    (void)ctx;
    close(fd);
}

static void espeak_spawn_close_fd(void *fa, int fd)
{
    posix_spawn_file_actions_addclose(fa, fd);
}

/* The arguments scriptcast-espeak takes, in argv (NULL-terminated), with
 * the numbers written into nums. */
static void espeak_helper_argv(const struct espeak_helper_args *a, char nums[][24], char **argv)
{
    int argc = 0;
    argv[argc++] = "scriptcast-espeak";
    argv[argc++] = ESPEAK_HELPER_MARK;
    snprintf(nums[0], sizeof(nums[0]), "%d", a->fd);
    snprintf(nums[1], sizeof(nums[1]), "%d", a->replyfd);
    snprintf(nums[2], sizeof(nums[2]), "%llu", (unsigned long long)a->greeting);
    if (a->turn[0] >= 0)
        snprintf(nums[3], sizeof(nums[3]), "%d,%d", a->turn[0], a->turn[1]);
    else
        snprintf(nums[3], sizeof(nums[3]), "-");
    argv[argc++] = nums[0];
    argv[argc++] = nums[1];
    argv[argc++] = nums[2];
    argv[argc++] = nums[3];
    argv[argc++] = a->voice ? (char *)a->voice : "-";
    for (int k = 0; k < a->nslots; k++) {
        snprintf(nums[4 + k], sizeof(nums[4 + k]), "%d", a->slots[k]);
        argv[argc++] = nums[4 + k];
    }
    argv[argc] = NULL;
}

/*
 * Starts scriptcast-espeak (program) with a's descriptors and no others.
 * posix_spawn(), not fork(): the caller's memory is not copied, so it
 * takes no copy-on-write faults on its buffers afterwards, and a helper
 * started in the middle of a render costs it next to nothing. The pid, or
 * -1 when the program cannot be run.
 */
static pid_t espeak_spawn_helper(const char *program, const struct espeak_helper_args *a,
                                 const int *keep, size_t nkeep)
{
    _Static_assert(ENGINE_MAX_CLIPS <= ESPEAK_HELPER_MAX_SLOTS, "helper slot limit");
    char nums[4 + ENGINE_MAX_CLIPS][24];
    char *argv[8 + ENGINE_MAX_CLIPS];
    espeak_helper_argv(a, nums, argv);
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    /* The kept ones stay open across the exec (dup2 onto itself clears
     * close-on-exec); every other one is closed. */
    for (size_t i = 0; i < nkeep; i++)
        posix_spawn_file_actions_adddup2(&fa, keep[i], keep[i]);
    espeak_each_other_fd(keep, nkeep, espeak_spawn_close_fd, &fa);
    pid_t pid;
    int err = posix_spawn(&pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err == 0)
        return pid;
    errno = err;
    return -1;
}

void espeak_proc_stop(struct espeak_proc *p)
{
    if (p->fd >= 0)
        close(p->fd); /* the helper reads end of file and exits */
    p->fd = -1;
    /* ECHILD (a caller ignoring SIGCHLD reaps for us) ends the loop too. */
    while (p->helper && waitpid(p->helper, NULL, 0) < 0 && errno == EINTR)
        ;
    p->helper = 0;
    free(p->voice);
    free(p->fail);
    p->voice = p->fail = NULL;
    p->greeting = 0;
    p->inflight = 0;
    p->broken = false;
}

/* Starts a helper for voice (NULL: the voice checker) in entry p. 0, or -1
 * with the reason in why. */
int espeak_proc_start(struct engine *e, struct espeak_proc *p, const char *voice,
                      struct strbuf *why)
{
    memset(p, 0, sizeof(*p));
    p->fd = -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        strbuf_addf(why, "cannot start espeak-ng: socketpair: %s", strerror(errno));
        return -1;
    }
    uint64_t id = ++e->next_id;
    /* Other helpers (of this engine or any other) must see end of file when
     * the caller closes them, not be kept alive by a copy in this one; and
     * the caller's files are none of the helper's business. */
    int keep[4 + ENGINE_MAX_CLIPS];
    size_t nkeep = 0;
    keep[nkeep++] = sv[1];
    keep[nkeep++] = e->reply[1];
    for (int k = 0; k < e->nslots; k++)
        keep[nkeep++] = e->slots[k];
    if (e->turn[0] >= 0) {
        keep[nkeep++] = e->turn[0];
        keep[nkeep++] = e->turn[1];
    }
    struct espeak_helper_args a = {
        sv[1], e->reply[1], e->slots, e->nslots, voice, id, {e->turn[0], e->turn[1]}};
    pid_t pid = -1;
    if (e->program && (pid = espeak_spawn_helper(e->program, &a, keep, nkeep)) < 0) {
        strbuf_addf(why, "cannot start espeak-ng: %s: %s", e->program, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (!e->program) {
        /* No program (a caller that is not its own helper, such as a unit
         * test): the helper code runs in a fork of the caller, which must
         * have no other thread (engine.h). Output still buffered in the
         * caller's stdio would otherwise exist twice, and be written twice
         * if anything flushed it. */
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
            strbuf_addf(why, "cannot start espeak-ng: fork: %s", strerror(errno));
            close(sv[0]);
            close(sv[1]);
            return -1;
        }
        if (pid == 0) {
            espeak_each_other_fd(keep, nkeep, espeak_close_fd, NULL);
            espeak_helper_main(&a);
        }
    }
    close(sv[1]);
    p->helper = pid;
    p->fd = sv[0];
    p->voice = voice ? xstrdup(voice) : NULL;
    if (voice) {
        /* Its first request can go now: the helper reads it once it is up,
         * and the caller does not wait the few milliseconds espeak-ng takes
         * to load. A failure to start comes with its greeting and fails the
         * runs sent to it (espeak_proc_lost()). */
        p->greeting = id;
        return 0;
    }
    struct espeak_reply r;
    struct strbuf msg = STRBUF_INIT;
    if (espeak_await(e, p, id, &r, &msg) != 0) {
        strbuf_adds(why, msg.len ? msg.buf : "its helper process exited");
        strbuf_release(&msg);
        espeak_proc_stop(p);
        return -1;
    }
    e->rate = r.rate;
    e->version = strbuf_detach(&msg);
    return 0;
}

/*
 * The helper for voice ("voice" or "voice+variant"): the one holding it,
 * else a new one, else the least recently used idle one restarted for it.
 * procs[0] only answers voice checks (they change its state) and never
 * synthesizes; a helper never changes voice either: each one's runs start
 * from the same state, whatever came before, which is what makes a clip
 * depend on its run alone. NULL with *busy set when every helper has runs
 * going; NULL with a reason when the helper cannot start.
 */
struct espeak_proc *espeak_proc_for(struct engine *e, const char *voice, bool *busy,
                                    struct strbuf *why)
{
    *busy = false;
    struct espeak_proc *pick = NULL;
    for (size_t i = 1; i < e->nprocs && !pick; i++)
        if (e->procs[i].voice && !strcmp(e->procs[i].voice, voice))
            pick = &e->procs[i];
    if (pick && !pick->broken) {
        pick->used = ++e->tick;
        return pick;
    }
    if (!pick && e->nprocs < ESPEAK_PROCS) {
        pick = &e->procs[e->nprocs++];
        pick->fd = -1;
    }
    for (size_t i = 1; i < e->nprocs && !pick; i++) {
        struct espeak_proc *p = &e->procs[i];
        if (p->inflight == 0 && (!pick || p->used < pick->used))
            pick = p;
    }
    if (!pick) {
        *busy = true;
        return NULL;
    }
    espeak_proc_stop(pick);
    if (espeak_proc_start(e, pick, voice, why) < 0)
        return NULL;
    pick->used = ++e->tick;
    return pick;
}

int espeak_send(struct engine *e, struct espeak_proc *p, const struct espeak_request *q,
                const char *voice, const char *variant, const char *text)
{
    if (fdio_send(p->fd, q, sizeof(*q)) < 0 || fdio_send(p->fd, voice, q->voice_len) < 0 ||
        fdio_send(p->fd, variant, q->variant_len) < 0 || fdio_send(p->fd, text, q->text_len) < 0) {
        espeak_proc_lost(e, p, false, 0);
        return -1;
    }
    return 0;
}
