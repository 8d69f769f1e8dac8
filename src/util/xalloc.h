/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Allocation helpers. Every function here either returns usable memory or
 * ends the process with a message: running out of memory is not an input
 * error a user can fix, and checking each small allocation would bury the
 * logic of the stages. Callers free with free().
 *
 * Out of memory ends the process with exit status 3 (EXIT_SYSTEM), never
 * with abort() (whose SIGABRT and core dump read as a crash): the message
 * "scriptcast: error: out of memory (N bytes)" goes to stderr, then the
 * handler set with xalloc_set_failure_handler() runs (the program's removes
 * its temporaries), then _exit(3). Libraries that allocate behind our back
 * (cmark, jansson) are given these functions, so the same holds for them.
 */
#ifndef SCRIPTCAST_XALLOC_H
#define SCRIPTCAST_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *array so it holds at least need elements of size elem; updates *cap. */
void xgrow(void **array, size_t *cap, size_t need, size_t elem);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * Called once, after the message, when an allocation fails; it must only
 * make async-signal-safe calls (the heap is exhausted) and may end the
 * process itself. NULL removes it.
 */
void xalloc_set_failure_handler(void (*fn)(void));

/* Reports an allocation of n bytes (0: unknown) that failed and ends the
 * process as above; for code that allocates with other functions (e.g. a
 * library that reports running out). */
_Noreturn void xalloc_die(size_t n);

#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
