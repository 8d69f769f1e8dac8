/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scriptcast-espeak: the espeak-ng helper program. The engine (see
 * src/synth/espeak.c) runs one helper per voice+variant, and each helper
 * forks a process for every run. Run as a fork of scriptcast, a helper
 * carries every library scriptcast and Debian's libespeak-ng.so load (41,
 * with PulseAudio, ALSA and X11 behind espeak-ng's audio output), and fork
 * and exit cost time in proportion to them: this program links espeak-ng
 * statically and without audio output (noaudio.c), and where the build finds
 * libsonic.a and glibc's static libraries it is static altogether, so a run
 * process is one mapped file and its data (measured: 0.97 -> 0.74 ms of CPU
 * for a short run with five shared libraries left; static, 4% less CPU
 * again for a whole cold render). It is started only by the engine (posix_spawn()),
 * with the descriptors it is to use already open:
 *
 *   scriptcast-espeak --helper=VERSION/PROTOCOL FD REPLYFD GREETING TURN_R,TURN_W|- VOICE|- SLOT...
 *
 * and then behaves exactly like scriptcast run as its own helper, whose code
 * it shares (src/synth/espeak_helper_cmd.c).
 */
#include "synth/espeak_proto.h"

int main(int argc, char **argv)
{
    return espeak_helper_cmdline(argc, argv, "scriptcast-espeak");
}
