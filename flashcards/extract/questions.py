"""What reads as a question, what marks an answer, and what is no answer at all: the vocabulary
every question convention shares (the rules decide where it applies).

* `asks` — a question by its ending: `?`, a Korean interrogative or request ending;
* `reads_as_question` — also an English question or instruction by its first word ("What is …",
  "Explain …"), or a numbered question ("Q3- …"): for text that already stands out as a question
  would (a heading, a bold paragraph);
* `Q_PREFIX`, `A_PREFIX`, `ANSWER_LABEL`, `ARROW` — the markers of prefixed lines;
* `no_answer_reason` — an answer that is none: not known yet ("더 조사 후 답변", "TBD"), a
  template's placeholder, or only a link to one elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

from ..text import ANSWER_WORD, asks

# What a line may start with before its marker: indentation (non-breaking spaces too), a quote,
# a heading's hashes, a list bullet or number.
_SPACE = r"(?:[\s\u00a0]|&nbsp;|&#160;)"
LEAD = re.compile(rf"^(?:{_SPACE}|[>#])*(?:(?:[-*+‣•◦▪]|\d{{1,3}}[.)]){_SPACE}+)?{_SPACE}*")
_OPEN = r"(?:\*\*|__|\*|_)?"
_QUESTION_WORD = r"(?:Q|(?i:question|quiz)|질문|문제|문)"
Q_PREFIX = re.compile(
    rf"^{_OPEN}\s*(?:{_QUESTION_WORD}\s*(?:[:.：)\]]|\s[-–—](?=\s*\w))|"
    rf"(?:Q|(?i:question|quiz)|질문|문제)\s*\d+\s*(?:[:.：)\]\-–—]|(?=\s)))\s*{_OPEN}\s*"
)
A_PREFIX = re.compile(rf"^{_OPEN}\s*{ANSWER_WORD}\s*\d*\s*[:.：)\]]\s*{_OPEN}\s*")
# A paragraph that says only that the answer follows.
ARROW = re.compile(r"^(?:->|→|=>|⇒|➡️?|—>)\s*")

_ENGLISH_ASKS = re.compile(
    r"^(?:(?:what|who|how|where)['’]s|(?:what|why|how|when|which|who|whom|whose|where|is|are|was|"
    r"were|can|could|do|does|did|should|would|will|shall|have|has)(?=\s)(?!\s+to\b))",
    re.IGNORECASE,
)
_INSTRUCTS = re.compile(
    r"^(?:explain|define|describe|compare|contrast|list|name|give|state|discuss|differentiate|"
    r"distinguish|summari[sz]e|outline|illustrate|derive|prove|tell\s+me|identify|justify)\b"
    r"(?!\s+(?:of|for)\b)",
    re.IGNORECASE,
)
# Verbs that instruct only with an object after them ("Analyze this dataset", not "Design
# Patterns").
_INSTRUCTS_WITH_OBJECT = re.compile(
    r"^(?:analy[sz]e|calculate|estimate|design|implement|write|suggest|propose|evaluate|"
    r"interpret|predict|build|find|show)\s+(?:this|these|the|a|an|your|how|why|what|which|when)\b",
    re.IGNORECASE,
)
_LEADING_ASIDE = re.compile(r"^[(（\[][^)）\]]{1,40}[)）\]]\s*(?=\w)")
_NUMBERED_Q = re.compile(r"^Q\s*\d+\b")


def reads_as_question(text: str) -> bool:
    """A question by its ending, its first word (past a leading aside such as "(Given a
    dataset)"), or its number."""
    text = _LEADING_ASIDE.sub("", text.strip().lstrip("*_ "))
    return (
        asks(text)
        or bool(Q_PREFIX.match(text))
        or bool(_NUMBERED_Q.match(text))
        or bool(_ENGLISH_ASKS.match(text))
        or bool(_INSTRUCTS.match(text))
        or bool(_INSTRUCTS_WITH_OBJECT.match(text))
    )


def strip_lead(line: str) -> str:
    """A source line without its indentation, list marker, quote mark or heading hashes."""
    return line[LEAD.match(line).end() :]  # type: ignore[union-attr]  # LEAD matches any text


def question_text(line: str) -> str | None:
    """The question a prefixed line asks ("Q. …", "**Q3- …**", "Quiz. …"), else None."""
    body = strip_lead(line)
    match = Q_PREFIX.match(body)
    if match is None:
        return None
    return _unwrap(body, body[match.end() :])


def answer_text(line: str) -> str | None:
    """The answer a prefixed line gives ("A. …", "답변: …", "-> …"), else None."""
    body = strip_lead(line)
    match = A_PREFIX.match(body) or ARROW.match(body)
    if match is None:
        return None
    return _unwrap(body, body[match.end() :])


def _unwrap(body: str, rest: str) -> str:
    """What follows a marker, without the spaces after it and the closing of a bold marker
    (`**Q. a whole bold question**`)."""
    rest = re.sub(rf"^{_SPACE}+", "", rest).rstrip()
    opener = re.match(r"\*\*|__", body)
    if opener and rest.endswith(opener.group()):
        rest = rest[: -len(opener.group())].rstrip()
    return rest


def is_label(text: str) -> bool:
    """A short line that names a part of the notes rather than saying something: `[지난 질문들]`,
    `📒 [강의 관련 질문]`, `🔍 복습` — an answer never runs past one."""
    text = text.strip()
    if not text or len(text) > 60 or "\n" in text:
        return False
    core = text.rstrip(":： ")
    if not core:
        return False
    if re.fullmatch(r"\W*\[[^\]]+\]\W*", core):
        return True
    return unicodedata.category(core[0]) == "So"  # starts with an emoji or a symbol


# Answers that are none yet: the note-taker's own word that it is still open.
_PENDING = re.compile(
    r"더\s*조사|조사\s*후|후\s*(?:토의|논의|공유|답변)|(?:토의|논의|확인)\s*(?:예정|필요)|추후|"
    r"내일\s*답|나중에\s*(?:답|정리|추가|확인)|모르겠|잘\s*모름|"
    r"아직\s*(?:모르|해결|답|정리|작성|못|찾지)|해결(?:하지|되지)\s*못|여전히\s*(?:진행|해결|모르|궁금)|"
    r"미해결|미정|작성\s*중|\bTBD\b|\bTBA\b|\bTODO\b|"
    r"to\s+be\s+(?:added|done|determined|answered)|not\s+sure|no\s+idea|unanswered|don'?t\s+know",
    re.IGNORECASE,
)
# Put off to later: no answer when that is all the answer says ("다음 주에 더 알아보자"), but
# often only the start of one ("다음주에 배울 것 같습니다. 2강에서 배웠던 …").
_LATER = re.compile(
    r"다음\s*(?:주|시간|번|강의)에|알아보자|알아볼\s*(?:것|예정)|next\s+(?:week|time|lecture|class)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"(?:내용|작성|content|contents|tbd|todo|없음|n/a|-+|\.{2,}|…+)",
    re.IGNORECASE,
)
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?。]|다\s|요\s|$)", re.S)
# Words that send the reader elsewhere for the answer ("a better explanation is given in …").
_ELSEWHERE = re.compile(
    r"explanation|explained|\bsee\b|refer|\bread\b|details|more\s+(?:info|on)|write-?up|"
    r"(?:given|found|covered|described)\s+(?:in|at|on)|look\s+at|check\s+(?:out)?|tutorial|"
    r"article|참고|참조|자세한|설명은|보세요|읽어",
    re.IGNORECASE,
)
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\([^)]*\)|<https?://[^>]*>|(?<!\()https?://\S+")


def _only_questions_left(text: str) -> bool:
    """Nothing but list markers and questions: links to answers elsewhere, and more questions."""
    lines = [strip_lead(line).strip(" *_.,:;") for line in text.split("\n")]
    return all(asks(line) for line in lines if line)


def no_answer_reason(answer: str) -> str | None:
    """Why a question's answer is no answer (a warning says it), else None."""
    text = " ".join(answer.split())
    plain = text.strip("*_`> ")
    if not plain or _PLACEHOLDER.fullmatch(plain):
        return "its answer is a template's placeholder"
    first = _FIRST_SENTENCE.match(plain)
    if first is not None and len(first.group()) <= 60 and _PENDING.search(first.group()):
        return "its answer says it is not known yet"
    if len(plain) <= 60 and _LATER.search(plain):
        return "its answer puts it off to later"
    around = _LINK.sub("", text).strip(" .:-")
    if _LINK.search(text) and _only_questions_left(_LINK.sub("", answer)):
        return "its answer is only links to one elsewhere"
    single = "\n" not in answer.strip()
    if _LINK.search(text) and single and len(around) <= 50 and _ELSEWHERE.search(around):
        return "its answer only points to one elsewhere"
    return None
