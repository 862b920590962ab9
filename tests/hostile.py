"""A corpus of hostile inputs: scenario files and dataset uploads (share links: tests/app).

Each case is built by code, not stored, so ten-megabyte strings and million-line files cost no
repository space. `expect` is a fragment the user-facing message must contain; None means the
input is valid and must be accepted as it is.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass


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
    # Valid inputs that hostile-looking tools produce: they must be accepted unchanged.
    Case("utf8-bom", _bytes(b'\xef\xbb\xbf{"name": "BOM"}'), None),
    Case("crlf-line-ends", _bytes(b'{\r\n"name": "CRLF"\r\n}\r\n'), None),
    Case("negative-zero", _text('{"traffic": {"queries_per_day": -0.0}}'), None),
    Case("every-script", _text('{"name": "Café 你好 שלום مرحبا 🎉👩‍💻"}'), None),
]

_EXAMPLE = (
    b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}'
)

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
    Case("million-lines", lambda: b"\n".join([_EXAMPLE] * 1_000_000), None),
    Case("bom-and-crlf", lambda: b"\xef\xbb\xbf" + _EXAMPLE + b"\r\n" + _EXAMPLE + b"\r\n", None),
]
