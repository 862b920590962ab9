"""Self-hosting a fine-tune on your own GPUs: the training run, the memory fit and the servers.

DESIGN.md §5; formulas in `estimators/compute.py` and `estimators/serving.py`:
- setup: labour + curation + one training run's GPU time, FLOPs / (dense BF16 peak × MFU) at the
  GPU's on-demand price; `lora` trains with `fine_tuning.method` (lora or qlora), `full` with a
  full fine-tune; sequences are `data.tokens_per_example` capped at 16,385 tokens, like billing;
- per query: output tokens, plus prompt tokens beyond the benchmark's own mix, at the GPU's
  USD per output token (GPU $/h ÷ (tokens/s × 3,600 × utilisation));
- usage floor: the always-on replicas, so a month's serving costs max(queries × per query, floor);
- monthly: upkeep + ops hours for the model servers + retraining at the GPU training cost.
The learning-rate multiplier changes no cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.approaches.base import ApproachCost, LineItems, Training, unavailable
from estimators.approaches.finetune import Spec, epochs_for, setup_items, upkeep_items
from estimators.catalog import ModelEntry
from estimators.context import Context
from estimators.epochs import BILLING_CAP_TOKENS
from estimators.errors import EstimatorError
from estimators.lineitems import LineItem, token_cost_usd
from estimators.selfhost.compute import (
    FULL_FLOPS_PER_PARAM_TOKEN,
    MemoryFit,
    Method,
    TrainingCompute,
    memory_fit,
    self_hostable_params_b,
    training_compute,
)
from estimators.selfhost.gpus import GpuEntry, get_gpu
from estimators.selfhost.serving import (
    BENCHMARK_INPUT_PER_OUTPUT,
    Serving,
    Throughput,
    serving_plan,
    serving_throughput,
)
from estimators.timeline import growth_factor

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class _Plan:
    """What self-hosting one fine-tune takes: the model, GPU, training run and model servers."""

    model: ModelEntry
    params_b: float  # [billions]
    method: Method
    gpu: GpuEntry
    sequence_tokens: int  # [tokens] per training sequence
    fit: MemoryFit
    run: TrainingCompute
    throughput: Throughput
    serving: Serving
    hours_per_month: float  # [h]


def method_for(ctx: Context, spec: Spec) -> Method:
    """`full` trains every weight; `lora` trains adapters the scenario's way (lora or qlora)."""
    return "full" if spec.prefix == "full" else ctx.scenario.fine_tuning.method


def _plan(ctx: Context, spec: Spec) -> _Plan | str:
    """Size the training run and the model servers, or say why it cannot be self-hosted."""
    a = ctx.assumptions
    scenario = ctx.scenario
    model = ctx.model(spec.role)
    try:
        params_b = self_hostable_params_b(model, field=f"models.{spec.role}")
        gpu = get_gpu(scenario.fine_tuning.gpu, field="fine_tuning.gpu")
    except EstimatorError as error:
        return str(error)
    method = method_for(ctx, spec)
    sequence = min(scenario.data.tokens_per_example, BILLING_CAP_TOKENS)
    usable = a["selfhost.usable_memory_fraction"]
    fit = memory_fit(
        model_name=model.id,
        params_b=params_b,
        method=method,
        gpu_id=gpu.id,
        sequence_tokens=sequence,
        micro_batch_sequences=a["selfhost.micro_batch_sequences"],
        trainable_fraction=a["selfhost.lora_trainable_fraction"],
        usable_fraction=usable,
    )
    epochs, _ = epochs_for(ctx)
    run = training_compute(
        examples=scenario.data.labelled_examples,
        tokens_per_example=sequence,
        epochs=epochs,
        params_b=params_b,
        method=method,
        gpu=gpu,
        gpus=fit.gpus_needed,
        mfu=a["selfhost.mfu"],
        usd_per_gpu_hour=gpu.usd_per_hour,
        lora_flops_per_param_token=a["selfhost.lora_flops_per_param_token"],
        qlora_slowdown=a["selfhost.qlora_slowdown"],
    )
    throughput = serving_throughput(model, gpu)
    traffic = scenario.traffic
    # Replicas are sized on output-token equivalents, so long prompts count as they cost.
    equivalents = traffic.output_tokens + a["selfhost.input_token_weight"] * _extra_prompt(ctx)
    growth = growth_factor(traffic.monthly_growth_pct, scenario.horizon_months - 1)
    hours_per_month = a["calendar.days_per_month"] * HOURS_PER_DAY
    serving = serving_plan(
        model_name=model.id,
        params_b=params_b,
        gpu=gpu,
        tokens_per_s_per_gpu=throughput.tokens_per_s_per_gpu,
        queries_per_day=traffic.queries_per_day * growth,
        output_tokens=equivalents,
        hours_per_month=hours_per_month,
        utilisation=a["selfhost.serving_utilisation"],
        peak_to_average=a["selfhost.peak_to_average_ratio"],
        min_replicas=a["selfhost.min_replicas"],
        usable_fraction=usable,
        kv_cache_fraction=a["selfhost.serving_kv_cache_fraction"],
        usd_per_gpu_hour=gpu.usd_per_hour,
    )
    return _Plan(
        model, params_b, method, gpu, sequence, fit, run, throughput, serving, hours_per_month
    )


def _extra_prompt(ctx: Context) -> float:
    """Prompt tokens per query beyond the benchmark's 202 per 179 output tokens [tokens]."""
    traffic = ctx.scenario.traffic
    prompt = ctx.assumptions["finetune.system_prompt_tokens"] + traffic.input_tokens
    return max(0.0, prompt - BENCHMARK_INPUT_PER_OUTPUT * traffic.output_tokens)


def _floor_formula(ctx: Context, plan: _Plan) -> str:
    s = plan.serving
    return (
        "selfhost.min_replicas × GPUs per replica × calendar.days_per_month × 24 h × GPU USD per "
        f"hour = {ctx.assumptions['selfhost.min_replicas']:g} × {s.gpus_per_replica} × "
        f"{plan.hours_per_month:,.1f} h × ${plan.gpu.usd_per_hour:,.2f} = "
        f"${s.floor_usd_per_month:,.2f} per month; a month's serving costs "
        "max(queries × per-query cost, this floor)"
    )


def _training_block(ctx: Context, plan: _Plan) -> Training:
    epochs, rule = epochs_for(ctx)
    fit, run, s = plan.fit, plan.run, plan.serving
    return Training(
        hosting="self_hosted",
        model=plan.model.id,
        examples=ctx.scenario.data.labelled_examples,
        tokens=run.tokens,
        epochs=epochs,
        epochs_rule=rule,
        method=plan.method,
        flops=run.flops,
        gpu_hours=run.gpu_hours,
        wall_clock_hours=run.wall_clock_hours,
        memory_gb=fit.memory_gb,
        gpus_needed=fit.gpus_needed,
        fits=fit.fits and s.fits,
        gpu=plan.gpu.id,
        gpu_usd_per_hour=plan.gpu.usd_per_hour,
        memory_message=fit.message,
        serving_tokens_per_s_per_gpu=s.tokens_per_s_per_gpu,
        throughput_basis=plan.throughput.basis,
        serving_gpus_per_replica=s.gpus_per_replica,
        serving_replicas_at_peak=s.replicas,
        serving_usd_per_mtok=s.usd_per_mtok,
        serving_message=s.message,
        floor_usd_per_month=s.floor_usd_per_month,
        floor_formula=_floor_formula(ctx, plan),
    )


def _gpu_sources(plan: _Plan) -> dict[str, str]:
    return {"GPU USD per hour": f"{plan.gpu.source} (as of {plan.gpu.as_of})"}


def _gpu_training_item(ctx: Context, plan: _Plan) -> LineItem:
    data = ctx.scenario.data
    epochs, rule = epochs_for(ctx)
    a, run, gpu = ctx.assumptions, plan.run, plan.gpu
    if plan.method == "full":
        per_token, ids = f"{FULL_FLOPS_PER_PARAM_TOKEN:g}", ("selfhost.mfu",)
    elif plan.method == "lora":
        per_token = "selfhost.lora_flops_per_param_token"
        ids = ("selfhost.mfu", per_token)
    else:
        per_token = "selfhost.lora_flops_per_param_token × selfhost.qlora_slowdown"
        ids = ("selfhost.mfu", "selfhost.lora_flops_per_param_token", "selfhost.qlora_slowdown")
    inputs: dict[str, float | str] = {
        "method": plan.method,
        "params_b": plan.params_b,
        "data.labelled_examples": data.labelled_examples,
        "data.tokens_per_example": data.tokens_per_example,
        "training sequence tokens (capped at 16,385)": plan.sequence_tokens,
        "epochs": epochs,
        "epochs rule": rule,
        "FLOP (one run)": run.flops,
        "GPU BF16 TFLOPS": gpu.bf16_tflops,
        "GPU-hours": run.gpu_hours,
        "GPUs (memory fit)": run.gpus,
        "wall-clock hours": run.wall_clock_hours,
        "GPU USD per hour": gpu.usd_per_hour,
    } | {key: a[key] for key in ids}
    sources = _gpu_sources(plan) | {
        "GPU BF16 TFLOPS": gpu.spec_source,
        "params_b": f"catalogue entry {plan.model.id}: {plan.model.note or plan.model.source}",
        "FLOPs per parameter-token": "6·N·D for a full fine-tune (Kaplan et al. 2020)",
    }
    return ctx.item(
        f"GPU training run: {plan.method} of {plan.model.id} on {run.gpus} × {gpu.id}",
        run.cost_usd,
        f"{per_token} × params_b × 1e9 × data.labelled_examples × min(data.tokens_per_example,"
        " 16,385) × epochs / (GPU BF16 TFLOPS × 1e12 × selfhost.mfu) / 3,600 s"
        " × GPU USD per hour",
        inputs,
        ids,
        sources,
    )


def _serving_items(ctx: Context, plan: _Plan) -> list[LineItem]:
    a, traffic, s = ctx.assumptions, ctx.scenario.traffic, plan.serving
    per_token = (
        "GPU USD per hour / (output tokens/s per GPU × 3,600 × selfhost.serving_utilisation)"
    )
    common: dict[str, float | str] = {
        "GPU USD per hour": plan.gpu.usd_per_hour,
        "output tokens/s per GPU": s.tokens_per_s_per_gpu,
        "selfhost.serving_utilisation": a["selfhost.serving_utilisation"],
        "USD per 1M output tokens": s.usd_per_mtok,
    }
    sources = _gpu_sources(plan) | {"output tokens/s per GPU": plan.throughput.basis}
    extra = _extra_prompt(ctx)
    weight = a["selfhost.input_token_weight"]
    where = f"self-hosted fine-tuned {plan.model.id} on {plan.gpu.id}"
    return [
        ctx.item(
            f"Output tokens on {where}",
            token_cost_usd(traffic.output_tokens, s.usd_per_mtok),
            f"traffic.output_tokens × {per_token}",
            {"traffic.output_tokens": traffic.output_tokens} | common,
            ("selfhost.serving_utilisation",),
            sources,
        ),
        ctx.item(
            f"Prompt tokens beyond the benchmark's mix on {where}",
            token_cost_usd(extra * weight, s.usd_per_mtok),
            "max(0, finetune.system_prompt_tokens + traffic.input_tokens − 202/179 ×"
            f" traffic.output_tokens) × selfhost.input_token_weight × {per_token}",
            {
                "finetune.system_prompt_tokens": a["finetune.system_prompt_tokens"],
                "traffic.input_tokens": traffic.input_tokens,
                "traffic.output_tokens": traffic.output_tokens,
                "benchmark prompt tokens per output token": BENCHMARK_INPUT_PER_OUTPUT,
                "selfhost.input_token_weight": weight,
            }
            | common,
            (
                "finetune.system_prompt_tokens",
                "selfhost.input_token_weight",
                "selfhost.serving_utilisation",
            ),
            sources,
        ),
    ]


def _ops_item(ctx: Context) -> LineItem:
    return ctx.labour(
        "Run the model servers (on-call, upgrades, capacity)", "selfhost.ops_hours_per_month"
    )


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    """The fine-tune trained and served on `fine_tuning.gpu`, or why it cannot be."""
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
    return ApproachCost(
        profile=spec.profile,
        line_items=LineItems(
            setup=setup_items(ctx, spec, run),
            per_query=_serving_items(ctx, plan),
            monthly=upkeep_items(ctx, spec, run.usd, (_ops_item(ctx),)),
        ),
        min_usage_usd_per_month=plan.serving.floor_usd_per_month,
        training=training,
    )
