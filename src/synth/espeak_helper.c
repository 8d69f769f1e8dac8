/*
 * The espeak-ng helper process and its run children (the caller side is
 * espeak.c, which explains the design). A helper loads espeak-ng once and
 * one voice+variant once, then forks a child per run, one run ahead (the
 * spare waits for its run while the previous one synthesizes): the child
 * sets the run's parameters, synthesizes, trims, and sends the clip back
 * through the shared clip file. Every run thus starts from the same state.
 */
#include "synth/engine.h"
#include "synth/espeak_proto.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * A clip travels from the run's process to the caller through a memfd the
 * caller created before forking the helper (and that every run inherits):
 * written once there, read once by the caller. Relayed through the helper's
 * socket it was copied four times, a tenth of a cold render's CPU.
 * -1 when memfd_create() is not available: clips then go through the socket.
 */
static int espeak_clipfd = -1;

/* State of the helper process: what espeak-ng is currently set to. */
struct espeak_helper {
    int fd;
    int rate;
    struct strbuf voice; /* "voice" or "voice+variant" last set; empty: unknown */
    int params[4];       /* rate, pitch, range, volume last set; -1: unknown */
    char **variants;     /* names in voices/!v, listed on first need */
    size_t nvariants;
    bool variants_listed;
    pid_t spare;  /* a run child forked ahead, waiting for its run; 0: none */
    int spare_fd; /* the helper's end of the spare's socket */
};

/* One run being synthesized in a run child. Marks hold 1-based CHARACTER
 * positions in text_offset until espeak_run_offsets() converts them. */
struct espeak_run {
    int16_t *samples;
    size_t n, cap;
    struct clip_mark *marks;
    size_t nmarks, markcap;
    size_t limit;
    bool overflow;
    bool heard; /* a sample at or above CLIP_TRIM_THRESHOLD has arrived */
};

/* The callback has no other way to find the run: espeak-ng is global anyway,
 * and only the run child, which synthesizes exactly once, sets this. */
static struct espeak_run *espeak_current;

static int espeak_send_reply(int fd, int status, int rate, const char *msg, const struct clip *c)
{
    struct espeak_reply r = {0};
    r.status = status;
    r.rate = rate;
    r.msg_len = msg ? (uint32_t)strlen(msg) : 0;
    r.n = c ? c->n : 0;
    r.nmarks = c ? c->nmarks : 0;
    size_t sbytes = r.n * sizeof(int16_t);
    if (c && espeak_clipfd >= 0 && fdio_pwrite(espeak_clipfd, c->samples, sbytes, 0) == 0 &&
        fdio_pwrite(espeak_clipfd, c->marks, r.nmarks * sizeof(*c->marks), (off_t)sbytes) == 0)
        r.shared = 1;
    if (fdio_send(fd, &r, sizeof(r)) < 0 || fdio_send(fd, msg, r.msg_len) < 0)
        return -1;
    if (c && !r.shared &&
        (fdio_send(fd, c->samples, sbytes) < 0 ||
         fdio_send(fd, c->marks, r.nmarks * sizeof(*c->marks)) < 0))
        return -1;
    return 0;
}

static void espeak_status_message(espeak_ng_STATUS status, struct strbuf *sb)
{
    char buf[256];
    espeak_ng_GetStatusCodeMessage(status, buf, sizeof(buf));
    strbuf_adds(sb, buf);
}

/* ---- run child ---------------------------------------------------------- */

static bool espeak_loud(const short *wav, size_t n)
{
    for (size_t i = 0; wav && i < n; i++)
        if (wav[i] >= CLIP_TRIM_THRESHOLD || wav[i] <= -CLIP_TRIM_THRESHOLD)
            return true;
    return false;
}

static int espeak_callback(short *wav, int numsamples, espeak_EVENT *events)
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
        if (run->n + got > run->cap) {
            /* No zeroing (XGROW would): every sample is written next. */
            size_t cap = run->cap ? run->cap : 65536;
            while (cap < run->n + got)
                cap *= 2;
            run->samples = xrealloc(run->samples, cap * sizeof(*run->samples));
            run->cap = cap;
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

static void espeak_run_child(int fd, int rate, const char *text, size_t len)
{
    struct espeak_run run = {0};
    run.limit = (size_t)rate * (ESPEAK_RUN_LIMIT_BASE_S + len);
    XGROW(run.marks, run.markcap, 1);
    run.marks[0].sample = 0;
    run.marks[0].text_offset = 1;
    run.nmarks = 1;
    espeak_current = &run;

    /* No espeakENDPAUSE: the assembler adds the pauses, and a trailing one
     * here would only be trimmed again. */
    espeak_ERROR err =
        espeak_Synth(text, len + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, NULL);
    if (run.overflow) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "more than %zu seconds of audio for %zu bytes of text",
                    run.limit / (size_t)rate, len);
        espeak_send_reply(fd, -1, rate, sb.buf, NULL);
        _exit(0);
    }
    if (err != EE_OK) {
        struct strbuf sb = STRBUF_INIT;
        strbuf_addf(&sb, "espeak_Synth failed (error %d)", (int)err);
        espeak_send_reply(fd, -1, rate, sb.buf, NULL);
        _exit(0);
    }

    espeak_run_offsets(&run, text, len);
    struct clip c = {run.samples, run.n, rate, run.marks, run.nmarks};
    clip_trim(&c, CLIP_TRIM_THRESHOLD, (size_t)rate * CLIP_TRIM_KEEP_MS / 1000);
    espeak_send_reply(fd, 0, rate, NULL, &c);
    _exit(0);
}

/* ---- helper process ----------------------------------------------------- */

static bool espeak_helper_has_variant(struct espeak_helper *h, const char *variant)
{
    if (!h->variants_listed) {
        /* espeak-ng loads a variant from voices/!v/NAME and lists exactly
         * those files for the pseudo-language "variant". Listing reads every
         * file, so it is done once. */
        espeak_VOICE spec;
        memset(&spec, 0, sizeof(spec));
        spec.languages = "variant";
        const espeak_VOICE **list = espeak_ListVoices(&spec);
        size_t cap = 0;
        for (size_t i = 0; list && list[i]; i++) {
            const char *id = list[i]->identifier;
            if (!id || strncmp(id, "!v/", 3) != 0)
                continue;
            XGROW(h->variants, cap, h->nvariants + 1);
            h->variants[h->nvariants++] = xstrdup(id + 3);
        }
        h->variants_listed = true;
    }
    for (size_t i = 0; i < h->nvariants; i++)
        if (strcmp(h->variants[i], variant) == 0)
            return true;
    return false;
}

/* Sets the voice if it differs from the current one. 0, or -1 with a reason. */
static int espeak_helper_voice(struct espeak_helper *h, const char *voice, const char *variant,
                               struct strbuf *why)
{
    struct strbuf name = STRBUF_INIT;
    strbuf_adds(&name, voice);
    if (variant) {
        strbuf_addc(&name, '+');
        strbuf_adds(&name, variant);
    }
    int rc = 0;
    if (strcmp(name.buf, h->voice.buf) != 0) {
        if (variant && !espeak_helper_has_variant(h, variant)) {
            strbuf_addf(why, "espeak-ng has no voice variant \"%s\"", variant);
            rc = -1;
            goto cleanup;
        }
        strbuf_reset(&h->voice);
        espeak_ng_STATUS st = espeak_ng_SetVoiceByName(name.buf);
        if (st != ENS_OK) {
            espeak_status_message(st, why);
            rc = -1;
            goto cleanup;
        }
        strbuf_adds(&h->voice, name.buf);
        /* A voice (or variant) brings its own speed and pitch settings:
         * what was set before must be set again, or a run's rate would
         * depend on which runs this helper happened to do before. */
        for (int i = 0; i < 4; i++)
            h->params[i] = -1;
    }
cleanup:
    strbuf_release(&name);
    return rc;
}

static void espeak_helper_params(struct espeak_helper *h, const struct espeak_request *q)
{
    static const espeak_PARAMETER which[4] = {espeakRATE, espeakPITCH, espeakRANGE, espeakVOLUME};
    const int want[4] = {q->rate, q->pitch, q->range, q->volume};
    /* Only changes are sent; a voice change forgets them all (see above). */
    for (int i = 0; i < 4; i++) {
        if (h->params[i] != want[i]) {
            espeak_SetParameter(which[i], want[i], 0);
            h->params[i] = want[i];
        }
    }
}

/* Runs one synthesis in a fresh child and relays its reply to the caller. */
/* A run child waiting for its run: parameters and text, then synthesis. */
static void espeak_spare_main(struct espeak_helper *h, int fd)
{
    struct espeak_request q;
    struct strbuf text = STRBUF_INIT;
    if (fdio_read_exact(fd, &q, sizeof(q)) < 0)
        _exit(0); /* the helper is done: no run for us */
    strbuf_grow(&text, q.text_len);
    if (fdio_read_exact(fd, text.buf, q.text_len) < 0)
        _exit(0);
    strbuf_setlen(&text, q.text_len);
    espeak_helper_params(h, &q);
    espeak_run_child(fd, h->rate, text.buf, q.text_len);
}

/* Forks a spare run child. 0, or -1 (errno set). */
static int espeak_helper_spawn(struct espeak_helper *h)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        close(h->fd);
        espeak_spare_main(h, sv[1]);
    }
    close(sv[1]);
    h->spare = pid;
    h->spare_fd = sv[0];
    return 0;
}

/* Ends the spare (its state would be wrong after a voice change). */
static void espeak_helper_drop_spare(struct espeak_helper *h)
{
    if (!h->spare)
        return;
    close(h->spare_fd); /* it reads end of file and exits */
    while (waitpid(h->spare, NULL, 0) < 0 && errno == EINTR)
        ;
    h->spare = 0;
    h->spare_fd = -1;
}

static int espeak_helper_synth(struct espeak_helper *h, const struct espeak_request *q,
                               const char *voice, const char *variant, const char *text)
{
    struct strbuf why = STRBUF_INIT;
    struct strbuf out = STRBUF_INIT;
    int sv[2] = {-1, -1};
    int rc = 0;

    /*
     * espeak-ng is not deterministic across calls in one process, and even
     * voice and parameter changes leave traces that make a later run's
     * speed depend on what came before. So a helper only ever loads its one
     * voice and variant (once), and every run starts from that same state in
     * a fresh child that sets the parameters for itself.
     */
    if (variant && !espeak_helper_has_variant(h, variant)) {
        strbuf_addf(&why, "espeak-ng has no voice variant \"%s\"", variant);
        goto fail;
    }
    if (h->spare) {
        /* A spare holds the state it was forked with: only good for the
         * voice the helper still has. */
        struct strbuf name = STRBUF_INIT;
        strbuf_adds(&name, voice);
        if (variant) {
            strbuf_addc(&name, '+');
            strbuf_adds(&name, variant);
        }
        if (strcmp(name.buf, h->voice.buf) != 0)
            espeak_helper_drop_spare(h);
        strbuf_release(&name);
    }
    if (espeak_helper_voice(h, voice, variant, &why) < 0)
        goto fail;

    /*
     * The run goes to the child forked ahead (the spare), and the next spare
     * is forked while this one synthesizes: the fork, most of a run's cost
     * beyond synthesis itself, is then off the run's path. Spares are forked
     * from the helper in its one state, so this changes no sample.
     */
    if (!h->spare && espeak_helper_spawn(h) < 0) {
        strbuf_addf(&why, "fork: %s", strerror(errno));
        goto fail;
    }
    pid_t pid = h->spare;
    sv[0] = h->spare_fd;
    h->spare = 0;
    h->spare_fd = -1;
    if (fdio_send(sv[0], q, sizeof(*q)) < 0 || fdio_send(sv[0], text, q->text_len) < 0) {
        strbuf_adds(&why, "the run process is gone");
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        goto fail;
    }
    espeak_helper_spawn(h); /* a failure here only means no spare next time */

    /*
     * Read the reply by its own lengths, relay it, and only then reap the
     * child: its exit (unmapping everything it touched) then overlaps with
     * the caller's work instead of delaying the clip. Reading everything
     * before waiting also keeps a big clip from filling the socket buffer
     * with the child blocked on it. Only a complete reply is relayed: a
     * child that crashed part-way must not leave the caller reading half
     * a frame.
     */
    struct espeak_reply r;
    bool complete = false;
    strbuf_grow(&out, sizeof(r));
    if (fdio_read_exact(sv[0], out.buf, sizeof(r)) == 0) {
        memcpy(&r, out.buf, sizeof(r));
        size_t rest = r.msg_len +
                      (r.shared ? 0 : r.n * sizeof(int16_t) + r.nmarks * sizeof(struct clip_mark));
        strbuf_setlen(&out, sizeof(r));
        strbuf_grow(&out, rest);
        complete = fdio_read_exact(sv[0], out.buf + sizeof(r), rest) == 0;
        if (complete)
            strbuf_setlen(&out, sizeof(r) + rest);
    }
    if (complete) {
        rc = fdio_send(h->fd, out.buf, out.len);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        goto cleanup;
    }
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(wstatus))
        strbuf_addf(&why, "espeak-ng crashed (signal %d)", WTERMSIG(wstatus));
    else
        strbuf_adds(&why, "espeak-ng stopped without a result");
fail:
    rc = espeak_send_reply(h->fd, -1, h->rate, why.buf, NULL);
cleanup:
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    strbuf_release(&out);
    strbuf_release(&why);
    return rc;
}

static int espeak_helper_exists(struct espeak_helper *h, const char *voice, const char *variant)
{
    espeak_helper_drop_spare(h); /* the lookup below changes the state */
    /* Ask espeak-ng itself: its name lookup (file name, then voice names,
     * case-insensitive) is the one synthesis will use. */
    strbuf_reset(&h->voice);
    for (int i = 0; i < 4; i++)
        h->params[i] = -1;
    bool ok = espeak_ng_SetVoiceByName(voice) == ENS_OK;
    if (ok && variant)
        ok = espeak_helper_has_variant(h, variant);
    return espeak_send_reply(h->fd, ok ? 1 : 0, h->rate, NULL, NULL);
}

void espeak_helper_main(int fd, int clipfd)
{
    espeak_clipfd = clipfd;
    struct espeak_helper h = {0};
    h.fd = fd;
    h.spare_fd = -1;
    strbuf_init(&h.voice);
    for (int i = 0; i < 4; i++)
        h.params[i] = -1;

    /* The caller's handlers (cleanup of partial output, say) are not ours
     * to run; an interrupted render should simply end the helper too. And a
     * caller ignoring SIGCHLD would hide how a run child ended. */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);

    /* The espeak_ng_* calls are what espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS)
     * does, but they report a failure instead of printing it and exiting. */
    espeak_ng_InitializePath(NULL);
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
    if (ctx)
        espeak_ng_ClearErrorContext(&ctx);
    if (st == ENS_OK)
        st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
    h.rate = espeak_ng_GetSampleRate();
    if (st != ENS_OK || h.rate <= 0) {
        struct strbuf why = STRBUF_INIT;
        espeak_status_message(st, &why);
        espeak_send_reply(fd, -1, 0, why.buf, NULL);
        _exit(1);
    }
    espeak_SetSynthCallback(espeak_callback);
    /* Listing variants touches espeak-ng's state: do it before any run, so
     * that every run starts from the same state. */
    espeak_helper_has_variant(&h, "");
    if (espeak_send_reply(fd, 0, h.rate, espeak_Info(NULL), NULL) < 0)
        _exit(1);

    struct strbuf voice = STRBUF_INIT, variant = STRBUF_INIT, text = STRBUF_INIT;
    for (;;) {
        struct espeak_request q;
        if (fdio_read_exact(fd, &q, sizeof(q)) < 0 || q.type == ESPEAK_REQ_QUIT)
            break;
        strbuf_reset(&voice);
        strbuf_reset(&variant);
        strbuf_reset(&text);
        strbuf_grow(&voice, q.voice_len);
        strbuf_grow(&variant, q.variant_len);
        strbuf_grow(&text, q.text_len);
        if (fdio_read_exact(fd, voice.buf, q.voice_len) < 0 ||
            fdio_read_exact(fd, variant.buf, q.variant_len) < 0 ||
            fdio_read_exact(fd, text.buf, q.text_len) < 0)
            break;
        strbuf_setlen(&voice, q.voice_len);
        strbuf_setlen(&variant, q.variant_len);
        strbuf_setlen(&text, q.text_len);
        const char *var = q.has_variant ? variant.buf : NULL;
        int rc = q.type == ESPEAK_REQ_SYNTH ? espeak_helper_synth(&h, &q, voice.buf, var, text.buf)
                                            : espeak_helper_exists(&h, voice.buf, var);
        if (rc < 0)
            break;
    }
    espeak_helper_drop_spare(&h);
    _exit(0);
}
