/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast voices [--json]`: the voice profiles found on the search path,
 * and whether the engine has each profile's voice.
 */
#include "cast/voice.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/pipeline.h"
#include "cli/planout.h"
#include "synth/engine.h"
#include "util/diag.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const struct cli_command voices_cmd = {
    "voices",
    CMD_VOICES,
    "voices [NAME...] [--json] [--voices DIR]...",
    "Lists the voice profiles (only those NAMEd, when given) on the search path (each --voices "
    "DIR, then\n"
    "$SCRIPTCAST_VOICES, ./voices, the installed data folder) and whether\n"
    "espeak-ng has each profile's voice.\n",
    "Exit status: 0 ok, 1 a profile's voice is missing or a NAME unknown,\n"
    "2 usage error, 3 system failure.\n",
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
    json_object_set_new(o, "path", json_string(v->path));
    json_object_set_new(o, "available", json_boolean(ok));
    return o;
}

static bool voices_named(const struct voicebook *vb, const char *name)
{
    for (size_t i = 0; i < vb->n; i++)
        if (!strcmp(vb->v[i].name, name))
            return true;
    return false;
}

/* True when the NAME operands ask for v (no operands: every profile). */
static bool voices_wanted(const struct voice *v, const struct cli_args *a)
{
    for (size_t k = 0; k < a->noperands; k++)
        if (!strcmp(v->name, a->operands[k]))
            return true;
    return false;
}

/* Where the profiles were looked for, in order, and what each folder gave:
 * the answer to "why does it not find my voices". */
static void voices_searched(const struct voicebook *vb, const struct cli_common *o, FILE *out)
{
    char **path = voice_search_path(o->voice_dirs, o->nvoice_dirs);
    size_t n = 0;
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
            count += !strncmp(vb->v[k].path, path[i], len) && vb->v[k].path[len] == '/';
        fprintf(out, "  %-18s %s: ", from, path[i]);
        if (!voice_dir_exists(path[i]))
            fputs("not found\n", out);
        else
            fprintf(out, "%zu %s used\n", count, cli_plural(count, "profile", "profiles"));
    }
    voice_path_free(path);
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
    pipeline_voices(&vb, &o, &d);
    struct engine *e = engine_open(1, 0, 0, &d);
    json_t *arr = json_array();
    for (size_t k = 0; k < a.noperands; k++)
        if (!voices_named(&vb, a.operands[k]))
            diag_add(&d, DIAG_ERROR, NULL, 0, 0, NULL, "no voice profile \"%s\" on the search path",
                     a.operands[k]);
    for (size_t i = 0; i < vb.n; i++) {
        const struct voice *v = &vb.v[i];
        if (a.noperands && !voices_wanted(v, &a))
            continue;
        bool ok = e && engine_voice_exists(e, v->voice, v->variant) &&
                  (!v->latin_voice || engine_voice_exists(e, v->latin_voice, NULL));
        if (json) {
            json_array_append_new(arr, voices_json_one(v, ok));
            continue;
        }
        char spec[128];
        snprintf(spec, sizeof(spec), "%s%s%s", v->voice, v->variant ? "+" : "",
                 v->variant ? v->variant : "");
        printf("%-14s %-4s %-22s %-6s rate %3d pitch %3d  %s%s\n", v->name, v->lang, spec,
               voice_gender(v) ? voice_gender(v) : "-", v->rate, v->pitch, v->path,
               ok ? "" : "  (voice missing in espeak-ng)");
        if (!ok)
            diag_add(&d, DIAG_ERROR, v->path, v->line, 0, NULL,
                     "profile \"%s\": espeak-ng has no voice \"%s\"", v->name, spec);
    }
    if (json) {
        json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
    }
    json_decref(arr);
    if (!json)
        voices_searched(&vb, &o, stdout);
    if (e)
        engine_close(e);
    planout_diagnostics(&d, o.verbosity, stderr);
    rc = diag_exit_code(&d);
    voice_release_all(&vb);
    diag_release(&d);
out:
    cli_common_release(&o);
    cli_args_release(&a);
    return rc;
}
