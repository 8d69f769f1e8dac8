// SPDX-License-Identifier: GPL-3.0-or-later
// The listening page's behaviour (embedded into every page scriptcast
// writes). Everything it needs is in the page: cue times are data-s/data-e
// attributes in milliseconds, the waveform overview is a base64 string of
// one byte per tenth of a second. It never touches the network, so the page
// works from file:// and from any static host. It drives its own highlight
// from the audio clock rather than a <track>, because Chromium does not
// update activeCues of a hidden track while seeking a paused element.
(function () {
  "use strict";
  var audio = document.getElementById("sc-audio");
  var cues = Array.prototype.slice.call(document.querySelectorAll("#sc-transcript .cue"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll("#sc-chapters a"));
  var canvas = document.getElementById("sc-wave");
  var search = document.getElementById("sc-search");
  var found = document.getElementById("sc-found");
  var data = JSON.parse(document.getElementById("sc-data").textContent);
  var starts = cues.map(function (c) { return +c.dataset.s / 1000; });
  var chStarts = chapters.map(function (a) { return +a.dataset.s / 1000; });
  var peaks = atob(data.peaks || "");
  var current = -1, currentChapter = -1, userScrolled = 0, matches = [], matchAt = -1;

  // The last item whose start is at or before t (-1 when none).
  function indexAt(list, t) {
    var lo = 0, hi = list.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] <= t + 1e-4) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return best;
  }

  function duration() {
    return isFinite(audio.duration) && audio.duration > 0 ? audio.duration : data.seconds;
  }

  function seek(t) {
    t = Math.max(0, Math.min(t, duration()));
    audio.currentTime = t;
    update(t);
  }

  function update(t) {
    if (t === undefined) t = audio.currentTime;
    var i = indexAt(starts, t);
    // In the pause after a cue it stays marked: the listener just heard it.
    if (i !== current) {
      if (current >= 0) { cues[current].classList.remove("current"); cues[current].removeAttribute("aria-current"); }
      current = i;
      if (i >= 0) {
        cues[i].classList.add("current");
        cues[i].setAttribute("aria-current", "true");
        if (Date.now() - userScrolled > 4000) cues[i].scrollIntoView({ block: "center", behavior: "auto" });
      }
    }
    var c = indexAt(chStarts, t);
    if (c !== currentChapter) {
      if (currentChapter >= 0) chapters[currentChapter].removeAttribute("aria-current");
      currentChapter = c;
      if (c >= 0) chapters[c].setAttribute("aria-current", "true");
    }
    draw(t);
  }

  function draw(t) {
    if (!canvas.getContext) return;
    var ratio = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(canvas.clientWidth * ratio));
    var h = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    var g = canvas.getContext("2d");
    var css = getComputedStyle(document.documentElement);
    var total = duration(), n = peaks.length, played = total > 0 ? t / total * w : 0;
    g.clearRect(0, 0, w, h);
    for (var x = 0; x < w; x++) {
      var a = Math.floor(x * n / w), b = Math.max(a + 1, Math.floor((x + 1) * n / w)), m = 0;
      for (var k = a; k < b && k < n; k++) m = Math.max(m, peaks.charCodeAt(k));
      var bar = Math.max(1, m / 255 * (h - 4));
      g.fillStyle = x < played ? css.getPropertyValue("--played") : css.getPropertyValue("--wave");
      g.fillRect(x, (h - bar) / 2, 1, bar);
    }
    g.fillStyle = css.getPropertyValue("--fg");
    for (var j = 0; j < chStarts.length; j++) {
      var cx = total > 0 ? Math.round(chStarts[j] / total * w) : 0;
      g.fillRect(Math.min(cx, w - 2 * ratio), 0, Math.max(1, 2 * ratio), h);
    }
    canvas.setAttribute("aria-valuenow", Math.round(t));
    canvas.setAttribute("aria-valuetext", clock(t) + " / " + clock(total));
  }

  function clock(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
  }

  function chapterJump(step) {
    var c = indexAt(chStarts, audio.currentTime);
    // "Previous" from inside a chapter restarts it first, as players do.
    if (step < 0 && c >= 0 && audio.currentTime - chStarts[c] > 2) step = 0;
    var to = Math.max(0, Math.min(chStarts.length - 1, c + step));
    if (chStarts.length) seek(chStarts[to]);
  }

  function runSearch() {
    var q = search.value.trim().toLowerCase();
    matches.forEach(function (i) { cues[i].classList.remove("match"); });
    matches = [];
    matchAt = -1;
    if (q) {
      cues.forEach(function (c, i) {
        if (c.textContent.toLowerCase().indexOf(q) >= 0) { matches.push(i); c.classList.add("match"); }
      });
    }
    found.textContent = q ? (matches.length === 1 ? "1 match" : matches.length + " matches") : "";
  }

  function nextMatch(back) {
    if (!matches.length) return;
    matchAt = (matchAt + (back ? matches.length - 1 : 1)) % matches.length;
    var i = matches[matchAt];
    userScrolled = 0;
    seek(starts[i]);
    cues[i].focus({ preventScroll: true });
  }

  cues.forEach(function (c, i) {
    c.addEventListener("click", function () { userScrolled = 0; seek(starts[i]); });
    c.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); userScrolled = 0; seek(starts[i]); }
    });
  });
  chapters.forEach(function (a, i) {
    a.addEventListener("click", function (e) { e.preventDefault(); userScrolled = 0; seek(chStarts[i]); });
  });
  function timelineSeek(e) {
    var r = canvas.getBoundingClientRect();
    if (r.width > 0) seek((e.clientX - r.left) / r.width * duration());
  }
  canvas.addEventListener("click", timelineSeek);
  canvas.addEventListener("pointermove", function (e) { if (e.buttons === 1) timelineSeek(e); });
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); nextMatch(e.shiftKey); }
    if (e.key === "Escape") { search.value = ""; runSearch(); search.blur(); }
  });
  ["wheel", "touchmove"].forEach(function (ev) {
    window.addEventListener(ev, function () { userScrolled = Date.now(); }, { passive: true });
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) return;
    var step = e.shiftKey ? 30 : 5;
    switch (e.key) {
      case " ": case "k": e.preventDefault(); if (audio.paused) audio.play(); else audio.pause(); break;
      case "ArrowLeft": case "j": e.preventDefault(); seek(audio.currentTime - step); break;
      case "ArrowRight": case "l": e.preventDefault(); seek(audio.currentTime + step); break;
      case "PageDown": case "n": e.preventDefault(); chapterJump(1); break;
      case "PageUp": case "p": e.preventDefault(); chapterJump(-1); break;
      case "Home": if (e.target === canvas) { e.preventDefault(); seek(0); } break;
      case "/": e.preventDefault(); search.focus(); break;
    }
  });
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (ev) {
    audio.addEventListener(ev, function () { update(); });
  });
  var ticking = false;
  audio.addEventListener("play", function () {
    if (ticking) return;
    ticking = true;
    (function tick() {
      update();
      if (!audio.paused) requestAnimationFrame(tick); else ticking = false;
    })();
  });
  window.addEventListener("resize", function () { draw(audio.currentTime); });
  var m = /[#&]t=([0-9.]+)/.exec(location.hash);
  if (m) audio.addEventListener("loadedmetadata", function () { seek(+m[1]); }, { once: true });
  update(0);
  window.scriptcastPlayer = { seek: seek, search: function (q) { search.value = q; runSearch(); return matches.length; } };
})();
