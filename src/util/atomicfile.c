/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Write-to-temporary-then-rename (contract in atomicfile.h). The temporaries
 * this process has open live in a fixed static table so that a signal
 * handler, which may neither allocate nor lock, can still find and unlink
 * them; every change to the table happens with those signals blocked, so the
 * handler never sees a half-written entry.
 */
#include "util/atomicfile.h"
#include "util/diag.h"
#include "util/fdio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * A run has the audio and a handful of sidecars open at most, one after the
 * other; 32 leaves room. A temporary that finds the table full still works,
 * it just is not removed if a signal arrives while it is open.
 */
#define ATOMICFILE_SLOTS 32

struct atomicfile_slot {
    volatile sig_atomic_t used;
    pid_t owner; /* only the creating process cleans up; forked workers don't */
    char path[PATH_MAX];
};

static struct atomicfile_slot atomicfile_slots[ATOMICFILE_SLOTS];
static bool atomicfile_handlers_installed;

static const int atomicfile_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define ATOMICFILE_NSIGNALS (sizeof(atomicfile_signals) / sizeof(atomicfile_signals[0]))

static void atomicfile_block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < ATOMICFILE_NSIGNALS; i++)
        sigaddset(&set, atomicfile_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void atomicfile_restore_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* Call with the signals blocked. */
static void atomicfile_register(const char *tmp)
{
    size_t len = strlen(tmp);
    if (len >= PATH_MAX)
        return;
    for (size_t i = 0; i < ATOMICFILE_SLOTS; i++) {
        struct atomicfile_slot *s = &atomicfile_slots[i];
        if (s->used)
            continue;
        memcpy(s->path, tmp, len + 1);
        s->owner = getpid();
        s->used = 1;
        return;
    }
}

/* Call with the signals blocked. */
static void atomicfile_unregister(const char *tmp)
{
    pid_t self = getpid();
    for (size_t i = 0; i < ATOMICFILE_SLOTS; i++) {
        struct atomicfile_slot *s = &atomicfile_slots[i];
        if (s->used && s->owner == self && strcmp(s->path, tmp) == 0) {
            s->used = 0;
            return;
        }
    }
}

/* Only async-signal-safe calls here: getpid, unlink. */
void atomicfile_remove_all(void)
{
    int saved_errno = errno;
    pid_t self = getpid();
    for (size_t i = 0; i < ATOMICFILE_SLOTS; i++) {
        if (atomicfile_slots[i].used && atomicfile_slots[i].owner == self)
            unlink(atomicfile_slots[i].path);
    }
    errno = saved_errno;
}

/* Only async-signal-safe calls here: atomicfile_remove_all(), raise. */
static void atomicfile_on_signal(int sig)
{
    atomicfile_remove_all();
    /*
     * SA_RESETHAND has already restored the default action; raising the
     * signal again lets it terminate us as if we had never caught it, so
     * the parent sees "killed by SIGINT" rather than an exit code.
     */
    raise(sig);
}

void atomicfile_install_signal_handlers(void)
{
    if (atomicfile_handlers_installed)
        return;
    atomicfile_handlers_installed = true;

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = atomicfile_on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < ATOMICFILE_NSIGNALS; i++)
        sigaddset(&sa.sa_mask, atomicfile_signals[i]);

    for (size_t i = 0; i < ATOMICFILE_NSIGNALS; i++) {
        struct sigaction old;
        if (sigaction(atomicfile_signals[i], NULL, &old) != 0)
            continue;
        /* nohup and non-interactive shells ignore some of these on purpose. */
        if (old.sa_handler == SIG_IGN)
            continue;
        sigaction(atomicfile_signals[i], &sa, NULL);
    }
}

static void atomicfile_reset(struct atomicfile *af)
{
    af->path = NULL;
    af->tmp = NULL;
    af->fd = -1;
    af->fp = NULL;
    af->finished = false;
}

/* Closes and unlinks the temporary, forgets it, frees the strings. */
static void atomicfile_discard(struct atomicfile *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->fd >= 0)
        close(af->fd);
    if (af->tmp) {
        sigset_t old;
        atomicfile_block_signals(&old);
        unlink(af->tmp);
        atomicfile_unregister(af->tmp);
        atomicfile_restore_signals(&old);
    }
    free(af->path);
    free(af->tmp);
    atomicfile_reset(af);
}

#define ATOMICFILE_MARK ".scriptcast-"
#define ATOMICFILE_RAND 6

/* Six letters and digits that differ between calls and processes; the
 * O_EXCL open (or link) that follows is what makes a name unique. */
static void atomicfile_random(char out[ATOMICFILE_RAND + 1])
{
    static uint64_t counter;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    uint64_t x = ((uint64_t)t.tv_nsec << 20) ^ (uint64_t)t.tv_sec ^ ((uint64_t)getpid() << 40) ^
                 (++counter * 0x9e3779b97f4a7c15ULL);
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < ATOMICFILE_RAND; i++) {
        out[i] = digits[x % 36];
        x /= 36;
    }
    out[ATOMICFILE_RAND] = '\0';
}

char *atomicfile_temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    /*
     * Same folder as the destination, so that rename() never crosses a
     * mount. The name is cut short so that a destination name near the
     * 255-byte limit still leaves room for the dot and the suffix.
     */
    struct strbuf tmp = STRBUF_INIT;
    if (slash)
        strbuf_add(&tmp, path, (size_t)(name - path));
    size_t name_len = strlen(name);
    char rnd[ATOMICFILE_RAND + 1];
    atomicfile_random(rnd);
    strbuf_addf(&tmp, ".%.*s" ATOMICFILE_MARK "%ld-%s.tmp", (int)(name_len > 200 ? 200 : name_len),
                name, (long)getpid(), rnd);
    return strbuf_detach(&tmp);
}

bool atomicfile_is_temp_name(const char *name, pid_t *pid)
{
    size_t n = strlen(name), mark = strlen(ATOMICFILE_MARK);
    /* "." NAME ".scriptcast-" PID "-" XXXXXX ".tmp", NAME at least one byte */
    if (name[0] != '.' || n < 1 + 1 + mark + 1 + 1 + ATOMICFILE_RAND + 4 ||
        strcmp(name + n - 4, ".tmp") != 0)
        return false;
    size_t end = n - 4 - ATOMICFILE_RAND;
    for (size_t i = end; i < n - 4; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9')))
            return false;
    if (name[end - 1] != '-')
        return false;
    size_t d = end - 1, digits = 0;
    long long v = 0;
    while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9' && digits < 10) {
        d--;
        digits++;
    }
    if (digits == 0 || d < 1 + 1 + mark || memcmp(name + d - mark, ATOMICFILE_MARK, mark) != 0)
        return false;
    for (size_t i = d; i < end - 1; i++)
        v = v * 10 + (name[i] - '0');
    if (v <= 0 || v > INT32_MAX)
        return false;
    *pid = (pid_t)v;
    return true;
}

int atomicfile_open(struct atomicfile *af, const char *path, struct diags *d)
{
    atomicfile_reset(af);
    atomicfile_install_signal_handlers();

    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot write: %s", strerror(EISDIR));
        return -1;
    }

    char *tmp = NULL;
    int fd = -1, err = 0;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        free(tmp);
        tmp = atomicfile_temp_name(path);
        sigset_t old;
        atomicfile_block_signals(&old);
        fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        err = errno;
        if (fd >= 0)
            atomicfile_register(tmp);
        atomicfile_restore_signals(&old);
        if (fd < 0 && err != EEXIST)
            break;
    }
    if (fd < 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot create file: %s", strerror(err));
        free(tmp);
        return -1;
    }
    /*
     * The lock says "my process is alive and still writing this": the sweep
     * of a later render leaves a temporary alone while anyone holds it, and
     * the kernel drops it when the process dies, however it dies.
     */
    flock(fd, LOCK_EX | LOCK_NB);

    af->path = xstrdup(path);
    af->tmp = tmp;
    af->fd = fd;
    return 0;
}

FILE *atomicfile_stream(struct atomicfile *af)
{
    if (af->fp)
        return af->fp;
    if (af->fd < 0 || af->finished) {
        errno = EBADF;
        return NULL;
    }
    /* On a descriptor of its own, so that finishing can close the stream
     * and still check the close of af->fd itself. */
    int fd = fcntl(af->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return af->fp;
}

int atomicfile_finish(struct atomicfile *af, struct diags *d)
{
    if (!af->tmp || af->finished) {
        diag_add(d, DIAG_SYSTEM, af->path, 0, 0, NULL,
                 "internal error: finishing a file that is not open");
        return -1;
    }

    const char *what = NULL;
    int err = 0;

    /*
     * The stream's error flag catches a failed fwrite() the caller did not
     * check; the flush catches a full disk for data still in the buffer.
     */
    if (af->fp && fflush(af->fp) != 0) {
        what = "cannot write";
        err = errno;
    } else if (af->fp && ferror(af->fp)) {
        what = "cannot write";
        err = 0; /* the errno of that earlier write is gone */
    }

    /*
     * Without the sync, a crash soon after the rename can leave a
     * zero-length file under the new name on ext4/xfs with delayed
     * allocation. Data suffices; the rename orders the metadata. EINVAL
     * means the file system cannot sync at all, which is not our failure.
     */
    if (!what && getenv("SCRIPTCAST_FSYNC") && fdatasync(af->fd) != 0 && errno != EINVAL) {
        what = "cannot write";
        err = errno;
    }

    /* The temporary was made 0600; outputs should look like any file we create. */
    if (!what) {
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(af->fd, 0644 & ~mask) != 0) {
            what = "cannot set permissions";
            err = errno;
        }
    }

    /* Some file systems (NFS) only report a failed write when closing. */
    if (af->fp) {
        int sclosed = fclose(af->fp);
        af->fp = NULL;
        if (!what && sclosed != 0) {
            what = "cannot write";
            err = errno;
        }
    }
    int closed = close(af->fd);
    af->fd = -1;
    if (!what && closed != 0) {
        what = "cannot write";
        err = errno;
    }

    if (what) {
        if (err)
            diag_add(d, DIAG_SYSTEM, af->path, 0, 0, NULL, "%s: %s", what, strerror(err));
        else
            diag_add(d, DIAG_SYSTEM, af->path, 0, 0, NULL, "%s: an earlier write failed", what);
        atomicfile_discard(af);
        return -1;
    }
    af->finished = true;
    return 0;
}

void atomicfile_renamed(struct atomicfile *af)
{
    sigset_t old;
    atomicfile_block_signals(&old);
    atomicfile_unregister(af->tmp);
    atomicfile_restore_signals(&old);
    free(af->path);
    free(af->tmp);
    atomicfile_reset(af);
}

int atomicfile_commit(struct atomicfile *af, struct diags *d)
{
    if (!af->finished && atomicfile_finish(af, d) != 0)
        return -1;
    sigset_t old;
    atomicfile_block_signals(&old);
    int renamed = rename(af->tmp, af->path);
    int err = errno;
    if (renamed == 0)
        atomicfile_unregister(af->tmp);
    atomicfile_restore_signals(&old);
    if (renamed != 0) {
        diag_add(d, DIAG_SYSTEM, af->path, 0, 0, NULL, "cannot replace file: %s", strerror(err));
        atomicfile_discard(af);
        return -1;
    }
    free(af->path);
    free(af->tmp);
    atomicfile_reset(af);
    return 0;
}

void atomicfile_abort(struct atomicfile *af)
{
    if (!af->tmp && !af->path)
        return;
    atomicfile_discard(af);
}

int atomicfile_write(const char *path, const void *data, size_t n, struct diags *d)
{
    struct atomicfile af;
    if (atomicfile_open(&af, path, d) != 0)
        return -1;
    if (n > 0 && fdio_write(af.fd, data, n) != 0) {
        diag_add(d, DIAG_SYSTEM, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        atomicfile_abort(&af);
        return -1;
    }
    return atomicfile_commit(&af, d);
}
