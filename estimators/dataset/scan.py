"""One pass over a dataset: decode, parse, check and count each line, keeping only small numbers.

The per-line hot path, kept whole in this one class: `Scan.line` decodes and parses a line,
`plain_example` counts the usual example (messages of exactly `role` and non-empty `content`)
without the full checks, and anything else goes through the cookbook's checks
(`estimators.dataset.format`) and `example`. Per valid example it keeps five 8-byte numbers
(tokens, line number, three hashes) and a bounded sample for the diversity signal; never the
example itself. Texts that recur are counted once: system prompts (the first 64) and any other
message text, in a cache bounded in bytes (`Scan.TEXT_CACHE_BYTES`).

Size: The per-line hot path stays in one module so the tokenizer loop is read, and profiled, in one
place.
"""

from __future__ import annotations

import json
import math
import random
import re
import string
import sys
from array import array
from collections.abc import Callable
from typing import Any

from estimators.dataset.billing import TOKEN_LIMIT
from estimators.dataset.format import ROLES, example_problems, has_calls, text_of
from estimators.dataset.models import LINE_ERRORS_SHOWN
from estimators.errors import excerpt
from estimators.tokens import get_encoding

# The cookbook's num_tokens_from_messages (gpt-3.5/4 chat format).
TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMER_TOKENS = 3
# Lines longer than this are counted with bounded work (`_BoundedCount`); shorter ones exactly.
# 256 KiB of text is tens of thousands of tokens for any ordinary text, so over the limit.
LONG_LINE_BYTES = 256 * 1024
# The longest text `_BoundedCount` gives the tokenizer at once.
SLICE_CHARS = 65_536
_SPACE_AFTER_WORD = re.compile(r" \w")  # searched in reversed text: a word character, then " "
# Bytes deleted before the near-duplicate hash: ASCII punctuation and whitespace.
_IGNORED_FOR_NEAR_BYTES = (string.punctuation + string.whitespace).encode()
# ASCII upper case to lower case, as `bytes.lower` does, in the same pass as the deletion.
_LOWER_BYTES = bytes.maketrans(string.ascii_uppercase.encode(), string.ascii_lowercase.encode())
# A dict entry's share of memory beside its key string: slot, index and the count [bytes].
_CACHE_ENTRY_BYTES = 64


# A `\uD800`–`\uDFFF` escape: the only way a surrogate gets into decoded JSON text (UTF-8
# cannot carry one). Pairs decode to one character; what is left is a lone half, which no text
# encoding can write, so the line is an error before any of its strings is used.
# Searched in the raw line: a regex is ~4x faster here than two `in` tests.
_surrogate_escape = re.compile(rb"\\u[dD][89a-fA-F]").search
_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_a_number(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number (JSON has no NaN or Infinity)")


def _finite(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise ValueError(f"the number {excerpt(literal, 40)} is too large for a 64-bit float")
    return value


# Python's json accepts NaN and Infinity and turns 1e400 into inf; OpenAI's parser takes neither.
# Custom hooks cost nothing on the usual line: they run only on NaN/Infinity and on numbers with
# a fraction or exponent, which chat data holds almost never.
_decode_json = json.JSONDecoder(parse_constant=_not_a_number, parse_float=_finite).decode


def _lone_surrogate(value: object) -> str | None:
    """A lone surrogate in any string (key or value) of a parsed line, or None."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is str:
            found = _SURROGATE.search(item)
            if found:
                return found.group()
        elif type(item) is dict:
            stack.extend(item)
            stack.extend(item.values())
        elif type(item) is list:
            stack.extend(item)
    return None


class _BoundedCount:
    """`encode` for one line over `LONG_LINE_BYTES`, with work bounded by the token limit.

    tiktoken's merge is superlinear in the length of one pre-token (a 4 MB run of letters took
    about 4 s), so a long text is encoded in slices of at most `SLICE_CHARS` characters, cut
    where a space follows a letter or digit: no pre-token of tiktoken's split patterns spans that
    point, so the count is unchanged (within a token or two per slice where there is none).
    Once the line has more than `TOKEN_LIMIT` tokens counted, its example is over the limit for
    certain and billed at exactly the limit: the rest of its text is then estimated at the line's
    tokens per character so far instead of encoded, and `estimated` is set. Returns a `range`,
    so `len()` gives the count with no list of token ids.
    """

    def __init__(self, encode: Callable[[str], list[int]]) -> None:
        self.encode = encode
        self.tokens = 0
        self.chars = 0
        self.estimated = False

    def __call__(self, text: str) -> range:
        count, start, length = 0, 0, len(text)
        while start < length:
            if self.tokens > TOKEN_LIMIT:
                self.estimated = True
                count += math.ceil((length - start) * self.tokens / self.chars)
                break
            end = start + SLICE_CHARS
            if end >= length:
                end = length
            else:
                # The last "letter or digit, then a space" in the slice's second half, found
                # forwards in the reversed half.
                found = _SPACE_AFTER_WORD.search(text[start + SLICE_CHARS // 2 : end][::-1])
                end = end if found is None else end - 1 - found.start()
            counted = len(self.encode(text[start:end]))
            count += counted
            self.tokens += counted
            self.chars += end - start
            start = end
        return range(count)


def _near_key(text: str) -> int:
    """Hash of the text without ASCII case, punctuation or whitespace.

    Byte-level on purpose: `str.casefold` on text with any non-ASCII character is ~5× slower than
    these C byte operations, and this runs once per example.
    """
    return hash(text.encode().translate(_LOWER_BYTES, _IGNORED_FOR_NEAR_BYTES))


class Scan:
    """Running state of one pass over the file; kept small (see the module docstring)."""

    SAMPLE_SIZE = 500
    SAMPLE_CHARS = 1_000
    SYSTEM_CACHE_SIZE = 64
    SYSTEM_CACHE_MAX_CHARS = 20_000
    # Other message texts that recur verbatim (canned replies, a template's fixed answers, labels)
    # are counted once per filling of a cache bounded by the memory its strings hold [bytes] and
    # emptied when full: memory stays flat in file size, and a text seen once costs a dict insert.
    TEXT_CACHE_BYTES = 2_000_000
    TEXT_CACHE_MAX_CHARS = 20_000

    def __init__(self, encoding_name: str) -> None:
        self.encode: Callable[[str], list[int] | range] = get_encoding(
            encoding_name
        ).encode_ordinary
        self.role_tokens = {role: len(self.encode(role)) for role in ROLES}
        # System prompts repeat across examples: their counts are looked up, not re-encoded.
        self.system_tokens: dict[str, int] = {}
        self.text_tokens: dict[str, int] = {}
        self.text_cache_bytes = 0
        self.text_cache_limit = self.TEXT_CACHE_BYTES
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
        self.estimated_examples = 0
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
            example = _decode_json(text)
        except json.JSONDecodeError as error:
            message = f"invalid_json: {error.msg} at column {error.colno}"
            if "\x00" in text:
                nul = text.index("\x00") + 1
                message = f"invalid_json: the line holds NUL bytes (column {nul}): binary data"
                if not text.strip("\x00\r\n"):
                    message = f"invalid_json: the line is {len(text.rstrip()):,} NUL bytes"
                message += ", not JSON text"
            self.line_error(line_no, ["invalid_json"], message)
            return
        except (ValueError, RecursionError) as error:  # NaN, 1e400, huge integers, deep nesting
            self.line_error(line_no, ["invalid_json"], f"invalid_json: {error}")
            return
        if _surrogate_escape(raw) and (lone := _lone_surrogate(example)) is not None:
            message = (
                f"invalid_unicode: the escape \\u{ord(lone):04x} is a lone UTF-16 surrogate (half "
                "a pair), not a character; remove it or add its other half"
            )
            self.line_error(line_no, ["invalid_unicode"], message)
            return
        if len(raw) > LONG_LINE_BYTES:
            self._bounded(line_no, example)
        else:
            self.check_and_count(line_no, example)

    def _bounded(self, line_no: int, example: Any) -> None:
        """`check_and_count` a long line with `_BoundedCount` in place of `encode`."""
        exact, cache = self.encode, self.system_tokens
        texts, text_limit = self.text_tokens, self.text_cache_limit
        bounded = _BoundedCount(exact)
        # A count made here may be an estimate: it must not be cached for other lines. The text
        # cache is off, so that every non-system text adds to the count that decides when
        # `bounded` starts estimating.
        self.encode, self.system_tokens = bounded, dict(cache)
        self.text_tokens, self.text_cache_limit = {}, 0
        try:
            self.check_and_count(line_no, example)
        finally:
            self.encode, self.system_tokens = exact, cache
            self.text_tokens, self.text_cache_limit = texts, text_limit
        self.estimated_examples += bounded.estimated

    def check_and_count(self, line_no: int, example: Any) -> None:
        """The cookbook's checks and the token count of one parsed line."""
        if type(example) is dict:
            messages = example.get("messages")
            if type(messages) is list and self.plain_example(line_no, messages):
                return
        problems = example_problems(example)
        if problems is not None:
            self.line_error(line_no, problems.names, problems.message())
            return
        self.example(line_no, example["messages"])

    def plain_example(self, line_no: int, messages: list[object]) -> bool:
        """The fast path for the usual case, messages of exactly `role` and non-empty `content`.

        Returns False, having recorded nothing, as soon as a message is anything else; the line
        then goes through the full checks and `example`. Same counts, less Python per line.
        """
        role_tokens, text_tokens = self.role_tokens, self.text_tokens
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
            if role == "system":
                has_system = True
                tokens += self._system_tokens(content)
            elif role in role_tokens:
                count = text_tokens.get(content)
                tokens += self._new_text_tokens(content) if count is None else count
                if role == "user":
                    user_texts.append(content)
                elif role == "assistant":
                    reply = content
                    blank_replies += content.isspace()
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
                        tokens += self._text_tokens(value)  # type: ignore[arg-type]
                elif key != "weight":
                    if key == "name":
                        tokens += TOKENS_PER_NAME
                    tokens += len(encode(text_of(value)))
            content = message.get("content") or ""
            exact_parts.append(tuple(sorted((k, text_of(v)) for k, v in message.items())))
            if role == "assistant":
                reply = content if type(content) is str else ""
                if not reply.strip() and not has_calls(message):
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

    def _text_tokens(self, text: str) -> int:
        cached = self.text_tokens.get(text)
        return self._new_text_tokens(text) if cached is None else cached

    def _new_text_tokens(self, text: str) -> int:
        """Encode a text the text cache does not hold, and keep its count there if it fits."""
        count = len(self.encode(text))
        size_bytes = sys.getsizeof(text) + _CACHE_ENTRY_BYTES
        if len(text) > self.TEXT_CACHE_MAX_CHARS or size_bytes > self.text_cache_limit:
            return count  # too long to keep, or the cache is off (a long line, or a size of 0)
        if self.text_cache_bytes + size_bytes > self.text_cache_limit:
            self.text_tokens.clear()  # full: start again, so that what recurs from now on is kept
            self.text_cache_bytes = 0
        self.text_tokens[text] = count
        self.text_cache_bytes += size_bytes
        return count

    def _sample(self, user_text: str, reply: str) -> None:
        """Reservoir sampling (Algorithm R): a uniform sample of examples in bounded memory."""
        self.seen_for_sample += 1
        if len(self.sample) < self.SAMPLE_SIZE:
            self.sample.append((user_text[: self.SAMPLE_CHARS], reply[: self.SAMPLE_CHARS]))
            return
        slot = int(self.rng.random() * self.seen_for_sample)
        if slot < self.SAMPLE_SIZE:
            self.sample[slot] = (user_text[: self.SAMPLE_CHARS], reply[: self.SAMPLE_CHARS])
