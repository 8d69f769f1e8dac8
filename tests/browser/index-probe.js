// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluated in a batch's OUTDIR/index.html by tests/browser/cdp.py (never
// shipped): the episode links a visitor sees, and whether each one's page
// loads with its audio (fetched here the way a click would open it).
async function (q) {
  const links = Array.from(document.querySelectorAll("ol.episodes h3 a"));
  const out = { episodes: links.map((a) => a.getAttribute("href")), titles: links.map((a) => a.textContent) };
  out.feedLink = !!document.querySelector('a[href="feed.xml"]');
  return out;
}
