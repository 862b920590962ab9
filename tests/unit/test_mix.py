"""Mixes (`traffic.routing`): shares validated, the mix priced from its parts and ranked beside
them, on the pinned small scenario (conftest.SMALL) where the arithmetic is written out."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.estimate import estimate
from estimators.ids import APPROACH_IDS
from estimators.mix import part_scenario
from estimators.scenario import ScenarioError, parse_scenario
from estimators.timeline import Pricing, cumulative_usd, share_of
from estimators.uncertainty.analysis import simulate, with_uncertainty
from tests.scenarios import SMALL, scenario_with
from tests.strategies import routings
from tests.unit.test_formulas import formula_value

SEVENTY_THIRTY = {"lora": 0.7, "rag": 0.3}


def mixed(routing: dict[str, float], **changes: object):  # type: ignore[no-untyped-def]
    traffic = dict(SMALL["traffic"]) | {"routing": routing}  # type: ignore[arg-type]
    return estimate(scenario_with(traffic=traffic, **changes))


# --- the scenario field ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("routing", "message"),
    [
        ({"lora": 1.0}, "traffic.routing: a mix routes queries to at least 2 approaches, got 1"),
        ({"lora": 0.7, "rag": 0.2}, "traffic.routing: the shares add up to 0.9; they must add"),
        ({"lora": 1.1, "rag": -0.1}, "traffic.routing: the share of lora is 1.1; expected 0 to 1"),
        ({"lora": 0.5, "mix": 0.5}, "traffic.routing.mix.[key]: Input should be 'prompting'"),
    ],
)
def test_routing_is_validated_with_a_message_naming_the_field(routing: dict, message: str) -> None:
    with pytest.raises(ScenarioError) as error:
        parse_scenario({"traffic": {"routing": routing}})
    assert message in str(error.value)


def test_shares_may_miss_one_by_float_rounding_only() -> None:
    assert parse_scenario({"traffic": {"routing": {"lora": 0.7, "rag": 0.3 + 9e-10}}})
    with pytest.raises(ScenarioError):
        parse_scenario({"traffic": {"routing": {"lora": 0.7, "rag": 0.3 + 2e-9}}})


def test_without_routing_there_is_no_mix() -> None:
    assert estimate(scenario_with()).mix is None


# --- hand-checked ---------------------------------------------------------------------------


def test_a_seventy_thirty_mix_is_the_weighted_query_and_every_parts_setup_and_upkeep() -> None:
    result = mixed(SEVENTY_THIRTY)
    lora, rag, mix = result.approach("lora"), result.approach("rag"), result.mix
    assert mix is not None and mix.available
    # from test_approaches: LoRA $0.00076 a query, RAG (300 + 2 × 500 + 100) × 2/1M + 200 × 8/1M
    # + the query's embedding 100 × 0.02/1M + reads 0.25 × 16/1M = $0.004406; neither turns on
    # the volume (the 300-token prompt is under every cache minimum), so at 70% and 30% the same
    assert lora.per_query_usd == pytest.approx(0.00076)
    assert rag.per_query_usd == pytest.approx(0.004406)
    assert mix.per_query_usd == pytest.approx(0.7 * 0.00076 + 0.3 * 0.004406)
    # setup: both are built (10,901.5 + 4,000.0025)
    assert mix.setup_usd == pytest.approx(10_901.5 + 4000 + 125_000 * 0.02 / 1e6)
    assert mix.setup_usd == pytest.approx(lora.setup_usd + rag.setup_usd)
    # upkeep: both kept running; RAG's managed store tops its reads up to its monthly minimum,
    # and at 30% of the volume 70% of 30,000 queries × 0.25 reads × $16/1M = $0.084 fewer reads
    # count toward it, so the top-up is $0.084 more than at the full volume
    upkeep = lora.maintenance_usd_per_month + rag.maintenance_usd_per_month + 0.084
    assert mix.maintenance_usd_per_month == pytest.approx(upkeep)
    # no floor: total = setup + 12 × (1,000/day × 30 days × per query + upkeep)
    expected = mix.setup_usd + 12 * (30_000 * mix.per_query_usd + upkeep)
    assert mix.total_usd == pytest.approx(expected)
    assert mix.cumulative_usd[0] == pytest.approx(mix.setup_usd)
    assert mix.usage_usd == pytest.approx(12 * 30_000 * mix.per_query_usd)


def test_each_part_is_priced_at_the_volume_it_serves_so_its_cache_hit_rate_follows_it() -> None:
    # A 2,000-token prompt (over gpt-4.1's 1,024-token cache minimum), 100 queries a day, a
    # prefix that lives 300 s (tests/scenarios.py): the hit rate is 1 − e^(−queries per second
    # × 300), 1 − e^(−100/86,400 × 300) = 29.3% at the full volume, 1 − e^(−50/86,400 × 300)
    # = 15.9% for a half of it, so each half pays more per query than the whole would.
    traffic = dict(SMALL["traffic"]) | {"queries_per_day": 100, "system_prompt_tokens": 2000}  # type: ignore[arg-type]
    result = estimate(scenario_with(traffic=traffic | {"routing": {"prompting": 0.5, "dspy": 0.5}}))
    full = estimate(scenario_with(traffic=traffic))
    half = estimate(scenario_with(traffic=traffic | {"queries_per_day": 50}))

    def hit(estimate_, approach):  # type: ignore[no-untyped-def]
        items = estimate_.approach(approach).line_items.per_query
        return next(i.inputs["cache hit rate"] for i in items if "cache hit rate" in i.inputs)

    assert hit(full, "prompting") == pytest.approx(1 - math.exp(-100 / 86_400 * 300))
    assert hit(half, "prompting") == pytest.approx(1 - math.exp(-50 / 86_400 * 300))
    mix = result.mix
    assert mix is not None
    by_part = {p.id: p.per_query_usd for p in mix.parts}
    for approach in ("prompting", "dspy"):
        assert by_part[approach] == pytest.approx(half.approach(approach).per_query_usd)
        assert by_part[approach] > full.approach(approach).per_query_usd
    assert any("priced at the volume it serves" in note for note in mix.notes)


def test_the_mix_is_named_and_ranked_beside_the_approaches_not_among_them() -> None:
    result = mixed(SEVENTY_THIRTY)
    mix = result.mix
    assert mix is not None
    assert mix.id == "mix" and mix.name == "Mix: 70% LoRA fine-tune, 30% RAG"
    assert [a.id for a in result.approaches] == list(APPROACH_IDS)
    totals = [a.total_usd for a in result.approaches if a.available]
    assert mix.rank == 1 + sum(t < mix.total_usd for t in totals)
    assert mix.rank_of == len(totals) + 1
    assert [(p.id, p.share) for p in mix.parts] == [("rag", 0.3), ("lora", 0.7)]


def test_its_latency_is_the_share_weighted_mean_and_says_so() -> None:
    result = mixed(SEVENTY_THIRTY)
    lora, rag = result.approach("lora").latency, result.approach("rag").latency
    latency = result.mix.latency  # type: ignore[union-attr]
    assert latency is not None and lora is not None and rag is not None
    assert latency.p50_ms == pytest.approx(0.7 * lora.p50_ms + 0.3 * rag.p50_ms)
    assert latency.p95_ms == pytest.approx(0.7 * lora.p95_ms + 0.3 * rag.p95_ms)
    assert latency.ttft_ms == pytest.approx(0.7 * lora.ttft_ms + 0.3 * rag.ttft_ms)
    assert "share-weighted mean" in latency.note


def test_its_risks_are_those_of_its_parts_at_their_highest_level() -> None:
    result = mixed({"prompting": 0.5, "rag": 0.5})
    by_id = {r.id: r for r in result.risks}
    applies = {r.id for r in result.risks if {"prompting", "rag"} & set(r.applies_to)}
    # prompting's invented citations and prompt sprawl; RAG's four retrieval failure modes
    expected = {"fabricated_citations", "prompt_sprawl", "retrieval_miss", "stale_index"}
    expected |= {"prompt_injection", "context_overflow"}
    assert set(result.mix.risks) == applies == expected  # type: ignore[union-attr]
    level = by_id["fabricated_citations"].level_by_approach["prompting"]
    assert result.mix.risks["fabricated_citations"] == level  # type: ignore[union-attr]


def test_a_part_that_cannot_run_makes_the_mix_unavailable_with_its_reason() -> None:
    knowledge = {"documents": 0, "tokens_per_document": 0, "changed_pct_per_month": 0}
    data = dict(SMALL["data"]) | {"knowledge_base": knowledge}  # type: ignore[arg-type]
    result = mixed(SEVENTY_THIRTY, data=data)
    mix = result.mix
    assert mix is not None and not mix.available
    assert mix.total_usd is None and mix.cumulative_usd is None and mix.rank is None
    assert "RAG cannot run: data.knowledge_base is empty" in mix.unavailable_reason


def test_a_self_hosted_part_keeps_its_whole_floor_while_serving_its_share() -> None:
    models = {"general": "gpt-4.1", "small": "llama-3.1-8b-instruct", "large": "gpt-4.1"}
    routing = {"prompting": 0.9, "lora": 0.1}
    result = mixed(routing, models=models, fine_tuning={"hosting": "self_hosted"})
    mix = result.mix
    assert mix is not None
    # Each part as its own scenario at its volume: LoRA at 100 queries a day, prompting at 900.
    lora = _alone(routing, "lora", models=models, fine_tuning={"hosting": "self_hosted"})
    prompting = _alone(routing, "prompting", models=models, fine_tuning={"hosting": "self_hosted"})
    assert lora.min_usage_usd_per_month > 0
    # LoRA serves 10% of 30,000 queries a month, far below its floor: each month pays the floor
    assert 0.1 * 30_000 * lora.per_query_usd < lora.min_usage_usd_per_month
    months = [30_000.0] * 12
    own = Pricing("lora", lora.setup_usd, lora.per_query_usd, lora.maintenance_usd_per_month,
                  lora.min_usage_usd_per_month)  # fmt: skip
    other = Pricing("prompting", prompting.setup_usd, prompting.per_query_usd,
                    prompting.maintenance_usd_per_month, 0.0)  # fmt: skip
    by_hand = [
        a + b
        for a, b in zip(
            cumulative_usd(share_of(own, 0.1), months),
            cumulative_usd(share_of(other, 0.9), months),
            strict=True,
        )
    ]
    assert mix.cumulative_usd == pytest.approx(by_hand)
    assert mix.total_usd > mix.setup_usd + 12 * lora.min_usage_usd_per_month
    assert any("keeps the whole always-on floor" in note for note in mix.notes)


def _alone(routing: dict[str, float], approach: str, **changes: object):  # type: ignore[no-untyped-def]
    """The approach priced on its own at the daily volume its share of the mix serves."""
    queries = SMALL["traffic"]["queries_per_day"] * routing[approach]  # type: ignore[index]
    traffic = dict(SMALL["traffic"]) | {"queries_per_day": queries}  # type: ignore[arg-type]
    return estimate(scenario_with(traffic=traffic, **changes)).approach(approach)


def test_every_mix_formula_evaluates_to_its_amount() -> None:
    result = mixed({"prompting": 0.2, "rag": 0.3, "rag_lora": 0.5})
    mix = result.mix
    assert mix is not None
    items = [*mix.line_items.setup, *mix.line_items.per_query, *mix.line_items.monthly]
    assert len(items) == 9
    for item in items:
        values = {k: float(v) for k, v in item.inputs.items() if isinstance(v, int | float)}
        assert math.isclose(formula_value(item.formula, values), item.usd, rel_tol=1e-12)
    assert sum(i.usd for i in mix.line_items.per_query) == pytest.approx(mix.per_query_usd)


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(routings(), st.floats(0, 1e7))
def test_a_mixs_query_costs_between_its_cheapest_and_dearest_part(
    routing: dict[str, float], queries_per_day: float
) -> None:
    traffic = dict(SMALL["traffic"]) | {"routing": routing, "queries_per_day": queries_per_day}  # type: ignore[arg-type]
    result = estimate(scenario_with(traffic=traffic))
    mix = result.mix
    assert mix is not None and mix.available
    own = [p.per_query_usd for p in mix.parts]  # each at the volume it serves
    tolerance = 1e-12 * max(own)
    assert min(own) - tolerance <= mix.per_query_usd <= max(own) + tolerance
    assert mix.setup_usd == pytest.approx(sum(result.approach(a).setup_usd for a in routing))


@settings(max_examples=40, deadline=None)
@given(routings(), st.floats(0, 1e7), st.sampled_from([300, 2000]))
def test_a_mix_costs_what_its_parts_cost_each_alone_at_the_volume_it_serves(
    routing: dict[str, float], queries_per_day: float, prompt_tokens: int
) -> None:
    traffic = dict(SMALL["traffic"]) | {  # type: ignore[arg-type]
        "routing": routing,
        "queries_per_day": queries_per_day,
        "system_prompt_tokens": prompt_tokens,  # 2,000: over the cache minimum, hit rates move
    }
    scenario = scenario_with(traffic=traffic)
    mix = estimate(scenario).mix
    assert mix is not None and mix.available
    alone = [estimate(part_scenario(scenario, share)).approach(a) for a, share in routing.items()]
    assert mix.total_usd == pytest.approx(sum(a.total_usd for a in alone), rel=1e-9)
    assert mix.setup_usd == pytest.approx(sum(a.setup_usd for a in alone))
    parts = {p.id: p.per_query_usd for p in mix.parts}
    assert all(parts[a.id] == pytest.approx(a.per_query_usd) for a in alone)


# --- the Monte Carlo ------------------------------------------------------------------------


def test_the_monte_carlo_prices_the_mix_on_the_same_draws_as_its_parts() -> None:
    scenario = scenario_with(traffic=dict(SMALL["traffic"]) | {"routing": SEVENTY_THIRTY})  # type: ignore[arg-type]
    sim = simulate(scenario, draws=200, seed=4)
    assert sim.mix_per_query_usd is not None and sim.mix_cumulative_usd is not None
    # Each part on the same draws at its own volume: the assumptions' streams are seeded by id,
    # so a scenario at 70% or 30% of the volume draws the same values.
    lora = simulate(part_scenario(scenario, 0.7), draws=200, seed=4)
    rag = simulate(part_scenario(scenario, 0.3), draws=200, seed=4)
    weighted = 0.7 * lora.per_query_usd["lora"] + 0.3 * rag.per_query_usd["rag"]
    assert sim.mix_per_query_usd == pytest.approx(weighted)
    alone = lora.cumulative_usd["lora"][-1] + rag.cumulative_usd["rag"][-1]
    assert sim.mix_cumulative_usd[-1] == pytest.approx(alone)
    # no floors here: the mix's total is the sum of its parts' setups and upkeep plus its usage
    ranged = with_uncertainty(estimate(scenario), draws=500, seed=1)
    mix = ranged.mix
    assert mix is not None and mix.range is not None and mix.per_query_range is not None
    assert mix.range.p10 <= mix.range.p50 <= mix.range.p90
    assert mix.latency is not None and mix.latency.p95_ms_range is not None
    assert len(mix.cumulative_ranges or []) == 13
    # the approaches' own figures ignore the mix: P(cheapest) still sums to one over them
    assert sum(ranged.uncertainty.p_cheapest.values()) == pytest.approx(1.0)  # type: ignore[union-attr]
