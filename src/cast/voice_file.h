/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a voice profile file is called, shared by the profile reader
 * (voice.c, which takes a profile's name from its file name) and the
 * voicebook (voicebook.c, which lists a folder's profiles). Internal to the
 * cast stage.
 *
 * Contract: a profile file is NAME.yaml (the suffix matched exactly, case
 * included), and NAME is the profile's name.
 */
#ifndef SCRIPTCAST_VOICE_FILE_H
#define SCRIPTCAST_VOICE_FILE_H

#define VOICE_SUFFIX ".yaml"
#define VOICE_SUFFIX_LEN (sizeof(VOICE_SUFFIX) - 1)

#endif
