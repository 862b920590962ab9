"""DSPy: prompts searched systematically against a small labelled dev set (Khattab et al. 2023).

Cheap to set up; the optimised prompt carries a few worked examples (demos) into every query, as
part of the stable prefix a provider may cache, and the optimiser is re-run whenever the task or
the base model changes.

LM calls of one optimisation run, by `dspy.optimiser` (stanfordnlp/dspy 3.3, dspy/teleprompt):
- `mipro_light` / `mipro_medium` / `mipro_heavy` (MIPROv2 `auto`, `_estimate_lm_calls`): n = 6 /
  12 / 18 candidates and up to 100 / 300 / 1,000 validation examples (80% of the dev set, at most
  1,000); trials = ⌊max(2·V·log2 n, 1.5·n)⌋ with V = modules × 2 (× 1 zero-shot); program calls
  = 35·trials + |val|·(⌊trials/5⌋ + 1) with minibatches (|val| > 50), else |val|·trials; the
  prompt model makes 10 + instruction candidates × modules + (modules + 1) calls, instruction
  candidates = n/2 with demos (n zero-shot). Like DSPy's own estimate, the small bootstrapping
  step is left out. One predictor with demos: light 650 + 15, medium 1,830 + 18, heavy 6,945 + 21.
- `bootstrap_few_shot` (BootstrapFewShot): it runs training examples until `demos` traces pass
  the metric: about demos / success rate program calls, no evaluation.
- `bootstrap_random_search` (BootstrapFewShotWithRandomSearch): C candidate programs plus 3
  baselines, each scored on the whole dev set: (C + 3)·|dev| program calls, plus C + 1
  bootstraps of about demos / success rate calls each.
Each program call makes one LM call per module.
"""

from __future__ import annotations

import numpy as np

from estimators.approaches.base import ApproachCost, LineItems, Profile, unavailable
from estimators.approaches.prompting import change_events
from estimators.approaches.query import evaluation_item, general_query_items
from estimators.catalog import ModelEntry, get_model
from estimators.context import Context
from estimators.decision.tree import MIN_DSPY_DEV_EXAMPLES
from estimators.ids import APPROACH_NAMES
from estimators.lineitems import LineItem
from estimators.token_billing import Number, model_prices, pick, reasoning_tokens

PROFILE = Profile(
    id="dspy",
    name=APPROACH_NAMES["dspy"],
    what_changes="The prompt, searched systematically against a labelled dev set",
    reversible=True,
    time_to_ship="days",
    model_roles=("general",),
)

# MIPROv2's AUTO_RUN_SETTINGS: (candidates n, validation examples).
MIPRO_AUTO = {"mipro_light": (6, 100), "mipro_medium": (12, 300), "mipro_heavy": (18, 1_000)}
MINIBATCH_SIZE = 35
MIN_MINIBATCH_VALSET = 50  # minibatching is on only above this many validation examples
FULL_EVAL_EVERY = 5
MAX_VALSET = 1_000  # MIPROv2 takes at most 1,000 of the dev set; we assume the same elsewhere
RANDOM_SEARCH_BASELINES = 3  # zero-shot, labels only, unshuffled bootstrap
MIPRO_SOURCE = "stanfordnlp/dspy dspy/teleprompt/mipro_optimizer_v2.py (_estimate_lm_calls)"
RANDOM_SEARCH_SOURCE = "stanfordnlp/dspy dspy/teleprompt/random_search.py and bootstrap.py"


def mipro_calls(
    candidates: int, auto_val: int, dev_examples: Number, modules: Number, demos: Number
) -> tuple[Number, Number]:
    """(task-model LM calls, prompt-model calls) of one MIPROv2 run [calls]."""
    # DSPy keeps min(1,000, 80% of the trainset) as the valset, then the auto setting's share.
    valset = np.minimum(MAX_VALSET, np.maximum(1, np.floor(0.8 * dev_examples)))
    val = np.minimum(auto_val, valset)
    zero_shot = np.asarray(demos) <= 0 if isinstance(demos, np.ndarray) else demos <= 0
    variables = modules * pick(zero_shot, 1.0, 2.0)
    trials = np.floor(np.maximum(2 * variables * np.log2(candidates), 1.5 * candidates))
    instructions = pick(zero_shot, float(candidates), float(candidates // 2))
    proposer = 10 + instructions * modules + (modules + 1)
    minibatch = val > MIN_MINIBATCH_VALSET
    program = pick(
        minibatch,
        MINIBATCH_SIZE * trials + val * (np.floor(trials / FULL_EVAL_EVERY) + 1),
        val * trials,
    )
    return program * modules, proposer


def bootstrap_calls(
    dev_examples: Number, modules: Number, demos: Number, success_rate: Number
) -> Number:
    """Task-model LM calls of one BootstrapFewShot run: min(dev, demos / success) × modules."""
    return np.minimum(dev_examples, demos / success_rate) * modules


def random_search_calls(
    dev_examples: Number, modules: Number, demos: Number, success_rate: Number, programs: Number
) -> Number:
    """Task-model LM calls of one BootstrapFewShotWithRandomSearch run [calls]:
    ((C + 3) × |dev| + (C + 1) × demos / success) × modules."""
    dev = np.minimum(dev_examples, MAX_VALSET)
    evaluations = (programs + RANDOM_SEARCH_BASELINES) * dev
    bootstraps = (programs + 1) * np.minimum(dev, demos / success_rate)
    return (evaluations + bootstraps) * modules


def dev_examples(ctx: Context) -> Number:
    """The dev set DSPy optimises against [examples]: the labelled examples, or an eval-sized
    set the team labels first when it has none."""
    labelled = ctx.scenario.data.labelled_examples
    return float(labelled) if labelled > 0 else ctx.assumptions["eval.set_examples"]


def run_calls(ctx: Context) -> tuple[Number, Number, str]:
    """(task-model calls, proposer calls, how they were counted) of one optimisation run."""
    a = ctx.assumptions
    optimiser = ctx.scenario.dspy.optimiser
    dev = dev_examples(ctx)
    modules, demos = a["dspy.program_modules"], a["dspy.demos_per_prompt"]
    success = a["dspy.bootstrap_success_rate"]
    if optimiser in MIPRO_AUTO:
        n, val = MIPRO_AUTO[optimiser]
        task, proposer = mipro_calls(n, val, dev, modules, demos)
        how = (
            f"MIPROv2 auto={optimiser.removeprefix('mipro_')} (n = {n}, up to {val:,} validation "
            f"examples), as {MIPRO_SOURCE} counts them"
        )
        return task, proposer, how
    if optimiser == "bootstrap_few_shot":
        how = (
            "BootstrapFewShot: min(dev examples, dspy.demos_per_prompt / "
            "dspy.bootstrap_success_rate) × dspy.program_modules"
        )
        return bootstrap_calls(dev, modules, demos, success), 0.0, how
    programs = a["dspy.random_search_candidates"]
    how = (
        "BootstrapFewShotWithRandomSearch: ((dspy.random_search_candidates + 3) × dev examples "
        "+ (dspy.random_search_candidates + 1) × dspy.demos_per_prompt / "
        f"dspy.bootstrap_success_rate) × dspy.program_modules, dev examples at most {MAX_VALSET:,}"
    )
    return random_search_calls(dev, modules, demos, success, programs), 0.0, how


def _proposer(ctx: Context) -> ModelEntry:
    model_id = ctx.scenario.dspy.proposer_model or ctx.scenario.models.general
    return ctx.prices.get(model_id) or get_model(model_id, field="dspy.proposer_model")


def _demo_tokens(ctx: Context) -> Number:
    return ctx.assumptions["dspy.demos_per_prompt"] * ctx.scenario.data.tokens_per_example


def _run(ctx: Context) -> tuple[Number, dict[str, float | str], str]:
    """One optimisation run [USD], its inputs and its formula text."""
    traffic = ctx.scenario.traffic
    a = ctx.assumptions
    general = ctx.model("general")
    call_input = ctx.system_prompt_tokens + _demo_tokens(ctx) + traffic.input_tokens
    call_output = traffic.output_tokens + reasoning_tokens(
        general, traffic.reasoning_tokens, a["reasoning.tokens_per_query"]
    )
    task_prices = model_prices(general, call_input)
    task_calls, proposer_calls, how = run_calls(ctx)
    in_name = f"{general.id} input USD per 1M tokens"
    out_name = f"{general.id} output USD per 1M tokens"
    task_usd = task_calls * (call_input * task_prices.input + call_output * task_prices.output)
    inputs: dict[str, float | str] = {
        "task-model calls per run": task_calls,
        "call input tokens": call_input,
        "call output tokens": call_output,
        in_name: task_prices.input,
        out_name: task_prices.output,
        "dspy.optimiser": ctx.scenario.dspy.optimiser,
    }
    formula = (
        f"task-model calls per run × (call input tokens × {in_name}"
        f" + call output tokens × {out_name})"
    )
    proposer_usd: Number = 0.0
    if ctx.scenario.dspy.optimiser in MIPRO_AUTO:
        proposer = _proposer(ctx)
        p_prices = model_prices(proposer, a["dspy.proposer_call_input_tokens"])
        p_output = a["dspy.proposer_call_output_tokens"] + reasoning_tokens(
            proposer, traffic.reasoning_tokens, a["reasoning.tokens_per_query"]
        )
        p_in, p_out = (
            f"{proposer.id} input USD per 1M tokens",
            f"{proposer.id} output USD per 1M tokens",
        )
        proposer_usd = proposer_calls * (
            a["dspy.proposer_call_input_tokens"] * p_prices.input + p_output * p_prices.output
        )
        inputs |= {
            "proposer calls per run": proposer_calls,
            "dspy.proposer_call_input_tokens": a["dspy.proposer_call_input_tokens"],
            "proposer call output tokens": p_output,
            p_in: p_prices.input,
            p_out: p_prices.output,
        }
        formula = (
            f"({formula} + proposer calls per run × (dspy.proposer_call_input_tokens × {p_in}"
            f" + proposer call output tokens × {p_out}))"
        )
    explanation = (
        f"task-model calls per run: {how}; call input tokens = traffic.system_prompt_tokens + "
        "dspy.demos_per_prompt × data.tokens_per_example + traffic.input_tokens; call output "
        "tokens = traffic.output_tokens + reasoning tokens; optimisation calls are priced at list "
        "prices, uncached"
    )
    return (task_usd + proposer_usd) / 1e6, inputs, f"{formula} / 1,000,000; {explanation}"


def _run_ids(ctx: Context) -> tuple[str, ...]:
    """The assumptions one run of the scenario's optimiser reads."""
    optimiser = ctx.scenario.dspy.optimiser
    common = ("dspy.program_modules", "dspy.demos_per_prompt")
    if optimiser in MIPRO_AUTO:
        return (*common, "dspy.proposer_call_input_tokens", "dspy.proposer_call_output_tokens")
    if optimiser == "bootstrap_few_shot":
        return (*common, "dspy.bootstrap_success_rate")
    return (*common, "dspy.bootstrap_success_rate", "dspy.random_search_candidates")


def run_cost_usd(ctx: Context) -> Number:
    """One optimisation run [USD]: calls × tokens × prices on the task and proposer models."""
    return _run(ctx)[0]


def _runs_item(ctx: Context) -> LineItem:
    runs = ctx.assumptions["dspy.runs_per_setup"]
    run_usd, inputs, formula = _run(ctx)
    return ctx.item(
        "Optimisation runs (LM calls)",
        runs * run_usd,
        f"dspy.runs_per_setup × {formula}",
        {"dspy.runs_per_setup": runs, **inputs},
        ("dspy.runs_per_setup", *_run_ids(ctx)),
        {"call counts": f"{MIPRO_SOURCE}; {RANDOM_SEARCH_SOURCE}"}
        | {"prices": ctx.price_source("general")},
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
        ("dspy.hours_per_rerun", *_run_ids(ctx)),
    )


def cost(ctx: Context) -> ApproachCost:
    labelled = ctx.scenario.data.labelled_examples
    if labelled < MIN_DSPY_DEV_EXAMPLES:
        return unavailable(
            PROFILE,
            f"data.labelled_examples is {labelled:,}: DSPy searches prompts against a labelled "
            f"dev set and needs at least {MIN_DSPY_DEV_EXAMPLES} examples (a few dozen to a few "
            "hundred work best). Label some, or tune the prompt by hand (prompting).",
        )
    per_query = general_query_items(
        ctx,
        "System prompt and demos (cacheable prefix)",
        {
            "traffic.system_prompt_tokens": ctx.system_prompt_tokens,
            "dspy.demos_per_prompt × data.tokens_per_example": _demo_tokens(ctx),
        },
        {"traffic.input_tokens": ctx.scenario.traffic.input_tokens},
        ("dspy.demos_per_prompt",),
    )
    return ApproachCost(
        profile=PROFILE,
        line_items=LineItems(
            setup=[
                ctx.labour("DSPy program, metric and dev set", "dspy.setup_hours"),
                _runs_item(ctx),
            ],
            per_query=per_query,
            monthly=[
                ctx.labour("Metric and dev-set upkeep", "dspy.upkeep_hours_per_month"),
                _rerun_item(ctx),
                evaluation_item(ctx, sum(i.usd for i in per_query), change_events(ctx)),
            ],
        ),
    )
