// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The C face of CLD2 (Compact Language Detector 2), whose interface is C++:
 * the three calls langid.c needs, with C types only (contract in
 * langid_cld2.h). No exception crosses: CLD2 throws none, and every call
 * here is noexcept.
 */
#include <cstdio> // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

extern "C" {
#include "util/langid_cld2.h"
}

int langid_cld2_detect(const char *text, int len, const char *hint, const char *codes[3],
                       int percent[3], int *reliable) noexcept
{
    CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING,
                            hint ? CLD2::GetLanguageFromName(hint) : CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language lang3[3];
    double scores[3];
    int text_bytes = 0;
    bool ok = false;
    CLD2::ExtDetectLanguageSummary(text, len, true, &hints, 0, lang3, percent, scores, nullptr,
                                   &text_bytes, &ok);
    int n = 0;
    for (int i = 0; i < 3; i++) {
        if (lang3[i] == CLD2::UNKNOWN_LANGUAGE || lang3[i] == CLD2::TG_UNKNOWN_LANGUAGE ||
            percent[i] <= 0)
            continue;
        codes[n] = CLD2::LanguageCode(lang3[i]);
        percent[n] = percent[i];
        n++;
    }
    for (int i = n; i < 3; i++) {
        codes[i] = nullptr;
        percent[i] = 0;
    }
    *reliable = ok;
    return n;
}

const char *langid_cld2_name(const char *code) noexcept
{
    CLD2::Language l = CLD2::GetLanguageFromName(code);
    return l == CLD2::UNKNOWN_LANGUAGE ? nullptr : CLD2::LanguageName(l);
}
