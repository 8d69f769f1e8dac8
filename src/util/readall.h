/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reading a whole input file into memory, with a bound: a transcript or a
 * --cast file may be any path a user or a CI job names, /dev/zero and
 * endless pipes included, and must never grow the process to the memory
 * limit. Regular files bigger than the bound are refused before a byte is
 * read; streams are read to one byte past it.
 *
 * Contract: readall_path() appends to out (a struct strbuf the caller owns
 * and releases, also after a failure) and returns READALL_OK,
 * READALL_TOO_BIG (out then holds what was read, at most max + 1 bytes, or
 * nothing) or READALL_ERROR with errno set (open or read failed; a folder
 * is EISDIR). No diagnostics: callers say what the file was.
 */
#ifndef SCRIPTCAST_READALL_H
#define SCRIPTCAST_READALL_H

#include <stdint.h>

struct strbuf;

/* The default bound on an input file: generous for any transcript (the
 * longest real ones are a few MB), small enough to fail before memory does. */
#define READALL_DEFAULT_MAX (256ull << 20)

enum readall_result {
    READALL_OK = 0,
    READALL_ERROR = -1,
    READALL_TOO_BIG = -2,
};

int readall_path(const char *path, uint64_t max, struct strbuf *out);
/* The same from an open descriptor (not closed); for standard input. */
int readall_fd(int fd, uint64_t max, struct strbuf *out);

/* "256 MiB", "1.5 GiB", "100 bytes": max as a person reads it, into buf. */
void readall_format_size(uint64_t bytes, char *buf, unsigned long n);

#endif
