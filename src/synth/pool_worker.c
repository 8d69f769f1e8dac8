/*
 * The worker side of the synthesis pool (pool_proto.h): what runs in each
 * forked worker process. It opens its own engine once, greets the parent,
 * then reads one request at a time from its socket, synthesizes it (storing
 * the clip in the cache when it has one) and writes back the result, with
 * blocking I/O: the parent is the one that must never wait.
 */
#include "synth/pool_proto.h"
#include "synth/cache.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* ---- full reads and writes ---------------------------------------------- */

/* 0 when len bytes were read, 1 at end of input before the first byte, -1
 * on an error or a message cut short. */
static int pool_recv_all(int fd, void *buf, size_t len)
{
    ssize_t got = fdio_read(fd, buf, len);
    if (got == 0 && len > 0)
        return 1;
    return got >= 0 && (size_t)got == len ? 0 : -1;
}

/* ---- the worker's loop ------------------------------------------------- */

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
    if (fdio_send(fd, &r, sizeof(r)) < 0 || fdio_send(fd, msg, r.msg_len) < 0 ||
        fdio_send(fd, marks, r.nmarks * sizeof(*marks)) < 0 ||
        (c && fdio_send(fd, c->samples, c->n * sizeof(*c->samples)) < 0))
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
_Noreturn void pool_worker_main(int fd, const char *cache_dir, pid_t parent)
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
