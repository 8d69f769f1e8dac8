/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The espeak-ng helper process (the caller side is espeak.c, which explains
 * the design; what a run process does is espeak_run.c). A helper loads espeak-ng and its one
 * voice+variant once, then forks a process per run, one ahead of need (a
 * spare waits for its run): the run process sets the run's parameters,
 * synthesizes straight into the clip file the caller chose, and answers on
 * the shared reply socket. Every run thus starts from the same state, and a
 * helper can have several runs going at once. The helper itself only hands
 * out runs and reports the run processes that end without answering.
 */
#include "synth/engine.h"
#include "synth/espeak_proto.h"
#include "synth/espeak_run.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* A run process at work. */
struct espeak_kid {
    pid_t pid;
    int fd; /* end of file here when it exits */
    uint64_t id;
};

/* State of the helper process. */
struct espeak_helper {
    int fd;
    int rate;
    const char *voice; /* the one voice+variant it keeps; NULL: voice checker */
    char **variants;   /* names in voices/!v, listed once at start */
    size_t nvariants;
    pid_t spare;  /* a run process forked ahead, waiting for its run; 0: none */
    int spare_fd; /* the helper's end of the spare's socket */
    struct espeak_kid *kids;
    size_t nkids, kidcap;
    /* The voice checker's answers so far: selecting a voice reads its
     * dictionary (1.4 MB for cmn), and a cast asks for the same voice with
     * each of its variants. */
    char **checked;
    bool *found;
    size_t nchecked, checkcap;
};

static void espeak_status_message(espeak_ng_STATUS status, struct strbuf *sb)
{
    char buf[256];
    espeak_ng_GetStatusCodeMessage(status, buf, sizeof(buf));
    strbuf_adds(sb, buf);
}

/* ---- helper process ------------------------------------------------------ */

static bool espeak_helper_has_variant(struct espeak_helper *h, const char *variant)
{
    for (size_t i = 0; i < h->nvariants; i++)
        if (strcmp(h->variants[i], variant) == 0)
            return true;
    return false;
}

/* espeak-ng loads a variant from voices/!v/NAME and lists exactly those
 * files for the pseudo-language "variant". Listing reads every file and
 * touches espeak-ng's state, so it is done once, before anything else. */
static void espeak_helper_list_variants(struct espeak_helper *h)
{
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
}

/* Sets the helper's one voice ("voice" or "voice+variant"). 0, or -1 with
 * a reason. */
static int espeak_helper_voice(struct espeak_helper *h, const char *name, struct strbuf *why)
{
    const char *plus = strchr(name, '+');
    if (plus && !espeak_helper_has_variant(h, plus + 1)) {
        strbuf_addf(why, "espeak-ng has no voice variant \"%s\"", plus + 1);
        return -1;
    }
    espeak_ng_STATUS st = espeak_ng_SetVoiceByName(name);
    if (st != ENS_OK) {
        espeak_status_message(st, why);
        return -1;
    }
    return 0;
}

static void espeak_helper_params(const struct espeak_request *q)
{
    static const espeak_PARAMETER which[4] = {espeakRATE, espeakPITCH, espeakRANGE, espeakVOLUME};
    const int want[4] = {q->rate, q->pitch, q->range, q->volume};
    /* Always all four: a run process starts from the voice's own settings. */
    for (int i = 0; i < 4; i++)
        espeak_SetParameter(which[i], want[i], 0);
}

/* A run process waiting for its run: the request and text, then synthesis. */
static void espeak_spare_main(struct espeak_helper *h, int fd, pid_t helper)
{
#ifdef __linux__
    /* A run must not outlive its helper (killed, say, while the caller gave
     * up on it): nothing may write into a clip file the caller reuses. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != helper)
        _exit(1);
    struct espeak_request q;
    struct strbuf text = STRBUF_INIT;
    if (fdio_read_exact(fd, &q, sizeof(q)) < 0)
        _exit(0); /* the helper is done: no run for us */
    strbuf_grow(&text, q.text_len);
    if (fdio_read_exact(fd, text.buf, q.text_len) < 0)
        _exit(1);
    strbuf_setlen(&text, q.text_len);
    espeak_helper_params(&q);
    espeak_run_main(q.id, q.slot, h->rate, text.buf, q.text_len);
}

/* Forks a spare run process. 0, or -1 (errno set). */
static int espeak_helper_spawn(struct espeak_helper *h)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -1;
    pid_t self = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        close(h->fd);
        for (size_t i = 0; i < h->nkids; i++)
            close(h->kids[i].fd);
        espeak_spare_main(h, sv[1], self);
    }
    close(sv[1]);
    h->spare = pid;
    h->spare_fd = sv[0];
    return 0;
}

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

/* Hands run q to the spare and forks the next spare while it works. */
static int espeak_helper_synth(struct espeak_helper *h, const struct espeak_request *q,
                               const char *name, const char *text)
{
    struct strbuf why = STRBUF_INIT;
    int rc = 0;
    if (!h->voice || strcmp(name, h->voice) != 0) {
        strbuf_addf(&why, "this espeak-ng helper keeps voice %s, not %s",
                    h->voice ? h->voice : "(none)", name);
        goto fail;
    }
    struct espeak_kid kid = {0, -1, q->id};
    /* A spare that died waiting (killed by someone) is replaced, once. */
    for (int attempt = 0; attempt < 2 && kid.fd < 0; attempt++) {
        if (!h->spare && espeak_helper_spawn(h) < 0) {
            strbuf_addf(&why, "fork: %s", strerror(errno));
            goto fail;
        }
        kid.pid = h->spare;
        kid.fd = h->spare_fd;
        h->spare = 0;
        h->spare_fd = -1;
        if (fdio_send(kid.fd, q, sizeof(*q)) < 0 || fdio_send(kid.fd, text, q->text_len) < 0) {
            close(kid.fd);
            kid.fd = -1;
            while (waitpid(kid.pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
    }
    if (kid.fd < 0) {
        strbuf_adds(&why, "the run process is gone");
        goto fail;
    }
    XGROW(h->kids, h->kidcap, h->nkids + 1);
    h->kids[h->nkids++] = kid;
    /* The fork is off the run's path; a failure only means no spare. */
    espeak_helper_spawn(h);
    goto done;
fail:
    rc = espeak_answer(q->id, -1, h->rate, why.buf, NULL);
done:
    strbuf_release(&why);
    return rc;
}

/* Kid i ended (its socket reached end of file): reap it, and answer for it
 * unless it answered itself, which its exit status 0 says. */
static int espeak_helper_reap(struct espeak_helper *h, size_t i)
{
    struct espeak_kid kid = h->kids[i];
    h->kids[i] = h->kids[--h->nkids];
    close(kid.fd);
    int st = 0;
    while (waitpid(kid.pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    /* It may have died holding a turn. If it did not, the extra turn only
     * lets one more run go at once; a turn lost could stop runs for good. */
    espeak_run_turn_back();
    char why[96];
    if (WIFSIGNALED(st))
        snprintf(why, sizeof(why), "espeak-ng crashed (signal %d)", WTERMSIG(st));
    else
        snprintf(why, sizeof(why), "espeak-ng stopped without a result");
    return espeak_answer(kid.id, -1, h->rate, why, NULL);
}

static int espeak_helper_exists(struct espeak_helper *h, uint64_t id, const char *voice,
                                const char *variant)
{
    /* Ask espeak-ng itself: its name lookup (file name, then voice names,
     * case-insensitive) is the one synthesis will use. Only the voice
     * checker, which never synthesizes, is asked. */
    size_t i = 0;
    while (i < h->nchecked && strcmp(h->checked[i], voice) != 0)
        i++;
    if (i == h->nchecked) {
        size_t cap = h->checkcap;
        XGROW(h->checked, cap, i + 1);
        XGROW(h->found, h->checkcap, i + 1);
        h->checked[i] = xstrdup(voice);
        h->found[i] = espeak_ng_SetVoiceByName(voice) == ENS_OK;
        h->nchecked++;
    }
    bool ok = h->found[i];
    if (ok && variant)
        ok = espeak_helper_has_variant(h, variant);
    return espeak_answer(id, ok ? 1 : 0, h->rate, NULL, NULL);
}

/* Reads and answers one request. 0, or -1 when the caller is gone. */
static int espeak_helper_request(struct espeak_helper *h, struct strbuf *voice,
                                 struct strbuf *variant, struct strbuf *text)
{
    struct espeak_request q;
    if (fdio_read_exact(h->fd, &q, sizeof(q)) < 0 || q.voice_len > ESPEAK_MAX_VOICE ||
        q.variant_len > ESPEAK_MAX_VARIANT)
        return -1;
    strbuf_reset(voice);
    strbuf_reset(variant);
    strbuf_reset(text);
    strbuf_grow(voice, q.voice_len + 1 + q.variant_len);
    strbuf_grow(variant, q.variant_len);
    strbuf_grow(text, q.text_len);
    if (fdio_read_exact(h->fd, voice->buf, q.voice_len) < 0 ||
        fdio_read_exact(h->fd, variant->buf, q.variant_len) < 0 ||
        fdio_read_exact(h->fd, text->buf, q.text_len) < 0)
        return -1;
    strbuf_setlen(voice, q.voice_len);
    strbuf_setlen(variant, q.variant_len);
    strbuf_setlen(text, q.text_len);
    if (q.type == ESPEAK_REQ_EXISTS)
        return espeak_helper_exists(h, q.id, voice->buf, q.has_variant ? variant->buf : NULL);
    if (q.has_variant) {
        strbuf_addc(voice, '+');
        strbuf_adds(voice, variant->buf);
    }
    return espeak_helper_synth(h, &q, voice->buf, text->buf);
}

/* Starts espeak-ng and sets the voice. 0, or -1 with a reason. */
static int espeak_helper_init(struct espeak_helper *h, struct strbuf *why)
{
    /* The espeak_ng_* calls are what espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS)
     * does, but they report a failure instead of printing it and exiting. */
    espeak_ng_InitializePath(NULL);
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
    if (ctx)
        espeak_ng_ClearErrorContext(&ctx);
    if (st == ENS_OK)
        st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
    h->rate = espeak_ng_GetSampleRate();
    if (st != ENS_OK || h->rate <= 0) {
        espeak_status_message(st, why);
        return -1;
    }
    espeak_SetSynthCallback(espeak_run_callback);
    espeak_helper_list_variants(h);
    return h->voice ? espeak_helper_voice(h, h->voice, why) : 0;
}

void espeak_helper_main(const struct espeak_helper_args *a)
{
    espeak_run_setup(a->replyfd, a->slots, a->nslots, a->turn);
    struct espeak_helper h = {0};
    h.fd = a->fd;
    h.voice = a->voice;
    h.spare_fd = -1;

    /* An interrupt is the caller's to handle: it stops between runs and then
     * closes the engine. The caller's other handlers (cleanup of partial
     * output) are not ours to run, and a caller ignoring SIGCHLD would hide
     * how a run process ended. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    struct strbuf why = STRBUF_INIT;
    if (espeak_helper_init(&h, &why) < 0) {
        espeak_answer(a->greeting, -1, h.rate, why.buf, NULL);
        _exit(1);
    }
    /* The first run should not wait for a fork either. */
    if (h.voice)
        espeak_helper_spawn(&h);
    if (espeak_answer(a->greeting, 0, h.rate, espeak_Info(NULL), NULL) < 0)
        _exit(1);

    struct strbuf voice = STRBUF_INIT, variant = STRBUF_INIT, text = STRBUF_INIT;
    struct pollfd *pfd = NULL;
    size_t pfdcap = 0;
    for (;;) {
        XGROW(pfd, pfdcap, h.nkids + 1);
        pfd[0].fd = h.fd;
        pfd[0].events = POLLIN;
        for (size_t i = 0; i < h.nkids; i++) {
            pfd[i + 1].fd = h.kids[i].fd;
            pfd[i + 1].events = POLLIN;
        }
        size_t npfd = h.nkids + 1;
        if (poll(pfd, npfd, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        /* Kids first, from the last: reaping moves the last kid into i. */
        bool gone = false;
        for (size_t i = npfd - 1; i >= 1 && !gone; i--)
            if (pfd[i].revents && espeak_helper_reap(&h, i - 1) < 0)
                gone = true;
        if (gone || (pfd[0].revents && espeak_helper_request(&h, &voice, &variant, &text) < 0))
            break;
    }
    /* The caller is gone or done: runs still going are of no use. */
    espeak_helper_drop_spare(&h);
    for (size_t i = 0; i < h.nkids; i++) {
        kill(h.kids[i].pid, SIGKILL);
        while (waitpid(h.kids[i].pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    _exit(0);
}
