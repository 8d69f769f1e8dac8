/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `scriptcast batch DIR|FILE... -d OUTDIR`: renders every transcript of a
 * site, mirroring relative paths under OUTDIR. Built for CI: transcripts
 * whose outputs are up to date are skipped (a stamp of input, voices,
 * options and versions), --shard K/N takes a stable, disjoint part of the
 * files so N machines share the work, one failing transcript never stops
 * the others, and OUTDIR/index.json records every transcript's status,
 * outputs, length and chapters.
 */
#include "cast/voice.h"
#include "cli/cli.h"
#include "cli/args.h"
#include "cli/batch_merge.h"
#include "cli/batch_site.h"
#include "cli/files.h"
#include "cli/planout.h"
#include "audio/writer.h"
#include "cli/preset.h"
#include "cli/render.h"
#include "synth/cache.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

struct batch {
    struct cli_common common;
    struct render_request rq; /* template: in/out/sidecars filled per item */
    const char *outdir;
    const char *format;
    bool sidecar[SIDE_COUNT];
    int shard_k, shard_n;
    struct cli_files files;
    json_t *old_index;      /* previous OUTDIR/index.json, or NULL */
    char *settings;         /* the part of the stamp shared by every transcript */
    struct batch_site site; /* index.html and feed.xml (cli/batch_site.h) */
};

static const char *const batch_sidecar_ext[SIDE_COUNT] = {
    ".manifest.json", ".vtt", ".srt",  ".transcript.json", ".chapters.vtt",
    ".ffmeta",        ".cue", ".html", ".chapters.json"};

static const struct cli_command batch_cmd = {
    "batch",
    CMD_BATCH,
    "batch DIR|FILE... -d OUTDIR [options]\n"
    "batch --merge-index OUT SHARD/index.json...",
    "Renders every *.md found (folders recursively, in sorted order) into OUTDIR,\n"
    "mirroring relative paths, with each output's chapters and manifest beside\n"
    "it. Transcripts whose outputs are up to date are skipped. A failing\n"
    "transcript does not stop the others; OUTDIR/index.json lists them all.\n"
    "A file found twice is rendered once; two files that would get the same\n"
    "output name are an error (exit 1) before anything is rendered.\n"
    "--merge-index joins the index.json files of the shards of a CI matrix.\n",
    "Exit status: 0 all rendered or up to date, 1 a transcript failed,\n"
    "2 usage error, 3 system failure.\n",
};

/* Stable shard of a relative path: FNV-1a, so adding files never moves
 * others between shards. */
static bool batch_in_shard(const struct batch *b, const char *rel)
{
    if (b->shard_n <= 1)
        return true;
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (int)(h % (uint64_t)b->shard_n) == b->shard_k - 1;
}

/* Hashes at most max + 1 bytes: past --max-input the load refuses the file
 * anyway, and /dev/zero must not keep the hash going forever. */
static void batch_hash_file(XXH3_state_t *st, const char *path, uint64_t max)
{
    FILE *f = fopen(path, "rb");
    XXH3_128bits_update(st, path, strlen(path) + 1);
    if (!f)
        return;
    char buf[65536];
    size_t n;
    uint64_t left = max + 1;
    while (left > 0 &&
           (n = fread(buf, 1, left < sizeof(buf) ? (size_t)left : sizeof(buf), f)) > 0) {
        XXH3_128bits_update(st, buf, n);
        left -= n;
    }
    fclose(f);
}

/* Everything besides the transcript that changes the outputs: version,
 * options, the --cast file and every voice profile on the search path. */
static void batch_settings(struct batch *b)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "scriptcast %s\nformat %s\nrate %d\nchapter-level %d\nstrict %d\n",
                SCRIPTCAST_VERSION, b->format, b->rq.rate, b->common.chapter_level,
                b->common.strict);
    for (int k = 0; k < SIDE_COUNT; k++)
        strbuf_addf(&sb, "sidecar %d %d\n", k, b->sidecar[k]);
    /* %a: the exact bits, so any change of target re-renders. */
    strbuf_addf(&sb, "loudness %d %d %a %a bitrate %d\n", b->rq.loudness_off, b->rq.loudness_rms,
                b->rq.loudness, b->rq.true_peak, b->rq.bitrate);
    XXH3_state_t *st = XXH3_createState();
    XXH3_128bits_reset(st);
    XXH3_128bits_update(st, sb.buf, sb.len);
    if (b->common.cast_file)
        batch_hash_file(st, b->common.cast_file, b->common.max_input);
    struct voicebook vb = {0};
    struct diags quiet;
    diag_init(&quiet);
    char **path = voice_search_path(b->common.voice_dirs, b->common.nvoice_dirs);
    voice_load_all(&vb, path, &quiet);
    for (size_t i = 0; i < vb.n; i++)
        batch_hash_file(st, vb.v[i].path, b->common.max_input);
    voice_path_free(path);
    voice_release_all(&vb);
    diag_release(&quiet);
    XXH128_hash_t h = XXH3_128bits_digest(st);
    XXH3_freeState(st);
    strbuf_reset(&sb);
    strbuf_addf(&sb, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
    b->settings = strbuf_detach(&sb);
}

static char *batch_stamp(const struct batch *b, const char *path)
{
    XXH3_state_t *st = XXH3_createState();
    XXH3_128bits_reset(st);
    XXH3_128bits_update(st, b->settings, strlen(b->settings));
    batch_hash_file(st, path, b->common.max_input);
    XXH128_hash_t h = XXH3_128bits_digest(st);
    XXH3_freeState(st);
    char *s = xmalloc(33);
    snprintf(s, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
    return s;
}

static const char *batch_str(const json_t *j)
{
    const char *s = json_string_value(j);
    return s ? s : "";
}

static const json_t *batch_old_entry(const struct batch *b, const char *rel)
{
    const json_t *arr = json_object_get(b->old_index, "transcripts");
    size_t i;
    const json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (!strcmp(batch_str(json_object_get(e, "name")), rel))
            return e;
    }
    return NULL;
}

/* Up to date: the same stamp rendered before and every output still there. */
static const json_t *batch_up_to_date(const struct batch *b, const char *rel, const char *stamp)
{
    const json_t *e = batch_old_entry(b, rel);
    if (!e || strcmp(batch_str(json_object_get(e, "stamp")), stamp) != 0)
        return NULL;
    const char *status = json_string_value(json_object_get(e, "status"));
    if (!status || (strcmp(status, "rendered") != 0 && strcmp(status, "up-to-date") != 0))
        return NULL;
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(e, "outputs"), i, f)
    {
        struct strbuf p = STRBUF_INIT;
        strbuf_addf(&p, "%s/%s", b->outdir, json_string_value(f));
        bool there = access(p.buf, F_OK) == 0;
        strbuf_release(&p);
        if (!there)
            return NULL;
    }
    return e;
}

static int batch_mkdirs(const char *path, struct diags *d)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_adds(&sb, path);
    for (char *p = sb.buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(sb.buf, 0777) < 0 && errno != EEXIST) {
            diag_add(d, DIAG_SYSTEM, sb.buf, 0, 0, NULL, "cannot create folder: %s",
                     strerror(errno));
            strbuf_release(&sb);
            return -1;
        }
        *p = '/';
    }
    strbuf_release(&sb);
    return 0;
}

static json_t *batch_diagnostics(const struct diags *d)
{
    json_t *a = json_array();
    for (size_t i = 0; i < d->n; i++) {
        const struct diag *g = &d->v[i];
        if (g->level == DIAG_NOTE)
            continue;
        json_array_append_new(a, json_pack("{s:s, s:s?, s:i, s:i, s:s}", "level",
                                           diag_level_name(g->level), "file", g->file, "line",
                                           g->line, "column", g->col, "message", g->msg));
    }
    return a;
}

/* Chapters as written in the output's chapters.json, for the index. */
static json_t *batch_chapters(const char *chapters_path)
{
    json_t *doc = json_load_file(chapters_path, 0, NULL);
    json_t *ch = json_incref(json_object_get(doc, "chapters"));
    json_decref(doc);
    return ch ? ch : json_array();
}

/* Removes the sidecars an earlier run wrote for rel (as its index entry
 * records) that this run no longer writes: a site that drops --vtt must not
 * keep serving last week's subtitles. Only names batch itself derives are
 * candidates, never a path read from the index. */
static void batch_remove_stale(const struct batch *b, const char *rel, struct diags *d)
{
    const json_t *old = batch_old_entry(b, rel);
    const json_t *outputs = json_object_get(old, "outputs");
    for (int k = 0; k < SIDE_COUNT && outputs; k++) {
        if (b->sidecar[k])
            continue;
        struct strbuf name = STRBUF_INIT, path = STRBUF_INIT;
        strbuf_addf(&name, "%s%s", rel, batch_sidecar_ext[k]);
        size_t i;
        const json_t *f;
        json_array_foreach(outputs, i, f)
        {
            if (strcmp(batch_str(f), name.buf) != 0)
                continue;
            strbuf_addf(&path, "%s/%s", b->outdir, name.buf);
            if (unlink(path.buf) < 0 && errno != ENOENT)
                diag_add(d, DIAG_WARNING, path.buf, 0, 0, NULL,
                         "cannot remove this output of an earlier run: %s", strerror(errno));
            break;
        }
        strbuf_release(&name);
        strbuf_release(&path);
    }
}

/* Renders one transcript (or finds it up to date); returns its index entry. */
static json_t *batch_one(struct batch *b, const struct cli_file *it, int *worst)
{
    struct diags d;
    diag_init(&d);
    char *stamp = batch_stamp(b, it->path);
    struct strbuf out = STRBUF_INIT;
    strbuf_addf(&out, "%s/%s.%s", b->outdir, it->rel, b->format);
    char *sidecars[SIDE_COUNT] = {NULL};
    json_t *outputs = json_array();
    json_array_append_new(outputs, json_sprintf("%s.%s", it->rel, b->format));
    struct render_request rq = b->rq;
    rq.in = it->path;
    rq.out = out.buf;
    for (int k = 0; k < SIDE_COUNT; k++) {
        if (!b->sidecar[k])
            continue;
        struct strbuf p = STRBUF_INIT;
        strbuf_addf(&p, "%s/%s%s", b->outdir, it->rel, batch_sidecar_ext[k]);
        sidecars[k] = strbuf_detach(&p);
        if (k != SIDE_CHAPTERS_JSON)
            rq.sidecar[k] = sidecars[k];
        json_array_append_new(outputs, json_sprintf("%s%s", it->rel, batch_sidecar_ext[k]));
    }
    json_t *entry = json_pack("{s:s, s:s}", "name", it->rel, "source", it->path);
    const json_t *old = batch_up_to_date(b, it->rel, stamp);
    const char *status;
    if (old) {
        status = "up-to-date";
        json_object_set(entry, "seconds", json_object_get(old, "seconds"));
    } else {
        struct render_result res = {0};
        int rc = batch_mkdirs(out.buf, &d);
        if (rc == 0)
            rc = render_file(&rq, &b->common, &res, &d);
        status = rc == 0 ? "rendered" : "failed";
        if (rc == 0) {
            /* Milliseconds, as every other output gives times. */
            json_object_set_new(entry, "seconds", json_real(round(res.seconds * 1000) / 1000));
            batch_remove_stale(b, it->rel, &d);
        }
    }
    json_object_set_new(entry, "status", json_string(status));
    json_object_set_new(entry, "stamp", json_string(stamp));
    bool failed = !strcmp(status, "failed");
    json_object_set_new(entry, "outputs", failed ? json_array() : json_incref(outputs));
    json_object_set_new(entry, "chapters",
                        failed ? json_array() : batch_chapters(sidecars[SIDE_CHAPTERS_JSON]));
    json_object_set_new(entry, "diagnostics", batch_diagnostics(&d));
    planout_diagnostics(&d, b->common.verbosity, stderr);
    int code = diag_exit_code(&d);
    if (failed && code == EXIT_OK)
        code = EXIT_INPUT;
    if (code > *worst)
        *worst = code;
    if (b->common.verbosity >= 0)
        fprintf(stderr, "scriptcast: %s: %s\n", it->path, status);
    json_decref(outputs);
    for (int k = 0; k < SIDE_COUNT; k++)
        free(sidecars[k]);
    strbuf_release(&out);
    free(stamp);
    diag_release(&d);
    return entry;
}

static int batch_write_index(struct batch *b, json_t *entries, size_t counts[3], struct diags *d)
{
    json_t *root = json_object();
    json_object_set_new(root, "version", json_integer(BATCH_INDEX_VERSION));
    json_object_set_new(root, "scriptcast", json_string(SCRIPTCAST_VERSION));
    json_object_set_new(root, "format", json_string(b->format));
    if (b->shard_n > 1)
        json_object_set_new(root, "shard", json_sprintf("%d/%d", b->shard_k, b->shard_n));
    json_object_set_new(root, "rendered", json_integer((json_int_t)counts[0]));
    json_object_set_new(root, "up_to_date", json_integer((json_int_t)counts[1]));
    json_object_set_new(root, "failed", json_integer((json_int_t)counts[2]));
    /* What the site pages were made with: --merge-index makes them again. */
    json_object_set_new(root, "site", batch_site_to_json(&b->site));
    json_object_set_new(root, "transcripts", json_incref(entries));
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(root);
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/index.json", b->outdir);
    struct strbuf body = STRBUF_INIT;
    strbuf_adds(&body, text ? text : "{}");
    strbuf_addc(&body, '\n');
    int rc = atomicfile_write(path.buf, body.buf, body.len, d);
    free(text);
    strbuf_release(&body);
    strbuf_release(&path);
    return rc;
}

static void batch_release(struct batch *b)
{
    cli_files_release(&b->files);
    json_decref(b->old_index);
    batch_site_release(&b->site);
    free(b->settings);
    cli_common_release(&b->common);
}

struct batch_key {
    dev_t dev;
    ino_t ino;
    size_t idx;
    const char *rel;
};

static int batch_cmp_file(const void *a, const void *b)
{
    const struct batch_key *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int batch_cmp_rel(const void *a, const void *b)
{
    const struct batch_key *x = a, *y = b;
    int c = strcmp(x->rel, y->rel);
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

/*
 * One file found twice (a folder and a path inside it, a symbolic link to
 * it) is rendered once, as first found. Two files that map to the same
 * output name (content/a.md and other/a.md both to OUTDIR/a.wav) would
 * overwrite each other: an error naming both, before anything is rendered.
 * Returns 0, or -1 with the diagnostics.
 */
static int batch_unique(struct batch *b, struct diags *d)
{
    size_t n = b->files.n;
    if (n < 2)
        return 0;
    struct batch_key *k = xcalloc(n, sizeof(*k));
    bool *drop = xcalloc(n, sizeof(*drop));
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        k[i].idx = i;
        k[i].rel = b->files.v[i].rel;
        if (stat(b->files.v[i].path, &st) == 0) {
            k[i].dev = st.st_dev;
            k[i].ino = st.st_ino;
        } else {
            k[i].ino = (ino_t)-1 - i; /* unreadable: reported when rendered; never a duplicate */
        }
    }
    qsort(k, n, sizeof(*k), batch_cmp_file);
    for (size_t i = 1; i < n; i++)
        if (k[i].dev == k[i - 1].dev && k[i].ino == k[i - 1].ino)
            drop[k[i].idx] = true; /* sorted by index within one file: the first stays */
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (drop[i]) {
            free(b->files.v[i].path);
            free(b->files.v[i].rel);
        } else {
            b->files.v[m++] = b->files.v[i];
        }
    }
    b->files.n = m;
    for (size_t i = 0; i < m; i++) {
        k[i].idx = i;
        k[i].rel = b->files.v[i].rel;
    }
    qsort(k, m, sizeof(*k), batch_cmp_rel);
    int rc = 0;
    for (size_t i = 1; i < m; i++) {
        if (strcmp(k[i].rel, k[i - 1].rel) != 0)
            continue;
        const struct cli_file *a = &b->files.v[k[i - 1].idx], *c = &b->files.v[k[i].idx];
        diag_add(d, DIAG_ERROR, c->path, 0, 0, NULL,
                 "%s and %s would both be rendered to %s/%s.%s; rename one, or render them "
                 "into different folders",
                 a->path, c->path, b->outdir, c->rel, b->format);
        rc = -1;
    }
    free(drop);
    free(k);
    return rc;
}

static int batch_run(struct batch *b, char **argv, size_t argc)
{
    struct diags d;
    diag_init(&d);
    int worst = EXIT_OK;
    cli_files_collect(&b->files, argv, argc, &d);
    bool clash = batch_unique(b, &d) != 0;
    planout_diagnostics(&d, b->common.verbosity, stderr);
    worst = diag_exit_code(&d);
    diag_release(&d);
    if (clash)
        return worst; /* nothing rendered, the previous index left as it was */
    struct strbuf idx = STRBUF_INIT;
    strbuf_addf(&idx, "%s/index.json", b->outdir);
    b->old_index = json_load_file(idx.buf, 0, NULL);
    strbuf_reset(&idx);
    strbuf_addf(&idx, "%s/", b->outdir); /* for batch_mkdirs: the folder itself */
    batch_settings(b);
    render_install_signal_handlers();
    json_t *entries = json_array();
    size_t counts[3] = {0};
    for (size_t i = 0; i < b->files.n; i++) {
        if (!batch_in_shard(b, b->files.v[i].rel))
            continue;
        json_t *e = batch_one(b, &b->files.v[i], &worst);
        const char *st = json_string_value(json_object_get(e, "status"));
        counts[!strcmp(st, "rendered") ? 0 : !strcmp(st, "up-to-date") ? 1 : 2]++;
        json_array_append_new(entries, e);
        if (render_stopped())
            break; /* interrupted: record what was done, render nothing more */
    }
    diag_init(&d);
    if (batch_mkdirs(idx.buf, &d) < 0 || batch_write_index(b, entries, counts, &d) < 0 ||
        batch_site_write(&b->site, b->outdir, b->format, entries, &d) < 0)
        worst = EXIT_SYSTEM;
    planout_diagnostics(&d, b->common.verbosity, stderr);
    diag_release(&d);
    strbuf_release(&idx);
    json_decref(entries);
    if (b->common.verbosity >= 0)
        fprintf(stderr, "scriptcast: %zu rendered, %zu up to date, %zu failed\n", counts[0],
                counts[1], counts[2]);
    return worst;
}

int cmd_batch(int argc, char **argv)
{
    struct cli_args a;
    struct batch b;
    memset(&b, 0, sizeof(b));
    char *default_cache = NULL;
    int rc = cli_parse(&batch_cmd, argc, argv, &a);
    if (rc != CLI_PROCEED)
        goto out;
    rc = EXIT_OK;
    cli_common_from_args(&b.common, &a);
    static const char *const formats[] = {"wav", "flac", "ogg", "opus",
                                          "mp3", "m4a",  "m4b"}; /* the CHOICE */
    b.format = formats[a.v[CLI_OPT_BATCH_FORMAT].num];
    b.outdir = a.v[CLI_OPT_OUTDIR].arg;
    b.rq.jobs = a.v[CLI_OPT_JOBS].set ? (int)a.v[CLI_OPT_JOBS].num : cli_default_jobs();
    b.rq.rate = (int)a.v[CLI_OPT_RATE].num;
    const struct preset *preset = NULL;
    /* A preset picks the format unless --format says otherwise (then they must agree). */
    const char *ext = a.v[CLI_OPT_BATCH_FORMAT].set || !a.v[CLI_OPT_PRESET].set ? b.format : NULL;
    if ((rc = preset_from_args(&b.rq, &a, "batch", ext, &preset)) != EXIT_OK)
        goto out;
    if (preset && ext && strcmp(ext, preset->ext)) {
        rc = cli_usage_error("batch", "--preset %s writes %s, not --format %s", preset->name,
                             preset->ext, ext);
        goto out;
    }
    if (preset) {
        b.format = preset->ext;
        if (preset->per_chapter) {
            rc = cli_usage_error("batch", "--preset %s writes a file per chapter: use render",
                                 preset->name);
            goto out;
        }
    }
    b.shard_k = (int)a.v[CLI_OPT_SHARD].num;
    b.shard_n = (int)a.v[CLI_OPT_SHARD].num2;
    static const enum cli_opt sidecar_opt[] = {
        [SIDE_MANIFEST] = CLI_OPT_BATCH_MANIFEST,
        [SIDE_VTT] = CLI_OPT_BATCH_VTT,
        [SIDE_SRT] = CLI_OPT_BATCH_SRT,
        [SIDE_TRANSCRIPT] = CLI_OPT_BATCH_TRANSCRIPT_JSON,
        [SIDE_CHAPTERS_VTT] = CLI_OPT_BATCH_CHAPTERS_VTT,
        [SIDE_FFMETADATA] = CLI_OPT_BATCH_FFMETADATA,
        [SIDE_CUE] = CLI_OPT_BATCH_CUE,
        [SIDE_HTML] = CLI_OPT_BATCH_HTML,
    };
    for (size_t k = 0; k < sizeof(sidecar_opt) / sizeof(sidecar_opt[0]); k++)
        b.sidecar[k] = a.v[sidecar_opt[k]].set;
    /* Every episode gets its page; a feed also needs the transcripts it
     * points podcast apps to. */
    b.sidecar[SIDE_MANIFEST] = b.sidecar[SIDE_CHAPTERS_JSON] = b.sidecar[SIDE_HTML] = true;
    if (a.v[CLI_OPT_MERGE_INDEX].set) {
        if (b.outdir)
            rc = cli_usage_error("batch", "--merge-index joins indexes and renders nothing: "
                                          "no -d OUTDIR with it");
        else if (a.noperands == 0)
            rc = cli_usage_error("batch", "--merge-index: no shard index.json given");
        else
            rc = batch_merge(a.v[CLI_OPT_MERGE_INDEX].arg, a.operands, a.noperands,
                             b.common.verbosity);
        goto out;
    }
    if (!b.outdir) {
        rc = cli_usage_error("batch", "no output folder: give -d OUTDIR");
        goto out;
    }
    if (a.noperands == 0) {
        rc = cli_usage_error("batch", "no transcript or folder given");
        goto out;
    }
    if ((rc = cli_common_validate(&b.common, "batch")) != EXIT_OK)
        goto out;
    if ((rc = batch_site_setup(&b.site, &a, b.common.verbosity)) != EXIT_OK)
        goto out;
    /* A feed points podcast apps to the transcripts: write them. */
    if (b.site.info.base_url)
        b.sidecar[SIDE_VTT] = b.sidecar[SIDE_TRANSCRIPT] = true;
    if (!a.v[CLI_OPT_NO_CACHE].set)
        b.rq.cache_dir =
            a.v[CLI_OPT_CACHE].set ? a.v[CLI_OPT_CACHE].arg : (default_cache = cache_default_dir());
    b.rq.progress = false;
    rc = batch_run(&b, a.operands, a.noperands);
out:
    free(default_cache);
    batch_release(&b);
    cli_args_release(&a);
    return rc;
}
