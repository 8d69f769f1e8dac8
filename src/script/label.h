/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Speaker-label detection on one line of plain text (Markdown already
 * removed): "Name: text", "Name：text", "[00:01:02] Name: text",
 * "00:00:16 Name: text", "Name (00:01:02): text", "Name:" alone, a name
 * alone with a timestamp and no colon ("[00:00:51] Stefan", "Stefan  0:03",
 * its speech on the lines after it), and alias
 * declarations "Andrew Poelstra（AP）：text" (the short form in parentheses
 * is an alias of the name), also in words as Japanese interviews write
 * them: "編集部 ライター 滿留悠平（以下、滿留）：" (the name is the last word
 * before the parenthesis, the words before it a description). Real transcripts hold traps that look
 * like labels — clauses before a quotation (…回答说：“…”), clock times, URLs, ordinary sentences
 * with a colon — so an unknown name must pass label_plausible().
 *
 * Contract: pure functions, no allocation. Offsets are byte offsets into the
 * line given.
 */
#ifndef SCRIPTCAST_LABEL_H
#define SCRIPTCAST_LABEL_H

#include <stdbool.h>
#include <stddef.h>

struct label {
    size_t name_start, name_end;   /* the name, timestamps, alias and spaces excluded */
    size_t alias_start, alias_end; /* "AP" of "Andrew Poelstra（AP）:"; equal when none */
    size_t text_start;             /* where the spoken text begins */
    bool empty_text;               /* nothing follows the colon */
    bool stamped;                  /* a timestamp came with the name */
    bool bare;                     /* no colon: "[00:00:51] Stefan" (empty_text too) */
    bool hereafter;                /* "（以下、滿留）": the alias is declared in words */
};

/* Answers whether name (name_len bytes, not NUL-terminated) is a known person. */
typedef bool (*label_known_fn)(const char *name, size_t name_len, void *ctx);

/*
 * Finds a label at the start of line. A known name is a label whatever
 * follows; an unknown one must be plausible and not followed by text that
 * opens a quotation. A label with nothing after it (empty_text) is for the
 * caller to judge: it starts a turn only when speech follows on the next
 * lines. Returns true and fills *out when found.
 */
bool label_find(const char *line, label_known_fn known, void *ctx, struct label *out);

/*
 * The rules for an unknown name: at most 6 CJK characters, or at most 3
 * capitalized words and 32 bytes of Latin text; no sentence punctuation or
 * symbols; not only digits; not a clause ending in a speech verb.
 */
bool label_plausible(const char *name, size_t len);

/* Whether name is a language tag written before the real label of a
 * bilingual transcript ("EN", "CN", "ZH", "中文", "English"): never a speaker. */
bool label_is_lang_tag(const char *name, size_t len);

/* Whether the text of a parenthesis after a name is a role note ("主持人",
 * "host", "guest") rather than an alias. */
bool label_is_role(const char *s, size_t len);

/* Whether name labels a question from the audience ("Q", "问", "P" for
 * pregunta): such a turn is its paragraph only. */
bool label_is_question(const char *name, size_t len);

/* Whether name labels an answer in a Q&A ("A", "答", "R" for respuesta): in a
 * talk with one declared speaker, that speaker. */
bool label_is_answer(const char *name, size_t len);

/* Whether the text of a parenthesis after a name is an alias ("AP", "AvW",
 * "Barry Song") rather than a role or a description ("Bebop CEO",
 * "Claude Code 工程师，Anthropic"). */
bool label_is_alias(const char *s, size_t len);

#endif
