"""The reasoning-token default against what was measured (docs/reasoning-tokens.md): a published
gpt-5 request re-estimated, and every public figure inside the assumption's range."""

from __future__ import annotations

import math

from estimators.assumptions import defaults
from estimators.estimate import estimate
from estimators.scenario import Scenario, parse_scenario
from estimators.uncertainty.analysis import monte_carlo

REASONING = defaults()["reasoning.tokens_per_query"]
# Reasoning tokens of single requests at the default effort on short prompts (docs/reasoning-
# tokens.md): gpt-5 "what is rust" 448; gpt-6 models 73–248; gemini-3.8-flash 425; gpt-5-mini
# 576–704; gpt-6 at low effort 0–48 (below the default's range on purpose: low effort).
MEASURED_AT_DEFAULT_EFFORT = (448, 73, 79, 159, 248, 425, 576, 704)


def _gpt5_one_line_question() -> Scenario:
    """The published request: gpt-5, 9 input tokens, no system prompt, a 158-token answer."""
    data = Scenario().model_dump(mode="json")
    data["models"]["general"] = "gpt-5"
    data["traffic"].update(
        input_tokens=9, output_tokens=158, system_prompt_tokens=0, system_prompt=None
    )
    return parse_scenario(data)


def test_the_published_gpt5_request_is_re_estimated_within_a_quarter_and_inside_p10_p90():
    scenario = _gpt5_one_line_question()
    prompting = next(a for a in estimate(scenario).approaches if a.id == "prompting")
    # Estimated: 9 × $1.25/1M + (158 + 300) × $10/1M = $0.00001125 + $0.00458 = $0.00459125.
    assert math.isclose(prompting.per_query_usd, 9 * 1.25e-6 + (158 + 300) * 10e-6)
    # Billed: 448 reasoning tokens, so 9 × $1.25/1M + (158 + 448) × $10/1M = $0.00607125.
    billed = 9 * 1.25e-6 + (158 + 448) * 10e-6
    assert 0.75 < prompting.per_query_usd / billed < 1.0  # 0.756: a quarter low on this one
    spread = monte_carlo(scenario, draws=4000, seed=11).per_query_ranges["prompting"]
    assert spread.p10 <= billed <= spread.p90


def test_every_measured_figure_lies_in_the_range_and_the_likely_value_in_their_middle():
    assert (REASONING.value, REASONING.low, REASONING.high) == (300, 50, 2000)
    assert all(REASONING.low <= tokens <= REASONING.high for tokens in MEASURED_AT_DEFAULT_EFFORT)
    ordered = sorted(MEASURED_AT_DEFAULT_EFFORT)
    lower_quartile, upper_quartile = ordered[len(ordered) // 4], ordered[-len(ordered) // 4 - 1]
    assert lower_quartile <= REASONING.value <= upper_quartile  # 159 ≤ 300 ≤ 448
