/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The run process's side of the espeak-ng backend (espeak_run.c), used by
 * the helper (espeak_helper.c) that forks it. Internal to the synth stage.
 *
 * Contract: espeak_run_setup() is called once in the helper, before any
 * fork; the descriptors stay the caller's. The turn pipe, when there is
 * one, holds a byte per run that may synthesize now: a run process reads
 * one before espeak_Synth() and writes it back as soon as that returns, so
 * a run waiting for a turn starts the moment another ends.
 * espeak_run_turn_back() puts back the turn a run process that ended
 * without answering may have held. espeak_run_callback() is the
 * synth callback espeak-ng is given. espeak_answer() sends one whole
 * message on the reply socket (0, or -1 when the caller is gone).
 * espeak_run_main() never returns: its exit status is 0 exactly when its
 * answer went out.
 */
#ifndef SCRIPTCAST_ESPEAK_RUN_H
#define SCRIPTCAST_ESPEAK_RUN_H

#include "synth/espeak_proto.h"

#include <espeak-ng/speak_lib.h>

#include <stddef.h>
#include <stdint.h>

void espeak_run_setup(int replyfd, const int *slots, int nslots, const int turn[2]);
void espeak_run_turn_back(void);
int espeak_answer(uint64_t id, int status, int rate, const char *msg,
                  const struct espeak_reply *clip);
int espeak_run_callback(short *wav, int numsamples, espeak_EVENT *events);
void espeak_run_main(uint64_t id, int slot, int rate, const char *text, size_t len)
    __attribute__((noreturn));

#endif
