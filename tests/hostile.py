"""A corpus of hostile inputs: scenario files, dataset uploads and LiteLLM price files (share
links: tests/app), and for the CLI only, arguments naming devices.

Each case is built by code, not stored, so ten-megabyte strings and million-line files cost no
repository space. `expect` is a fragment the user-facing message must contain; None means the
input is valid and must be accepted as it is.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_PRESET_FILE = (
    Path(__file__).resolve().parent.parent / "presets" / "scenarios" / "support-chatbot.json"
)


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], bytes]
    expect: str | None


def _bytes(raw: bytes) -> Callable[[], bytes]:
    return lambda: raw


def _text(raw: str) -> Callable[[], bytes]:
    return lambda: raw.encode("utf-8")


SCENARIO_CASES = [
    Case("nan-literal", _text('{"traffic": {"queries_per_day": NaN}}'), "finite number"),
    Case("infinity-literal", _text('{"traffic": {"queries_per_day": Infinity}}'), "finite number"),
    Case("1e308", _text('{"traffic": {"queries_per_day": 1e308}}'), "less than or equal"),
    Case("huge-integer", _text('{"horizon_months": 1' + "0" * 5000 + "}"), "not valid JSON"),
    Case("boolean-for-number", _text('{"traffic": {"queries_per_day": true}}'), "valid number"),
    Case("string-for-number", _text('{"horizon_months": "12"}'), "valid integer"),
    Case("null-for-number", _text('{"traffic": {"queries_per_day": null}}'), "valid number"),
    Case("negative-count", _text('{"data": {"labelled_examples": -5}}'), "greater than or equal"),
    Case(
        "deep-nesting-200k",
        lambda: b'{"name": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        "recursion limit",
    ),
    Case("top-level-list", _text("[1, 2, 3]"), "JSON object, not a list"),
    Case("top-level-string", _text('"scenario"'), "JSON object, not a string"),
    Case("null-byte-in-name", _text('{"name": "a\\u0000b"}'), "U+0000"),
    Case("bidi-override-in-name", _text('{"name": "invoice\u202efdp.exe"}'), "U+202E"),
    Case("bell-in-description", _text('{"task": {"description": "\\u0007"}}'), "task.description"),
    Case("ten-mb-name", lambda: b'{"name": "' + b"x" * 10_000_000 + b'"}', "200 characters"),
    Case("non-utf8-bytes", _bytes(b'{"name": "caf\xe9"}'), "not UTF-8"),
    Case("utf16-file", lambda: '{"name": "x"}'.encode("utf-16"), "UTF-16"),
    Case("empty-file", _bytes(b""), "not valid JSON"),
    Case("truncated-json", _text('{"traffic": {"queries_per_day": 5'), "not valid JSON"),
    Case("unknown-key", _text('{"trafic": {}}'), "unknown key"),
    Case("unknown-model", _text('{"models": {"general": "gpt-99"}}'), "unknown model"),
    Case("unknown-assumption", _text('{"assumptions": {"rag.top_kk": 3}}'), "unknown assumption"),
    Case(
        "overlap-over-chunk",
        _text('{"assumptions": {"rag.chunk_overlap_tokens": 900}}'),
        "rag.chunk_overlap_tokens",
    ),
    Case("unknown-mitigation", _text('{"mitigations_in_place": ["prayer"]}'), "unknown risk"),
    Case("lone-surrogate", _text('{"name": "\\ud800"}'), "not valid JSON"),
    # Issue 17: every assumption and id has a bounded domain; user text is echoed short.
    Case(
        "top-k-1e300",
        _text('{"assumptions": {"rag.top_k": 1e300}}'),
        "assumptions.rag.top_k: expected at most",
    ),
    Case(
        "zero-mfu",
        _text('{"assumptions": {"selfhost.mfu": 0}}'),
        "assumptions.selfhost.mfu: expected at least",
    ),
    Case(
        "5000-char-model-id",
        _text('{"models": {"general": "' + "m" * 5_000 + '"}}'),
        "(5,000 characters)",
    ),
    Case(
        "preset-file-bad-field",
        _text('{"title": "t", "scenario": {"traffic": {"queries_per_day": -1}}}'),
        "traffic.queries_per_day",
    ),
    Case(
        "preset-file-lone-surrogate",
        _text('{"title": "t", "scenario": {"name": "\\ud800"}}'),
        "not valid JSON",
    ),
    # Valid inputs that hostile-looking tools produce: they must be accepted unchanged.
    Case("utf8-bom", _bytes(b'\xef\xbb\xbf{"name": "BOM"}'), None),
    Case("crlf-line-ends", _bytes(b'{\r\n"name": "CRLF"\r\n}\r\n'), None),
    Case("negative-zero", _text('{"traffic": {"queries_per_day": -0.0}}'), None),
    Case("every-script", _text('{"name": "Café 你好 שלום مرحبا 🎉👩‍💻"}'), None),
    # A preset file, as shipped in presets/scenarios/: its scenario is loaded (issue 17).
    Case("preset-file", lambda: _PRESET_FILE.read_bytes(), None),
    Case("preset-file-minimal", _text('{"id": "x", "scenario": {"name": "Wrapped"}}'), None),
]

_EXAMPLE = (
    b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}'
)


def _reply_with(extra: str) -> bytes:
    """An example whose assistant message carries `extra` (raw JSON: `"key": value`)."""
    head = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", '
    return head + extra.encode() + b"}]}"


def _long_example(chars: int, fill: str = "x") -> bytes:
    return json.dumps(
        {
            "messages": [
                {"role": "user", "content": fill * chars},
                {"role": "assistant", "content": "ok"},
            ]
        }
    ).encode()


DATASET_CASES = [
    Case("zero-byte-file", _bytes(b""), "empty"),
    Case("blank-lines-only", _bytes(b"\n\n\r\n"), "only blank lines"),
    Case("nul-bytes", _bytes(_EXAMPLE + b"\x00\n"), "binary"),
    Case("gzip-file", lambda: gzip.compress(_EXAMPLE), "gzip"),
    Case("utf16-file", lambda: _EXAMPLE.decode().encode("utf-16"), "UTF-16"),
    # Files that can be read: the report names the bad lines instead of failing.
    Case("latin1-line", lambda: _EXAMPLE + b"\n" + b'{"messages": "caf\xe9"}\n', "invalid_utf8"),
    Case("json-array-line", lambda: _EXAMPLE + b"\n[1, 2]\n", "data_type"),
    Case("truncated-line", lambda: _EXAMPLE + b'\n{"messages": [\n', "invalid_json"),
    Case(
        "fifty-mb-line",
        lambda: _EXAMPLE + b'\n{"messages": "' + b"a" * 50_000_000 + b'"}\n',
        "line_too_long",
    ),
    # Issue 17: lines that crashed the check, were called valid, or were misnamed.
    Case(
        "lone-surrogate-line",
        lambda: _EXAMPLE + b"\n" + _EXAMPLE.replace(b'"hi"', b'"hi \\ud800"') + b"\n",
        "invalid_unicode",
    ),
    Case(
        "nan-weight",
        lambda: _EXAMPLE + b"\n" + _reply_with('"content": "yo", "weight": NaN') + b"\n",
        "NaN is not a JSON number",
    ),
    Case(
        "1e400-weight",
        lambda: _EXAMPLE + b"\n" + _reply_with('"content": "yo", "weight": 1e400') + b"\n",
        "too large",
    ),
    Case(
        "tool-calls-900-deep",
        lambda: (
            _EXAMPLE
            + b"\n"
            + _reply_with('"content": null, "tool_calls": ' + "[" * 900 + "]" * 900)
            + b"\n"
        ),
        "invalid_tool_calls",
    ),
    Case(
        "nul-line-after-8-kib",  # the first 8 KiB are text, so the file is read line by line
        lambda: _long_example(9_000) + b"\n" + b"\x00" * 64 + b"\n",
        "NUL bytes",
    ),
    # Unreadable: random bytes after a text first line are a binary file, not 4,000 bad lines.
    Case(
        "binary-after-line-1",
        lambda: b"x\n" + random.Random(0).randbytes(1_000_000),
        "binary",
    ),
    Case("million-lines", lambda: b"\n".join([_EXAMPLE] * 1_000_000), None),
    # Twelve ~4 MB lines of one letter: took 46 s; now bounded work per line (issue 17).
    Case(
        "twelve-4mb-lines-without-spaces",
        lambda: (_long_example(4 * 1024 * 1024 - 200, "a") + b"\n") * 12,
        None,
    ),
    Case("bom-and-crlf", lambda: b"\xef\xbb\xbf" + _EXAMPLE + b"\r\n" + _EXAMPLE + b"\r\n", None),
]


# --- price files: `estimate --prices FILE` and the dashboard's Prices upload -------------------

# `expect` is in both messages. The CLI skips an unusable entry, names it on stderr and goes on
# with the bundled price; the dashboard refuses the whole file and keeps the prices in force.
PRICE_FILE_CASES = [
    Case(
        "1e308-price",
        _text('{"gpt-4.1": {"input_cost_per_token": 1e308}}'),
        "gpt-4.1: input_cost_per_token is 1e+308 USD per token",
    ),
    Case(
        "nan-price",
        _text('{"gpt-4.1": {"input_cost_per_token": NaN}}'),
        "gpt-4.1: input_cost_per_token is not a finite number",
    ),
    Case(
        "negative-price",
        _text('{"gpt-4.1": {"output_cost_per_token": -8e-06}}'),
        "gpt-4.1: output_cost_per_token is negative",
    ),
    Case(
        "string-price",
        _text('{"openai/gpt-4.1": {"input_cost_per_token": "2e-06"}}'),
        "openai/gpt-4.1: input_cost_per_token is not a finite number",
    ),
    # Refused (exit 2) before more than the cap is read.
    Case("21-mb-price-file", lambda: b" " * 20_000_001, "larger than 20,000,000 bytes"),
    Case("price-list", _text("[1, 2]"), "expected a JSON object"),
    Case("price-string", _text('"gpt-4.1"'), "expected a JSON object"),
    Case("truncated-price-file", _text('{"gpt-4.1": {"input_cost_per_token": 2e-06'), "not valid"),
    Case("empty-price-file", _bytes(b""), "not valid JSON"),
    Case("non-utf8-price-file", _bytes(b'{"caf\xe9": {}}'), "not valid JSON"),
    Case(
        "5000-digit-price",  # was a traceback: Python's int-digits limit is a plain ValueError
        _text('{"gpt-4.1": {"input_cost_per_token": 1' + "0" * 5000 + "}}"),
        "not valid JSON",
    ),
    Case(
        "deep-nesting-price-file",
        lambda: b'{"gpt-4.1": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        "not valid JSON",
    ),
    Case(
        "no-catalogue-model",
        _text('{"my-own-model": {"input_cost_per_token": 1e-06}, "gpt-4.1": 5}'),
        "no model in it is in the catalogue",
    ),
]


@dataclass(frozen=True)
class ArgvCase:
    """A command line whose arguments name a device; `needs` is the device it needs."""

    id: str
    argv: tuple[str, ...]
    expect: str
    needs: str


DEVICE_CASES = [
    ArgvCase(
        "prices-dev-zero",
        ("estimate", "support-chatbot", "--draws", "0", "--prices", "/dev/zero"),
        "/dev/zero: larger than 20,000,000 bytes",
        "/dev/zero",
    ),
    ArgvCase("scenario-dev-zero", ("estimate", "/dev/zero"), "larger than 5,000,000", "/dev/zero"),
    ArgvCase(
        "pdf-dev-full",
        ("estimate", "support-chatbot", "--draws", "0", "--pdf", "/dev/full"),
        "cannot write the PDF to /dev/full: No space left on device",
        "/dev/full",
    ),
    ArgvCase("dataset-dev-urandom", ("dataset", "/dev/urandom"), "binary file", "/dev/urandom"),
    ArgvCase("dataset-dev-zero", ("dataset", "/dev/zero"), "binary file", "/dev/zero"),
    ArgvCase(
        "dataset-5000-char-model",
        ("dataset", "/dev/null", "--model", "m" * 5_000),
        "(5,000 characters)",
        "/dev/null",
    ),
]


# --- user text that reaches the page as Markdown (issue 17, item 3) ------------------------------

# (id, text): scenario names, file names and quoted input that a page shows. Each must reach the
# reader as the literal text: one line, no heading, list, quote, link, image, HTML or directive.
MARKDOWN_CASES = [
    ("issue-17-name", "Acme\n\n# OWNED\n\nCall www.evil-example.com"),
    ("heading", "# OWNED"),
    ("setext-heading", "Acme\n===="),
    ("bullet-list", "- one\n- two"),
    ("plus-list", "+ item"),
    ("ordered-list", "1. first\n2) second"),
    ("quote", "> quoted"),
    ("code-block", "\n\n    indented code"),
    ("fence", "```\ncode\n```"),
    ("rule", "---"),
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |"),
    ("link", "[click me](https://evil-example.com)"),
    ("reference-link", "[click][1]\n\n[1]: https://evil-example.com"),
    ("image", "![pixel](https://evil-example.com/p.png)"),
    ("autolink-angle", "<https://evil-example.com>"),
    ("bare-www", "Call www.evil-example.com now"),
    ("bare-www-upper", "WWW.EVIL-EXAMPLE.COM"),
    ("bare-https", "see https://evil-example.com/login"),
    ("bare-http", "http://evil-example.com"),
    ("e-mail", "write to boss@evil-example.com"),
    ("mailto", "mailto:boss@evil-example.com"),
    ("html", '<img src=x onerror="alert(1)"><script>alert(1)</script>'),
    ("html-comment", "<!-- hidden -->visible"),
    ("entity", "&lt;b&gt; &#x1F4A9; &amp;"),
    ("emphasis", "**bold** _it_ ~~gone~~ `code`"),
    ("latex", "$x^2$ and $$y$$"),
    ("colour-directive", ":red[alarm] :material/warning: :smile:"),
    ("backslashes", "\\*not bold\\* \\"),
    ("crlf-and-unicode-breaks", "a\r\n# b\u2028- c\u2029> d\x0b\x0c\x85e"),
    ("cjk-rtl-emoji", "客服机器人 🤖 דוגמה"),
]
