"""hypothesis strategies for valid scenarios (as dicts, validated by the real parser)."""

from __future__ import annotations

from hypothesis import strategies as st

from estimators.catalog import models
from estimators.ids import APPROACH_IDS, PROBLEMS
from estimators.scenario import Scenario, parse_scenario
from estimators.selfhost.gpus import gpu_ids

API_CHAT = [m.id for m in models().values() if m.kind == "chat" and m.has_api_price]
CHAT = [m.id for m in models().values() if m.kind == "chat"]
EMBEDDING = [m.id for m in models().values() if m.kind == "embedding"]
GPUS = gpu_ids()

# Any script, emoji included; not the control and bidi-override characters a name may not hold.
NAME_CHARACTERS = st.characters(
    exclude_categories=("Cc", "Cs"),
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
volumes = st.floats(min_value=0, max_value=5e6, allow_nan=False)
counts = st.integers(min_value=0, max_value=20_000)


@st.composite
def routings(draw: st.DrawFn) -> dict[str, float]:
    """A valid `traffic.routing`: two to six approaches whose shares add up to 1."""
    ids = draw(st.lists(st.sampled_from(APPROACH_IDS), min_size=2, max_size=6, unique=True))
    weights = [draw(st.floats(0.0, 1.0)) for _ in ids]
    weights[0] = weights[0] or 1.0
    shares = [w / sum(weights) for w in weights]
    shares[-1] = max(0.0, 1.0 - sum(shares[:-1]))
    return dict(zip(ids, shares, strict=True))


@st.composite
def scenario_dicts(draw: st.DrawFn) -> dict[str, object]:
    return {
        "name": draw(st.text(NAME_CHARACTERS, max_size=30)),
        "task": {
            "problems": draw(st.lists(st.sampled_from(PROBLEMS), unique=True, max_size=5)),
            "prompting_tried": draw(st.booleans()),
            "changes_per_year": draw(st.floats(0, 24)),
        },
        "traffic": {
            "queries_per_day": draw(volumes),
            "monthly_growth_pct": draw(st.floats(0, 20)),
            "input_tokens": draw(st.integers(0, 20_000)),
            "output_tokens": draw(st.integers(0, 4_000)),
            "system_prompt_tokens": draw(st.integers(0, 8_000)),
            "routing": draw(st.one_of(st.none(), routings())),
        },
        "data": {
            "labelled_examples": draw(counts),
            "tokens_per_example": draw(st.integers(1, 40_000)),
            "domain_breadth": draw(st.sampled_from(["narrow", "mixed", "broad"])),
            "knowledge_base": {
                "documents": draw(st.integers(0, 100_000)),
                "tokens_per_document": draw(st.integers(0, 20_000)),
                "changed_pct_per_month": draw(st.floats(0, 100)),
            },
        },
        "models": {
            "general": draw(st.sampled_from(CHAT)),
            "small": draw(st.sampled_from(CHAT)),
            "large": draw(st.sampled_from(CHAT)),
            "embedding": draw(st.sampled_from(EMBEDDING)),
        },
        "fine_tuning": {
            "hosting": draw(st.sampled_from(["api", "self_hosted"])),
            "method": draw(st.sampled_from(["lora", "qlora"])),
            "gpu": draw(st.sampled_from(GPUS)),
            "epochs": draw(st.one_of(st.none(), st.integers(1, 50))),
            "learning_rate_multiplier": draw(st.one_of(st.none(), st.floats(0.05, 10))),
        },
        "base_model_updates_per_year": draw(st.floats(0, 12)),
        "team": {"hourly_rate_usd": draw(st.floats(0, 500))},
        "horizon_months": draw(st.integers(1, 120)),
    }


scenarios = scenario_dicts().map(parse_scenario)


def with_changes(scenario: Scenario, section: str, **fields: object) -> Scenario:
    """A copy of the scenario with fields of one section changed, validated again."""
    data = scenario.model_dump(mode="json")
    data[section] = data[section] | fields
    return parse_scenario(data)
