"""Which scenario inputs a sentence names: tests check reasons and drivers stay traceable."""

from __future__ import annotations

import re

from estimators.scenario import scenario_paths

_PATH_TOKEN = re.compile(r"(?<![\w.])[a-z][a-z_]*(?:\.[a-z_]+)*(?![\w])")


def inputs_named(text: str) -> list[str]:
    """The scenario inputs a driver or reason names, so a view can link it to the widget.

    Counts dotted paths and top-level fields whose names cannot be ordinary words (they hold
    an underscore); plain words such as "data" or "name" are not taken for fields.
    """
    named = []
    for token in _PATH_TOKEN.findall(text):
        if token in scenario_paths() and ("." in token or "_" in token):
            named.append(token)
    return named
