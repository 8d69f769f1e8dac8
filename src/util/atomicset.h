/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Several finished temporaries (atomicfile.h) renamed over their
 * destinations as one set: the audio of a render and its sidecars. Before
 * the first rename, every destination that exists gets a hard link under a
 * temporary name (a backup); when a rename in the middle fails, the files
 * already renamed are put back from their backups (or removed where there
 * was none), so the set on disk is the old one again, byte for byte.
 *
 * Contract: every v[i] must be finished (atomicfile_finish()) and the
 * destinations distinct. atomicset_commit() returns 0 with every file in
 * place, or -1 with DIAG_SYSTEM diagnostics and the previous files back;
 * either way every v[i] is released (atomicfile_abort() on it is a no-op).
 * On a file system without hard links a destination cannot be backed up:
 * those are renamed last, so that a failure before them is still undone;
 * only a failure between two of them leaves the first one new, and the
 * diagnostic says so. The caller serializes concurrent sets (outdir_lock()).
 */
#ifndef SCRIPTCAST_ATOMICSET_H
#define SCRIPTCAST_ATOMICSET_H

#include <stddef.h>

struct atomicfile;
struct diags;

int atomicset_commit(struct atomicfile *const *v, size_t n, struct diags *d);

#endif
