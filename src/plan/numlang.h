/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Numbers and dates per language, for runs that are not Chinese (Chinese has
 * numzh.h). espeak-ng reads plain cardinals well in most of its languages
 * but misreads other written forms: dates (03.12.2026 as "null drei Punkt
 * zwölf"), ISO dates, a minus sign (dropped in es, fr, ja, ko, ar; U+2212
 * read in English), ordinals written with digits (der 1. Mai, 1.º, 2e),
 * clock times in some forms (10:30 Uhr, 14h30, 10:00), percent in ja, ko
 * and ar. The rules per language, and which forms are left to espeak-ng
 * because it reads them right, are in docs/transcript-format.md ("Numbers
 * per language") and in the purpose comment of each numXX.c file.
 *
 * Contract: each numlang_LANG() is the text preparation of a run in LANG,
 * one row of the table in runtext.c: the run's numbers rewritten, then
 * runtext_default(). It returns a new malloc'd string the caller frees.
 * Pure: no global state; input bytes that are not valid UTF-8 are copied
 * through.
 */
#ifndef SCRIPTCAST_PLAN_NUMLANG_H
#define SCRIPTCAST_PLAN_NUMLANG_H

char *numlang_de(const char *text);
char *numlang_es(const char *text);
char *numlang_fr(const char *text);
char *numlang_en(const char *text);
char *numlang_ko(const char *text);
char *numlang_ar(const char *text);
char *numlang_ru(const char *text);

#endif
