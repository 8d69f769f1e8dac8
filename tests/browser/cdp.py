#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives headless Chromium over the DevTools protocol on a pipe (no network
port, no extra packages): opens a page, collects every script exception and
console error from the first byte on, runs an async probe function in the
page and prints its JSON result, and saves screenshots at desktop and phone
sizes.

usage: cdp.py CHROME URL PROBE.js PARAMS_JSON SHOT_PREFIX
"""
import json
import os
import subprocess
import sys
import time
import base64

chrome, url, probe_file, params, shot_prefix = sys.argv[1:6]

# Chromium reads commands from fd 3 and writes replies to fd 4.
cmd_r, cmd_w = os.pipe()
rep_r, rep_w = os.pipe()


def child_fds():
    # The pipes are close-on-exec; dup2 onto a different number clears
    # that, and the fds that already sit at 3 or 4 are made inheritable.
    for fd, want in ((cmd_r, 3), (rep_w, 4)):
        if fd == want:
            os.set_inheritable(fd, True)
        else:
            os.dup2(fd, want)


proc = subprocess.Popen(
    [chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
     "--no-first-run", "--mute-audio", "--remote-debugging-pipe", "about:blank"],
    close_fds=False, preexec_fn=child_fds,
    stdout=subprocess.DEVNULL, stderr=open("chrome.err", "wb"))
os.close(cmd_r)
os.close(rep_w)
inbox = b""
events = []
next_id = 0
deadline = time.time() + 90


def send(method, params=None, session=None):
    global next_id
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    os.write(cmd_w, json.dumps(msg).encode() + b"\0")
    return next_id


def read_one():
    global inbox
    while b"\0" not in inbox:
        if time.time() > deadline:
            sys.exit("cdp: Chromium did not answer in time")
        chunk = os.read(rep_r, 65536)
        if not chunk:
            sys.exit("cdp: Chromium closed the pipe (see chrome.err)")
        inbox += chunk
    raw, inbox = inbox.split(b"\0", 1)
    return json.loads(raw)


def call(method, params=None, session=None):
    want = send(method, params, session)
    while True:
        m = read_one()
        if m.get("id") == want:
            if "error" in m:
                sys.exit(f"cdp: {method}: {m['error']}")
            return m.get("result", {})
        events.append(m)


def wait_event(name):
    for i, m in enumerate(events):
        if m.get("method") == name:
            return events.pop(i)
    while True:
        m = read_one()
        if m.get("method") == name:
            return m
        events.append(m)


target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
call("Runtime.enable", session=session)
call("Page.enable", session=session)
call("Log.enable", session=session)
call("Emulation.setDeviceMetricsOverride",
     {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session)
call("Page.navigate", {"url": url}, session)
wait_event("Page.loadEventFired")

probe = open(probe_file, encoding="utf-8").read()
res = call("Runtime.evaluate", {
    "expression": f"({probe})({params})",
    "awaitPromise": True, "returnByValue": True}, session)
if "exceptionDetails" in res:
    sys.exit(f"cdp: the probe failed: {res['exceptionDetails']}")
result = res["result"]["value"]


def shot(name, width, height, mobile):
    call("Emulation.setDeviceMetricsOverride",
         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session)
    # Let layout and the waveform redraw at the new size.
    call("Runtime.evaluate", {"expression": "new Promise(r => setTimeout(r, 300))",
                              "awaitPromise": True}, session)
    data = call("Page.captureScreenshot", {"format": "png"}, session)["data"]
    with open(f"{shot_prefix}-{name}.png", "wb") as f:
        f.write(base64.b64decode(data))


shot("desktop", 1280, 1000, False)
shot("phone", 390, 844, True)

errors = []
for m in events:
    if m.get("method") == "Runtime.exceptionThrown":
        d = m["params"]["exceptionDetails"]
        errors.append(d.get("exception", {}).get("description") or d.get("text"))
    elif m.get("method") == "Runtime.consoleAPICalled" and m["params"]["type"] == "error":
        errors.append(" ".join(str(a.get("value")) for a in m["params"]["args"]))
    elif m.get("method") == "Log.entryAdded" and m["params"]["entry"]["level"] == "error":
        e = m["params"]["entry"]
        # The machine has no sound card; that is not the page's fault.
        if "audio" not in e.get("text", "").lower() or e.get("source") != "other":
            errors.append(e.get("text"))
result["errors"] = errors
try:
    call("Browser.close")
except SystemExit:
    pass
proc.wait(timeout=20)
print(json.dumps(result, ensure_ascii=False))
