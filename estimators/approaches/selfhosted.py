"""Self-hosting a fine-tune on your own GPUs: the training runs, the memory fit and the servers.

DESIGN.md §5; formulas in `estimators/selfhost/` (compute, serving, serving_memory):
- setup: labour + curation + one successful fine-tune on `fine_tuning.gpu`: runs per fine-tune ×
  (FLOPs / (dense BF16 peak × effective MFU [× inter-node efficiency]) + fixed overhead hours ×
  GPUs) at the GPU's on-demand price; `lora` trains with `fine_tuning.method` (lora or qlora),
  `full` with a full fine-tune, across nodes of 8 GPUs when one node cannot hold it; sequences are
  `data.tokens_per_example` long (no per-example cap: on your own GPUs length is a memory question);
- per query: output tokens, plus prompt tokens beyond the benchmark's own mix, at the serving GPU's
  USD per output token × the peak-to-average ratio (replicas are provisioned for the peak);
- usage floor: the always-on replicas, so a month's serving costs max(queries × per query, floor);
- monthly: upkeep + ops hours for the model servers + retraining at the fine-tune's GPU cost.
The serving GPU is `fine_tuning.serving_gpu`, or the catalogue GPU cheapest in the horizon's
busiest month that holds the weights at `fine_tuning.serving_precision` and the peak's KV cache.

Discrete choices (GPU counts, nodes, the serving GPU) are made at the likely values of the
assumptions; the money is arithmetic on the values in force, so the uncertainty analysis prices
arrays of draws through this same code with those choices held fixed. The learning-rate
multiplier changes no cost.

Size: The self-hosted fine-tune's line items each carry their formula text and sources, which are
most of its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from estimators.approaches.base import ApproachCost, LineItems, Training, unavailable
from estimators.approaches.finetune import (
    Spec,
    epochs_for,
    prompt_ids,
    prompt_parts,
    retrieval_items,
    setup_items,
    upkeep_items,
)
from estimators.assumptions import Assumptions
from estimators.catalog import ModelEntry
from estimators.context import Context
from estimators.errors import EstimatorError
from estimators.lineitems import LineItem
from estimators.selfhost.compute import (
    FULL_FLOPS_PER_PARAM_TOKEN,
    MemoryFit,
    Method,
    Number,
    TrainingCompute,
    memory_fit,
    method_mfu,
    self_hostable_params_b,
    training_compute,
)
from estimators.selfhost.gpus import GpuEntry, get_gpu
from estimators.selfhost.serving import (
    BENCHMARK_INPUT_PER_OUTPUT,
    ServingChoice,
    ServingTraffic,
    choose_serving,
    usd_per_mtok,
)
from estimators.selfhost.serving_memory import (
    QUALITY_NOTES,
    kv_cache_bytes_per_token,
    weight_bytes_per_param,
)
from estimators.timeline import growth_factor
from estimators.trusted import trusted

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class _Plan:
    """What self-hosting one fine-tune takes, decided at the likely values: the model, the
    training GPUs and the model servers."""

    model: ModelEntry
    params_b: float  # [billions]
    method: Method
    gpu: GpuEntry  # training GPU
    sequence_tokens: int  # [tokens] per training sequence
    fit: MemoryFit
    serving: ServingChoice
    likely: Assumptions


def method_for(ctx: Context, spec: Spec) -> Method:
    """`full` trains every weight; `lora` trains adapters the scenario's way (lora or qlora)."""
    return "full" if spec.prefix == "full" else ctx.scenario.fine_tuning.method


def carries_draws(ctx: Context) -> bool:
    """Whether the context's assumptions are arrays of draws (the uncertainty analysis)."""
    return ctx.assumptions.carries_draws


def _likely(ctx: Context) -> Assumptions:
    """The values discrete choices are made at: those in force, or, when the context carries
    arrays of draws, the likely values they were drawn around (defaults + the scenario's own)."""
    return Assumptions(ctx.scenario.assumptions) if carries_draws(ctx) else ctx.assumptions


def _extra_prompt(ctx: Context, spec: Spec, a: Assumptions) -> Number:
    """Prompt tokens per query beyond the benchmark's 202 per 179 output tokens [tokens]."""
    traffic = ctx.scenario.traffic
    prompt = sum(prompt_parts(ctx, spec, a).values())
    return np.maximum(0.0, prompt - BENCHMARK_INPUT_PER_OUTPUT * traffic.output_tokens)


def _serving_traffic(ctx: Context, spec: Spec, a: Assumptions) -> ServingTraffic:
    traffic, scenario = ctx.scenario.traffic, ctx.scenario
    growth = growth_factor(traffic.monthly_growth_pct, scenario.horizon_months - 1)
    # Replicas are sized on output-token equivalents, so long prompts count as they cost.
    extra = _extra_prompt(ctx, spec, a)
    equivalents = traffic.output_tokens + a["selfhost.input_token_weight"] * extra
    prompt = sum(prompt_parts(ctx, spec, a).values())
    return ServingTraffic(
        queries_per_day=traffic.queries_per_day * growth,
        output_tokens=traffic.output_tokens,
        output_token_equivalents=float(equivalents),
        context_tokens=prompt + traffic.output_tokens,
        hours_per_month=a["calendar.days_per_month"] * HOURS_PER_DAY,
        utilisation=a["selfhost.serving_utilisation"],
        peak_to_average=a["selfhost.peak_to_average_ratio"],
        min_replicas=a["selfhost.min_replicas"],
        usable_fraction=a["selfhost.usable_memory_fraction"],
        decode_tokens_per_s_per_sequence=a["selfhost.decode_tokens_per_s_per_sequence"],
        max_sequences_per_replica=a["selfhost.max_sequences_per_replica"],
    )


def _plan(ctx: Context, spec: Spec) -> _Plan | str:
    """Size the training run and the model servers, or say why it cannot be self-hosted."""
    a = _likely(ctx)
    scenario = ctx.scenario
    model = ctx.model(spec.role)
    tuning = scenario.fine_tuning
    try:
        params_b = self_hostable_params_b(model, field=f"models.{spec.role}")
        gpu = get_gpu(tuning.gpu, field="fine_tuning.gpu")
        if tuning.serving_gpu is not None:
            get_gpu(tuning.serving_gpu, field="fine_tuning.serving_gpu")
    except EstimatorError as error:
        return str(error)
    method = method_for(ctx, spec)
    sequence = scenario.data.tokens_per_example
    fit = memory_fit(
        model_name=model.id,
        params_b=params_b,
        method=method,
        gpu_id=gpu.id,
        sequence_tokens=sequence,
        micro_batch_sequences=a["selfhost.micro_batch_sequences"],
        trainable_fraction=a["selfhost.lora_trainable_fraction"],
        usable_fraction=a["selfhost.usable_memory_fraction"],
    )
    serving = choose_serving(
        model=model,
        params_b=params_b,
        precision=tuning.serving_precision,
        traffic=_serving_traffic(ctx, spec, a),
        gpu_id=tuning.serving_gpu,
    )
    return _Plan(model, params_b, method, gpu, sequence, fit, serving, a)


def _fine_tune(ctx: Context, plan: _Plan, a: Assumptions) -> TrainingCompute:
    """One successful fine-tune at the assumption values `a` (floats, or arrays of draws)."""
    epochs, _ = epochs_for(ctx)
    return training_compute(
        examples=ctx.scenario.data.labelled_examples,
        tokens_per_example=plan.sequence_tokens,
        epochs=epochs,
        params_b=plan.params_b,
        method=plan.method,
        peak_tflops=plan.gpu.bf16_tflops,
        usd_per_gpu_hour=plan.gpu.usd_per_hour,
        gpus=plan.fit.gpus,
        nodes=plan.fit.nodes,
        mfu=method_mfu(plan.method, a["selfhost.mfu"], a["selfhost.lora_mfu"]),
        inter_node_efficiency=a["selfhost.inter_node_efficiency"],
        overhead_hours=a["selfhost.run_overhead_hours"],
        runs=a["selfhost.runs_per_fine_tune"],
        lora_flops_per_param_token=a["selfhost.lora_flops_per_param_token"],
        qlora_slowdown=a["selfhost.qlora_slowdown"],
    )


def _serving_usd_per_mtok(plan: _Plan, a: Assumptions) -> Number:
    """USD per 1M output tokens at the serving GPU's price, throughput and utilisation."""
    option = plan.serving.option
    return usd_per_mtok(
        option.gpu.usd_per_hour,
        option.throughput.tokens_per_s_per_gpu,
        a["selfhost.serving_utilisation"],
    )


def _floor_usd_per_month(plan: _Plan, a: Assumptions) -> Number:
    """The always-on replicas [USD/month] = min replicas × GPUs per replica × hours × price."""
    option = plan.serving.option
    hours = a["calendar.days_per_month"] * HOURS_PER_DAY
    return a["selfhost.min_replicas"] * option.gpus_per_replica * hours * option.gpu.usd_per_hour


def _floor_formula(plan: _Plan) -> str:
    a, option = plan.likely, plan.serving.option
    hours = a["calendar.days_per_month"] * HOURS_PER_DAY
    return (
        "selfhost.min_replicas × GPUs per replica × calendar.days_per_month × 24 h × serving GPU "
        f"USD per hour = {a['selfhost.min_replicas']:g} × {option.gpus_per_replica} × "
        f"{hours:,.1f} h × ${option.gpu.usd_per_hour:,.2f} = "
        f"${float(_floor_usd_per_month(plan, a)):,.2f} per month; a month's serving costs "
        "max(queries × per-query cost, this floor)"
    )


def _training_where(plan: _Plan) -> str:
    fit = plan.fit
    if fit.nodes == 1:
        return f"{fit.gpus} × {plan.gpu.id}"
    return f"{fit.nodes} nodes × 8 {plan.gpu.id}"


def _training_block(ctx: Context, plan: _Plan) -> Training:
    epochs, rule = epochs_for(ctx)
    fit, choice = plan.fit, plan.serving
    run = _fine_tune(ctx, plan, plan.likely)
    option = choice.option
    precision = ctx.scenario.fine_tuning.serving_precision
    return Training(
        hosting="self_hosted",
        model=plan.model.id,
        examples=ctx.scenario.data.labelled_examples,
        tokens=float(run.tokens),
        epochs=epochs,
        epochs_rule=rule,
        method=plan.method,
        flops=float(run.flops),
        gpu_hours=float(run.gpu_hours),
        wall_clock_hours=float(run.wall_clock_hours),
        memory_gb=fit.memory_gb,
        gpus_needed=fit.gpus,
        fits=fit.fits and choice.fits,
        gpu=plan.gpu.id,
        gpu_usd_per_hour=plan.gpu.usd_per_hour,
        memory_message=fit.message,
        serving_tokens_per_s_per_gpu=option.throughput.tokens_per_s_per_gpu,
        throughput_basis=option.throughput.basis,
        serving_gpus_per_replica=option.gpus_per_replica,
        serving_replicas_at_peak=option.replicas,
        serving_usd_per_mtok=float(_serving_usd_per_mtok(plan, plan.likely)),
        serving_message=choice.message,
        floor_usd_per_month=float(_floor_usd_per_month(plan, plan.likely)),
        floor_formula=_floor_formula(plan),
        mfu=float(run.mfu),
        compute_gpu_hours=float(run.compute_gpu_hours),
        run_overhead_gpu_hours=float(run.overhead_gpu_hours),
        runs_per_fine_tune=float(run.runs),
        fine_tune_gpu_hours=float(run.fine_tune_gpu_hours),
        nodes=fit.nodes,
        inter_node_efficiency=float(run.efficiency),
        training_memory_gb_by_part=fit.memory_gb_by_part,
        serving_gpu=option.gpu.id,
        serving_gpu_usd_per_hour=option.gpu.usd_per_hour,
        serving_gpu_chosen_by=choice.chosen_by,
        serving_precision=precision,
        serving_precision_note=QUALITY_NOTES[precision],
        serving_weight_bytes_per_param=float(weight_bytes_per_param(precision, plan.params_b)),
        serving_memory_gb_per_replica=option.memory_gb,
        serving_memory_gb_by_part=option.memory_gb_by_part,
        serving_sequences_per_replica=option.sequences_per_replica,
        kv_cache_bytes_per_token=float(kv_cache_bytes_per_token(plan.params_b)),
        serving_decode_bound=option.decode.bound,
        serving_decode_note=option.decode.note,
    )


def _gpu_training_item(ctx: Context, plan: _Plan) -> LineItem:
    data = ctx.scenario.data
    epochs, rule = epochs_for(ctx)
    a, gpu = ctx.assumptions, plan.gpu
    run = _fine_tune(ctx, plan, a)
    mfu_id = "selfhost.mfu" if plan.method == "full" else "selfhost.lora_mfu"
    if plan.method == "full":
        per_token, flop_ids = f"{FULL_FLOPS_PER_PARAM_TOKEN:g}", ()
    elif plan.method == "lora":
        per_token = "selfhost.lora_flops_per_param_token"
        flop_ids = (per_token,)
    else:
        per_token = "selfhost.lora_flops_per_param_token × selfhost.qlora_slowdown"
        flop_ids = ("selfhost.lora_flops_per_param_token", "selfhost.qlora_slowdown")
    across = " × selfhost.inter_node_efficiency" if plan.fit.nodes > 1 else ""
    node_ids = ("selfhost.inter_node_efficiency",) if plan.fit.nodes > 1 else ()
    ids = (
        "selfhost.runs_per_fine_tune",
        *flop_ids,
        mfu_id,
        *node_ids,
        "selfhost.run_overhead_hours",
    )
    inputs: dict[str, float | str] = {
        "method": plan.method,
        "params_b": plan.params_b,
        "data.labelled_examples": data.labelled_examples,
        "data.tokens_per_example": data.tokens_per_example,
        "epochs": epochs,
        "epochs rule": rule,
        "FLOP (one run)": run.flops,
        "GPU BF16 TFLOPS": gpu.bf16_tflops,
        "compute GPU-hours (one run)": run.compute_gpu_hours,
        "GPU-hours (one run, with overhead)": run.gpu_hours,
        "training GPUs": plan.fit.gpus,
        "nodes": plan.fit.nodes,
        "wall-clock hours (one run)": run.wall_clock_hours,
        "GPU USD per hour": gpu.usd_per_hour,
    } | {key: a[key] for key in ids}
    sources = {
        "GPU USD per hour": f"{gpu.source} (as of {gpu.as_of})",
        "GPU BF16 TFLOPS": gpu.spec_source,
        "params_b": f"catalogue entry {plan.model.id}: {plan.model.note or plan.model.source}",
        "FLOPs per parameter-token": "6·N·D for a full fine-tune (Kaplan et al. 2020)",
        "calibration": "docs/calibration.md: published fine-tuning runs re-estimated",
    }
    return ctx.item(
        f"GPU training: {plan.method} of {plan.model.id} on {_training_where(plan)}",
        run.cost_usd,
        f"selfhost.runs_per_fine_tune × ({per_token} × params_b × 1e9 × data.labelled_examples"
        f" × data.tokens_per_example × epochs / (GPU BF16 TFLOPS × 1e12 × {mfu_id}{across})"
        " / 3,600 + selfhost.run_overhead_hours × training GPUs) × GPU USD per hour",
        inputs,
        ids,
        sources,
    )


def _serving_items(ctx: Context, plan: _Plan, spec: Spec) -> list[LineItem]:
    a, traffic, option = ctx.assumptions, ctx.scenario.traffic, plan.serving.option
    per_mtok = _serving_usd_per_mtok(plan, a)
    peak = a["selfhost.peak_to_average_ratio"]
    per_token = (
        "serving GPU USD per hour / (output tokens/s per GPU × 3,600 × "
        "selfhost.serving_utilisation) × selfhost.peak_to_average_ratio"
    )
    common: dict[str, float | str] = {
        "serving GPU USD per hour": option.gpu.usd_per_hour,
        "output tokens/s per GPU": option.throughput.tokens_per_s_per_gpu,
        "selfhost.serving_utilisation": a["selfhost.serving_utilisation"],
        "selfhost.peak_to_average_ratio": peak,
        "USD per 1M output tokens (average load)": per_mtok,
    }
    sources = {
        "serving GPU USD per hour": f"{option.gpu.source} (as of {option.gpu.as_of})",
        "output tokens/s per GPU": option.throughput.basis,
        "serving GPU": plan.serving.message,
    }
    ids = ("selfhost.serving_utilisation", "selfhost.peak_to_average_ratio")
    extra = _extra_prompt(ctx, spec, a)
    parts = prompt_parts(ctx, spec, a)
    weight = a["selfhost.input_token_weight"]
    where = f"self-hosted fine-tuned {plan.model.id} on {option.gpu.id}"
    return [
        ctx.item(
            f"Output tokens on {where}",
            traffic.output_tokens * per_mtok * peak / 1e6,
            f"traffic.output_tokens × {per_token}",
            {"traffic.output_tokens": traffic.output_tokens} | common,
            ids,
            sources,
        ),
        ctx.item(
            f"Prompt tokens beyond the benchmark's mix on {where}",
            extra * weight * per_mtok * peak / 1e6,
            f"max(0, {' + '.join(parts)} − 202/179 ×"
            f" traffic.output_tokens) × selfhost.input_token_weight × {per_token}",
            dict(parts)
            | {
                "traffic.output_tokens": traffic.output_tokens,
                "benchmark prompt tokens per output token": BENCHMARK_INPUT_PER_OUTPUT,
                "selfhost.input_token_weight": weight,
            }
            | common,
            (*prompt_ids(spec), "selfhost.input_token_weight", *ids),
            sources,
        ),
    ]


def _ops_item(ctx: Context) -> LineItem:
    return ctx.labour(
        "Run the model servers (on-call, upgrades, capacity)", "selfhost.ops_hours_per_month"
    )


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    """The fine-tune trained on `fine_tuning.gpu` and served on its serving GPU, or why not."""
    plan = _plan(ctx, spec)
    if isinstance(plan, str):
        return unavailable(spec.profile, plan)
    training = _training_block(ctx, plan)
    if not plan.fit.fits or not plan.serving.fits:
        reason = plan.fit.message if not plan.fit.fits else plan.serving.message
        return ApproachCost(
            profile=spec.profile, available=False, unavailable_reason=reason, training=training
        )
    run = _gpu_training_item(ctx, plan)
    retrieval = retrieval_items(ctx, spec)
    return trusted(
        ApproachCost,
        profile=spec.profile,
        available=True,
        unavailable_reason="",
        line_items=LineItems(
            setup=setup_items(ctx, spec, run),
            per_query=[*_serving_items(ctx, plan, spec), *retrieval],
            monthly=upkeep_items(ctx, spec, run.usd, (_ops_item(ctx),)),
        ),
        min_usage_usd_per_month=_floor_usd_per_month(plan, ctx.assumptions),
        unfloored_per_query_usd=sum(item.usd for item in retrieval),
        training=training,
    )
