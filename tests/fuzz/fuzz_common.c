/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared helpers of the libFuzzer targets (contract in fuzz_common.h).
 */
#include "fuzz_common.h"
#include "cast/voice.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char fuzz_scratch[256];
static struct voicebook fuzz_book;
static int fuzz_book_loaded;
static FILE *fuzz_null;

static void fuzz_remove(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        struct strbuf p = STRBUF_INIT;
        strbuf_addf(&p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p.buf, &st) == 0 && S_ISDIR(st.st_mode))
            fuzz_remove(p.buf);
        else
            unlink(p.buf);
        strbuf_release(&p);
    }
    closedir(dp);
    rmdir(dir);
}

static void fuzz_cleanup(void)
{
    if (fuzz_scratch[0])
        fuzz_remove(fuzz_scratch);
}

const char *fuzz_dir(void)
{
    if (!fuzz_scratch[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_scratch, sizeof(fuzz_scratch), "%s/scriptcast-fuzz-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(fuzz_scratch))
            fuzz_fail("cannot make a scratch folder", fuzz_scratch);
        atexit(fuzz_cleanup);
    }
    return fuzz_scratch;
}

const char *fuzz_write(const char *name, const void *data, size_t size)
{
    static struct strbuf path = STRBUF_INIT;
    strbuf_reset(&path);
    strbuf_addf(&path, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(path.buf, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        fuzz_fail("cannot write", path.buf);
    return path.buf;
}

const struct voicebook *fuzz_voices(void)
{
    if (!fuzz_book_loaded) {
        struct diags d;
        diag_init(&d);
        char *path[] = {(char *)SCRIPTCAST_FUZZ_VOICES, NULL};
        if (voice_load_all(&fuzz_book, path, &d) < 0 || fuzz_book.n == 0)
            fuzz_fail("cannot load the voice profiles of", SCRIPTCAST_FUZZ_VOICES);
        diag_release(&d);
        fuzz_book_loaded = 1;
    }
    return &fuzz_book;
}

void fuzz_diags_done(struct diags *d)
{
    if (!fuzz_null)
        fuzz_null = fopen("/dev/null", "w");
    if (fuzz_null)
        diag_print(d, fuzz_null);
    diag_release(d);
}

_Noreturn void fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, detail);
    abort();
}
