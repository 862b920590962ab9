"""Headline figures of the bench scripts, gathered so `make bench` can print one table.

Each script calls `record(...)` for the figures DESIGN §9 sets a target for; when the environment
variable BENCH_FIGURES names a file, the figure is appended there as one JSON line.
"""

from __future__ import annotations

import json
import os

FIGURES_ENV = "BENCH_FIGURES"


def record(
    figure: str, value: float, unit: str, target: float | None, higher_is_better: bool = False
) -> None:
    """Append one figure with its target, or None for a figure shown for context only (no-op
    unless $BENCH_FIGURES is set)."""
    path = os.environ.get(FIGURES_ENV)
    if not path:
        return
    row = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "target": target,
        "higher_is_better": higher_is_better,
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")
