"""The decision tree: every branch, every threshold edge, combined problems, fit before cost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimators.decision.recommend import (
    CONSTANT_TASK_CHANGES_PER_YEAR,
    FREQUENT_BASE_UPDATES_PER_YEAR,
    FREQUENT_TASK_CHANGES_PER_YEAR,
    MIN_DSPY_DEV_EXAMPLES,
    MIN_FINE_TUNE_EXAMPLES,
    REASONING_FINE_TUNE_EXAMPLES,
    RELIABLE_FINE_TUNE_EXAMPLES,
    SOURCE,
    WORKABLE_FINE_TUNE_EXAMPLES,
    Decision,
    decide,
)
from estimators.errors import EstimatorError, UnknownIdError
from estimators.estimate import estimate
from estimators.ids import APPROACH_IDS, PROBLEMS
from estimators.presets import get_preset
from estimators.scenario import Scenario, parse_scenario
from tests.fields import inputs_named

# Horizon totals [USD] where the LoRA fine-tune pays back against prompting (2,500 < 3,000)
# and RAG on it does not against RAG (9,000 > 8,000)...
CHEAP_LORA = {
    "prompting": 3_000.0,
    "dspy": 3_500.0,
    "rag": 8_000.0,
    "lora": 2_500.0,
    "full": 6e4,
    "rag_lora": 9_000.0,
}
# ...and where it does not (20,000 > 3,000): low volume, weeks of setup.
DEAR_LORA = CHEAP_LORA | {"lora": 20_000.0}


def scenario(
    problems: list[str],
    tried: bool = False,
    examples: int = 600,
    changes: float = 1.0,
    updates: float = 1.0,
    description: str = "",
) -> Scenario:
    return parse_scenario(
        {
            "task": {
                "problems": problems,
                "prompting_tried": tried,
                "changes_per_year": changes,
                "description": description,
            },
            "data": {"labelled_examples": examples},
            "base_model_updates_per_year": updates,
        }
    )


def verdicts(decision: Decision) -> dict[str, str]:
    return {v.approach: v.verdict for v in decision.verdicts}


# --- One problem at a time: the article's tree ------------------------------------------------


@pytest.mark.parametrize(
    ("problems", "tried", "totals", "recommended", "first_stop"),
    [
        (["style"], False, CHEAP_LORA, "prompting", ["prompting"]),
        (["style"], True, CHEAP_LORA, "dspy", ["dspy"]),
        (["knowledge"], False, CHEAP_LORA, "rag", ["rag"]),
        (["knowledge"], True, CHEAP_LORA, "rag", ["rag"]),
        (["schema"], False, CHEAP_LORA, "prompting", ["prompting"]),
        (["schema"], True, DEAR_LORA, "lora", ["lora"]),
        (["cost"], False, CHEAP_LORA, "lora", ["lora"]),
        (["latency"], False, DEAR_LORA, "lora", ["lora"]),
        ([], False, CHEAP_LORA, "prompting", ["prompting"]),
    ],
)
def test_each_branch_leads_where_the_article_says(
    problems: list[str], tried: bool, totals: dict, recommended: str, first_stop: list[str]
) -> None:
    decision = decide(scenario(problems, tried=tried), totals)
    assert decision.recommendation.approach == recommended
    assert decision.steps[0].leads_to == first_stop
    assert decision.steps[-1].leads_to[0] == recommended
    assert decision.source == SOURCE == "Fine-Tuning: When & Why"


@pytest.mark.parametrize(
    ("problems", "avoided"),
    [
        (["knowledge"], {"prompting", "dspy", "lora", "full"}),
        (["style"], {"rag", "rag_lora"}),
        (["cost"], {"rag", "full", "rag_lora"}),
        (["latency"], {"rag", "full", "rag_lora"}),
    ],
)
def test_the_wrong_tool_for_a_problem_is_avoided(problems: list[str], avoided: set[str]) -> None:
    decision = decide(scenario(problems), CHEAP_LORA)
    assert {a for a, v in verdicts(decision).items() if v == "avoid"} == avoided


def test_fine_tuning_for_style_waits_until_prompts_have_plateaued() -> None:
    untried = decide(scenario(["style"]), CHEAP_LORA)
    tried = decide(scenario(["style"], tried=True), CHEAP_LORA)
    assert untried.verdict("lora").fit < tried.verdict("lora").fit
    assert "only if prompting and then DSPy both fail" in " ".join(untried.verdict("lora").reasons)
    assert tried.recommendation.approach == "dspy"


def test_a_fine_tune_that_does_not_pay_back_is_not_the_answer_to_cost() -> None:
    decision = decide(scenario(["cost"]), DEAR_LORA)
    assert decision.recommendation.approach == "prompting"
    assert verdicts(decision)["lora"] == "consider"
    payback = next(s for s in decision.steps if s.question.startswith("Does the fine-tune pay"))
    assert payback.answer.startswith("No: $20,000 against $3,000")


def test_a_knowledge_step_notes_an_empty_knowledge_base() -> None:
    empty = parse_scenario(
        {"task": {"problems": ["knowledge"]}, "data": {"knowledge_base": {"documents": 0}}}
    )
    rag = decide(empty, CHEAP_LORA).verdict("rag")
    assert rag.verdict == "recommended"
    assert any("data.knowledge_base.documents" in r for r in rag.reasons)


# --- Several problems at once ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problems", "tried", "totals", "recommended", "headline"),
    [
        (["style", "knowledge"], False, CHEAP_LORA, "rag", "RAG with a hand-tuned prompt"),
        (["style", "knowledge"], True, CHEAP_LORA, "rag", "RAG with a DSPy-optimised prompt"),
        (["knowledge", "schema"], True, DEAR_LORA, "rag", "RAG with a DSPy-optimised prompt"),
        (["knowledge", "cost"], False, CHEAP_LORA, "rag", "RAG"),
        (["style", "latency"], False, DEAR_LORA, "lora", "LoRA fine-tune (small model)"),
        (["cost", "latency"], False, CHEAP_LORA, "lora", "LoRA fine-tune (small model)"),
    ],
)
def test_combined_problems_get_one_combined_answer(
    problems: list[str], tried: bool, totals: dict, recommended: str, headline: str
) -> None:
    decision = decide(scenario(problems, tried=tried), totals)
    assert decision.recommendation.approach == recommended
    assert decision.recommendation.headline == headline
    # One reason per problem, each opening with the problem it answers.
    labels = {"style": "Style", "knowledge": "Proprietary", "schema": "Strict", "cost": "Inference"}
    labels |= {"latency": "Latency"}
    for problem in problems:
        assert any(r.startswith(labels[problem]) for r in decision.recommendation.reasons)


def test_knowledge_and_cost_mean_rag_now_and_lora_with_retrieval_later() -> None:
    decision = decide(scenario(["knowledge", "cost"]), CHEAP_LORA)
    assert verdicts(decision) == {
        "prompting": "avoid",
        "dspy": "avoid",
        "rag": "recommended",
        "lora": "consider",
        "full": "avoid",
        "rag_lora": "consider",  # it does not pay back against RAG at these totals yet
    }
    cost_reason = next(r for r in decision.recommendation.reasons if r.startswith("Inference"))
    assert "fed by the same retrieval" in cost_reason


def test_each_problem_has_its_own_steps_in_the_articles_order() -> None:
    decision = decide(scenario(["cost", "style", "knowledge"]), CHEAP_LORA)
    walked = [s.problem for s in decision.steps if s.problem is not None]
    assert list(dict.fromkeys(walked)) == ["style", "knowledge", "cost"]


# --- Data size edges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("examples", "lora", "wording"),
    [
        (0, "avoid", "below 50"),
        (MIN_FINE_TUNE_EXAMPLES - 1, "avoid", "below 50"),  # 49
        (MIN_FINE_TUNE_EXAMPLES, "consider", "bare floor"),  # 50
        (WORKABLE_FINE_TUNE_EXAMPLES - 1, "consider", "bare floor"),  # 99
        (WORKABLE_FINE_TUNE_EXAMPLES, "recommended", "workable"),  # 100
        (RELIABLE_FINE_TUNE_EXAMPLES - 1, "recommended", "workable"),  # 499
        (RELIABLE_FINE_TUNE_EXAMPLES, "recommended", "reliable results"),  # 500
    ],
)
def test_data_size_thresholds_gate_the_fine_tune(examples: int, lora: str, wording: str) -> None:
    decision = decide(scenario(["cost"], examples=examples), CHEAP_LORA)
    assert verdicts(decision)["lora"] == lora
    assert wording in " ".join(decision.verdict("lora").reasons)
    if lora != "recommended":
        assert decision.recommendation.approach == "prompting"


@pytest.mark.parametrize(
    ("examples", "recommended"),
    [(REASONING_FINE_TUNE_EXAMPLES - 1, "dspy"), (REASONING_FINE_TUNE_EXAMPLES, "lora")],
)
def test_multi_step_reasoning_wants_a_thousand_examples(examples: int, recommended: str) -> None:
    # Schema still breaking after structured output: LoRA leads (2 points), DSPy is next (1).
    # Under 1,000 examples the reasoning penalty ties them, and the cheaper DSPy wins the tie.
    described = scenario(
        ["schema"], tried=True, examples=examples, description="Multi-step reasoning over claims"
    )
    decision = decide(described, DEAR_LORA)
    assert decision.recommendation.approach == recommended
    assert "'multi-step' (task.description)" in " ".join(decision.verdict("lora").reasons)


def test_without_a_reasoning_hint_999_examples_are_enough() -> None:
    decision = decide(scenario(["schema"], tried=True, examples=999), DEAR_LORA)
    assert decision.recommendation.approach == "lora"


@pytest.mark.parametrize(
    ("examples", "dspy"),
    [(MIN_DSPY_DEV_EXAMPLES - 1, "consider"), (MIN_DSPY_DEV_EXAMPLES, "recommended")],
)
def test_dspy_needs_a_small_dev_set(examples: int, dspy: str) -> None:
    decision = decide(scenario(["style"], tried=True, examples=examples), CHEAP_LORA)
    assert verdicts(decision)["dspy"] == dspy


# --- Change and update frequency edges ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "recommended"),
    [
        (FREQUENT_TASK_CHANGES_PER_YEAR - 0.01, "lora"),  # 3.99: manageable
        (FREQUENT_TASK_CHANGES_PER_YEAR, "dspy"),  # 4: weighs against, the cheaper tie wins
    ],
)
def test_frequent_task_changes_weigh_against_fine_tuning(changes: float, recommended: str) -> None:
    decision = decide(scenario(["schema"], tried=True, changes=changes), DEAR_LORA)
    assert decision.recommendation.approach == recommended


@pytest.mark.parametrize(
    ("changes", "lora"),
    [
        (CONSTANT_TASK_CHANGES_PER_YEAR - 0.01, "recommended"),  # 11.99: still worth it for cost
        (CONSTANT_TASK_CHANGES_PER_YEAR, "consider"),  # 12: always a retrain behind
    ],
)
def test_monthly_task_changes_rule_out_recommending_a_fine_tune(changes: float, lora: str) -> None:
    decision = decide(scenario(["cost"], changes=changes), CHEAP_LORA)
    assert verdicts(decision)["lora"] == lora
    assert "task.changes_per_year" in " ".join(decision.verdict("lora").reasons)


@pytest.mark.parametrize(
    ("updates", "recommended"),
    [
        (FREQUENT_BASE_UPDATES_PER_YEAR - 0.01, "lora"),  # 3.99
        (FREQUENT_BASE_UPDATES_PER_YEAR, "dspy"),  # 4: lock-in weighs against
    ],
)
def test_frequent_base_model_updates_weigh_against_fine_tuning(
    updates: float, recommended: str
) -> None:
    decision = decide(scenario(["schema"], tried=True, updates=updates), DEAR_LORA)
    assert decision.recommendation.approach == recommended
    if recommended == "dspy":
        assert any("base_model_updates_per_year" in r for r in decision.recommendation.reasons)


# --- Availability ------------------------------------------------------------------------------


def test_an_unavailable_approach_is_avoided_with_the_cost_engines_reason() -> None:
    totals = CHEAP_LORA | {"lora": None}
    why = {"lora": "models.small 'x' has no fine-tuning offer."}
    decision = decide(scenario(["cost"]), totals, unavailable_reasons=why)
    lora = decision.verdict("lora")
    assert (lora.verdict, lora.available) == ("avoid", False)
    assert lora.reasons[0] == (
        "Cannot run with the chosen models (models.small, fine_tuning.hosting): "
        "models.small 'x' has no fine-tuning offer."
    )
    assert decision.recommendation.approach != "lora"


def test_a_missing_total_counts_as_unavailable() -> None:
    decision = decide(scenario(["knowledge"]), {"prompting": 1.0, "dspy": 2.0})
    assert not decision.verdict("rag").available
    assert decision.recommendation.approach in {"prompting", "dspy"}
    assert any("Picked only because" in r for r in decision.recommendation.reasons)


def test_nothing_is_recommended_when_nothing_can_run() -> None:
    decision = decide(scenario(["style"]), dict.fromkeys(APPROACH_IDS))
    assert decision.recommendation.approach is None
    assert decision.recommendation.cheapest is None
    assert set(verdicts(decision).values()) == {"avoid"}


def test_unknown_approach_ids_are_an_error_listing_the_known_ones() -> None:
    with pytest.raises(UnknownIdError, match="Known approachs: dspy, full, lora"):
        decide(scenario(["style"]), {"finetune": 1.0})


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_totals_must_be_finite_and_not_negative(bad: float) -> None:
    with pytest.raises(EstimatorError, match=r"totals_usd\.rag"):
        decide(scenario(["style"]), CHEAP_LORA | {"rag": bad})


# --- Fit first, cost second --------------------------------------------------------------------


def test_the_cheapest_approach_is_named_when_it_is_not_recommended() -> None:
    decision = decide(scenario(["knowledge"]), CHEAP_LORA)
    recommendation = decision.recommendation
    # RAG 8,000 - LoRA 2,500 = 5,500 more for the approach that fits.
    assert (recommendation.approach, recommendation.cheapest) == ("rag", "lora")
    assert recommendation.extra_cost_usd == pytest.approx(5_500.0)
    assert recommendation.reasons[-1] == (
        "Fit comes first, cost second: LoRA fine-tune (small model) is the cheapest over "
        "12 months (horizon_months) at $2,500, $5,500 less than RAG ($8,000), but it does not "
        "address proprietary knowledge."
    )


def test_a_recommendation_that_is_also_cheapest_says_so() -> None:
    decision = decide(scenario(["style"]), CHEAP_LORA | {"lora": 4_000.0})
    assert decision.recommendation.cheapest == "prompting"
    assert decision.recommendation.extra_cost_usd == 0.0
    assert decision.recommendation.reasons[-1].startswith("It is also the cheapest approach")


def test_cost_breaks_a_tie_in_fit() -> None:
    # No problem named: all fit equally, prompting is preferred as the cheapest reversible start;
    # with prompting unable to run, the cheaper of DSPy and RAG wins.
    totals = CHEAP_LORA | {"prompting": None, "dspy": 9_000.0, "lora": 10_000.0}
    decision = decide(scenario([]), totals)
    assert decision.recommendation.approach == "rag"


# --- Reasons name their inputs -----------------------------------------------------------------

REASON_CASES = [
    (["style"], False, 600),
    (["style", "knowledge"], True, 600),
    (["schema"], True, 75),
    (["cost", "latency"], False, 30),
    (["knowledge", "cost"], False, 5),
    ([], False, 600),
]


@pytest.mark.parametrize(("problems", "tried", "examples"), REASON_CASES)
@pytest.mark.parametrize("totals", [CHEAP_LORA, DEAR_LORA, CHEAP_LORA | {"rag": None}])
def test_every_reason_names_a_scenario_input(
    problems: list[str], tried: bool, examples: int, totals: dict
) -> None:
    decision = decide(scenario(problems, tried=tried, examples=examples), totals)
    reasons = [r for v in decision.verdicts for r in v.reasons] + decision.recommendation.reasons
    for reason in reasons:
        assert inputs_named(reason), reason
    for step in decision.steps:
        assert step.inputs and all(inputs_named(path) == [path] for path in step.inputs)


# --- Properties over any valid scenario --------------------------------------------------------

totals_strategy = st.fixed_dictionaries(
    {a: st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False)) for a in APPROACH_IDS}
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    return parse_scenario(
        {
            "task": {
                "problems": draw(st.lists(st.sampled_from(PROBLEMS), unique=True)),
                "prompting_tried": draw(st.booleans()),
                "changes_per_year": draw(st.floats(0, 365)),
                "description": draw(st.sampled_from(["", "step-by-step reasoning", "tickets"])),
            },
            "data": {
                "labelled_examples": draw(st.integers(0, 100_000)),
                "domain_breadth": draw(st.sampled_from(["narrow", "mixed", "broad"])),
                "knowledge_base": {"documents": draw(st.integers(0, 10_000))},
            },
            "base_model_updates_per_year": draw(st.floats(0, 365)),
            "horizon_months": draw(st.integers(1, 120)),
        }
    )


@settings(max_examples=150, deadline=None)
@given(scenarios(), totals_strategy)
def test_exactly_one_approach_is_recommended_whenever_one_can_run(
    case: Scenario, totals: dict
) -> None:
    decision = decide(case, totals)
    recommended = [v.approach for v in decision.verdicts if v.verdict == "recommended"]
    runnable = [a for a in APPROACH_IDS if totals[a] is not None]
    assert len(recommended) == (1 if runnable else 0)
    assert recommended == ([decision.recommendation.approach] if runnable else [])
    assert [v.approach for v in decision.verdicts] == list(APPROACH_IDS)
    for verdict in decision.verdicts:
        assert verdict.verdict in {"recommended", "combined", "consider", "avoid"}
        assert verdict.reasons
    assert decision.steps[-1].leads_to[:1] == recommended


@settings(max_examples=100, deadline=None)
@given(scenarios(), totals_strategy)
def test_unavailable_approaches_are_never_recommended(case: Scenario, totals: dict) -> None:
    decision = decide(case, totals)
    for verdict in decision.verdicts:
        if totals[verdict.approach] is None:
            assert verdict.verdict == "avoid"


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.integers(1, 5_000))
def test_more_examples_never_make_a_fine_tune_look_worse(case: Scenario, more: int) -> None:
    order = ["avoid", "consider", "recommended"]
    data = case.model_dump(mode="json")
    data["data"]["labelled_examples"] += more
    richer = parse_scenario(data)
    for approach in ("lora", "full"):
        before = decide(case, CHEAP_LORA).verdict(approach)
        after = decide(richer, CHEAP_LORA).verdict(approach)
        assert order.index(after.verdict) >= order.index(before.verdict)
        assert after.fit >= before.fit


def test_a_part_of_a_combined_recommendation_is_never_avoided_beside_it() -> None:
    # support-chatbot: RAG with a hand-tuned prompt. Prompting alone lacks the knowledge, but the
    # recommendation uses it, so its verdict says "part of the recommendation", not "avoid".
    result = estimate(get_preset("support-chatbot").scenario)
    assert result.recommendation.combine_with == ["prompting"]
    prompting = result.approach("prompting")
    assert prompting.verdict == "combined"
    assert prompting.reasons[0].startswith(
        "Part of the recommendation (RAG with a hand-tuned prompt;"
    )
    assert result.approach("rag").verdict == "recommended"


# --- A cost or latency problem is not answered with an approach dearer on both counts ----------

# The issue's case at 30,000 queries a day (figures the tool gave before caching and labels):
# horizon totals [USD] and per-query costs [USD].
ISSUE_TOTALS = {
    "prompting": 40_688.0,
    "dspy": 81_119.0,
    "rag": 111_197.0,
    "lora": 61_293.0,
    "full": 121_958.0,
}
ISSUE_PER_QUERY = {
    "prompting": 0.0031,
    "dspy": 0.0067,
    "rag": 0.0079,
    "lora": 0.00096,
    "full": 0.0036,
}


def test_dspy_dearest_per_query_and_in_total_is_not_recommended_for_a_cost_problem() -> None:
    case = scenario(["style", "cost"], tried=True, examples=300)
    # Without the per-query figures the tree's fit alone picks DSPy (style: lead)...
    assert decide(case, ISSUE_TOTALS).recommendation.approach == "dspy"
    # ...but DSPy costs more per query (0.0067 > 0.00096) and in total (81,119 > 61,293) than
    # the LoRA fine-tune, which fits both problems: held back, the fine-tune is recommended.
    decision = decide(case, ISSUE_TOTALS, per_query_usd=ISSUE_PER_QUERY)
    assert decision.recommendation.approach == "lora"
    dspy = decision.verdict("dspy")
    assert dspy.verdict == "consider"
    assert "costs more per query ($0.0067) and over 12 months ($81,119)" in dspy.reasons[0]
    assert "LoRA fine-tune (small model) ($0.00096, $61,293)" in dspy.reasons[0]
    step = next(s for s in decision.steps if s.question.startswith("Does any approach cost more"))
    assert step.leads_to == ["lora"]


def test_a_plateaued_prompt_is_not_a_fitting_alternative() -> None:
    # Prompting is cheaper than DSPy on both counts here, but it has plateaued on style, so it
    # does not hold DSPy back; LoRA is dearer in total (54,281 > 32,175), so DSPy stays first.
    totals = ISSUE_TOTALS | {"prompting": 18_043.0, "dspy": 32_175.0, "lora": 54_281.0}
    case = scenario(["style", "cost"], tried=True, examples=300)
    decision = decide(case, totals, per_query_usd=ISSUE_PER_QUERY)
    assert decision.recommendation.approach == "dspy"
    assert not any(s.question.startswith("Does any approach cost more") for s in decision.steps)


def test_without_a_cost_or_latency_problem_per_query_figures_change_nothing() -> None:
    case = scenario(["style"], tried=True, examples=300)
    with_figures = decide(case, ISSUE_TOTALS, per_query_usd=ISSUE_PER_QUERY)
    assert with_figures == decide(case, ISSUE_TOTALS)


@pytest.mark.parametrize("queries_per_day", [10_000, 20_000, 30_000, 40_000, 47_000, 60_000])
def test_the_engine_never_recommends_an_approach_dearer_on_both_counts_for_cost(
    queries_per_day: int,
) -> None:
    from estimators.estimate import estimate

    case = parse_scenario(
        {
            "task": {"problems": ["style", "cost"], "prompting_tried": True},
            "traffic": {"queries_per_day": queries_per_day},
        }
    )
    result = estimate(case)
    pick = result.approach(result.recommendation.approach)
    fitting = [
        a
        for a in result.approaches
        if a.available and a.id != pick.id and a.verdict != "avoid" and a.id != "prompting"
    ]
    for other in fitting:
        assert not (
            other.per_query_usd < pick.per_query_usd and other.total_usd < pick.total_usd
        ), (queries_per_day, pick.id, other.id)


# --- RAG on a LoRA fine-tune of the small model (issue 18; issue 16, item 11) -------------------


def _at_volume(preset: str, problems: list[str], queries_per_day: float) -> Scenario:
    data = get_preset(preset).scenario.model_dump()
    data["task"]["problems"] = problems
    data["traffic"]["queries_per_day"] = queries_per_day
    return parse_scenario(data)


def test_knowledge_and_cost_at_a_billion_queries_a_day_recommend_rag_on_the_fine_tune() -> None:
    # Issue 16, item 11: support-chatbot at 1e9 queries/day. RAG on the general model costs
    # billions more, per query and in total, than RAG on the fine-tuned small model, which also
    # answers from retrieval: RAG is held back and the combination is the answer. LoRA alone is
    # cheaper still, but it cannot carry the facts, so it holds neither back.
    result = estimate(_at_volume("support-chatbot", ["knowledge", "cost"], 1e9))
    rag, rag_lora, lora = (result.approach(a) for a in ("rag", "rag_lora", "lora"))
    assert rag.total_usd - rag_lora.total_usd > 1e9
    assert rag.per_query_usd > rag_lora.per_query_usd
    assert lora.total_usd < rag_lora.total_usd
    assert result.recommendation.approach == "rag_lora"
    assert rag.verdict == "consider"
    assert any("than RAG on a LoRA fine-tune" in r for r in rag.reasons)


def test_a_knowledge_problem_at_a_billion_a_day_offers_rag_on_the_fine_tune() -> None:
    # Knowledge alone: retrieval is still the tree's first stop, but the recommendation may not
    # stay silent about a combination that costs billions less.
    result = estimate(_at_volume("support-chatbot", ["knowledge"], 1e9))
    rag, rag_lora = result.approach("rag"), result.approach("rag_lora")
    assert result.recommendation.approach == "rag"
    assert rag.total_usd >= 2 * rag_lora.total_usd
    offer = next(r for r in result.recommendation.reasons if r.startswith("Cost at this volume"))
    saving = rag.total_usd - rag_lora.total_usd
    assert f"${saving:,.0f} more than RAG on a LoRA fine-tune (small model)" in offer
    assert rag_lora.verdict == "consider"


def test_at_a_modest_volume_nothing_is_offered_and_rag_stays_the_answer() -> None:
    result = estimate(_at_volume("support-chatbot", ["knowledge"], 5_000))
    assert result.recommendation.approach == "rag"
    assert not any(r.startswith("Cost at this volume") for r in result.recommendation.reasons)


def test_a_held_back_rag_on_the_fine_tune_is_offered_with_its_hold() -> None:
    # internal-kb-qa has 80 labelled examples: the fine-tune is capped, yet at 1e9/day the offer
    # still names it, and says what holds it back.
    result = estimate(_at_volume("internal-kb-qa", ["knowledge"], 1e9))
    offer = next(r for r in result.recommendation.reasons if r.startswith("Cost at this volume"))
    assert "It is held back for now: 80 labelled examples" in offer


def test_without_a_knowledge_problem_rag_on_the_fine_tune_is_avoided() -> None:
    totals = CHEAP_LORA | {"rag_lora": 1_000.0}  # even when it is the cheapest
    decision = decide(scenario(["style", "cost"]), totals)
    assert decision.verdict("rag_lora").verdict == "avoid"
    assert "no knowledge problem calls for them" in " ".join(decision.verdict("rag_lora").reasons)


def test_knowledge_with_latency_leads_to_rag_on_the_fine_tune_too() -> None:
    decision = decide(scenario(["knowledge", "latency"]), CHEAP_LORA)
    roles = {v.approach: v.fit for v in decision.verdicts}
    assert roles["rag_lora"] == 4  # lead on knowledge and on latency
    assert decision.verdict("rag_lora").verdict != "avoid"
