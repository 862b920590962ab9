"""`python -m estimators dataset TRAIN.jsonl`: the dataset check for terminals and scripts (§8).

Exit codes: 0 the file is valid; 1 a report was printed but the file has format errors (or no
valid example), so CI can fail on it; 2 nothing could be checked (missing, empty, binary or
non-UTF-8 file, unknown model or encoding), with one message on stderr and no traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from estimators.dataset.check import DatasetReport, Source, check_dataset
from estimators.errors import EstimatorError

FORMATS = ("table", "json")
STDIN_NAME = "standard input"
_LABEL_WIDTH = 26


def dataset_command(path: str, model: str | None, encoding: str | None, fmt: str) -> int:
    """Check `path` (`-`: standard input), print the report as a table or JSON, return the exit
    code."""
    if fmt not in FORMATS:
        print(f"error: unknown format '{fmt}'; use one of: {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    source: Source = sys.stdin.buffer if path == "-" else path
    name = STDIN_NAME if path == "-" else None
    try:
        report = check_dataset(
            source, model=model, encoding=encoding, on_progress=_progress(), name=name
        )
    except EstimatorError as error:
        _clear_progress()
        print(f"error: {error}", file=sys.stderr)
        return 2
    _clear_progress()
    print(report.model_dump_json(indent=2) if fmt == "json" else format_table(report))
    return 0 if report.valid else 1


def _progress() -> Callable[[int, int | None], None] | None:
    """A progress callback that redraws one stderr line, only when stderr is a terminal."""
    stream = sys.stderr
    if not stream.isatty():
        return None

    def show(bytes_read: int, total_bytes: int | None) -> None:
        total = f" of {total_bytes / 1e6:.1f}" if total_bytes else ""
        stream.write(f"\rchecking: {bytes_read / 1e6:.1f}{total} MB")
        stream.flush()

    return show


def _clear_progress() -> None:
    stream = sys.stderr
    if stream.isatty():
        stream.write("\r\033[K")
        stream.flush()


def _row(label: str, value: str) -> str:
    return f"  {label:<{_LABEL_WIDTH}}{value}"


def _money(usd: float) -> str:
    return f"${usd:,.2f}" if usd >= 0.01 or usd == 0 else f"${usd:.4f}"


def format_table(report: DatasetReport) -> str:
    """The report as aligned text for a terminal: summary, quality checks, line errors, warnings."""
    t = report.tokens
    exactness = "" if report.encoding_exact else ", approximate"
    lines = [
        f"Dataset check: {report.source}",
        _row("model / encoding", f"{report.model} / {report.encoding}{exactness}"),
        _row("valid", "yes" if report.valid else "no"),
        _row(
            "examples",
            f"{report.examples:,} valid of {report.lines:,} lines"
            + (f" ({report.blank_lines:,} blank skipped)" if report.blank_lines else ""),
        ),
        _row("format errors", _counts(report.format_errors) or "none"),
        _row(
            "tokens per example",
            f"mean {t.mean:,.1f} · p50 {t.p50:,.0f} · p90 {t.p90:,.0f} · max {t.max:,}",
        ),
        _row("tokens in all examples", f"{t.total:,}"),
        _row(f"over {report.token_limit:,} tokens", f"{report.over_limit:,} (truncated)"),
        _row("default epochs", str(report.default_epochs or "-")),
        _row("billed training tokens", f"{report.billed_training_tokens:,}"),
        _row("training cost", _cost(report)),
        "Quality",
        *_quality_rows(report),
    ]
    if report.line_errors:
        shown = len(report.line_errors)
        lines.append(f"Line errors (showing {shown:,} of {report.line_errors_total:,})")
        lines += [f"  line {line:<8,}{message}" for line, message in report.line_errors.items()]
    if report.warnings:
        lines.append("Warnings")
        lines += [f"  - {warning}" for warning in report.warnings]
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


def _cost(report: DatasetReport) -> str:
    if report.training_cost_usd is None:
        return "not available (see warnings)"
    price = report.training_usd_per_mtok or 0.0
    return f"{_money(report.training_cost_usd)} at ${price:.2f} per 1M training tokens"


def _quality_rows(report: DatasetReport) -> list[str]:
    q, d = report.quality, report.diversity
    pairs = ", ".join(f"{p.line}={p.duplicate_of_line}" for p in q.duplicate_pairs[:3])
    outliers = q.length_outliers
    replies = ", ".join(f"line {r.first_line} ×{r.examples:,}" for r in q.repeated_replies[:3])
    overlap = "-" if d.vocabulary_overlap is None else f"{d.vocabulary_overlap:.3f}"
    distinct = "-" if d.distinct_2 is None else f"{d.distinct_2:.2f}"
    repeated = f"{q.repeated_reply_examples:,}" + (f" ({replies})" if replies else "")
    return [
        _row("exact duplicates", f"{q.exact_duplicates:,}" + (f" ({pairs})" if pairs else "")),
        _row("near duplicates", f"{q.near_duplicates:,}"),
        _row("no system / no user", f"{q.missing_system:,} / {q.missing_user:,}"),
        _row("empty assistant replies", f"{q.empty_assistant_replies:,}"),
        _row("repeated replies", repeated),
        _row("length outliers", f"{outliers.long:,} long, {outliers.short:,} short"),
        _row(
            "domain breadth",
            f"{d.domain_breadth} (overlap {overlap}, distinct-2 {distinct}, "
            f"{d.confidence} confidence): {d.reason}",
        ),
    ]
