"""Engine sentences in plain words: scenario field paths become what a person calls them.

The engine names the inputs behind every reason (`task.prompting_tried is false`) so each one is
traceable; people read "prompting already tried: no". The dashboard keeps the paths on hover and
in the explain panels, the CLI's JSON keeps them as they are.
"""

from __future__ import annotations

import re

FIELD_LABELS: dict[str, str] = {
    "name": "the scenario's name",
    "task.description": "the task description",
    "task.problems": "the problems you named",
    "task.prompting_tried": "prompting already tried",
    "task.changes_per_year": "task changes a year",
    "traffic.queries_per_day": "queries per day",
    "traffic.monthly_growth_pct": "monthly growth",
    "traffic.input_tokens": "user input tokens per query",
    "traffic.output_tokens": "output tokens per query",
    "traffic.system_prompt_tokens": "system prompt tokens",
    "traffic.system_prompt": "the system prompt",
    "traffic.routing": "the traffic split",
    "data.labelled_examples": "labelled examples",
    "data.tokens_per_example": "tokens per example",
    "data.domain_breadth": "how broad the training data is",
    "data.knowledge_base": "the knowledge base",
    "data.knowledge_base.documents": "knowledge-base documents",
    "data.knowledge_base.tokens_per_document": "tokens per knowledge-base document",
    "data.knowledge_base.changed_pct_per_month": "knowledge-base share changed a month",
    "models.general": "the general model",
    "models.small": "the small model",
    "models.large": "the large model",
    "models.embedding": "the embedding model",
    "fine_tuning.hosting": "where fine-tunes run",
    "fine_tuning.method": "the fine-tuning method",
    "fine_tuning.gpu": "the training GPU",
    "fine_tuning.epochs": "epochs",
    "fine_tuning.learning_rate_multiplier": "the learning-rate multiplier",
    "base_model_updates_per_year": "base-model updates a year",
    "team.hourly_rate_usd": "the team's hourly rate",
    "horizon_months": "the horizon",
    "mitigations_in_place": "mitigations in place",
}

# A dotted path, or a top-level field whose name holds an underscore (plain words never do).
_PATH = re.compile(r"(?<![\w.])([a-z][a-z_]*(?:\.[a-z_]+)+|[a-z]+_[a-z_]+)(?![\w])")
_BOOLEAN = re.compile(r"(?<![\w.])([a-z][a-z_]*(?:\.[a-z_]+)+) is (true|false)\b")


def field_label(path: str) -> str:
    """What a person calls a scenario field; an unknown path reads as its last word."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    return path.rsplit(".", 1)[-1].replace("_", " ")


_NAMED = re.compile(r"(?<![\w.])task\.problems (includes|does not include) ([a-z]+)")


def plain(text: str) -> str:
    """`text` with every scenario field path replaced by its label (booleans as yes / no)."""
    text = _NAMED.sub(
        lambda m: f"you {'named' if m.group(1) == 'includes' else 'did not name'} {m.group(2)}",
        text,
    )
    text = _BOOLEAN.sub(
        lambda m: f"{field_label(m.group(1))}: {'yes' if m.group(2) == 'true' else 'no'}", text
    )
    return _PATH.sub(
        lambda m: field_label(m.group(1)) if _is_field(m.group(1)) else m.group(1), text
    )


def _is_field(token: str) -> bool:
    return token in FIELD_LABELS or token.split(".", 1)[0] in {
        "task",
        "traffic",
        "data",
        "models",
        "fine_tuning",
        "team",
        "assumptions",
    }
