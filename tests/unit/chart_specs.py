"""Reading an Altair chart's Vega-Lite dict in the tests: its layers, marks and inline rows."""

from __future__ import annotations

from typing import Any


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("layer", [spec])


def mark_of(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark["type"] if isinstance(mark, dict) else mark


def layer(spec: dict[str, Any], mark: str) -> dict[str, Any]:
    """The one layer drawn with `mark` (line, point, area, bar, rule)."""
    (found,) = [one for one in layers(spec) if mark_of(one) == mark]
    return found


def rows(spec: dict[str, Any], one: dict[str, Any]) -> list[dict[str, Any]]:
    """Inline rows of a layer; layers sharing their parent's data carry none of their own."""
    data = one.get("data") or spec["data"]
    return spec["datasets"][data["name"]]
