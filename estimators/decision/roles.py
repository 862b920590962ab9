"""Which role each approach plays on each branch of the tree, with the sentence that explains it.

One table per problem of "Fine-Tuning: When & Why" (style, knowledge, schema, cost, latency);
`branch_roles` picks the table for a problem and the scenario facts it depends on (whether
prompting was tried, whether knowledge is also a problem, whether the fine-tune pays back). The
roles and their points are defined in `estimators.decision.tree`.

Size: One table per problem, side by side, so the five branches read as one grid; splitting by
problem would scatter it.
"""

from __future__ import annotations

from collections.abc import Mapping

from estimators.decision.tree import FAR_MORE_RATIO, Role, usd_text
from estimators.ids import ApproachId, Problem
from estimators.scenario import Scenario


def _style_roles(
    tried: bool, with_knowledge: bool, with_small_model: bool
) -> dict[ApproachId, tuple[Role, str]]:
    rag: tuple[Role, str] = (
        (
            "part",
            "the tone and format rules go into the same prompt that carries the retrieved text.",
        )
        if with_knowledge
        else ("wrong", "retrieval adds facts to the prompt, not a tone or a format.")
    )
    carried: tuple[Role, str] = (
        "part",
        "the training examples carry the tone and format too; getting them right in a prompt "
        "first gives better examples to train on.",
    )
    if not tried:
        roles: dict[ApproachId, tuple[Role, str]] = {
            "prompting": (
                "lead",
                "write the tone and format rules, with a few examples, into the prompt first: "
                "the cheapest fix, and it can be undone at once.",
            ),
            "dspy": (
                "next",
                "once hand-edited prompts stop improving, let DSPy search for better ones "
                "against a small labelled set, still without touching weights.",
            ),
            "rag": rag,
            "lora": ("later", "fine-tune only if prompting and then DSPy both fail."),
            "full": (
                "later",
                "fine-tune only if prompting and then DSPy both fail; changing every weight of a "
                "large model is the heaviest way to fix style.",
            ),
        }
        return roles | ({"lora": carried} if with_small_model else {})
    roles = {
        "prompting": (
            "plateaued",
            "hand-written prompts have plateaued; keep the best one as the base for the next step.",
        ),
        "dspy": (
            "lead",
            "prompts have plateaued, so search them systematically with DSPy before changing "
            "weights: cheaper, and reversible (Khattab et al. 2023).",
        ),
        "rag": rag,
        "lora": (
            "next",
            "if DSPy also falls short, a LoRA fine-tune can learn the style from examples; "
            "fine-tuning beats few-shot prompting most clearly on unusual formats "
            "(Brown et al. 2020).",
        ),
        "full": (
            "later",
            "style rarely needs every weight of a large model changed; LoRA shifts behaviour "
            "with less forgetting.",
        ),
    }
    return roles | ({"lora": carried} if with_small_model else {})


def _knowledge_roles() -> dict[ApproachId, tuple[Role, str]]:
    fine_tune = (
        "fine-tuning shifts how the model writes, not which facts it can reliably recall "
        "(Kandpal et al. 2022), so it would sound right and invent specifics."
    )
    return {
        "prompting": (
            "wrong",
            "without retrieval the model fills gaps with plausible inventions, such as knowledge-"
            "base IDs that do not exist; its instructions carry over into the RAG prompt.",
        ),
        "dspy": (
            "wrong",
            "a better-searched prompt still cannot supply facts the model never saw.",
        ),
        "rag": (
            "lead",
            "retrieve your documents into the prompt at query time: the model cites what is in "
            "front of it, and updating the index updates the answers.",
        ),
        "lora": ("wrong", fine_tune),
        "full": ("wrong", fine_tune),
    }


def _schema_roles(tried: bool, with_knowledge: bool) -> dict[ApproachId, tuple[Role, str]]:
    rag: tuple[Role, str] = (
        ("part", "structured output applies to the RAG prompt as well.")
        if with_knowledge
        else ("wrong", "retrieval does not change the shape of the output.")
    )
    if not tried:
        return {
            "prompting": (
                "lead",
                "ask for structured output or use constrained decoding first: the schema is "
                "enforced without any training.",
            ),
            "dspy": (
                "next",
                "if conformance still slips, DSPy can search for instructions and examples "
                "that hold the schema.",
            ),
            "rag": rag,
            "lora": ("later", "fine-tune only if the schema is still unreliable after that."),
            "full": ("later", "fine-tune only if the schema is still unreliable after that."),
        }
    return {
        "prompting": (
            "plateaued",
            "structured output alone has not made the schema reliable; keep it switched on.",
        ),
        "dspy": (
            "next",
            "DSPy-optimised prompts often match fine-tuned models on structured tasks: a cheaper, "
            "reversible try before training (Khattab et al. 2023).",
        ),
        "rag": rag,
        "lora": (
            "lead",
            "structured output has been tried and the schema is still unreliable, so fine-tune "
            "on examples of it; fine-tuning beats few-shot prompting on formats unlike "
            "pre-training text (Brown et al. 2020).",
        ),
        "full": (
            "next",
            "a full fine-tune of the large model is the heavier fallback if a small one cannot "
            "hold the schema.",
        ),
    }


def _cost_roles(payback: str | None) -> dict[ApproachId, tuple[Role, str]]:
    distil = (
        "specialise the small model on the task (distillation): it typically keeps over 90% "
        "of a large model's accuracy at about a tenth of the serving cost."
    )
    lora: tuple[Role, str] = ("lead", distil) if payback is None else ("later", payback)
    return {
        "prompting": ("none", "the general model, prompted as today, is the cost to cut."),
        "dspy": (
            "none",
            "the optimised prompt still runs on the general model, and its worked examples "
            "add tokens to every query.",
        ),
        "rag": ("wrong", "retrieved context adds tokens to every query, raising its cost."),
        "lora": lora,
        "full": (
            "wrong",
            "a fine-tuned large model costs as much per token as its base or more, so it does "
            "not cut serving cost.",
        ),
    }


def _latency_roles() -> dict[ApproachId, tuple[Role, str]]:
    return {
        "prompting": ("none", "prompt changes barely move the general model's speed."),
        "dspy": ("none", "DSPy's worked examples lengthen the prompt, if anything adding latency."),
        "rag": ("wrong", "a search and a longer prompt add to every answer's latency."),
        "lora": (
            "lead",
            "a smaller model specialised on the task answers faster: one of fine-tuning's "
            "clearest wins.",
        ),
        "full": ("wrong", "a large model is as slow after fine-tuning as before."),
    }


def _payback(scenario: Scenario, totals: Mapping[ApproachId, float | None]) -> str | None:
    """Why the LoRA fine-tune does not yet pay for itself against prompting, or None if it does."""
    lora, prompting = totals["lora"], totals["prompting"]
    if lora is None or prompting is None or lora < prompting:
        return None
    return (
        f"at {scenario.traffic.queries_per_day:,.0f} queries a day the fine-tune totals "
        f"{usd_text(lora)} over {scenario.horizon_months} months against {usd_text(prompting)} for "
        "prompting, so it does not pay back within the horizon yet (traffic.queries_per_day, "
        "horizon_months); revisit as volume grows."
    )


def far_cheaper_rag_lora(totals: Mapping[ApproachId, float | None], other: ApproachId) -> bool:
    """Whether `other` costs at least FAR_MORE_RATIO times RAG on the fine-tune over the horizon."""
    own, theirs = totals.get("rag_lora"), totals.get(other)
    return own is not None and theirs is not None and theirs >= FAR_MORE_RATIO * own


def _rag_lora_knowledge(
    scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> tuple[Role, str]:
    if {"cost", "latency"} & set(scenario.task.problems):
        return (
            "lead",
            "retrieval brings the facts into the prompt as in RAG, and the fine-tuned small "
            "model reads them: the facts at the small model's price and speed.",
        )
    if far_cheaper_rag_lora(totals, "rag"):
        rag, own = totals["rag"] or 0.0, totals["rag_lora"] or 0.0
        return (
            "next",
            f"at {scenario.traffic.queries_per_day:,.0f} queries a day RAG on the general model "
            f"totals {usd_text(rag)} over {scenario.horizon_months} months against "
            f"{usd_text(own)} here (traffic.queries_per_day, horizon_months): once RAG is in "
            "place, fine-tune the small model to answer over the same retrieval.",
        )
    return (
        "later",
        "retrieval brings the facts; fine-tuning the small model to read them pays only when "
        "cost or latency matters too (task.problems) or the volume grows.",
    )


def _rag_lora_cost(
    scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> tuple[Role, str]:
    own, rag = totals.get("rag_lora"), totals.get("rag")
    if own is None or rag is None or own < rag:
        return (
            "lead",
            "the fine-tuned small model answers over the retrieved chunks: RAG's facts at the "
            "small model's price per token.",
        )
    return (
        "later",
        f"at {scenario.traffic.queries_per_day:,.0f} queries a day it totals {usd_text(own)} over "
        f"{scenario.horizon_months} months against {usd_text(rag)} for RAG, so the fine-tune "
        "does not pay back within the horizon yet (traffic.queries_per_day, horizon_months); "
        "revisit as volume grows.",
    )


def _rag_lora_role(
    problem: Problem,
    scenario: Scenario,
    totals: Mapping[ApproachId, float | None],
    lora: tuple[Role, str],
) -> tuple[Role, str]:
    """RAG on the fine-tuned small model: for knowledge with cost or latency, or when RAG alone
    costs far more; without a knowledge problem its retrieval only adds tokens and a search."""
    if "knowledge" not in scenario.task.problems:
        return (
            "wrong",
            "its retrieval adds a search and chunks to every query, and no knowledge problem "
            "calls for them (task.problems); a LoRA fine-tune alone does the rest.",
        )
    if problem == "knowledge":
        return _rag_lora_knowledge(scenario, totals)
    if problem == "style":
        return (
            "part",
            "the training examples carry the tone and format, the retrieved chunks the facts.",
        )
    if problem == "schema":
        return lora
    if problem == "cost":
        return _rag_lora_cost(scenario, totals)
    return (
        "lead",
        "the fine-tuned small model reads the same chunks faster than the general model would; "
        "the search still adds its milliseconds.",
    )


def branch_roles(
    problem: Problem, scenario: Scenario, totals: Mapping[ApproachId, float | None]
) -> dict[ApproachId, tuple[Role, str]]:
    tried = scenario.task.prompting_tried
    with_knowledge = "knowledge" in scenario.task.problems
    if problem == "style":
        small = bool({"cost", "latency"} & set(scenario.task.problems))
        roles = _style_roles(tried, with_knowledge, small)
    elif problem == "knowledge":
        roles = _knowledge_roles()
    elif problem == "schema":
        roles = _schema_roles(tried, with_knowledge)
    elif problem == "cost":
        roles = _cost_roles(_payback(scenario, totals))
    else:
        roles = _latency_roles()
    return roles | {"rag_lora": _rag_lora_role(problem, scenario, totals, roles["lora"])}
