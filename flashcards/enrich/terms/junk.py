"""What is never a key term, however it is written: links, file and image names, HTML tags and
CSS, LaTeX, code identifiers, export defaults ("Untitled 3", "image7") and conference names.
`masked` blanks it out of a line before its terms are looked for (lexicon.runs)."""

from __future__ import annotations

import re

JUNK = re.compile(
    r"https?://\S+|www\.\S+|\S+\.(?:png|jpe?g|gif|svg|webp|bmp|pdf|md|py|ipynb|html?|css|js|json|"
    r"ya?ml|txt|csv|zip)\b|</?[A-Za-z][^>]*>|"
    # Math, as the parser leaves it in the text (read/parsers.py): `$$…$$` over lines, `\(…\)`,
    # `\[…\]`, `$…$` (bounded: a stray opener must not scan the rest of a long text); then any
    # LaTeX command, and the bare names of LaTeX's own markup.
    r"\$\$[\s\S]{1,2000}?\$\$|\\\([^\n]{1,500}?\\\)|\\\[[\s\S]{1,2000}?\\\]|\$[^$\n]+\$|\\[A-Za-z]+|"
    r"\b(?:[dt]?frac|math(?:cal|bb|rm|bf|it|sf|tt|frak)|boldsymbol|operatorname|[cvdl]?dots|"
    r"sqrt|infty|nabla|leq|geq|neq|approx|qquad|text(?:bf|it|rm)|hline)\b|"
    r"\b[A-Za-z_]\w*(?:[._][A-Za-z_]\w*)+(?:\([^)]{0,20}\))?|\b[A-Za-z_]\w*\([a-z_, ]{0,6}\)|"
    r"(?i:\b(?:background|font|text|border|margin|padding|color|width|height|display)"
    r"(?:-[a-z]+)*\s*:[^;\n]*;)|\b(?:Untitled|Pasted image)(?:\s*\d+)?\b|"
    r"\b(?:image|img|screenshot)\s*\d+\b|"
    r"\b(?:CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|KDD|SIGGRAPH|"
    r"arXiv|IEEE|ACM|BMVC|WACV)(?:\s*['’]?\d{2,4})?\b"
)


def masked(text: str) -> str:
    """The line with what is never a term blanked out, every other character where it was."""
    return JUNK.sub(lambda m: " " * len(m.group()), text) if text else text
