"""What every approach needs to price itself: the scenario, the assumptions in force, the models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from estimators.assumptions import Assumptions
from estimators.catalog import ModelEntry, as_of_date, get_model, models, prices_as_of
from estimators.errors import EstimatorError
from estimators.lineitems import LineItem, token_cost_usd
from estimators.scenario import Scenario
from estimators.trusted import trusted


@dataclass(frozen=True)
class Context:
    """A validated scenario with its assumptions resolved, shared by the five approach modules."""

    scenario: Scenario
    assumptions: Assumptions
    system_prompt_tokens: int
    prices: dict[str, ModelEntry] = field(default_factory=models)

    @cached_property
    def prices_date(self) -> date:
        """The prices' own date (their newest `as_of`): a model whose shutdown date has come by
        then answers no queries. The prices', not the clock's, so the same inputs give the same
        answer."""
        return as_of_date(prices_as_of(self.prices))

    @property
    def rate_usd_per_hour(self) -> float:
        return self.scenario.team.hourly_rate_usd

    def model(self, role: str) -> ModelEntry:
        """The catalogue entry for a role in `scenario.models` (general, small, ...)."""
        model_id = getattr(self.scenario.models, role)
        return self.prices.get(model_id) or get_model(model_id, field=f"models.{role}")

    def item(
        self,
        label: str,
        usd: float,
        formula: str,
        inputs: dict[str, float | str],
        assumption_ids: tuple[str, ...] = (),
        sources: dict[str, str] | None = None,
    ) -> LineItem:
        """A line item whose assumptions carry their sources (defaults cite, overrides say so)."""
        cited = {key: self.assumptions.source(key) for key in assumption_ids}
        # Built from already-validated numbers: skipping re-validation keeps estimate() fast and
        # lets the uncertainty analysis pass arrays of draws through the same formulas.
        return trusted(
            LineItem,
            label=label,
            usd=usd,
            formula=formula,
            inputs=inputs,
            assumption_ids=list(assumption_ids),
            sources=cited | (sources or {}),
        )

    def labour(self, label: str, hours_id: str) -> LineItem:
        """Hours from an assumption × the team's hourly rate [USD]."""
        hours = self.assumptions[hours_id]
        inputs: dict[str, float | str] = {
            hours_id: hours,
            "team.hourly_rate_usd": self.rate_usd_per_hour,
        }
        formula = f"{hours_id} × team.hourly_rate_usd"
        return self.item(label, hours * self.rate_usd_per_hour, formula, inputs, (hours_id,))

    def per_year_labour(
        self, label: str, events_per_year: dict[str, float], hours_id: str
    ) -> LineItem:
        """Monthly share of work that happens a few times a year [USD/month]:
        (Σ events per year) / 12 × hours per event × hourly rate."""
        events = sum(events_per_year.values())
        hours = self.assumptions[hours_id]
        usd = events / 12 * hours * self.rate_usd_per_hour
        names = " + ".join(events_per_year)
        formula = f"({names}) / 12 × {hours_id} × team.hourly_rate_usd"
        inputs: dict[str, float | str] = dict(events_per_year)
        inputs |= {hours_id: hours, "team.hourly_rate_usd": self.rate_usd_per_hour}
        return self.item(label, usd, formula, inputs, (hours_id,))

    def tokens(
        self,
        label: str,
        token_parts: dict[str, float],
        price_name: str,
        usd_per_mtok: float,
        assumption_ids: tuple[str, ...] = (),
        price_source: str = "",
    ) -> LineItem:
        """Tokens × price [USD]: (Σ token parts) × price per 1M tokens / 1,000,000."""
        tokens = sum(token_parts.values())
        names = " + ".join(token_parts)
        names = f"({names})" if len(token_parts) > 1 else names
        inputs: dict[str, float | str] = dict(token_parts) | {price_name: usd_per_mtok}
        formula = f"{names} × {price_name} / 1,000,000"
        sources = {price_name: price_source} if price_source else {}
        return self.item(
            label, token_cost_usd(tokens, usd_per_mtok), formula, inputs, assumption_ids, sources
        )

    def usd_per_mtok(self, role: str, direction: Literal["input", "output"]) -> float:
        """A model's hosted price [USD per 1M tokens]; approaches that need one check it exists."""
        entry = self.model(role)
        price = entry.input_usd_per_mtok if direction == "input" else entry.output_usd_per_mtok
        if price is None:
            raise EstimatorError(f"models.{role}: '{entry.id}' has no hosted {direction} price")
        return price

    def price_source(self, role: str) -> str:
        entry = self.model(role)
        return f"{entry.source} (as of {entry.as_of})"
