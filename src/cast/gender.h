/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Gender hints read from a person's name, for casting a fitting pool voice
 * when no one said the gender: an honorific (Mr., Ms., Mrs., Miss, Sr.,
 * Sra., 先生, 女士, 小姐, ...), else the shipped table of given names
 * (data/given-names.tsv, built into the program: names that the US Social
 * Security baby-name data gives almost always to one sex).
 *
 * Contract: pure functions of their arguments and the built-in table;
 * nothing is allocated, nothing printed.
 */
#ifndef SCRIPTCAST_GENDER_H
#define SCRIPTCAST_GENDER_H

#include "script/config.h"

/* The gender an honorific in name says (a Latin title first, a Chinese one
 * last), or GENDER_UNKNOWN. */
enum person_gender gender_from_honorific(const char *name);

/*
 * The gender of name's given name in the table, or GENDER_UNKNOWN when it
 * is not there (ambiguous, rare, or not Latin script). The given name is
 * the first word after titles (Dr., Prof., ...), ASCII case ignored; for a
 * hyphenated one (Mary-Jane) the whole word, else its first part.
 */
enum person_gender gender_from_given_name(const char *name);

/*
 * The gender a Russian name of one to three Cyrillic words says by its
 * endings: a surname or patronymic in -ова, -ева, -ина, -ская, -овна,
 * -евна is a woman's, in -ов, -ев, -ин, -ский, -ович, -евич a man's
 * (Марина Соколова, А. Петровская, Сергей Иванович); the last word that
 * has such an ending decides. GENDER_UNKNOWN otherwise (Ольга, Шевченко).
 */
enum person_gender gender_from_russian_name(const char *name);

/* The table's gender for exactly the lower-case word (len bytes), for tests. */
enum person_gender gender_table_lookup(const char *word, size_t len);

#endif
