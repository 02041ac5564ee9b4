"""Code, tables, callouts and night mode on real Anki cards: fenced code highlighted by Pygments
(classes, no inline styles, its language shown), nothing from the notes live, Obsidian callouts
as boxes, tables that scroll, and a stylesheet legible in night mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ankiutil import built_collection, import_apkg, live_html_problems, visible_text, write_notes
from click.testing import CliRunner

from flashcards.cli import main
from flashcards.render import html

NOTES = """# Week 6 Code

## Softmax는 어떻게 구현하나요?

```python
def softmax(z):
    return np.exp(z) / np.exp(z).sum()  # "</code></pre><script>alert(1)</script>"
```

```nosuchlang
<script>alert(2)</script> plain text
```

```python" onmouseover="alert(3)
x = 1
```

| Model | Parameters | Notes |
|---|---|---|
| Transformer | 65M | encoder and decoder |

> [!warning]- Numerical stability
> Subtract the **maximum** logit first.

> [!tip]
> Use the library function.

> An ordinary quote.
"""
STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The Q&A card's back without its CSS, and the CSS."""
    folder = tmp_path_factory.mktemp("code")
    col = built_collection(folder, "code.md", NOTES)
    try:
        [cid] = [
            c for c in col.find_cards("") if col.get_card(c).note_type()["name"].endswith("Q&A")
        ]
        answer = col.get_card(cid).answer()
    finally:
        col.close()
    css = "".join(STYLE.findall(answer))
    return STYLE.sub("", answer), css


def test_fenced_code_is_highlighted_with_classes_and_its_language(card):
    answer, _ = card
    assert '<pre class="highlight" data-lang="python"><code><span class="k">def</span>' in answer
    assert '<span class="nf">softmax</span>' in answer
    block = answer[answer.index('<pre class="highlight"') : answer.index("</pre>")]
    assert "style=" not in block


def test_code_never_runs_and_an_unknown_language_is_plain(card):
    answer, _ = card
    assert live_html_problems(answer) == []
    comment = (
        '<span class="c1"># "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"</span>'
    )
    assert comment in answer  # highlighted, and still text
    assert "<pre><code>&lt;script&gt;alert(2)&lt;/script&gt; plain text\n</code></pre>" in answer
    assert "<pre><code>x = 1\n</code></pre>" in answer  # a label that is no language: none
    assert 'data-lang="nosuchlang"' not in answer and "onmouseover=" not in answer


def test_callouts_render_as_boxes_with_a_title(card):
    answer, _ = card
    assert (
        '<div class="callout callout-warning">\n<div class="callout-title">Numerical stability'
        "</div>\n<p>Subtract the <strong>maximum</strong> logit first.</p>\n</div>"
    ) in answer
    assert '<div class="callout callout-tip">\n<div class="callout-title">Tip</div>' in answer
    assert "<blockquote>\n<p>An ordinary quote.</p>\n</blockquote>" in answer
    assert "[!" not in visible_text(answer)


def test_stylesheet_styles_blocks_tables_and_night_mode(card):
    _, css = card
    assert re.search(r"\.fc pre \{[^}]*overflow-x: auto;[^}]*white-space: pre;", css)
    assert re.search(r"\.fc pre code \{[^}]*background: none;", css)  # not inline-code styling
    assert re.search(r"\.fc table \{[^}]*display: block;[^}]*overflow-x: auto;", css)
    assert re.search(r"\.fc table \{[^}]*overflow-wrap: normal;", css)  # no mid-word breaks
    assert re.search(r"\.fc th, \.fc td \{[^}]*border:", css)
    assert ".fc .highlight .k {" in css and ".nightMode .fc .highlight .k," in css
    assert re.search(r"\.nightMode a, \.night_mode a \{ color: #58a6ff; \}", css)
    for night in (".nightMode .fc pre", ".nightMode .fc td", ".nightMode .fc blockquote"):
        assert night in css
    assert re.search(r"\.nightMode \.fc, \.night_mode \.fc \{ --c-note:", css)


def test_only_text_that_needs_it_leaves_the_fast_parser():
    needs_rich = html.needs_rich
    assert not needs_rich("plain **bold**, `code`, a [link](https://x.org) and | a | table |")
    for text in ("$x$", r"\(x\)", "```py\nx\n```", "~~~\nx\n~~~", "> [!note]\n> x", "![a](b.png)"):
        assert needs_rich(text), text


def test_a_callout_title_and_body_are_sanitised(tmp_path: Path):
    rendered = html.markdown_html(
        "> [!note] <img src=x onerror=alert(1)>\n> [x](javascript:alert(1))", {}
    )
    assert live_html_problems(rendered) == []
    assert rendered.startswith('<div class="callout callout-note">')


def test_a_callout_marker_is_never_part_of_a_term_context(tmp_path: Path):
    """`[!note]` is markup for the renderer: a term card's context quotes the callout's words."""
    folder = tmp_path / "notes"
    write_notes(folder, "reg.md", (
        "# Regularisation\n\n> [!note]- Weight decay in one line\n"
        "> **Weight decay** shrinks every weight toward zero at each step.\n\n"
        "## Glossary\n\n- **Weight decay**: shrinking weights toward zero at each update.\n"
    ))  # fmt: skip
    apkg = tmp_path / "reg.apkg"
    assert CliRunner().invoke(main, ["build", str(folder), "-o", str(apkg)]).exit_code == 0
    col, _ = import_apkg(apkg, tmp_path / "collection.anki2")
    term = col.get_note(col.find_notes('"note:flashcards Term"')[0])
    back = visible_text(col.get_card(term.card_ids()[0]).answer())
    assert "Weight decay in one line" in back and "[!note]" not in back, back
