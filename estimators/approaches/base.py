"""The shape every approach returns, before the timeline turns it into totals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from estimators.ids import ApproachId
from estimators.lineitems import LineItems


class Profile(BaseModel):
    """What the article's first table says beside cost: what changes, can it be undone, how fast."""

    model_config = ConfigDict(frozen=True)

    id: ApproachId
    name: str
    what_changes: str
    reversible: bool
    time_to_ship: Literal["hours", "days", "weeks"]
    # The scenario's models (roles in `scenario.models`) that answer its queries: a retired one
    # means the approach cannot run (`estimate.price_approach_with`).
    model_roles: tuple[Literal["general", "small", "large", "embedding"], ...]


class Training(BaseModel):
    """Training figures of a fine-tune (API or self-hosted); self-hosted adds the compute fields.

    Self-hosted figures come from `estimators/compute.py` (training) and `estimators/serving.py`
    (serving); they are None for a provider's fine-tuning API. The crossover compares self-hosting
    the fine-tuned model with having a provider serve it, over the scenario's horizon.
    """

    model_config = ConfigDict(frozen=True)

    hosting: Literal["api", "self_hosted"]
    model: str
    examples: int
    tokens: float = Field(
        description="training tokens of one run: examples × min(tokens, cap per example) × "
        "epochs (what an API bills, at the offer's cap; what self-hosted GPUs process)"
    )
    epochs: int
    epochs_rule: str
    method: Literal["full", "lora", "qlora"] | None = None
    flops: float | None = Field(default=None, description="[FLOP] one training run")
    gpu_hours: float | None = Field(
        default=None, description="[GPU-hours] one training run: computation + fixed overhead"
    )
    wall_clock_hours: float | None = Field(default=None, description="[h] one run on its GPUs")
    memory_gb: float | None = Field(default=None, description="[GB] states + activations")
    gpus_needed: int | None = Field(default=None, description="GPUs the training run uses")
    fits: bool | None = Field(
        default=None,
        description="training fits on ≤ 64 GPUs (8 nodes of 8) and a serving replica on one node",
    )
    gpu: str | None = None
    gpu_usd_per_hour: float | None = None
    memory_message: str = ""
    serving_tokens_per_s_per_gpu: float | None = Field(default=None, description="[tokens/s]")
    throughput_basis: str = ""
    serving_gpus_per_replica: int | None = None
    serving_replicas_at_peak: int | None = Field(
        default=None, description="model servers at the busiest hour of the horizon's last month"
    )
    serving_usd_per_mtok: float | None = Field(
        default=None, description="[USD per 1M output tokens] at the assumed utilisation"
    )
    serving_message: str = ""
    floor_usd_per_month: float | None = Field(
        default=None, description="[USD/month] the always-on replicas (= min_usage_usd_per_month)"
    )
    floor_formula: str = ""
    # Self-hosted training, calibrated to published runs (docs/calibration.md).
    mfu: float | None = Field(default=None, description="effective MFU applied, on real tokens")
    compute_gpu_hours: float | None = Field(
        default=None, description="[GPU-hours] one run's computation"
    )
    run_overhead_gpu_hours: float | None = Field(
        default=None, description="[GPU-hours] one run's fixed overhead on all its GPUs"
    )
    runs_per_fine_tune: float | None = None
    fine_tune_gpu_hours: float | None = Field(
        default=None, description="[GPU-hours] every run of one successful fine-tune"
    )
    nodes: int | None = Field(default=None, description="nodes of 8 GPUs the training run spans")
    inter_node_efficiency: float | None = Field(
        default=None, description="throughput kept across nodes (1 on one node)"
    )
    training_memory_gb_by_part: dict[str, float] | None = Field(
        default=None,
        description="[GB] weights, gradients_and_optimiser, activations, framework_overhead",
    )
    # Self-hosted serving, sized apart from training.
    serving_gpu: str | None = None
    serving_gpu_usd_per_hour: float | None = None
    serving_gpu_chosen_by: str = ""
    serving_precision: str | None = None
    serving_precision_note: str = ""
    serving_weight_bytes_per_param: float | None = Field(default=None, description="[bytes]")
    serving_memory_gb_per_replica: float | None = Field(
        default=None, description="[GB] weights + KV cache + activations of one replica"
    )
    serving_memory_gb_by_part: dict[str, float] | None = Field(
        default=None, description="[GB] weights, kv_cache, activations, framework_overhead"
    )
    serving_sequences_per_replica: float | None = Field(
        default=None, description="sequences one replica decodes at once at the peak"
    )
    kv_cache_bytes_per_token: float | None = Field(default=None, description="[bytes]")
    serving_decode_bound: Literal["memory", "compute"] | None = None
    serving_decode_note: str = ""
    self_hosting_break_even_daily_queries: float | None = Field(
        default=None,
        description="[queries/day, month 1] above which self-hosting the fine-tuned model is "
        "cheaper over the horizon than a provider serving it; None where it never is or "
        "cannot be computed (the note says which)",
    )
    self_hosting_break_even_note: str = ""


class ApproachCost(BaseModel):
    """An approach priced for one scenario: line items, or the reason it cannot run."""

    model_config = ConfigDict(frozen=True)

    profile: Profile
    available: bool = True
    unavailable_reason: str = ""
    line_items: LineItems = Field(default_factory=LineItems)
    # Self-hosted serving keeps at least one GPU up: a month's usage never costs less than this.
    min_usage_usd_per_month: float = 0.0
    # The part of the per-query cost billed beside that floor, never covered by it (retrieval's
    # embedding and store reads in front of a self-hosted fine-tune) [USD].
    unfloored_per_query_usd: float = 0.0
    training: Training | None = None

    @property
    def setup_usd(self) -> float:
        return sum(item.usd for item in self.line_items.setup)

    @property
    def per_query_usd(self) -> float:
        return sum(item.usd for item in self.line_items.per_query)

    @property
    def maintenance_usd_per_month(self) -> float:
        return sum(item.usd for item in self.line_items.monthly)


def unavailable(profile: Profile, reason: str) -> ApproachCost:
    """An approach that cannot run with the chosen models: kept in the result, with no costs."""
    return ApproachCost(profile=profile, available=False, unavailable_reason=reason)
