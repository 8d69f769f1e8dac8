/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The speakers' notes and warnings of the script stage (contract in
 * report.h). Notes are printed with -v only; the warning is printed always,
 * because a one-off undeclared label is the commonest misreading.
 */
#include "script/report.h"
#include "script/script.h"
#include "util/diag.h"
#include "util/strbuf.h"

static const char *report_origin(const struct script *s, const struct script_person *p)
{
    switch (p->origin) {
    case PERSON_FIELD:
        return p->line < s->body_line ? "declared in the front matter"
                                      : "declared by a metadata list item";
    case PERSON_CAST:
        return "named by the cast settings";
    case PERSON_LABEL:
    default:
        return "found as a turn label";
    }
}

void script_report(const struct script *s, struct diags *d)
{
    size_t turns = 0;
    for (size_t i = 0; i < s->npeople; i++)
        turns += s->people[i].turns;
    for (size_t i = 0; i < s->npeople; i++) {
        const struct script_person *p = &s->people[i];
        struct strbuf msg = STRBUF_INIT;
        strbuf_addf(&msg, "speaker \"%s\" %s; %zu turn%s", p->name, report_origin(s, p), p->turns,
                    p->turns == 1 ? "" : "s");
        if (p->naliases) {
            strbuf_adds(&msg, "; also called ");
            for (size_t k = 0; k < p->naliases; k++)
                strbuf_addf(&msg, "%s\"%s\"", k ? ", " : "", p->aliases[k]);
        }
        diag_add(d, DIAG_NOTE, s->file, p->line, p->col, script_line(s, p->line), "%s", msg.buf);
        strbuf_release(&msg);
        /* In a short exchange one turn each is normal; among many turns a
         * label seen once is often a line that only looks like one. */
        if (p->origin == PERSON_LABEL && p->turns == 1 && turns >= 4)
            diag_add(d, DIAG_WARNING, s->file, p->line, p->col, script_line(s, p->line),
                     "speaker \"%s\" is not declared and has a single turn: is \"%s:\" really a "
                     "speaker label? (declare it in the front matter to confirm)",
                     p->name, p->name);
    }
}
