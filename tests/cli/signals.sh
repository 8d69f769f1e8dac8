#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Signals during a cold render of a long transcript: SIGINT, SIGTERM and
# SIGHUP stop it with exit 3, SIGXFSZ (the file size limit, ulimit -f) is a
# write error with exit 3; after each, the previous output set is intact,
# no temporary is left and no helper process is alive. A render killed with
# SIGKILL leaves its temporary, which the next render into that folder
# removes, while a live render's temporaries are left alone.
. "$(dirname "$0")/lib.sh"

body=$(sed '1,/^---$/d' "$SRC/assets/examples/ai-podcast-zh.md" | sed '1,/^---$/d')
cp "$SRC/assets/examples/ai-podcast-zh.md" long.md
i=0
while [ $i -lt 30 ]; do
    printf '%s\n\n' "$body" >> long.md
    i=$((i + 1))
done
cat > t.md <<'MD'
# One
Alice: Hello there.
MD
"$BIN" render t.md -o out.wav --vtt out.vtt --cache cache -q || fail "the previous set"
mkdir before && cp out.wav out.vtt out.chapters.json before/

python3 - "$BIN" <<'PY' || fail "signals"
import os, resource, signal, subprocess, sys, time

binary = sys.argv[1]

def descendants(pid):
    """Every process below pid, from /proc."""
    kids = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out

def alive(pid):
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")

def same_set(what):
    for f in ("out.wav", "out.vtt", "out.chapters.json"):
        assert open(f, "rb").read() == open("before/" + f, "rb").read(), (what, f)
    left = [f for f in os.listdir(".") if f.startswith(".")]
    assert not left, (what, left)

def start(limit=None):
    def pre():
        if limit:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.Popen([binary, "render", "long.md", "-o", "out.wav", "--vtt", "out.vtt",
                             "--no-cache", "-j", "2", "-q"], stderr=subprocess.PIPE,
                            preexec_fn=pre)

def wait_helpers(p):
    """The helpers (and the audio temporary) exist: the render is under way."""
    for _ in range(400):
        kids = descendants(p.pid)
        if kids and any(f.startswith(".out.wav.") for f in os.listdir(".")):
            return kids
        time.sleep(0.025)
    raise AssertionError("the render never started its helpers")

for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    p = start()
    kids = wait_helpers(p)
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 3, (sig, p.returncode, err)
    assert b"interrupted" in err, (sig, err)
    same_set(sig)
    still = [k for k in kids if alive(k)]
    assert not still, (sig, "helpers alive", still)

# The file size limit: 2 MB, far below the long render's audio.
p = start(limit=2 << 20)
kids = wait_helpers(p)
_, err = p.communicate(timeout=300)
assert p.returncode == 3, ("SIGXFSZ", p.returncode, err)
assert b"File too large" in err, err
same_set("SIGXFSZ")
still = [k for k in kids if alive(k)]
assert not still, ("SIGXFSZ", "helpers alive", still)

# SIGKILL leaves the temporary, named with the dead process's id...
p = start()
wait_helpers(p)
p.kill()
p.wait()
time.sleep(0.2)  # the helpers notice their parent is gone
left = [f for f in os.listdir(".") if f.startswith(".out.wav.")]
assert left and all(f".scriptcast-{p.pid}-" in f and f.endswith(".tmp") for f in left), left
# ...while another render is writing into the same folder.
live = subprocess.Popen([binary, "render", "long.md", "-o", "live.wav", "--no-cache", "-j", "2",
                         "-q"], stderr=subprocess.PIPE)
for _ in range(400):
    mine = [f for f in os.listdir(".") if f.startswith(".live.wav.")]
    if mine:
        break
    time.sleep(0.025)
assert mine, "the live render made no temporary"
# The next render into the folder removes the dead one's, not the live one's.
r = subprocess.run([binary, "render", "t.md", "-o", "other.wav", "--cache", "cache", "-q"],
                   capture_output=True)
assert r.returncode == 0, r
assert not [f for f in os.listdir(".") if f.startswith(".out.wav.")], os.listdir(".")
assert all(os.path.exists(f) for f in mine), ("a live render's temporary was removed", mine)
_, err = live.communicate(timeout=300)
assert live.returncode == 0, err
assert os.path.getsize("live.wav") > 1 << 20
PY
finish
