"""What the two fine-tuning approaches share: training runs, fine-tuned inference, retraining.

`lora` adapts the small model, `full` the large one; both are hosted by a provider's fine-tuning
service (`api`) or on your own GPUs (`self_hosted`). Training tokens = examples × min(tokens per
example, 16,385) × epochs; a fine-tune does not carry over to a new base model, so every task
change, base-model update and drift retrain pays the training run again.

Self-hosted (DESIGN.md §5; formulas in `estimators/compute.py` and `estimators/serving.py`):
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

from estimators.approach import ApproachCost, LineItems, Profile, Training, unavailable
from estimators.catalog import FineTuningPrice, ModelEntry, models
from estimators.compute import (
    FULL_FLOPS_PER_PARAM_TOKEN,
    MemoryFit,
    Method,
    TrainingCompute,
    memory_fit,
    self_hostable_params_b,
    training_compute,
)
from estimators.context import Context
from estimators.epochs import BILLING_CAP_TOKENS, EPOCHS_RULE, default_epochs
from estimators.errors import EstimatorError
from estimators.gpus import GpuEntry, get_gpu
from estimators.lineitems import LineItem, token_cost_usd
from estimators.serving import (
    BENCHMARK_INPUT_PER_OUTPUT,
    Serving,
    Throughput,
    self_hosting_crossover,
    serving_plan,
    serving_throughput,
)
from estimators.timeline import MAX_QUERIES_PER_DAY, Pricing, queries_per_month

HOURS_PER_DAY = 24.0
PROVIDER_ASSUMPTION = (
    "a provider serves the fine-tuned model at the base model's hosted per-token price "
    "(serverless LoRA adapters are offered at base-model prices by some providers, e.g. W&B "
    "Inference, docs.wandb.ai/inference/lora; others, e.g. Fireworks, bill a dedicated "
    "deployment per GPU-second, which costs like self-hosting)"
)


@dataclass(frozen=True)
class Spec:
    """Which model a fine-tuning approach adapts and which assumptions price its labour."""

    profile: Profile
    role: str  # "small" or "large" in scenario.models
    prefix: str  # "lora" or "full": the assumption ids `<prefix>.setup_hours`, ...


def epochs_for(ctx: Context) -> tuple[int, str]:
    """Epochs in force and the rule that gave them."""
    chosen = ctx.scenario.fine_tuning.epochs
    if chosen is not None:
        return chosen, "set in fine_tuning.epochs"
    return default_epochs(ctx.scenario.data.labelled_examples), EPOCHS_RULE


def training_tokens(ctx: Context) -> float:
    """Billed training tokens of one run [tokens]: examples × min(tokens, 16,385) × epochs."""
    data = ctx.scenario.data
    epochs, _ = epochs_for(ctx)
    return data.labelled_examples * min(data.tokens_per_example, BILLING_CAP_TOKENS) * epochs


def retrains_per_year(ctx: Context) -> dict[str, float]:
    return {
        "task.changes_per_year": ctx.scenario.task.changes_per_year,
        "base_model_updates_per_year": ctx.scenario.base_model_updates_per_year,
        "finetune.drift_retrains_per_year": ctx.assumptions["finetune.drift_retrains_per_year"],
    }


def _fine_tunable_models() -> str:
    return ", ".join(m.id for m in models().values() if m.fine_tuning is not None)


def _training_item(ctx: Context, model_id: str, price: FineTuningPrice) -> LineItem:
    data = ctx.scenario.data
    epochs, rule = epochs_for(ctx)
    return ctx.item(
        f"Training run on {model_id}",
        token_cost_usd(training_tokens(ctx), price.training_usd_per_mtok),
        "data.labelled_examples × min(data.tokens_per_example, 16,385) × epochs"
        " × training USD per 1M tokens / 1,000,000",
        {
            "data.labelled_examples": data.labelled_examples,
            "data.tokens_per_example": data.tokens_per_example,
            "epochs": epochs,
            "epochs rule": rule,
            "training USD per 1M tokens": price.training_usd_per_mtok,
        },
        (),
        {"training price": f"{price.source} (as of {price.as_of})"},
    )


def _curation_item(ctx: Context) -> LineItem:
    examples = ctx.scenario.data.labelled_examples
    minutes = ctx.assumptions["finetune.curation_minutes_per_example"]
    return ctx.item(
        "Review and clean the training examples",
        examples * minutes / 60 * ctx.rate_usd_per_hour,
        "data.labelled_examples × finetune.curation_minutes_per_example / 60"
        " × team.hourly_rate_usd",
        {
            "data.labelled_examples": examples,
            "finetune.curation_minutes_per_example": minutes,
            "team.hourly_rate_usd": ctx.rate_usd_per_hour,
        },
        ("finetune.curation_minutes_per_example",),
    )


def _query_items(ctx: Context, model_id: str, price: FineTuningPrice) -> list[LineItem]:
    traffic = ctx.scenario.traffic
    source = f"{price.source} (as of {price.as_of})"
    prompt = {
        "finetune.system_prompt_tokens": ctx.assumptions["finetune.system_prompt_tokens"],
        "traffic.input_tokens": traffic.input_tokens,
    }
    return [
        ctx.tokens(
            f"Input tokens on fine-tuned {model_id}",
            prompt,
            "fine-tuned input USD per 1M tokens",
            price.input_usd_per_mtok,
            ("finetune.system_prompt_tokens",),
            source,
        ),
        ctx.tokens(
            f"Output tokens on fine-tuned {model_id}",
            {"traffic.output_tokens": traffic.output_tokens},
            "fine-tuned output USD per 1M tokens",
            price.output_usd_per_mtok,
            (),
            source,
        ),
    ]


def _retrain_item(ctx: Context, training_run_usd: float) -> LineItem:
    per_year = retrains_per_year(ctx)
    hours = ctx.assumptions["finetune.retrain_hours"]
    return ctx.item(
        "Retraining (task changes, base-model updates, drift)",
        sum(per_year.values()) / 12 * (training_run_usd + hours * ctx.rate_usd_per_hour),
        "(" + " + ".join(per_year) + ") / 12"
        " × (training run USD + finetune.retrain_hours × team.hourly_rate_usd)",
        dict(per_year)
        | {
            "training run USD": training_run_usd,
            "finetune.retrain_hours": hours,
            "team.hourly_rate_usd": ctx.rate_usd_per_hour,
        },
        ("finetune.drift_retrains_per_year", "finetune.retrain_hours"),
    )


def _api_cost(ctx: Context, spec: Spec) -> ApproachCost:
    model = ctx.model(spec.role)
    price = model.fine_tuning
    if price is None:
        return unavailable(
            spec.profile,
            f"models.{spec.role} '{model.id}' has no fine-tuning offer in the price catalogue. "
            f"Choose one that has ({_fine_tunable_models()}), or self-host an open-weights model.",
        )
    training = _training_item(ctx, model.id, price)
    epochs, rule = epochs_for(ctx)
    return ApproachCost(
        profile=spec.profile,
        line_items=LineItems(
            setup=[
                ctx.labour(
                    "Data pipeline, evaluation and deployment", f"{spec.prefix}.setup_hours"
                ),
                _curation_item(ctx),
                training,
            ],
            per_query=_query_items(ctx, model.id, price),
            monthly=[
                ctx.labour(
                    "Monitoring and regression testing", f"{spec.prefix}.upkeep_hours_per_month"
                ),
                _retrain_item(ctx, training.usd),
            ],
        ),
        training=Training(
            hosting="api",
            model=model.id,
            examples=ctx.scenario.data.labelled_examples,
            tokens=training_tokens(ctx),
            epochs=epochs,
            epochs_rule=rule,
        ),
    )


# --- self-hosted ---------------------------------------------------------------------------


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
    growth = (1 + traffic.monthly_growth_pct / 100) ** (scenario.horizon_months - 1)
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


def _self_hosted_cost(ctx: Context, spec: Spec) -> ApproachCost:
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
            setup=[
                ctx.labour(
                    "Data pipeline, evaluation and deployment", f"{spec.prefix}.setup_hours"
                ),
                _curation_item(ctx),
                run,
            ],
            per_query=_serving_items(ctx, plan),
            monthly=[
                ctx.labour(
                    "Monitoring and regression testing", f"{spec.prefix}.upkeep_hours_per_month"
                ),
                ctx.labour(
                    "Run the model servers (on-call, upgrades, capacity)",
                    "selfhost.ops_hours_per_month",
                ),
                _retrain_item(ctx, run.usd),
            ],
        ),
        min_usage_usd_per_month=plan.serving.floor_usd_per_month,
        training=training,
    )


# --- API versus self-hosting ---------------------------------------------------------------


def _crossover(
    ctx: Context, provider: Pricing, own: Pricing, versus: str
) -> tuple[float | None, str]:
    """Daily volume (month 1) above which self-hosting costs less over the horizon, and a note."""
    scenario = ctx.scenario
    months = scenario.horizon_months
    growth_pct = scenario.traffic.monthly_growth_pct
    month_days = queries_per_month(
        1.0, growth_pct, ctx.assumptions["calendar.days_per_month"], months
    )
    kind, volume = self_hosting_crossover(provider, own, month_days)
    growth = " (month 1, at the scenario's growth)" if growth_pct else ""
    costs = (
        f"${own.per_query_usd:.6f} per query above a ${own.min_usage_usd_per_month:,.0f}/month "
        f"floor against ${provider.per_query_usd:.6f} per query"
    )
    if kind == "above" and volume == 0:
        return 0.0, f"Self-hosting is cheaper than {versus} at any volume ({costs})."
    if kind == "above":
        return volume, (
            f"Self-hosting is cheaper over {months} months above {volume:,.0f} queries/day"
            f"{growth} than {versus} ({costs})."
        )
    if kind == "below":
        return None, (
            f"Self-hosting is cheaper than {versus} only below {volume:,.0f} queries/day"
            f"{growth} ({costs})."
        )
    why = (
        "self-hosting costs more per query"
        if own.per_query_usd >= provider.per_query_usd
        else "the per-query saving never repays the floor and ops hours below "
        f"{MAX_QUERIES_PER_DAY:,.0f} queries/day"
    )
    return None, f"No crossover: {versus} stays cheaper at any volume, as {why} ({costs})."


def _provider_per_query_usd(ctx: Context, model: ModelEntry) -> float:
    """The fine-tune served at the base model's hosted price [USD/query]."""
    traffic = ctx.scenario.traffic
    prompt = ctx.assumptions["finetune.system_prompt_tokens"] + traffic.input_tokens
    return token_cost_usd(prompt, model.input_usd_per_mtok or 0.0) + token_cost_usd(
        traffic.output_tokens, model.output_usd_per_mtok or 0.0
    )


def _versus_provider(ctx: Context, spec: Spec, own: ApproachCost) -> tuple[float | None, str]:
    """Self-hosting against a provider serving the same fine-tune (its offer or base price)."""
    model = ctx.model(spec.role)
    if model.fine_tuning is not None:
        api = _api_cost(ctx, spec)
        versus = f"{model.id}'s fine-tuning service (provider training and inference prices)"
        return _crossover(ctx, Pricing.of(api), Pricing.of(own), versus)
    if not model.has_api_price:
        return None, (
            f"No crossover: the catalogue has no hosted price for {model.id}, so there is no "
            "provider to compare self-hosting with; import a price file that lists one."
        )
    ops = ctx.assumptions["selfhost.ops_hours_per_month"] * ctx.rate_usd_per_hour
    provider = Pricing(
        id="provider",
        setup_usd=own.setup_usd,
        per_query_usd=_provider_per_query_usd(ctx, model),
        upkeep_usd_per_month=own.maintenance_usd_per_month - ops,
        min_usage_usd_per_month=0.0,
    )
    caveat = (
        " A fully fine-tuned model usually needs a dedicated deployment, so this flatters the "
        "provider."
        if spec.prefix == "full"
        else ""
    )
    versus = (
        f"a provider serving it at {model.id}'s hosted price (${model.input_usd_per_mtok:g} in / "
        f"${model.output_usd_per_mtok:g} out per 1M tokens, {model.source})"
    )
    value, note = _crossover(ctx, provider, Pricing.of(own), versus)
    return value, (
        f"{note} Assumed: {PROVIDER_ASSUMPTION}; training, labour and retraining cost the same "
        f"either way, and self-hosting adds the floor and selfhost.ops_hours_per_month.{caveat}"
    )


def _with_crossover(cost: ApproachCost, value: float | None, note: str) -> ApproachCost:
    if cost.training is None:
        return cost
    training = cost.training.model_copy(
        update={
            "self_hosting_break_even_daily_queries": value,
            "self_hosting_break_even_note": note,
        }
    )
    return cost.model_copy(update={"training": training})


def cost(ctx: Context, spec: Spec) -> ApproachCost:
    if ctx.scenario.data.labelled_examples == 0:
        return unavailable(
            spec.profile,
            "data.labelled_examples is 0: a fine-tune needs labelled examples "
            "(50–100 at the very least, 500+ for reliable results).",
        )
    if ctx.scenario.fine_tuning.hosting == "self_hosted":
        own = _self_hosted_cost(ctx, spec)
        if not own.available:
            return own
        return _with_crossover(own, *_versus_provider(ctx, spec, own))
    api = _api_cost(ctx, spec)
    if not api.available:
        return api
    model = ctx.model(spec.role)
    if not model.open_weights or model.params_b is None:
        why = "has closed weights" if not model.open_weights else "has no parameter count"
        return _with_crossover(
            api,
            None,
            f"No crossover: self-hosting needs an open-weights model with a known size, and "
            f"{model.id} {why}.",
        )
    own = _self_hosted_cost(ctx, spec)
    if not own.available:
        return _with_crossover(api, None, f"No crossover: {own.unavailable_reason}")
    versus = f"{model.id}'s fine-tuning service"
    return _with_crossover(api, *_crossover(ctx, Pricing.of(api), Pricing.of(own), versus))
