/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast voices [NAME...] [--lang TAG]... [--json]`: the voice
 * profiles found on the search path and the ones derived for espeak-ng's
 * languages (cast/derive.h), which of them are derived, and whether the
 * engine has each profile's voice.
 */
#include "cast/derive.h"
#include "cast/langs.h"
#include "cast/voice.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command voices_cmd = {
    "voices",
    CMD_VOICES,
    "voices [NAME...] [--lang TAG]... [--json] [--voices DIR]...",
    "Lists the voice profiles on the search path (each --voices DIR, then\n"
    "$SCRIPTCAST_VOICES, ./voices, the installed data folder) and the ones\n"
    "derived for every language espeak-ng has (only those NAMEd, or of the\n"
    "languages TAG, when given), marks the derived ones, and says whether\n"
    "espeak-ng has each profile's voice.\n",
    "Exit status: 0 ok, 1 a profile's voice is missing, a NAME unknown or\n"
    "a TAG a language espeak-ng has no voice for, 2 usage error, 3 system failure.\n",
};

static json_t *voices_json_one(const struct voice *v, bool ok)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(v->name));
    json_object_set_new(o, "lang", json_string(v->lang));
    json_object_set_new(o, "engine", json_string(v->engine ? v->engine : "espeak-ng"));
    json_object_set_new(o, "voice", json_string(v->voice));
    json_object_set_new(o, "variant", v->variant ? json_string(v->variant) : json_null());
    json_object_set_new(o, "rate", json_integer(v->rate));
    json_object_set_new(o, "pitch", json_integer(v->pitch));
    json_object_set_new(o, "range", json_integer(v->range));
    json_object_set_new(o, "volume", json_integer(v->volume));
    json_object_set_new(o, "latin_voice",
                        v->latin_voice ? json_string(v->latin_voice) : json_null());
    json_object_set_new(o, "gender", voice_gender(v) ? json_string(voice_gender(v)) : json_null());
    json_object_set_new(o, "derived", json_boolean(v->derived));
    json_object_set_new(o, "path", v->path ? json_string(v->path) : json_null());
    json_object_set_new(o, "available", json_boolean(ok));
    return o;
}

/* What the operands and --lang ask for: the languages as lower-case tags. */
struct voices_want {
    char **langs;
    size_t nlangs;
};

static char *voices_lower(const char *s)
{
    char *t = xstrdup(s);
    for (char *p = t; *p; p++)
        *p = *p == '_' ? '-' : (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
    return t;
}

static bool voices_book_speaks(const struct voicebook *vb, const char *tag)
{
    for (size_t i = 0; i < vb->n; i++)
        if (!strcmp(vb->v[i].lang, tag))
            return true;
    return false;
}

/*
 * Adds the derived profiles the command line asks about: those of each
 * --lang TAG and of each derived NAME no file gives, or, with neither,
 * every language's. Unknown languages and partial ones are reported.
 */
static void voices_derive(struct voicebook *vb, const struct cli_args *a, struct voices_want *w,
                          struct diags *d)
{
    const struct cli_value *lang = &a->v[CLI_OPT_VOICES_LANG];
    w->langs = xcalloc(lang->nlist * 2 + 1, sizeof(*w->langs));
    for (size_t k = 0; k < lang->nlist; k++) {
        const char *tag = lang->list[k];
        const struct lang_info *l = langs_find(tag);
        char *own = voices_lower(tag);
        if (l) {
            derive_add(vb, l);
            w->langs[w->nlangs++] = xstrdup(l->tag);
            if (l->partial)
                diag_add(d, DIAG_WARNING, NULL, 0, 0, NULL,
                         "language \"%s\" (%s): espeak-ng speaks it only partly: %s", tag, l->name,
                         l->partial);
        } else if (!voices_book_speaks(vb, own)) {
            derive_no_voice(d, NULL, 0, 0, NULL, tag);
        }
        w->langs[w->nlangs++] = own; /* files' profiles of the tag as written */
    }
    for (size_t k = 0; k < a->noperands; k++) {
        const struct lang_info *l;
        if (!voice_find(vb, a->operands[k]) && (l = derive_lang_of(a->operands[k])))
            derive_add(vb, l);
    }
    if (!lang->nlist && !a->noperands)
        derive_add_all(vb);
}

static void voices_want_release(struct voices_want *w)
{
    for (size_t i = 0; i < w->nlangs; i++)
        free(w->langs[i]);
    free(w->langs);
}

/* True when the NAME operands or --lang ask for v (neither: every profile). */
static bool voices_wanted(const struct voice *v, const struct cli_args *a,
                          const struct voices_want *w)
{
    if (!a->noperands && !w->nlangs)
        return true;
    for (size_t k = 0; k < a->noperands; k++)
        if (!strcmp(v->name, a->operands[k]))
            return true;
    for (size_t k = 0; k < w->nlangs; k++)
        if (!strcmp(v->lang, w->langs[k]))
            return true;
    return false;
}

/* Where the profiles were looked for, in order, and what each folder gave:
 * the answer to "why does it not find my voices". */
static void voices_searched(const struct voicebook *vb, const struct cli_common *o, FILE *out)
{
    char **path = voice_search_path(o->voice_dirs, o->nvoice_dirs);
    size_t n = 0, derived = 0;
    while (path[n])
        n++;
    fputs("\nsearched, in order (the first profile of a name wins):\n", out);
    for (size_t i = 0; i < n; i++) {
        const char *from = i < o->nvoice_dirs ? "--voices"
                           : i + 2 == n       ? "current folder"
                           : i + 1 == n       ? "data folder"
                                              : "$SCRIPTCAST_VOICES";
        size_t len = strlen(path[i]), count = 0;
        for (size_t k = 0; k < vb->n; k++)
            count +=
                vb->v[k].path && !strncmp(vb->v[k].path, path[i], len) && vb->v[k].path[len] == '/';
        fprintf(out, "  %-18s %s: ", from, path[i]);
        if (!voice_dir_exists(path[i]))
            fputs("not found\n", out);
        else
            fprintf(out, "%zu %s used\n", count, cli_plural(count, "profile", "profiles"));
    }
    for (size_t k = 0; k < vb->n; k++)
        derived += vb->v[k].derived;
    fprintf(out, "  %-18s espeak-ng's languages: %zu %s used\n", "derived", derived,
            cli_plural(derived, "profile", "profiles"));
    voice_path_free(path);
}

/*
 * Whether espeak-ng has the profile's voice. A derived profile's voice
 * comes from espeak-ng's own list, and its variants are the table's dozen:
 * each variant is asked once, not each of the hundreds of profiles (every
 * check selects the voice, which reads its dictionary).
 */
struct voices_check {
    struct engine *e;
    const char *variant[DERIVE_SLOTS];
    bool ok[DERIVE_SLOTS];
    size_t n;
};

static bool voices_available(struct voices_check *c, const struct voice *v)
{
    if (!c->e)
        return false;
    if (!v->derived)
        return engine_voice_exists(c->e, v->voice, v->variant) &&
               (!v->latin_voice || engine_voice_exists(c->e, v->latin_voice, NULL));
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->variant[i], v->variant))
            return c->ok[i];
    bool ok = engine_voice_exists(c->e, v->voice, v->variant) &&
              (!v->latin_voice || engine_voice_exists(c->e, v->latin_voice, NULL));
    if (c->n < DERIVE_SLOTS) {
        c->variant[c->n] = v->variant;
        c->ok[c->n++] = ok;
    }
    return ok;
}

/* Columns as wide as the longest name and tag listed (pt-br-female-1,
 * en-gb-x-gbcwmd-narrator), at least the shipped profiles' widths. */
struct voices_widths {
    int name, lang;
};

static void voices_print(const struct voice *v, bool ok, const struct voices_widths *w)
{
    const struct lang_info *l = v->derived ? langs_exact(v->lang) : NULL;
    char from[160];
    snprintf(from, sizeof(from), "derived: %s", l ? l->name : v->lang);
    char spec[128];
    snprintf(spec, sizeof(spec), "%s%s%s", v->voice, v->variant ? "+" : "",
             v->variant ? v->variant : "");
    printf("%-*s %-*s %-22s %-6s rate %3d pitch %3d  %s%s\n", w->name, v->name, w->lang, v->lang,
           spec, voice_gender(v) ? voice_gender(v) : "-", v->rate, v->pitch,
           v->derived ? from : v->path, ok ? "" : "  (voice missing in espeak-ng)");
}

int cmd_voices(int argc, char **argv)
{
    struct cli_args a;
    struct cli_common o = {0};
    int rc = cli_parse(&voices_cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        goto out;
    rc = EXIT_OK;
    cli_common_from_args(&o, &a);
    bool json = a.v[CLI_OPT_JSON].set;
    if ((rc = cli_common_validate(&o, "voices")) != EXIT_OK)
        goto out;
    struct diags d;
    diag_init(&d);
    struct voicebook vb = {0};
    struct voices_want want = {0};
    pipeline_voices(&vb, &o, &d);
    voices_derive(&vb, &a, &want, &d);
    struct voices_check check = {.e = engine_open(1, 0, 0, &d)};
    json_t *arr = json_array();
    for (size_t k = 0; k < a.noperands; k++)
        if (!voice_find(&vb, a.operands[k]))
            diag_add(&d, DIAG_ERROR, NULL, 0, 0, NULL,
                     "no voice profile \"%s\" on the search path, nor a derived one",
                     a.operands[k]);
    struct voices_widths widths = {14, 4};
    for (size_t i = 0; i < vb.n; i++) {
        const struct voice *v = &vb.v[i];
        if (voices_wanted(v, &a, &want)) {
            /* Names and tags are at most VOICE_ID_MAX (64) bytes. */
            if ((int)strlen(v->name) > widths.name)
                widths.name = (int)strlen(v->name);
            if ((int)strlen(v->lang) > widths.lang)
                widths.lang = (int)strlen(v->lang);
        }
    }
    for (size_t i = 0; i < vb.n; i++) {
        const struct voice *v = &vb.v[i];
        if (!voices_wanted(v, &a, &want))
            continue;
        bool ok = voices_available(&check, v);
        if (json)
            json_array_append_new(arr, voices_json_one(v, ok));
        else
            voices_print(v, ok, &widths);
        if (!json && !ok)
            diag_add(&d, DIAG_ERROR, v->path, v->line, 0, NULL,
                     "profile \"%s\": espeak-ng has no voice \"%s%s%s\"", v->name, v->voice,
                     v->variant ? "+" : "", v->variant ? v->variant : "");
    }
    if (json) {
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(arr);
    if (!json)
        voices_searched(&vb, &o, stdout);
    if (check.e)
        engine_close(check.e);
    planout_diagnostics(&d, o.verbosity, stderr);
    rc = diag_exit_code(&d);
    voices_want_release(&want);
    voice_release_all(&vb);
    diag_release(&d);
out:
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
