"""A mix: `traffic.routing` splits the queries between approaches, priced beside them.

The calculators teams compare us with offer a "hybrid split" (say 80% answered by a fine-tuned
small model, 20% escalated to RAG). Every part of a mix is built and kept running, and each query
is answered by one of them, so:
- per query = Σ share × the part's per-query cost [USD];
- setup = Σ the parts' setups; upkeep = Σ the parts' upkeep [USD, USD/month];
- each part is priced at the volume it serves (`part_scenario`: the daily queries × its share),
  so what turns on volume turns with it: a cached prefix's hit rate, a self-hosted part's
  replicas, a provider's rate-limit tier;
- over the horizon each part serves its share of the queries (`timeline.mix_cumulative_usd`,
  the one home of horizon maths), and a self-hosted part keeps its whole always-on floor;
- latency: the share-weighted mean of the parts' ttft, p50 and p95 [ms];
- risks: every failure mode that applies to some part, at its highest level among them.
A part that cannot run makes the mix unavailable, with the part's reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.approaches.base import ApproachCost
from estimators.decision.risks import Risk
from estimators.ids import APPROACH_IDS, LEVELS, short_name
from estimators.lineitems import LineItem, LineItems
from estimators.results import ApproachResult, Latency, MixLatency, MixPart, MixResult
from estimators.scenario import Scenario
from estimators.timeline import Pricing, mix_cumulative_usd, mix_usage_usd

LATENCY_NOTE = (
    "The share-weighted mean of the parts' figures, not a percentile of the mixed traffic: the "
    "p95 of a mix usually sits nearer its slowest part's p95 than this mean."
)
PARTS_NOTE = (
    "Every part is built and kept running, so setup and upkeep are the sum of the parts'; each "
    "query is answered by one part, so a query costs the share-weighted sum of theirs."
)
FLOOR_NOTE = "{names} keep{s} the whole always-on floor while serving only {share} of the queries."
VOLUME_NOTE = (
    "Each part is priced at the volume it serves (the daily queries × its share): a cached "
    "prompt's hit rate, a self-hosted part's replicas and a provider's rate-limit tier follow it."
)


@dataclass(frozen=True)
class PricedPart:
    """One part of a mix, priced on `part_scenario`: its cost and its latency at that volume."""

    share: float
    cost: ApproachCost
    latency: Latency | None

    @property
    def id(self) -> str:
        return self.cost.profile.id

    @property
    def name(self) -> str:
        return self.cost.profile.name

    @property
    def pricing(self) -> Pricing:
        return Pricing.of(self.cost)


def part_scenario(scenario: Scenario, share: float) -> Scenario:
    """The scenario one part of the mix sees: the same in all but volume, its share of the daily
    queries (growth unchanged), and no mix of its own."""
    traffic = scenario.traffic.model_copy(
        update={"queries_per_day": scenario.traffic.queries_per_day * share, "routing": None}
    )
    return scenario.model_copy(update={"traffic": traffic})


def mix_parts(scenario: Scenario) -> list[tuple[str, float]]:
    """(approach id, share) in the article's order."""
    routing = scenario.traffic.routing or {}
    return [(a, routing[a]) for a in APPROACH_IDS if a in routing]


def _name(parts: list[tuple[str, float]]) -> str:
    """'Mix: 80% LoRA fine-tune, 20% RAG', largest share first."""
    ordered = sorted(parts, key=lambda part: -part[1])
    return "Mix: " + ", ".join(f"{share * 100:.4g}% {short_name(a)}" for a, share in ordered)


def _item(label: str, usd: float, formula: str, inputs: dict[str, float | int | str]) -> LineItem:
    return LineItem(label=label, usd=usd, formula=formula, inputs=inputs)


def _line_items(parts: list[PricedPart]) -> LineItems:
    """One item per part and kind, each a formula over the part's own figure at its volume."""
    setup, per_query, monthly = [], [], []
    for part in parts:
        name, pricing, share = part.name, part.pricing, part.share
        setup_name, query_name = f"{name} setup USD", f"{name} USD per query at its share"
        upkeep_name = f"{name} upkeep USD per month"
        share_name = f"traffic.routing.{part.id}"
        setup.append(
            _item(
                f"Build {name}",
                pricing.setup_usd,
                f"{setup_name}; every part of the mix is built",
                {setup_name: pricing.setup_usd},
            )
        )
        per_query.append(
            _item(
                f"{share * 100:.4g}% of queries through {name}",
                share * pricing.per_query_usd,
                f"{share_name} × {query_name}",
                {share_name: share, query_name: pricing.per_query_usd},
            )
        )
        monthly.append(
            _item(
                f"Keep {name} running",
                pricing.upkeep_usd_per_month,
                f"{upkeep_name}; every part of the mix is maintained",
                {upkeep_name: pricing.upkeep_usd_per_month},
            )
        )
    return LineItems(setup=setup, per_query=per_query, monthly=monthly)


def _latency(scenario: Scenario, parts: list[PricedPart]) -> MixLatency | None:
    latencies = [(part.latency, part.share) for part in parts]
    if any(latency is None for latency, _ in latencies):
        return None
    ttft = sum(share * latency.ttft_ms for latency, share in latencies if latency)
    p50 = sum(share * latency.p50_ms for latency, share in latencies if latency)
    p95 = sum(share * latency.p95_ms for latency, share in latencies if latency)
    budget = scenario.traffic.latency_budget_ms
    over = p95 - budget if budget is not None and p95 > budget else None
    return MixLatency(
        ttft_ms=ttft,
        p50_ms=p50,
        p95_ms=p95,
        budget_ms=budget,
        over_budget_ms=over,
        note=LATENCY_NOTE,
    )


def _risks(risks: list[Risk], ids: list[str]) -> dict[str, str]:
    """Each failure mode that applies to some part, at its highest level among the parts."""
    out = {}
    for risk in risks:
        levels = [risk.level_by_approach.get(a, risk.level) for a in ids if a in risk.applies_to]  # type: ignore[call-overload]
        if levels:
            out[risk.id] = max(levels, key=LEVELS.index)
    return out


def _notes(parts: list[PricedPart]) -> list[str]:
    notes = [PARTS_NOTE, VOLUME_NOTE, LATENCY_NOTE]
    floored = [part for part in parts if part.pricing.min_usage_usd_per_month > 0]
    if floored:
        names = " and ".join(part.name for part in floored)
        share = " and ".join(f"{part.share * 100:.4g}%" for part in floored)
        notes.append(
            FLOOR_NOTE.format(names=names, s="s" if len(floored) == 1 else "", share=share)
        )
    return notes


def price_mix(
    scenario: Scenario,
    results: list[ApproachResult],
    parts: list[PricedPart],
    monthly_queries: list[float],
    risks: list[Risk],
) -> MixResult | None:
    """The scenario's mix from its parts, each priced at the volume it serves (`parts`, in
    `mix_parts` order), or None without `traffic.routing`. `results` are the approaches at the
    full volume, beside which the mix is ranked."""
    if not parts:
        return None
    ids = [part.id for part in parts]
    common = {
        "name": _name([(part.id, part.share) for part in parts]),
        "parts": [
            MixPart(
                id=part.id,
                name=part.name,
                share=part.share,
                per_query_usd=part.pricing.per_query_usd if part.cost.available else None,
            )
            for part in parts
        ],
        "line_items": LineItems(),
        "risks": _risks(risks, ids),
        "notes": [PARTS_NOTE],
    }
    missing = [part for part in parts if not part.cost.available]
    if missing:
        reason = " ".join(
            f"{part.name} cannot run: {part.cost.unavailable_reason}".rstrip(".") + "."
            for part in missing
        )
        return MixResult(
            **common,
            available=False,
            unavailable_reason=f"A part of the mix cannot run, so neither can the mix. {reason}",
            setup_usd=None,
            per_query_usd=None,
            maintenance_usd_per_month=None,
            min_usage_usd_per_month=None,
            usage_usd=None,
            upkeep_usd=None,
            total_usd=None,
            cumulative_usd=None,
            rank=None,
            rank_of=sum(r.available for r in results) + 1,
            latency=None,
        )
    priced = [(part.share, part.pricing) for part in parts]
    cumulative = mix_cumulative_usd(priced, monthly_queries)
    total = cumulative[-1]
    upkeep = sum(p.upkeep_usd_per_month for _, p in priced)
    others = [r.total_usd for r in results if r.available and r.total_usd is not None]
    return MixResult(
        **common | {"line_items": _line_items(parts), "notes": _notes(parts)},
        available=True,
        unavailable_reason="",
        setup_usd=sum(p.setup_usd for _, p in priced),
        per_query_usd=sum(share * p.per_query_usd for share, p in priced),
        maintenance_usd_per_month=upkeep,
        min_usage_usd_per_month=sum(p.min_usage_usd_per_month for _, p in priced),
        usage_usd=mix_usage_usd(priced, monthly_queries),
        upkeep_usd=upkeep * len(monthly_queries),
        total_usd=total,
        cumulative_usd=cumulative,
        rank=1 + sum(other < total for other in others),
        rank_of=len(others) + 1,
        latency=_latency(scenario, parts),
    )
