"""`flashcards preview`: the page generator's pieces, then the real page in headless Chromium.

Math in the end-to-end notes is written `\\\\(…\\\\)` (Markdown's escaped backslashes), which the
current rendering turns into `\\(…\\)` in the card; `$…$` is not math yet on this branch.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from ankiutil import write_notes
from browser import Browser, available
from conftest import SUMMARY

from flashcards.cli import main
from flashcards.preview import MARKER
from flashcards.preview.cards import PreviewCard
from flashcards.preview.fragments import embed_images
from flashcards.preview.mathml import to_mathml, typeset
from flashcards.preview.page import page_html

# --- math ----------------------------------------------------------------------------------


def test_inline_and_display_math_become_mathml():
    out = typeset(r"<p>It is \(x^2\) or</p><p>\[\frac{1}{2}\]</p>")
    assert '<math display="inline"><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math>' in out
    assert '<math display="block">' in out and "<mfrac>" in out
    assert "\\(" not in out and "\\[" not in out


def test_math_in_code_and_in_attributes_is_left_alone():
    fragment = r'<pre><code>print("\(x\)")</code></pre><a title="\(y\)">\(y\)</a>'
    out = typeset(fragment)
    assert out.startswith(r'<pre><code>print("\(x\)")</code></pre><a title="\(y\)">')
    assert out.count("<math") == 1


def test_entities_in_math_are_read_as_tex():
    assert "<mo>&lt;</mo>" in typeset(r"\(a &lt; b\)")


@pytest.mark.parametrize(
    "tex",
    [r"x^", r"\frac{1", r"\unknowncommand{x}", r"\href{javascript:alert(1)}{x}", r"\text{<b>}"],
)
def test_math_that_does_not_convert_cleanly_stays_as_source(tex):
    assert to_mathml(tex) is None
    escaped = tex.replace("<", "&lt;").replace(">", "&gt;")
    assert typeset(rf"<p>\({escaped}\)</p>") == rf"<p>\({escaped}\)</p>"


# --- images --------------------------------------------------------------------------------


def png(width: int = 60, height: int = 30, rgb: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))


def test_images_are_inlined_and_unknown_ones_show_their_alt_text():
    out = embed_images('<img src="fc-1.png" alt="a dot"><img src="http://x/y.png" alt="<b>">', {
        "fc-1.png": b"PNG"
    })  # fmt: skip
    assert '<img src="data:image/png;base64,UE5H" alt="a dot">' in out
    assert "http://" not in out and "[&lt;b&gt;]" in out


# --- the page ------------------------------------------------------------------------------


def card(**changes: object) -> PreviewCard:
    fields: dict[str, object] = {
        "deck": "A::B", "tags": ("t1",), "note_type": "flashcards Q&A", "template": "Q → A",
        "ord": 0, "question": "<p>Q</p>", "answer": "<p>A</p>", "css": ".card { color: red; }",
    }  # fmt: skip
    fields.update(changes)
    return PreviewCard(**fields)  # type: ignore[arg-type]


def test_page_escapes_what_it_injects():
    hostile = '"><script>alert(1)</script>'
    css = "</style><script>x</script>"
    page = page_html([card(deck=hostile, tags=(hostile,), css=css)], {}, hostile)
    assert "<script>alert(1)" not in page and "</style><script>x" not in page
    assert "<\\/style><script>x<\\/script>" in page  # inert: it cannot end the <style>
    assert page.count("</script>") == 1  # the page's own
    assert MARKER in page[:400]
    assert "default-src 'none'" in page.replace("&#x27;", "'")


# --- end to end, in Chromium ---------------------------------------------------------------

needs_chromium = pytest.mark.skipif(not available(), reason="Debian's chromium is not installed")

ALGEBRA = r"""---
deck: Math::Algebra
tags: [algebra]
---
# Algebra basics

### What is the derivative of x squared?

It is \\(2x\\), because \\(\frac{d}{dx} x^2 = 2x\\).

\\[\sum_{k=1}^{n} k = \frac{n(n+1)}{2}\\]

### What does the red dot show?

![red dot](img/dot.png)

A marker.

## Glossary

- **Gradient** — the vector of partial derivatives of a function.
"""

CODE = """---
deck: Programming
tags: [python]
---
# Python notes

### How do you double a number in Python?

```python
def double(x):
    return x * 2
```

Use `double(21)` to get 42.

### 파이썬의 리스트란 무엇인가요?

순서가 있는 **변경 가능한** 자료형입니다. An apple is not a tuple.
"""

# Visible text of every card side (inside the shadow roots), and other facts, read in the page.
SIDES = "[...document.querySelectorAll('.fc-host')].flatMap(h => [...h.shadowRoot.querySelectorAll('.pv-side > .card')])"  # noqa: E501
VISIBLE = "[...document.querySelectorAll('.fc-item')].filter(e => !e.hidden).length"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The preview of two decks of notes, and how many cards `build` says they make."""
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("preview")
    write_notes(folder, "notes/algebra.md", ALGEBRA)
    write_notes(folder, "notes/code.md", CODE)
    (folder / "notes/img").mkdir()
    (folder / "notes/img/dot.png").write_bytes(png())
    runner = CliRunner()
    built = runner.invoke(main, ["build", str(folder / "notes"), "-o", str(folder / "d.apkg")])
    summary = SUMMARY.search(built.stdout)
    assert built.exit_code == 0 and summary is not None, built.output
    out = folder / "preview.html"
    result = runner.invoke(main, ["preview", str(folder / "notes"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out}: 2 decks, {summary['cards']} cards")
    return out, int(summary["cards"])


@pytest.fixture(scope="module")
def browser() -> object:
    if not available():
        pytest.skip("Debian's chromium is not installed")
    opened = Browser()
    yield opened
    opened.close()


@needs_chromium
def test_every_card_shows_with_no_error_and_no_request(page, browser):
    path, cards = page
    browser.open(path)
    assert browser.evaluate("document.querySelectorAll('.fc-item').length") == cards
    assert browser.evaluate(f"{SIDES}.length") == 2 * cards
    assert browser.problems() == []
    assert [url for url in browser.requests() if not url.startswith("data:")] == [path.as_uri()]
    assert browser.evaluate("document.getElementById('fc-count').textContent") == (
        f"{cards} of {cards} cards"
    )


@needs_chromium
def test_math_is_mathml_and_no_tex_is_left_visible(page, browser):
    browser.open(page[0])
    assert browser.evaluate(f"{SIDES}.filter(s => s.querySelector('math')).length") >= 3
    blocks = f"{SIDES}.flatMap(s => [...s.querySelectorAll('math[display=block]')]).length"
    assert browser.evaluate(blocks) >= 1
    text = browser.evaluate(f"{SIDES}.map(s => s.innerText).join('\\n')")
    assert "\\(" not in text and "\\[" not in text and "\\frac" not in text
    assert "∑" in text  # the display formula, as MathML


@needs_chromium
def test_images_and_code_show(page, browser):
    browser.open(page[0])
    widths = browser.evaluate(
        f"{SIDES}.flatMap(s => [...s.querySelectorAll('img')]).map(i => i.naturalWidth)"
    )
    assert widths and all(width == 60 for width in widths)
    assert browser.evaluate(f"{SIDES}.some(s => s.querySelector('pre code'))")


@needs_chromium
def test_search_deck_and_tag_filters(page, browser):
    path, cards = page
    browser.open(path)

    def set_value(element: str, value: str, event: str) -> int:
        browser.evaluate(
            f"(e => {{ e.value = {value!r}; e.dispatchEvent(new Event({event!r})); }})"
            f"(document.getElementById({element!r}))"
        )
        return int(browser.evaluate(VISIBLE))

    assert set_value("fc-search", "apple TUPLE", "input") == 1
    assert set_value("fc-search", "리스트", "input") == 2  # the question, and its cloze
    assert set_value("fc-search", "no such words", "input") == 0
    assert browser.evaluate("document.getElementById('fc-none').hidden") is False
    assert set_value("fc-search", "", "input") == cards
    programming = set_value("fc-deck", "Programming", "change")
    assert 0 < programming < cards
    assert set_value("fc-deck", "Math", "change") == cards - programming  # a parent deck
    assert set_value("fc-tag", "python", "change") == 0  # both filters at once
    assert set_value("fc-deck", "", "change") == programming
    assert browser.problems() == []


@needs_chromium
def test_night_switch_sets_ankis_classes(page, browser):
    browser.open(page[0])
    night = f"{SIDES}.filter(s => s.classList.contains('nightMode') && s.classList.contains('night_mode')).length"  # noqa: E501
    background = f"getComputedStyle({SIDES}[0]).backgroundColor"
    assert browser.evaluate(night) == 0
    light = browser.evaluate(background)
    browser.evaluate("document.getElementById('fc-night').click()")
    assert browser.evaluate(night) == 2 * page[1]
    assert browser.evaluate(background) != light
    browser.evaluate("document.getElementById('fc-night').click()")
    assert browser.evaluate(night) == 0


@needs_chromium
def test_screenshots(page, browser, tmp_path):
    """Phone and desktop widths, light and night. FLASHCARDS_SCREENSHOTS=folder keeps them."""
    keep = os.environ.get("FLASHCARDS_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    for width in (390, 1000):
        browser.open(page[0], width=width, height=1200)
        for mode in ("light", "night"):
            if mode == "night":
                browser.evaluate("document.getElementById('fc-night').click()")
            shot = browser.screenshot(folder / f"preview-{width}-{mode}.png", full_page=True)
            assert shot.read_bytes().startswith(b"\x89PNG")
        assert browser.evaluate("document.documentElement.scrollWidth") <= width  # no sideways
    assert browser.problems() == []
