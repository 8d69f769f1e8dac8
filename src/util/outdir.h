/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The folders outputs go to: a lock that serializes the commits of
 * concurrent renders into them, and a sweep that removes the temporaries a
 * killed render left behind.
 *
 * The lock is flock(2) on the folder itself (no lock file is created): a
 * render takes it, for every folder of its output set, only while it
 * publishes that set (and while it sweeps), so two renders to the same
 * outputs both do their work and the later commit replaces the earlier set
 * as a whole: the files on disk are always one render's set, never a mix.
 * A render that finds a folder locked waits for it. On a file system where
 * folders cannot be locked (some network file systems) the render goes on
 * without the lock.
 *
 * Contract: outdir_lock() fills l (owned by the caller); outdir_unlock()
 * releases it and may be called on a zeroed or already released l. Paths
 * are borrowed. Neither adds diagnostics.
 */
#ifndef SCRIPTCAST_OUTDIR_H
#define SCRIPTCAST_OUTDIR_H

#include <stddef.h>

struct outdir_lock {
    int *fds; /* one per distinct folder, in the order they were locked */
    size_t n;
};

/* Locks the folder of each of the n paths (each folder once, in order of
 * device and inode so that two renders never deadlock), waiting while
 * another process holds one. A folder that cannot be opened or locked is
 * skipped. */
void outdir_lock(struct outdir_lock *l, const char *const *paths, size_t n);
void outdir_unlock(struct outdir_lock *l);

/*
 * Removes, from the folder of path, the temporaries (atomicfile.h names)
 * whose process is gone and that nobody holds locked; each folder is swept
 * once per process. Call it with that folder locked. Returns how many were
 * removed.
 */
size_t outdir_sweep(const char *path);

#endif
