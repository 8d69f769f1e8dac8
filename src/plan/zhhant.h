/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Mandarin runs written in traditional characters (zh-TW, zh-Hant, quotes
 * from Taiwan in a mainland transcript). espeak-ng 1.51's cmn-latn-pinyin
 * reads every traditional character of OpenCC's table that lies in the
 * Basic Multilingual Plane (3,962 of 4,057), but its dictionary was made
 * for simplified text: 於 is read yū, not yú (關於, 對於, 由於), and words such
 * as 乾淨, 後面, 餅乾, 計劃 come out with a syllable doubled or the wrong
 * reading. On 49,046 phrases of OpenCC's table, the traditional spelling
 * gave other phonemes than the simplified one in 4,636 and a doubled
 * syllable in 628 more. So traditional text is converted to simplified
 * with OpenCC (t2s.json: characters and the phrases where one traditional
 * character has several simplified forms, 乾隆 vs 乾淨) before the Chinese
 * text preparation.
 *
 * OpenCC is loaded with dlopen() only for a run that may hold traditional
 * characters: one with a Han character outside GB2312 (simplified text is
 * almost always inside it), or one of the 15 traditional characters that
 * GB2312 also has (於 乾 後 徵 ...). Simplified documents never load it.
 *
 * Contract: zhhant_read() returns a new malloc'd string (the caller frees
 * it): the run's text simplified when needed, then runtext_zh(). When
 * OpenCC cannot be loaded, the text goes to runtext_zh() unconverted and
 * zhhant_error() says why. Deterministic; not thread-safe.
 */
#ifndef SCRIPTCAST_PLAN_ZHHANT_H
#define SCRIPTCAST_PLAN_ZHHANT_H

char *zhhant_read(const char *text);

/* Exported for tests: text converted to simplified characters when it holds
 * traditional ones (new string), or a copy. */
char *zhhant_simplify(const char *text);

/* Why conversion is unavailable (static message), or NULL. */
const char *zhhant_error(void);

/* How many texts so far needed OpenCC and went without: compared before
 * and after a plan to warn once per file. */
unsigned long zhhant_unread(void);

#endif
