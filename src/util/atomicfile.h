/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Atomic file replacement: every output (the audio, each manifest and
 * sidecar) is written to a temporary file beside its destination and renamed
 * over it only once it is complete and on disk. A reader therefore sees
 * either the previous file or the new one, never a half-written one, and an
 * interrupted or failed run leaves the previous outputs as they were.
 *
 * Contract: struct atomicfile is owned by the caller (usually on the stack).
 * atomicfile_open() fills it; the caller writes through fd (raw, checked by
 * the caller, e.g. with fdio_write()) or through the stdio stream that
 * atomicfile_stream() makes on first use, not both at once unless the stream
 * is flushed in between. A file ends in one of three ways:
 * atomicfile_commit() (finish and rename now), atomicfile_finish() followed
 * by atomicset_commit() (several files that replace their destinations
 * together, see atomicset.h), or atomicfile_abort(). Each releases
 * everything it is done with whatever the outcome, and atomicfile_abort()
 * after any of them is a harmless no-op, so an error path can call it
 * unconditionally. Errors are reported as DIAG_SYSTEM diagnostics naming the
 * destination path.
 *
 * Temporaries are named "DIR/.NAME.scriptcast-PID-XXXXXX.tmp" (NAME cut to
 * 200 bytes), hold an flock while they are open, and are registered in a
 * fixed table so that SIGINT, SIGTERM and SIGHUP remove them (see
 * atomicfile_install_signal_handlers()). Only the process that created a
 * temporary removes it: a forked worker that is killed leaves its parent's
 * files alone. A temporary left by a process that died without cleaning up
 * (SIGKILL, a crash) is recognized by its name and removed by
 * outdir_sweep() (outdir.h).
 */
#ifndef SCRIPTCAST_ATOMICFILE_H
#define SCRIPTCAST_ATOMICFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct diags;

struct atomicfile {
    char *path;    /* destination, owned; NULL once committed or aborted */
    char *tmp;     /* temporary beside it, owned; NULL once committed or aborted */
    int fd;        /* the temporary's descriptor; -1 when closed */
    FILE *fp;      /* stdio stream on fd once atomicfile_stream() made one, else NULL */
    bool finished; /* written, flushed and closed: only the rename is left */
};

/*
 * Creates the temporary in the destination's folder (mode 0600 until it is
 * finished) and registers it for removal on SIGINT/SIGTERM/SIGHUP; installs
 * those handlers on first use. Returns 0, or -1 with a DIAG_SYSTEM
 * diagnostic naming path and the reason (missing folder, read-only folder,
 * ...); on failure af is left closed, so atomicfile_abort(af) is still safe.
 */
int atomicfile_open(struct atomicfile *af, const char *path, struct diags *d);

/* A buffered stream on the temporary, made on first call; NULL with errno
 * set when it cannot be made. Closed by finish, commit or abort. */
FILE *atomicfile_stream(struct atomicfile *af);

/*
 * Ends the writing: flushes the stream, syncs the data to disk when
 * SCRIPTCAST_FSYNC is set, sets the mode to 0644 & ~umask and closes the
 * temporary, checking every step (a failed fwrite() whose result the caller
 * did not check surfaces here through the stream's error flag; some file
 * systems report a failed write only at close). 0: af is finished, its
 * temporary complete under its own name, waiting for atomicfile_commit() or
 * atomicset_commit(). -1: the temporary is removed, af released, a
 * DIAG_SYSTEM diagnostic added. Writes made through fd are not checked here;
 * whoever writes through fd must check them and abort instead.
 */
int atomicfile_finish(struct atomicfile *af, struct diags *d);

/*
 * atomicfile_finish() if that has not been done, then renames the temporary
 * over path. Any failure removes the temporary, adds a DIAG_SYSTEM
 * diagnostic and returns -1: whatever was at path before is left intact.
 */
int atomicfile_commit(struct atomicfile *af, struct diags *d);

/* Removes the temporary and leaves path untouched. No-op once committed. */
void atomicfile_abort(struct atomicfile *af);

/* Writes n bytes of data to path atomically. 0, or -1 with a diagnostic. */
int atomicfile_write(const char *path, const void *data, size_t n, struct diags *d);

/*
 * A fresh temporary name beside path (malloc'd; not created): the same form
 * every temporary of this process has, so that outdir_sweep() recognizes
 * it. Used for the backups atomicset_commit() keeps while it renames.
 */
char *atomicfile_temp_name(const char *path);

/* True when name (a base name) is one of our temporaries; *pid is then the
 * process that made it. */
bool atomicfile_is_temp_name(const char *name, pid_t *pid);

/* Takes tmp (which now holds path's content) off the list of temporaries
 * that signals remove, and releases af as committed. For atomicset.c. */
void atomicfile_renamed(struct atomicfile *af);

/*
 * Installs SIGINT, SIGTERM and SIGHUP handlers (once; later calls do nothing)
 * that unlink every temporary this process registered, then let the signal
 * kill the process with its default action, so the exit status still shows
 * the signal. A signal that is ignored when this is first called (nohup,
 * background jobs) stays ignored. atomicfile_open() calls this itself.
 */
void atomicfile_install_signal_handlers(void);

/*
 * Unlinks every temporary this process has open, as the signal handlers
 * do; async-signal-safe. For a process about to end without unwinding (out
 * of memory: util/xalloc.h). The atomicfiles themselves stay as they are.
 */
void atomicfile_remove_all(void);

#endif
