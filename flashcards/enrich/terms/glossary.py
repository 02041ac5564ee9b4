"""The user glossary, `glossary.yaml` (or `.yml`) beside the notes:

    terms:
      Inception Score:                     # the name the card shows
        aliases: [Inceptation score, IS]   # other spellings in the notes (a typo, an acronym)
        definition: GAN이 만든 이미지를 …   # Markdown; overrides the notes' own definition
      FID: Fréchet Inception Distance …    # a bare string is the definition
      overfitting:                         # nothing: keep the term, define it from the notes
    ignore: [task, data]                   # never make term cards for these

A glossary term gets a card wherever the notes mention its name or an alias, however often;
aliases may be Korean (`트랜스포머`). Every problem is a `Diagnostic` at the YAML line of the
bad entry; a bad entry is skipped and the rest of the glossary still applies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ...diagnostics import Diagnostic, error, info, warning
from ...notes import FoundTerm, NonEmpty, Stripped
from ...read.sources import display_path
from .lexicon import term_key

GLOSSARY_NAMES = ("glossary.yaml", "glossary.yml")


# --- the user glossary --------------------------------------------------------------------------


class GlossaryEntry(BaseModel):
    """One `terms:` entry as written in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    aliases: list[NonEmpty] = Field(default_factory=list)
    definition: Stripped = ""

    @field_validator("aliases", mode="before")
    @classmethod
    def _one_alias(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("aliases", mode="after")
    @classmethod
    def _strip_aliases(cls, value: list[str]) -> list[str]:
        return [alias.strip() for alias in value if alias.strip()]


_IGNORE = TypeAdapter(list[NonEmpty])


@dataclass(frozen=True)
class GlossaryTerm:
    name: str
    aliases: tuple[str, ...]  # as written: what the card lists
    definition: str
    line: int
    joins: tuple[str, ...] = ()  # the aliases that are spellings of this term (one_per_spelling)


@dataclass
class Glossary:
    path: str  # as shown in diagnostics
    terms: list[GlossaryTerm] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


def load_glossary(folder: Path) -> tuple[Glossary | None, list[Diagnostic]]:
    """Read `folder/glossary.yaml` (or `.yml`); None when there is none. Never raises."""
    found = [folder / name for name in GLOSSARY_NAMES if (folder / name).is_file()]
    if not found:
        return None, []
    path = found[0]
    shown = display_path(path)
    problems: list[Diagnostic] = [
        warning("glossary", display_path(extra), None, f"ignored: {shown} is the glossary used")
        for extra in found[1:]
    ]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [*problems, error("glossary", shown, None, f"cannot read the glossary: {exc}")]
    loader = yaml.SafeLoader(text)
    glossary = Glossary(shown)
    try:
        root = loader.get_single_node()
        if root is not None:
            _read(root, loader, glossary, problems)
    except yaml.YAMLError as exc:  # also from building a value: `? [a, b]: c`
        mark, start = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        message = f"the glossary is not valid YAML: {getattr(exc, 'problem', None) or exc}"
        if start is not None and mark is not None and start.line != mark.line:
            message += f" ({getattr(exc, 'context', '')} from line {start.line + 1})"
        return None, [*problems, error("glossary", shown, line, message)]
    except RecursionError:
        return None, [*problems, error("glossary", shown, None, "the glossary nests too deeply")]
    return _one_per_spelling(glossary, problems), problems


def _one_per_spelling(glossary: Glossary, problems: list[Diagnostic]) -> Glossary:
    """Every spelling (`term_key`) names one term: a term whose name is an earlier term's name
    or alias is skipped, and an alias that names an earlier term is ignored."""
    owner: dict[str, GlossaryTerm] = {}
    kept: list[GlossaryTerm] = []
    for term in glossary.terms:
        key = term_key(term.name)
        if key in owner:
            message = f"{term.name!r} is the same term as {owner[key].name!r}; skipped"
            problems.append(warning("glossary", glossary.path, term.line, message))
            continue
        owner[key] = term
        joins = []
        for alias in term.aliases:
            taken = owner.setdefault(term_key(alias), term) if term_key(alias) else None
            if taken is None:
                continue
            if taken is not term:
                message = f"alias {alias!r} of {term.name!r} already names {taken.name!r}; ignored"
                problems.append(warning("glossary", glossary.path, term.line, message))
            else:
                joins.append(alias)
        kept.append(replace(term, joins=tuple(joins)))
    return replace(glossary, terms=kept)


def scaffold(terms: list[FoundTerm]) -> str:
    """`terms` as glossary.yaml entries with empty definitions, for the user to fill in: each
    name and alias quoted (any text is a valid key), with where it is first used."""
    lines = [
        "# Key terms the notes use without defining them. Write each definition, then save",
        "# this as glossary.yaml beside the notes (an entry left empty still makes no card).",
        "terms:",
    ]
    for term in terms:
        where = f"{term.source.path}:{term.source.line}, {term.count} mention"
        lines.append(f"  {_quoted(term.term)}:  # {where}{'s' if term.count != 1 else ''}")
        if term.aliases:
            lines.append(f"    aliases: [{', '.join(_quoted(a) for a in term.aliases)}]")
        lines.append('    definition: ""')
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def unused_terms(glossary: Glossary, used: set[str]) -> list[Diagnostic]:
    """A glossary term no deck has a note for (`used`: the names of those that have one)."""
    return [
        info(
            "term-unused",
            glossary.path,
            term.line,
            f"glossary term {term.name!r} is not in the notes: no card",
        )
        for term in glossary.terms
        if term.name not in used
    ]


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _bad(problems: list[Diagnostic], glossary: Glossary, node: Node, message: str) -> None:
    problems.append(error("glossary", glossary.path, _line(node), message))


def _read(
    root: Node, loader: yaml.SafeLoader, glossary: Glossary, problems: list[Diagnostic]
) -> None:
    def bad(node: Node, message: str) -> None:
        _bad(problems, glossary, node, message)

    if not isinstance(root, MappingNode):
        bad(root, "the glossary must be a mapping with 'terms:' and/or 'ignore:'")
        return
    for key, value in root.value:
        name = key.value if isinstance(key, ScalarNode) else ""
        if name == "terms":
            _read_terms(value, loader, glossary, problems)
        elif name == "ignore":
            _read_ignore(value, loader, glossary, problems)
        else:
            bad(key, f"unknown key {name!r}: a glossary has only 'terms:' and 'ignore:'")


def _read_terms(
    node: Node, loader: yaml.SafeLoader, glossary: Glossary, problems: list[Diagnostic]
) -> None:
    def bad(at: Node, message: str) -> None:
        _bad(problems, glossary, at, message)

    if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
        return
    if not isinstance(node, MappingNode):
        bad(node, "'terms' must be a mapping of term names to entries")
        return
    seen: dict[str, tuple[str, int]] = {}
    for key, value in node.value:
        # The raw scalar, not the YAML value: a term named `yes` or `1` stays that text.
        name = key.value.strip() if isinstance(key, ScalarNode) else ""
        known = term_key(name)
        if not known:
            bad(key, "a term name must be non-empty text")
            continue
        if known in seen:
            other, line = seen[known]
            bad(key, f"term {name!r} is already listed as {other!r} (line {line})")
            continue
        seen[known] = (name, _line(key))
        raw = loader.construct_document(value)
        data = {} if raw is None else {"definition": raw} if isinstance(raw, str) else raw
        try:
            entry = GlossaryEntry.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = [str(part) for part in err["loc"]]
                bad(_node_at(value, loc), f"{'.'.join([name, *loc])}: {_explain(err)}")
            continue
        term = GlossaryTerm(name, tuple(entry.aliases), entry.definition, _line(key))
        glossary.terms.append(term)


def _read_ignore(
    node: Node, loader: yaml.SafeLoader, glossary: Glossary, problems: list[Diagnostic]
) -> None:
    raw = loader.construct_document(node)
    raw = [raw] if isinstance(raw, str) else raw or []
    try:
        _IGNORE.validate_python(raw)
    except ValidationError as exc:
        for err in exc.errors():
            at = _node_at(node, [str(part) for part in err["loc"]])
            _bad(problems, glossary, at, f"ignore: {_explain(err)}")
    if isinstance(raw, list):  # the good names still apply
        names = [name.strip() for name in raw if isinstance(name, str)]
        glossary.ignore.extend(name for name in names if name)


def _explain(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field: an entry has only 'aliases' and 'definition'"
    if err["type"] == "model_type":
        return "must be a definition (text) or a mapping with 'aliases' and 'definition'"
    return str(err["msg"])


def _node_at(node: Node, loc: list[str]) -> Node:
    """The deepest YAML node along a pydantic error location (mapping keys, list indexes)."""
    for part in loc:
        if isinstance(node, MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
        else:
            child = None
        if child is None:
            break
        node = child
    return node
