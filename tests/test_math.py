r"""Math on real Anki cards: `$…$`/`$$…$$` become MathJax's `\(…\)`/`\[…\]`, untouched by Markdown,
currency stays text, a user's own `\(…\)` survives, a `}}` inside math never ends a cloze, and
math never becomes a key term."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from ankiutil import built_collection, visible_text, write_notes
from click.testing import CliRunner

from flashcards.cli import main
from flashcards.enrich.terms.junk import masked

NOTES = r"""# Week 5 Attention

## Glossary

- **Softmax** — a function that turns a vector of scores into probabilities.

## Attention은 어떻게 계산하나요?

Scores는 $QK^{\top}$ 를 $\sqrt{d_k}$ 로 나눈 값이고, $a*b*c$ 와 $a_1 * b_2$ 는 곱입니다.

$$
\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(\frac{QK^{\top}}{\sqrt{d_{k}}}\right) V
$$

$$
\mathcal{L}_{CE} = -\sum_{i} y_i \log p_i
$$

A GPU costs $5 and $10 per hour, and \$3 for storage of $n$ models.
Anki style \(x^2\) and \[y^{2}\] stay.

Softmax is applied row by row: $$\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_{j}}}$$ for every query.

We divide the loss by **$\frac{1}{n^{2}}$** to keep the gradients small.
"""
STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
MATH_WORDS = {"qk", "ce", "frac", "sqrt", "mathrm", "mathcal", "sum", "top", "log", "attention"}


@pytest.fixture(scope="module")
def cards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str, Any]]]:
    """Each note type's cards as (question, answer, note), the CSS left out."""
    folder = tmp_path_factory.mktemp("math")
    col = built_collection(folder, "lecture.md", NOTES)
    try:
        found: dict[str, list[tuple[str, str, Any]]] = {}
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            note = card.note()
            sides = (
                STYLE.sub("", card.question()),
                STYLE.sub("", card.answer()),
                dict(note.items()),
            )
            found.setdefault(note.note_type()["name"], []).append(sides)
        return found
    finally:
        col.close()


def qa_answer(cards: dict[str, list[tuple[str, str, Any]]]) -> str:
    [(_, answer, _)] = cards["flashcards Q&A"]
    return answer


def test_dollar_math_renders_as_mathjax_delimiters(cards):
    answer = qa_answer(cards)
    assert r"\(QK^{\top}\)" in answer and r"\(\sqrt{d_k}\)" in answer
    assert r"\[\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\left(" in answer
    assert r"\[\mathcal{L}_{CE} = -\sum_{i} y_i \log p_i\]" in answer
    assert r"\[\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_{j}}}\]" in answer  # $$ inside a line
    assert not re.search(r"\$[^$\d\s][^$]*\$", answer)  # no $…$ math left (currency: $5)


def test_math_is_untouched_by_emphasis_and_escapes(cards):
    answer = qa_answer(cards)
    assert r"\(a*b*c\)" in answer and r"\(a_1 * b_2\)" in answer
    assert "<em>" not in answer


def test_currency_and_escaped_dollars_stay_text(cards):
    text = visible_text(qa_answer(cards))
    assert r"A GPU costs $5 and $10 per hour, and $3 for storage of \(n\) models." in text


def test_anki_style_math_keeps_its_backslashes(cards):
    answer = qa_answer(cards)
    assert r"Anki style \(x^2\) and \[y^{2}\] stay." in answer


def test_double_brace_inside_math_does_not_end_the_cloze(cards):
    [(question, answer, note)] = cards["flashcards Cloze"]  # one note, one card
    assert r"{{c1::\(\frac{1}{n^{2} }\)}}" in note["Text"]
    assert re.search(r"We divide the loss by \[\.\.\.\] to keep the gradients small\.",
                     visible_text(question))  # fmt: skip
    assert r"\(\frac{1}{n^{2} }\)" in answer  # the whole formula on the back


def test_display_formula_in_a_term_context_stays_display(cards):
    backs = [answer for _, answer, note in cards["flashcards Term"] if note["Context"]]
    assert backs, "Softmax's card lists where the notes use it"
    assert (
        r"Softmax is applied row by row: \[\sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_{j}}}\]"
        in (backs[0])
    )
    assert "$$" not in backs[0]


def test_math_is_never_a_key_term(cards, tmp_path: Path):
    [(_, _, note)] = cards["flashcards Q&A"]
    keys = {k.strip().casefold() for k in visible_text(note["KeyTerms"]).split(",")}
    assert "softmax" in keys and not keys & MATH_WORDS
    notes = write_notes(tmp_path, "lecture.md", NOTES)
    result = CliRunner().invoke(main, ["terms", str(notes), "--format", "json"])
    terms = json.loads(result.stdout)
    names = {t["term"].casefold() for t in (terms["terms"] if isinstance(terms, dict) else terms)}
    assert not names & MATH_WORDS, names


def test_math_spans_and_latex_markup_are_masked_from_term_search():
    line = r"a \(QK\) b \[CE\] c $$\nKL\n$$ d \frac \mathcal frac mathcal GAN"
    assert masked(line).split() == ["a", "b", "c", "d", "GAN"]


def test_unclosed_math_openers_take_linear_time():
    import time

    from flashcards.read.blocks import parse
    from flashcards.render.html import markdown_html

    text = "\\(" * 80_000 + " \\[" * 40_000
    start = time.perf_counter()
    parse(text)
    html = markdown_html(text, {})
    assert time.perf_counter() - start < 5  # linear: under a second; quadratic: over 20 s
    assert html.startswith("<p>((")  # unclosed: an escaped parenthesis, as in CommonMark
