/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a run process does (contract in espeak_run.h): it synthesizes one
 * run straight into the clip file the caller chose, trims it, and answers
 * the caller itself on the shared reply socket. The helper that forked it
 * (espeak_helper.c) only hands the run over and reports a run process that
 * ends without answering.
 */
#define _GNU_SOURCE /* sched_getcpu, sched_setaffinity */
#include "synth/espeak_run.h"
#include "synth/engine.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <espeak-ng/speak_lib.h>

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where answers go, the clip files runs write into, and the turn pipe
 * (from the caller). */
static int espeak_replyfd = -1;
static const int *espeak_slots;
static int espeak_nslots;
static int espeak_turn[2] = {-1, -1};

void espeak_run_setup(int replyfd, const int *slots, int nslots, const int turn[2])
{
    espeak_replyfd = replyfd;
    espeak_slots = slots;
    espeak_nslots = nslots;
    espeak_turn[0] = turn[0];
    espeak_turn[1] = turn[1];
}

/*
 * A turn is a byte: the core the run that gave it back ran on (0xff: none
 * known). The kernel places a woken run by heuristics that, on a 2-core
 * machine, often queued it behind the other synthesizing run while the
 * core just vacated idled until the next balancing tick, 2 to 4 ms later
 * (6 to 8% of a render's core time went idle, measured with sched_switch
 * events). So a run that takes a turn moves to that core, the one being
 * vacated: its affinity narrowed to it, which migrates it at once, and
 * widened again, which leaves it there but free to be balanced later. Only
 * where it is allowed to run anyway; where this cannot be done, a turn is
 * just a turn. Samples do not depend on the core.
 */
static void espeak_turn_move(unsigned char core)
{
#ifdef __linux__
    cpu_set_t allowed, one;
    if (core == 0xff || sched_getcpu() == core ||
        sched_getaffinity(0, sizeof(allowed), &allowed) != 0 || !CPU_ISSET(core, &allowed))
        return;
    CPU_ZERO(&one);
    CPU_SET(core, &one);
    if (sched_setaffinity(0, sizeof(one), &one) == 0)
        sched_setaffinity(0, sizeof(allowed), &allowed);
#else
    (void)core;
#endif
}

static unsigned char espeak_turn_core(void)
{
#ifdef __linux__
    int core = sched_getcpu();
    return core >= 0 && core < 0xff ? (unsigned char)core : 0xff;
#else
    return 0xff;
#endif
}

/* Waits for a turn. A pipe that fails is no reason to fail the run: it
 * then goes without one (and gives none back). */
static bool espeak_turn_take(void)
{
    if (espeak_turn[0] < 0)
        return false;
    unsigned char t;
    ssize_t n;
    do
        n = read(espeak_turn[0], &t, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1)
        return false;
    espeak_turn_move(t);
    return true;
}

static void espeak_turn_put(unsigned char core)
{
    ssize_t n;
    do
        n = write(espeak_turn[1], &core, 1);
    while (n < 0 && errno == EINTR);
}

void espeak_run_turn_back(void)
{
    if (espeak_turn[1] >= 0)
        espeak_turn_put(0xff);
}

/*
 * Sends one answer as one message. A message is all or nothing on a
 * SOCK_SEQPACKET socket, so answers from the helper and its run processes
 * never interleave. 0, or -1 when the caller is gone.
 */
int espeak_answer(uint64_t id, int status, int rate, const char *msg,
                  const struct espeak_reply *clip)
{
    char buf[sizeof(struct espeak_reply) + ESPEAK_MAX_MSG];
    struct espeak_reply r;
    if (clip)
        r = *clip;
    else
        memset(&r, 0, sizeof(r));
    r.id = id;
    r.status = status;
    r.rate = rate;
    size_t len = msg ? strlen(msg) : 0;
    r.msg_len = (uint32_t)(len < ESPEAK_MAX_MSG ? len : ESPEAK_MAX_MSG);
    memcpy(buf, &r, sizeof(r));
    if (r.msg_len)
        memcpy(buf + sizeof(r), msg, r.msg_len);
    ssize_t n;
    do
        n = send(espeak_replyfd, buf, sizeof(r) + r.msg_len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)(sizeof(r) + r.msg_len) ? 0 : -1;
}

/*
 * One run being synthesized, straight into its clip file: mapped shared,
 * grown a chunk at a time, so samples are written once, where the caller
 * reads them. (The file's pages stay from run to run; pre-faulting them with
 * MADV_POPULATE_WRITE measured no faster than faulting them as written.) Marks hold
 * 1-based CHARACTER positions until espeak_run_offsets() converts them.
 */
struct espeak_run {
    int fd;
    unsigned char *map; /* `reserved` bytes of address space over the file */
    size_t reserved;
    size_t ready; /* bytes of the map backed by the file */
    int16_t *samples;
    size_t n;
    struct clip_mark *marks;
    size_t nmarks, markcap;
    size_t limit; /* samples */
    bool overflow;
    bool failed; /* the clip file could not grow */
    bool heard;  /* a sample at or above CLIP_TRIM_THRESHOLD has arrived */
};

/* The callback has no other way to find the run: espeak-ng is global anyway,
 * and only the run process, which synthesizes exactly once, sets this. */
static struct espeak_run *espeak_current;

/* Makes the first `need` bytes of the map writable. false: no space. */
static bool espeak_run_room(struct espeak_run *run, size_t need)
{
    if (need <= run->ready)
        return true;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t want = run->ready ? run->ready * 2 : (size_t)256 << 10;
    if (want < need)
        want = need;
    want = (want + page - 1) / page * page;
    if (want > run->reserved)
        want = run->reserved;
    if (want < need)
        return false;
    struct stat st;
    if (fstat(run->fd, &st) < 0)
        return false;
    /* The file only grows: its pages, kept from earlier runs, are reused. */
    if ((size_t)st.st_size < want && ftruncate(run->fd, (off_t)want) < 0)
        return false;
    run->ready = want;
    return true;
}

static bool espeak_loud(const short *wav, size_t n)
{
    for (size_t i = 0; wav && i < n; i++)
        if (wav[i] >= CLIP_TRIM_THRESHOLD || wav[i] <= -CLIP_TRIM_THRESHOLD)
            return true;
    return false;
}

int espeak_run_callback(short *wav, int numsamples, espeak_EVENT *events)
{
    struct espeak_run *run = espeak_current;
    size_t got = numsamples > 0 ? (size_t)numsamples : 0;

    for (espeak_EVENT *ev = events; ev && ev->type != espeakEVENT_LIST_TERMINATED; ev++) {
        if (ev->type != espeakEVENT_SENTENCE)
            continue;
        /*
         * Where the sentence starts: espeak-ng delivers an event together
         * with the buffer in which it happens, and ev->sample is its exact
         * index counted from the start of this espeak_Synth() (verified: it
         * always lay inside [received, received + numsamples], and a
         * sentence starting mid-buffer was 262 samples past the buffer
         * start, so "samples received so far" would be up to one buffer,
         * ~50 ms, early). audio_position is the same point rounded to ms.
         * The clamp only guards against a library that breaks that rule.
         */
        size_t at = ev->sample > 0 ? (size_t)ev->sample : 0;
        if (at < run->n)
            at = run->n;
        if (at > run->n + got)
            at = run->n + got;
        size_t ch = ev->text_position > 1 ? (size_t)ev->text_position : 1;
        struct clip_mark *last = &run->marks[run->nmarks - 1];
        /*
         * A sentence that begins before anything is heard begins, for the
         * listener, at the run start: its event comes after the silence
         * espeak-ng makes for leading spaces or an opening quote (110 ms
         * for "“"), and that mark is already there.
         */
        if (!run->heard && !espeak_loud(wav, at - run->n))
            continue;
        if (at <= last->sample || ch <= last->text_offset)
            continue;
        XGROW(run->marks, run->markcap, run->nmarks + 1);
        run->marks[run->nmarks].sample = at;
        run->marks[run->nmarks].text_offset = ch;
        run->nmarks++;
    }

    if (wav && got > 0) {
        if (run->n + got > run->limit) {
            run->overflow = true;
            return 1; /* non-zero stops the synthesis */
        }
        if (!espeak_run_room(run, (run->n + got) * sizeof(int16_t))) {
            run->failed = true;
            return 1;
        }
        memcpy(run->samples + run->n, wav, got * sizeof(*wav));
        if (!run->heard)
            run->heard = espeak_loud(wav, got);
        run->n += got;
    }
    return 0;
}

/* Turns the marks' 1-based character positions (what espeak-ng reports, in
 * code points) into byte offsets, in one pass since they ascend. */
static void espeak_run_offsets(struct espeak_run *run, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    size_t ch = 1;
    for (size_t i = 0; i < run->nmarks; i++) {
        size_t want = run->marks[i].text_offset;
        while (ch < want && p < end) {
            utf8_decode(&p, end);
            ch++;
        }
        run->marks[i].text_offset = (size_t)(p - text);
    }
}

/* Synthesizes one run into clip file `slot` and answers. Never returns; the
 * exit status is 0 exactly when the answer went out. */
void espeak_run_main(uint64_t id, int slot, int rate, const char *text, size_t len)
{
    struct espeak_run run = {0};
    struct strbuf why = STRBUF_INIT;
    run.limit = (size_t)rate * (ESPEAK_RUN_LIMIT_BASE_S + len);
    XGROW(run.marks, run.markcap, 1);
    run.marks[0].sample = 0;
    run.marks[0].text_offset = 1;
    run.nmarks = 1;
    espeak_current = &run;

    if (slot < 0 || slot >= espeak_nslots) {
        strbuf_addf(&why, "no clip file %d", slot);
        _exit(espeak_answer(id, -1, rate, why.buf, NULL) == 0 ? 0 : 1);
    }
    run.fd = espeak_slots[slot];
    /* Address space for the longest clip allowed, its marks after it; the
     * file behind it grows as samples come. */
    run.reserved = run.limit * sizeof(int16_t) + ((size_t)1 << 20);
    run.map = mmap(NULL, run.reserved, PROT_READ | PROT_WRITE, MAP_SHARED, run.fd, 0);
    if (run.map == MAP_FAILED) {
        strbuf_addf(&why, "cannot map the clip file: %s", strerror(errno));
        _exit(espeak_answer(id, -1, rate, why.buf, NULL) == 0 ? 0 : 1);
    }
    run.samples = (int16_t *)run.map;

    /* No espeakENDPAUSE: the assembler adds the pauses, and a trailing one
     * here would only be trimmed again. The turn is given back before the
     * clip is trimmed and answered for: the next run need not wait for that. */
    bool turn = espeak_turn_take();
    espeak_ERROR err =
        espeak_Synth(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    if (turn)
        espeak_turn_put(espeak_turn_core());
    if (run.overflow)
        strbuf_addf(&why, "more than %zu seconds of audio for %zu bytes of text",
                    run.limit / (size_t)rate, len);
    else if (run.failed)
        strbuf_addf(&why, "cannot grow the clip file: %s", strerror(errno));
    else if (err != EE_OK)
        strbuf_addf(&why, "espeak_Synth failed (error %d)", (int)err);
    if (why.len)
        _exit(espeak_answer(id, -1, rate, why.buf, NULL) == 0 ? 0 : 1);

    espeak_run_offsets(&run, text, len);
    size_t start = 0;
    size_t n = clip_trim_span(run.samples, run.n, CLIP_TRIM_THRESHOLD,
                              (size_t)rate * CLIP_TRIM_KEEP_MS / 1000, &start);
    run.nmarks = clip_trim_marks(run.marks, run.nmarks, start, n);
    size_t marks_at = (run.n * sizeof(int16_t) + 7) / 8 * 8;
    size_t mbytes = run.nmarks * sizeof(*run.marks);
    if (!espeak_run_room(&run, marks_at + mbytes)) {
        strbuf_addf(&why, "cannot grow the clip file: %s", strerror(errno));
        _exit(espeak_answer(id, -1, rate, why.buf, NULL) == 0 ? 0 : 1);
    }
    memcpy(run.map + marks_at, run.marks, mbytes);
    struct espeak_reply r = {0};
    r.start = start;
    r.n = n;
    r.marks_at = marks_at;
    r.nmarks = run.nmarks;
    _exit(espeak_answer(id, 0, rate, NULL, &r) == 0 ? 0 : 1);
}
