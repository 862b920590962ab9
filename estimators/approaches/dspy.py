"""DSPy: prompts searched systematically against a small labelled dev set (Khattab et al. 2023).

Cheap to set up; the optimised prompt carries a few worked examples (demos) into every query, and
the optimiser is re-run whenever the task or the base model changes.
"""

from __future__ import annotations

from estimators.approaches.base import ApproachCost, LineItems, Profile
from estimators.approaches.prompting import query_items
from estimators.context import Context
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem, token_cost_usd

PROFILE = Profile(
    id="dspy",
    name=APPROACH_NAMES["dspy"],
    what_changes="The prompt, searched systematically against a labelled dev set",
    reversible=True,
    time_to_ship="days",
)


def _demo_tokens(ctx: Context) -> float:
    return ctx.assumptions["dspy.demos_per_prompt"] * ctx.scenario.data.tokens_per_example


def run_cost_usd(ctx: Context) -> float:
    """One optimisation run [USD]: calls × (input tokens × input price + output × output price).

    A call sends the system prompt, the demos and one dev example, and reads one answer.
    """
    traffic = ctx.scenario.traffic
    input_tokens = ctx.system_prompt_tokens + _demo_tokens(ctx) + traffic.input_tokens
    per_call_usd = token_cost_usd(input_tokens, ctx.usd_per_mtok("general", "input"))
    per_call_usd += token_cost_usd(traffic.output_tokens, ctx.usd_per_mtok("general", "output"))
    return ctx.assumptions["dspy.calls_per_run"] * per_call_usd


def _runs_item(ctx: Context) -> LineItem:
    runs = ctx.assumptions["dspy.runs_per_setup"]
    calls = ctx.assumptions["dspy.calls_per_run"]
    return ctx.item(
        "Optimisation runs (LM calls)",
        runs * run_cost_usd(ctx),
        "dspy.runs_per_setup × dspy.calls_per_run × (call input tokens × input price"
        " + traffic.output_tokens × output price) / 1,000,000;"
        " call input = system prompt + dspy.demos_per_prompt × data.tokens_per_example + input",
        {
            "dspy.runs_per_setup": runs,
            "dspy.calls_per_run": calls,
            "dspy.demos_per_prompt": ctx.assumptions["dspy.demos_per_prompt"],
            "data.tokens_per_example": ctx.scenario.data.tokens_per_example,
            "one run USD": run_cost_usd(ctx),
        },
        ("dspy.runs_per_setup", "dspy.calls_per_run", "dspy.demos_per_prompt"),
        {"prices": ctx.price_source("general")},
    )


def _rerun_item(ctx: Context) -> LineItem:
    task = ctx.scenario.task
    reruns_per_year = task.changes_per_year + ctx.scenario.base_model_updates_per_year
    hours = ctx.assumptions["dspy.hours_per_rerun"]
    run_usd = run_cost_usd(ctx)
    return ctx.item(
        "Re-optimisation on task changes and base-model updates",
        reruns_per_year / 12 * (run_usd + hours * ctx.rate_usd_per_hour),
        "(task.changes_per_year + base_model_updates_per_year) / 12"
        " × (one run USD + dspy.hours_per_rerun × team.hourly_rate_usd)",
        {
            "task.changes_per_year": task.changes_per_year,
            "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
            "one run USD": run_usd,
            "dspy.hours_per_rerun": hours,
            "team.hourly_rate_usd": ctx.rate_usd_per_hour,
        },
        ("dspy.hours_per_rerun", "dspy.calls_per_run"),
    )


def cost(ctx: Context) -> ApproachCost:
    demos = {"dspy.demos_per_prompt × data.tokens_per_example": _demo_tokens(ctx)}
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=[
                ctx.labour("DSPy program, metric and dev set", "dspy.setup_hours"),
                _runs_item(ctx),
            ],
            per_query=query_items(ctx, demos, ("dspy.demos_per_prompt",)),
            monthly=[
                ctx.labour("Metric and dev-set upkeep", "dspy.upkeep_hours_per_month"),
                _rerun_item(ctx),
            ],
        ),
    )
