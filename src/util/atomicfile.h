/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Atomic file replacement: every output (the audio, each manifest and
 * sidecar) is written to a temporary file beside its destination and renamed
 * over it only once it is complete and on disk. A reader therefore sees
 * either the previous file or the new one, never a half-written one, and an
 * interrupted or failed run leaves the previous outputs as they were.
 *
 * Contract: struct atomicfile is owned by the caller (usually on the stack).
 * atomicfile_open() fills it; the caller writes through fp (buffered stdio)
 * or fd (raw, e.g. for libsndfile), not both at once unless fp is flushed in
 * between. Exactly one of atomicfile_commit() or atomicfile_abort() ends its
 * life; both release everything (path, tmp, fd, fp) whatever the outcome, and
 * atomicfile_abort() after either is a harmless no-op, so an error path can
 * call it unconditionally. Errors are reported as DIAG_SYSTEM diagnostics
 * naming the destination path.
 *
 * Temporary files are named "DIR/.NAME.XXXXXX" and registered in a fixed
 * table so that SIGINT, SIGTERM and SIGHUP remove them (see
 * atomicfile_install_signal_handlers()). Only the process that created a
 * temporary removes it: a forked worker that is killed leaves its parent's
 * files alone.
 */
#ifndef SCRIPTCAST_ATOMICFILE_H
#define SCRIPTCAST_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>

struct diags;

struct atomicfile {
    char *path; /* destination, owned; NULL once committed or aborted */
    char *tmp;  /* temporary beside it, owned; NULL once committed or aborted */
    int fd;     /* the temporary's descriptor; -1 when closed */
    FILE *fp;   /* stdio stream on fd; NULL when closed */
};

/*
 * Creates the temporary in the destination's folder (mode 0600 until commit)
 * and registers it for removal on SIGINT/SIGTERM/SIGHUP; installs those
 * handlers on first use. Returns 0, or -1 with a DIAG_SYSTEM diagnostic naming
 * path and the reason (missing folder, read-only folder, ...); on failure af
 * is left closed, so atomicfile_abort(af) is still safe.
 */
int atomicfile_open(struct atomicfile *af, const char *path, struct diags *d);

/*
 * Flushes fp, syncs the data to disk, sets the mode to 0644 & ~umask and
 * renames the temporary over path. Any failure on the way, including one
 * from an earlier fwrite() whose result the caller did not check (ENOSPC
 * surfaces here through the stream's error flag or the flush), removes the
 * temporary, adds a DIAG_SYSTEM diagnostic and returns -1: whatever was at
 * path before is left intact. Writes made through fd are not checked here;
 * whoever writes through fd must check them and abort instead of committing.
 */
int atomicfile_commit(struct atomicfile *af, struct diags *d);

/* Removes the temporary and leaves path untouched. No-op once committed. */
void atomicfile_abort(struct atomicfile *af);

/* Writes n bytes of data to path atomically. 0, or -1 with a diagnostic. */
int atomicfile_write(const char *path, const void *data, size_t n, struct diags *d);

/*
 * Installs SIGINT, SIGTERM and SIGHUP handlers (once; later calls do nothing)
 * that unlink every temporary this process registered, then let the signal
 * kill the process with its default action, so the exit status still shows
 * the signal. A signal that is ignored when this is first called (nohup,
 * background jobs) stays ignored. atomicfile_open() calls this itself.
 */
void atomicfile_install_signal_handlers(void);

#endif
