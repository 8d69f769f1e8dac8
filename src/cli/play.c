/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Finding and running an audio player for render --play (contract in
 * play.h).
 */
#include "cli/play.h"
#include "util/diag.h"
#include "util/strbuf.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* True when prog is an executable file in a folder of $PATH. */
static int play_on_path(const char *prog)
{
    const char *path = getenv("PATH");
    while (path && *path) {
        size_t n = strcspn(path, ":");
        struct strbuf sb = STRBUF_INIT;
        strbuf_add(&sb, n ? path : ".", n ? n : 1);
        strbuf_addf(&sb, "/%s", prog);
        int ok = access(sb.buf, X_OK) == 0;
        strbuf_release(&sb);
        if (ok)
            return 1;
        path += n + (path[n] == ':');
    }
    return 0;
}

int play_file(const char *path, struct diags *d)
{
    /* Quiet, no window, ends when the file does. */
    static const char *const players[][7] = {
        {"play", "-q", NULL},
        {"ffplay", "-nodisp", "-autoexit", "-loglevel", "error", NULL},
        {"paplay", NULL},
        {"aplay", "-q", NULL},
    };
    const char *argv[8];
    size_t n = 0;
    const char *env = getenv("SCRIPTCAST_PLAYER");
    if (env && *env) {
        /* A command, so that "mpv --no-video" works: the file is "$1". */
        static char cmd[4096];
        snprintf(cmd, sizeof(cmd), "%s \"$1\"", env);
        argv[n++] = "/bin/sh";
        argv[n++] = "-c";
        argv[n++] = cmd;
        argv[n++] = "scriptcast";
    } else {
        for (size_t i = 0; i < sizeof(players) / sizeof(players[0]) && !n; i++)
            if (play_on_path(players[i][0]))
                for (size_t k = 0; players[i][k]; k++)
                    argv[n++] = players[i][k];
        if (!n) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL,
                     "--play: no player found (play from sox, ffplay, paplay, aplay); "
                     "set SCRIPTCAST_PLAYER to one");
            return -1;
        }
    }
    argv[n++] = path;
    argv[n] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
    if (rc != 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "--play: cannot start %s: %s", argv[0],
                 strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "--play: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "--play: the player (%s) failed (%s %d)",
                 env && *env ? env : argv[0], WIFEXITED(status) ? "exit" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        return -1;
    }
    return 0;
}
