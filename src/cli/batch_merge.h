/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast batch --merge-index OUT SHARD/index.json...`: joins the
 * indexes that the shards of a CI matrix wrote (batch --shard K/N) into
 * one, as if one batch had rendered everything.
 *
 * Contract: batch_merge() returns the exit code: EXIT_OK; EXIT_INPUT when
 * an index cannot be read or is not a batch index, when shards disagree
 * (format, a transcript in two of them) or when a merged transcript had
 * failed; EXIT_SYSTEM when OUT cannot be written. OUT is written (all or
 * nothing) unless an index could not be used.
 */
#ifndef SCRIPTCAST_BATCH_MERGE_H
#define SCRIPTCAST_BATCH_MERGE_H

#include <stddef.h>

/* The "version" of OUTDIR/index.json that batch writes and merges. */
#define BATCH_INDEX_VERSION 1

int batch_merge(const char *out, char *const *shards, size_t n, int verbosity);

#endif
