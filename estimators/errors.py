"""Errors the engine raises on bad input: each names the field, id or line at fault."""

from __future__ import annotations


class EstimatorError(ValueError):
    """Base class: a problem with the user's input that the UI and the CLI show as one message."""


class UnknownIdError(EstimatorError):
    """An id (model, GPU, assumption, preset) not in its table; the message lists the valid ids."""

    def __init__(self, kind: str, given: str, known: list[str], field: str | None = None) -> None:
        where = f"{field}: " if field else ""
        shown = ", ".join(sorted(known)[:40])
        more = f" (and {len(known) - 40} more)" if len(known) > 40 else ""
        super().__init__(f"{where}unknown {kind} '{given}'. Known {kind}s: {shown}{more}.")
        self.kind = kind
        self.given = given
        self.known = known
        self.field = field
