"""Every line item's formula text, evaluated with its own recorded inputs, equals its amount.

The explain panel and the PDF print a formula beside each figure; a reader recomputes it by hand.
This test does exactly that for all six presets: it replaces each named input by its recorded
value, evaluates the arithmetic (a whitelist of operators, no eval) and compares with the amount,
so a formula text that drifts from the code fails here.
"""

from __future__ import annotations

import ast
import math
import operator
import re

import pytest

from estimators.estimate import estimate
from estimators.ids import APPROACH_IDS
from estimators.presets import get_preset, presets

_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_FUNCS = {"min": min, "max": max}


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS:
        return _FUNCS[node.func.id](*(_evaluate(a) for a in node.args))
    raise ValueError(f"not plain arithmetic: {ast.dump(node)[:80]}")


def formula_value(formula: str, values: dict[str, float]) -> float:
    """The formula's arithmetic with every named input replaced by its value."""
    text = formula.split(";")[0]  # an explanation may follow the arithmetic
    for name in sorted(values, key=len, reverse=True):
        text = text.replace(name, f"({values[name]!r})")
    text = text.replace("×", "*").replace("−", "-").replace("÷", "/")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,000,000 → 1000000
    return _evaluate(ast.parse(text, mode="eval"))


def _items(preset_id: str):
    # Each preset with a mix of all its approaches too, so the mix's items are checked as well.
    scenario = get_preset(preset_id).scenario
    share = 1 / len(APPROACH_IDS)
    routing = dict.fromkeys(APPROACH_IDS, share)
    traffic = scenario.traffic.model_copy(update={"routing": routing})
    result = estimate(scenario.model_copy(update={"traffic": traffic}))
    assumptions = {a.id: a.value for a in result.assumptions}
    entries = [*result.approaches, *([result.mix] if result.mix else [])]
    for approach in entries:
        for kind in ("setup", "per_query", "monthly"):
            for item in getattr(approach.line_items, kind):
                numbers = {
                    k: float(v) for k, v in item.inputs.items() if isinstance(v, int | float)
                }
                yield approach.id, item, assumptions | numbers


@pytest.mark.parametrize("preset_id", list(presets()))
def test_every_formula_evaluates_to_its_amount(preset_id: str) -> None:
    checked, unreadable = 0, []
    for approach_id, item, values in _items(preset_id):
        try:
            value = formula_value(item.formula, values)
        except (ValueError, SyntaxError):
            unreadable.append(f"{approach_id}: {item.label}: {item.formula}")
            continue
        assert math.isclose(value, item.usd, rel_tol=1e-9, abs_tol=1e-12), (
            f"{preset_id} / {approach_id} / {item.label}: formula gives {value}, item {item.usd}"
        )
        checked += 1
    # Formulas whose text names derived quantities (e.g. "GPU BF16 TFLOPS") are checked by the
    # hand arithmetic of their approach's own tests; nearly all are checked here.
    assert checked >= 4 * len(unreadable), unreadable
    assert checked >= 15


def test_the_evaluator_rejects_anything_but_arithmetic() -> None:
    with pytest.raises(ValueError):
        formula_value("__import__('os')", {})
    assert formula_value("a × (b − 1,000) / 2", {"a": 3.0, "b": 1_004.0}) == 6.0
