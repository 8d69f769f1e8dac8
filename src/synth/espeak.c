/* SPDX-License-Identifier: GPL-3.0-or-later */
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
 *     |               set once, never synthesizes)
 *     |                 \-- one short-lived process per run (fork of the
 *     |                     helper: sets the run's rate, pitch, range and
 *     |                     volume, synthesizes into the run's clip file)
 *     \--reply socket, shared by all of them: one message per answer
 *
 * A helper per voice+variant also spares each run the dictionary espeak-ng
 * reads again whenever a voice is selected (cmn_dict is 1.4 MB). Helpers
 * fork each run's process ahead of need, so the fork is off the run's path,
 * and any number of a helper's runs can be going at once: `depth` runs in
 * all, each writing into a clip file (memfd) of its own, which the caller
 * created before any helper, so every process has them. Of those, `turns`
 * synthesize at once; the others wait, request read and parameters set, for
 * a byte from the turn pipe, which a run puts back the moment espeak-ng is
 * done with it, naming the core it leaves (espeak_run.c): the next run
 * starts there without a round trip through the caller. A finished clip
 * stays in its file until the caller takes it (engine_take()), so clips
 * made ahead of their turn cost the caller no copy and no memory; there
 * are `hold` files more than `depth` for them. The first helper
 * only answers voice checks. Helpers are scriptcast-espeak (src/helper/),
 * the same helper code with espeak-ng linked statically and without audio
 * output: a process with 41 fewer libraries forks and exits in half the
 * time, and there is one such process per run. The caller starts them with
 * posix_spawn(), which copies none of its memory (a fork() would leave all
 * of it copy-on-write, and the caller would fault on its own buffers after
 * every helper start). Where that program is missing, the caller's own
 * program is started as the helper (espeak_helper_cmd.c), never a fork of
 * the caller: its other threads may hold locks the child would wait on.
 * Only a caller that cannot be its own helper (a unit test) has helpers
 * forked from it, while it has one thread.
 */
#define _GNU_SOURCE /* memfd_create */
#include "synth/espeak_engine.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

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

static void espeak_fail(const char *voice, const char *excerpt, const char *why, struct diags *d)
{
    diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "espeak-ng cannot say \"%s\" with voice %s: %s",
             excerpt, voice, why && *why ? why : "unknown error");
}

static void espeak_fail_run(const struct engine_voice *v, const char *text, const char *why,
                            struct diags *d)
{
    struct strbuf label = STRBUF_INIT, excerpt = STRBUF_INIT;
    espeak_voice_label(&label, v->voice, v->variant);
    espeak_excerpt(&excerpt, text ? text : "");
    espeak_fail(label.buf, excerpt.buf, why, d);
    strbuf_release(&label);
    strbuf_release(&excerpt);
}

/* ---- clip files ---------------------------------------------------------- */

/* A file that lives as long as its descriptors: memory where memfd exists,
 * else an unlinked temporary file. -1 with errno set. */
static int espeak_slot_open(void)
{
#ifdef MFD_CLOEXEC
    int fd = memfd_create("scriptcast-clip", MFD_CLOEXEC);
    if (fd >= 0 || errno != ENOSYS)
        return fd;
#endif
    const char *dir = getenv("TMPDIR");
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/scriptcast-clip-XXXXXX", dir && *dir ? dir : "/tmp");
    int tfd = mkstemp(path.buf);
    if (tfd >= 0) {
        unlink(path.buf);
        fcntl(tfd, F_SETFD, FD_CLOEXEC);
    }
    strbuf_release(&path);
    return tfd;
}

/* ---- the helper program -------------------------------------------------- */

/* ---- the interface ------------------------------------------------------- */

/*
 * The turn pipe (espeak_run.h), when fewer runs are to synthesize at once
 * than the engine takes. Without one every run taken synthesizes; that is
 * also what happens when the pipe cannot be made, so that is no failure.
 * The writing end does not block: turns given back never exceed what a
 * pipe holds, but a helper must not hang on it if they did.
 */
static void espeak_turns_open(struct engine *e, int turns)
{
    if (turns <= 0 || turns >= e->depth)
        return;
    if (pipe2(e->turn, O_CLOEXEC) < 0) {
        e->turn[0] = e->turn[1] = -1;
        return;
    }
    fcntl(e->turn[1], F_SETFL, O_NONBLOCK);
    espeak_turn_give(e, turns);
}

void espeak_turn_give(struct engine *e, int n)
{
    for (int i = 0; i < n && e->turn[1] >= 0; i++) {
        ssize_t w;
        do
            w = write(e->turn[1], "\xff", 1); /* no core known (espeak_run.c) */
        while (w < 0 && errno == EINTR);
    }
}

struct engine *engine_open(int depth, int turns, int hold, struct diags *d)
{
    struct engine *e = xcalloc(1, sizeof(*e));
    e->depth = depth < 1 ? 1 : depth > ESPEAK_MAX_DEPTH ? ESPEAK_MAX_DEPTH : depth;
    /* Each clip file is a descriptor: they get half the process's limit
     * (the rest stays for outputs, the cache and helpers' sockets), the
     * runs at once at most half of that, the kept clips what is left. */
    int most = ENGINE_MAX_CLIPS;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur / 2 < (rlim_t)most)
        most = rl.rlim_cur < 4 ? 2 : (int)(rl.rlim_cur / 2);
    if (e->depth > most / 2)
        e->depth = most / 2;
    if (hold > most - e->depth)
        hold = most - e->depth;
    if (hold < 0)
        hold = 0;
    e->nslots = e->depth + hold;
    e->reply[0] = e->reply[1] = -1;
    e->turn[0] = e->turn[1] = -1;
    strbuf_init(&e->want_msg);
    e->slots = xmalloc((size_t)e->nslots * sizeof(*e->slots));
    e->fly = xcalloc((size_t)e->nslots, sizeof(*e->fly));
    for (int k = 0; k < e->nslots; k++) {
        e->slots[k] = -1;
        strbuf_init(&e->fly[k].why);
        strbuf_init(&e->fly[k].text);
        strbuf_init(&e->fly[k].voice);
    }
    struct strbuf why = STRBUF_INIT;
    if (espeak_find_program(&e->program, &why) < 0)
        goto fail;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, e->reply) < 0) {
        strbuf_addf(&why, "cannot start espeak-ng: socketpair: %s", strerror(errno));
        goto fail;
    }
    for (int k = 0; k < e->nslots; k++) {
        if ((e->slots[k] = espeak_slot_open()) < 0) {
            strbuf_addf(&why, "cannot start espeak-ng: no clip file: %s", strerror(errno));
            goto fail;
        }
    }
    espeak_turns_open(e, turns);
    e->nprocs = 1;
    if (espeak_proc_start(e, &e->procs[0], NULL, &why) < 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "cannot initialize espeak-ng: %s", why.buf);
        strbuf_reset(&why);
        e->nprocs = 0;
        goto fail;
    }
    return e;
fail:
    if (why.len)
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "%s", why.buf);
    strbuf_release(&why);
    engine_close(e);
    return NULL;
}

void engine_close(struct engine *e)
{
    if (!e)
        return;
    /* Every helper told first, then each waited for: they wind down (a
     * spare to reap, espeak-ng to unmap) side by side, not one by one. */
    for (size_t i = 0; i < e->nprocs; i++) {
        if (e->procs[i].fd >= 0)
            close(e->procs[i].fd);
        e->procs[i].fd = -1;
    }
    for (size_t i = 0; i < e->nprocs; i++)
        espeak_proc_stop(&e->procs[i]);
    for (int k = 0; k < e->nslots; k++) {
        if (e->slots[k] >= 0)
            close(e->slots[k]);
        strbuf_release(&e->fly[k].why);
        strbuf_release(&e->fly[k].text);
        strbuf_release(&e->fly[k].voice);
    }
    if (e->reply[0] >= 0) {
        close(e->reply[0]);
        close(e->reply[1]);
    }
    if (e->turn[0] >= 0) {
        close(e->turn[0]);
        close(e->turn[1]);
    }
    strbuf_release(&e->want_msg);
    free(e->slots);
    free(e->fly);
    free(e->version);
    free(e->program);
    free(e);
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

int engine_clips(const struct engine *e)
{
    return e->nslots;
}

bool engine_voice_exists(struct engine *e, const char *voice, const char *variant)
{
    /* The checker can look a voice up; it never synthesizes. */
    struct espeak_proc *p = &e->procs[0];
    if (p->broken || p->fd < 0 || !espeak_name_ok(voice, variant))
        return false;
    struct espeak_request q = {0};
    q.id = ++e->next_id;
    q.type = ESPEAK_REQ_EXISTS;
    q.has_variant = variant != NULL;
    q.voice_len = (uint32_t)strlen(voice);
    q.variant_len = variant ? (uint32_t)strlen(variant) : 0;
    if (espeak_send(e, p, &q, voice, variant, NULL) < 0)
        return false;
    struct espeak_reply r;
    struct strbuf msg = STRBUF_INIT;
    int status = espeak_await(e, p, q.id, &r, &msg);
    strbuf_release(&msg);
    return status == 1;
}

void engine_prepare(struct engine *e, const char *voice, const char *variant)
{
    if (e->nprocs >= ESPEAK_PROCS || !espeak_name_ok(voice, variant))
        return; /* no room without replacing one in use, or a name to refuse later */
    struct strbuf label = STRBUF_INIT, why = STRBUF_INIT;
    espeak_voice_label(&label, voice, variant);
    bool busy;
    espeak_proc_for(e, label.buf, &busy, &why);
    strbuf_release(&label);
    strbuf_release(&why);
}

size_t engine_pending(const struct engine *e)
{
    size_t n = 0;
    for (int k = 0; k < e->nslots; k++)
        n += e->fly[k].busy && !e->fly[k].kept;
    return n;
}

int engine_submit(struct engine *e, size_t tag, const struct engine_voice *v, const char *text,
                  struct diags *d)
{
    /* A free file that kept its pages (espeak_slot_free()) if there is
     * one: a run writing into fresh pages waits for each to be allocated
     * and cleared. */
    int slot = -1, kept = 0;
    for (int k = 0; k < e->nslots; k++) {
        const struct espeak_flight *f = &e->fly[k];
        kept += f->kept;
        if (!f->busy && !f->poisoned && (slot < 0 || (f->filled && !e->fly[slot].filled)))
            slot = k;
    }
    size_t pending = engine_pending(e);
    if (pending >= (size_t)e->depth || (slot < 0 && pending > 0))
        return 1;
    const char *why = NULL;
    struct strbuf reason = STRBUF_INIT, label = STRBUF_INIT;
    struct espeak_proc *p = NULL;
    bool busy = false;
    if (slot < 0)
        why = kept ? "every clip file holds a clip not taken" : "its helper processes were lost";
    else if (!espeak_name_ok(v->voice, v->variant))
        why = "not a valid espeak-ng voice name";
    if (why)
        goto fail;
    espeak_voice_label(&label, v->voice, v->variant);
    if (!(p = espeak_proc_for(e, label.buf, &busy, &reason))) {
        if (busy) {
            strbuf_release(&label);
            return 1;
        }
        why = reason.buf;
        goto fail;
    }
    struct espeak_request q = {0};
    q.id = ++e->next_id;
    q.type = ESPEAK_REQ_SYNTH;
    q.slot = slot;
    q.rate = v->rate;
    q.pitch = v->pitch;
    q.range = v->range;
    q.volume = v->volume;
    q.has_variant = v->variant != NULL;
    q.voice_len = (uint32_t)strlen(v->voice);
    q.variant_len = v->variant ? (uint32_t)strlen(v->variant) : 0;
    q.text_len = (uint32_t)strlen(text);
    /* In flight before it is sent: a helper found gone while sending
     * fails it like any run it had, with the reason it went. */
    struct espeak_flight *f = &e->fly[slot];
    f->busy = true;
    f->done = false;
    f->kept = false;
    f->id = q.id;
    f->tag = tag;
    f->proc = p;
    p->inflight++;
    strbuf_reset(&f->text);
    espeak_excerpt(&f->text, text);
    strbuf_reset(&f->voice);
    strbuf_adds(&f->voice, label.buf);
    espeak_send(e, p, &q, v->voice, v->variant, text);
    strbuf_release(&label);
    strbuf_release(&reason);
    return 0;
fail:
    espeak_fail_run(v, text, why, d);
    strbuf_release(&label);
    strbuf_release(&reason);
    return -1;
}

/* The answer of a run that made a clip, checked like everything read
 * from another process. 0, or -1 with a reason. */
static int espeak_check_reply(const struct espeak_reply *r, struct strbuf *why)
{
    if (r->n > ESPEAK_MAX_SAMPLES || r->nmarks > ESPEAK_MAX_MARKS || r->nmarks == 0 ||
        r->start > ESPEAK_MAX_SAMPLES) {
        strbuf_adds(why, "a garbled answer from the run process");
        return -1;
    }
    return 0;
}

/* Copies the clip of the run in file `slot` out of it, into b's arrays.
 * 0, or -1 with a reason and b->clip empty. */
static int espeak_read_clip(struct engine *e, int slot, struct clip_buf *b, struct strbuf *why)
{
    const struct espeak_reply *r = &e->fly[slot].r;
    size_t n = (size_t)r->n, nmarks = (size_t)r->nmarks;
    size_t sbytes = n * sizeof(int16_t), mbytes = nmarks * sizeof(struct clip_mark);
    if (clip_buf_reserve(b, sbytes, nmarks) < 0) {
        strbuf_adds(why, "out of memory for the clip");
        return -1;
    }
    int fd = e->slots[slot];
    if (fdio_pread_exact(fd, b->clip.samples, sbytes, (off_t)(r->start * sizeof(int16_t))) < 0 ||
        fdio_pread_exact(fd, b->clip.marks, mbytes, (off_t)r->marks_at) < 0) {
        strbuf_addf(why, "cannot read the clip file: %s", errno ? strerror(errno) : "too short");
        return -1;
    }
    b->clip.rate = r->rate;
    b->clip.n = n;
    b->clip.nmarks = nmarks;
    return 0;
}

/* Frees clip file `slot`. Up to `depth` free files keep their pages for
 * the next runs (allocating and clearing them again costs a run time);
 * any more give them back, so the engine holds no more memory than the
 * clips waiting in it and one clip's worth per run at once. */
static void espeak_slot_free(struct engine *e, int slot)
{
    struct espeak_flight *f = &e->fly[slot];
    f->busy = false;
    f->kept = false;
    int ready = 0;
    for (int k = 0; k < e->nslots; k++)
        ready += k != slot && !e->fly[k].busy && !e->fly[k].poisoned && e->fly[k].filled;
    struct stat st;
    if (fstat(e->slots[slot], &st) < 0)
        f->poisoned = true; /* cannot tell what it holds: never reused */
    else if (ready < e->depth)
        f->filled = st.st_size > 0;
    else if (st.st_size > 0 && ftruncate(e->slots[slot], 0) < 0)
        f->poisoned = true;
    else
        f->filled = false;
}

/* Waits for a pending run to finish and keeps its clip in its file: the
 * file's number, or -1 with a diagnostic (the run failed, or none was
 * pending). *tag is the run's tag, SIZE_MAX when none was pending. */
static int espeak_wait(struct engine *e, size_t *tag, struct diags *d)
{
    *tag = SIZE_MAX;
    if (engine_pending(e) == 0) {
        diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "espeak-ng: no run pending");
        return -1;
    }
    int slot = -1;
    for (;;) {
        /* The lowest tag among the answered, so ties resolve the same way. */
        for (int k = 0; k < e->nslots; k++) {
            struct espeak_flight *f = &e->fly[k];
            if (f->busy && f->done && !f->kept && (slot < 0 || f->tag < e->fly[slot].tag))
                slot = k;
        }
        if (slot >= 0)
            break;
        espeak_pump(e);
    }
    struct espeak_flight *f = &e->fly[slot];
    *tag = f->tag;
    if (f->r.status != 0 || espeak_check_reply(&f->r, &f->why) < 0) {
        espeak_fail(f->voice.buf, f->text.buf, f->why.buf, d);
        espeak_slot_free(e, slot);
        return -1;
    }
    f->kept = true;
    return slot;
}

/* Copies the clip kept in file `slot` into out and frees the file. */
static int espeak_take_slot(struct engine *e, int slot, struct clip_buf *out, struct diags *d)
{
    struct espeak_flight *f = &e->fly[slot];
    int rc = espeak_read_clip(e, slot, out, &f->why);
    if (rc < 0)
        espeak_fail(f->voice.buf, f->text.buf, f->why.buf, d);
    espeak_slot_free(e, slot);
    return rc;
}

int engine_wait(struct engine *e, size_t *tag, size_t *bytes, struct diags *d)
{
    *bytes = 0;
    int slot = espeak_wait(e, tag, d);
    if (slot < 0)
        return -1;
    const struct espeak_reply *r = &e->fly[slot].r;
    *bytes = (size_t)r->n * sizeof(int16_t) + (size_t)r->nmarks * sizeof(struct clip_mark);
    return 0;
}

int engine_take(struct engine *e, size_t tag, struct clip_buf *out, struct diags *d)
{
    out->clip.n = out->clip.nmarks = 0;
    for (int k = 0; k < e->nslots; k++)
        if (e->fly[k].kept && e->fly[k].tag == tag)
            return espeak_take_slot(e, k, out, d);
    diag_add(d, DIAG_SYSTEM, NULL, 0, 0, NULL, "espeak-ng: no clip kept for run %zu", tag);
    return -1;
}

int engine_collect(struct engine *e, size_t *tag, struct clip *out, struct diags *d)
{
    memset(out, 0, sizeof(*out));
    int slot = espeak_wait(e, tag, d);
    if (slot < 0)
        return -1;
    /* The clip becomes the caller's: arrays of its own size, as before. */
    struct clip_buf b = {0};
    if (espeak_take_slot(e, slot, &b, d) < 0) {
        clip_buf_release(&b);
        return -1;
    }
    *out = b.clip;
    return 0;
}

int engine_synth(struct engine *e, const struct engine_voice *v, const char *text, struct clip *out,
                 struct diags *d)
{
    memset(out, 0, sizeof(*out));
    if (engine_pending(e) > 0) {
        espeak_fail_run(v, text, "other runs are pending", d);
        return -1;
    }
    size_t tag;
    if (engine_submit(e, 0, v, text, d) != 0)
        return -1;
    return engine_collect(e, &tag, out, d);
}
