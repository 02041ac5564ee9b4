"""The preview page's own style and script (inline: the page fetches nothing).

The script only reads text and toggles classes and `hidden`: it never parses, evaluates or
inserts card content. The page's Content-Security-Policy allows this script alone (by its hash).
"""

from __future__ import annotations

import base64
import hashlib

PAGE_CSS = """\
:root { color-scheme: light; --bg: #f3f4f6; --fg: #1f2328; --muted: #57606a; --line: #d0d7de;
  --panel: #ffffff; }
body.fc-night { color-scheme: dark; --bg: #0d1117; --fg: #e6edf3; --muted: #9ea7b3;
  --line: #30363d; --panel: #161b22; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK KR", sans-serif; }
.fc-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 8px;
  align-items: center; padding: 10px 12px; background: var(--panel);
  border-bottom: 1px solid var(--line); }
.fc-bar input[type=search] { flex: 1 1 14em; min-width: 0; }
.fc-bar input[type=search], .fc-bar select { font: inherit; padding: 5px 8px; color: var(--fg);
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; max-width: 100%; }
.fc-bar label { display: inline-flex; gap: 4px; align-items: center; white-space: nowrap; }
.fc-count { color: var(--muted); font-size: 0.9em; white-space: nowrap; }
main { padding: 12px; display: grid; gap: 16px; max-width: 1400px; margin: 0 auto; }
.fc-item { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; min-width: 0; }
.fc-meta { font-size: 0.8em; color: var(--muted); padding: 2px 4px 8px; overflow-wrap: anywhere; }
.fc-meta .fc-deck { font-weight: 600; color: var(--fg); }
.fc-none { padding: 2em; text-align: center; color: var(--muted); }
"""

# Inside each card's shadow root, before the note type's CSS: only the frame around the sides.
FRAME_CSS = """\
.pv-sides { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
@media (max-width: 760px) { .pv-sides { grid-template-columns: 1fr; } }
.pv-side { min-width: 0; }
.pv-label { font: 600 11px/1.6 system-ui, sans-serif; letter-spacing: 0.06em;
  text-transform: uppercase; color: #8c959f; margin: 0 0 4px 2px; }
.card { padding: 12px 8px; border-radius: 6px; border: 1px solid rgba(127, 127, 127, 0.25);
  min-height: 4em; overflow-x: auto; }
.fc-missing-image { color: #8c959f; }
math[display=block] { margin: 0.5em 0; }
"""

PAGE_JS = """\
(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var search = byId("fc-search"), deck = byId("fc-deck"), tag = byId("fc-tag");
  var night = byId("fc-night"), count = byId("fc-count"), none = byId("fc-none");
  var items = Array.prototype.map.call(document.querySelectorAll(".fc-item"), function (el) {
    var host = el.querySelector(".fc-host");
    var sides = host && host.shadowRoot ? host.shadowRoot.querySelectorAll(".pv-side > .card") : [];
    var text = el.querySelector(".fc-meta").textContent;
    Array.prototype.forEach.call(sides, function (side) { text += " " + side.textContent; });
    return { el: el, sides: sides, text: text.toLowerCase(),
             deck: el.getAttribute("data-deck"), tags: " " + el.getAttribute("data-tags") + " " };
  });
  function matches(item, words, d, t) {
    if (d && item.deck !== d && item.deck.indexOf(d + "::") !== 0) { return false; }
    if (t && item.tags.indexOf(" " + t + " ") < 0) { return false; }
    return words.every(function (w) { return item.text.indexOf(w) >= 0; });
  }
  function apply() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    items.forEach(function (item) {
      var on = matches(item, words, deck.value, tag.value);
      item.el.hidden = !on;
      shown += on ? 1 : 0;
    });
    count.textContent = shown + " of " + items.length + " cards";
    none.hidden = shown > 0;
  }
  function setNight(on) {
    document.body.classList.toggle("fc-night", on);
    items.forEach(function (item) {
      Array.prototype.forEach.call(item.sides, function (side) {
        side.classList.toggle("nightMode", on);
        side.classList.toggle("night_mode", on);
      });
    });
  }
  search.addEventListener("input", apply);
  deck.addEventListener("change", apply);
  tag.addEventListener("change", apply);
  night.addEventListener("change", function () { setNight(night.checked); });
  if (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches) {
    night.checked = true;
  }
  setNight(night.checked);
  apply();
})();
"""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
