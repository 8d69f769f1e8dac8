/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Finding the data folder from the executable (contract in datadir.h).
 */
#include "util/datadir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef SCRIPTCAST_DATADIR
#define SCRIPTCAST_DATADIR "/usr/local/share/scriptcast"
#endif

/* The folder of the running executable into sb; -1 when unknown. */
static int datadir_exe_dir(struct strbuf *sb)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    strbuf_add(sb, self, slash > self ? (size_t)(slash - self) : 1);
    return 0;
}

/* The source folder named by the build tree's marker, into sb; -1 if none. */
static int datadir_marker(const char *exe_dir, struct strbuf *sb)
{
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/scriptcast-datadir", exe_dir);
    FILE *f = fopen(path.buf, "r");
    strbuf_release(&path);
    if (!f)
        return -1;
    char line[4096];
    int rc = -1;
    if (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '/') {
            strbuf_adds(sb, line);
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

char *datadir_path(const char *name)
{
    struct strbuf exe = STRBUF_INIT, out = STRBUF_INIT;
    if (datadir_exe_dir(&exe) < 0)
        strbuf_adds(&out, SCRIPTCAST_DATADIR);
    else if (datadir_marker(exe.buf, &out) < 0) {
        /* BIN/../share, written without the "..": it is shown to users. */
        char *slash = strrchr(exe.buf, '/');
        strbuf_add(&out, exe.buf, slash ? (size_t)(slash - exe.buf) : 0);
        strbuf_adds(&out, "/share/scriptcast");
    }
    strbuf_release(&exe);
    strbuf_addf(&out, "/%s", name);
    return strbuf_detach(&out);
}
