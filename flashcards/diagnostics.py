"""Diagnostics: every problem in the input is a value, collected by the stages and reported once
by the CLI as `path:line: severity: message [code]`. Exceptions are for bugs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning", "info"]


class Diagnostic(BaseModel):
    """One problem in the input (or, as `info`, something the user should know)."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    path: str
    line: int | None = None
    message: str

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def error(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(severity="error", code=code, path=path, line=line, message=message)


def warning(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(severity="warning", code=code, path=path, line=line, message=message)


def info(code: str, path: str, line: int | None, message: str) -> Diagnostic:
    """Something the user should know (a merge, a fuzzy match) that is not a problem."""
    return Diagnostic(severity="info", code=code, path=path, line=line, message=message)


def strictly(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning counts as an error."""
    return [
        d.model_copy(update={"severity": "error"}) if d.severity == "warning" else d
        for d in diagnostics
    ]


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def shorten(text: str, width: int = 50) -> str:
    """Text for a one-line message."""
    return text if len(text) <= width else text[: width - 1] + "…"
