/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * `render --play`: plays a written audio file through the first player
 * found, so that rendering a section and hearing it is one command.
 *
 * Contract: play_file() runs $SCRIPTCAST_PLAYER (a shell command given the
 * file as "$1") when set and not empty, else the first of play (sox),
 * ffplay, paplay and aplay on PATH, waits for it and returns 0; -1 with a
 * system diagnostic in d when none is found, it cannot start or it fails.
 */
#ifndef SCRIPTCAST_PLAY_H
#define SCRIPTCAST_PLAY_H

struct diags;

int play_file(const char *path, struct diags *d);

#endif
