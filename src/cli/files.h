/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The transcripts named on a command line: files as given, and every *.md
 * below a folder, recursively, in sorted order, hidden entries (., .git)
 * skipped. `batch` and `check` select files the same way through this.
 *
 * Contract: entries are owned by the list; release it with
 * cli_files_release(). Problems are diagnostics in d, never fatal: a
 * folder that cannot be read is a system error, a missing argument an
 * input error, and the other arguments are still collected.
 */
#ifndef SCRIPTCAST_CLI_FILES_H
#define SCRIPTCAST_CLI_FILES_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

struct cli_file {
    char *path; /* as found: the argument, or FOLDER/sub/name.md */
    char *rel;  /* its path under the folder given (its base name for a file), without .md */
};

struct cli_files {
    struct cli_file *v;
    size_t n, cap;
};

/* Adds args[0..n-1]: folders expanded, files taken as they are. Returns 0,
 * or -1 when an argument or folder could not be read (reported in d). */
int cli_files_collect(struct cli_files *f, char *const *args, size_t n, struct diags *d);

/* Adds one file as given, without looking at it (its reader reports a
 * missing file). */
void cli_files_add(struct cli_files *f, const char *path);

/* True when path names a folder. */
bool cli_files_is_dir(const char *path);

/* Adds every *.md below dir; returns how many, or -1 when a folder could
 * not be read (reported in d). */
long cli_files_add_dir(struct cli_files *f, const char *dir, struct diags *d);

void cli_files_release(struct cli_files *f);

#endif
