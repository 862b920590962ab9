"""The dataset check's report: the pydantic models `check_dataset` returns, and how much they list.

All frozen; `DatasetReport` puts the DESIGN §8 keys first.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

# A report names at most this many bad lines, and this many line numbers per finding, so that a
# file of a million broken lines still gives a report one can read.
LINE_ERRORS_SHOWN = 100
LINES_SHOWN = 20


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TokenStats(_Frozen):
    """Tokens per valid example by the cookbook's messages formula [tokens]."""

    total: int
    mean: float
    p50: float
    p90: float
    max: int


class HistogramBin(_Frozen):
    """Examples whose token count is in [lo_tokens, hi_tokens)."""

    lo_tokens: int
    hi_tokens: int
    examples: int


class DuplicatePair(_Frozen):
    line: int
    duplicate_of_line: int


class RepeatedReply(_Frozen):
    """One assistant reply (as first seen on `first_line`) repeated in `examples` examples."""

    first_line: int
    examples: int


class LengthOutliers(_Frozen):
    rule: str
    low_fence_tokens: float | None
    high_fence_tokens: float | None
    long: int
    short: int
    lines: list[int]


class Diversity(_Frozen):
    """How narrow the data is (feeds the forgetting risk); see `diversity_signal` for the rule."""

    domain_breadth: Literal["narrow", "mixed", "broad"]
    distinct_2: float | None
    vocabulary_overlap: float | None
    sample_examples: int
    confidence: Literal["low", "ok"]
    reason: str


class QualityChecks(_Frozen):
    """Beyond the cookbook: duplicates, missing turns, empty or repeated replies, outliers."""

    exact_duplicates: int
    duplicate_pairs: list[DuplicatePair]
    near_duplicates: int
    missing_system: int
    missing_user: int
    empty_assistant_replies: int
    repeated_replies: list[RepeatedReply]
    repeated_reply_examples: int
    length_outliers: LengthOutliers


class DatasetReport(_Frozen):
    """The result of one dataset check; the DESIGN §8 keys come first."""

    examples: int
    format_errors: dict[str, int]
    line_errors: dict[int, str]
    line_errors_total: int
    tokens: TokenStats
    over_limit: int
    default_epochs: int | None
    billed_training_tokens: int
    training_cost_usd: float | None
    source: str
    model: str
    encoding: str
    encoding_exact: bool
    bytes_read: int
    lines: int
    blank_lines: int
    invalid_lines: int
    token_limit: int
    over_limit_lines: list[int]
    # Examples on lines over 256 KiB whose count went past the limit: the rest of their text was
    # estimated, not encoded (bounded work per line); they are billed at exactly the limit.
    estimated_token_examples: int = 0
    token_histogram: list[HistogramBin]
    training_usd_per_mtok: float | None
    cost_note: str
    quality: QualityChecks
    diversity: Diversity
    warnings: list[str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def valid(self) -> bool:
        """True when OpenAI would accept the file: no format errors and at least one example."""
        return not self.format_errors and self.examples > 0
