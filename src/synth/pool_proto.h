/*
 * The messages between the synthesis pool (pool.c, in the parent) and its
 * worker processes (pool_worker.c): over each worker's socket the parent
 * sends one fixed-size request header per run followed by its strings, and
 * the worker answers every request, in the order asked, with a result header
 * followed by its message, marks and samples. The first message a worker
 * sends is a greeting (id POOL_GREETING) saying whether its engine is up.
 * Internal to the synth stage.
 *
 * Contract: both sides are the same build of the same program, so the
 * headers travel in host byte order and layout. A receiver checks every
 * length against the POOL_MAX_* bounds before it allocates or reads the
 * bytes that follow. pool_worker_main() runs in a freshly forked child and
 * never returns.
 */
#ifndef SCRIPTCAST_POOL_PROTO_H
#define SCRIPTCAST_POOL_PROTO_H

#include <stdint.h>
#include <sys/types.h>

/* The id of the message a worker sends once its engine is up (or is not). */
#define POOL_GREETING UINT64_MAX

/* Bounds a result must respect, so a garbled message is reported instead of
 * allocating whatever its header claims. */
#define POOL_MAX_NAME 256
#define POOL_MAX_TEXT ((uint32_t)64 << 20)
#define POOL_MAX_MSG ((uint32_t)1 << 20)
#define POOL_MAX_SAMPLES ((uint64_t)1 << 32)
#define POOL_MAX_MARKS ((uint64_t)1 << 24)

enum {
    POOL_HAS_VOICE = 1,
    POOL_HAS_VARIANT = 2,
};

/* Parent -> worker; followed by voice_len, variant_len and text_len bytes. */
struct pool_request {
    uint64_t id;
    int32_t rate, pitch, range, volume;
    uint32_t voice_len, variant_len, text_len;
    uint32_t flags; /* POOL_HAS_*: NULL and "" are different voices to the engine */
};

/*
 * Worker -> parent; followed by msg_len bytes of message, nmarks marks and
 * n samples. status 0: the clip, and msg is a warning to pass on (or
 * empty). Otherwise msg is the diagnostic and there is no clip.
 */
struct pool_result {
    uint64_t id;
    uint64_t n;
    uint64_t nmarks;
    int32_t status;
    int32_t rate;
    uint32_t msg_len;
    uint32_t reserved;
};

struct pool_wire_mark {
    uint64_t sample;
    uint64_t text_offset;
};

/* The worker process's main loop: opens an engine (and the cache in
 * cache_dir, unless NULL), greets, and answers requests on fd until the
 * parent closes it. parent is the pid of the process that forked it. */
_Noreturn void pool_worker_main(int fd, const char *cache_dir, pid_t parent);

#endif
