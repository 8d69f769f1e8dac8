/*
 * Worker processes for synthesis. espeak-ng keeps global state, so
 * parallel synthesis means processes: each worker initializes the engine
 * once and answers requests over a socket of its own. Runs go to the least
 * busy worker, and among equally busy ones to one that last used the same
 * voice (switching voices costs time). A worker that dies or fails is
 * reported with the run it was on.
 *
 * Contract: internal to the synth stage (synth.c). pool_open() returns a
 * handle pool_close() ends (it stops and reaps every worker). The workers
 * are forked at the first pool_submit(), so a render served entirely from
 * the cache never starts them. Workers store what they synthesize in the cache themselves when
 * cache_dir is not NULL. Clips returned by pool_wait() belong to the caller.
 */
#ifndef SCRIPTCAST_POOL_H
#define SCRIPTCAST_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct clip;
struct diags;
struct synth_job;

struct pool;

struct pool *pool_open(int workers, const char *cache_dir, struct diags *d);
void pool_close(struct pool *p);
/* Queues job number id (ids are given in increasing order); copies what it
 * needs of job and never waits for a worker. 0, or -1 with a diagnostic
 * when the workers cannot be started; a run that cannot be synthesized is
 * reported by pool_wait(), so failures come in run order. */
int pool_submit(struct pool *p, size_t id, const struct synth_job *job, struct diags *d);
/* Waits for the result of job id, collecting others as they come. 0 and
 * *out, or -1 with a DIAG_SYSTEM diagnostic (engine failure, worker died). */
int pool_wait(struct pool *p, size_t id, struct clip *out, struct diags *d);

/* For tests: the process id of worker i (0-based), or -1 before the workers
 * start and once it is gone. */
pid_t pool_worker_pid(const struct pool *p, int i);

#endif
