"""The failure-mode checklist: levels from documented thresholds, drivers that name real inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.decision.risks import (
    LEVELS,
    RISK_IDS,
    Risk,
    assess_risks,
)
from estimators.errors import EstimatorError
from estimators.ids import APPROACH_IDS, PROBLEMS
from estimators.scenario import Scenario, parse_scenario, scenario_paths
from tests.fields import inputs_named


def risk(data: dict, risk_id: str, diversity: str | None = None) -> Risk:
    return next(r for r in assess_risks(parse_scenario(data), diversity) if r.id == risk_id)


def test_the_checklist_has_the_twelve_named_risks_in_order() -> None:
    assert RISK_IDS == (
        "hallucinated_fluency",
        "distribution_cliff",
        "base_capability_regression",
        "retraining_lag",
        "base_model_lock_in",
        "data_insufficiency",
        "fabricated_citations",
        "retrieval_miss",
        "stale_index",
        "prompt_injection",
        "context_overflow",
        "prompt_sprawl",
    )
    assert [r.id for r in assess_risks(parse_scenario({}))] == list(RISK_IDS)


def test_every_risk_says_how_to_mitigate_and_test_it() -> None:
    for item in assess_risks(parse_scenario({})):
        assert item.title and item.description and item.mitigation and item.how_to_test
        assert set(item.applies_to) <= set(APPROACH_IDS)
        assert set(item.level_by_approach) == set(item.applies_to)
        assert item.level == max(item.level_by_approach.values(), key=LEVELS.index)


def test_retrieval_has_failure_modes_of_its_own_but_not_invented_citations() -> None:
    # RAG is the article's answer to invented facts; it has its own failure modes instead.
    assert "rag" not in risk({}, "fabricated_citations").applies_to
    rag_only = {
        r.id for r in assess_risks(parse_scenario({})) if r.applies_to == ["rag", "rag_lora"]
    }
    assert rag_only == {"retrieval_miss", "stale_index", "prompt_injection", "context_overflow"}


@pytest.mark.parametrize(
    ("documents", "top_k", "level"),
    [(10_000, 4, "low"), (10_001, 4, "medium"), (500, 3, "medium"), (10_001, 3, "high")],
)
def test_retrieval_misses_grow_with_the_base_and_shrink_with_chunks(
    documents: int, top_k: int, level: str
) -> None:
    scenario = {
        "data": {"knowledge_base": {"documents": documents}},
        "assumptions": {"rag.top_k": top_k},
    }
    assert risk(scenario, "retrieval_miss").level == level


@pytest.mark.parametrize(("changed", "level"), [(2.9, "low"), (3, "medium"), (10, "high")])
def test_a_fast_changing_base_goes_stale_between_re_embeds(changed: float, level: str) -> None:
    scenario = {"data": {"knowledge_base": {"changed_pct_per_month": changed}}}
    assert risk(scenario, "stale_index").level == level


def test_context_overflow_is_the_prompts_share_of_the_window() -> None:
    # gpt-4o's 128,000-token window: 400 system + 100 × 800 chunk + 150 input = 80,550 tokens,
    # 63% of it: high (over half); 40 chunks → 32,550 tokens, 25.4%: medium.
    def scenario(top_k: int) -> dict[str, object]:
        return {
            "models": {"general": "gpt-4o"},
            "traffic": {"system_prompt_tokens": 400, "input_tokens": 150},
            "assumptions": {"rag.top_k": top_k, "rag.chunk_tokens": 800},
        }

    assert risk(scenario(100), "context_overflow").level == "high"
    assert risk(scenario(40), "context_overflow").level == "medium"
    assert risk(scenario(3), "context_overflow").level == "low"


# --- Thresholds, edge by edge ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("examples", "description", "fine_tune", "dspy"),
    [
        (0, "", "high", "high"),
        (9, "", "high", "high"),
        (10, "", "high", "low"),  # DSPy's dev set is enough from 10
        (49, "", "high", "low"),
        (50, "", "high", "low"),  # 50–99: the risky floor
        (99, "", "high", "low"),
        (100, "", "medium", "low"),  # workable for behaviour
        (499, "", "medium", "low"),
        (500, "", "low", "low"),  # reliable
        (999, "", "low", "low"),
        (999, "multi-step reasoning", "medium", "low"),  # reasoning wants 1,000+
        (1000, "multi-step reasoning", "low", "low"),
    ],
)
def test_data_insufficiency_follows_the_articles_data_sizes(
    examples: int, description: str, fine_tune: str, dspy: str
) -> None:
    item = risk(
        {"task": {"description": description}, "data": {"labelled_examples": examples}},
        "data_insufficiency",
    )
    assert item.level_by_approach == {
        "dspy": dspy,
        "lora": fine_tune,
        "full": fine_tune,
        "rag_lora": fine_tune,
    }


@pytest.mark.parametrize(
    ("changes", "level"), [(0, "low"), (1.99, "low"), (2, "medium"), (3.99, "medium"), (4, "high")]
)
def test_retraining_lag_rises_with_task_changes(changes: float, level: str) -> None:
    assert risk({"task": {"changes_per_year": changes}}, "retraining_lag").level == level


@pytest.mark.parametrize(
    ("problems", "drift_pct", "level"),
    [
        (["knowledge"], 0.99, "low"),
        (["knowledge"], 1, "medium"),
        (["knowledge"], 9.99, "medium"),
        (["knowledge"], 10, "high"),
        (["style"], 50, "low"),  # facts are not asked of the weights
    ],
)
def test_retraining_lag_rises_with_knowledge_drift_when_facts_matter(
    problems: list[str], drift_pct: float, level: str
) -> None:
    data = {
        "task": {"problems": problems, "changes_per_year": 0},
        "data": {"knowledge_base": {"changed_pct_per_month": drift_pct}},
    }
    assert risk(data, "retraining_lag").level == level


@pytest.mark.parametrize(
    ("updates", "level"), [(0, "low"), (0.99, "low"), (1, "medium"), (3.99, "medium"), (4, "high")]
)
def test_lock_in_rises_with_base_model_updates(updates: float, level: str) -> None:
    assert risk({"base_model_updates_per_year": updates}, "base_model_lock_in").level == level


@pytest.mark.parametrize(
    ("problems", "breadth", "level"),
    [
        (["knowledge"], "broad", "high"),
        (["style"], "narrow", "medium"),
        (["style"], "mixed", "low"),
        (["style"], "broad", "low"),
    ],
)
def test_hallucinated_fluency_comes_from_facts_and_narrow_domain_text(
    problems: list[str], breadth: str, level: str
) -> None:
    data = {"task": {"problems": problems}, "data": {"domain_breadth": breadth}}
    assert risk(data, "hallucinated_fluency").level == level


@pytest.mark.parametrize(("problems", "level"), [(["knowledge"], "high"), (["style"], "low")])
def test_fabricated_citations_follow_knowledge_problems(problems: list[str], level: str) -> None:
    assert risk({"task": {"problems": problems}}, "fabricated_citations").level == level


@pytest.mark.parametrize(
    # Points: narrow 2 / mixed 1 / broad 0, plus 2 under 100 examples or 1 under 500.
    ("breadth", "examples", "level"),
    [
        ("broad", 500, "low"),  # 0
        ("broad", 499, "low"),  # 1
        ("broad", 99, "medium"),  # 2
        ("mixed", 500, "low"),  # 1
        ("mixed", 499, "medium"),  # 2
        ("narrow", 500, "medium"),  # 2
        ("narrow", 499, "high"),  # 3
    ],
)
def test_distribution_cliff_from_breadth_and_data_size(
    breadth: str, examples: int, level: str
) -> None:
    data = {"data": {"domain_breadth": breadth, "labelled_examples": examples}}
    assert risk(data, "distribution_cliff").level == level


@pytest.mark.parametrize(
    # Points: breadth (narrow 2, mixed 1), epochs (4+ → 1, 10+ → 2), example passes ≥ 100,000 → 1,
    # learning rate (> 1 → 1, ≥ 2 → 2, ≤ 0.5 → −1); the full fine-tune adds 1. ≥ 2 medium, ≥ 3 high.
    ("breadth", "epochs", "rate", "examples", "lora", "full"),
    [
        ("broad", 3, None, 300, "low", "low"),  # 0 / 1
        ("mixed", 3, None, 300, "low", "medium"),  # 1 / 2
        ("narrow", 3, None, 300, "medium", "high"),  # 2 / 3
        ("broad", 4, None, 300, "low", "medium"),  # 1 / 2: more passes
        ("broad", 10, None, 300, "medium", "high"),  # 2 / 3: many more passes
        ("broad", 3, 1.0, 300, "low", "low"),  # the default rate adds nothing
        ("broad", 3, 1.01, 300, "low", "medium"),  # 1 / 2: higher rate
        ("broad", 3, 2.0, 300, "medium", "high"),  # 2 / 3: much higher rate
        ("mixed", 3, 0.5, 300, "low", "low"),  # 0 / 1: a gentle rate lowers it
        ("broad", 3, None, 33_333, "low", "low"),  # 99,999 passes
        ("broad", 3, None, 33_334, "low", "medium"),  # 100,002 passes: a long run
        ("broad", None, None, 34, "low", "low"),  # default rule: 3 epochs (34 × 3 ≥ 100)
        ("broad", None, None, 20, "low", "medium"),  # default rule: 100 // 20 = 5 epochs
        ("broad", None, None, 10, "medium", "high"),  # default rule: 10 epochs
    ],
)
def test_forgetting_rises_with_narrowness_steps_rate_and_full_fine_tuning(
    breadth: str, epochs: int | None, rate: float | None, examples: int, lora: str, full: str
) -> None:
    data = {
        "data": {"domain_breadth": breadth, "labelled_examples": examples},
        "fine_tuning": {"epochs": epochs, "learning_rate_multiplier": rate},
    }
    item = risk(data, "base_capability_regression")
    assert item.level_by_approach == {"lora": lora, "full": full, "rag_lora": lora}


def test_the_default_epochs_rule_is_named_in_the_drivers() -> None:
    item = risk({"data": {"labelled_examples": 20}}, "base_capability_regression")
    assert any(
        "fine_tuning.epochs is unset, so the default rule picks 5 for 20 examples" in d
        for d in item.drivers
    )


# --- The measured diversity of a training file -------------------------------------------------


@pytest.mark.parametrize(("diversity", "lora"), [("narrow", "medium"), ("low", "medium")])
def test_measured_diversity_replaces_the_stated_breadth(diversity: str, lora: str) -> None:
    item = risk({"data": {"domain_breadth": "broad"}}, "base_capability_regression", diversity)
    assert item.level_by_approach["lora"] == lora
    assert "data.domain_breadth, set to broad" in item.drivers[0]


def test_an_unknown_diversity_value_lists_the_known_ones() -> None:
    with pytest.raises(EstimatorError, match="Known values: broad, high, low, medium"):
        assess_risks(parse_scenario({}), diversity="very")


# --- Mitigations and drivers -------------------------------------------------------------------


def test_a_listed_mitigation_marks_the_risk_but_keeps_its_level() -> None:
    plain = risk({"task": {"changes_per_year": 6}}, "retraining_lag")
    mitigated = risk(
        {"task": {"changes_per_year": 6}, "mitigations_in_place": ["retraining_lag"]},
        "retraining_lag",
    )
    assert (plain.mitigated, mitigated.mitigated) == (False, True)
    assert plain.level == mitigated.level == "high"


def test_scenario_paths_are_the_real_fields() -> None:
    paths = scenario_paths()
    assert {
        "data.domain_breadth",
        "fine_tuning.learning_rate_multiplier",
        "horizon_months",
    } <= paths
    assert "data.breadth" not in paths
    assert inputs_named("data.breadth is narrow and data is small") == []


DRIVER_CASES = [
    {},
    {"task": {"problems": ["knowledge"], "description": "step by step", "changes_per_year": 9}},
    {"data": {"domain_breadth": "narrow", "labelled_examples": 5}},
    {"fine_tuning": {"epochs": 20, "learning_rate_multiplier": 0.2}},
    {"fine_tuning": {"learning_rate_multiplier": 3}, "data": {"labelled_examples": 90_000}},
    {"base_model_updates_per_year": 0, "data": {"domain_breadth": "broad"}},
]


@pytest.mark.parametrize("data", DRIVER_CASES)
@pytest.mark.parametrize("diversity", [None, "broad"])
def test_every_driver_names_a_real_scenario_input(data: dict, diversity: str | None) -> None:
    for item in assess_risks(parse_scenario(data), diversity):
        assert item.drivers, item.id
        for driver in item.drivers:
            assert inputs_named(driver), f"{item.id}: {driver}"


# --- Properties over any valid scenario --------------------------------------------------------


@st.composite
def scenario_dicts(draw: st.DrawFn) -> dict:
    return {
        "task": {
            "problems": draw(st.lists(st.sampled_from(PROBLEMS), unique=True)),
            "changes_per_year": draw(st.floats(0, 365)),
            "description": draw(st.sampled_from(["", "multi-step reasoning"])),
        },
        "data": {
            "labelled_examples": draw(st.integers(0, 200_000)),
            "domain_breadth": draw(st.sampled_from(["narrow", "mixed", "broad"])),
            "knowledge_base": {"changed_pct_per_month": draw(st.floats(0, 100))},
        },
        "fine_tuning": {
            "method": draw(st.sampled_from(["lora", "qlora"])),
            "epochs": draw(st.one_of(st.none(), st.integers(1, 50))),
            "learning_rate_multiplier": draw(st.one_of(st.none(), st.floats(0.01, 10))),
        },
        "base_model_updates_per_year": draw(st.floats(0, 365)),
        "mitigations_in_place": draw(st.lists(st.sampled_from(RISK_IDS), unique=True)),
    }


def levels(data: dict, risk_id: str) -> list[int]:
    found = risk(data, risk_id)
    return [LEVELS.index(found.level_by_approach[a]) for a in found.applies_to]


@settings(max_examples=150, deadline=None)
@given(scenario_dicts(), st.sampled_from([None, "narrow", "mixed", "broad"]))
def test_every_risk_has_a_level_and_real_drivers_for_any_scenario(
    data: dict, diversity: str | None
) -> None:
    scenario: Scenario = parse_scenario(data)
    items = assess_risks(scenario, diversity)
    assert [r.id for r in items] == list(RISK_IDS)
    for item in items:
        assert item.level in LEVELS
        assert item.mitigated == (item.id in data["mitigations_in_place"])
        assert all(inputs_named(d) for d in item.drivers)
    forgetting = items[RISK_IDS.index("base_capability_regression")].level_by_approach
    assert LEVELS.index(forgetting["full"]) >= LEVELS.index(forgetting["lora"])


@settings(max_examples=100, deadline=None)
@given(scenario_dicts(), st.integers(1, 10_000))
def test_more_examples_never_raise_data_insufficiency(data: dict, more: int) -> None:
    examples = data["data"]["labelled_examples"] + more
    richer = data | {"data": data["data"] | {"labelled_examples": examples}}
    after, before = levels(richer, "data_insufficiency"), levels(data, "data_insufficiency")
    assert all(a <= b for a, b in zip(after, before, strict=True))


@settings(max_examples=100, deadline=None)
@given(scenario_dicts(), st.floats(0, 50))
def test_more_task_changes_never_lower_retraining_lag(data: dict, more: float) -> None:
    changes = min(365.0, data["task"]["changes_per_year"] + more)
    busier = data | {"task": data["task"] | {"changes_per_year": changes}}
    after, before = levels(busier, "retraining_lag"), levels(data, "retraining_lag")
    assert all(a >= b for a, b in zip(after, before, strict=True))


@settings(max_examples=100, deadline=None)
@given(scenario_dicts(), st.integers(0, 20), st.floats(0, 5))
def test_more_epochs_or_a_higher_rate_never_lower_forgetting(
    data: dict, more_epochs: int, more_rate: float
) -> None:
    tuning = data["fine_tuning"]
    epochs = tuning["epochs"] or 3
    rate = tuning["learning_rate_multiplier"] or 1.0
    harder_settings = {
        "epochs": min(50, epochs + more_epochs),
        "learning_rate_multiplier": min(10, rate + more_rate),
    }
    harder = data | {"fine_tuning": tuning | harder_settings}
    softer = data | {"fine_tuning": tuning | {"epochs": epochs, "learning_rate_multiplier": rate}}
    before = levels(softer, "base_capability_regression")
    after = levels(harder, "base_capability_regression")
    assert all(a >= b for a, b in zip(after, before, strict=True))
