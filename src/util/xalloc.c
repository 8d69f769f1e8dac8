/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Allocation helpers that end the process with exit status 3 on exhaustion
 * (see xalloc.h for why, and why not abort()).
 */
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exit status 3 (EXIT_SYSTEM in util/diag.h, which the helper program does not link). */
#define XALLOC_EXIT 3

static void (*xalloc_handler)(void);

void xalloc_set_failure_handler(void (*fn)(void))
{
    xalloc_handler = fn;
}

_Noreturn void xalloc_die(size_t n)
{
    /* No stdio: it may want memory of its own. */
    char msg[96] = "scriptcast: error: out of memory";
    size_t len = strlen(msg);
    if (n) {
        char digits[24];
        size_t k = 0;
        while (n && k < sizeof(digits)) {
            digits[k++] = (char)('0' + n % 10);
            n /= 10;
        }
        msg[len++] = ' ';
        msg[len++] = '(';
        while (k > 0)
            msg[len++] = digits[--k];
        memcpy(msg + len, " bytes)", 7);
        len += 7;
    }
    msg[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, msg, len);
    (void)w;
    if (xalloc_handler)
        xalloc_handler();
    _exit(XALLOC_EXIT);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        xalloc_die(n);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        xalloc_die(size && count > SIZE_MAX / size ? SIZE_MAX : count * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        xalloc_die(n);
    return q;
}

void xgrow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    /* A count that cannot be a size in bytes is out of memory too, not a
     * wrapped product that allocates too little. */
    if (elem && need > SIZE_MAX / elem)
        xalloc_die(SIZE_MAX);
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 / (elem ? elem : 1) ? need : ncap * 2;
    *array = xrealloc(*array, ncap * elem);
    memset((char *)*array + *cap * elem, 0, (ncap - *cap) * elem);
    *cap = ncap;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
