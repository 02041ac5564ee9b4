"""Key terms: the user's glossary.yaml (glossary.py), what a term looks like (lexicon.py),
spellings grouped (groups.py), the terms of a deck found (finder.py), their mentions counted
(mentions.py), and what each term's card says (cards.py)."""

from .finder import TermResult, find_terms

__all__ = ["TermResult", "find_terms"]
