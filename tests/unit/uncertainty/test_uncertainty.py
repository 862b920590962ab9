"""Monte Carlo ranges, probability of being cheapest, break-even spread and the tornado."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings

from estimators.approaches import prompting
from estimators.assumptions import Assumption, defaults
from estimators.catalog import models
from estimators.errors import EstimatorError
from estimators.estimate import estimate
from estimators.presets import get_preset, presets
from estimators.price_factors import (
    API_PRICE_FACTOR,
    FINETUNE_PRICE_FACTOR,
    scale_prices,
)
from estimators.results import Range, Uncertainty
from estimators.scenario import Scenario, parse_scenario
from estimators.timeline import crossing_month
from estimators.uncertainty.analysis import analyse, crossing_months, simulate, with_uncertainty
from estimators.uncertainty.draws import draw, input_spreads
from estimators.uncertainty.sensitivity import sensitivity
from tests.scenarios import BEFORE_RETIREMENTS
from tests.strategies import scenarios

DRAWS = 2_000  # enough for stable quantiles, fast enough for the unit suite

# Close call at the defaults: prompting ≈ $70k, LoRA ≈ $75k over 12 months, so ends of some
# ranges change the cheapest (the invoice-extraction story).
CLOSE_CALL = {
    "task": {"problems": ["schema"], "changes_per_year": 1},
    "traffic": {
        "queries_per_day": 20_000,
        "monthly_growth_pct": 2,
        "input_tokens": 1800,
        "output_tokens": 350,
        "system_prompt_tokens": 700,
    },
    "data": {
        "labelled_examples": 1200,
        "tokens_per_example": 2500,
        "knowledge_base": {"documents": 0, "tokens_per_document": 0},
    },
}


def _scenario(data: dict[str, object] | None = None) -> Scenario:
    return parse_scenario(data or {})


def _collapsed() -> dict[str, Assumption]:
    return {
        key: entry.model_copy(update={"low": entry.value, "high": entry.value})
        for key, entry in defaults().items()
    }


def _all_ranges(result: Uncertainty) -> list[Range]:
    out = [*result.ranges.values(), *result.per_query_ranges.values()]
    out += [r for band in result.cumulative_ranges.values() for r in band]
    return out + [b.month for b in result.break_even_spread if b.month is not None]


def test_p10_p50_p90_are_ordered() -> None:
    result = analyse(_scenario(CLOSE_CALL), draws=DRAWS)
    ranges = _all_ranges(result)
    assert ranges
    assert all(r.p10 <= r.p50 <= r.p90 for r in ranges)
    # The spread is real: the default ranges are wide.
    assert all(r.p10 < r.p90 for r in result.ranges.values())


def test_ranges_collapse_onto_the_point_estimate_when_every_low_equals_high() -> None:
    scenario = _scenario(CLOSE_CALL | {"horizon_months": 24})
    point = estimate(scenario)
    result = analyse(scenario, draws=500, table=_collapsed())
    assert result.varied == [] and result.sensitivity == [] and result.flips == []
    for approach in point.approaches:
        if not approach.available:
            assert approach.id not in result.ranges
            continue
        total, per_query = approach.total_usd, approach.per_query_usd
        assert result.ranges[approach.id] == Range(p10=total, p50=total, p90=total)
        assert result.per_query_ranges[approach.id] == Range(
            p10=per_query, p50=per_query, p90=per_query
        )
        band = result.cumulative_ranges[approach.id]
        assert [r.p10 for r in band] == [r.p90 for r in band] == approach.cumulative_usd
    assert result.p_cheapest[point.cheapest] == 1.0
    assert result.cheapest == point.cheapest
    for spread, crossing in zip(result.break_even_spread, point.break_even, strict=True):
        assert (spread.a, spread.b) == (crossing.a, crossing.b)
        if crossing.month is None:
            assert spread.month is None and spread.no_crossing_share == 1.0
        else:
            month = crossing.month
            assert spread.month == Range(p10=month, p50=month, p90=month)
            assert spread.no_crossing_share == 0.0


def test_probabilities_of_being_cheapest_sum_to_one() -> None:
    result = analyse(_scenario(CLOSE_CALL), draws=DRAWS)
    available = [a.id for a in estimate(_scenario(CLOSE_CALL)).approaches if a.available]
    assert list(result.p_cheapest) == available
    assert sum(result.p_cheapest.values()) == pytest.approx(1.0, abs=1e-12)
    # A close call: neither prompting nor LoRA wins every draw.
    assert 0 < result.p_cheapest["prompting"] < 1 and 0 < result.p_cheapest["lora"] < 1


def test_the_same_seed_gives_the_same_numbers() -> None:
    scenario = _scenario(CLOSE_CALL)
    assert analyse(scenario, draws=500, seed=7) == analyse(scenario, draws=500, seed=7)


def test_another_seed_gives_slightly_different_numbers() -> None:
    scenario = _scenario(CLOSE_CALL)
    first, second = analyse(scenario, draws=DRAWS, seed=1), analyse(scenario, draws=DRAWS, seed=2)
    assert first.ranges != second.ranges
    for key, spread in first.ranges.items():
        assert second.ranges[key].p50 == pytest.approx(spread.p50, rel=0.05)


def test_each_draw_costs_what_estimate_gives_with_those_values() -> None:
    # The Monte Carlo reuses the approach formulas on arrays: draw i must equal a plain
    # estimate() with draw i's values as overrides and the prices scaled by its factors.
    scenario = _scenario(CLOSE_CALL)
    sim = simulate(scenario, draws=20, seed=3)
    for i in (0, 7, 19):
        values = {key: float(drawn[i]) for key, drawn in sim.inputs.items()}
        api, finetune = values.pop(API_PRICE_FACTOR), values.pop(FINETUNE_PRICE_FACTOR)
        pinned = parse_scenario(scenario.model_dump(mode="json") | {"assumptions": values})
        prices = scale_prices(models(), pinned, api, finetune)
        for approach in estimate(pinned, prices).approaches:
            if approach.available:
                drawn_total = sim.total_usd(approach.id)[i]
                assert drawn_total == pytest.approx(approach.total_usd, rel=1e-12)
                drawn_query = sim.per_query_usd[approach.id][i]
                assert drawn_query == pytest.approx(approach.per_query_usd, rel=1e-12)


def test_ranges_wider_than_ten_times_are_drawn_in_log_space() -> None:
    spreads = {s.id: s for s in input_spreads(_scenario())}
    assert spreads["labels.human_usd_per_example"].distribution == "log-triangular"  # 200×
    assert spreads["rag.top_k"].distribution == "triangular"  # 2–5
    assert spreads["rag.vector_store_usd_per_month"].distribution == "triangular"  # low 0
    assert "calendar.days_per_month" not in spreads  # low == high


def test_draws_follow_the_half_triangles_they_name_with_the_likely_value_as_median() -> None:
    spreads = {s.id: s for s in input_spreads(_scenario())}
    # Two half-triangles meeting at 3, half the draws each side: rising on [2, 3] (mean
    # 2 + 2/3 × 1) and falling on [3, 5] (mean 3 + 1/3 × 2), so the mean is (2 + 4 × 3 + 5) / 6
    # = 3.17 and the median is the likely value, 3.
    top_k = draw(spreads["rag.top_k"], 40_000, seed=0)
    assert top_k.min() >= 2 and top_k.max() <= 5
    assert top_k.mean() == pytest.approx(19 / 6, rel=0.01)
    assert np.median(top_k) == pytest.approx(3, abs=0.02)
    # ln(label USD) the same on (ln 0.05, ln 1, ln 10): mean (ln 0.05 + 4 ln 1 + ln 10) / 6 =
    # −0.116, standard deviation about 1, so 40,000 draws land within ±0.02 (4 σ/√n); median 1.
    labels = draw(spreads["labels.human_usd_per_example"], 40_000, seed=0)
    assert labels.min() >= 0.05 and labels.max() <= 10
    assert np.log(labels).mean() == pytest.approx(math.log(0.05 * 10) / 6, abs=0.02)
    assert np.median(labels) == pytest.approx(1.0, rel=0.03)


def test_every_preset_total_sits_inside_its_own_p10_p90_range() -> None:
    # The headline is the total at likely values; with each input's median at its likely value
    # it must fall inside the middle 80% of outcomes (before, most sat below their P10).
    for preset_id in presets():
        result = with_uncertainty(estimate(get_preset(preset_id).scenario), draws=2_000, seed=1)
        for approach in result.approaches:
            if approach.available and approach.range is not None:
                assert approach.range.p10 <= approach.total_usd <= approach.range.p90, (
                    preset_id,
                    approach.id,
                )


def test_the_users_own_values_are_not_varied() -> None:
    scenario = _scenario({"assumptions": {"rag.top_k": 4, "lora.setup_hours": 100}})
    result = analyse(scenario, draws=200)
    varied = {s.id for s in result.varied}
    assert "rag.top_k" not in varied and "lora.setup_hours" not in varied
    assert "rag.chunk_tokens" in varied
    swept = {row.assumption for row in result.sensitivity}
    assert swept.isdisjoint({"rag.top_k", "lora.setup_hours"})


def test_chunk_sizes_stay_above_a_pinned_overlap() -> None:
    # Overlap pinned at 600 tokens: a chunk of 512 (the table's low) would never advance.
    scenario = _scenario({"assumptions": {"rag.chunk_overlap_tokens": 600}})
    chunk = {s.id: s for s in input_spreads(scenario)}["rag.chunk_tokens"]
    assert (chunk.low, chunk.value, chunk.high) == (601, 800, 1024)
    result = analyse(scenario, draws=500)
    assert all(math.isfinite(v) and v > 0 for r in _all_ranges(result) for v in (r.p10, r.p90))


def test_setup_hours_top_rags_tornado_over_one_month() -> None:
    # Low volume, one month, $100/h. RAG's swings (low → high of each range):
    #   rag.setup_hours           (160 − 24) h × $100               = $13,600
    #   rag.upkeep_hours_per_month (24 − 4) h × $100 × 1 month       =  $2,000
    #   the managed store's $50 minimum is a fixed list price: no swing
    #   eval.hours_per_model_update (24 − 4) h × 2/yr / 12 × $100     =    $333
    #   tokens: 10 queries/day ≈ 304 queries/month ≈ $1 in total: negligible.
    base = {"traffic": {"queries_per_day": 10}, "team": {"hourly_rate_usd": 100}}
    short = sensitivity(_scenario(base | {"horizon_months": 1}))
    rows = [row for row in short.rows if row.approach == "rag"]
    assert rows[0].assumption == "rag.setup_hours"
    assert rows[0].swing == pytest.approx(13_600)
    assert rows[1].assumption == "rag.upkeep_hours_per_month"
    assert rows[1].swing == pytest.approx(2_000)
    # Over 12 months the upkeep range is paid 12 times: $2,000 × 12 = $24,000 > $13,600.
    long = sensitivity(_scenario(base | {"horizon_months": 12}))
    top = next(row for row in long.rows if row.approach == "rag")
    assert top.assumption == "rag.upkeep_hours_per_month"
    assert top.swing == pytest.approx(24_000)


def test_chunk_size_tops_rags_tornado_for_a_huge_knowledge_base() -> None:
    # 100M documents × 10,000 tokens = 1e12 tokens × $0.02 per 1M = $20,000 per pass. The
    # index holds chunk / (chunk − 400 overlap) passes and is embedded once plus 5% a month:
    # 1 + 12 × 0.05 = 1.6 times. Chunk 512 → 512/112 = 4.571 passes; 1024 → 1024/624 = 1.641.
    # The managed vector store holds 1e12 / (chunk − 400) chunks of 4 × 1,536 + 3,500 = 9,644
    # bytes: 86,107 GB at 512, 15,455 GB at 1,024; storage $0.33/GB-month × 12, and every query
    # reads 1 unit per GB ($16 per 1M units) over 10 × 30.4375 × 12 = 3,652.5 queries. Longer
    # retrieved context costs 3 chunks × 512 more tokens × $2.50/1M (gpt-5.4) a query.
    # Evaluation runs (2 changes + 2 updates a year: 4/12 × 300 examples × 12 months = 1,200
    # queries) pay each query's difference once more.
    kb = {"documents": 100_000_000, "tokens_per_document": 10_000, "changed_pct_per_month": 5}
    scenario = _scenario(
        {
            "traffic": {"queries_per_day": 10},
            "data": {"knowledge_base": kb},
            "team": {"hourly_rate_usd": 100},
        }
    )
    rows = [row for row in sensitivity(scenario).rows if row.approach == "rag"]
    queries = 10 * 30.4375 * 12
    embed_usd = 20_000 * 1.6 * (512 / 112 - 1024 / 624)
    index_gb = 1e12 / 112 * 9644 / 1e9 - 1e12 / 624 * 9644 / 1e9
    reads_per_query = index_gb * 16 / 1e6
    context_per_query = 3 * 512 * 2.5 / 1e6
    per_query = reads_per_query - context_per_query
    swing = embed_usd + index_gb * 0.33 * 12 + (queries + 1200) * per_query
    assert rows[0].assumption == "rag.chunk_tokens"
    assert rows[0].swing == pytest.approx(swing, rel=1e-9)
    # Dimensions 512 → 3,072: 2.5e9 chunks × 4 × 2,560 bytes = 25,600 GB more to store and read.
    dims_gb = 1e12 / 400 * 4 * (3072 - 512) / 1e9
    assert rows[1].assumption == "rag.embedding_dimensions"
    dims_swing = dims_gb * 0.33 * 12 + (queries + 1200) * dims_gb * 16 / 1e6
    assert rows[1].swing == pytest.approx(dims_swing, rel=1e-9)


def test_tornado_rows_are_sorted_and_skip_inputs_an_approach_does_not_read() -> None:
    result = analyse(_scenario(CLOSE_CALL), draws=200)
    for approach in result.ranges:
        swings = [row.swing for row in result.tornado(approach)]
        assert swings == sorted(swings, reverse=True)
        assert all(swing > 0 for swing in swings)
    assert not any(r.assumption.startswith("rag.") for r in result.tornado("prompting"))


def test_every_flip_changes_what_estimate_calls_cheapest() -> None:
    scenario = _scenario(CLOSE_CALL)
    result = analyse(scenario, draws=200)
    assert result.flips
    for flip in result.flips:
        assert flip.instead_of == estimate(scenario).cheapest != flip.cheapest
        factors = {API_PRICE_FACTOR: 1.0, FINETUNE_PRICE_FACTOR: 1.0}
        values = {}
        if flip.assumption in factors:
            factors[flip.assumption] = flip.value
        else:
            values[flip.assumption] = flip.value
        moved = parse_scenario(scenario.model_dump(mode="json") | {"assumptions": values})
        prices = scale_prices(models(), moved, *factors.values())
        assert estimate(moved, prices).cheapest == flip.cheapest


def test_crossing_months_follow_the_timeline_rule_including_ties() -> None:
    rng = np.random.default_rng(1)
    # Small integers make equal setups and touching curves common.
    cum_a = np.cumsum(rng.integers(0, 4, (3_000, 9)), axis=1).astype(float)
    cum_b = np.cumsum(rng.integers(0, 4, (3_000, 9)), axis=1).astype(float)
    expected = []
    for a, b in zip(cum_a, cum_b, strict=True):
        found = crossing_month(list(a), list(b), "a", "b")
        expected.append(found[0] if found else -1)
    assert (cum_a[:, 0] == cum_b[:, 0]).any()
    # crossing_months takes months as rows, draws as columns.
    assert crossing_months(cum_a.T, cum_b.T).tolist() == expected


def test_an_approach_whose_formulas_refuse_arrays_is_priced_draw_by_draw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = _scenario(CLOSE_CALL)
    vectorised = analyse(scenario, draws=100, seed=5)
    original = prompting.cost

    def scalar_only(ctx):  # type: ignore[no-untyped-def]
        float(ctx.assumptions["prompting.setup_hours"])  # raises TypeError on an array
        return original(ctx)

    monkeypatch.setattr(prompting, "cost", scalar_only)
    slow = analyse(scenario, draws=100, seed=5)
    assert vectorised.scalar_fallback == [] and slow.scalar_fallback == ["prompting"]
    assert vectorised.available_share == dict.fromkeys(vectorised.ranges, 1.0)
    assert slow.model_dump(exclude={"scalar_fallback"}) == vectorised.model_dump(
        exclude={"scalar_fallback"}
    )


def test_draw_by_draw_pricing_keeps_the_first_draws_when_capped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = _scenario(CLOSE_CALL)
    # Each input has its own stream, so the first 200 of 1,500 draws are the 200 draws a run
    # asked for 200 would make: the capped run equals that run.
    shorter = analyse(scenario, draws=200, seed=4)
    original = prompting.cost

    def scalar_only(ctx):  # type: ignore[no-untyped-def]
        float(ctx.assumptions["prompting.setup_hours"])
        return original(ctx)

    monkeypatch.setattr(prompting, "cost", scalar_only)
    capped = analyse(scenario, draws=1_500, seed=4, scalar_draws_max=200)
    assert (capped.draws, capped.draws_requested) == (200, 1_500)
    same = {"scalar_fallback", "draws_requested"}
    assert capped.model_dump(exclude=same) == shorter.model_dump(exclude=same)


def test_self_hosted_fine_tunes_get_ranges_too() -> None:
    scenario = _scenario(
        {
            "models": {"small": "llama-3.1-8b-instruct", "large": "llama-3.1-70b-instruct"},
            "fine_tuning": {"hosting": "self_hosted", "gpu": "h100-80gb"},
            "traffic": {"queries_per_day": 50_000},
        }
    )
    point = {a.id: a for a in estimate(scenario).approaches}
    result = analyse(scenario, draws=300)
    assert point["lora"].available and "lora" in result.ranges
    assert all(0.0 <= share <= 1.0 for share in result.available_share.values())
    assert sum(result.p_cheapest.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(math.isfinite(v) for r in _all_ranges(result) for v in (r.p10, r.p50, r.p90))


def test_a_pinned_price_factor_scales_the_prices_it_is_not_drawn() -> None:
    # Pinning the API factor at 2 is the same as handing in a catalogue at twice the price.
    pinned = _scenario({"assumptions": {API_PRICE_FACTOR: 2.0}})
    plain = _scenario()
    doubled = scale_prices(models(), plain, api_factor=2.0)
    assert API_PRICE_FACTOR not in {s.id for s in input_spreads(pinned)}
    assert sensitivity(pinned).base_totals == sensitivity(plain, doubled).base_totals


def test_price_factors_scale_only_their_price_class() -> None:
    scenario = _scenario()
    catalogue = models()
    assert scale_prices(catalogue, scenario) == catalogue
    scaled = scale_prices(catalogue, scenario, api_factor=2.0, finetune_factor=0.5)
    before, after = catalogue["gpt-4.1"], scaled["gpt-4.1"]
    assert after.input_usd_per_mtok == 2 * before.input_usd_per_mtok
    assert after.fine_tuning.training_usd_per_mtok == 0.5 * before.fine_tuning.training_usd_per_mtok
    embedding = scenario.models.embedding
    assert scaled[embedding].input_usd_per_mtok == 2 * catalogue[embedding].input_usd_per_mtok
    assert scaled["gpt-4o"] is catalogue["gpt-4o"]  # not a model of this scenario


def test_draw_count_and_seed_are_checked() -> None:
    with pytest.raises(EstimatorError, match="draws"):
        analyse(_scenario(), draws=0)
    with pytest.raises(EstimatorError, match="seed"):
        analyse(_scenario(), seed=-1)


@settings(max_examples=25, deadline=None)
@given(scenarios)
def test_any_valid_scenario_gives_finite_ordered_outputs(scenario: Scenario) -> None:
    result = analyse(scenario, draws=64)
    for spread in _all_ranges(result):
        assert all(math.isfinite(v) for v in (spread.p10, spread.p50, spread.p90))
        assert spread.p10 <= spread.p50 <= spread.p90
    if result.p_cheapest:
        assert sum(result.p_cheapest.values()) == pytest.approx(1.0, abs=1e-12)
    for row in result.sensitivity:
        assert math.isfinite(row.low_total) and math.isfinite(row.high_total)
        assert row.swing == abs(row.high_total - row.low_total) > 0
    for spread in result.break_even_spread:
        assert 0.0 <= spread.no_crossing_share <= 1.0


def test_a_pinned_price_factor_scales_estimate_and_analysis_alike() -> None:
    pinned = {"task": {"problems": ["style"]}, "assumptions": {API_PRICE_FACTOR: 2.0}}
    doubled = parse_scenario(pinned)
    plain = parse_scenario({"task": {"problems": ["style"]}})
    # prompting's per-query cost is all hosted-token cost, so it doubles exactly
    base_usd = estimate(plain).approach("prompting").per_query_usd
    assert estimate(doubled).approach("prompting").per_query_usd == pytest.approx(2 * base_usd)
    # prompting's per-query cost reads no assumption, so with the factor pinned its range
    # collapses onto the estimate: the factor is neither drawn nor applied twice
    result = analyse(doubled, draws=500, seed=1)
    expected_usd = estimate(doubled).approach("prompting").per_query_usd
    spread = result.per_query_ranges["prompting"]
    assert (spread.p10, spread.p50, spread.p90) == pytest.approx((expected_usd,) * 3)
    assert API_PRICE_FACTOR not in {spread.id for spread in result.varied}


# --- self-hosted fine-tunes on arrays ------------------------------------------------------------

SELF_HOSTED_LOW_TRAFFIC = {
    "models": {"small": "llama-3.1-8b-instruct", "large": "llama-3.1-70b-instruct"},
    "fine_tuning": {"hosting": "self_hosted", "gpu": "h100-80gb", "serving_gpu": "l4-24gb"},
    "traffic": {"queries_per_day": 2_000},
    # the inputs that only size GPUs: pinned, so that no draw would change the plan
    "assumptions": {
        "selfhost.usable_memory_fraction": 0.9,
        "selfhost.micro_batch_sequences": 4,
        "selfhost.lora_trainable_fraction": 0.005,
    },
}


def test_the_self_hosted_preset_is_priced_on_arrays_not_draw_by_draw() -> None:
    from estimators.presets import get_preset

    scenario = get_preset("self-hosted-triage").scenario
    result = analyse(scenario, draws=2_000, seed=0)
    assert result.scalar_fallback == []
    assert (result.draws, result.draws_requested) == (2_000, 2_000)
    assert {"lora", "full"} <= set(result.ranges)
    # the sweep's row 0 holds every input at its value: the estimate's own totals
    point = estimate(scenario)
    for key in ("lora", "full"):
        assert result_total(point, key) == pytest.approx(
            sensitivity(scenario).base_totals[key], rel=1e-12
        )


def result_total(result, approach_id: str) -> float:  # type: ignore[no-untyped-def]
    total = result.approach(approach_id).total_usd
    assert total is not None
    return float(total)


def test_each_self_hosted_draw_costs_what_estimate_gives_when_the_plan_holds() -> None:
    # With the serving GPU picked and traffic small, no draw changes the plan (1 GPU per replica,
    # 1 replica, 1 or 2 nodes for training), so draw i equals estimate() at draw i's values.
    scenario = _scenario(SELF_HOSTED_LOW_TRAFFIC)
    sim = simulate(scenario, draws=20, seed=5)
    assert sim.scalar_fallback == ()
    for i in (0, 9, 19):
        values = {key: float(drawn[i]) for key, drawn in sim.inputs.items()}
        api, finetune = values.pop(API_PRICE_FACTOR), values.pop(FINETUNE_PRICE_FACTOR)
        pinned = parse_scenario(scenario.model_dump(mode="json") | {"assumptions": values})
        prices = scale_prices(models(), pinned, api, finetune)
        point = estimate(pinned, prices)
        for key in ("lora", "full", "rag_lora"):
            assert sim.total_usd(key)[i] == pytest.approx(result_total(point, key), rel=1e-12)
            assert sim.per_query_usd[key][i] == pytest.approx(
                point.approach(key).per_query_usd, rel=1e-12
            )


def test_rag_on_the_fine_tune_is_priced_on_arrays_draw_for_draw_as_estimate() -> None:
    scenario = _scenario({"task": {"problems": ["knowledge", "cost"]}})
    sim = simulate(scenario, draws=20, seed=2)
    assert sim.scalar_fallback == ()
    for i in (0, 11, 19):
        values = {key: float(drawn[i]) for key, drawn in sim.inputs.items()}
        api, finetune = values.pop(API_PRICE_FACTOR), values.pop(FINETUNE_PRICE_FACTOR)
        pinned = parse_scenario(scenario.model_dump(mode="json") | {"assumptions": values})
        point = estimate(pinned, scale_prices(models(), pinned, api, finetune))
        assert sim.total_usd("rag_lora")[i] == pytest.approx(
            result_total(point, "rag_lora"), rel=1e-12
        )


NEW_BILLING_INPUTS = {
    "cache.lifetime_seconds",
    "reasoning.tokens_per_query",
    "eval.set_examples",
    "dspy.program_modules",
    "dspy.proposer_call_input_tokens",
    "dspy.proposer_call_output_tokens",
    "rag.embedding_dimensions",
    "rag.metadata_bytes_per_chunk",
    "rag.store_usd_per_million_read_units",
    "labels.review_sample_examples",
    "labels.scripted_check_hours",
    "labels.human_usd_per_example",
}


def test_caching_batch_reasoning_tiers_and_the_store_are_drawn_without_a_scalar_fallback() -> None:
    # gemini-2.5-pro reasons and has a 200,000-token tier: DSPy's drawn demos (0–8 × 450 tokens)
    # push a 199,000-token prompt over it in some draws and not in others.
    scenario = _scenario(
        {
            "models": {"general": "gemini-2.5-pro"},
            "traffic": {"input_tokens": 199_000, "system_prompt_tokens": 3_000, "batch_share": 0.5},
            # a million documents: a 22 GB index, so storage and reads pass the $50 minimum
            "data": {"labels_source": "human", "knowledge_base": {"documents": 1_000_000}},
        }
    )
    # gemini-2.5-pro shut down on 2026-10-20: priced as of 2026-10-01, when it still ran
    result = analyse(scenario, draws=400, seed=2, prices=BEFORE_RETIREMENTS)
    assert result.scalar_fallback == []
    assert {s.id for s in result.varied} >= NEW_BILLING_INPUTS
    for approach in ("prompting", "dspy", "rag", "lora"):
        spread = result.ranges[approach]
        assert spread.p10 < spread.p90, approach
    read = {row.assumption for row in result.tornado("dspy")}
    assert {"reasoning.tokens_per_query", "dspy.program_modules"} <= read
    assert "rag.embedding_dimensions" in {row.assumption for row in result.tornado("rag")}
    assert "labels.human_usd_per_example" in {row.assumption for row in result.tornado("lora")}


def test_every_new_billing_default_has_a_range() -> None:
    table = defaults()
    for key in NEW_BILLING_INPUTS:
        assert table[key].low < table[key].high, key
