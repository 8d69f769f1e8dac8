/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which spoken Chinese a document's language tag asks for. Written Chinese
 * is one language on the page and two (or more) aloud: a Hong Kong reader
 * reads the same characters in Cantonese that a Beijing or Taipei reader
 * reads in Mandarin. scriptcast has a voice for each (cmn-latn-pinyin,
 * yue), so the tag decides (docs/voices.md, "Chinese varieties"):
 *
 *  - Cantonese ("yue"): yue, yue-*, zh-yue, the regions Hong Kong and Macau
 *    (zh-HK, zh-MO, zh-Hant-HK, zh-Hant-MO), and the names cantonese, 粵語,
 *    粤语, 廣東話, 广东话;
 *  - Mandarin ("zh"): every other zh tag (zh, zh-CN, zh-TW, zh-SG, zh-Hans,
 *    zh-Hant, zh-Hant-TW), cmn and cmn-*, and the names chinese, mandarin,
 *    中文, 普通话, 普通話, 國語, 国语, 華語, 华语.
 *
 * Contract: zhvariety_of_tag() returns the static string "yue" or "zh",
 * or NULL when the tag is not Chinese. Case and '-'/'_' do not matter.
 * Pure function.
 */
#ifndef SCRIPTCAST_SCRIPT_ZHVARIETY_H
#define SCRIPTCAST_SCRIPT_ZHVARIETY_H

const char *zhvariety_of_tag(const char *tag);

#endif
