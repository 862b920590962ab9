"""A mix: `traffic.routing` splits the queries between approaches, priced beside them.

The calculators teams compare us with offer a "hybrid split" (say 80% answered by a fine-tuned
small model, 20% escalated to RAG). Every part of a mix is built and kept running, and each query
is answered by one of them, so:
- per query = Σ share × the part's per-query cost [USD];
- setup = Σ the parts' setups; upkeep = Σ the parts' upkeep [USD, USD/month];
- over the horizon each part serves its share of the queries (`timeline.mix_cumulative_usd`,
  the one home of horizon maths): a self-hosted part keeps its whole always-on floor, and every
  part keeps the unit costs priced at the full volume (caching, replicas, the store's minimum);
- latency: the share-weighted mean of the parts' ttft, p50 and p95 [ms];
- risks: every failure mode that applies to some part, at its highest level among them.
A part that cannot run makes the mix unavailable, with the part's reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from estimators.decision.risks import Risk
from estimators.ids import APPROACH_IDS, LEVELS, short_name
from estimators.lineitems import LineItem, LineItems
from estimators.results import ApproachResult, MixLatency, MixPart, MixResult
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
FLOOR_NOTE = (
    "{names} keep{s} the whole always-on floor and the unit costs priced at the full volume, "
    "while serving only {share} of the queries."
)


def _parts(scenario: Scenario) -> list[tuple[str, float]]:
    """(approach id, share) in the article's order."""
    routing = scenario.traffic.routing or {}
    return [(a, routing[a]) for a in APPROACH_IDS if a in routing]


def _name(parts: list[tuple[str, float]]) -> str:
    """'Mix: 80% LoRA fine-tune, 20% RAG', largest share first."""
    ordered = sorted(parts, key=lambda part: -part[1])
    return "Mix: " + ", ".join(f"{share * 100:.4g}% {short_name(a)}" for a, share in ordered)


def _item(label: str, usd: float, formula: str, inputs: dict[str, float | int | str]) -> LineItem:
    return LineItem(label=label, usd=usd, formula=formula, inputs=inputs)


def _line_items(parts: list[tuple[ApproachResult, float]]) -> LineItems:
    """One item per part and kind, each a formula over the part's own figure."""
    setup, per_query, monthly = [], [], []
    for result, share in parts:
        name = result.name
        setup_name, query_name = f"{name} setup USD", f"{name} USD per query"
        upkeep_name = f"{name} upkeep USD per month"
        share_name = f"traffic.routing.{result.id}"
        setup.append(
            _item(
                f"Build {name}",
                result.setup_usd or 0.0,
                f"{setup_name}; every part of the mix is built",
                {setup_name: result.setup_usd or 0.0},
            )
        )
        per_query.append(
            _item(
                f"{share * 100:.4g}% of queries through {name}",
                share * (result.per_query_usd or 0.0),
                f"{share_name} × {query_name}",
                {share_name: share, query_name: result.per_query_usd or 0.0},
            )
        )
        monthly.append(
            _item(
                f"Keep {name} running",
                result.maintenance_usd_per_month or 0.0,
                f"{upkeep_name}; every part of the mix is maintained",
                {upkeep_name: result.maintenance_usd_per_month or 0.0},
            )
        )
    return LineItems(setup=setup, per_query=per_query, monthly=monthly)


def _latency(scenario: Scenario, parts: list[tuple[ApproachResult, float]]) -> MixLatency | None:
    latencies = [(r.latency, share) for r, share in parts]
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


def _notes(parts: list[tuple[ApproachResult, float]]) -> list[str]:
    notes = [PARTS_NOTE, LATENCY_NOTE]
    floored = [(r, share) for r, share in parts if (r.min_usage_usd_per_month or 0) > 0]
    if floored:
        names = " and ".join(r.name for r, _ in floored)
        share = " and ".join(f"{share * 100:.4g}%" for _, share in floored)
        notes.append(
            FLOOR_NOTE.format(names=names, s="s" if len(floored) == 1 else "", share=share)
        )
    return notes


def price_mix(
    scenario: Scenario,
    results: list[ApproachResult],
    pricings: Mapping[str, Pricing],
    monthly_queries: list[float],
    risks: list[Risk],
) -> MixResult | None:
    """The scenario's mix priced from its parts' results, or None without `traffic.routing`.

    `pricings` holds the timeline's figures of every approach that can run (by id)."""
    routing = _parts(scenario)
    if not routing:
        return None
    by_id = {r.id: r for r in results}
    parts = [(by_id[a], share) for a, share in routing]
    ids = [a for a, _ in routing]
    common = {
        "name": _name(routing),
        "parts": [
            MixPart(id=r.id, name=r.name, share=share, per_query_usd=r.per_query_usd)
            for r, share in parts
        ],
        "line_items": LineItems(),
        "risks": _risks(risks, ids),
        "notes": [PARTS_NOTE],
    }
    missing = [r for r, _ in parts if not r.available]
    if missing:
        reason = " ".join(
            f"{r.name} cannot run: {r.unavailable_reason}".rstrip(".") + "." for r in missing
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
    priced = [(share, pricings[r.id]) for r, share in parts]
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
