"""The fine-tuning dataset check: is this chat JSONL valid, how many tokens, epochs and dollars?

Checks one `{"messages": [...]}` object per line the way OpenAI's data-preparation cookbook does
("Data preparation and analysis for chat model fine-tuning"), with its error names, so users
recognise them: `data_type`, `missing_messages_list`, `message_missing_key`,
`message_unrecognized_key`, `unrecognized_role`, `missing_content`,
`example_missing_assistant_message`. Our own names cover what the cookbook cannot see because it
loads the file with `json.loads` first: `invalid_json`, `invalid_utf8`, `line_too_long`,
`message_data_type` (a message that is not an object). Counts follow the cookbook: message-level
errors count once per message.

The file is streamed line by line (DESIGN §7): memory holds one line (at most `MAX_LINE_BYTES`) plus
five 8-byte numbers per valid example (tokens, line number, three hashes), a bounded
sample for the diversity signal and bounded caches of token counts; never a parsed copy of the
file.

This module is the entry point (`check_dataset`, `scenario_fields`) and the read loop; the parts
live beside it and their public names are re-exported here:
- `lines`: opening the source, binary files, the BOM, over-long lines;
- `scan`: the per-line hot path (decode, parse, count tokens, keep hashes);
- `format`: the cookbook's format checks;
- `billing`: default epochs, truncation, the training price;
- `quality`, `diversity`: duplicates, repeats, outliers, domain breadth;
- `models`, `report`: the report and how it is assembled.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import BinaryIO

from estimators.catalog import get_model
from estimators.dataset.billing import (
    MAX_DEFAULT_EPOCHS,
    MAX_TARGET_EXAMPLES,
    MIN_TARGET_EXAMPLES,
    TARGET_EPOCHS,
    TOKEN_LIMIT,
    billed_training_tokens,
    default_epochs,
)
from estimators.dataset.diversity import (
    BROAD_OVERLAP,
    DISTINCT_WINDOW_BIGRAMS,
    MIN_CONFIDENT_SAMPLE,
    MIN_JUDGED_SAMPLE,
    NARROW_OVERLAP,
    OVERLAP_PAIRS,
    TEMPLATED_DISTINCT_2,
    distinct_2,
    diversity_signal,
    vocabulary_overlap,
)
from estimators.dataset.format import MESSAGE_KEYS, ROLES
from estimators.dataset.lines import (
    BINARY_SNIFF_BYTES,
    MAX_LINE_BYTES,
    MAX_STREAM_BYTES,
    READ_CHUNK_BYTES,
    Source,
    check_stream_size,
    first_line,
    open_source,
    reject_binary,
    skip_rest_of_line,
)
from estimators.dataset.models import (
    LINE_ERRORS_SHOWN,
    LINES_SHOWN,
    DatasetReport,
    Diversity,
    DuplicatePair,
    HistogramBin,
    LengthOutliers,
    QualityChecks,
    RepeatedReply,
    TokenStats,
)
from estimators.dataset.quality import length_outliers
from estimators.dataset.report import build_report, token_histogram
from estimators.dataset.scan import REPLY_PRIMER_TOKENS, TOKENS_PER_MESSAGE, TOKENS_PER_NAME, Scan
from estimators.errors import EstimatorError
from estimators.scenario import Scenario

__all__ = [
    "BINARY_SNIFF_BYTES",
    "BROAD_OVERLAP",
    "DISTINCT_WINDOW_BIGRAMS",
    "LINES_SHOWN",
    "LINE_ERRORS_SHOWN",
    "MAX_DEFAULT_EPOCHS",
    "MAX_LINE_BYTES",
    "MAX_STREAM_BYTES",
    "MAX_TARGET_EXAMPLES",
    "MESSAGE_KEYS",
    "MIN_CONFIDENT_SAMPLE",
    "MIN_JUDGED_SAMPLE",
    "MIN_TARGET_EXAMPLES",
    "NARROW_OVERLAP",
    "OVERLAP_PAIRS",
    "PROGRESS_EVERY_BYTES",
    "REPLY_PRIMER_TOKENS",
    "ROLES",
    "TARGET_EPOCHS",
    "TEMPLATED_DISTINCT_2",
    "TOKENS_PER_MESSAGE",
    "TOKENS_PER_NAME",
    "TOKEN_LIMIT",
    "DatasetReport",
    "Diversity",
    "DuplicatePair",
    "HistogramBin",
    "LengthOutliers",
    "ProgressCallback",
    "QualityChecks",
    "RepeatedReply",
    "Source",
    "TokenStats",
    "billed_training_tokens",
    "check_dataset",
    "default_epochs",
    "distinct_2",
    "diversity_signal",
    "length_outliers",
    "scenario_fields",
    "token_histogram",
    "vocabulary_overlap",
]

# Progress is reported once per chunk read; a module global here so that tests can shrink it.
PROGRESS_EVERY_BYTES = READ_CHUNK_BYTES

ProgressCallback = Callable[[int, int | None], None]


def _scan(
    stream: BinaryIO, total_bytes: int | None, name: str, scan: Scan, on_progress: ProgressCallback
) -> int:
    """Feed every line of `stream` to `scan`; return the bytes read."""
    reject_binary(stream, name)
    readline = stream.readline
    limit = MAX_LINE_BYTES + 1
    bytes_read = 0
    next_progress = PROGRESS_EVERY_BYTES
    line_no = 0
    while True:
        raw = readline(limit)
        if not raw:
            break
        line_no += 1
        bytes_read += len(raw)
        if line_no == 1:
            raw = first_line(raw, name)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size_bytes = len(raw) + skip_rest_of_line(readline, bounded=total_bytes is None)
            bytes_read += size_bytes - len(raw)
            scan.nonblank_lines += 1
            scan.line_error(
                line_no,
                ["line_too_long"],
                f"line_too_long: the line is {size_bytes / 1e6:.1f} MB; lines over "
                f"{MAX_LINE_BYTES // (1024 * 1024)} MB are not read (an example is at most "
                f"{TOKEN_LIMIT:,} tokens, about 64 KB of text)",
            )
        else:
            scan.line(line_no, raw)
        if bytes_read >= next_progress:
            check_stream_size(bytes_read, total_bytes, name)
            on_progress(bytes_read, total_bytes)
            next_progress = bytes_read + PROGRESS_EVERY_BYTES
    on_progress(bytes_read, total_bytes)
    return bytes_read


def _no_progress(bytes_read: int, total_bytes: int | None) -> None:
    """The default progress callback: report nothing."""


def check_dataset(
    source: Source,
    *,
    model: str | None = None,
    encoding: str | None = None,
    on_progress: ProgressCallback | None = None,
    name: str | None = None,
) -> DatasetReport:
    """Check a chat fine-tuning JSONL file (a path, bytes or a binary stream) and count its tokens.

    `model` prices the training (default: the scenario's small model); `encoding` overrides the
    model's tokenizer. `on_progress(bytes_read, total_bytes)` is called about every MiB.
    Raises EstimatorError when nothing could be read (missing path, empty, binary, not UTF-8) or
    for an unknown model or encoding; otherwise returns a report that names the bad lines.
    """
    model_id = model or Scenario().models.small
    entry = get_model(model_id, field="model")
    encoding_name = encoding or entry.encoding
    scan = Scan(encoding_name)
    with ExitStack() as stack:
        stream, total_bytes, shown = open_source(source, stack)
        shown = name or shown
        bytes_read = _scan(stream, total_bytes, shown, scan, on_progress or _no_progress)
    if scan.nonblank_lines == 0:
        kind = "is empty" if scan.blank_lines == 0 else "has only blank lines"
        raise EstimatorError(
            f'{shown} {kind}: expected JSONL, one {{"messages": [...]}} object per line.'
        )
    if scan.decoded_lines == 0 and scan.first_utf8_error:
        raise EstimatorError(
            f"{shown} is not UTF-8 text ({scan.first_utf8_error}); save it as UTF-8."
        )
    return build_report(scan, shown, bytes_read, model_id, encoding_name, entry)


def scenario_fields(report: DatasetReport) -> dict[str, int | str]:
    """The scenario's `data` fields this dataset implies (the dashboard's "use this dataset").

    `tokens_per_example` is the mean billed length (examples truncated at the model's cap), so that
    examples × tokens_per_example × epochs reproduces the billed training tokens.
    """
    if report.examples == 0 or not report.default_epochs:
        raise EstimatorError("The dataset has no valid examples to use in a scenario.")
    billed_per_epoch = report.billed_training_tokens / report.default_epochs
    return {
        "labelled_examples": report.examples,
        "tokens_per_example": max(1, round(billed_per_epoch / report.examples)),
        "domain_breadth": report.diversity.domain_breadth,
    }
