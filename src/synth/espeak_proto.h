/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The protocol between the espeak-ng engine (espeak.c, in the caller) and
 * its helper processes and their run processes (espeak_helper.c). Requests
 * go to each helper over a stream socket of its own; every answer — a
 * helper's greeting, a voice check, a run's result or the failure of a run
 * process — comes back as one message on the engine's reply socket, which
 * all of them share (SOCK_SEQPACKET: messages never interleave). A run's
 * samples and marks are not in the message: the run process writes them
 * into the clip file ("slot") the caller chose for the run. Internal to the
 * synth stage. Whole reads and writes go through util/fdio.h.
 */
#ifndef SCRIPTCAST_ESPEAK_PROTO_H
#define SCRIPTCAST_ESPEAK_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* espeak_SetVoiceByName() copies names into fixed buffers (60 bytes for the
 * voice, 40 for "!v/" plus the variant); longer names would be cut silently. */
#define ESPEAK_MAX_VOICE 40
#define ESPEAK_MAX_VARIANT 32

/* A run whose audio exceeds this many seconds plus one per byte of text is
 * taken to be a synthesizer loop (later espeak-ng releases have had inputs
 * that speak forever) and fails instead of filling memory. */
#define ESPEAK_RUN_LIMIT_BASE_S 10

/* Messages on the reply socket carry at most this much text. */
#define ESPEAK_MAX_MSG 2048

enum espeak_request_type {
    ESPEAK_REQ_SYNTH = 1,
    ESPEAK_REQ_EXISTS = 2,
};

/* Caller -> helper; followed by voice_len, variant_len and text_len bytes.
 * The helper's voice is fixed when it starts; voice and variant in a SYNTH
 * request are checked against it. */
struct espeak_request {
    uint64_t id; /* echoed in the reply */
    int32_t type;
    int32_t slot; /* SYNTH: the clip file to write into */
    int32_t rate, pitch, range, volume;
    int32_t has_variant;
    uint32_t voice_len, variant_len, text_len;
};

/*
 * One message on the reply socket: this header and msg_len bytes (a version
 * string or a reason). status: 0 success (for EXISTS: 1 exists, 0 does not),
 * -1 failure. For a run, the clip is in its slot: n samples from sample
 * index `start`, then nmarks struct clip_mark at byte offset marks_at.
 */
struct espeak_reply {
    uint64_t id;
    int32_t status;
    int32_t rate;
    uint32_t msg_len;
    uint32_t reserved;
    uint64_t start;
    uint64_t n;
    uint64_t marks_at;
    uint64_t nmarks;
};

/* The helper program (src/helper/main.c) checks that it speaks this
 * protocol: a scriptcast-espeak left from another build says so instead of
 * misreading requests. Change it with any change to the structs here. */
#define ESPEAK_HELPER_PROTOCOL "2"
#define ESPEAK_HELPER_MARK "--helper=" SCRIPTCAST_VERSION "/" ESPEAK_HELPER_PROTOCOL

/* Clip files a helper can be given (the engine's ENGINE_MAX_CLIPS at most). */
#define ESPEAK_HELPER_MAX_SLOTS 640

/* What a helper is given: its socket, the shared reply socket, the clip
 * files, the voice it keeps (NULL for the voice checker), the id of its
 * greeting, and the turn pipe (espeak_run.h). */
struct espeak_helper_args {
    int fd;
    int replyfd;
    const int *slots;
    int nslots;
    const char *voice; /* "voice" or "voice+variant" */
    uint64_t greeting;
    int turn[2]; /* -1, -1: runs need no turn */
};

/* The helper process's main loop: answers requests until its socket closes.
 * Never returns. */
void espeak_helper_main(const struct espeak_helper_args *a) __attribute__((noreturn));

/* A helper program's main(): runs the helper its command line describes
 * (espeak_helper_cmd.c) and never returns, or returns 2 after saying on
 * stderr, as `prog`, that the command line is not one. */
int espeak_helper_cmdline(int argc, char **argv, const char *prog);

/* Whether the running program can be its own helper program
 * (engine_helper_entry() was called). */
bool espeak_self_helper(void);

/* The helper program to start (espeak_helper_cmd.c says which), a string
 * the caller frees, in *program; NULL when helpers are to be forked from
 * the caller. 0, or -1 with the reason in why when SCRIPTCAST_ESPEAK_HELPER
 * names something that cannot be run. */
struct strbuf;
int espeak_find_program(char **program, struct strbuf *why);

#endif
