#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compares the option lists of every subcommand as three places give them:
its --help (generated from src/cli/options.def), the man page
docs/scriptcast.1 and docs/cli.md. Prints every difference, naming the
place to fix, and exits 1 when there is one.

usage: optlists.py SCRIPTCAST SOURCE_DIR
"""
import re
import subprocess
import sys

BIN, SRC = sys.argv[1], sys.argv[2]
OPT_RE = re.compile(r"(?<![\w-])(--[a-z0-9][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, check=True).stdout


def subcommands():
    """From `scriptcast --help`: render, plan, ..., cache stats, cache prune."""
    out, names, inside = run("--help"), [], False
    for line in out.splitlines():
        if line.startswith("commands:"):
            inside = True
            continue
        if inside and not line.strip():
            break
        if inside:
            m = re.match(r"  ([a-z]+)(?: ([a-z|]+))?", line)
            if m and m.group(2) and "|" in m.group(2):
                names += [m.group(1) + " " + s for s in m.group(2).split("|")]
            elif m:
                names.append(m.group(1))
    return names


def from_help(cmd):
    opts, inside = set(), False
    for line in run(*cmd.split(), "--help").splitlines():
        if line == "options:":
            inside = True
            continue
        if inside and not line.strip():
            break
        m = re.match(r"  (?:(-[a-zA-Z]), )?(?:    )?(--[a-z0-9-]+)", line)
        if inside and m:
            opts.update(o for o in m.groups() if o)
    return opts


def from_man():
    """Options of each `.Ss scriptcast CMD` subsection (its .It lines)."""
    per, cur = {}, None
    for line in open(f"{SRC}/docs/scriptcast.1", encoding="utf-8"):
        if line.startswith(".Ss ") or line.startswith(".Sh "):
            m = re.match(r"\.Ss scriptcast (.+)", line.strip())
            cur = m.group(1) if m else None
            if cur:
                per.setdefault(cur, set())
            continue
        if cur and line.startswith(".It "):
            words = line.split()
            for i, w in enumerate(words[:-1]):
                if w == "Fl":
                    per[cur].add("-" + words[i + 1].replace("\\", ""))
    return per


def from_md():
    """Options in the first column of each `scriptcast CMD` section's tables,
    plus the Common options rows whose second column names CMD (or all)."""
    per, common, cur, in_common = {}, [], None, False
    for line in open(f"{SRC}/docs/cli.md", encoding="utf-8"):
        if line.startswith("#"):
            m = re.match(r"#+ `scriptcast ([a-z ]+)`", line)
            cur = m.group(1) if m else None
            in_common = line.strip() == "## Common options"
            if cur:
                per.setdefault(cur, set())
            continue
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        names = set(OPT_RE.findall(" ".join(re.findall(r"`([^`]*)`", cells[0]))))
        if in_common and len(cells) >= 3:
            common.append((names, {c.strip() for c in cells[1].split(",")}))
        elif cur:
            per[cur] |= names
    for cmd in per:
        for names, cmds in common:
            if cmd in cmds or "all" in cmds:
                per[cmd] |= names
    return per


def main():
    failed = False
    man, md = from_man(), from_md()
    for cmd in subcommands():
        want = from_help(cmd)
        if not want:
            print(f"scriptcast {cmd} --help lists no options")
            failed = True
        for place, got in (("docs/scriptcast.1", man.get(cmd)), ("docs/cli.md", md.get(cmd))):
            if got is None:
                print(f"{place}: no section for 'scriptcast {cmd}'")
                failed = True
                continue
            for o in sorted(want - got):
                print(f"{place}: 'scriptcast {cmd}' does not document {o} (its --help lists it)")
                failed = True
            for o in sorted(got - want):
                print(f"{place}: 'scriptcast {cmd}' documents {o}, which its --help does not list")
                failed = True
    return 1 if failed else 0


sys.exit(main())
