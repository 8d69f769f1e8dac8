/*
 * The espeak-ng backend of the engine interface (contract in engine.h).
 *
 * espeak-ng keeps its synthesis state in globals that no API call resets:
 * the same text comes out a few hundred samples longer or shorter depending
 * on what was said before it (measured: "Hello world. This is a test." gave
 * 38933, 39374 and 39377 samples in three successive calls in one process,
 * with srandom() and espeak_ng_InitializeOutput() before each). Voice and
 * parameter changes leave traces too: after some sequences of variant
 * switches a run came out three times faster. Only a process in a known
 * state behaves the same every time, so the engine works with two levels of
 * processes (espeak_helper.c):
 *
 *   caller --socket-- helper per voice+variant (espeak-ng loaded, the voice
 *                     set once, never synthesizes)
 *                       \-- one short-lived child per run (fork of the
 *                           helper: sets the run's rate, pitch, range and
 *                           volume, synthesizes, trims, replies)
 *
 * A helper per voice+variant also spares each run the dictionary espeak-ng
 * reads again whenever a voice is selected (cmn_dict is 1.4 MB). The first
 * helper only answers voice checks. Helpers are forked from the caller, whose
 * size makes fork() slower (0.45 ms at 8 MB, ~7 ms at 200 MB), so they start
 * while it is small. A run costs about 1 ms of process work on top of its
 * synthesis, the price of output that depends on the run alone; the helper
 * forks each run's process while the previous run synthesizes, which takes
 * about half of it off the run's path.
 */
#define _GNU_SOURCE /* memfd_create */
#include "synth/engine.h"
#include "synth/espeak_proto.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* One helper process: espeak-ng loaded once, one voice kept loaded. */
struct espeak_proc {
    pid_t helper;
    int fd;
    int clipfd; /* the shared clip file, or -1 */
    int rate;
    char *version;
    bool broken;        /* the helper is gone; every call fails */
    char *voice;        /* the espeak-ng voice it keeps loaded; NULL: none yet */
    unsigned long used; /* when it was last used, to replace the least recent */
};

/*
 * Selecting a voice makes espeak-ng read its dictionary again (cmn_dict is
 * 1.4 MB), and a voice or variant change leaves traces in later runs. So an
 * engine keeps one helper per voice+variant pair, each set up once; a
 * transcript's cast rarely has more pairs than ESPEAK_PROCS holds.
 */
#define ESPEAK_PROCS 17 /* the voice checker + sixteen voice+variant pairs */

struct engine {
    struct espeak_proc procs[ESPEAK_PROCS];
    struct espeak_proc *pending; /* the helper working on the submitted run */
    struct engine_voice pending_voice;
    const char *pending_text;
    size_t nprocs;
    unsigned long tick;
    int rate;
    const char *version;
};

/* ---- caller side -------------------------------------------------------- */

/* At most 48 characters of the run, for diagnostics. */
static void espeak_excerpt(struct strbuf *sb, const char *text)
{
    const char *p = text, *end = text + strlen(text);
    for (int i = 0; i < 48 && p < end; i++) {
        const char *from = p;
        utf8_decode(&p, end);
        strbuf_add(sb, from, (size_t)(p - from));
    }
    if (p < end)
        strbuf_adds(sb, "…");
}

/* Names espeak-ng would misread: '+' starts a variant, '/' makes a path, a
 * leading digit in a variant means "m3"/"f2" by number, and long names are
 * truncated. */
static bool espeak_name_ok(const char *voice, const char *variant)
{
    if (!voice || !*voice || strlen(voice) > ESPEAK_MAX_VOICE || strpbrk(voice, "+/"))
        return false;
    if (variant && (!*variant || strlen(variant) > ESPEAK_MAX_VARIANT || strpbrk(variant, "+/") ||
                    (*variant >= '0' && *variant <= '9')))
        return false;
    return true;
}

static void espeak_voice_label(struct strbuf *sb, const char *voice, const char *variant)
{
    strbuf_adds(sb, voice ? voice : "(none)");
    if (variant) {
        strbuf_addc(sb, '+');
        strbuf_adds(sb, variant);
    }
}

static int espeak_send_request(struct espeak_proc *e, int type, const struct engine_voice *v,
                               const char *voice, const char *variant, const char *text)
{
    struct espeak_request q = {0};
    q.type = type;
    if (v) {
        q.rate = v->rate;
        q.pitch = v->pitch;
        q.range = v->range;
        q.volume = v->volume;
    }
    q.has_variant = variant != NULL;
    q.voice_len = voice ? (uint32_t)strlen(voice) : 0;
    q.variant_len = variant ? (uint32_t)strlen(variant) : 0;
    q.text_len = text ? (uint32_t)strlen(text) : 0;
    if (fdio_send(e->fd, &q, sizeof(q)) < 0 || fdio_send(e->fd, voice, q.voice_len) < 0 ||
        fdio_send(e->fd, variant, q.variant_len) < 0 || fdio_send(e->fd, text, q.text_len) < 0) {
        e->broken = true;
        return -1;
    }
    return 0;
}

/* Reads one reply's header and message; the payload is left to the caller. */
static int espeak_read_reply(int fd, struct espeak_reply *r, struct strbuf *msg)
{
    if (fdio_read_exact(fd, r, sizeof(*r)) < 0)
        return -1;
    strbuf_grow(msg, r->msg_len);
    if (fdio_read_exact(fd, msg->buf + msg->len, r->msg_len) < 0)
        return -1;
    strbuf_setlen(msg, msg->len + r->msg_len);
    return 0;
}

static void espeak_proc_stop(struct espeak_proc *e);

static int espeak_proc_start(struct espeak_proc *e, struct diags *d)
{
    memset(e, 0, sizeof(*e));
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot start espeak-ng: socketpair: %s",
                 strerror(errno));
        return -1;
    }
    /* Output still buffered in the caller's stdio would otherwise exist
     * twice after fork(), and be written twice if anything flushed it. */
    fflush(NULL);
    int clipfd = memfd_create("scriptcast-clip", MFD_CLOEXEC);
    pid_t pid = fork();
    if (pid < 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot start espeak-ng: fork: %s",
                 strerror(errno));
        close(sv[0]);
        close(sv[1]);
        if (clipfd >= 0)
            close(clipfd);
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        espeak_helper_main(sv[1], clipfd);
    }
    close(sv[1]);
    /* Programs the caller runs later must not hold the helper's socket. */
    fcntl(sv[0], F_SETFD, FD_CLOEXEC);

    e->helper = pid;
    e->fd = sv[0];
    e->clipfd = clipfd;
    struct espeak_reply r;
    struct strbuf msg = STRBUF_INIT;
    if (espeak_read_reply(e->fd, &r, &msg) < 0 || r.status != 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot initialize espeak-ng: %s",
                 msg.len ? msg.buf : "its helper process exited");
        strbuf_release(&msg);
        e->broken = true;
        espeak_proc_stop(e);
        return -1;
    }
    e->rate = r.rate;
    e->version = strbuf_detach(&msg);
    return 0;
}

static void espeak_proc_stop(struct espeak_proc *e)
{
    if (!e)
        return;
    if (!e->broken) {
        struct espeak_request q = {0};
        q.type = ESPEAK_REQ_QUIT;
        fdio_send(e->fd, &q, sizeof(q));
    }
    close(e->fd);
    if (e->clipfd >= 0)
        close(e->clipfd);
    /* ECHILD (a caller ignoring SIGCHLD reaps for us) ends the loop too. */
    while (waitpid(e->helper, NULL, 0) < 0 && errno == EINTR)
        ;
    free(e->version);
    free(e->voice);
    e->version = e->voice = NULL;
}

struct engine *engine_open(struct diags *d)
{
    struct engine *e = xcalloc(1, sizeof(*e));
    if (espeak_proc_start(&e->procs[0], d) < 0) {
        free(e);
        return NULL;
    }
    e->nprocs = 1;
    e->rate = e->procs[0].rate;
    e->version = e->procs[0].version;
    return e;
}

void engine_close(struct engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nprocs; i++)
        espeak_proc_stop(&e->procs[i]);
    free(e);
}

/*
 * The helper for voice: the one holding it, else a new one, else the least
 * recently used one restarted for it. procs[0] only answers voice checks
 * (they change its state) and never synthesizes; a helper never changes
 * voice either: each one's runs start from the same state, whatever came
 * before, which is what makes a clip depend on its run alone.
 */
static struct espeak_proc *espeak_proc_for(struct engine *e, const char *voice_id,
                                           const char *variant, struct diags *d)
{
    struct strbuf name = STRBUF_INIT;
    espeak_voice_label(&name, voice_id, variant);
    const char *voice = name.buf;
    struct espeak_proc *pick = NULL;
    for (size_t i = 1; i < e->nprocs && !pick; i++)
        if (!strcmp(e->procs[i].voice, voice))
            pick = &e->procs[i];
    if (!pick) {
        if (e->nprocs < ESPEAK_PROCS) {
            pick = &e->procs[e->nprocs];
        } else {
            pick = &e->procs[1];
            for (size_t i = 2; i < e->nprocs; i++)
                if (e->procs[i].used < pick->used)
                    pick = &e->procs[i];
            espeak_proc_stop(pick);
        }
        if (espeak_proc_start(pick, d) < 0) {
            strbuf_release(&name);
            return NULL;
        }
        if (pick == &e->procs[e->nprocs])
            e->nprocs++;
        pick->voice = strbuf_detach(&name);
    }
    strbuf_release(&name);
    pick->used = ++e->tick;
    return pick;
}

const char *engine_name(const struct engine *e)
{
    (void)e;
    return "espeak-ng";
}

const char *engine_version(const struct engine *e)
{
    return e->version;
}

int engine_rate(const struct engine *e)
{
    return e->rate;
}

bool engine_voice_exists(struct engine *eng, const char *voice, const char *variant)
{
    /* Any helper can look a voice up; the first is always there. */
    struct espeak_proc *e = &eng->procs[0];
    if (e->broken || !espeak_name_ok(voice, variant))
        return false;
    if (espeak_send_request(e, ESPEAK_REQ_EXISTS, NULL, voice, variant, NULL) < 0)
        return false;
    struct espeak_reply r;
    struct strbuf msg = STRBUF_INIT;
    int rc = espeak_read_reply(e->fd, &r, &msg);
    strbuf_release(&msg);
    if (rc < 0) {
        e->broken = true;
        return false;
    }
    return r.status == 1;
}

static void espeak_fail(const struct engine_voice *v, const char *text, const char *why,
                        struct diags *d)
{
    struct strbuf label = STRBUF_INIT, excerpt = STRBUF_INIT;
    espeak_voice_label(&label, v->voice, v->variant);
    espeak_excerpt(&excerpt, text ? text : "");
    diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "espeak-ng cannot say \"%s\" with voice %s: %s",
             excerpt.buf, label.buf, why && *why ? why : "unknown error");
    strbuf_release(&label);
    strbuf_release(&excerpt);
}

int engine_submit(struct engine *eng, const struct engine_voice *v, const char *text,
                  struct diags *d)
{
    const char *why = NULL;
    struct espeak_proc *e = NULL;
    if (eng->pending)
        why = "a run is already pending";
    else if (!espeak_name_ok(v->voice, v->variant))
        why = "not a valid espeak-ng voice name";
    else if (!(e = espeak_proc_for(eng, v->voice, v->variant, d)))
        why = "cannot start another espeak-ng helper";
    else if (e->broken ||
             espeak_send_request(e, ESPEAK_REQ_SYNTH, v, v->voice, v->variant, text) < 0) {
        e->broken = true;
        why = "the espeak-ng helper process is gone";
    }
    if (why) {
        espeak_fail(v, text, why, d);
        return -1;
    }
    eng->pending = e;
    eng->pending_voice = *v;
    eng->pending_text = text;
    return 0;
}

int engine_collect(struct engine *eng, struct clip *out, struct diags *d)
{
    struct strbuf why = STRBUF_INIT;
    struct espeak_reply r;
    struct espeak_proc *e = eng->pending;
    memset(out, 0, sizeof(*out));
    if (!e) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "espeak-ng: no run pending");
        return -1;
    }
    eng->pending = NULL;
    if (espeak_read_reply(e->fd, &r, &why) < 0) {
        e->broken = true;
        strbuf_reset(&why);
        strbuf_adds(&why, "the espeak-ng helper process is gone");
        goto fail;
    }
    if (r.status != 0)
        goto fail;

    out->rate = r.rate;
    out->n = (size_t)r.n;
    out->nmarks = (size_t)r.nmarks;
    out->samples = out->n ? xmalloc(out->n * sizeof(*out->samples)) : NULL;
    out->marks = out->nmarks ? xmalloc(out->nmarks * sizeof(*out->marks)) : NULL;
    size_t sbytes = out->n * sizeof(*out->samples), mbytes = out->nmarks * sizeof(*out->marks);
    bool lost = r.shared
                    ? (e->clipfd < 0 || fdio_pread_exact(e->clipfd, out->samples, sbytes, 0) < 0 ||
                       fdio_pread_exact(e->clipfd, out->marks, mbytes, (off_t)sbytes) < 0)
                    : (fdio_read_exact(e->fd, out->samples, sbytes) < 0 ||
                       fdio_read_exact(e->fd, out->marks, mbytes) < 0);
    if (lost) {
        e->broken = true;
        clip_release(out);
        strbuf_reset(&why);
        strbuf_adds(&why, "the espeak-ng helper process is gone");
        goto fail;
    }
    strbuf_release(&why);
    return 0;

fail:
    espeak_fail(&eng->pending_voice, eng->pending_text, why.buf, d);
    strbuf_release(&why);
    return -1;
}

int engine_synth(struct engine *eng, const struct engine_voice *v, const char *text,
                 struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    if (engine_submit(eng, v, text, d) < 0)
        return -1;
    return engine_collect(eng, out, d);
}
