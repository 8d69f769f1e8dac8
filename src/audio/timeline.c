/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Timeline helpers (contract in timeline.h).
 */
#include "audio/timeline.h"

#include <stdlib.h>
#include <string.h>

void timeline_release(struct timeline *t)
{
    for (size_t i = 0; i < t->nsegments; i++)
        free(t->segments[i].marks);
    free(t->segments);
    free(t->chapters);
    memset(t, 0, sizeof(*t));
}

double timeline_seconds(const struct timeline *t, uint64_t pos)
{
    return t->rate > 0 ? (double)pos / (double)t->rate : 0.0;
}
