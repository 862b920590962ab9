"""Errors the engine raises on bad input: each names the field, id or line at fault."""

from __future__ import annotations

# User text echoed in a message is cut to this many characters.
EXCERPT_CHARS = 100


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """User text (an id, a path, a value) as a message echoes it: short, on one line, printable.

    Over `limit` characters it is cut and its length given; characters that do not print
    (newlines, controls, bidi overrides, lone surrogates) are shown as escapes, so a message stays
    one line that any terminal or encoding can show. Every echo of user text goes through here.
    """
    text = str(text)
    shown = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:limit]
    )
    return shown if len(text) <= limit else f"{shown}… ({len(text):,} characters)"


class EstimatorError(ValueError):
    """Base class: a problem with the user's input that the UI and the CLI show as one message."""


class UnknownIdError(EstimatorError):
    """An id (model, GPU, assumption, preset) not in its table; the message lists the valid ids."""

    def __init__(self, kind: str, given: str, known: list[str], field: str | None = None) -> None:
        where = f"{field}: " if field else ""
        shown = ", ".join(sorted(known)[:40])
        more = f" (and {len(known) - 40} more)" if len(known) > 40 else ""
        super().__init__(f"{where}unknown {kind} '{excerpt(given)}'. Known {kind}s: {shown}{more}.")
        self.kind = kind
        self.given = given
        self.known = known
        self.field = field
