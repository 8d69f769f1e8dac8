/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The master stage's records in the cache folder (contract in
 * master_cache.h). A record is small (about 100 bytes a speaker), so it is
 * read whole and checked whole. Numbers are stored as the bytes of the
 * doubles the stage computed, so a hit reproduces them exactly; a marker
 * double in the header makes a record from a machine that lays doubles out
 * differently a miss.
 */
#include "audio/master_cache.h"
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/readall.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

#define MC_MAGIC "SCGAIN\0\1"
#define MC_MARKER 1.5
#define MC_MAX (1u << 24)

/* Header: magic, key, marker, body size, body checksum; then the body. */
struct mc_header {
    char magic[8];
    uint64_t lo, hi;
    double marker;
    uint64_t size, sum;
};

static char *mc_path(const char *dir, const struct master_cache_key *k, bool make)
{
    struct strbuf sb = STRBUF_INIT;
    strbuf_addf(&sb, "%s/master", dir);
    if (make && mkdir(sb.buf, 0777) != 0 && errno != EEXIST) {
        strbuf_release(&sb);
        return NULL;
    }
    strbuf_addf(&sb, "/%016llx%016llx.gains", (unsigned long long)k->hi, (unsigned long long)k->lo);
    return strbuf_detach(&sb);
}

static void mc_put(struct strbuf *sb, const void *p, size_t n)
{
    strbuf_add(sb, (const char *)p, n);
}

static void mc_put_stats(struct strbuf *sb, const struct loudness_stats *s)
{
    mc_put(sb, &s->integrated, sizeof(s->integrated));
    mc_put(sb, &s->range, sizeof(s->range));
    mc_put(sb, &s->true_peak, sizeof(s->true_peak));
    mc_put(sb, &s->peak, sizeof(s->peak));
    mc_put(sb, &s->rms, sizeof(s->rms));
    mc_put(sb, &s->frames, sizeof(s->frames));
}

struct mc_reader {
    const char *p, *end;
    bool ok;
};

static void mc_get(struct mc_reader *r, void *out, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        memset(out, 0, n);
        return;
    }
    memcpy(out, r->p, n);
    r->p += n;
}

static void mc_get_stats(struct mc_reader *r, struct loudness_stats *s)
{
    mc_get(r, &s->integrated, sizeof(s->integrated));
    mc_get(r, &s->range, sizeof(s->range));
    mc_get(r, &s->true_peak, sizeof(s->true_peak));
    mc_get(r, &s->peak, sizeof(s->peak));
    mc_get(r, &s->rms, sizeof(s->rms));
    mc_get(r, &s->frames, sizeof(s->frames));
}

bool master_cache_load(const char *dir, const struct master_cache_key *k, size_t nspeakers,
                       struct master_report *rep)
{
    if (!dir)
        return false;
    char *path = mc_path(dir, k, false);
    struct strbuf sb = STRBUF_INIT;
    bool hit = false;
    struct master_report got = {0};
    if (!path || readall_path(path, MC_MAX, &sb) != 0 || sb.len < sizeof(struct mc_header))
        goto done;
    struct mc_header h;
    memcpy(&h, sb.buf, sizeof(h));
    const char *body = sb.buf + sizeof(h);
    if (memcmp(h.magic, MC_MAGIC, sizeof(h.magic)) != 0 || h.lo != k->lo || h.hi != k->hi ||
        h.marker != MC_MARKER || h.size != sb.len - sizeof(h) ||
        XXH3_64bits(body, (size_t)h.size) != h.sum)
        goto done;
    struct mc_reader r = {body, body + h.size, true};
    int32_t mode;
    uint64_t n;
    mc_get(&r, &mode, sizeof(mode));
    got.mode = (enum master_mode)mode;
    mc_get(&r, &got.target, sizeof(got.target));
    mc_get(&r, &got.codec_loudness, sizeof(got.codec_loudness));
    mc_get(&r, &got.master_gain_db, sizeof(got.master_gain_db));
    mc_get(&r, &got.limiter_max_db, sizeof(got.limiter_max_db));
    mc_get(&r, &got.limited_seconds, sizeof(got.limited_seconds));
    mc_get_stats(&r, &got.out);
    mc_get(&r, &n, sizeof(n));
    if (!r.ok || n != nspeakers)
        goto done;
    got.nspeakers = nspeakers;
    got.speakers = xcalloc(nspeakers ? nspeakers : 1, sizeof(*got.speakers));
    for (size_t i = 0; i < nspeakers; i++) {
        mc_get(&r, &got.speakers[i].gain_db, sizeof(got.speakers[i].gain_db));
        mc_get_stats(&r, &got.speakers[i].in);
        mc_get_stats(&r, &got.speakers[i].out);
    }
    if (!r.ok || r.p != r.end) {
        master_report_release(&got);
        goto done;
    }
    *rep = got;
    hit = true;
done:
    strbuf_release(&sb);
    free(path);
    return hit;
}

void master_cache_store(const char *dir, const struct master_cache_key *k,
                        const struct master_report *rep)
{
    if (!dir)
        return;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return; /* the clip cache makes its folder; without it there is nothing to keep */
    char *path = mc_path(dir, k, true);
    if (!path)
        return;
    struct strbuf body = STRBUF_INIT;
    int32_t mode = (int32_t)rep->mode;
    uint64_t n = rep->nspeakers;
    mc_put(&body, &mode, sizeof(mode));
    mc_put(&body, &rep->target, sizeof(rep->target));
    mc_put(&body, &rep->codec_loudness, sizeof(rep->codec_loudness));
    mc_put(&body, &rep->master_gain_db, sizeof(rep->master_gain_db));
    mc_put(&body, &rep->limiter_max_db, sizeof(rep->limiter_max_db));
    mc_put(&body, &rep->limited_seconds, sizeof(rep->limited_seconds));
    mc_put_stats(&body, &rep->out);
    mc_put(&body, &n, sizeof(n));
    for (size_t i = 0; i < rep->nspeakers; i++) {
        mc_put(&body, &rep->speakers[i].gain_db, sizeof(rep->speakers[i].gain_db));
        mc_put_stats(&body, &rep->speakers[i].in);
        mc_put_stats(&body, &rep->speakers[i].out);
    }
    struct mc_header h = {MC_MAGIC,  k->lo,    k->hi,
                          MC_MARKER, body.len, XXH3_64bits(body.buf, body.len)};
    struct strbuf all = STRBUF_INIT;
    mc_put(&all, &h, sizeof(h));
    strbuf_add(&all, body.buf, body.len);
    struct diags quiet;
    diag_init(&quiet);
    (void)atomicfile_write(path, all.buf, all.len, &quiet);
    diag_release(&quiet);
    strbuf_release(&all);
    strbuf_release(&body);
    free(path);
}
