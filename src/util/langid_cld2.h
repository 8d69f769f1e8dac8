/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The C interface to CLD2 (src/util/langid_cld2.cc), used only by
 * langid.c.
 *
 * langid_cld2_detect(): the up to 3 languages CLD2 finds in len bytes of
 * valid UTF-8 plain text, best first, hint (a language code or NULL)
 * favoured; codes[] get CLD2's static codes ("es", "zh-Hant", "iw") or NULL,
 * percent[] their share of the text; *reliable CLD2's own verdict. Returns
 * how many codes were set.
 *
 * langid_cld2_name(): CLD2's static upper-case English name of a language
 * code ("SPANISH"), or NULL when CLD2 does not know the code.
 */
#ifndef SCRIPTCAST_LANGID_CLD2_H
#define SCRIPTCAST_LANGID_CLD2_H

#ifdef __cplusplus
#define LANGID_NOEXCEPT noexcept
#else
#define LANGID_NOEXCEPT
#endif

int langid_cld2_detect(const char *text, int len, const char *hint, const char *codes[3],
                       int percent[3], int *reliable) LANGID_NOEXCEPT;
const char *langid_cld2_name(const char *code) LANGID_NOEXCEPT;

#endif
