/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The FFmpeg functions the audio writer calls, loaded with dlopen() the
 * first time a compressed format is written. Linking libavcodec would
 * make every scriptcast process load its hundred-odd codec libraries at
 * start (measured: 150 ms for `scriptcast --version` on a busy 2-core
 * machine, 0.01 s without), check and plan and WAV renders included. The
 * headers still give the types; the libraries are the ones of the headers'
 * major versions (libavcodec.so.59 with FFmpeg 5.1).
 *
 * Contract: lav_load() returns 0 once the table is filled (every later
 * call is free), or -1 with a message in err (the libraries are missing).
 * Call it from one thread before any other use; then lav.NAME(...) calls
 * the library's NAME.
 */
#ifndef SCRIPTCAST_AUDIO_LAV_H
#define SCRIPTCAST_AUDIO_LAV_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>

#include <stddef.h>

/* X(library, function): every function used, by the library that has it. */
#define LAV_FUNCTIONS(X)                                                                           \
    X(util, av_channel_layout_copy)                                                                \
    X(util, av_channel_layout_default)                                                             \
    X(util, av_dict_free)                                                                          \
    X(util, av_dict_set)                                                                           \
    X(util, av_dict_set_int)                                                                       \
    X(util, av_frame_alloc)                                                                        \
    X(util, av_frame_free)                                                                         \
    X(util, av_frame_get_buffer)                                                                   \
    X(util, av_frame_make_writable)                                                                \
    X(util, av_free)                                                                               \
    X(util, av_freep)                                                                              \
    X(util, av_log_set_level)                                                                      \
    X(util, av_malloc)                                                                             \
    X(util, av_mallocz)                                                                            \
    X(util, av_opt_set)                                                                            \
    X(util, av_realloc_array)                                                                      \
    X(util, av_strerror)                                                                           \
    X(codec, av_new_packet)                                                                        \
    X(codec, av_packet_alloc)                                                                      \
    X(codec, av_packet_free_side_data)                                                             \
    X(codec, av_packet_free)                                                                       \
    X(codec, av_packet_move_ref)                                                                   \
    X(codec, av_packet_new_side_data)                                                              \
    X(codec, av_packet_rescale_ts)                                                                 \
    X(codec, av_packet_unref)                                                                      \
    X(codec, avcodec_alloc_context3)                                                               \
    X(codec, avcodec_find_encoder_by_name)                                                         \
    X(codec, avcodec_free_context)                                                                 \
    X(codec, avcodec_open2)                                                                        \
    X(codec, avcodec_parameters_from_context)                                                      \
    X(codec, avcodec_receive_packet)                                                               \
    X(codec, avcodec_send_frame)                                                                   \
    X(format, av_write_frame)                                                                      \
    X(format, av_write_trailer)                                                                    \
    X(format, avformat_alloc_output_context2)                                                      \
    X(format, avformat_free_context)                                                               \
    X(format, avformat_new_stream)                                                                 \
    X(format, avformat_write_header)                                                               \
    X(format, avio_alloc_context)                                                                  \
    X(format, avio_context_free)                                                                   \
    X(format, avio_flush)                                                                          \
    X(format, avio_write)

#define LAV_MEMBER(lib, name) __typeof__(name) *name;
struct lav_table {
    LAV_FUNCTIONS(LAV_MEMBER)
};
#undef LAV_MEMBER

extern struct lav_table lav;

int lav_load(char *err, size_t errlen);

#endif
