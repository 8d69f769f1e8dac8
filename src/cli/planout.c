/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Plan output: the readable table and the JSON document of `scriptcast
 * plan` (contract in planout.h; the JSON shape is documented in
 * docs/cli.md).
 */
#include "cli/planout.h"
#include "cli/cli.h"
#include "cast/voice.h"
#include "plan/plan.h"
#include "plan/runs.h"
#include "util/diag.h"
#include "util/utf8.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

void planout_diagnostics(const struct diags *d, int verbosity, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *g = &d->v[i];
        if (g->level == DIAG_NOTE && verbosity < 1)
            continue;
        if (g->level == DIAG_WARNING && verbosity < 0)
            continue;
        diag_print_one(g, out);
    }
}

void planout_duration(char *buf, size_t n, double seconds)
{
    long s = lround(seconds);
    if (s >= 3600)
        snprintf(buf, n, "%ldh%02ldm%02lds", s / 3600, s / 60 % 60, s % 60);
    else if (s >= 60)
        snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
    else
        snprintf(buf, n, "%lds", s);
}

/* Pads s to width display columns (CJK counts two). */
static void planout_pad(FILE *out, const char *s, int width)
{
    fputs(s, out);
    int w = 0;
    const char *p = s, *end = s + strlen(s);
    while (p < end) {
        int32_t cp = utf8_decode(&p, end);
        w += utf8_is_cjk(cp) ? 2 : 1;
    }
    for (; w < width; w++)
        fputc(' ', out);
}

void planout_table(const struct plan *p, FILE *out)
{
    char dur[32];
    planout_duration(dur, sizeof(dur), plan_estimate_seconds(p));
    fprintf(out, "%s\n", p->file);
    fprintf(out, "  title     %s\n", p->title ? p->title : "(none)");
    fprintf(out, "  language  %s (from the %s)\n", p->lang,
            !strcmp(p->lang_from, "front-matter") ? "front matter"
            : !strcmp(p->lang_from, "file-name")  ? "file name"
                                                  : "text");
    fprintf(out, "  length    about %s spoken, %zu %s\n\n", dur, p->nsegments,
            cli_plural(p->nsegments, "segment", "segments"));
    fprintf(out, "chapters (%zu)\n", p->nchapters);
    for (size_t i = 0; i < p->nchapters; i++) {
        const struct plan_chapter *c = &p->chapters[i];
        fprintf(out, "  %3d  ", c->number);
        planout_pad(out, c->title, 40);
        fprintf(out, "  line %-5d %3zu %s\n", c->line, c->count,
                cli_plural(c->count, "segment", "segments"));
    }
    fprintf(out, "\nspeakers (%zu)\n", p->nspeakers);
    for (size_t i = 0; i < p->nspeakers; i++) {
        const struct plan_speaker *s = &p->speakers[i];
        fputs("  ", out);
        planout_pad(out, s->name, 20);
        fputs("  ", out);
        planout_pad(out, s->voice->name, 14);
        fprintf(out, "  %-10s %3zu %s", s->source, s->segments,
                cli_plural(s->segments, "segment", "segments"));
        if (strcmp(s->voice_from, s->source) != 0)
            fprintf(out, "  voice: %s", s->voice_from);
        if (s->gender)
            fprintf(out, "  %s (%s)", s->gender, s->gender_from);
        fputc('\n', out);
    }
}

static json_t *planout_runs(const struct plan *p, const struct plan_segment *sg)
{
    json_t *a = json_array();
    struct plan_run *runs = NULL;
    size_t n = 0;
    plan_segment_runs(p, sg, &runs, &n);
    for (size_t r = 0; r < n; r++) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "lang", runs[r].lang, "voice", runs[r].voice,
                              "text", runs[r].text);
        /* Only where punctuation at a language change asks for one. */
        if (runs[r].pause_ms)
            json_object_set_new(o, "pause_ms", json_integer(runs[r].pause_ms));
        json_array_append_new(a, o);
    }
    runs_free(runs, n);
    return a;
}

/* One speakers[] entry (docs/cli.md describes the fields). */
static json_t *planout_speaker(const struct plan_speaker *s)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:i}", "name", s->name, "voice",
                     s->voice->name, "source", s->source, "voice_from", s->voice_from, "gender",
                     s->gender ? json_string(s->gender) : json_null(), "gender_from",
                     s->gender_from ? json_string(s->gender_from) : json_null(), "segments",
                     (int)s->segments);
}

int planout_json(const struct plan *p, FILE *out)
{
    json_t *root = json_object();
    json_object_set_new(root, "file", json_string(p->file));
    json_object_set_new(root, "title", p->title ? json_string(p->title) : json_null());
    json_object_set_new(root, "lang", json_string(p->lang));
    json_object_set_new(root, "lang_from", json_string(p->lang_from));
    json_object_set_new(root, "estimated_seconds",
                        json_integer((json_int_t)lround(plan_estimate_seconds(p))));
    json_t *chapters = json_array();
    for (size_t i = 0; i < p->nchapters; i++) {
        const struct plan_chapter *c = &p->chapters[i];
        json_array_append_new(chapters,
                              json_pack("{s:i, s:s, s:i, s:i}", "index", c->number, "title",
                                        c->title, "line", c->line, "segments", (int)c->count));
    }
    json_object_set_new(root, "chapters", chapters);
    json_t *speakers = json_array();
    for (size_t i = 0; i < p->nspeakers; i++) {
        const struct plan_speaker *s = &p->speakers[i];
        json_array_append_new(speakers, planout_speaker(s));
    }
    json_object_set_new(root, "speakers", speakers);
    json_t *segments = json_array();
    for (size_t i = 0; i < p->nsegments; i++) {
        const struct plan_segment *sg = &p->segments[i];
        json_array_append_new(
            segments,
            json_pack("{s:i, s:s, s:s, s:s, s:i, s:i, s:s, s:o}", "chapter",
                      p->chapters[sg->chapter].number, "kind", plan_kind_name(sg->kind), "speaker",
                      p->speakers[sg->speaker].name, "voice", sg->voice->name, "line", sg->line,
                      "pause_ms", sg->pause_ms, "text", sg->text, "runs", planout_runs(p, sg)));
    }
    json_object_set_new(root, "segments", segments);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc == 0)
        fputc('\n', out);
    return rc == 0 && !ferror(out) ? 0 : -1;
}
