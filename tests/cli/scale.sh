#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Scaling behaviour from the command line: two renders sharing one cache at
# once, a warm render that synthesizes nothing, an edit that synthesizes
# exactly one run, killed espeak-ng helpers (exit 3, no partial file), and the
# progress line (only on a terminal).
. "$(dirname "$0")/lib.sh"
: "${AUDIOINFO:?AUDIOINFO must name the audioinfo test tool}"

cp "$SRC/assets/examples/ai-podcast-zh.md" zh.md

# Two cold renders at the same time, one shared cache: both succeed, same bytes.
"$BIN" render zh.md -o a.wav --cache shared -j 2 -q 2>a.err &
pa=$!
"$BIN" render zh.md -o b.wav --cache shared -j 2 -q 2>b.err &
pb=$!
wait $pa || fail "first concurrent render failed: $(cat a.err)"
wait $pb || fail "second concurrent render failed: $(cat b.err)"
cmp -s a.wav b.wav || fail "concurrent renders differ"
expect_exit 0 "$BIN" cache stats --cache shared
expect_grep "entries" out.txt

# Warm: everything from the cache, nothing synthesized, same bytes.
expect_exit 0 "$BIN" render zh.md -o warm.wav --cache shared -v
cmp -s a.wav warm.wav || fail "warm render differs from the cold one"
expect_no_grep ": synthesized \[" err.txt
expect_grep "(0 runs synthesized" err.txt

# One edited paragraph: exactly one run synthesized.
sed 's/这句话我一直记得。/这句话我到今天都记得。/' zh.md > edited.md
expect_exit 0 "$BIN" render edited.md -o edited.wav --cache shared -v
n=$(grep -c ": synthesized \[" err.txt)
[ "$n" = 1 ] || fail "an edit of one paragraph synthesized $n runs, expected 1"
expect_grep "edited.md:53: synthesized" err.txt

# The engine's helper processes killed mid-render: exit 3, the error names
# the run, no file left.
python3 - "$BIN" <<'PY' || fail "killed helpers"
import os, signal, subprocess, sys, time
body = open("zh.md").read().split("---", 2)[2]
# Long enough (hours of audio) that it is still going when it is killed.
open("long.md", "w").write(open("zh.md").read() + body * 200)
p = subprocess.Popen([sys.argv[1], "render", "long.md", "-o", "killed.wav", "-j", "2",
                      "--no-cache", "-q"], stderr=subprocess.PIPE)
# Wait until the helpers have all started (a busy machine can take
# seconds): the same set of children twice, 0.3 s apart.
def children():
    return sorted(subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True,
                                 text=True).stdout.split())
kids, seen = [], None
for _ in range(100):
    time.sleep(0.3)
    kids = children()
    if kids and kids == seen:
        break
    seen = kids
assert kids, "no helper processes found"
# With scriptcast-espeak beside scriptcast, the helpers are that program.
if os.path.exists(os.path.join(os.path.dirname(sys.argv[1]), "scriptcast-espeak")):
    names = {open(f"/proc/{k}/comm").read().strip() for k in kids}
    assert names == {"scriptcast-espe"}, names
killed = 0
for k in kids:
    try:
        os.kill(int(k), signal.SIGKILL)
        killed += 1
    except ProcessLookupError:
        pass  # a process that had just ended by itself
assert killed, "every helper had ended before it could be killed"
try:
    _, err = p.communicate(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    raise AssertionError("the render went on after its helpers were killed")
assert p.returncode == 3, (p.returncode, err)
assert b"long.md:" in err, err
assert not os.path.exists("killed.wav")
assert not [f for f in os.listdir(".") if f.startswith(".killed")], os.listdir(".")
PY

# Helpers run as scriptcast-espeak (the default) or as scriptcast itself
# (SCRIPTCAST_ESPEAK_HELPER empty): the same bytes. Started as copies of the
# program, never forks of the render (whose threads could hold a lock the
# fork would wait on: one render in six hung so under AddressSanitizer), so
# several renders in a row all finish. The variable is obeyed: a program
# that is not the helper fails the render, and one that does not exist is
# named.
expect_exit 0 "$BIN" render zh.md -o via-program.wav --no-cache -j 2 -q
for i in 1 2 3 4 5 6; do
    expect_exit 0 env SCRIPTCAST_ESPEAK_HELPER= timeout 120 "$BIN" render zh.md -o self.wav \
        --no-cache -j 2 -q
    cmp -s via-program.wav self.wav || fail "scriptcast-espeak and scriptcast as helper differ"
done
SCRIPTCAST_ESPEAK_HELPER= "$BIN" render zh.md -o self.wav --no-cache -j 2 -q 2>self.err &
self=$!
sleep 1
if [ -d /proc/$self ]; then
    for kid in $(pgrep -P $self); do
        [ "$(readlink /proc/$kid/exe)" = "$(readlink -f "$BIN")" ] ||
            fail "a helper of SCRIPTCAST_ESPEAK_HELPER= is $(readlink /proc/$kid/exe), not scriptcast"
        tr '\0' ' ' </proc/$kid/cmdline | grep -q -- "--helper=" ||
            fail "a helper of SCRIPTCAST_ESPEAK_HELPER= was not started as a helper"
    done
fi
wait $self || fail "render with scriptcast as its own helper failed: $(cat self.err)"
expect_exit 3 env SCRIPTCAST_ESPEAK_HELPER=/bin/false "$BIN" render zh.md -o false.wav --no-cache -q
expect_exit 3 env SCRIPTCAST_ESPEAK_HELPER=nowhere/helper "$BIN" render zh.md -o none.wav -q
expect_grep "SCRIPTCAST_ESPEAK_HELPER=nowhere/helper: No such file" err.txt
[ -e false.wav ] || [ -e none.wav ] && fail "a failed render left a file"

# Every clip file is a descriptor: with few allowed, many --jobs run fewer
# at once instead of failing, and the bytes are the same.
(ulimit -n 64 && "$BIN" render zh.md -o few-fds.wav --no-cache -j 256 -q) 2>err.txt ||
    fail "--jobs 256 with 64 descriptors failed: $(cat err.txt)"
cmp -s via-program.wav few-fds.wav || fail "--jobs 256 with 64 descriptors differs"

# Progress: a live line on a terminal, nothing otherwise.
expect_exit 0 "$BIN" render zh.md -o p.wav --cache shared
expect_no_grep "segments," err.txt
if command -v script >/dev/null 2>&1; then
    script -qec "$BIN render zh.md -o p.wav --cache shared" /dev/null > tty.txt 2>&1 ||
        fail "render under a terminal failed"
    expect_grep "22/22 segments" tty.txt
fi
finish
