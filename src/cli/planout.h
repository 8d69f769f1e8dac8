/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Printing a plan for people (a table) and for programs (JSON), and the
 * diagnostics filter every subcommand shares (-q errors only, -v notes too).
 *
 * Contract: printing only; nothing is freed or kept. planout_json() returns
 * 0 or -1 when the output stream failed.
 */
#ifndef SCRIPTCAST_PLANOUT_H
#define SCRIPTCAST_PLANOUT_H

#include <stdio.h>

struct diags;
struct plan;

void planout_table(const struct plan *p, FILE *out);
int planout_json(const struct plan *p, FILE *out);
void planout_diagnostics(const struct diags *d, int verbosity, FILE *out);
/* "1h02m03s", "4m05s", "12s" */
void planout_duration(char *buf, size_t n, double seconds);

#endif
