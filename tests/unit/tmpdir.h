/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A temporary folder per test, for the unit tests that write files: a
 * cmocka fixture that makes $TMPDIR/scriptcast-test-XXXXXX (or /tmp) and
 * removes it, with everything in it, afterwards.
 *
 * Contract: tmpdir_setup() stores a struct fixture in *state (freed by
 * tmpdir_teardown()); f->dir is the folder's path.
 */
#ifndef SCRIPTCAST_TEST_TMPDIR_H
#define SCRIPTCAST_TEST_TMPDIR_H

struct fixture {
    char dir[4096];
};

int tmpdir_setup(void **state);
int tmpdir_teardown(void **state);
/* Removes dir and everything below it (permissions restored first). */
void tmpdir_remove_tree(const char *dir);
/* "f->dir/name", malloc'd. */
char *tmpdir_path(const struct fixture *f, const char *name);
/* Entries of dir other than . and .., or -1 when it cannot be read. */
int tmpdir_count(const char *dir);

#endif
