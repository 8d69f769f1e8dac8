/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The delivery presets (contract in preset.h). The numbers are the
 * platforms' published requirements (docs/outputs.md cites them), with the
 * margins we measured: ACX's -3 dB peak limit is met as a true peak, which
 * is stricter than the sample peak ACX measures.
 */
#include "cli/preset.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/render.h"
#include "util/diag.h"

#include <string.h>

static const struct preset presets[] = {
    /* Apple Podcasts: MP3 at 44.1 kHz, 96-128 kbit/s recommended for mono;
     * -16 LUFS, true peak at most -1 dBTP. */
    {"podcast", "mp3", 44100, 128000, false, -16.0, -1.0, 0, 0, false},
    /* M4B (AAC-LC) at 44.1 kHz, 64 kbit/s mono; audiobook loudness
     * (-18 LUFS, peaks at -3 dBTP, as audiobook stores ask). */
    {"audiobook", "m4b", 44100, 64000, false, -18.0, -3.0, 0, 0, false},
    /* ACX: 44.1 kHz MP3, 192 kbit/s CBR or more, RMS -23..-18 dBFS (we aim
     * at the middle), peaks at most -3 dB, 0.5-1 s of room tone at the
     * head and 1-5 s at the tail, one file per chapter. */
    {"acx", "mp3", 44100, 192000, true, -20.0, -3.0, 750, 3000, true},
};

const struct preset *preset_find(const char *name)
{
    for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
        if (!strcmp(presets[i].name, name))
            return &presets[i];
    return NULL;
}

const struct preset *preset_for_format(const char *ext)
{
    return ext && !strcmp(ext, "mp3") ? &presets[0] : NULL;
}

/* The extension of path (after the last dot of its base name), or "". */
static const char *preset_ext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

int preset_apply(const struct preset *p, const struct preset_given *given,
                 struct render_request *rq, const char *cmd)
{
    if (rq->out) {
        const char *ext = preset_ext(rq->out);
        /* ASCII case folding: TALK.MP3 is an MP3 too. */
        bool same = strlen(ext) == strlen(p->ext);
        for (size_t i = 0; same && ext[i]; i++) {
            char c = ext[i] >= 'A' && ext[i] <= 'Z' ? (char)(ext[i] - 'A' + 'a') : ext[i];
            same = c == p->ext[i];
        }
        if (!same)
            return cli_usage_error(cmd, "--preset %s writes .%s files, not \"%s\"", p->name, p->ext,
                                   rq->out);
    }
    if (!given->rate)
        rq->rate = p->rate;
    if (!given->bitrate)
        rq->bitrate = p->bitrate;
    if (!given->loudness) {
        rq->loudness_off = false;
        rq->loudness_rms = p->rms;
        rq->loudness = p->target;
    }
    if (!given->true_peak)
        rq->true_peak = p->true_peak;
    rq->head_ms = p->head_ms;
    rq->tail_ms = p->tail_ms;
    rq->per_chapter = p->per_chapter;
    return EXIT_OK;
}

int preset_from_args(struct render_request *rq, const struct cli_args *a, const char *cmd,
                     const char *ext, const struct preset **chosen)
{
    static const char *const names[] = {"podcast", "audiobook", "acx"}; /* the CHOICE */
    *chosen = NULL;
    int rc = cli_master_from_args(rq, a, cmd);
    if (rc != EXIT_OK)
        return rc;
    if (a->v[CLI_OPT_BITRATE].set)
        rq->bitrate = (int)a->v[CLI_OPT_BITRATE].num * 1000;
    const struct preset *p = a->v[CLI_OPT_PRESET].set ? preset_find(names[a->v[CLI_OPT_PRESET].num])
                                                      : preset_for_format(ext);
    if (!p)
        return EXIT_OK;
    struct preset_given given = {
        .rate = a->v[CLI_OPT_RATE].set,
        .bitrate = a->v[CLI_OPT_BITRATE].set,
        .loudness = a->v[CLI_OPT_LOUDNESS].set,
        .true_peak = a->v[CLI_OPT_TRUE_PEAK].set,
    };
    *chosen = p;
    return preset_apply(p, &given, rq, cmd);
}
