"""The latency budget, the decision's use of it, monotonic properties, the ranges and the CLI."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.assumptions import defaults
from estimators.decision.recommend import decide
from estimators.errors import UnknownIdError
from estimators.estimate import build_context, estimate, price_approaches
from estimators.latency.approach import timing
from estimators.latency.budget import over_budget_ms
from estimators.latency.formulas import selfhost_ms_per_token, selfhost_prefill_ms
from estimators.scenario import Scenario, ScenarioError, parse_scenario
from estimators.uncertainty.analysis import monte_carlo
from report.cli import main
from tests.strategies import scenarios, with_changes
from tests.unit.latency.test_latency import PROMPTING_P50, pinned, self_hosted
from tests.unit.uncertainty.test_uncertainty import _collapsed

FAST = settings(max_examples=40, deadline=None)
API_APPROACHES = ("prompting", "dspy", "rag")


def with_budget(budget_ms: float | None, problems: list[str] | None = None) -> Scenario:
    task = {"problems": problems or ["style"], "changes_per_year": 2}
    return pinned(traffic={"latency_budget_ms": budget_ms}, task=task)


# --- the scenario field --------------------------------------------------------------------------


def test_the_budget_is_optional_and_positive() -> None:
    assert parse_scenario({}).traffic.latency_budget_ms is None
    assert (
        parse_scenario({"traffic": {"latency_budget_ms": 2500}}).traffic.latency_budget_ms == 2500
    )
    for bad in (0, -1, "fast"):
        with pytest.raises(ScenarioError, match=r"traffic\.latency_budget_ms"):
            parse_scenario({"traffic": {"latency_budget_ms": bad}})


# --- the flag ------------------------------------------------------------------------------------


def test_an_approach_over_budget_says_how_far_and_what_would_fix_it() -> None:
    # prompting's p95 = 3,689.4 ms × 1.5 = 5,534.1 ms against 4,000 ms
    latency = estimate(with_budget(4_000)).approach("prompting").latency
    assert latency is not None
    assert latency.over_budget_ms == pytest.approx(PROMPTING_P50 * 1.5 - 4_000)
    # The answer's streaming is most of it: its fix comes first, with its share of the p95
    assert latency.fixes[0].startswith("Stream the answer on gpt-4.1: 4,438 ms of the p95")
    assert "smaller, faster model" in latency.fixes[0]


def test_within_budget_or_without_one_there_is_no_flag() -> None:
    for budget in (None, 60_000):
        latency = estimate(with_budget(budget)).approach("prompting").latency
        assert latency is not None
        assert latency.over_budget_ms is None and latency.fixes == []


def test_rag_over_budget_names_the_chunks_and_the_retrieval() -> None:
    scenario = pinned(
        traffic={"latency_budget_ms": 100, "output_tokens": 1},
        assumptions={"rag.top_k": 5, "rag.chunk_tokens": 1000},
    )
    fixes = " ".join(estimate(scenario).approach("rag").latency.fixes)  # type: ignore[union-attr]
    assert "rag.top_k" in fixes or "vector index" in fixes


def test_a_busy_self_hosted_replica_suggests_more_replicas() -> None:
    scenario = self_hosted(queries_per_day=3_000_000, latency_budget_ms=10)
    latency = estimate(scenario).approach("lora").latency
    assert latency is not None and latency.over_budget_ms is not None
    assert "more self-hosted replicas" in latency.fixes[0]


@FAST
@given(st.floats(1, 100_000), st.floats(1, 100_000))
def test_the_flag_is_raised_iff_the_p95_exceeds_the_budget(p95: float, budget: float) -> None:
    over = over_budget_ms(p95, budget)
    assert (over is not None) == (p95 > budget)
    if over is not None:
        assert over == pytest.approx(p95 - budget)


# --- the decision --------------------------------------------------------------------------------


def test_with_latency_a_problem_an_approach_over_budget_is_not_recommended() -> None:
    problems = ["latency"]
    free = estimate(with_budget(None, problems))
    assert free.recommendation.approach == "lora"
    # The fine-tuned mini model's p95 ≈ 3,894 ms: a 3,000 ms budget rules it out with the rest
    bound = estimate(with_budget(3_000, problems))
    assert all(a.verdict != "recommended" for a in bound.approaches)
    assert bound.recommendation.approach is None
    assert bound.recommendation.headline == "No approach meets the latency budget"
    assert any(step.inputs == ["traffic.latency_budget_ms"] for step in bound.decision_path)
    lora = bound.approach("lora")
    assert lora.verdict == "avoid"
    assert lora.reasons[0].startswith("Misses the latency budget (traffic.latency_budget_ms)")


def test_only_the_approaches_over_budget_are_held_back() -> None:
    # RAG's p95 sits above prompting's; a budget between them bars RAG alone
    base = estimate(with_budget(None, ["knowledge", "latency"]))
    rag, prompting = base.approach("rag").latency, base.approach("prompting").latency
    assert rag is not None and prompting is not None and base.recommendation.approach == "rag"
    budget = (rag.p95_ms + prompting.p95_ms) / 2
    bound = estimate(with_budget(budget, ["knowledge", "latency"]))
    assert bound.approach("rag").verdict == "avoid"
    assert bound.recommendation.approach not in (None, "rag")


def test_without_latency_among_the_problems_the_budget_only_flags() -> None:
    free, bound = estimate(with_budget(None)), estimate(with_budget(1))
    assert [a.verdict for a in bound.approaches] == [a.verdict for a in free.approaches]
    assert bound.recommendation == free.recommendation
    assert all(a.latency and a.latency.over_budget_ms for a in bound.approaches if a.available)


def test_decide_rejects_an_unknown_approach_in_the_misses() -> None:
    with pytest.raises(UnknownIdError, match="nope"):
        decide(with_budget(1, ["latency"]), {"prompting": 1.0}, None, {"nope": 5.0})


# --- monotonic properties ------------------------------------------------------------------------


def _p50s(scenario: Scenario) -> dict[str, float]:
    return {
        a.id: a.latency.p50_ms
        for a in estimate(scenario).approaches
        if a.latency is not None and a.latency.hosting == "api"
    }


@FAST
@given(scenarios, st.integers(1, 2_000))
def test_more_output_tokens_never_lower_a_hosted_approachs_latency(
    scenario: Scenario, more: int
) -> None:
    longer = with_changes(scenario, "traffic", output_tokens=scenario.traffic.output_tokens + more)
    before, after = _p50s(scenario), _p50s(longer)
    for key, p50 in before.items():
        if key in after:
            assert after[key] >= p50


@FAST
@given(scenarios, st.floats(2.0, 5.0), st.floats(512, 1024))
def test_more_retrieved_tokens_never_lower_rags_latency(
    scenario: Scenario, top_k: float, chunk: float
) -> None:
    def rag_p95(values: dict[str, float]) -> float | None:
        data = scenario.model_dump(mode="json")
        data["assumptions"] = values
        latency = estimate(parse_scenario(data)).approach("rag").latency
        return None if latency is None else latency.p95_ms

    fewer = rag_p95({"rag.top_k": top_k, "rag.chunk_tokens": chunk})
    more = rag_p95({"rag.top_k": top_k + 1, "rag.chunk_tokens": chunk})
    if fewer is not None and more is not None:
        assert more > fewer


@FAST
@given(
    st.floats(1, 100),
    st.floats(0, 1e9),
    st.floats(1, 512),
    st.floats(100, 5000),
    st.floats(1, 3),
    st.floats(10, 2000),
    st.floats(1, 3),
    st.sampled_from([1.0, 2.0, 4.0, 8.0]),
)
def test_a_faster_gpu_never_raises_decode_or_prefill_time(
    params_b: float,
    kv: float,
    batch: float,
    bandwidth: float,
    more_bandwidth: float,
    tflops: float,
    more_tflops: float,
    gpus: float,
) -> None:
    common = {
        "params_b": params_b,
        "bytes_per_param": 2.0,
        "kv_bytes_per_sequence": kv,
        "batch": batch,
        "bandwidth_efficiency": 0.7,
        "mfu": 0.45,
        "gpus": gpus,
    }
    slow = selfhost_ms_per_token(bandwidth_gb_per_s=bandwidth, tflops=tflops, **common)
    fast = selfhost_ms_per_token(
        bandwidth_gb_per_s=bandwidth * more_bandwidth, tflops=tflops * more_tflops, **common
    )
    assert fast <= slow
    prefill = {"params_b": params_b, "prompt_tokens": 1000.0, "mfu": 0.45, "gpus": gpus}
    assert selfhost_prefill_ms(tflops=tflops * more_tflops, **prefill) <= selfhost_prefill_ms(
        tflops=tflops, **prefill
    )


def test_a_faster_gpu_never_raises_the_self_hosted_latency_at_the_same_plan() -> None:
    scenario = self_hosted(queries_per_day=500_000)
    ctx = build_context(scenario)
    lora = next(c for c in price_approaches(ctx) if c.profile.id == "lora")
    assert lora.training is not None
    h100 = timing(ctx, lora)
    on_h200 = lora.training.model_copy(update={"serving_gpu": "h200-141gb"})
    h200 = timing(ctx, lora.model_copy(update={"training": on_h200}))
    assert h100 is not None and h200 is not None
    assert h200.p50_ms < h100.p50_ms


# --- ranges over the draws -----------------------------------------------------------------------


def test_every_latency_assumption_is_drawn() -> None:
    varied = {spread.id for spread in monte_carlo(parse_scenario({}), draws=50).varied}
    latency_ids = {key for key in defaults() if key.startswith("latency.")}
    assert latency_ids and latency_ids <= varied


def test_the_p95_range_collapses_onto_the_estimate_when_nothing_varies() -> None:
    scenario = with_budget(4_000)
    point = estimate(scenario)
    result = monte_carlo(scenario, draws=200, table=_collapsed())
    for approach in point.approaches:
        if approach.latency is None:
            assert approach.id not in result.latency_p95_ranges
            continue
        p95 = approach.latency.p95_ms
        assert result.latency_p95_ranges[approach.id].p50 == pytest.approx(p95)
        assert result.over_budget_share[approach.id] == (1.0 if p95 > 4_000 else 0.0)


def test_the_draws_spread_the_p95_and_count_the_draws_over_budget() -> None:
    result = monte_carlo(parse_scenario({"traffic": {"latency_budget_ms": 5_000}}), draws=2_000)
    for key, band in result.latency_p95_ranges.items():
        assert band.p10 < band.p50 < band.p90, key
        assert 0.0 <= result.over_budget_share[key] <= 1.0
    assert monte_carlo(parse_scenario({}), draws=100).over_budget_share == {}


# --- the CLI JSON --------------------------------------------------------------------------------


def _json(*args: str) -> dict[str, object]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["estimate", *args, "--format", "json"]) == 0
    return json.loads(out.getvalue())


def test_the_cli_json_carries_each_approachs_latency() -> None:
    data = _json("self-hosted-triage", "--draws", "0")
    keys = {"ttft_ms", "p50_ms", "p95_ms", "items", "over_budget_ms", "rate_limit_tier"}
    for approach in data["approaches"]:  # type: ignore[union-attr]
        latency = approach["latency"]
        if not approach["available"]:
            assert latency is None
            continue
        assert keys <= set(latency)
        assert latency["p50_ms"] == pytest.approx(sum(item["ms"] for item in latency["items"]))
        assert latency["ttft_ms"] <= latency["p50_ms"] < latency["p95_ms"]
        assert all({"label", "formula", "inputs", "sources"} <= set(i) for i in latency["items"])
    by_id = {a["id"]: a for a in data["approaches"]}  # type: ignore[union-attr, index]
    assert by_id["prompting"]["latency"]["rate_limit_tier"].startswith("Tier")
    assert by_id["lora"]["latency"]["rate_limit_tier"] is None  # self-hosted


def test_the_cli_json_carries_the_p95_ranges_when_draws_run() -> None:
    data = _json("support-chatbot", "--draws", "200")
    prompting = data["approaches"][0]["latency"]  # type: ignore[index]
    assert prompting["p95_ms_range"]["p10"] < prompting["p95_ms_range"]["p90"]
    assert "prompting" in data["uncertainty"]["latency_p95_ranges"]  # type: ignore[index]


def test_the_cli_table_says_when_no_approach_meets_the_budget(tmp_path: Path) -> None:
    data = with_budget(1, ["latency"]).model_dump(mode="json")
    path = tmp_path / "tight.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["estimate", str(path), "--draws", "0"]) == 0
    text = out.getvalue()
    assert "p50/p95 ms" in text
    assert "Recommended: none. No approach meets the latency budget" in text
    assert "Latency budget (p95): 1 ms; 6 approach(es) over it" in text
