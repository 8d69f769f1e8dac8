/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Allocation helpers. Every function here either returns usable memory or
 * aborts the process with a message: running out of memory is not an input
 * error a user can fix, and checking each small allocation would bury the
 * logic of the stages. Callers free with free().
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

#define XGROW(arr, cap, need) xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

#endif
