// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * CLD2 against libexttextcat on short transcript sentences
 * (tests/data/langid-sentences.tsv): top-1 accuracy and CPU time per
 * sentence of each, in one run, so the choice recorded in bench/RESULTS.md
 * can be measured again. Built and run by bench/langid/run.sh.
 */
#include <cstdio>
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <cstring>
#include <ctime>
#include <libexttextcat/textcat.h>
#include <string>
#include <vector>

struct sentence {
    std::string lang, text;
};

static double cpu_us()
{
    return (double)clock() * 1e6 / CLOCKS_PER_SEC;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: compare SENTENCES.tsv TEXTCAT_DIR/\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f)
        return 3;
    std::vector<sentence> v;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = 0;
        tab[1 + strcspn(tab + 1, "\n")] = 0;
        v.push_back({line, tab + 1});
    }
    fclose(f);
    const int reps = 20;

    int cld_ok = 0;
    double t0 = cpu_us();
    for (int r = 0; r < reps; r++)
        for (const auto &s : v) {
            bool reliable;
            CLD2::Language l = CLD2::DetectLanguage(s.text.c_str(), (int)s.text.size(), true,
                                                    &reliable);
            if (!r)
                cld_ok += s.lang == CLD2::LanguageCode(l);
        }
    double cld_us = (cpu_us() - t0) / (reps * v.size());

    std::string conf = std::string(argv[2]) + "fpdb.conf";
    void *h = special_textcat_Init(conf.c_str(), argv[2]);
    if (!h)
        return 3;
    textcat_SetProperty(h, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
    candidate_t *c = textcat_GetClassifyFullOutput(h);
    int tc_ok = 0;
    t0 = cpu_us();
    for (int r = 0; r < reps; r++)
        for (const auto &s : v) {
            int k = textcat_ClassifyFull(h, s.text.c_str(), s.text.size(), c);
            if (r || k <= 0)
                continue;
            std::string best = c[0].name;
            tc_ok += best.substr(0, best.find('-')) == s.lang;
        }
    double tc_us = (cpu_us() - t0) / (reps * v.size());
    textcat_ReleaseClassifyFullOutput(h, c);
    textcat_Done(h);

    printf("%zu sentences\n", v.size());
    printf("CLD2          %3d correct (%.0f%%)  %6.1f us/sentence\n", cld_ok,
           100.0 * cld_ok / v.size(), cld_us);
    printf("libexttextcat %3d correct (%.0f%%)  %6.1f us/sentence (%.1fx CLD2)\n", tc_ok,
           100.0 * tc_ok / v.size(), tc_us, tc_us / cld_us);
    return 0;
}
