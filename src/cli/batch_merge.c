/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Joining shard indexes (contract in batch_merge.h). The entries are kept
 * as the shards wrote them; only the totals are counted again and the
 * transcripts put in the order one batch over all files would list them.
 */
#include "cli/batch_merge.h"
#include "cli/batch_site.h"
#include "cli/cli.h"
#include "cli/planout.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Path order of batch's walk: folder by folder, each sorted by name. */
static int merge_cmp_names(const char *a, const char *b)
{
    for (;;) {
        size_t na = strcspn(a, "/"), nb = strcspn(b, "/");
        size_t n = na < nb ? na : nb;
        int c = memcmp(a, b, n);
        if (c)
            return c;
        if (na != nb)
            return na < nb ? -1 : 1;
        if (!a[na] || !b[nb])
            return a[na] ? 1 : b[nb] ? -1 : 0;
        a += na + 1;
        b += nb + 1;
    }
}

static int merge_cmp_entries(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    const char *na = json_string_value(json_object_get(a, "name"));
    const char *nb = json_string_value(json_object_get(b, "name"));
    return merge_cmp_names(na ? na : "", nb ? nb : "");
}

/* Loads one shard's index; NULL after a diagnostic. */
static json_t *merge_load(const char *path, struct diags *d)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        diag_add(d, DIAG_ERROR, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
                 NULL, "cannot read this index: %s", err.text);
        return NULL;
    }
    const json_t *list = json_object_get(root, "transcripts");
    if (json_integer_value(json_object_get(root, "version")) != BATCH_INDEX_VERSION ||
        !json_is_string(json_object_get(root, "format")) || !json_is_array(list)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, NULL,
                 "not an index.json of scriptcast batch (version %d)", BATCH_INDEX_VERSION);
        json_decref(root);
        return NULL;
    }
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        if (!json_is_string(json_object_get(e, "name")) ||
            !json_is_string(json_object_get(e, "status"))) {
            diag_add(d, DIAG_ERROR, path, 0, 0, NULL,
                     "transcript %zu of this index has no name or status", i + 1);
            json_decref(root);
            return NULL;
        }
    }
    return root;
}

static int merge_write(const char *out, json_t *root, struct diags *d)
{
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    struct strbuf body = STRBUF_INIT;
    strbuf_adds(&body, text ? text : "{}");
    strbuf_addc(&body, '\n');
    int rc = atomicfile_write(out, body.buf, body.len, d);
    free(text);
    strbuf_release(&body);
    return rc;
}

/*
 * The site pages beside the merged index: index.html, and feed.xml when the
 * shards had a base URL, as one batch over every transcript would have
 * written them. Only when the index's folder holds the shards' files (the
 * documented recipe copies them there); 0, or -1.
 */
static int merge_site(const char *out, const json_t *site, const char *format, json_t *list,
                      struct diags *d)
{
    const char *slash = strrchr(out, '/');
    char *dir = slash ? xstrndup(out, (size_t)(slash - out) + (slash == out)) : xstrdup(".");
    int rc = 0;
    struct batch_site s;
    if (batch_site_from_json(&s, site) < 0) {
        diag_add(d, DIAG_ERROR, out, 0, 0, NULL, "the shards' site is not one batch writes");
        rc = 1;
    } else if (batch_site_any(dir, list)) {
        rc = batch_site_write(&s, dir, format, list, d);
    }
    batch_site_release(&s);
    free(dir);
    return rc < 0 ? -1 : 0;
}

int batch_merge(const char *out, char *const *shards, size_t n, int verbosity)
{
    struct diags d;
    diag_init(&d);
    json_t **roots = xcalloc(n ? n : 1, sizeof(*roots));
    json_t **entries = NULL;
    const char **from = NULL;
    size_t nentries = 0;
    const char *format = NULL;
    const json_t *site = NULL;
    json_t *names = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!(roots[i] = merge_load(shards[i], &d)))
            continue;
        const char *f = json_string_value(json_object_get(roots[i], "format"));
        if (!format)
            format = f;
        else if (strcmp(format, f) != 0)
            diag_add(&d, DIAG_ERROR, shards[i], 0, 0, NULL,
                     "format %s differs from %s in %s: shards of one site share their options", f,
                     format, shards[0]);
        /* The site pages are made again from the site the shards used. */
        if (!site)
            site = json_object_get(roots[i], "site");
        else if (!json_equal(site, json_object_get(roots[i], "site")))
            diag_add(&d, DIAG_ERROR, shards[i], 0, 0, NULL,
                     "its site (site file and --base-url) differs from that of %s: shards of one "
                     "site share their options",
                     shards[0]);
        const json_t *shard = json_object_get(roots[i], "shard");
        json_array_append_new(
            names, json_string(json_is_string(shard) ? json_string_value(shard) : shards[i]));
        const json_t *list = json_object_get(roots[i], "transcripts");
        size_t k;
        json_t *e;
        json_array_foreach(list, k, e)
        {
            entries = xrealloc(entries, (nentries + 1) * sizeof(*entries));
            from = xrealloc(from, (nentries + 1) * sizeof(*from));
            from[nentries] = shards[i];
            entries[nentries++] = e;
        }
    }
    /* A transcript in two shards: the shards were not one split (different
     * N, or one index given twice). */
    for (size_t i = 0; i < nentries; i++)
        for (size_t k = i + 1; k < nentries; k++)
            if (!merge_cmp_entries(&entries[i], &entries[k]))
                diag_add(&d, DIAG_ERROR, from[k], 0, 0, NULL,
                         "transcript \"%s\" is in %s too: give each shard's index once, "
                         "from one --shard K/N split",
                         json_string_value(json_object_get(entries[k], "name")), from[i]);
    size_t counts[3] = {0};
    int rc = diag_exit_code(&d);
    if (rc == EXIT_OK) {
        if (nentries)
            qsort(entries, nentries, sizeof(*entries), merge_cmp_entries);
        json_t *list = json_array();
        for (size_t i = 0; i < nentries; i++) {
            const char *st = json_string_value(json_object_get(entries[i], "status"));
            counts[!strcmp(st, "rendered") ? 0 : !strcmp(st, "up-to-date") ? 1 : 2]++;
            json_array_append(list, entries[i]);
        }
        json_t *root = json_object();
        json_object_set_new(root, "version", json_integer(BATCH_INDEX_VERSION));
        json_object_set_new(root, "scriptcast", json_string(SCRIPTCAST_VERSION));
        json_object_set_new(root, "format", json_string(format ? format : "wav"));
        json_object_set_new(root, "shards", json_incref(names));
        json_object_set_new(root, "rendered", json_integer((json_int_t)counts[0]));
        json_object_set_new(root, "up_to_date", json_integer((json_int_t)counts[1]));
        json_object_set_new(root, "failed", json_integer((json_int_t)counts[2]));
        if (site)
            json_object_set(root, "site", (json_t *)site);
        json_object_set_new(root, "transcripts", list);
        if (merge_write(out, root, &d) < 0 ||
            merge_site(out, site, format ? format : "wav", list, &d) < 0)
            rc = EXIT_SYSTEM;
        else if (counts[2])
            rc = EXIT_INPUT;
        json_decref(root);
    }
    planout_diagnostics(&d, verbosity, stderr);
    if (verbosity >= 0 && rc != EXIT_SYSTEM && !d.errors)
        fprintf(stderr,
                "scriptcast: wrote %s: %zu %s merged: %zu rendered, %zu up to date, %zu failed\n",
                out, n, cli_plural(n, "index", "indexes"), counts[0], counts[1], counts[2]);
    for (size_t i = 0; i < n; i++)
        json_decref(roots[i]);
    free(roots);
    free(entries);
    free(from);
    json_decref(names);
    diag_release(&d);
    return rc;
}
