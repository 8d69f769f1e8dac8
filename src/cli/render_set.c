/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Publishing a render's outputs as one set (contract in render_set.h). The
 * folder lock is taken before the keep-or-replace decision for the audio:
 * another render may have replaced the old file since it was compared, and
 * then it is not ours to keep.
 */
#include "cli/render_set.h"
#include "util/atomicfile.h"
#include "util/atomicset.h"
#include "util/keepfile.h"
#include "util/outdir.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void render_set_init(struct render_set *s)
{
    memset(s, 0, sizeof(*s));
}

void render_set_add(struct render_set *s, struct keepfile *kf, struct atomicfile *side,
                    const char *const *paths, size_t nside)
{
    XGROW(s->audio, s->audio_cap, s->naudio + 1);
    keepfile_move(&s->audio[s->naudio++], kf);
    for (size_t k = 0; k < nside; k++) {
        if (!paths[k] || !side[k].tmp)
            continue;
        XGROW(s->side, s->side_cap, s->nside + 1);
        s->side[s->nside++] = side[k];
        memset(&side[k], 0, sizeof(side[k]));
        side[k].fd = -1;
    }
}

static void render_set_release(struct render_set *s)
{
    for (size_t i = 0; i < s->naudio; i++)
        keepfile_abort(&s->audio[i]);
    for (size_t i = 0; i < s->nside; i++)
        atomicfile_abort(&s->side[i]);
    free(s->audio);
    free(s->side);
    render_set_init(s);
}

void render_set_abort(struct render_set *s)
{
    render_set_release(s);
}

int render_set_publish(struct render_set *s, bool *kept, struct diags *d)
{
    size_t n = s->naudio + s->nside;
    const char **paths = xcalloc(n ? n : 1, sizeof(*paths));
    struct atomicfile **set = xcalloc(n ? n : 1, sizeof(*set));
    bool *was_kept = xcalloc(s->naudio ? s->naudio : 1, sizeof(*was_kept));
    size_t np = 0, ns = 0;
    for (size_t i = 0; i < s->nside; i++)
        paths[np++] = s->side[i].path;
    for (size_t i = 0; i < s->naudio; i++)
        paths[np++] = s->audio[i].af.path;
    struct outdir_lock lock;
    outdir_lock(&lock, paths, np);
    int rc = 0;
    *kept = true;
    for (size_t i = 0; i < s->naudio && rc == 0; i++) {
        rc = keepfile_finish(&s->audio[i], &was_kept[i], d);
        *kept = *kept && was_kept[i];
    }
    if (rc == 0) {
        for (size_t i = 0; i < s->nside; i++)
            set[ns++] = &s->side[i];
        for (size_t i = 0; i < s->naudio; i++)
            if (!was_kept[i])
                set[ns++] = &s->audio[i].af;
        rc = atomicset_commit(set, ns, d);
    }
    if (rc == 0)
        for (size_t i = 0; i < s->naudio; i++)
            if (was_kept[i])
                keepfile_touch(&s->audio[i]);
    outdir_unlock(&lock);
    if (rc != 0)
        *kept = false;
    free(was_kept);
    free(set);
    free(paths);
    render_set_release(s);
    return rc;
}
