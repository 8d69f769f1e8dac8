/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Where scriptcast's data (voice profiles) is, found from the running
 * executable rather than from a prefix fixed at configure time, so that
 * `cmake --install build --prefix P` works for any P and the program runs
 * from any folder:
 *
 *   - in the build tree, the binary's folder holds a marker file,
 *     scriptcast-datadir, written by CMake, naming the source folder: the
 *     data is read from there (voices/), so edits need no install;
 *   - installed, the data is BIN/../share/scriptcast (BIN: the folder of
 *     the executable, symbolic links resolved);
 *   - where the executable cannot be found (no /proc), the configure-time
 *     SCRIPTCAST_DATADIR.
 */
#ifndef SCRIPTCAST_DATADIR_H
#define SCRIPTCAST_DATADIR_H

/* The data folder + "/" + name (e.g. "voices"), malloc'd; never NULL. */
char *datadir_path(const char *name);

#endif
