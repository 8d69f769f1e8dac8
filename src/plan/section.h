/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --section selectors: a 1-based chapter number, a range "2-4", or a title
 * (exact, else a unique case-insensitive substring).
 *
 * Contract: section_select() marks keep[i] for each matching chapter of the
 * n titles and returns 0, or -1 after a diagnostic naming the selector.
 */
#ifndef SCRIPTCAST_SECTION_H
#define SCRIPTCAST_SECTION_H

#include <stdbool.h>
#include <stddef.h>

struct diags;

int section_select(const char *sel, char *const *titles, size_t n, bool *keep, struct diags *d);

#endif
