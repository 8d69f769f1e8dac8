/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The text of one run made ready for its engine voice. espeak-ng's
 * cmn-latn-pinyin reads ASCII symbols in English ("slash", "plus",
 * "percent") and ignores ASCII punctuation not followed by a space (no
 * pause in "你好,我们"); its English voices ignore CJK punctuation. So:
 *
 *  - runtext_zh(): spaces between a digit and Han text removed ("2026 年 7
 *    月" is a date), "$20" read 二十美元, numbers written out (numzh.h),
 *    ASCII sentence and clause punctuation turned full-width, "/" between
 *    Han words a short pause (、), "/" after an amount 每 (元/月 -> 元每月),
 *    "+" between Han words 加, "|" a pause, and any other "/", "+", "%"
 *    dropped: none of them reaches the Chinese voice.
 *  - runtext_en(): full-width forms and CJK punctuation turned into their
 *    ASCII equivalents, a "/" that joins no two words and "|" turned into a
 *    pause or a space.
 *
 *  - runtext_default(): runtext_en(), then ALL-CAPS words of 2-4 letters
 *    spelled out ("GPU" -> "G P U") and the '-' of "GPT-4o" made a space.
 *  - runtext_prepare(): the dispatch runs.c calls — the preparation of the
 *    run's language (a table in runtext.c, one row per language that has
 *    its own), else runtext_default().
 *
 * Contract: all return a new malloc'd string the caller frees; input is
 * UTF-8 (invalid bytes pass through). Symbols that mean nothing to a
 * listener are removed later by the caller (runs.c).
 */
#ifndef SCRIPTCAST_PLAN_RUNTEXT_H
#define SCRIPTCAST_PLAN_RUNTEXT_H

char *runtext_zh(const char *text);
char *runtext_en(const char *text);
char *runtext_default(const char *text);
/* lang: the run's language tag as plan_run.lang holds it ("zh", "es"). */
char *runtext_prepare(const char *lang, const char *text);

#endif
