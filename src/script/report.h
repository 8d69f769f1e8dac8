/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the script stage inferred, told as diagnostics for `check -v`: a note
 * for every speaker (declared in the front matter, by a metadata list, by
 * the cast, or found as a label, with turns and aliases), and a warning for
 * what a user should confirm: an undeclared speaker with a single turn,
 * which is often a line that only looks like a label.
 *
 * Contract: script_report() only adds diagnostics to d; it changes nothing
 * in the script.
 */
#ifndef SCRIPTCAST_REPORT_H
#define SCRIPTCAST_REPORT_H

struct script;
struct diags;

void script_report(const struct script *s, struct diags *d);

#endif
