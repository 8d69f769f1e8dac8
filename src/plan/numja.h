/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Japanese number readings of the plan stage. espeak-ng 1.51's ja voice
 * reads digits wrongly (100 イチヒャク, 300 サンヒャク, 10000 ジューセン, no
 * decimal point, no minus, % in English) and knows no counter sound changes
 * (一本 イッポン, 三本 サンボン, 一人 ヒトリ), so numbers in a Japanese run are
 * written out in katakana before synthesis, together with the counter that
 * follows them: the counter changes how the number ends and how it starts.
 *
 * Readings (docs/voices.md, "Japanese readings"):
 *  - Integers with 万/億/兆 grouping: 2025 ニセンニジューゴ, 300 サンビャク,
 *    8000 ハッセン, 10000 イチマン, 1000万 イッセンマン, 1兆 イッチョー;
 *    thousands separators (1,000); a digit string with a leading 0 (007) or
 *    longer than 16 digits is read digit by digit; 0 is ゼロ.
 *  - Decimals: 3.14 サンテンイチヨン, 1.5 イッテンゴ; signs: -5 マイナスゴ.
 *  - Digits followed by 万 億 兆 (1万, 3億5000万, 1.5億) read those as units.
 *  - Counters after the number, with their sound changes (see NUMJA_COUNTERS
 *    in numja.c): 人 (ヒトリ, フタリ, ヨニン), 年 (ヨネン), 月 (months: シガツ,
 *    シチガツ, クガツ), ヶ月/か月/カ月 (イッカゲツ), 日 (days of a month:
 *    ツイタチ after 月, フツカ ... トーカ, ハツカ), 日間, 時 (ヨジ, シチジ, クジ),
 *    時間, 分 (イップン, サンプン, ジュップン), 秒, 円, 個, 回, 階, 歳/才 (ハタチ),
 *    本/杯/匹/泊 (イッポン, サンボン), 件, 冊, 週間, 点, 度, 倍, 位, 番, 号, 枚, 台,
 *    章, 話, 代, 名, 社, か国, %/％ (パーセント), つ (1-9 native: ヒトツ, ミッツ,
 *    ココノツ); and in kana: にん ねん がつ にち
 *    ふん/ぷん えん かい さい じ じかん かげつ (2じかん ニジカン, 7がつ シチガツ).
 *  - Clock times H:MM[:SS] (H <= 24) as 時, 分, 秒 (10:30 ジュージサンジュップン;
 *    zero minutes are not read); dates YYYY/MM/DD and YYYY-MM-DD as 年 月 日.
 *  - Between two numbers, 〜 ~ ～ read カラ (3〜5人 サンカラゴニン).
 *
 * Contract: pure functions, no global state. Full-width digits and
 * full-width ．，：／－％～ count as their ASCII forms. After
 * numja_normalize() no ASCII or full-width digit is left.
 */
#ifndef SCRIPTCAST_PLAN_NUMJA_H
#define SCRIPTCAST_PLAN_NUMJA_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/*
 * Rewrites every number written in digits in Japanese text as katakana,
 * with the counter after it. Returns a new malloc'd string the caller
 * frees; invalid UTF-8 bytes are copied through.
 */
char *numja_normalize(const char *text);

/*
 * Appends the reading of the integer digits[0..n) (ASCII digits; others are
 * skipped) followed by the counter that starts at counter (which may be
 * NULL or not a counter), to sb. after_month says that the number follows
 * a month (so 1日 is ツイタチ). Returns the bytes of counter read with the
 * number (0 when counter is not one of the counters above).
 */
size_t numja_count(struct strbuf *sb, const char *digits, size_t n, const char *counter,
                   bool after_month);

#endif
