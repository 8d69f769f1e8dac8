/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Chinese number normalizer of the plan stage. espeak-ng's Mandarin voice
 * (cmn-latn-pinyin) misreads numbers written in digits (10000 as 十千, 606
 * without its 零, no decimal point, no minus, % and + in English), so every
 * number inside a Chinese run is rewritten as Chinese words before synthesis.
 *
 * Contract: pure functions, no global state. Full-width digits ０-９ and
 * full-width ．：／－＋％～ count as their ASCII forms. After
 * numzh_normalize() no ASCII or full-width digit is left, whatever the input:
 * anything no rule below recognizes is read digit by digit.
 *
 * Readings, in the order they are tried at the first digit of a number:
 *  - Dates: 2025-11-28, 2025/11/28, 2025.11.28 -> 二零二五年十一月二十八日
 *    (month 1-12, day 1-31). Text already written 11月28日 only has its
 *    numbers spelled.
 *  - Clock times: H:MM and H:MM:SS with H <= 24 -> 十点三十分, 九点零五分,
 *    十点 (zero minutes and seconds are not read), 二十三点五十九分三十秒;
 *    hour 2 is 两点.
 *  - Fractions a/b -> b分之a (3/4 -> 四分之三); other a:b -> a比b (scores,
 *    ratios). Not inside a longer chain such as 1/2/3.
 *  - Phone-like groups: 138-1234-5678, 400-800-1234, 010-12345678 (groups of
 *    3+ digits joined by '-', three groups or a first one starting with 0)
 *    are read digit by digit, dashes kept.
 *  - Plain numbers: integers with 万/亿 grouping and 零 rules (see
 *    numzh_integer()), thousands separators (a ',' followed by exactly three
 *    digits: 1,000,000 -> 一百万), decimals read digit by digit after 点
 *    (12.05 -> 十二点零五), dotted chains such as versions and addresses read
 *    digit by digit (1.2.3 -> 一点二点三).
 *  - Digit by digit: a number written with a leading 0 (007 -> 零零七), longer
 *    than 16 digits, or attached to a Latin word (A100, GPT-4o: the digits
 *    follow a letter, or a letter and '-' or '_').
 *  - Years: a 4-digit number from 1000 to 2999 followed by 年 (2025年 ->
 *    二零二五年; 3年, 10年 and 5000年 are amounts). A range of two such
 *    numbers, joined by a dash, ~, 到 or 至, is a range of years when the
 *    second is followed by 年 or both lie in 1900-2099 (2024-2025 ->
 *    二零二四到二零二五); 1000到2000元 stays an amount.
 *  - Percent: 50% -> 百分之五十, 3.5％ -> 百分之三点五; ‰ -> 千分之.
 *  - Signs: '-', '－' or U+2212 directly before a number and not after a
 *    digit, a Latin letter or the end of a number reads 负 (-5% ->
 *    负百分之五). A '+' in that position is dropped (+86 -> 八十六): a
 *    spoken 正 is rare and 加 would be wrong.
 *  - Between two numbers: a dash ('-', en/em dash, ~, ～, 〜) reads 到
 *    (3-5个 -> 三到五个, 10%-20% -> 百分之十到百分之二十) unless either side
 *    is read digit by digit, then the dash is kept (espeak-ng drops it);
 *    '+' reads 加, U+2212 减, × 乘, = 等于 (1+1=2 -> 一加一等于二).
 *    A '+' after a number and not before a digit reads 多 (10+ -> 十多).
 *  - 两: exactly the number 2, not after 第, before one of 个 位 种 次 年 天 点
 *    本 件 台 条 只 张 万 亿 千 人 岁 倍 名 份 周 小时 分钟 秒 (or their traditional
 *    forms 個 隻 張 條 臺 萬 億 歲 週 小時 分鐘 種, for Cantonese runs) reads 两
 *    (2个 -> 两个, 2年 -> 两年, but 第2个 -> 第二个, 2年级 -> 二年级, 2月 ->
 *    二月, 12个 -> 十二个). Elsewhere 2 is 二 (2000 -> 二千).
 *  - Ordinals need no rule of their own: 第3 -> 第三, 第10章 -> 第十章.
 */
#ifndef SCRIPTCAST_PLAN_NUMZH_H
#define SCRIPTCAST_PLAN_NUMZH_H

#include <stddef.h>

struct strbuf;

/*
 * Rewrites every number written in digits inside Chinese text as Chinese
 * words. Returns a new malloc'd string the caller frees. Input is valid
 * UTF-8 (invalid bytes are copied through unchanged).
 */
char *numzh_normalize(const char *text);

/*
 * Spells an unsigned integer given as a digit string (no sign, may be long)
 * in Chinese with 万/亿 grouping and 零 rules, appending to sb: 10 -> 十,
 * 110 -> 一百一十, 1050 -> 一千零五十, 100010000 -> 一亿零一万, 10^12 ->
 * 一万亿. Leading zeros are ignored for the value ("" and "000" give 零);
 * more than 16 significant digits are read digit by digit. Characters other
 * than '0'-'9' are skipped.
 */
void numzh_integer(struct strbuf *sb, const char *digits, size_t n);

#endif
