/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Meters for the master's passes (master_pass.c), inline or in a thread of
 * their own. Internal to the master stage.
 *
 * Contract: master_meter_block() measures a block of quantized samples,
 * the whole into prog (NULL: none) and each span into its speaker's meter
 * in spk[]; fbuf holds n floats; 0, or -1 when a meter fails (out of
 * memory). master_meter_start() starts a thread that does the same for the
 * blocks master_meter_put() hands it (copied; it waits while the queue is
 * full), in order, so the figures are those of measuring inline; NULL when
 * no thread can be had. The meters stay the caller's and must not be
 * touched until master_meter_stop(), which waits for every block, ends the
 * thread and frees it: 0, or -1 when a meter failed. NULL is allowed.
 */
#ifndef SCRIPTCAST_MASTER_METER_H
#define SCRIPTCAST_MASTER_METER_H

#include "audio/loudness.h"

#include <stddef.h>
#include <stdint.h>

/* A stretch of one speaker's samples in a block (speaker >= 0). */
struct master_span {
    int speaker;
    uint32_t at, len;
};

struct master_meter;

int master_meter_block(struct loudness *prog, struct loudness **spk, const int16_t *s, size_t n,
                       const struct master_span *spans, size_t nspans, float *fbuf);
struct master_meter *master_meter_start(struct loudness *prog, struct loudness **spk);
void master_meter_put(struct master_meter *mt, const int16_t *s, size_t n,
                      const struct master_span *spans, size_t nspans);
int master_meter_stop(struct master_meter *mt);

#endif
