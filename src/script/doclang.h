/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The document's language, from the first source that has one: the front
 * matter's `lang`/`language`, else a language tag before the file name's
 * extension (`talk.es.md`, `ep2.ja.md`, `x.zh-TW.md`; `notes.v2.md` has
 * none), else the text itself (writing systems, then CLD2 for the rest).
 * The text is identified in every case, so that a declared language the
 * text contradicts is reported (docs/transcript-format.md, "Language
 * identification").
 *
 * Contract: doclang_code() returns a new string (a tag, lower case);
 * doclang_from_name() returns a new string or NULL; doclang_settle() sets
 * s->lang (when unset), s->lang_from and s->lang_text, and adds a warning
 * when the text reads as another language and a note (shown with -v)
 * saying where the language came from.
 */
#ifndef SCRIPTCAST_SCRIPT_DOCLANG_H
#define SCRIPTCAST_SCRIPT_DOCLANG_H

struct diags;
struct script;

/* The tag of a front-matter value: "zh" for "zh-TW", "cmn", "Chinese",
 * "中文"; "en" for "English"; else the value lower case with '_' read as
 * '-', its region kept ("pt-br", "de-at"). */
char *doclang_code(const char *value);

/* The language tag of a file name ("talk.es.md" -> "es", "x.zh-TW.md" ->
 * "zh", "ep.pt_BR.md" -> "pt-br"), or NULL when the name has none that names a known language. */
char *doclang_from_name(const char *path);

void doclang_settle(struct script *s, struct diags *d);

#endif
