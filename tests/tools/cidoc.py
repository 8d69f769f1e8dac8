#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the CI steps of docs/ci.md on the bundled examples (see
tests/cli/ci-doc.sh). Each job runs in a folder of its own holding
`content/` (the examples); `uses:` steps are played by hand: checkout is
the folder, upload/download-artifact copy folders between jobs, cache is
left out. Exits 1 naming the first step that failed or the check that did
not hold."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

SRC = sys.argv[1]
DOC = open(os.path.join(SRC, "docs/ci.md"), encoding="utf-8").read()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.S)


def job_dir(name):
    d = os.path.abspath(name)
    os.makedirs(d)
    shutil.copytree(os.path.join(SRC, "assets/examples"), os.path.join(d, "content"))
    return d


def run(step, cwd, env=None):
    print(f"[{os.path.basename(cwd)}] $ {step}")
    r = subprocess.run(["sh", "-e", "-c", step], cwd=cwd, env={**os.environ, **(env or {})},
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"docs/ci.md step failed (exit {r.returncode}) in {cwd}:\n  {step}\n{r.stderr}")
    return r


def check_site(audio, shards):
    idx = json.load(open(os.path.join(audio, "index.json")))
    names = [t["name"] for t in idx["transcripts"]]
    want = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(SRC, "assets/examples")))
    assert names == want, (audio, names, want)
    assert idx["failed"] == 0 and idx["rendered"] + idx["up_to_date"] == len(want), idx
    if shards:
        assert len(idx["shards"]) == shards, idx
    for t in idx["transcripts"]:
        assert t["status"] in ("rendered", "up-to-date"), t
        for f in t["outputs"]:
            assert os.path.getsize(os.path.join(audio, f)) > 0, (audio, f)


def check_junit(path):
    xml = open(path, encoding="utf-8").read()
    assert 'failures="0"' in xml and "<testcase" in xml, xml


# The sh blocks: one site, every command in order.
site = job_dir("sh")
for lang, body in BLOCKS:
    if lang != "sh":
        continue
    for line in body.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            run(line, site)
check_junit(os.path.join(site, "scriptcast-check.xml"))
check_site(os.path.join(site, "public/audio"), 0)

docs = [yaml.safe_load(body) for lang, body in BLOCKS if lang == "yaml"]
github = next(d for d in docs if "jobs" in d)
gitlab = next(d for d in docs if "jobs" not in d)

# GitHub Actions: the matrix job once per shard, then the jobs that need it.
artifacts = {}
for name, job in github["jobs"].items():
    matrix = job.get("strategy", {}).get("matrix", {}).get("shard", [None])
    for shard in matrix:
        d = job_dir(f"gh-{name}-{shard}")
        for step in job["steps"]:
            uses = step.get("uses", "")
            if "run" in step:
                run(step["run"].replace("${{ matrix.shard }}", str(shard)), d)
            elif uses.startswith("actions/upload-artifact"):
                w = step["with"]
                artifacts[w["name"].replace("${{ matrix.shard }}", str(shard))] = \
                    os.path.join(d, w["path"])
            elif uses.startswith("actions/download-artifact"):
                w = step["with"]
                pattern = re.compile(w["pattern"].replace("*", ".*") + "$")
                for art, path in artifacts.items():
                    if pattern.match(art):
                        shutil.copytree(path, os.path.join(d, w["path"], art))
        for xml in glob.glob(os.path.join(d, "check-*.xml")):
            check_junit(xml)
        if "needs" in job:
            check_site(os.path.join(d, "public/audio"), len(artifacts))

# GitLab CI: a parallel job once per node, its artifacts into the next job.
passed = []
for name, job in gitlab.items():
    nodes = job.get("parallel", 1)
    for node in range(1, nodes + 1):
        d = job_dir(f"gl-{name}-{node}")
        for prev in passed:
            for p in job.get("needs", []) and prev[1]:
                src = os.path.join(prev[0], p)
                if os.path.exists(src):
                    shutil.copytree(src, os.path.join(d, p), dirs_exist_ok=True)
        env = {"CI_NODE_INDEX": str(node), "CI_NODE_TOTAL": str(nodes)} if nodes > 1 else {}
        for step in job["script"]:
            run(step, d, env)
        if "needs" in job:
            check_site(os.path.join(d, "public/audio"), nodes_before)
    nodes_before = nodes
    passed += [(os.path.abspath(f"gl-{name}-{n}"), job.get("artifacts", {}).get("paths", []))
               for n in range(1, nodes + 1)]
print("docs/ci.md ran as written")
