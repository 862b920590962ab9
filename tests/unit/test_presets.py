"""The shipped presets: each loads, tells a story, and the default one matches the article."""

from __future__ import annotations

import pytest

from estimators.errors import UnknownIdError
from estimators.estimate import estimate
from estimators.presets import DEFAULT_PRESET, get_preset, presets

# "Fine-Tuning: When & Why", cost table: rough per-query ranges [USD].
ARTICLE_PER_QUERY_USD = {
    "prompting": (0.001, 0.01),
    "rag": (0.005, 0.02),
    "lora": (0.0001, 0.001),
    "full": (0.001, 0.005),
}


def test_there_are_at_least_five_presets_with_a_story() -> None:
    table = presets()
    assert len(table) >= 5
    assert next(iter(table)) == DEFAULT_PRESET
    for preset in table.values():
        assert preset.title and preset.story and preset.note


@pytest.mark.parametrize(("approach", "bounds"), ARTICLE_PER_QUERY_USD.items())
def test_support_chatbot_per_query_costs_sit_in_the_article_ranges(
    approach: str, bounds: tuple[float, float]
) -> None:
    result = estimate(get_preset("support-chatbot").scenario).approach(approach)
    low, high = bounds
    assert result.per_query_usd is not None
    assert low <= result.per_query_usd <= high


def test_every_preset_estimates_with_at_least_three_approaches_available() -> None:
    for preset in presets().values():
        result = estimate(preset.scenario)
        assert sum(a.available for a in result.approaches) >= 3, preset.id


def test_unknown_preset_lists_known_ids() -> None:
    with pytest.raises(UnknownIdError, match="support-chatbot"):
        get_preset("nope")
