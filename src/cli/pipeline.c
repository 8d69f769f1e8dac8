/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Running the stages up to the plan for one transcript (contract in
 * pipeline.h).
 */
#include "cli/pipeline.h"
#include "cast/derive.h"
#include "cli/cli.h"
#include "plan/textja.h"
#include "plan/zhhant.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/readall.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

int pipeline_voices(struct voicebook *vb, const struct cli_common *o, struct diags *d)
{
    char **path = voice_search_path(o->voice_dirs, o->nvoice_dirs);
    int rc = voice_load_all(vb, path, d);
    voice_path_free(path);
    return rc;
}

/* Every engine voice the plan will use must exist in the installed data:
 * finding out halfway through a render would waste the work before. */
static int pipeline_check_engine(struct pipeline *pl, struct diags *d)
{
    const struct plan *p = &pl->plan;
    struct engine *e = pl->engine =
        engine_open(pl->engine_depth, pl->engine_turns, pl->engine_hold, d);
    if (!e)
        return -1;
    int rc = 0;
    /* Each profile once: speakers can be many more than profiles. */
    bool *seen = xcalloc(pl->voices.n ? pl->voices.n : 1, sizeof(bool));
    for (size_t i = 0; i < p->nspeakers; i++) {
        const struct voice *v = p->speakers[i].voice;
        size_t at = (size_t)(v - pl->voices.v);
        if (at < pl->voices.n) {
            if (seen[at])
                continue;
            seen[at] = true;
        }
        if (!engine_voice_exists(e, v->voice, v->variant)) {
            diag_add(d, DIAG_ERROR, v->path, v->line, 0, NULL,
                     "profile \"%s\": espeak-ng has no voice \"%s%s%s\"", v->name, v->voice,
                     v->variant ? "+" : "", v->variant ? v->variant : "");
            rc = -1;
        }
        if (v->latin_voice && !engine_voice_exists(e, v->latin_voice, NULL)) {
            diag_add(d, DIAG_ERROR, v->path, v->line, 0, NULL,
                     "profile \"%s\": espeak-ng has no latin-voice \"%s\"", v->name,
                     v->latin_voice);
            rc = -1;
        }
    }
    free(seen);
    return rc;
}

/* The transcript "-": standard input, read whole, named <stdin> in
 * diagnostics and manifests. */
static int pipeline_load_stdin(struct script *s, const struct script_options *so, struct diags *d)
{
    struct strbuf in = STRBUF_INIT;
    /* The same bound as a file: an endless pipe must not grow to the memory limit. */
    uint64_t max = so->max_input ? so->max_input : READALL_DEFAULT_MAX;
    int got = readall_fd(STDIN_FILENO, max, &in);
    int rc;
    if (got != READALL_OK) {
        int e = errno;
        char size[32];
        readall_format_size(max, size, sizeof(size));
        if (got == READALL_TOO_BIG)
            diag_add(d, DIAG_ERROR, "<stdin>", 0, 0, NULL,
                     "larger than the input limit of %s; --max-input SIZE changes it", size);
        else
            diag_add(d, DIAG_SYSTEM, "<stdin>", 0, 0, NULL, "cannot read: %s", strerror(e));
        memset(s, 0, sizeof(*s));
        config_init(&s->config);
        s->file = xstrdup("<stdin>");
        rc = -1;
    } else {
        rc = script_parse(s, "<stdin>", in.buf ? in.buf : "", in.len, so, d);
    }
    strbuf_release(&in);
    return rc;
}

/* A chapter level asked for (--chapter-level, or chapter-level in the
 * front matter) that no heading has gives a programme of one chapter: most
 * likely a typo, so say so rather than leave the user to wonder. */
static void pipeline_check_level(const struct script *s, const struct cli_common *o,
                                 struct diags *d)
{
    int level = o->chapter_level ? o->chapter_level : s->config.chapter_level;
    if (!level)
        return;
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].kind == SCRIPT_HEADING && s->blocks[i].level == level)
            return;
    diag_add(d, DIAG_WARNING, s->file, 0, 0, NULL,
             "%s %d: no heading of level %d, so no heading starts a chapter",
             o->chapter_level ? "--chapter-level" : "chapter-level", level, level);
}

int pipeline_load(struct pipeline *pl, const char *file, const struct cli_common *o,
                  struct diags *d)
{
    if (!pl->voices_loaded) {
        if (pipeline_voices(&pl->voices, o, d) < 0)
            return -1;
        pl->voices_loaded = true;
    }
    size_t errors = d->errors;
    struct script_options so = {
        .cast_file = o->cast_file, .chapter_level = o->chapter_level, .max_input = o->max_input};
    int rc = !strcmp(file, "-") ? pipeline_load_stdin(&pl->script, &so, d)
                                : script_load(&pl->script, file, &so, d);
    pl->script_loaded = true;
    if (rc < 0)
        return -1;
    pipeline_check_level(&pl->script, o, d);
    if (derive_for_script(&pl->voices, &pl->script, d) < 0)
        return -1;
    rc = cast_assign(&pl->cast, &pl->script, &pl->voices, o->strict, d);
    pl->cast_done = true;
    if (rc < 0)
        return -1;
    struct plan_filter f = {o->sections, o->nsections};
    unsigned long unread = textja_unread(), unconverted = zhhant_unread();
    rc = plan_build(&pl->plan, &pl->script, &pl->cast, &f, d);
    pl->plan_done = true;
    if (textja_unread() > unread)
        diag_add(d, DIAG_WARNING, pl->script.file, 0, 0, NULL,
                 "%s; Japanese text is read as written (espeak-ng says \"Chinese letter\" for "
                 "every kanji)",
                 textja_error());
    if (zhhant_unread() > unconverted)
        diag_add(d, DIAG_WARNING, pl->script.file, 0, 0, NULL,
                 "%s; traditional characters are read as written (some, such as 於, wrongly)",
                 zhhant_error());
    if (rc == 0)
        script_drop_body(&pl->script);
#ifdef __GLIBC__
    /* Parsing a long transcript leaves megabytes of freed Markdown tree in
     * the heap; give them back before rendering, so the render's peak memory
     * is the plan and a bounded window of audio, not the parser's. */
    malloc_trim(0);
#endif
    if (rc < 0) {
        pl->usage_error = rc == -2;
        return -1;
    }
    rc = pipeline_check_engine(pl, d);
    /* Settings errors let the later stages run (to report their own
     * problems too), but a plan from a wrong transcript is never used. */
    return rc < 0 || d->errors > errors ? -1 : 0;
}

void pipeline_release(struct pipeline *pl)
{
    engine_close(pl->engine);
    if (pl->plan_done)
        plan_release(&pl->plan);
    if (pl->cast_done)
        cast_release(&pl->cast);
    if (pl->script_loaded)
        script_release(&pl->script);
    if (pl->voices_loaded)
        voice_release_all(&pl->voices);
    memset(pl, 0, sizeof(*pl));
}
