"""Card templates and CSS. Text and styling may change freely; the number of templates may not.

Readable on a phone and in night mode, with a font stack that renders Korean well; `keep-all`
stops Korean words from being broken mid-syllable-block. No JavaScript anywhere.
"""

from __future__ import annotations

from .code import code_css

_BASE_CSS = """\
.card {
  font-family: "Pretendard", "Apple SD Gothic Neo", "Noto Sans KR", "Noto Sans CJK KR",
    "Malgun Gothic", "Nanum Gothic", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 20px;
  line-height: 1.6;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
  word-break: keep-all;
  overflow-wrap: anywhere;
}
.fc { max-width: 42em; margin: 0 auto; padding: 0.5em 1em; }
.fc .kind { font-size: 0.7em; letter-spacing: 0.05em; text-transform: uppercase; color: #6e7781; }
.fc .question, .fc .term { font-size: 1.1em; font-weight: 600; }
.fc .context { font-size: 0.85em; color: #57606a; margin-bottom: 0.4em; }
.fc .answer ul, .fc .answer ol, .fc .more-answer ul, .fc .more-answer ol { padding-left: 1.4em; }
.fc li { margin: 0.15em 0; }
.fc code { font-family: "D2Coding", "JetBrains Mono", Menlo, Consolas, monospace; font-size: 0.9em;
  background: rgba(127, 127, 127, 0.15); padding: 0 0.2em; border-radius: 3px; }
.fc pre { overflow-x: auto; white-space: pre; word-break: normal; overflow-wrap: normal;
  background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.55em 0.8em;
  font-size: 0.8em; line-height: 1.45; }
.fc pre code { background: none; padding: 0; border-radius: 0; font-size: 1em; white-space: pre; }
.fc pre[data-lang]::before { content: attr(data-lang); display: block; margin-bottom: 0.25em;
  font: 600 0.8em system-ui, -apple-system, sans-serif; color: #6e7781; }
.fc table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse;
  margin: 0.6em 0; font-size: 0.9em; overflow-wrap: normal; word-break: keep-all; }
.fc th, .fc td { border: 1px solid #d0d7de; padding: 0.3em 0.6em; vertical-align: top; }
.fc th { background: #f6f8fa; font-weight: 600; }
.fc blockquote { margin: 0.6em 0; padding: 0.05em 0.9em; border-left: 4px solid #d0d7de;
  color: #57606a; }
.fc .math { overflow-x: auto; margin: 0.5em 0; }
/* Callout colours by kind, as variables: night mode swaps the palette, not every rule. */
.fc { --c-note: #0969da; --c-tip: #1a7f37; --c-warn: #9a6700; --c-danger: #cf222e;
  --c-ask: #8250df; }
.fc .callout { --callout: var(--c-note); margin: 0.6em 0; padding: 0.45em 0.9em;
  border-radius: 6px; border-left: 4px solid var(--callout);
  background: rgba(127, 127, 127, 0.08); }
.fc .callout-title { font-weight: 600; color: var(--callout); }
.fc .callout > p { margin: 0.3em 0; }
.fc .callout-tip, .fc .callout-hint, .fc .callout-success, .fc .callout-check,
.fc .callout-done, .fc .callout-important { --callout: var(--c-tip); }
.fc .callout-warning, .fc .callout-caution, .fc .callout-attention { --callout: var(--c-warn); }
.fc .callout-danger, .fc .callout-error, .fc .callout-bug, .fc .callout-failure,
.fc .callout-fail, .fc .callout-missing { --callout: var(--c-danger); }
.fc .callout-question, .fc .callout-help, .fc .callout-faq,
.fc .callout-example { --callout: var(--c-ask); }
.fc .more-answer { border-left: 3px solid #d0d7de; padding-left: 0.8em; margin-top: 1em; }
.fc .more-question { font-size: 0.85em; color: #57606a; }
.fc .key-terms, .fc .aliases { font-size: 0.85em; color: #57606a; margin-top: 0.8em; }
.fc .source { font-size: 0.7em; color: #6e7781; margin-top: 1.2em; }
.fc .src-line { font-family: Menlo, Consolas, monospace; }
.fc .label { font-size: 0.75em; color: #6e7781; margin-top: 0.8em; }
.fc .label + .context { margin-top: 0.1em; }
.fc a { color: #0969da; }
.cloze { font-weight: 700; color: #0969da; }
.nightMode .card, .card.nightMode, .night_mode .card, .card.night_mode {
  color: #e6edf3; background-color: #1e1e1e;
}
.nightMode .fc .context, .nightMode .fc .more-question, .nightMode .fc .key-terms,
.nightMode .fc .aliases, .nightMode .fc .label, .nightMode .fc .kind, .nightMode .fc .source,
.night_mode .fc .context, .night_mode .fc .more-question, .night_mode .fc .key-terms,
.night_mode .fc .aliases, .night_mode .fc .label, .night_mode .fc .kind, .night_mode .fc .source {
  color: #9ea7b3;
}
.nightMode .cloze, .night_mode .cloze, .nightMode a, .night_mode a { color: #58a6ff; }
.nightMode .fc pre, .night_mode .fc pre, .nightMode .fc th, .night_mode .fc th {
  background: #161b22; }
.nightMode .fc pre, .night_mode .fc pre, .nightMode .fc th, .night_mode .fc th,
.nightMode .fc td, .night_mode .fc td { border-color: #3d444d; }
.nightMode .fc pre, .night_mode .fc pre { color: #e6edf3; }
.nightMode .fc blockquote, .night_mode .fc blockquote { color: #9ea7b3;
  border-left-color: #3d444d; }
.nightMode .fc, .night_mode .fc { --c-note: #58a6ff; --c-tip: #3fb950; --c-warn: #d29922;
  --c-danger: #f85149; --c-ask: #bc8cff; }
@media (max-width: 480px) {
  .card { font-size: 18px; }
  .fc { padding: 0.25em 0.4em; }
  .fc .answer ul, .fc .answer ol { padding-left: 1.1em; }
}
"""

# Pygments' token colours (render/code.py), light, and dark under night mode.
CSS = _BASE_CSS + code_css(
    [".fc .highlight"], [".nightMode .fc .highlight", ".night_mode .fc .highlight"]
)

_SOURCE = '<div class="source">{{Source}}</div>'
_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'

TEMPLATES: dict[str, list[dict[str, str]]] = {
    "qa": [
        {
            "name": "Question → Answer",
            "qfmt": '<div class="fc"><div class="kind">Q&amp;A</div>'
            '{{#Context}}<div class="context">↳ {{Context}}</div>{{/Context}}'
            '<div class="question">{{Question}}</div></div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="fc">'
            '<div class="answer">{{Answer}}</div>'
            '{{#MoreAnswers}}<div class="more-answers">{{MoreAnswers}}</div>{{/MoreAnswers}}'
            '{{#KeyTerms}}<div class="key-terms">🔑 {{KeyTerms}}</div>{{/KeyTerms}}'
            f"{_EXTRA}{_SOURCE}</div>",
        }
    ],
    "term": [
        {
            "name": "Term → Meaning",
            "qfmt": '<div class="fc"><div class="kind">Term</div>'
            '<div class="term">{{Term}}</div></div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="fc">'
            '<div class="definition">{{Definition}}</div>'
            '{{#Aliases}}<div class="aliases">= {{Aliases}}</div>{{/Aliases}}'
            '{{#Context}}<div class="label">In your notes</div>'
            '<div class="context">{{Context}}</div>{{/Context}}'
            '{{#Questions}}<div class="label">Asked in</div>'
            '<div class="context">{{Questions}}</div>{{/Questions}}'
            f"{_EXTRA}{_SOURCE}</div>",
        },
        {
            "name": "Meaning → Term",
            "qfmt": '{{#Prompt}}<div class="fc"><div class="kind">Which term?</div>'
            '<div class="definition">{{Prompt}}</div></div>{{/Prompt}}',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="fc"><div class="term">{{Term}}</div>'
            '{{#Aliases}}<div class="aliases">= {{Aliases}}</div>{{/Aliases}}'
            f"{_EXTRA}{_SOURCE}</div>",
        },
    ],
    "cloze": [
        {
            "name": "Cloze",
            "qfmt": '<div class="fc"><div class="kind">Cloze</div>'
            '<div class="question">{{cloze:Text}}</div></div>',
            "afmt": '<div class="fc"><div class="kind">Cloze</div>'
            '<div class="question">{{cloze:Text}}</div>'
            '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
            f"{_EXTRA}{_SOURCE}</div>",
        }
    ],
}
