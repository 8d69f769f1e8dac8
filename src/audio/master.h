/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The master stage: between assembly and the encoder. It levels every
 * voice to the same loudness, brings the programme to its target (EBU R128
 * integrated loudness, or RMS for ACX), keeps true peaks under the ceiling
 * with a look-ahead limiter, and measures what it hands to the encoder.
 *
 * Why two passes. A loudness target needs the loudness of the whole
 * programme before the first sample can be given its final gain, and a
 * speaker's level is only known once all their speech is synthesized. A
 * streaming guess (calibrating each voice on a fixed phrase) misses by more
 * than the 0.5 LU we promise, since a voice's loudness moves with the text.
 * So while assembly lays the programme out, the master spools it as 16-bit
 * PCM at the engine's rate into an unlinked temporary file in the output's
 * folder (2.6 MB a minute, 150 MB for the 58-minute benchmark transcript;
 * memory stays flat; nothing is left behind even after a kill) and measures
 * each speaker's integrated loudness on the fly. master_finish() then reads
 * it twice: pass 2 applies the per-speaker gains and measures the levelled
 * programme (one K-weighting filter, no encoder), pass 3 applies speaker
 * gain x master gain, limits, quantizes, measures the result and feeds the
 * encoder. The encoder and the final pass's meters (master_meter.h) run in
 * threads of their own during pass 3; the encoder cannot start before
 * synthesis ends. The measured cost is in
 * bench/RESULTS.md. With normalization off, samples go straight through to
 * the writer as they arrive and are only measured.
 *
 * Contract: master_open() returns a master the caller frees with
 * master_close() (which does not touch the writer), or NULL with a
 * DIAG_SYSTEM diagnostic. The writer is borrowed; the master only calls
 * audio_writer_write() / audio_writer_silence() on it (in master_write()
 * when off, in master_finish() otherwise) and never commits or aborts it.
 * speaker is the plan's speaker index, or -1 for pauses. Every function
 * returns 0, or -1 with a diagnostic (the caller then aborts the writer).
 * master_finish() fills *rep, which master_report_release() frees.
 *
 * Determinism: sums in a fixed order, the limiter's integer average, and
 * where a long programme is measured in two halves on two threads
 * (master_pass.c), a seam placed by its length alone, the halves read
 * together in order: the same samples and options give the same bytes. With a cache
 * folder, what passes 1 to 3 found is kept (master_cache.h) under a key of
 * every sample, speaker and option, and a render that finds it runs only
 * the final pass, without measuring: the same bytes and report, about a
 * quarter of the work. Pass 1 therefore reads the spool back rather than
 * measuring as samples arrive, where it would run for nothing on a hit.
 */
#ifndef SCRIPTCAST_MASTER_H
#define SCRIPTCAST_MASTER_H

#include "audio/loudness.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_writer;
struct diags;

enum master_mode {
    MASTER_OFF,  /* --loudness off: samples pass through, measured only */
    MASTER_LUFS, /* integrated loudness target (EBU R128) */
    MASTER_RMS,  /* RMS target over the whole file, silence included (ACX) */
};

struct master_options {
    enum master_mode mode;
    double target;         /* LUFS for MASTER_LUFS, dBFS for MASTER_RMS */
    double true_peak;      /* dBTP the output must stay at or below */
    double codec_margin;   /* dB the limiter stays below true_peak: lossy encoders overshoot */
    double codec_loudness; /* LU the encoder takes off: the master aims this much louder */
    const char *spool_dir; /* folder for the temporary PCM: the output's own */
    const char *cache_dir; /* the clip cache's folder, for master_cache.h; NULL: none */
};

/* Defaults: podcast loudness, -16 LUFS, -1 dBTP. */
#define MASTER_DEFAULT_LUFS (-16.0)
#define MASTER_DEFAULT_TRUE_PEAK (-1.0)

struct master_speaker_report {
    double gain_db;            /* the levelling gain given to this speaker (0 when off) */
    struct loudness_stats in;  /* as synthesized (integrated only) */
    struct loudness_stats out; /* as handed to the encoder */
};

struct master_report {
    enum master_mode mode;
    double target;
    double codec_loudness; /* from the options: the file reads this much quieter */
    double master_gain_db;
    double limiter_max_db;     /* deepest limiter gain reduction */
    double limited_seconds;    /* time the limiter spent below unity gain */
    struct loudness_stats out; /* the whole file as handed to the encoder */
    size_t nspeakers;
    struct master_speaker_report *speakers;
};

struct master *master_open(const struct master_options *o, int rate, size_t nspeakers,
                           struct audio_writer *w, struct diags *d);
int master_write(struct master *m, int speaker, const int16_t *s, size_t n, struct diags *d);
int master_silence(struct master *m, size_t n, struct diags *d);
int master_finish(struct master *m, struct master_report *rep, struct diags *d);
void master_close(struct master *m);

void master_report_release(struct master_report *rep);

#endif
