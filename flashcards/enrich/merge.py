"""Merge: one note for a question asked twice.

Two note-takers writing up the same Q&A session produce the same question twice, reworded or
shortened. Within a deck, a later near-duplicate is folded into the earliest note that asks the
same question (its answer is kept in `merged_from`), and an `info` diagnostic says so.

Precision matters more than recall: a wrong merge hides a card, a missed one only repeats it. So a
pair merges only when every check below agrees:
  - similarity: `fuzz.partial_ratio` of the normalised questions is at least MERGE_AT. Partial
    matching aligns the shorter question with the best-matching stretch of the longer one, so a
    shortened form (one half of a two-part question, the question without its example) scores
    as high as a light rewording;
  - content: the shorter question has at least MIN_CHARS characters, so generic questions
    ("왜 그런가요?") never match the inside of every longer one;
  - technical terms: the Latin words and numbers of one question are a subset of the other's, so
    questions that differ in exactly the word that matters (CNN/RNN, 2D/3D) stay apart;
  - follow-ups: two `(질문)` follow-ups merge only if their parent questions match too;
  - context: two questions asked under different headings merge only if they are specific
    (MIN_WORDS words at least, function words aside): the same short question asked of two
    examples ("What is the labeled data?") asks about each;
  - margin: the best earlier candidate beats the runner-up by MARGIN, else the question is
    ambiguous (say, one that combines two earlier questions) and stays its own note.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from ..diagnostics import Diagnostic, info
from ..notes import MergedAnswer, QANote
from ..text import normalise, same_terms, technical_terms
from .terms.lexicon import STOP

# The seed's reworded/shortened pairs score 93.7-100 and its different questions (same topic or
# not) at most 56; 90 lets about one character in ten differ (typos, particles, 요/다 endings).
MERGE_AT = 90.0
# Runner-up must trail by this much; below it the match is a coin toss between two notes.
MARGIN = 5.0
# Shortest question (characters, spaces excluded) that may merge at all.
MIN_CHARS = 15
# partial_ratio >= MERGE_AT - MARGIN (85) implies the longer question holds at least ~74% of the
# shorter's characters in order (longest common subsequence). So this cheap, bit-parallel LCS
# prefilter never drops a pair that could win or be a runner-up; the slower partial_ratio then
# runs only on the few pairs that pass.
PREFILTER = 0.7
# Words (English function words aside) a question needs to merge with one under another heading.
MIN_WORDS = 5
# Closest longer questions scored per question. Notes full of near-identical templated questions
# ("질문 1 은 무엇인가요?", "질문 2 …") would otherwise make the deck's pairs quadratic in Python.
MAX_CANDIDATES = 8

Decisions = dict[int, int]  # position of a duplicate in the deck → position of its primary


Place = tuple[str, int]  # a note's path and line


def merge_duplicates(
    notes: list[QANote], sections: Mapping[Place, str] | None = None
) -> tuple[list[QANote], list[Diagnostic]]:
    """Fold each later near-duplicate question of one deck's `notes` into the earliest note
    that asks it. `sections` gives the heading each note stands under, where known.

    Returns the notes in source order without the duplicates (primaries carry them in
    `merged_from`), and one `info` diagnostic per merge, at the duplicate's `path:line`,
    saying why.
    """
    primary_of, why = _match_deck(notes, sections or {})
    absorbed: dict[int, list[MergedAnswer]] = defaultdict(list)
    diagnostics: list[Diagnostic] = []
    for dup, primary in sorted(primary_of.items()):
        note, first = notes[dup], notes[primary].source
        # A duplicate that had already absorbed others passes them on, so nothing is lost.
        absorbed[primary] += [*note.merged_from, _as_merged(note)]
        where = f"line {first.line}" if first.path == note.source.path else str(first)
        message = f"same question as {where}; merged into one note ({why[dup]})"
        diagnostics.append(info("merged", note.source.path, note.source.line, message))
    kept = [
        note.model_copy(update={"merged_from": [*note.merged_from, *absorbed[i]]})
        if i in absorbed
        else note
        for i, note in enumerate(notes)
        if i not in primary_of
    ]
    return kept, diagnostics


def _as_merged(note: QANote) -> MergedAnswer:
    return MergedAnswer(
        path=note.source.path, line=note.source.line, question=note.question, answer=note.answer
    )


def _match_deck(
    notes: list[QANote], sections: Mapping[Place, str]
) -> tuple[Decisions, dict[int, str]]:
    """{duplicate: primary} as positions in one deck's notes, and why each merged."""
    texts = [normalise(note.question) for note in notes]
    parents = [normalise(note.parent_question) for note in notes]
    terms = [technical_terms(text) for text in texts]
    places = [(note.source.path, note.source.line) for note in notes]
    where = [sections.get(place, "") for place in places]
    candidates = _candidate_pairs(texts)
    merged: dict[int, int] = {}
    why: dict[int, str] = {}
    for later in range(len(notes)):
        scored = sorted(  # best first; on a tie, the earliest
            (-fuzz.partial_ratio(texts[later], texts[earlier]), earlier)
            for earlier in candidates[later]
            if earlier not in merged  # only a note still standing can absorb another
            and places[earlier] != places[later]  # never a note with itself
            and _compatible(terms[earlier], terms[later], parents[earlier], parents[later])
            and (where[earlier] == where[later] or _specific(texts[earlier], texts[later]))
        )
        if not scored:
            continue
        best, primary = -scored[0][0], scored[0][1]
        runner_up = -scored[1][0] if len(scored) > 1 else 0.0
        if best >= MERGE_AT and best - runner_up >= MARGIN:
            merged[later] = primary
            context = "same heading" if where[primary] == where[later] else "specific enough"
            why[later] = f"{best:.0f}% alike, same technical terms, {context}"
    return merged, why


def _specific(a: str, b: str) -> bool:
    """The shorter of two questions says enough to be the same question wherever it stands."""
    shorter = min(a, b, key=len)
    return sum(1 for word in shorter.split() if len(word) > 1 and word not in STOP) >= MIN_WORDS


def _candidate_pairs(texts: list[str]) -> dict[int, list[int]]:
    """For each question, the earlier ones close enough to be worth scoring.

    Each question is compared (in C, by rapidfuzz) only with those at least as long, against a
    cutoff relative to its own length, so every pair is tried once, from its shorter side. A
    question too short to judge is never a candidate: it would pass the prefilter against every
    longer question and the pairs to score would grow with the square of the deck.
    """
    by_length = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    sorted_texts = [texts[i] for i in by_length]
    candidates: dict[int, list[int]] = defaultdict(list)
    for position, short in enumerate(by_length):
        if len(texts[short].replace(" ", "")) < MIN_CHARS:
            continue
        cutoff = math.ceil(PREFILTER * len(texts[short]))
        longer = sorted_texts[position + 1 :]
        for _, _, k in process.extract(
            texts[short],
            longer,
            scorer=LCSseq.similarity,
            score_cutoff=cutoff,
            limit=MAX_CANDIDATES,
        ):
            a, b = sorted((short, by_length[position + 1 + k]))
            candidates[b].append(a)
    return candidates


def _compatible(terms_a: set[str], terms_b: set[str], parent_a: str, parent_b: str) -> bool:
    """The checks besides similarity and length: same technical terms, same context."""
    if not same_terms(terms_a, terms_b, typos=False):
        return False
    return not (parent_a and parent_b and fuzz.partial_ratio(parent_a, parent_b) < MERGE_AT)
