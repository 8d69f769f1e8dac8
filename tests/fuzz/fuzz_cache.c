/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target for clip cache entries: any bytes stored under a key's
 * entry name must read back as a clip or as a miss (the entry removed),
 * never a crash, a leak, undefined behaviour, or a clip that breaks the
 * contract (marks within the samples). The first input byte chooses how
 * the rest is used, so the fuzzer gets past the checks a random file
 * fails at once: bit 0 wraps the rest in a consistent header (magic,
 * version, counts that match the size), bit 1 also stores the right key,
 * bit 2 also the right checksum (then only the payload is arbitrary).
 * Seeds: tests/fuzz/corpus/cache/.
 */
#include "fuzz_common.h"
#include "synth/cache.h"
#include "synth/cache_format.h"
#include "synth/engine.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

static const struct engine_voice fuzz_voice = {"en-us", "m3", 170, 50, 50, 100};

static void fuzz_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void fuzz_put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct clip_cache *c;
    static char dir[512];
    if (!c) {
        snprintf(dir, sizeof(dir), "%s/cache", fuzz_dir());
        struct diags d;
        diag_init(&d);
        c = cache_open(dir, &d);
        if (!c)
            fuzz_fail("cannot open a cache in", dir);
        diag_release(&d);
    }
    struct cache_key k;
    cache_key(&k, "espeak-ng", "1.51", &fuzz_voice, "fuzz");
    char hex[33];
    cache_key_hex(&k, hex);

    uint8_t mode = size ? data[0] : 0;
    const uint8_t *rest = size ? data + 1 : data;
    size_t n = size ? size - 1 : 0;
    uint8_t *entry;
    size_t len;
    if (mode & 1) {
        /* A consistent header around the rest: its first bytes say the
         * mark count, the remainder is marks then samples. */
        uint32_t nm = n ? rest[0] : 0;
        size_t payload = n;
        if ((size_t)nm * CACHE_MARK_SIZE > payload)
            nm = (uint32_t)(payload / CACHE_MARK_SIZE);
        payload -= (payload - (size_t)nm * CACHE_MARK_SIZE) % 2;
        len = CACHE_HEADER_SIZE + payload;
        entry = calloc(1, len);
        memcpy(entry, CACHE_MAGIC, 8);
        fuzz_put_u32(entry + 8, CACHE_FORMAT_VERSION);
        fuzz_put_u32(entry + 12, 22050);
        fuzz_put_u64(entry + 16, (payload - (size_t)nm * CACHE_MARK_SIZE) / 2);
        fuzz_put_u32(entry + 24, nm);
        if (mode & 2)
            memcpy(entry + 40, k.bytes, 16);
        memcpy(entry + CACHE_HEADER_SIZE, rest, payload);
        if (mode & 4) {
            /* The checksum as cache.c computes it (cache_format.h). */
            uint8_t other[CACHE_HEADER_SIZE - 8];
            memcpy(other, entry, 32);
            memcpy(other + 32, entry + 40, 16);
            uint64_t seed = XXH3_64bits(other, sizeof(other));
            fuzz_put_u64(entry + 32,
                         XXH3_64bits_withSeed(entry + CACHE_HEADER_SIZE, payload, seed));
        }
    } else {
        len = n;
        entry = malloc(len ? len : 1);
        memcpy(entry, rest, n);
    }

    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/%.2s", dir, hex);
    mkdir(path.buf, 0777);
    strbuf_addf(&path, "/%s" CACHE_SUFFIX, hex);
    fuzz_write("entry", entry, len);
    char tmp[1024];
    snprintf(tmp, sizeof(tmp), "%s/entry", fuzz_dir());
    if (rename(tmp, path.buf) != 0)
        fuzz_fail("cannot place the entry at", path.buf);

    uint64_t ns;
    uint32_t nm;
    if (len >= CACHE_HEADER_SIZE)
        cache_format_header_ok(entry, len, &ns, &nm);
    struct clip clip = {0};
    if (cache_get(c, &k, &clip) == 1) {
        for (size_t i = 0; i < clip.nmarks; i++)
            if (clip.marks[i].sample > clip.n)
                fuzz_fail("a cache hit", "has a mark past its samples");
        if (clip.rate <= 0)
            fuzz_fail("a cache hit", "has no sample rate");
        clip_release(&clip);
    }
    unlink(path.buf);
    strbuf_release(&path);
    free(entry);
    return 0;
}
