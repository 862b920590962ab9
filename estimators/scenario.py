"""The scenario file: the product's public input format (DESIGN §3).

Every field has a default, so `{}` is a valid scenario; unknown keys are an error naming the key;
numbers are strict (no booleans or strings for numbers, no NaN or infinity) and bounded.

Size: The public scenario format is one file a reader can hold: every field, bound and cross-field
check together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from estimators.assumptions import check_overrides
from estimators.catalog import get_model
from estimators.errors import EstimatorError, excerpt
from estimators.ids import APPROACH_IDS, RISK_IDS, ApproachId, Problem

SCHEMA_VERSION = 1
MIN_MIX_PARTS = 2
SHARES_TOLERANCE = 1e-9  # how far the routing shares may add up from 1 (float rounding)

# Characters that have no business in a scenario's name or description: C0/C1 controls (but tab
# and newlines) and the bidi embedding/override/isolate controls, which can make a title render
# differently from what it says (the "Trojan Source" trick).
_FORBIDDEN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BOM = b"\xef\xbb\xbf"


def _plain_text(text: str) -> str:
    found = _FORBIDDEN_TEXT.search(text)
    if found:
        raise ValueError(
            f"contains the control character U+{ord(found.group()):04X} at position "
            f"{found.start()}; remove it"
        )
    return text


PlainText = Annotated[str, AfterValidator(_plain_text)]
Pct = Annotated[float, Field(ge=0, le=100)]
PerYear = Annotated[float, Field(ge=0, le=365)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class Task(_Strict):
    description: PlainText = Field(default="", max_length=5_000)
    problems: list[Problem] = Field(default_factory=lambda: ["style"], max_length=5)
    prompting_tried: bool = False
    changes_per_year: PerYear = 2.0

    @field_validator("problems")
    @classmethod
    def _no_repeats(cls, problems: list[Problem]) -> list[Problem]:
        if len(set(problems)) != len(problems):
            raise ValueError("each problem may be listed once")
        return problems


class Traffic(_Strict):
    queries_per_day: float = Field(default=1_000, ge=0, le=1e9)
    monthly_growth_pct: Pct = 0.0
    input_tokens: int = Field(default=150, ge=0, le=1_000_000)
    output_tokens: int = Field(default=250, ge=0, le=200_000)
    system_prompt_tokens: int = Field(default=400, ge=0, le=1_000_000)
    system_prompt: str | None = Field(default=None, max_length=400_000)
    # A p95 target for one answer [ms]; None: no budget. Approaches over it are flagged, and with
    # `latency` among task.problems they cannot be recommended.
    latency_budget_ms: float | None = Field(default=None, gt=0, le=3_600_000)
    # Share of queries sent through a batch API (answers within 24 h) at its prices [0–1].
    batch_share: float = Field(default=0.0, ge=0, le=1)
    # Hidden reasoning tokens per query on reasoning models, billed as output; None: the
    # `reasoning.tokens_per_query` assumption where the catalogue marks the model as reasoning.
    reasoning_tokens: int | None = Field(default=None, ge=0, le=200_000)
    # A mix: the share of queries each approach answers (e.g. 0.8 to a fine-tuned small model,
    # 0.2 escalated to RAG). None: no mix. Priced beside the approaches, never instead of them.
    routing: dict[ApproachId, float] | None = Field(default=None, max_length=len(APPROACH_IDS))

    @field_validator("routing")
    @classmethod
    def _shares(cls, routing: dict[ApproachId, float] | None) -> dict[ApproachId, float] | None:
        if routing is None:
            return None
        if len(routing) < MIN_MIX_PARTS:
            raise ValueError(
                f"a mix routes queries to at least {MIN_MIX_PARTS} approaches, got {len(routing)}"
            )
        for approach_id, share in routing.items():
            if not 0 <= share <= 1:
                raise ValueError(f"the share of {approach_id} is {share:g}; expected 0 to 1")
        total = sum(routing.values())
        if abs(total - 1) > SHARES_TOLERANCE:
            raise ValueError(f"the shares add up to {total:.10g}; they must add up to 1")
        return routing


class KnowledgeBase(_Strict):
    documents: int = Field(default=1_000, ge=0, le=100_000_000)
    tokens_per_document: int = Field(default=900, ge=0, le=10_000_000)
    changed_pct_per_month: Pct = 5.0
    # managed: a serverless store priced per GB stored and per read (Pinecone Standard);
    # self_hosted: a flat monthly figure (`rag.vector_store_usd_per_month`).
    vector_store: Literal["managed", "self_hosted"] = "managed"


class Data(_Strict):
    labelled_examples: int = Field(default=300, ge=0, le=100_000_000)
    tokens_per_example: int = Field(default=450, ge=1, le=1_000_000)
    domain_breadth: Literal["narrow", "mixed", "broad"] = "mixed"
    knowledge_base: KnowledgeBase = Field(default_factory=KnowledgeBase)
    # Where the fine-tuning labels come from: held already (review a sample), paid human
    # labelling, or a teacher model's answers (distillation).
    labels_source: Literal["existing", "human", "distilled"] = "existing"


class Models(_Strict):
    general: str = "gpt-5.4"
    small: str = "gpt-4.1-mini"
    large: str = "gpt-4.1"
    embedding: str = "text-embedding-3-small"


class FineTuning(_Strict):
    hosting: Literal["api", "self_hosted"] = "api"
    method: Literal["lora", "qlora"] = "lora"
    gpu: str = Field(default="h100-80gb", max_length=64)
    epochs: int | None = Field(default=None, ge=1, le=50)
    learning_rate_multiplier: float | None = Field(default=None, gt=0, le=10)
    # Self-hosted serving: null picks the cheapest catalogue GPU that holds the model at the
    # traffic's peak; the precision sets the bytes per weight the servers hold.
    serving_gpu: str | None = Field(default=None, max_length=64)
    serving_precision: Literal["bf16", "fp8", "int8", "int4"] = "bf16"


DspyOptimiser = Literal[
    "bootstrap_few_shot", "bootstrap_random_search", "mipro_light", "mipro_medium", "mipro_heavy"
]


class Dspy(_Strict):
    """Which DSPy optimiser is run, and the model that proposes instructions (None: the general
    model, DSPy's default prompt model)."""

    optimiser: DspyOptimiser = "mipro_light"
    proposer_model: str | None = Field(default=None, max_length=128)


class Team(_Strict):
    hourly_rate_usd: float = Field(default=120, ge=0, le=10_000)


class Scenario(_Strict):
    """One team's LLM feature: what it must do, how much traffic, what data, which models."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: PlainText = Field(default="Untitled scenario", max_length=200)
    task: Task = Field(default_factory=Task)
    traffic: Traffic = Field(default_factory=Traffic)
    data: Data = Field(default_factory=Data)
    models: Models = Field(default_factory=Models)
    fine_tuning: FineTuning = Field(default_factory=FineTuning)
    base_model_updates_per_year: PerYear = 2.0
    team: Team = Field(default_factory=Team)
    horizon_months: int = Field(default=12, ge=1, le=120)
    assumptions: dict[str, float] = Field(default_factory=dict, max_length=500)
    mitigations_in_place: list[str] = Field(default_factory=list, max_length=50)
    dspy: Dspy = Field(default_factory=Dspy)

    @property
    def provider_fine_tuned_models(self) -> tuple[str, ...]:
        """The models fine-tuned through their provider's service (API hosting), which end
        with it when it retires: the small (LoRA) and the large (full) model."""
        return (self.models.small, self.models.large) if self.fine_tuning.hosting == "api" else ()

    @model_validator(mode="before")
    @classmethod
    def _no_negative_zero(cls, data: object) -> object:
        # -0.0 is a valid ">= 0" number but would print as "-0": store it as 0.
        return _positive_zeros(data)

    @model_validator(mode="after")
    def _known_ids(self) -> Scenario:
        for role in ("general", "small", "large", "embedding"):
            entry = get_model(getattr(self.models, role), field=f"models.{role}")
            wanted = "embedding" if role == "embedding" else "chat"
            if entry.kind != wanted:
                article = "an" if entry.kind == "embedding" else "a"
                raise ValueError(
                    f"models.{role}: '{entry.id}' is {article} {entry.kind} model, "
                    f"expected a {wanted} model"
                )
        proposer = self.dspy.proposer_model
        if proposer is not None and get_model(proposer, field="dspy.proposer_model").kind != "chat":
            raise ValueError(f"dspy.proposer_model: '{proposer}' is not a chat model")
        check_overrides(self.assumptions)
        _check_mitigations(self.mitigations_in_place)
        return self


def _positive_zeros(data: object) -> object:
    if isinstance(data, dict):
        return {key: _positive_zeros(value) for key, value in data.items()}
    if isinstance(data, float) and data == 0:
        return 0.0
    return data


def _check_mitigations(risk_ids: list[str]) -> None:
    for position, risk_id in enumerate(risk_ids):
        if risk_id not in RISK_IDS:
            raise ValueError(
                f"mitigations_in_place.{position}: unknown risk '{excerpt(risk_id)}'. "
                f"Known risks: {', '.join(RISK_IDS)}."
            )


class ScenarioError(EstimatorError):
    """A scenario that does not validate; `problems` lists (field path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = [f"{path}: {message}" if path else message for path, message in problems]
        super().__init__("Invalid scenario. " + "; ".join(lines))


_JSON_NAMES = {
    "str": "a string",
    "list": "a list",
    "int": "a number",
    "float": "a number",
    "bool": "true/false",
    "NoneType": "null",
}


def _field_path(location: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in location)


def _from_validation_error(error: ValidationError) -> ScenarioError:
    problems: list[tuple[str, str]] = []
    for item in error.errors(include_url=False):
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (not part of the scenario format)"
        elif item["type"] == "model_type" and not item["loc"]:
            kind = type(item["input"]).__name__
            message = f"a scenario must be a JSON object, not {_JSON_NAMES.get(kind, kind)}"
        problems.append((_field_path(item["loc"]), message))
    return ScenarioError(problems)


def parse_scenario(data: object) -> Scenario:
    """Validate a decoded JSON object (dict) into a Scenario, or raise ScenarioError."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ScenarioError(
            [("", f"a scenario must be a JSON object, not {_JSON_NAMES.get(kind, kind)}")]
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise _from_validation_error(error) from None
    except EstimatorError as error:
        raise ScenarioError([("", str(error))]) from None


def _decoded(raw: bytes) -> str:
    """UTF-8 text without a BOM; other encodings get a message saying what to do."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScenarioError([("", "the file is UTF-16 text; save it as UTF-8")])
    try:
        return raw.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as error:
        byte = raw[error.start : error.start + 1].hex()
        raise ScenarioError(
            [("", f"not UTF-8 text (byte 0x{byte} at offset {error.start}); save it as UTF-8")]
        ) from None


def parse_scenario_json(text: str | bytes) -> Scenario:
    """Validate scenario JSON text; malformed JSON is reported with its line and column."""
    if isinstance(text, bytes):
        text = _decoded(text)
    text = text.removeprefix("\ufeff")
    try:
        return Scenario.model_validate_json(text)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            detail = error.errors(include_url=False)[0]["msg"]
            raise ScenarioError([("", f"not valid JSON ({detail})")]) from None
        raise _from_validation_error(error) from None
    except EstimatorError as error:
        raise ScenarioError([("", str(error))]) from None


class _PresetFile(_Strict):
    """A preset file as in `presets/scenarios/` (`estimators.presets.Preset`): a scenario with
    its story. Only its scenario is used when a file is loaded."""

    id: str = ""
    title: str = ""
    story: str = ""
    note: str = ""
    scenario: Scenario


_PRESET_KEYS = frozenset(_PresetFile.model_fields)


def _is_preset_file(text: str) -> bool:
    """An object with a `scenario` object and otherwise only preset keys (id, title, ...)."""
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        return False  # the scenario parser then says what is wrong with it
    return (
        isinstance(decoded, dict)
        and isinstance(decoded.get("scenario"), dict)
        and decoded.keys() <= _PRESET_KEYS
    )


def parse_scenario_file(raw: str | bytes) -> Scenario:
    """A scenario file as the CLI and the dashboard read it: scenario JSON, or a preset file
    (`{"id", "title", "story", "note", "scenario": {...}}`) whose scenario is taken.

    Both go through pydantic's JSON parser, so a preset file's scenario is held to exactly the
    rules of a scenario file; problems name the field inside the scenario (`traffic.…`).
    """
    text = _decoded(raw) if isinstance(raw, bytes) else raw
    text = text.removeprefix("\ufeff")
    if not _is_preset_file(text):
        return parse_scenario_json(text)
    try:
        return _PresetFile.model_validate_json(text).scenario
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            detail = error.errors(include_url=False)[0]["msg"]
            raise ScenarioError([("", f"not valid JSON ({detail})")]) from None
        problems = _from_validation_error(error).problems
        inside = [(_inside_scenario(path), message) for path, message in problems]
        raise ScenarioError(inside) from None
    except EstimatorError as error:
        raise ScenarioError([("", str(error))]) from None


def _inside_scenario(path: str) -> str:
    """A preset file's field path as the scenario's own: `scenario.traffic.x` → `traffic.x`."""
    return "" if path == "scenario" else path.removeprefix("scenario.")


def scenario_to_json(scenario: Scenario) -> str:
    """The canonical file text: round-trips exactly through `parse_scenario_json`."""
    return scenario.model_dump_json(indent=2)


def set_field(data: dict[str, object], path: str, value: object) -> None:
    """Set a dotted path; `assumptions` is a flat map whose own keys contain dots."""
    head, _, rest = path.partition(".")
    if not rest or head == "assumptions":
        if rest:
            overrides = data.setdefault("assumptions", {})
            assert isinstance(overrides, dict)
            overrides[rest] = value
        else:
            data[head] = value
        return
    child = data.setdefault(head, {})
    assert isinstance(child, dict)
    set_field(child, rest, value)


def _fields(model: type[BaseModel], parent: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """Every field of a model as (dotted path, field), sections before their own fields."""
    for name, field in model.model_fields.items():
        path = f"{parent}{name}"
        yield path, field
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from _fields(field.annotation, f"{path}.")


@cache
def scenario_paths() -> frozenset[str]:
    """Every field of Scenario as a dotted path (`data.domain_breadth`), sections included."""
    return frozenset(path for path, _ in _fields(Scenario))


@cache
def integer_fields() -> frozenset[str]:
    """Dotted paths of the scenario's whole-number fields (counts: tokens, examples, months)."""
    return frozenset(
        path
        for path, field in _fields(Scenario)
        if field.annotation is int or int in get_args(field.annotation)
    )


@cache
def nullable_fields() -> frozenset[str]:
    """Dotted paths of the scenario's fields that may be null (None means 'use the rule')."""
    return frozenset(
        path
        for path, field in _fields(Scenario)
        if field.default is None and type(None) in get_args(field.annotation)
    )
