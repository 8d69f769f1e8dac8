/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The espeak-ng engine's state, shared by its two halves: espeak.c (the
 * engine interface: runs, clip files) and espeak_proc.c (the helper
 * processes and the answers they send). Internal to the synth stage; the
 * design is explained in espeak.c.
 *
 * Contract: espeak_proc_*() and espeak_pump()/espeak_await() never print or
 * exit; a helper found gone fails every run it had (they become done with
 * status -1 and a reason) and is reaped.
 */
#ifndef SCRIPTCAST_ESPEAK_ENGINE_H
#define SCRIPTCAST_ESPEAK_ENGINE_H

#include "synth/engine.h"
#include "synth/espeak_proto.h"
#include "util/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One helper process: espeak-ng loaded once, one voice kept loaded. */
struct espeak_proc {
    pid_t helper;       /* 0: no helper in this entry */
    int fd;             /* requests; end of file here when the helper is gone */
    char *voice;        /* "voice" or "voice+variant" it keeps; NULL: the voice checker */
    unsigned long used; /* when it was last used, to replace the least recent */
    size_t inflight;    /* its runs not answered yet */
    bool broken;        /* gone: every run on it has failed */
    uint64_t greeting;  /* id of its greeting, until it arrives (0: arrived) */
    char *fail;         /* why it could not start, from its greeting */
};

/* A run between engine_submit() and engine_take(), in clip file `slot`. */
struct espeak_flight {
    bool busy;     /* submitted, its clip file not free yet */
    bool done;     /* answered (or failed) */
    bool kept;     /* waited for: its clip waits in its file for engine_take() */
    bool filled;   /* free, and its file kept the pages of an earlier clip */
    bool poisoned; /* an orphaned run process might still write its file: never reuse */
    uint64_t id;
    size_t tag;
    struct espeak_proc *proc;
    struct espeak_reply r;
    struct strbuf why;  /* the failure, when r.status != 0 */
    struct strbuf text; /* excerpt, for diagnostics */
    struct strbuf voice;
};

/*
 * Selecting a voice makes espeak-ng read its dictionary again (cmn_dict is
 * 1.4 MB), and a voice or variant change leaves traces in later runs. So an
 * engine keeps one helper per voice+variant pair, each set up once; a
 * transcript's cast rarely has more pairs than ESPEAK_PROCS holds.
 */
#define ESPEAK_PROCS 17 /* the voice checker + sixteen voice+variant pairs */

/* Runs at once at most (--jobs allows 256, and two more wait for turns). */
#define ESPEAK_MAX_DEPTH 260
_Static_assert(ESPEAK_MAX_DEPTH < ENGINE_MAX_CLIPS, "room for the runs at once");

/* How often a wait for answers also asks whether the helpers are alive. */
#define ESPEAK_CHECK_MS 500

struct engine {
    struct espeak_proc procs[ESPEAK_PROCS];
    size_t nprocs;
    int reply[2];              /* [0] read here, [1] handed to every helper */
    int depth;                 /* runs pending at once at most */
    int turn[2];               /* the turn pipe (espeak_run.h); -1, -1: none */
    int nslots;                /* clip files: depth + the clips kept for the caller */
    int *slots;                /* nslots clip files */
    struct espeak_flight *fly; /* by slot */
    uint64_t next_id;
    unsigned long tick;
    int rate;
    char *version;
    char *program; /* scriptcast-espeak to run helpers with; NULL: fork them from here */
    /* The one answer awaited by id (a greeting or a voice check). */
    uint64_t want_id;
    struct espeak_proc *want_proc;
    bool want_done;
    struct espeak_reply want_r;
    struct strbuf want_msg;
};

/* Clips are bounded like everything read from another process. */
#define ESPEAK_MAX_SAMPLES ((uint64_t)1 << 34)
#define ESPEAK_MAX_MARKS ((uint64_t)1 << 24)
/* Waits until an answer arrives or a helper that owes one is gone. */
void espeak_pump(struct engine *e);
/* Puts n turns (back) into the turn pipe, if there is one. */
void espeak_turn_give(struct engine *e, int n);
/* Sends `id` request q to helper p; on failure p is taken as lost. 0 or -1. */
int espeak_send(struct engine *e, struct espeak_proc *p, const struct espeak_request *q,
                const char *voice, const char *variant, const char *text);
/* Waits for the answer `id` from helper p: its status (-1 when p is gone),
 * with the answer in *r and its message in msg. */
int espeak_await(struct engine *e, struct espeak_proc *p, uint64_t id, struct espeak_reply *r,
                 struct strbuf *msg);
/* Starts the helper keeping voice ("voice" or "voice+variant"; NULL: the
 * voice checker) in entry p. 0, or -1 with the reason in why. */
int espeak_proc_start(struct engine *e, struct espeak_proc *p, const char *voice,
                      struct strbuf *why);
/* Ends the helper in entry p (its runs are abandoned) and empties p. */
void espeak_proc_stop(struct espeak_proc *p);
/* The helper for voice, started if need be; NULL with *busy set when every
 * helper has runs going, NULL with a reason when none can start. */
struct espeak_proc *espeak_proc_for(struct engine *e, const char *voice, bool *busy,
                                    struct strbuf *why);

#endif
