/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the master stage worked out for a programme, kept in the clip
 * cache's folder so that a render of an unchanged transcript does not work
 * it out again. Finding the gains takes a measuring pass and three trial
 * passes through the limiter, and the final pass measures what it writes;
 * for the same samples, speakers and options those give the same numbers
 * every time, so a render that finds them here only runs the final pass
 * (gains, limiter, encoder) and writes the same bytes.
 *
 * The key is XXH3-128 of everything the numbers depend on: the options and
 * sample rate, the algorithm's version, every sample and the speaker of
 * every stretch (master.c builds it). A record is DIR/master/KEY.gains:
 * a magic, the key again, the record's size and an XXH3-64 checksum of the
 * rest; anything that does not check out is a miss, never an error.
 *
 * Contract: master_cache_load() fills rep (allocating rep->speakers, freed
 * with master_report_release()) and returns true on a hit for a report of
 * nspeakers speakers; false leaves rep untouched. master_cache_store()
 * writes the record atomically and silently gives up on any failure: the
 * cache only ever saves time.
 */
#ifndef SCRIPTCAST_AUDIO_MASTER_CACHE_H
#define SCRIPTCAST_AUDIO_MASTER_CACHE_H

#include "audio/master.h"

#include <stdbool.h>
#include <stdint.h>

struct master_cache_key {
    uint64_t lo, hi;
};

bool master_cache_load(const char *dir, const struct master_cache_key *k, size_t nspeakers,
                       struct master_report *rep);
void master_cache_store(const char *dir, const struct master_cache_key *k,
                        const struct master_report *rep);

#endif
