"""Front matter: the YAML header a note file may start with (`deck:`, `tags:`)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ..diagnostics import Diagnostic, error


class FrontMatter(BaseModel):
    """The YAML header a note file may start with."""

    model_config = ConfigDict(extra="allow")

    deck: str | None = None
    title: str | None = None
    tags: list[str] = []

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return value.replace(",", " ").split()
        if isinstance(value, list):  # `tags: [cv, 2024]`: YAML reads 2024 as a number
            return [str(v) if isinstance(v, int | float) else v for v in value]
        return value

    @field_validator("deck", "title", mode="before")
    @classmethod
    def _deck_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


Front = tuple[str, FrontMatter, dict[str, int], list[Diagnostic]]


def split_front_matter(text: str, display: str) -> Front:
    """Parse a leading `---` YAML block; blank its lines so line numbers stay true. Returns the
    body, the front matter, the line of each of its keys, and its problems."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text, FrontMatter(), {}, []
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), None)
    if end is None:
        return text, FrontMatter(), {}, []
    header = "\n".join(lines[1:end])
    key_lines = _key_lines(lines[1:end])
    body = "\n" * end + "\n" + "\n".join(lines[end + 1 :])
    try:
        raw = yaml.safe_load(header) or {}
    except RecursionError:
        too_deep = error("front-matter", display, 1, "front matter nests too deeply")
        return body, FrontMatter(), key_lines, [too_deep]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        problems = [error("front-matter", display, line, f"front matter: {problem}")]
        return body, FrontMatter(), key_lines, problems
    if not isinstance(raw, dict):
        problems = [error("front-matter", display, 1, "front matter must be a mapping")]
        return body, FrontMatter(), key_lines, problems
    try:
        return body, FrontMatter.model_validate(raw), key_lines, []
    except ValidationError as exc:
        first = exc.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        message = f"front matter '{key}': {first['msg']}"
        problems = [error("front-matter", display, key_lines.get(key, 1), message)]
        return body, FrontMatter(), key_lines, problems


def _key_lines(header: list[str]) -> dict[str, int]:
    """Line of each top-level key of the front matter (which starts on line 2), so errors point
    at it."""
    lines: dict[str, int] = {}
    for number, line in enumerate(header, start=2):
        key = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if key:
            lines.setdefault(key.group(1), number)
    return lines
