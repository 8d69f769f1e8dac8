/*
 * `scriptcast render FILE [-o OUT]`: option parsing for rendering one
 * transcript; the work itself is render_file() in render.c.
 */
#include "cli/cli.h"
#include "cli/planout.h"
#include "cli/render.h"
#include "audio/writer.h"
#include "synth/cache.h"
#include "util/diag.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void render_usage(FILE *out)
{
    fputs("usage: scriptcast render FILE [-o OUT] [--section SEL]... [options]\n"
          "\n"
          "Synthesizes the transcript into one audio file with chapters. The format\n"
          "follows OUT's extension: .wav (PCM 16), .flac, .ogg (Vorbis), .opus (48 kHz),\n"
          ".mp3. Default OUT: the input's base name with .wav, in the current folder.\n"
          "OUT's base name + .chapters.json (Podcasting 2.0 chapters) is always written.\n"
          "\n"
          "  -o, --output OUT         the audio file to write\n"
          "  --section SEL            render only chapters SEL (number, range 2-4, or\n"
          "                           title); times are relative to the preview\n"
          "  --rate HZ                output sample rate (resampled with libsoxr)\n"
          "  -j, --jobs N             synthesize on N cores (default: all CPUs)\n"
          "  --cache DIR              clip cache folder (default: $XDG_CACHE_HOME/scriptcast\n"
          "                           or ~/.cache/scriptcast)\n"
          "  --no-cache               neither read nor write the clip cache\n"
          "  --manifest FILE          the full manifest (JSON)\n"
          "  --vtt FILE               WebVTT subtitles with <v Speaker> tags\n"
          "  --srt FILE               SubRip subtitles\n"
          "  --transcript-json FILE   Podcasting 2.0 JSON transcript\n"
          "  --chapters-vtt FILE      WebVTT chapter track\n"
          "  --ffmetadata FILE        ffmpeg metadata with chapters (;FFMETADATA1)\n"
          "  --cue FILE               CUE sheet\n"
          "  --cast FILE              speaker-to-voice settings overriding the front matter\n"
          "  --voices DIR             look for voice profiles in DIR first; repeatable\n"
          "  --chapter-level N        headings of level N start chapters\n"
          "  --strict                 speakers without a cast entry are errors\n"
          "  -q, --quiet              no summary, errors only\n"
          "  -v, --verbose            print notes, and each run synthesized or cached\n"
          "  -h, --help               show this help\n"
          "\n"
          "Exit status: 0 ok, 1 the input is wrong, 2 usage error, 3 system failure\n"
          "(I/O, engine, disk full). On failure no output file is left half-written.\n",
          out);
}

/* "talk.md" -> "talk.wav" in the current folder. */
static char *render_default_out(const char *in)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *dot = strrchr(base, '.');
    struct strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
    strbuf_adds(&sb, ".wav");
    return strbuf_detach(&sb);
}

int cli_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

int cli_parse_jobs(const char *cmd, const char *arg, int *jobs)
{
    char *end;
    long n = strtol(arg, &end, 10);
    if (*end || n < 1 || n > 256)
        return cli_usage_error(cmd, "--jobs takes a number from 1 to 256, not '%s'", arg);
    *jobs = (int)n;
    return EXIT_OK;
}

int cmd_render(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"section", required_argument, NULL, OPT_SECTION},
        {"rate", required_argument, NULL, OPT_RATE},
        {"jobs", required_argument, NULL, 'j'},
        {"cache", required_argument, NULL, OPT_CACHE},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"manifest", required_argument, NULL, OPT_MANIFEST},
        {"vtt", required_argument, NULL, OPT_VTT},
        {"srt", required_argument, NULL, OPT_SRT},
        {"transcript-json", required_argument, NULL, OPT_TRANSCRIPT_JSON},
        {"chapters-vtt", required_argument, NULL, OPT_CHAPTERS_VTT},
        {"ffmetadata", required_argument, NULL, OPT_FFMETADATA},
        {"cue", required_argument, NULL, OPT_CUE},
        {"cast", required_argument, NULL, OPT_CAST},
        {"voices", required_argument, NULL, OPT_VOICES},
        {"chapter-level", required_argument, NULL, OPT_CHAPTER_LEVEL},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli_common o = {0};
    struct render_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.jobs = cli_default_jobs();
    bool no_cache = false;
    const char *cache_dir = NULL;
    char *out_path = NULL, *default_cache = NULL;
    int opt, rc = EXIT_OK;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:j:qvh", longopts, NULL)) != -1) {
        int r = cli_common_option(&o, "render", opt, optarg);
        if (r < 0) {
            rc = EXIT_USAGE;
            goto out;
        }
        if (r > 0)
            continue;
        switch (opt) {
        case 'o':
            rq.out = optarg;
            break;
        case 'j':
            if ((rc = cli_parse_jobs("render", optarg, &rq.jobs)) != EXIT_OK)
                goto out;
            break;
        case OPT_CACHE:
            cache_dir = optarg;
            break;
        case OPT_NO_CACHE:
            no_cache = true;
            break;
        case OPT_RATE:
            if ((rc = cli_parse_rate("render", optarg, &rq.rate)) != EXIT_OK)
                goto out;
            break;
        case OPT_MANIFEST:
        case OPT_VTT:
        case OPT_SRT:
        case OPT_TRANSCRIPT_JSON:
        case OPT_CHAPTERS_VTT:
        case OPT_FFMETADATA:
        case OPT_CUE:
            rq.sidecar[SIDE_MANIFEST + (opt - OPT_MANIFEST)] = optarg;
            break;
        case 'h':
            render_usage(stdout);
            goto out;
        default:
            rc = cli_bad_option("render", opt, argv);
            goto out;
        }
    }
    if (optind + 1 != argc) {
        rc = cli_usage_error("render", optind == argc ? "no transcript given"
                                                      : "render takes one transcript");
        goto out;
    }
    if ((rc = cli_common_validate(&o, "render")) != EXIT_OK)
        goto out;
    rq.in = argv[optind];
    out_path = rq.out ? xstrdup(rq.out) : render_default_out(rq.in);
    rq.out = out_path;
    if (audio_format_from_path(out_path) < 0) {
        rc = cli_usage_error(
            "render", "%s: unknown audio format (use .wav, .flac, .ogg, .opus or .mp3)", out_path);
        goto out;
    }
    if (!no_cache)
        rq.cache_dir = cache_dir ? cache_dir : (default_cache = cache_default_dir());
    rq.progress = o.verbosity >= 0;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    render_install_signal_handlers();
    struct diags d;
    diag_init(&d);
    struct render_result res;
    bool ok = render_file(&rq, &o, &res, &d) == 0;
    planout_diagnostics(&d, o.verbosity, stderr);
    if (ok && o.verbosity >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        char len[32];
        planout_duration(len, sizeof(len), res.seconds);
        fprintf(stderr,
                "scriptcast: wrote %s%s: %s, %zu chapters, %zu segments in %.1fs "
                "(%zu runs synthesized, %zu from cache)\n",
                out_path, res.kept ? " (unchanged: the file already held these bytes)" : "", len,
                res.chapters, res.segments,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                res.synthesized, res.cached);
    }
    rc = res.usage_error ? EXIT_USAGE : diag_exit_code(&d);
    diag_release(&d);
out:
    free(out_path);
    free(default_cache);
    cli_common_release(&o);
    return rc;
}
