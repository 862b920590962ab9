"""From a finished scan to a `DatasetReport`: token statistics, billing, quality and warnings.

Runs once per file, on the compact arrays the scan kept (`estimators.dataset.scan`); the
warnings are the sentences the CLI and the dashboard show, most serious first.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from estimators.dataset.billing import (
    MIN_TARGET_EXAMPLES,
    TOKEN_LIMIT,
    default_epochs,
    token_cap,
    training_cost,
)
from estimators.dataset.diversity import diversity_signal
from estimators.dataset.models import (
    LINES_SHOWN,
    DatasetReport,
    HistogramBin,
    QualityChecks,
    TokenStats,
)
from estimators.dataset.quality import duplicates, length_outliers, repeated_replies

if TYPE_CHECKING:
    from estimators.catalog import ModelEntry
    from estimators.dataset.scan import Scan


def _token_stats(tokens: np.ndarray) -> TokenStats:
    if tokens.size == 0:
        return TokenStats(total=0, mean=0.0, p50=0.0, p90=0.0, max=0)
    p50, p90 = np.percentile(tokens, [50, 90])
    return TokenStats(
        total=int(tokens.sum()),
        mean=float(tokens.mean()),
        p50=float(p50),
        p90=float(p90),
        max=int(tokens.max()),
    )


def token_histogram(tokens: np.ndarray, max_bins: int = 30) -> list[HistogramBin]:
    """Equal-width integer bins from the shortest example to the 99th percentile, at most
    `max_bins`, and one last bin for the rest when a few examples are far longer (over twice
    the 99th percentile): one outlier must not squash every other example into one bar."""
    if tokens.size == 0:
        return []
    low, high = int(tokens.min()), int(tokens.max())
    top = int(np.percentile(tokens, 99))
    overflow = tokens.size >= 20 and high > 2 * max(top, 1)
    edge = top if overflow else high
    bins = max(1, min(max_bins, math.ceil(math.sqrt(tokens.size)), edge - low + 1))
    width = max(1, math.ceil((edge - low + 1) / bins))
    end = low + bins * width  # first token count past the equal-width bins
    counts = np.bincount((tokens[tokens < end] - low) // width, minlength=bins)
    out = [
        HistogramBin(lo_tokens=low + i * width, hi_tokens=low + (i + 1) * width, examples=int(c))
        for i, c in enumerate(counts)
    ]
    if overflow:
        rest = int(np.count_nonzero(tokens >= end))
        out.append(HistogramBin(lo_tokens=end, hi_tokens=high + 1, examples=rest))
    return out


def build_report(
    scan: Scan, source: str, bytes_read: int, model_id: str, encoding: str, entry: ModelEntry
) -> DatasetReport:
    tokens = np.frombuffer(scan.tokens, dtype=np.int64)
    lines = np.frombuffer(scan.lines, dtype=np.int64)
    examples = int(tokens.size)
    epochs = default_epochs(examples) if examples else None
    cap = token_cap(entry)
    billed = (epochs or 0) * int(np.minimum(tokens, cap).sum())
    cost_usd, price, cost_note = training_cost(entry, billed)
    exact, pairs = duplicates(np.frombuffer(scan.exact_keys, dtype=np.int64), lines)
    near, _ = duplicates(np.frombuffer(scan.near_keys, dtype=np.int64), lines)
    replies, repeated_total = repeated_replies(
        np.frombuffer(scan.reply_keys, dtype=np.int64), lines
    )
    quality = QualityChecks(
        exact_duplicates=exact,
        duplicate_pairs=pairs,
        near_duplicates=near - exact,
        missing_system=scan.missing_system,
        missing_user=scan.missing_user,
        empty_assistant_replies=scan.empty_replies,
        repeated_replies=replies,
        repeated_reply_examples=repeated_total,
        length_outliers=length_outliers(tokens, lines),
    )
    over = tokens > cap
    report = DatasetReport(
        examples=examples,
        format_errors=scan.format_errors,
        line_errors=scan.line_errors,
        line_errors_total=scan.line_errors_total,
        tokens=_token_stats(tokens),
        over_limit=int(over.sum()),
        default_epochs=epochs,
        billed_training_tokens=billed,
        training_cost_usd=cost_usd,
        source=source,
        model=model_id,
        encoding=encoding,
        encoding_exact=entry.encoding_exact and encoding == entry.encoding,
        bytes_read=bytes_read,
        lines=scan.nonblank_lines,
        blank_lines=scan.blank_lines,
        invalid_lines=scan.line_errors_total,
        token_limit=cap,
        over_limit_lines=lines[over][:LINES_SHOWN].tolist(),
        estimated_token_examples=scan.estimated_examples,
        token_histogram=token_histogram(tokens),
        training_usd_per_mtok=price,
        cost_note=cost_note,
        quality=quality,
        diversity=diversity_signal(scan.sample, scan.rng),
        warnings=[],
    )
    return report.model_copy(update={"warnings": _warnings(report)})


# The opening of the format-errors warning: the dashboard shows that finding in its own alert.
FORMAT_ERRORS_WARNING = "Lines with format errors:"


def _warnings(report: DatasetReport) -> list[str]:
    """One sentence per finding worth acting on, most serious first."""
    found: list[str] = []
    q = report.quality
    if report.invalid_lines:
        found.append(
            f"{FORMAT_ERRORS_WARNING} {report.invalid_lines:,} of {report.lines:,}; OpenAI "
            "rejects the whole file until they are fixed."
        )
    if report.examples == 0:
        found.append("No valid examples: there is nothing to train on.")
    elif report.examples < MIN_TARGET_EXAMPLES:
        found.append(
            f"Valid examples: only {report.examples}. Fine-tuning is unwise below about 100 good "
            "examples (50–100 is the floor for behaviour, 500+ for reliable results)."
        )
    if report.over_limit:
        found.append(
            f"Examples over {report.token_limit:,} tokens ({report.model}'s cap per example): "
            f"{report.over_limit:,}; the provider truncates them to that length for training and "
            "billing rather than rejecting them."
        )
    if report.estimated_token_examples:
        found.append(
            f"Token counts estimated past the limit: {report.estimated_token_examples:,} "
            f"example(s) on lines over 256 KiB were counted exactly up to {TOKEN_LIMIT:,} tokens "
            "and the rest of their text estimated at the same rate (exact for billing wherever "
            "the model's cap is that figure)."
        )
    if q.exact_duplicates:
        first = q.duplicate_pairs[0]
        found.append(
            f"Exact duplicates: {q.exact_duplicates:,} (e.g. line {first.line} repeats line "
            f"{first.duplicate_of_line})."
        )
    if q.near_duplicates:
        found.append(
            f"Near duplicates: {q.near_duplicates:,} (the same user and assistant text up to "
            "case, punctuation and spacing)."
        )
    if q.missing_user:
        found.append(f"Examples without a user message: {q.missing_user:,}.")
    if 0 < q.missing_system < report.examples:
        found.append(
            f"Examples without a system message: {q.missing_system:,}, while the others have "
            "one; the model will learn two behaviours."
        )
    if q.empty_assistant_replies:
        found.append(f"Empty or blank assistant replies: {q.empty_assistant_replies:,}.")
    if q.repeated_replies:
        top = q.repeated_replies[0]
        found.append(
            f"Examples sharing a repeated assistant reply: {q.repeated_reply_examples:,} (the "
            f"most common, first on line {top.first_line}, appears {top.examples:,} times); "
            "fine for labels, a canned answer otherwise."
        )
    outliers = q.length_outliers
    if outliers.long or outliers.short:
        found.append(
            f"Length outliers: {outliers.long + outliers.short:,} ({outliers.long} long, "
            f"{outliers.short} short; rule: {outliers.rule})."
        )
    if not report.encoding_exact:
        found.append(
            f"Token counts use {report.encoding} as a stand-in for {report.model}'s own "
            "tokenizer, so they are an approximation."
        )
    if report.training_cost_usd is None:
        found.append(report.cost_note)
    return found
