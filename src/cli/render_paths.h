/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The output paths of one render, checked before any work: none may be the
 * input, none may be another output (after resolving symbolic links and
 * `..`, also for files that do not exist yet), and every file name must fit
 * the file system's name limit (the chapters file's name is the audio's
 * plus ".chapters.json"). Also the sweep of stale temporaries in the
 * output folders. Internal to render.c.
 *
 * Contract: render_check_paths() returns 0, or -1 with one DIAG_ERROR
 * diagnostic per problem naming both options (a command-line error: the
 * caller exits 2). Strings are borrowed.
 */
#ifndef SCRIPTCAST_RENDER_PATHS_H
#define SCRIPTCAST_RENDER_PATHS_H

struct diags;
struct render_request;

int render_check_paths(const struct render_request *rq, const char *chapters, struct diags *d);

/* Removes what killed renders left in the output folders (outdir_sweep()). */
void render_sweep(const struct render_request *rq, const char *chapters);

#endif
