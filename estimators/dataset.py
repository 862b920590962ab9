"""The fine-tuning dataset check: is this chat JSONL valid, how many tokens, epochs and dollars?

Checks one `{"messages": [...]}` object per line the way OpenAI's data-preparation cookbook does
("Data preparation and analysis for chat model fine-tuning"), with its error names, so users
recognise them: `data_type`, `missing_messages_list`, `message_missing_key`,
`message_unrecognized_key`, `unrecognized_role`, `missing_content`,
`example_missing_assistant_message`. Our own names cover what the cookbook cannot see because it
loads the file with `json.loads` first: `invalid_json`, `invalid_utf8`, `line_too_long`,
`message_data_type` (a message that is not an object). Counts follow the cookbook: message-level
errors count once per message.

Recognised beyond the cookbook (current OpenAI chat format): role `tool`, keys `tool_calls` and
`tool_call_id`; an assistant message carrying `tool_calls` or `function_call` may have null content.

The file is streamed line by line (DESIGN §7): memory holds one line (at most `MAX_LINE_BYTES`) plus
five 8-byte numbers per valid example (tokens, line number, three hashes) and a bounded
sample for the diversity signal; never a parsed copy of the file.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import random
import re
import string
from array import array
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, computed_field

from estimators.errors import EstimatorError
from estimators.tokens import get_encoding

if TYPE_CHECKING:
    from estimators.catalog import ModelEntry

# OpenAI truncates a training example at this many tokens, and bills the truncated length.
TOKEN_LIMIT = 16_385
# The cookbook's num_tokens_from_messages (gpt-3.5/4 chat format).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMER_TOKENS = 3
# The cookbook's default-epochs rule (OpenAI's default when n_epochs is "auto").
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25
# A valid example is ≤ 16,385 tokens ≈ 64 KB of text; 4 MB leaves room for escapes and tool
# payloads while a 50 MB line is rejected without ever being held in memory.
MAX_LINE_BYTES = 4 * 1024 * 1024
LINE_ERRORS_SHOWN = 100
LINES_SHOWN = 20
PROGRESS_EVERY_BYTES = 1024 * 1024
BINARY_SNIFF_BYTES = 8192

ROLES = frozenset({"system", "user", "assistant", "function", "tool"})
MESSAGE_KEYS = frozenset(
    {"role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"}
)
# Bytes deleted before the near-duplicate hash: ASCII punctuation and whitespace.
_IGNORED_FOR_NEAR_BYTES = (string.punctuation + string.whitespace).encode()

ProgressCallback = Callable[[int, int | None], None]
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


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


def default_epochs(examples: int) -> int:
    """The cookbook's default epochs for `examples` training examples [epochs].

    3, raised so that epochs × examples reaches 100 (at most 25), lowered so that it stays within
    25,000 (at least 1).
    """
    if examples < 1:
        raise ValueError("default epochs need at least one example")
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


def billed_training_tokens(tokens_per_example: list[int] | array, epochs: int) -> int:
    """epochs × Σ min(16,385, tokens of example) [tokens]: longer examples are truncated."""
    return epochs * sum(min(TOKEN_LIMIT, tokens) for tokens in tokens_per_example)


class _Problems:
    """Format errors of one line: cookbook names counted, a readable message per line."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.details: list[str] = []

    def add(self, name: str, detail: str) -> None:
        self.names.append(name)
        self.details.append(f"{name}: {detail}")

    def message(self) -> str:
        return "; ".join(self.details)


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _example_problems(example: object) -> _Problems | None:
    """The cookbook's format checks for one parsed line; None when the example is valid."""
    problems = _Problems()
    if type(example) is not dict:
        problems.add("data_type", f"the line is a JSON {_json_type(example)}, expected an object")
        return problems
    messages = example.get("messages")
    if type(messages) is not list or not messages:
        found = "missing" if messages is None else f"a JSON {_json_type(messages)}"
        if type(messages) is list:
            found = "an empty list"
        problems.add("missing_messages_list", f"'messages' is {found}, expected a non-empty list")
        return problems
    has_assistant = False
    for position, message in enumerate(messages, start=1):
        if type(message) is not dict:
            kind = _json_type(message)
            problems.add("message_data_type", f"message {position} is a JSON {kind}")
            continue
        role = message.get("role")
        content = message.get("content")
        content_ok = type(content) is str and content != ""
        calls = not content_ok and _has_calls(message)
        if "role" not in message or ("content" not in message and not calls):
            missing = "role" if "role" not in message else "content"
            problems.add("message_missing_key", f"message {position} has no '{missing}'")
        if not message.keys() <= MESSAGE_KEYS:
            unknown = sorted(str(key) for key in message if key not in MESSAGE_KEYS)
            allowed = ", ".join(sorted(MESSAGE_KEYS))
            problems.add(
                "message_unrecognized_key",
                f"message {position} has key '{unknown[0]}' (allowed: {allowed})",
            )
        if type(role) is not str or role not in ROLES:
            shown = json.dumps(role, ensure_ascii=False)[:40]
            allowed = ", ".join(sorted(ROLES))
            problems.add(
                "unrecognized_role", f"message {position} has role {shown} (expected {allowed})"
            )
        if not content_ok and not (content is None and calls):
            problems.add("missing_content", f"message {position} has empty or non-text content")
        has_assistant = has_assistant or role == "assistant"
    if not has_assistant:
        problems.add("example_missing_assistant_message", "no message has role 'assistant'")
    return problems if problems.names else None


def _text_of(value: object) -> str:
    """A message value as the text that is tokenised: strings as they are, tool calls as JSON."""
    if type(value) is str:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _has_calls(message: dict[str, object]) -> bool:
    return bool(message.get("tool_calls") or message.get("function_call"))


def _near_key(text: str) -> int:
    """Hash of the text without ASCII case, punctuation or whitespace.

    Byte-level on purpose: `str.casefold` on text with any non-ASCII character is ~5× slower than
    these C byte operations, and this runs once per example.
    """
    return hash(text.encode().lower().translate(None, _IGNORED_FOR_NEAR_BYTES))


class _Scan:
    """Running state of one pass over the file; kept small (see the module docstring)."""

    SAMPLE_SIZE = 500
    SAMPLE_CHARS = 1_000
    SYSTEM_CACHE_SIZE = 64
    SYSTEM_CACHE_MAX_CHARS = 20_000

    def __init__(self, encoding_name: str) -> None:
        self.encode = get_encoding(encoding_name).encode_ordinary
        self.role_tokens = {role: len(self.encode(role)) for role in ROLES}
        # System prompts repeat across examples: their counts are looked up, not re-encoded.
        self.system_tokens: dict[str, int] = {}
        self.tokens = array("q")
        self.lines = array("q")
        self.exact_keys = array("q")
        self.near_keys = array("q")
        self.reply_keys = array("q")
        self.format_errors: dict[str, int] = {}
        self.line_errors: dict[int, str] = {}
        self.line_errors_total = 0
        self.nonblank_lines = 0
        self.blank_lines = 0
        self.decoded_lines = 0
        self.first_utf8_error = ""
        self.missing_system = 0
        self.missing_user = 0
        self.empty_replies = 0
        self.sample: list[tuple[str, str]] = []
        self.seen_for_sample = 0
        self.rng = random.Random(0)  # a fixed seed: the same file gives the same report

    def line_error(self, line_no: int, names: list[str], message: str) -> None:
        for name in names:
            self.format_errors[name] = self.format_errors.get(name, 0) + 1
        self.line_errors_total += 1
        if len(self.line_errors) < LINE_ERRORS_SHOWN:
            self.line_errors[line_no] = message

    def line(self, line_no: int, raw: bytes) -> None:
        """Decode, parse, check and count one line that is not too long."""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            detail = f"byte 0x{raw[error.start]:02x} at position {error.start + 1} is not UTF-8"
            if not self.first_utf8_error:
                self.first_utf8_error = f"line {line_no}: {detail}"
            self.nonblank_lines += 1
            self.line_error(line_no, ["invalid_utf8"], f"invalid_utf8: {detail}")
            return
        if not text or text.isspace():
            self.blank_lines += 1
            return
        self.nonblank_lines += 1
        self.decoded_lines += 1
        try:
            example = json.loads(text)
        except json.JSONDecodeError as error:
            message = f"invalid_json: {error.msg} at column {error.colno}"
            self.line_error(line_no, ["invalid_json"], message)
            return
        except (ValueError, RecursionError) as error:  # huge integers, absurd nesting
            self.line_error(line_no, ["invalid_json"], f"invalid_json: {error}")
            return
        if type(example) is dict:
            messages = example.get("messages")
            if type(messages) is list and self.plain_example(line_no, messages):
                return
        problems = _example_problems(example)
        if problems is not None:
            self.line_error(line_no, problems.names, problems.message())
            return
        self.example(line_no, example["messages"])

    def plain_example(self, line_no: int, messages: list[object]) -> bool:
        """The fast path for the usual case, messages of exactly `role` and non-empty `content`.

        Returns False, having recorded nothing, as soon as a message is anything else; the line
        then goes through the full checks and `example`. Same counts, less Python per line.
        """
        encode, role_tokens = self.encode, self.role_tokens
        tokens = REPLY_PRIMER_TOKENS + TOKENS_PER_MESSAGE * len(messages)
        exact_parts: list[str] = []
        user_texts: list[str] = []
        reply: str | None = None
        has_system = False
        blank_replies = 0
        for message in messages:
            if type(message) is not dict or len(message) != 2:
                return False
            role, content = message.get("role"), message.get("content")
            if type(role) is not str or type(content) is not str or not content:
                return False
            if role == "user":
                user_texts.append(content)
                tokens += len(encode(content))
            elif role == "assistant":
                reply = content
                blank_replies += content.isspace()
                tokens += len(encode(content))
            elif role == "system":
                has_system = True
                tokens += self._system_tokens(content)
            elif role in role_tokens:
                tokens += len(encode(content))
            else:
                return False
            tokens += role_tokens[role]
            exact_parts.append(role)
            exact_parts.append(content)
        if reply is None:
            return False
        self.empty_replies += blank_replies
        self._record(line_no, tokens, hash(tuple(exact_parts)), user_texts, reply, has_system)
        return True

    def example(self, line_no: int, messages: list[dict[str, object]]) -> None:
        """Any valid example (names, weights, tool calls): tokens by the cookbook formula."""
        encode = self.encode
        tokens = REPLY_PRIMER_TOKENS
        exact_parts: list[object] = []
        user_texts: list[str] = []
        reply = ""
        has_system = False
        for message in messages:
            tokens += TOKENS_PER_MESSAGE
            role = message["role"]
            for key, value in message.items():
                if key == "role":
                    tokens += self.role_tokens[value]  # type: ignore[index]
                elif key == "content":
                    if not value:
                        continue
                    if role == "system":
                        tokens += self._system_tokens(value)  # type: ignore[arg-type]
                    else:
                        tokens += len(encode(value))  # type: ignore[arg-type]
                elif key != "weight":
                    if key == "name":
                        tokens += TOKENS_PER_NAME
                    tokens += len(encode(_text_of(value)))
            content = message.get("content") or ""
            exact_parts.append(tuple(sorted((k, _text_of(v)) for k, v in message.items())))
            if role == "assistant":
                reply = content if type(content) is str else ""
                if not reply.strip() and not _has_calls(message):
                    self.empty_replies += 1
            elif role == "user":
                user_texts.append(content)  # type: ignore[arg-type]
            elif role == "system":
                has_system = True
        self._record(line_no, tokens, hash(tuple(exact_parts)), user_texts, reply, has_system)

    def _record(
        self,
        line_no: int,
        tokens: int,
        exact_key: int,
        user_texts: list[str],
        reply: str,
        has_system: bool,
    ) -> None:
        """Keep the compact per-example numbers and the sample; never the example itself."""
        self.missing_system += not has_system
        self.missing_user += not user_texts
        user_text = "\n".join(user_texts)
        self.tokens.append(tokens)
        self.lines.append(line_no)
        self.exact_keys.append(exact_key)
        self.near_keys.append(_near_key(user_text + "\n" + reply))
        self.reply_keys.append(hash(reply.strip()))
        self._sample(user_text, reply)

    def _system_tokens(self, text: str) -> int:
        cached = self.system_tokens.get(text)
        if cached is None:
            cached = len(self.encode(text))
            if (
                len(self.system_tokens) < self.SYSTEM_CACHE_SIZE
                and len(text) <= self.SYSTEM_CACHE_MAX_CHARS
            ):
                self.system_tokens[text] = cached
        return cached

    def _sample(self, user_text: str, reply: str) -> None:
        """Reservoir sampling (Algorithm R): a uniform sample of examples in bounded memory."""
        self.seen_for_sample += 1
        if len(self.sample) < self.SAMPLE_SIZE:
            self.sample.append((user_text[: self.SAMPLE_CHARS], reply[: self.SAMPLE_CHARS]))
            return
        slot = int(self.rng.random() * self.seen_for_sample)
        if slot < self.SAMPLE_SIZE:
            self.sample[slot] = (user_text[: self.SAMPLE_CHARS], reply[: self.SAMPLE_CHARS])


def _open(source: Source, stack: ExitStack) -> tuple[BinaryIO, int | None, str]:
    """A binary stream, its size if known [bytes] and a name for messages."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        shown = str(path)[:200]
        if not path.exists():
            raise EstimatorError(f"{shown}: no such file")
        if path.is_dir():
            raise EstimatorError(f"{shown} is a directory, not a JSONL file")
        try:
            stream = stack.enter_context(path.open("rb", buffering=PROGRESS_EVERY_BYTES))
        except OSError as error:
            raise EstimatorError(f"{shown}: cannot read it ({error.strerror})") from None
        return stream, os.fstat(stream.fileno()).st_size, shown
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source), len(source), "uploaded data"
    if isinstance(source, io.TextIOBase):
        raise TypeError("check_dataset needs bytes or a binary stream, not a text stream")
    return source, _stream_size(source), str(getattr(source, "name", "uploaded data"))[:200]


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        position = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(position)
    except (OSError, AttributeError, ValueError):
        return None
    return end - position


def _reject_binary(head: bytes, name: str) -> None:
    """Raise for files that are not text at all, naming what they look like where we can tell."""
    kinds = {
        b"\xff\xfe": "UTF-16 text; save it as UTF-8",
        b"\xfe\xff": "UTF-16 text; save it as UTF-8",
        b"\x1f\x8b": "gzip-compressed; decompress it first",
        b"PK\x03\x04": "a ZIP archive (a .zip, .xlsx or .docx?); export the data as JSONL",
    }
    for magic, what in kinds.items():
        if head.startswith(magic):
            raise EstimatorError(f"{name} is {what}.")
    if b"\x00" in head[:BINARY_SNIFF_BYTES]:
        raise EstimatorError(
            f"{name} looks like a binary file (NUL bytes in its first {BINARY_SNIFF_BYTES} "
            'bytes), not JSONL text with one {"messages": [...]} object per line.'
        )


def _skip_rest_of_line(readline: Callable[[int], bytes]) -> int:
    """Read past the end of an over-long line in bounded chunks; return the bytes skipped."""
    skipped = 0
    while True:
        chunk = readline(PROGRESS_EVERY_BYTES)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _scan(
    stream: BinaryIO, total_bytes: int | None, name: str, scan: _Scan, on_progress: ProgressCallback
) -> int:
    """Feed every line of `stream` to `scan`; return the bytes read."""
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
            _reject_binary(raw, name)
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            size_bytes = len(raw) + _skip_rest_of_line(readline)
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
    from estimators.catalog import get_model
    from estimators.scenario import Scenario

    model_id = model or Scenario().models.small
    entry = get_model(model_id, field="model")
    encoding_name = encoding or entry.encoding
    scan = _Scan(encoding_name)
    with ExitStack() as stack:
        stream, total_bytes, shown = _open(source, stack)
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
    return _report(scan, shown, bytes_read, model_id, encoding_name, entry)


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
    """Equal-width integer bins from the shortest to the longest example, at most `max_bins`."""
    if tokens.size == 0:
        return []
    low, high = int(tokens.min()), int(tokens.max())
    bins = max(1, min(max_bins, math.ceil(math.sqrt(tokens.size)), high - low + 1))
    width = max(1, math.ceil((high - low + 1) / bins))
    counts = np.bincount((tokens - low) // width, minlength=bins)
    return [
        HistogramBin(lo_tokens=low + i * width, hi_tokens=low + (i + 1) * width, examples=int(c))
        for i, c in enumerate(counts)
    ]


def _duplicates(keys: np.ndarray, lines: np.ndarray) -> tuple[int, list[DuplicatePair]]:
    """Examples whose key equals an earlier example's, and the first few (line, earlier line)."""
    if keys.size < 2:
        return 0, []
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.empty(keys.size, dtype=bool)
    starts[0] = True
    starts[1:] = ordered[1:] != ordered[:-1]
    first_of_group = order[np.maximum.accumulate(np.where(starts, np.arange(keys.size), 0))]
    repeated = ~starts
    later = lines[order[repeated]].tolist()
    earlier = lines[first_of_group[repeated]].tolist()
    pairs = sorted(zip(later, earlier, strict=True))
    shown = [DuplicatePair(line=a, duplicate_of_line=b) for a, b in pairs[:LINES_SHOWN]]
    return int(repeated.sum()), shown


def _repeated_replies(keys: np.ndarray, lines: np.ndarray) -> tuple[list[RepeatedReply], int]:
    """Replies shared by at least max(3, 1% of examples) examples: the top 10 and their total.

    A classifier's labels repeat by design; for generative tasks a repeated reply teaches the
    model one canned answer.
    """
    if keys.size == 0:
        return [], 0
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    threshold = max(3, math.ceil(0.01 * keys.size))
    frequent = np.flatnonzero(counts >= threshold)
    ranked = sorted(frequent.tolist(), key=lambda i: (-int(counts[i]), int(first[i])))
    replies = [
        RepeatedReply(first_line=int(lines[first[i]]), examples=int(counts[i])) for i in ranked[:10]
    ]
    return replies, int(counts[frequent].sum())


def length_outliers(tokens: np.ndarray, lines: np.ndarray) -> LengthOutliers:
    """Tukey's far-out fences: below Q1 − 3·IQR or above Q3 + 3·IQR tokens.

    Far-out (3·IQR, not 1.5·IQR) because token lengths are right-skewed and only extreme examples
    deserve a look. The IQR is floored at 10% of the median so that data of near-constant length
    does not flag every small difference; with fewer than 20 examples quartiles mean little and
    nothing is flagged.
    """
    rule = "below Q1 − 3·IQR or above Q3 + 3·IQR (IQR at least 10% of the median); n ≥ 20"
    if tokens.size < 20:
        return LengthOutliers(
            rule=rule, low_fence_tokens=None, high_fence_tokens=None, long=0, short=0, lines=[]
        )
    q1, median, q3 = np.percentile(tokens, [25, 50, 75])
    spread = max(q3 - q1, 0.1 * median)
    low, high = q1 - 3 * spread, q3 + 3 * spread
    is_long, is_short = tokens > high, tokens < low
    flagged = lines[is_long | is_short][:LINES_SHOWN].tolist()
    return LengthOutliers(
        rule=rule,
        low_fence_tokens=float(low),
        high_fence_tokens=float(high),
        long=int(is_long.sum()),
        short=int(is_short.sum()),
        lines=flagged,
    )


_WORDS = re.compile(r"\w+")
_CONTENT_WORDS = re.compile(r"[^\W\d_]{4,}")
# Frequent English words of 4+ letters that say nothing about the topic.
_STOPWORD_TEXT = (
    "that this with from have will your they them their there which would about into when "
    "what been were also than then only some such more most other these those each must "
    "should could does done here just like make made many much over same very well where "
    "while whom whose upon shall being after before because please thank thanks sure help"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
NARROW_OVERLAP = 0.06
BROAD_OVERLAP = 0.035
TEMPLATED_DISTINCT_2 = 0.5
DISTINCT_WINDOW_BIGRAMS = 2_000
OVERLAP_PAIRS = 2_000
MIN_CONFIDENT_SAMPLE = 30
MIN_JUDGED_SAMPLE = 10


def distinct_2(replies: list[str]) -> tuple[float | None, int]:
    """Distinct-2 (Li et al. 2016): distinct word bigrams / all bigrams, over the replies.

    Averaged over windows of 2,000 bigrams, because the raw ratio falls as text grows; returns the
    ratio (None without any bigram) and the number of bigrams seen.
    """
    bigrams: list[tuple[str, str]] = []
    for reply in replies:
        words = _WORDS.findall(reply.casefold())
        bigrams.extend(itertools.pairwise(words))
    if not bigrams:
        return None, 0
    windows = [
        bigrams[i : i + DISTINCT_WINDOW_BIGRAMS]
        for i in range(0, len(bigrams), DISTINCT_WINDOW_BIGRAMS)
    ]
    if len(windows) > 1 and len(windows[-1]) < DISTINCT_WINDOW_BIGRAMS:
        windows.pop()  # a short last window would inflate the mean
    ratios = [len(set(window)) / len(window) for window in windows]
    return sum(ratios) / len(ratios), len(bigrams)


def vocabulary_overlap(texts: list[str], rng: random.Random) -> float | None:
    """Mean Jaccard similarity of the content-word sets of random pairs of examples.

    Size-independent (an expected value per pair, not a ratio over the whole corpus); content
    words are 4+ letters, case-folded, without a short stopword list.
    """
    sets = [
        frozenset(w for w in _CONTENT_WORDS.findall(t.casefold()) if w not in _STOPWORDS)
        for t in texts
    ]
    sets = [s for s in sets if s]
    if len(sets) < 2:
        return None
    if len(sets) * (len(sets) - 1) // 2 <= OVERLAP_PAIRS:
        pairs = [(a, b) for a in range(len(sets)) for b in range(a + 1, len(sets))]
    else:
        pairs = [tuple(rng.sample(range(len(sets)), 2)) for _ in range(OVERLAP_PAIRS)]
    similarity = [len(sets[a] & sets[b]) / len(sets[a] | sets[b]) for a, b in pairs]
    return sum(similarity) / len(similarity)


def diversity_signal(sample: list[tuple[str, str]], rng: random.Random) -> Diversity:
    """Map a sample of (user text, assistant reply) pairs to narrow / mixed / broad.

    Two signals: vocabulary overlap between examples (topic spread) and distinct-2 of the replies
    (templating). The rule:
    - narrow: replies are templated (distinct-2 < 0.5: half of all word pairs repeat within 2,000
      bigrams) or examples share much vocabulary (overlap ≥ 0.06);
    - broad: overlap < 0.035 and replies not templated;
    - mixed: otherwise, and always with fewer than 10 examples (too few to judge).

    Calibration on real text of known spread, measured with these functions (reply = the first
    1,000 characters of a docstring): docstrings from 200 Python standard-library modules (many
    unrelated topics): overlap 0.024, distinct-2 0.81. One focused module (argparse 0.133,
    pathlib 0.084, email.message 0.077, unittest.case 0.065; distinct-2 0.67–0.71). Broader
    modules or a mix of three (tkinter 0.042, typing 0.050, asyncio.base_events 0.054, argparse +
    pathlib + decimal 0.054). Templated replies ("Your order N has shipped ..."): overlap 0.87,
    distinct-2 0.10. So 0.06 separates one focused domain from broader material, and 0.035 lies
    midway between many-topic text (0.024) and the broadest single library (0.042). Natural prose
    measured 0.67–0.81 distinct-2; only stock phrases fall below 0.5. Narrow data raises the
    forgetting risk (DESIGN §6); the signal is a heuristic, shown with its numbers so the user
    can overrule it.
    """
    replies = [reply for _, reply in sample]
    ratio, bigram_count = distinct_2(replies)
    overlap = vocabulary_overlap([user + "\n" + reply for user, reply in sample], rng)
    small = len(sample) < MIN_CONFIDENT_SAMPLE or bigram_count < DISTINCT_WINDOW_BIGRAMS
    confidence: Literal["low", "ok"] = "low" if small else "ok"
    breadth: Literal["narrow", "mixed", "broad"] = "mixed"
    if len(sample) < MIN_JUDGED_SAMPLE:
        reason = f"too few examples to judge ({len(sample)} < {MIN_JUDGED_SAMPLE}); assuming mixed"
        confidence = "low"
    elif ratio is not None and ratio < TEMPLATED_DISTINCT_2:
        breadth, reason = "narrow", f"replies are templated (distinct-2 {ratio:.2f} < 0.5)"
    elif overlap is None:
        reason = "too little text to judge; assuming mixed"
        confidence = "low"
    elif overlap >= NARROW_OVERLAP:
        reason = f"examples share much vocabulary (overlap {overlap:.3f} ≥ {NARROW_OVERLAP})"
        breadth = "narrow"
    elif overlap < BROAD_OVERLAP:
        breadth, reason = (
            "broad",
            f"examples share little vocabulary (overlap {overlap:.3f} < {BROAD_OVERLAP})",
        )
    else:
        reason = f"vocabulary overlap {overlap:.3f} is between {BROAD_OVERLAP} and {NARROW_OVERLAP}"
    return Diversity(
        domain_breadth=breadth,
        distinct_2=None if ratio is None else round(ratio, 4),
        vocabulary_overlap=None if overlap is None else round(overlap, 4),
        sample_examples=len(sample),
        confidence=confidence,
        reason=reason,
    )


def _training_cost(entry: ModelEntry, billed_tokens: int) -> tuple[float | None, float | None, str]:
    """Training cost [USD], the price [USD per 1M tokens] and a note on where it came from."""
    from estimators.catalog import TOKENS_PER_MTOK, models

    offer = entry.fine_tuning
    if offer is None:
        offered = ", ".join(m.id for m in models().values() if m.fine_tuning)
        how = (
            "; self-hosted training is costed in GPU hours by the estimate"
            if (entry.open_weights)
            else ""
        )
        return (
            None,
            None,
            (
                f"{entry.id} has no fine-tuning offer in the catalogue{how}. "
                f"Models with one: {offered}."
            ),
        )
    price = offer.training_usd_per_mtok
    cost_usd = billed_tokens * price / TOKENS_PER_MTOK
    return (
        cost_usd,
        price,
        (
            f"{billed_tokens:,} billed tokens × ${price:.2f} per 1M training tokens for {entry.id} "
            f"(as of {offer.as_of}; {offer.source})"
        ),
    )


def _report(
    scan: _Scan, source: str, bytes_read: int, model_id: str, encoding: str, entry: ModelEntry
) -> DatasetReport:
    tokens = np.frombuffer(scan.tokens, dtype=np.int64)
    lines = np.frombuffer(scan.lines, dtype=np.int64)
    examples = int(tokens.size)
    epochs = default_epochs(examples) if examples else None
    billed = (epochs or 0) * int(np.minimum(tokens, TOKEN_LIMIT).sum())
    cost_usd, price, cost_note = _training_cost(entry, billed)
    exact, pairs = _duplicates(np.frombuffer(scan.exact_keys, dtype=np.int64), lines)
    near, _ = _duplicates(np.frombuffer(scan.near_keys, dtype=np.int64), lines)
    replies, repeated_total = _repeated_replies(
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
    over = tokens > TOKEN_LIMIT
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
        token_limit=TOKEN_LIMIT,
        over_limit_lines=lines[over][:LINES_SHOWN].tolist(),
        token_histogram=token_histogram(tokens),
        training_usd_per_mtok=price,
        cost_note=cost_note,
        quality=quality,
        diversity=diversity_signal(scan.sample, scan.rng),
        warnings=[],
    )
    return report.model_copy(update={"warnings": _warnings(report)})


def _warnings(report: DatasetReport) -> list[str]:
    """One sentence per finding worth acting on, most serious first."""
    found: list[str] = []
    q = report.quality
    if report.invalid_lines:
        found.append(
            f"Lines with format errors: {report.invalid_lines:,} of {report.lines:,}; OpenAI "
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
            f"Examples over {TOKEN_LIMIT:,} tokens: {report.over_limit:,}; they are truncated to "
            "that length for training and billing."
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


def scenario_fields(report: DatasetReport) -> dict[str, int | str]:
    """The scenario's `data` fields this dataset implies (the dashboard's "use this dataset").

    `tokens_per_example` is the mean billed length (examples truncated at 16,385 tokens), so that
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
