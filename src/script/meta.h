/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Metadata in the body of a transcript: list items of "key：value" form
 * before the first turn or under a details heading ("- **嘉宾：** Cat &
 * Boris", "- 演讲者：宋宝华（Barry Song）", "- **播客节目**：Deeply Intents")
 * are not read. Keys meaning host, guest or speaker declare people as the
 * front matter does, with the text in parentheses as an alias.
 *
 * Contract: the predicates are pure; meta_declare() adds people to the
 * script (owned by it) and returns how many names it declared.
 */
#ifndef SCRIPTCAST_META_H
#define SCRIPTCAST_META_H

#include <stdbool.h>
#include <stddef.h>

struct script;
struct strbuf;

/*
 * Whether line is "key：value" (or "key: value", or "key:" alone) with a
 * short key that is not a sentence, a URL or a time. Fills the key's length
 * and where the value starts.
 */
bool meta_split(const char *line, size_t *key_len, size_t *value_start);

/* Keys that name people: 主持人, 嘉宾, 演讲者, Host, Guest, Speaker, ... */
bool meta_is_people_key(const char *key, size_t len);

/* Other metadata keys (日期, 链接, Date, Link, Episode, ...): a line with one of
 * them before the first turn is not a turn. */
bool meta_is_info_key(const char *key, size_t len);

/* Headings above metadata lists: "Details", "Show notes", "节目信息", ... */
bool meta_is_details_heading(const char *text);

/* Whether value reads as names ("Cat & Boris", "Maya Ortiz") rather than
 * speech: for a label such as "Guest:" that made a turn. */
bool meta_looks_like_names(const char *value);

/* Whether value reads as speech ("Welcome to the show.", "大家好，欢迎收听")
 * rather than a name or a value: after a "Host:" key, a turn. */
bool meta_looks_like_speech(const char *value);

/*
 * Declares the people named in value (separated by , ， 、 ; & / "and" "y",
 * and 和 与 between names that are not Han),
 * each "Name (Alias)" with its alias, and appends their names to *names
 * (", "-separated). Returns the number of names.
 */
size_t meta_declare(struct script *s, const char *value, int line, int col, struct strbuf *names);

#endif
