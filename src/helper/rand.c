/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * espeak-ng's noise source without a lock. With a variant that adds breath
 * noise (f2 and f5 among the shipped female profiles), the waveform
 * generator calls rand() every few samples, and glibc's rand() takes a
 * lock around its shared state on every call: an atomic compare-exchange
 * and an exchange. espeak-ng -f on the benchmark's text with +f2 took 2.18 s
 * of user time with glibc's rand() and 2.00 s with this one (median of 5
 * each); voices without breath noise never call it.
 * The helper program is linked with --wrap=rand, so libespeak-ng.a's calls
 * come here instead: the same generator (glibc's random_r() on a TYPE_3
 * state, as rand() uses), started as glibc starts its own (initstate(1)),
 * so every run gives the same samples as with glibc's rand(). A run process
 * uses it from one thread; espeak-ng's other thread never synthesizes.
 */
#define _DEFAULT_SOURCE /* random_r, initstate_r */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

int __wrap_rand(void);

/* glibc's default generator: TYPE_3, 31 words of state plus the type word,
 * 128 bytes. */
static int32_t rand_table[32];
static struct random_data rand_data; /* zeroed, as initstate_r() needs */
static bool rand_started;

int __wrap_rand(void)
{
    if (!rand_started) {
        initstate_r(1, (char *)rand_table, sizeof(rand_table), &rand_data);
        rand_started = true;
    }
    int32_t r;
    random_r(&rand_data, &r);
    return (int)r;
}
