// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluated in a rendered listening page by tests/browser/cdp.py (never
// shipped): acts as a listener would — seeks, clicks a chapter, presses
// PageDown, searches, clicks a sentence — and returns what the page showed,
// for tests/browser/page.sh to compare with the sidecars of the same render.
async function (q) {
  const audio = document.getElementById("sc-audio");
  const out = {};
  const until = (ev) => new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), 5000);
    audio.addEventListener(ev, () => { clearTimeout(t); setTimeout(() => resolve(true), 50); }, { once: true });
  });
  const current = () => {
    const c = document.querySelectorAll("#sc-transcript .cue.current");
    return c.length === 1 ? c[0].textContent : c.length ? "(" + c.length + " cues)" : null;
  };
  const chapterNow = () => {
    const a = document.querySelector("#sc-chapters a[aria-current=true]");
    return a ? a.textContent : null;
  };
  if (audio.readyState < 1 && !(await until("loadedmetadata"))) {
    out.audioError = true;
    return out;
  }
  out.duration = audio.duration;
  let s = until("seeked");
  audio.currentTime = q.seek;
  out.seeked = await s;
  out.seekTime = audio.currentTime;
  out.highlight = current();
  const links = document.querySelectorAll("#sc-chapters a");
  s = until("seeked");
  links[q.chapter - 1].click();
  await s;
  out.chapterClickTime = audio.currentTime;
  out.chapterCurrent = chapterNow();
  s = until("seeked");
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "PageDown", bubbles: true }));
  await s;
  out.pageDownTime = audio.currentTime;
  const input = document.getElementById("sc-search");
  input.value = q.word;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  out.searchFound = document.getElementById("sc-found").textContent;
  out.searchMarked = document.querySelectorAll("#sc-transcript .cue.match").length;
  s = until("seeked");
  document.querySelectorAll("#sc-transcript .cue")[q.cue].click();
  await s;
  out.cueClickTime = audio.currentTime;
  out.cueClickHighlight = current();
  // Leave the page showing the first seek, for the screenshots.
  s = until("seeked");
  audio.currentTime = q.seek;
  await s;
  return out;
}
