"""What a definition looks like, line by line: the shapes definitions.py looks for.

* `definition_line` — `Term: definition` and its kin (`**Term**: …`, `**Term :** …`,
  `` `Term` — … ``, `Term = …`), the leading list marker or arrow aside;
* `defining_sentences` — a sentence that opens with what it defines ("X란 …", "X는 …을
  말한다", "X is a …", "X refers to …");
* `asks_what` — the term a question asks the meaning of ("What is X?", "X란 무엇인가요?");
* `named` — words that can name a term at all (no math, markup, code or list of things).
"""

from __future__ import annotations

import re

from .questions import Q_PREFIX, strip_lead
from .vocabulary import definition, plain

_EQUALS = re.compile(r"^\s*(?P<term>[^=\n]{1,60}?)\s+=\s+(?P<text>[^=].*)$", re.S)
_BOLD_WITH_COLON = re.compile(
    r"^\s*(?:\*\*|__)(?P<term>[^*_]+?)\s*[:：]\s*(?:\*\*|__)\s*(?P<text>.+)$"
)
_LEADING_SYMBOLS = re.compile(r"^(?:[\W_]*?(?=[\w(`*]))(?:[a-zA-Z][.)]\s+)?")  # "↔ ", "f. "
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+(?=\S)")
# What a Korean definition says its subject is: "X는 …하는 방법이다", "X은 …을 측정하는 지표입니다".
_KIND_OF_THING = (
    r"(?:방법|기법|방식|기술|알고리즘|현상|과정|구조|개념|함수|모델|지표|기능|상태|규약|형식|값)"
    r"(?:이다|입니다|임|이에요|예요)"
)
# The term's other spelling may follow it in brackets: "Latent Semantic Analysis (LSA) is a …".
_SPELLED = r"(?:\s*\([^()]{1,60}\))?"
_SAYS_WHAT = (
    # The name last: "…하는 방법을 경사하강법이라고 한다", "…, this is called the dataset shift."
    re.compile(
        r"^(?P<rest>.{8,}?)(?:을|를)\s+(?P<term>[^,.:?!을를]{2,40}?)\s*(?:이)?라고\s*"
        r"(?:한다|합니다|함|부른다|부릅니다|부름|칭한다|칭함)[.!]?$"
    ),
    re.compile(
        r"^(?P<rest>.{8,}?),?\s+(?:this|that|it|which)\s+is\s+(?:also\s+|often\s+)?"
        r"(?:called|known\s+as|referred\s+to\s+as|termed)\s+(?:the\s+|an?\s+)?"
        rf"(?P<term>[A-Za-z][\w\-' ]{{1,48}}?{_SPELLED})\s*[.!]?$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?P<term>[^,.:?!()]{2,40}?)(?:이)?란,?\s+(?P<rest>.{8,})$"),
    re.compile(
        r"^(?P<term>[^,.:?!()]{2,40}?)(?:은|는|이란)\s+(?P<rest>.{4,}?(?:(?:말한다|뜻한다|의미한다|"
        r"가리킨다|말합니다|뜻합니다|의미합니다|가리킵니다|라고\s*(?:한다|합니다|부른다))[.!]?|"
        r"(?:말하는데|말하며|뜻하며|의미하며|의미하는데),?\s.+))$"
    ),
    re.compile(rf"^(?P<term>[^,.:?!()]{{2,40}}?)(?:은|는)\s+(?P<rest>.{{6,}}?{_KIND_OF_THING}[.!]?)$"),
    re.compile(
        rf"^(?:(?:An?|The)\s+)?(?P<term>[A-Za-z][\w\-' ]{{1,48}}?{_SPELLED})\s+(?:is|are)\s+"
        r"(?P<rest>(?!an?\s+example\b)(?:an?|the|one|any|defined\s+as|known\s+as|called|used\s+to)\s.{8,})$"
    ),
    re.compile(
        rf"^(?:(?:An?|The)\s+)?(?P<term>[A-Za-z][\w\-' ]{{1,48}}?{_SPELLED})\s+"
        r"(?P<rest>(?:refers?\s+to|means|stands\s+for)\s.{4,})$"
    ),
)
_WHAT_IS = (
    re.compile(
        r"^(?:what\s+(?:is|are|does)\s+(?:meant\s+by\s+)?(?:an?\s+|the\s+)?|"
        r"define\s+(?:an?\s+|the\s+)?)"
        r"(?P<term>[^?,]{2,50}?)(?:\s+(?:mean|stand\s+for))?\s*[?.]?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?P<term>[^?,]{2,40}?)\s*(?:이란|란|은|는|이|가)\s*(?:무엇인가요|무엇인가|무엇입니까|무엇일까요|"
        r"뭔가요|뭘까요|뭐야|무엇이죠|어떤\s*것인가요)\s*[?？]?$"
    ),
    re.compile(r"^(?P<term>[^?,]{2,40}?)\s*(?:이란|란)\s*[?？]$"),
)
# Words that open a Korean sentence and are not part of what it defines ("먼저 교차 검증은 …").
_KOREAN_OPENER = re.compile(
    r"^(?:먼저|우선|또|또한|그리고|그래서|따라서|즉|특히|결국|보통|주로|이때|여기서|그러나|하지만|"
    r"반면|반면에|다음으로|마지막으로|한편)\s+"
)
SEPARATOR = re.compile(r"[:：—–=]|(?:\*\*|__)\s*-\s")
_DEFINING_WORD = re.compile(
    rf"란[\s,]|{_KIND_OF_THING}|말하는데|[말뜻]하며|의미하며|의미하는데|"
    r"말한다|뜻한다|의미한다|가리킨다|말합니다|뜻합니다|의미합니다|가리킵니다|라고\s*(?:한다|합니다|함|부른다|부릅니다|부름|칭한다|칭함)|"
    r"\b(?:is|are|refers?|means|stands)\s"
)
# A Korean word that ends in a topic or object particle, or a verb made an adjective ("진행하는",
# "학습된"), ends a clause: no name has one inside it.
_CLAUSE = re.compile(r"[가-힣](?:는|은|을|를|된)\s")
# What never stands in a term's name: math, markup, code, a list of several things.
_NOT_IN_A_NAME = re.compile(r"[$\\|\[\]{}<>=!?？,;#*`~+^]|https?:|\.\w{2,4}$")
WORD = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more, in any script


def named(term: str) -> bool:
    """Words that can name a term: a few words with two letters or more, balanced brackets, no
    math, markup or code."""
    letters = sum(1 for c in term if c.isalpha())
    if letters < 2 or len(term.split()) > 6 or len(term) > 60 or _NOT_IN_A_NAME.search(term):
        return False
    return term.count("(") == term.count(")") and term.count("（") == term.count("）")


def says(text: str) -> bool:
    """A definition that says something: words, not math, and not a question."""
    text = text.strip()
    return len(text) >= 4 and not text.endswith(("?", "？")) and WORD.search(text) is not None


def definition_line(raw: str) -> tuple[str, str] | None:
    """`Term: definition` and its kin: the term, and the definition as Markdown."""
    if not SEPARATOR.search(raw):
        return None  # most lines: no need to read them closer
    raw = strip_lead(raw)
    if Q_PREFIX.match(raw):
        return None
    found = definition(raw)
    if found is None and (match := _BOLD_WITH_COLON.match(raw)):
        found = plain(match.group("term")), match.group("text")
    if found is None and (match := _EQUALS.match(raw)):
        found = plain(match.group("term")), match.group("text")
    if found is None:
        return None
    term = _LEADING_SYMBOLS.sub("", found[0]).strip()
    meaning = found[1].strip().rstrip("\\").strip()
    return (term, meaning) if named(term) and says(plain(meaning)) else None


def open_term(raw: str) -> str | None:
    """A line that is only a term and a colon (`Categorical variable:`), its meaning below it."""
    if not raw.rstrip().rstrip("*_` ").endswith((":", "：")):
        return None
    text = plain(strip_lead(raw)).strip()
    if not text.endswith((":", "：")):
        return None
    term = _LEADING_SYMBOLS.sub("", text[:-1]).strip()
    return term if named(term) else None


def may_define(raw: str) -> bool:
    """Whether a line has a word that defining sentences use: most lines have none."""
    return _DEFINING_WORD.search(raw) is not None


def sentences(text: str) -> list[str]:
    """A line of text cut after each `.`, `!`, `?` or `。` followed by a space."""
    return _SENTENCE_END.split(text.strip())


def defining_sentences(text: str) -> list[tuple[str, str]]:
    """Each sentence of a line of plain text that defines what it opens with: (term, sentence)."""
    found = []
    for sentence in sentences(strip_lead(text)):
        sentence = sentence.strip().rstrip("\\ ")
        if not says(sentence):
            continue
        for pattern in _SAYS_WHAT:
            match = pattern.match(sentence)
            if match and named(term := _LEADING_SYMBOLS.sub("", match.group("term")).strip()):
                term = _KOREAN_OPENER.sub("", term)
                if _CLAUSE.search(f"{term} "):
                    continue  # "…을 진행하는 기법": a clause, not a name; another shape may fit
                found.append((term, sentence))
                break
    return found


def asks_what(question: str) -> str | None:
    """The term whose meaning a question asks: "What is X?", "Define X", "X란 무엇인가요?"."""
    text = _LEADING_SYMBOLS.sub("", question.strip()).strip()
    for pattern in _WHAT_IS:
        match = pattern.match(text)
        if match:
            term = match.group("term").strip()
            plural_or_pair = re.search(
                r"\s(?:and|or|vs\.?|between|와|과|및)\s|(?<=[A-Za-z])[와과]\s", f" {term} "
            )
            return None if plural_or_pair or not named(term) else term
    return None
