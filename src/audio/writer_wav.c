/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The WAV side of the audio writer (writer.c): whether a programme is
 * written as a plain WAV or as RF64, which a 32-bit RIFF size cannot hold
 * past 4 GiB, and the libsndfile stream with its RIFF INFO tags. Internal
 * to the audio stage (declarations in writer_io.h).
 */
#include "audio/writer.h"
#include "audio/writer_io.h"
#include "util/diag.h"

#include <sndfile.h>
#include <string.h>

/* What 32-bit RIFF sizes can state; tests lower it (audio_writer_set_wav_limit()). */
static uint64_t writer_wav_limit = UINT32_MAX;

/* Room kept for a WAV's header and LIST chunk beside its metadata strings. */
#define WRITER_WAV_HEADER_ROOM 4096

void audio_writer_set_wav_limit(uint64_t bytes)
{
    writer_wav_limit = bytes < UINT32_MAX ? bytes : UINT32_MAX;
}

bool audio_writer_is_rf64(const struct audio_writer *w)
{
    return w->rf64;
}

/*
 * Decides between WAV and RF64 and the most frames a plain WAV takes. The
 * header holds the metadata strings (LIST chunk), so they count against
 * the limit too; twice the estimate must fit, since a length estimated
 * from text can be off by that much.
 */
void writer_wav_plan(struct audio_writer *w, const struct audio_meta *meta, uint64_t expect_frames)
{
    w->wav_max_frames = UINT64_MAX;
    if (w->fmt != AUDIO_WAV)
        return;
    uint64_t header = WRITER_WAV_HEADER_ROOM;
    if (meta) {
        const char *strs[] = {meta->title, meta->artist, meta->date, meta->comment};
        for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
            header += strs[i] ? 2 * (uint64_t)strlen(strs[i]) + 16 : 0;
    }
    uint64_t frame = 2 * (uint64_t)w->channels;
    uint64_t max = writer_wav_limit > header ? (writer_wav_limit - header) / frame : 0;
    uint64_t expect = audio_writer_map(w, expect_frames);
    w->rf64 = expect > max / 2;
    if (!w->rf64)
        w->wav_max_frames = max;
}

/* WAV through libsndfile, with RIFF INFO tags (set before the first sample). */
int writer_open_wav(struct audio_writer *w, const struct audio_meta *meta, struct diags *d)
{
    SF_VIRTUAL_IO vio;
    writer_io_callbacks(&vio);
    SF_INFO info;
    memset(&info, 0, sizeof(info));
    info.samplerate = w->out_rate;
    info.channels = w->channels;
    info.format = (w->rf64 ? SF_FORMAT_RF64 : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
    w->sf = sf_open_virtual(&vio, SFM_WRITE, &info, w);
    if (!w->sf) {
        if (w->io_errno)
            diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL, "cannot write: %s",
                     strerror(w->io_errno));
        else
            diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL,
                     "cannot write wav at %d Hz, %d channels: %s", w->out_rate, w->channels,
                     sf_strerror(NULL));
        return -1;
    }
    /* An RF64 that stays under 4 GiB is closed as a WAV: readers that know
     * only WAV can still open it. */
    if (w->rf64)
        sf_command(w->sf, SFC_RF64_AUTO_DOWNGRADE, NULL, SF_TRUE);
    /* A string the format cannot store is skipped: decoration, not a failure. */
    if (meta) {
        const struct {
            int type;
            const char *value;
        } tags[] = {{SF_STR_TITLE, meta->title},
                    {SF_STR_ARTIST, meta->artist},
                    {SF_STR_DATE, meta->date},
                    {SF_STR_COMMENT, meta->comment}};
        for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
            if (tags[i].value && *tags[i].value)
                sf_set_string(w->sf, tags[i].type, tags[i].value);
        }
    }
    return 0;
}

void writer_wav_overflow(struct audio_writer *w, struct diags *d)
{
    diag_add(d, DIAG_SYSTEM, w->path, 0, 0, NULL,
             "the audio passes %.1f GiB, the most a WAV file can hold, and it was expected "
             "to be shorter (so it is not RF64); write .flac instead, or fewer chapters "
             "with --section",
             (double)writer_wav_limit / (1u << 30));
}
