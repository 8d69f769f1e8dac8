/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which program the engine starts as its espeak-ng helper, and the command
 * line it starts it with (posix_spawn() in espeak_proc.c): the descriptors
 * the helper is to use are already open and named by number. Shared by scriptcast-espeak
 * (src/helper/main.c) and by scriptcast itself, which is its own helper
 * program when scriptcast-espeak is not beside it: starting a helper then
 * means spawning a fresh copy of the program, never forking the running
 * one, whose other threads (the audio writer, the MP3 segment encoders)
 * may hold a lock at the moment of the fork that the child would then wait
 * on for ever (seen: AddressSanitizer's allocator lock, one cold render in
 * six).
 *
 *   PROGRAM --helper=VERSION/PROTOCOL FD REPLYFD GREETING TURN_R,TURN_W|- VOICE|- SLOT...
 */
#include "synth/engine.h"
#include "synth/espeak_proto.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool espeak_self_ok;

/* A descriptor or id argument, or -1 when it is not one. */
static long long espeak_cmd_number(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return -1;
    return v;
}

static int espeak_cmd_fd(const char *s)
{
    long long v = espeak_cmd_number(s);
    return v > INT_MAX ? -1 : (int)v;
}

/* Two descriptors "R,W". 0, or -1 when it is not that. */
static int espeak_cmd_pair(const char *s, int pair[2])
{
    const char *comma = strchr(s, ',');
    char first[24];
    size_t n = comma ? (size_t)(comma - s) : 0;
    if (n == 0 || n >= sizeof(first))
        return -1;
    memcpy(first, s, n);
    first[n] = '\0';
    pair[0] = espeak_cmd_fd(first);
    pair[1] = espeak_cmd_fd(comma + 1);
    return pair[0] < 0 || pair[1] < 0 ? -1 : 0;
}

int espeak_helper_cmdline(int argc, char **argv, const char *prog)
{
    if (argc < 8 || strcmp(argv[1], ESPEAK_HELPER_MARK) != 0) {
        fprintf(stderr, "%s: this program is run by scriptcast %s, not by hand\n", prog,
                SCRIPTCAST_VERSION);
        return 2;
    }
    int fd = espeak_cmd_fd(argv[2]), reply = espeak_cmd_fd(argv[3]);
    long long greeting = espeak_cmd_number(argv[4]);
    int turn[2] = {-1, -1};
    bool turn_ok = strcmp(argv[5], "-") == 0 || espeak_cmd_pair(argv[5], turn) == 0;
    int nslots = argc - 7;
    int slots[ESPEAK_HELPER_MAX_SLOTS];
    bool ok = fd >= 0 && reply >= 0 && greeting >= 0 && turn_ok && nslots >= 0 &&
              nslots <= ESPEAK_HELPER_MAX_SLOTS;
    for (int k = 0; ok && k < nslots; k++)
        ok = (slots[k] = espeak_cmd_fd(argv[7 + k])) >= 0;
    if (!ok) {
        fprintf(stderr, "%s: bad arguments\n", prog);
        return 2;
    }
    struct espeak_helper_args a = {fd,
                                   reply,
                                   slots,
                                   nslots,
                                   strcmp(argv[6], "-") == 0 ? NULL : argv[6],
                                   (uint64_t)greeting,
                                   {turn[0], turn[1]}};
    espeak_helper_main(&a);
}

void engine_helper_entry(int argc, char **argv, const char *prog)
{
    if (argc > 1 && strncmp(argv[1], "--helper=", 9) == 0)
        exit(espeak_helper_cmdline(argc, argv, prog));
    espeak_self_ok = true;
}

bool espeak_self_helper(void)
{
    return espeak_self_ok;
}

/* The running program's own file, or NULL. */
static char *espeak_self_path(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    return xstrdup(self);
}

/*
 * The helper program: SCRIPTCAST_ESPEAK_HELPER when set, else
 * scriptcast-espeak (src/helper/) beside the running program, whose run
 * processes fork and exit in about half the time; an empty variable, or no
 * scriptcast-espeak, means the running program itself when it can be its
 * own helper (engine_helper_entry()). *program is NULL when there is none:
 * helpers are then forked from the caller and run the same code. -1 with a
 * reason when the variable names something that cannot be run.
 */
int espeak_find_program(char **program, struct strbuf *why)
{
    *program = NULL;
    const char *env = getenv("SCRIPTCAST_ESPEAK_HELPER");
    if (env && *env) {
        if (access(env, X_OK) != 0) {
            strbuf_addf(why, "SCRIPTCAST_ESPEAK_HELPER=%s: %s", env, strerror(errno));
            return -1;
        }
        *program = xstrdup(env);
        return 0;
    }
    char *self = espeak_self_path();
    char *slash = self ? strrchr(self, '/') : NULL;
    if (slash && !env) {
        struct strbuf path = STRBUF_INIT;
        strbuf_add(&path, self, (size_t)(slash - self));
        strbuf_adds(&path, "/scriptcast-espeak");
        if (access(path.buf, X_OK) == 0)
            *program = strbuf_detach(&path);
        strbuf_release(&path);
    }
    if (!*program && espeak_self_helper()) {
        *program = self;
        self = NULL;
    }
    free(self);
    return 0;
}
