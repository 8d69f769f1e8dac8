/*
 * The protocol between the espeak-ng engine (espeak.c, in the caller) and
 * its helper processes (espeak_helper.c): fixed-size request and reply
 * headers followed by their strings and, for a clip, its samples and marks
 * (or a note that they wait in the shared clip file). Internal to the synth
 * stage.
 * Whole reads and writes go through util/fdio.h.
 */
#ifndef SCRIPTCAST_ESPEAK_PROTO_H
#define SCRIPTCAST_ESPEAK_PROTO_H

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

enum espeak_request_type {
    ESPEAK_REQ_SYNTH = 1,
    ESPEAK_REQ_EXISTS = 2,
    ESPEAK_REQ_QUIT = 3,
};

/* Caller -> helper; followed by voice_len, variant_len and text_len bytes. */
struct espeak_request {
    int32_t type;
    int32_t rate, pitch, range, volume;
    int32_t has_variant;
    uint32_t voice_len, variant_len, text_len;
};

/*
 * Helper or run child -> caller, for the greeting and every request; followed
 * by msg_len bytes (version or error message), n samples and nmarks marks.
 * status: 0 success (for EXISTS: 1 exists, 0 does not), -1 failure.
 */
struct espeak_reply {
    int32_t status;
    int32_t rate;
    uint32_t msg_len;
    uint32_t shared; /* 1: samples and marks are in the shared clip file, not the stream */
    uint64_t n;
    uint64_t nmarks;
};

/* The helper process's main loop: answers requests on fd until it closes.
 * clipfd is the shared clip file (or -1). Never returns. */
void espeak_helper_main(int fd, int clipfd) __attribute__((noreturn));

#endif
