/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Diagnostics: every problem the pipeline finds is collected here, with the
 * file, line and column it points at, so that a whole file's problems can be
 * reported at once and mapped to an exit code (mandoc-style: the worst level
 * seen is the exit status).
 *
 * Contract: struct diags owns copies of every string passed in. Lines and
 * columns are 1-based; column counts characters (code points), not bytes;
 * 0 means "unknown" and is omitted when printed. diag_release() frees all.
 */
#ifndef SCRIPTCAST_DIAG_H
#define SCRIPTCAST_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes documented in docs/cli.md. */
enum exit_code {
    EXIT_OK = 0,     /* success */
    EXIT_INPUT = 1,  /* the input is wrong; diagnostics say where */
    EXIT_USAGE = 2,  /* the command line is wrong */
    EXIT_SYSTEM = 3, /* I/O, engine or resource failure */
};

enum diag_level {
    DIAG_NOTE,
    DIAG_WARNING,
    DIAG_ERROR,  /* input error: exit 1 */
    DIAG_SYSTEM, /* system failure: exit 3, printed as "error" */
};

struct diag {
    enum diag_level level;
    char *file; /* may be NULL */
    int line;
    int col;
    char *msg; /* at most DIAG_MSG_MAX characters (longer ones are cut, with "...") */
    /* The offending source line, without newline, or the window of it
     * around col when it is longer than DIAG_WINDOW characters; may be NULL. */
    char *source;
    int source_first; /* the line's character (1-based) that source starts with */
    bool source_more; /* the line goes on after source */
};

/* Characters of a source line kept and shown around the column (a 50 MB
 * line must neither be copied per diagnostic nor flood a terminal). */
#define DIAG_WINDOW 100
/* Characters before the column that a window keeps. */
#define DIAG_WINDOW_BEFORE 40
/* Characters of a message kept (it may quote a name of any length). */
#define DIAG_MSG_MAX 1000

struct diags {
    struct diag *v;
    size_t n, cap;
    size_t errors;   /* DIAG_ERROR count */
    size_t warnings; /* DIAG_WARNING count */
    size_t system;   /* DIAG_SYSTEM count */
    bool strict;     /* warnings that --strict promotes count as errors */
};

void diag_init(struct diags *d);
void diag_release(struct diags *d);

/* Adds a diagnostic; fmt is printf-style. source may be NULL. */
void diag_add(struct diags *d, enum diag_level level, const char *file, int line, int col,
              const char *source, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Level name as printed ("error", "warning", "note"). */
const char *diag_level_name(enum diag_level level);

/*
 * Prints every diagnostic as "scriptcast: FILE:LINE:COL: LEVEL: MSG", then
 * the source line (or its window, marked "..." where text was left out) and
 * a caret under the column when both are known. Characters that a terminal
 * would act on are shown escaped, in the file name, the message and the
 * source alike: C0 controls but tab, DEL and C1 as \x1b, \x7f, \u009b;
 * bidirectional overrides and line separators as \u202e, \u2028; bytes
 * that are not UTF-8 as \xff.
 */
void diag_print(const struct diags *d, FILE *out);
void diag_print_one(const struct diag *g, FILE *out);

/* EXIT_SYSTEM if any system error, else EXIT_INPUT if any error, else EXIT_OK. */
int diag_exit_code(const struct diags *d);

/* Moves all diagnostics of src to the end of dst; src is left empty. */
void diag_move(struct diags *dst, struct diags *src);

#endif
