"""Providers' usage tiers (`presets/rate_limits.json`) and the tier a plan's busiest minute needs.

Per minute at the peak: requests = queries/day ÷ 1,440 × peak/average; tokens are counted the
provider's way (DESIGN §12): OpenAI and Gemini count input + output tokens against one limit;
Anthropic limits input and output separately and does not count cache reads. The needed tier is
the lowest whose every limit (requests/min, tokens/min, requests/day) covers the plan; past the
top tier a plan "needs custom limits" (a sales conversation, not a wall).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from estimators.catalog import PRESETS_DIR
from estimators.results import RateLimitCheck
from estimators.selfhost.serving import peak_per_s

RATE_LIMITS_FILE = PRESETS_DIR / "rate_limits.json"
SECONDS_PER_MINUTE = 60.0
Counting = Literal["input_plus_output", "input_and_output_separately"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provider(_Entry):
    counting: Counting
    rule: str
    qualification: str
    source: str
    beyond_top_tier: str


class Tier(_Entry):
    """One usage tier's limits [per minute, per day]; which token limits apply depends on the
    provider's counting rule."""

    name: str
    rpm: float = Field(gt=0)
    tpm: float | None = Field(default=None, gt=0)
    itpm: float | None = Field(default=None, gt=0)
    otpm: float | None = Field(default=None, gt=0)
    rpd: float | None = Field(default=None, gt=0)

    def limits(self) -> dict[str, float]:
        named = {"rpm": self.rpm, "tpm": self.tpm, "itpm": self.itpm, "otpm": self.otpm}
        return {key: v for key, v in (named | {"rpd": self.rpd}).items() if v is not None}


class Family(_Entry):
    id: str
    provider: str
    models: list[str] = Field(min_length=1)
    tiers: list[Tier] = Field(min_length=1)
    source: str
    as_of: str
    indicative: bool


class _RateLimitFile(_Entry):
    description: str = ""
    providers: dict[str, Provider]
    families: list[Family]

    @model_validator(mode="after")
    def _consistent(self) -> _RateLimitFile:
        seen: set[str] = set()
        for family in self.families:
            provider = self.providers.get(family.provider)
            if provider is None:
                raise ValueError(f"{family.id}: unknown provider '{family.provider}'")
            wanted = ("tpm",) if provider.counting == "input_plus_output" else ("itpm", "otpm")
            for tier in family.tiers:
                if any(getattr(tier, key) is None for key in wanted):
                    raise ValueError(f"{family.id} {tier.name}: needs {' and '.join(wanted)}")
            repeated = seen & set(family.models)
            if repeated:
                raise ValueError(f"{family.id}: {', '.join(sorted(repeated))} listed twice")
            seen |= set(family.models)
        return self


@cache
def rate_limit_table(path: Path = RATE_LIMITS_FILE) -> _RateLimitFile:
    """The tiers file, validated once per process."""
    return _RateLimitFile.model_validate_json(path.read_bytes())


def family_of(model_id: str) -> Family | None:
    """The usage-tier family a catalogue model belongs to, or None if none is on file."""
    return next((f for f in rate_limit_table().families if model_id in f.models), None)


def needs(
    counting: Counting, requests_per_min: float, input_per_min: float, output_per_min: float
) -> dict[str, float]:
    """What a plan needs per minute, in the limits a provider's counting rule sets."""
    if counting == "input_plus_output":
        return {"rpm": requests_per_min, "tpm": input_per_min + output_per_min}
    return {"rpm": requests_per_min, "itpm": input_per_min, "otpm": output_per_min}


def tier_for(tiers: list[Tier], need: dict[str, float]) -> Tier | None:
    """The lowest tier whose every limit covers the need (a need equal to a limit fits), or
    None past the top tier."""
    return next(
        (t for t in tiers if all(need[key] <= limit for key, limit in t.limits().items())),
        None,
    )


def check(
    model_id: str,
    queries_per_day: float,
    peak_to_average: float,
    input_tokens: float,
    output_tokens: float,
) -> RateLimitCheck | None:
    """The tier a plan needs on a model's family; None when no tiers are on file for it.

    queries_per_day [queries/day, interactive only], peak_to_average [x], input_tokens and
    output_tokens [tokens per query, reasoning counted as output].
    """
    family = family_of(model_id)
    if family is None:
        return None
    provider = rate_limit_table().providers[family.provider]
    requests_per_min = peak_per_s(queries_per_day, peak_to_average) * SECONDS_PER_MINUTE
    need = needs(
        provider.counting,
        requests_per_min,
        requests_per_min * input_tokens,
        requests_per_min * output_tokens,
    ) | {"rpd": queries_per_day}
    tier = tier_for(family.tiers, need)
    top = family.tiers[-1]
    return RateLimitCheck(
        provider=family.provider,
        family=family.id,
        counting=provider.counting,
        rule=provider.rule,
        queries_per_day=queries_per_day,
        peak_to_average=peak_to_average,
        requests_per_min=requests_per_min,
        requests_per_day=queries_per_day,
        input_tokens_per_min=requests_per_min * input_tokens,
        output_tokens_per_min=requests_per_min * output_tokens,
        tier=tier.name if tier else provider.beyond_top_tier,
        within_published_tiers=tier is not None,
        tier_limits=(tier or top).limits(),
        top_tier=top.name,
        indicative=family.indicative,
        qualification=provider.qualification,
        source=f"{family.source}; {provider.source}",
        as_of=family.as_of,
    )
