/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Internal to the master stage (master.h): the state master.c keeps while
 * assembly runs, shared with the passes over the spool in master_pass.c.
 * Nothing outside src/audio/master*.c includes this.
 */
#ifndef SCRIPTCAST_MASTER_IMPL_H
#define SCRIPTCAST_MASTER_IMPL_H

#include "audio/loudness.h"
#include "audio/master.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xxhash.h>

#define MASTER_CHUNK 4096
/* Levelling gains are clamped: a speaker 20 dB off is a broken profile, not a level. */
#define MASTER_MAX_GAIN_DB 20.0

/* Where a speaker's stretch of the programme starts (input samples). */
struct master_run {
    uint64_t start;
    int speaker; /* -1: silence */
};

struct master {
    struct master_options o;
    int rate;
    size_t nspeakers;
    struct audio_writer *w;
    uint64_t pos; /* samples received */
    struct master_run *runs;
    size_t nruns, runs_cap;
    /* Normalization off: what was received, measured per speaker and whole. */
    struct loudness **spk;
    struct loudness *prog;
    /* The spool (normalization on). */
    int fd;
    char *spool_path; /* for diagnostics; the file itself is unlinked */
    int16_t *sbuf;
    size_t sn;
    uint64_t spooled; /* samples in the file */
    float *fbuf;
    XXH3_state_t *key; /* normalization on: the cache key being built */
};

/* A DIAG_SYSTEM diagnostic "what: strerror(errno)" on the spool; -1. */
int master_fail(struct master *m, struct diags *d, const char *what);
void master_to_float(const int16_t *s, float *f, size_t n);

/*
 * The passes over the spool (master_pass.c). Each returns 0, or -1 with a
 * diagnostic in d. master_measure(): pass 1, each speaker's loudness as
 * synthesized into in[speaker]. master_trial(): the trial passes, which
 * correct rep's speaker gains (gain[] in step) and set its master gain.
 * master_emit(): the final pass into the writer; with prog and spk (else
 * NULL: a cached record has the figures), what was written measured into
 * *prog and spk[] and the limiter's figures into rep.
 * Long programmes are measured in two halves at once (master_pass.c says
 * why that changes no result by more than rounding).
 */
int master_measure(struct master *m, struct loudness_stats *in, struct diags *d);
int master_trial(struct master *m, double *gain, struct master_report *rep, struct diags *d);
int master_emit(struct master *m, const double *gain, double master_db, struct loudness_stats *prog,
                struct loudness_stats *spk, struct master_report *rep, struct diags *d);

#endif
