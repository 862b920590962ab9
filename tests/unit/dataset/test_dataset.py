"""The dataset check: cookbook errors, exact token counts, epochs, billing and quality checks."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import random
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimators.catalog import get_model
from estimators.dataset import check as dataset
from estimators.dataset.billing import token_cap
from estimators.dataset.check import (
    TOKEN_LIMIT,
    DatasetReport,
    billed_training_tokens,
    check_dataset,
    default_epochs,
    scenario_fields,
)
from estimators.dataset.scan import Scan
from estimators.errors import EstimatorError, UnknownIdError
from estimators.scenario import Data, Scenario
from estimators.tokens import get_encoding

Message = dict[str, str]


def cookbook_tokens(messages: list[Message], encoding: str = "o200k_base") -> int:
    """OpenAI cookbook's num_tokens_from_messages, written out with tiktoken directly."""
    enc = get_encoding(encoding)
    total = 3  # every reply is primed with <|start|>assistant<|message|>
    for message in messages:
        total += 3  # tokens per message
        for key, value in message.items():
            total += len(enc.encode(value, disallowed_special=()))
            if key == "name":
                total += 1  # tokens per name
    return total


def chat(
    user: str = "Where is my order?",
    reply: str = "It shipped today.",
    system: str | None = "You are Acme's assistant.",
) -> dict[str, list[Message]]:
    """One chat example: an optional system prompt, a user turn and the assistant's reply."""
    messages = [{"role": "system", "content": system}] if system is not None else []
    messages += [{"role": "user", "content": user}, {"role": "assistant", "content": reply}]
    return {"messages": messages}


def jsonl(rows: list[object], newline: str = "\n") -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + newline for row in rows).encode()


def write(tmp_path: Path, data: bytes, name: str = "train.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def varied(count: int, seed: int = 0) -> list[dict[str, list[Message]]]:
    """Examples with unrelated made-up vocabularies, so none repeats another."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        letters = "abcdefghijklmnopqrstuvwxyz"
        return " ".join("".join(rng.choices(letters, k=rng.randint(4, 9))) for _ in range(n))

    return [chat(words(12), words(40)) for _ in range(count)]


# --- token counts -----------------------------------------------------------------------------


def test_tokens_per_example_follow_the_cookbook_formula() -> None:
    rows = [chat(), chat("Refund please, order 42 — ünïcødé 東京 🙂", "Done. <|endoftext|>")]
    report = check_dataset(jsonl(rows))
    counts = [cookbook_tokens(row["messages"]) for row in rows]
    assert report.tokens.total == sum(counts)
    assert report.tokens.max == max(counts)
    assert report.tokens.mean == sum(counts) / 2


def test_a_two_message_example_is_3_per_message_plus_values_plus_3() -> None:
    enc = get_encoding("o200k_base")
    report = check_dataset(jsonl([chat("Hi", "Hello!", system=None)]))
    expected = (
        (3 + len(enc.encode("user")) + len(enc.encode("Hi")))
        + (3 + len(enc.encode("assistant")) + len(enc.encode("Hello!")))
        + 3
    )
    assert report.tokens.total == expected


def test_a_name_adds_its_tokens_and_one_more() -> None:
    plain = chat(system=None)
    named = chat(system=None)
    named["messages"][0]["name"] = "bob"
    difference = (
        check_dataset(jsonl([named])).tokens.total - check_dataset(jsonl([plain])).tokens.total
    )
    assert difference == len(get_encoding("o200k_base").encode("bob")) + 1


def test_a_weight_key_adds_no_tokens() -> None:
    weighted = chat()
    weighted["messages"][2]["weight"] = 0  # type: ignore[assignment]
    report = check_dataset(jsonl([weighted, chat()]))
    assert report.format_errors == {}
    assert report.tokens.max == report.tokens.total / 2 == cookbook_tokens(chat()["messages"])


def test_examples_with_names_are_compared_as_wholes_for_duplicates() -> None:
    named = chat()
    named["messages"][1]["name"] = "bob"
    other = chat()
    other["messages"][1]["name"] = "alice"
    assert check_dataset(jsonl([named, named, other])).quality.exact_duplicates == 1


def test_an_encoding_can_be_chosen_instead_of_the_models() -> None:
    rows = [chat("Grüße aus Köln", "Danke schön, 12345 Mal!")]
    report = check_dataset(jsonl(rows), encoding="cl100k_base")
    assert report.encoding == "cl100k_base"
    assert report.tokens.total == cookbook_tokens(rows[0]["messages"], "cl100k_base")


def test_token_stats_give_percentiles_of_the_examples() -> None:
    rows = [chat("x " * n, "ok") for n in range(1, 11)]
    report = check_dataset(jsonl(rows))
    counts = sorted(cookbook_tokens(row["messages"]) for row in rows)
    assert report.tokens.p50 == (counts[4] + counts[5]) / 2  # linear interpolation, n = 10
    assert report.tokens.p90 == counts[8] + 0.1 * (counts[9] - counts[8])


def test_tool_calls_are_counted_as_compact_json() -> None:
    call = [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]
    row = {
        "messages": [
            {"role": "user", "content": "Call f"},
            {"role": "assistant", "content": None, "tool_calls": call},
        ]
    }
    report = check_dataset(jsonl([row]))
    enc = get_encoding("o200k_base")
    as_json = json.dumps(call, separators=(",", ":"))
    expected = cookbook_tokens([row["messages"][0]]) + 3 + len(enc.encode("assistant"))
    assert report.format_errors == {}
    assert report.tokens.total == expected + len(enc.encode(as_json))


# --- epochs, billing, cost ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("examples", "epochs"),
    [
        (1, 25),  # 1 × 3 < 100 → min(25, 100 // 1 = 100)
        (5, 20),  # 15 < 100 → min(25, 100 // 5 = 20)
        (20, 5),  # 60 < 100 → 100 // 20
        (33, 3),  # 99 < 100 → 100 // 33 = 3
        (34, 3),  # 102 ≥ 100 → the target, 3
        (8333, 3),  # 24,999 ≤ 25,000 → 3
        (8334, 2),  # 25,002 > 25,000 → max(1, 25,000 // 8,334 = 2)
        (30000, 1),  # 90,000 > 25,000 → max(1, 0)
    ],
)
def test_default_epochs_at_the_rules_edges(examples: int, epochs: int) -> None:
    assert default_epochs(examples) == epochs


def test_default_epochs_need_an_example() -> None:
    with pytest.raises(ValueError, match="at least one"):
        default_epochs(0)


@given(st.integers(min_value=1, max_value=10**8))
def test_default_epochs_stay_within_1_to_25(examples: int) -> None:
    assert 1 <= default_epochs(examples) <= 25


@given(
    st.lists(st.integers(min_value=1, max_value=50_000), max_size=50),
    st.integers(min_value=1, max_value=50_000),
    st.integers(min_value=1, max_value=25),
)
def test_more_examples_never_lower_billed_tokens(
    tokens: list[int], extra: int, epochs: int
) -> None:
    before = billed_training_tokens(tokens, epochs)
    assert billed_training_tokens([*tokens, extra], epochs) >= before
    assert before <= epochs * TOKEN_LIMIT * len(tokens)


def test_an_example_over_the_models_cap_is_billed_at_the_cap(tmp_path: Path) -> None:
    # gpt-4.1-nano's offer trains on and bills at most 32,768 tokens an example
    long_row = chat("word " * 40_000, "ok")
    rows = [chat() for _ in range(39)] + [long_row]
    report = check_dataset(write(tmp_path, jsonl(rows)), model="gpt-4.1-nano")
    long_tokens = cookbook_tokens(long_row["messages"])
    short_tokens = cookbook_tokens(chat()["messages"])
    assert long_tokens > 32_768
    assert (report.token_limit, report.over_limit, report.over_limit_lines) == (32_768, 1, [40])
    assert report.default_epochs == 3  # 40 × 3 = 120 ≥ 100
    assert report.billed_training_tokens == 3 * (39 * short_tokens + 32_768)
    assert report.tokens.max == long_tokens  # the stats show the real length
    assert any("gpt-4.1-nano's cap per example" in w for w in report.warnings)


def test_the_cap_is_the_chosen_models_not_gpt_3_5s(tmp_path: Path) -> None:
    # 20,000 words ≈ 20,000 tokens: over gpt-3.5's 16,385 but under gpt-4.1-mini's 65,536
    rows = [chat() for _ in range(39)] + [chat("word " * 20_000, "ok")]
    report = check_dataset(write(tmp_path, jsonl(rows)), model="gpt-4.1-mini")
    assert (report.token_limit, report.over_limit) == (65_536, 0)
    assert report.billed_training_tokens == 3 * report.tokens.total


def test_billed_tokens_take_the_cap_as_a_parameter_with_gpt_3_5s_as_default() -> None:
    # 2 epochs × (100 + min(cap, 50,000))
    assert billed_training_tokens([100, 50_000], 2) == 2 * (100 + 16_385)
    assert billed_training_tokens([100, 50_000], 2, cap=32_768) == 2 * (100 + 32_768)
    assert token_cap(get_model("gpt-4o-mini")) == 65_536
    assert token_cap(get_model("gpt-5")) == TOKEN_LIMIT  # no fine-tuning offer: the default


def test_training_cost_uses_the_catalogue_price() -> None:
    rows = [chat() for _ in range(40)]
    report = check_dataset(jsonl(rows), model="gpt-4o-mini")
    price = get_model("gpt-4o-mini").fine_tuning.training_usd_per_mtok  # type: ignore[union-attr]
    assert report.training_usd_per_mtok == price
    assert report.training_cost_usd == pytest.approx(report.billed_training_tokens * price / 1e6)


def test_the_default_model_is_the_scenarios_small_model() -> None:
    assert check_dataset(jsonl([chat()])).model == Scenario().models.small


def test_a_model_without_a_fine_tuning_offer_has_no_cost_but_a_reason() -> None:
    report = check_dataset(jsonl([chat()]), model="gpt-5")
    assert report.training_cost_usd is None
    assert "no fine-tuning offer" in report.cost_note
    assert report.cost_note in report.warnings


def test_an_unknown_model_is_an_error_listing_known_ones() -> None:
    with pytest.raises(UnknownIdError, match=r"gpt-4\.1-mini"):
        check_dataset(jsonl([chat()]), model="gpt-99")


def test_a_stand_in_tokenizer_is_flagged_as_approximate() -> None:
    report = check_dataset(jsonl([chat()]), model="llama-3.1-8b-instruct")
    assert not report.encoding_exact
    assert check_dataset(jsonl([chat()]), model="gpt-4.1-mini").encoding_exact


# --- format errors ------------------------------------------------------------------------------

USER = {"role": "user", "content": "hi"}
ASSISTANT = {"role": "assistant", "content": "hello"}


@pytest.mark.parametrize(
    ("line", "name"),
    [
        (json.dumps([1, 2]), "data_type"),
        (json.dumps({"prompt": "hi"}), "missing_messages_list"),
        (json.dumps({"messages": []}), "missing_messages_list"),
        (json.dumps({"messages": [{"role": "user"}, ASSISTANT]}), "message_missing_key"),
        (json.dumps({"messages": [{**USER, "extra": 1}, ASSISTANT]}), "message_unrecognized_key"),
        (
            json.dumps({"messages": [{"role": "bot", "content": "x"}, ASSISTANT]}),
            "unrecognized_role",
        ),
        (
            json.dumps({"messages": [{"role": ["user"], "content": "x"}, ASSISTANT]}),
            "unrecognized_role",
        ),
        (json.dumps({"messages": [{"role": "user", "content": ""}, ASSISTANT]}), "missing_content"),
        (json.dumps({"messages": [{"role": "user", "content": 5}, ASSISTANT]}), "missing_content"),
        (json.dumps({"messages": [USER]}), "example_missing_assistant_message"),
        (json.dumps({"messages": ["hi", ASSISTANT]}), "message_data_type"),
        ('{"messages": [', "invalid_json"),
        ("[" * 100_000, "invalid_json"),  # nested too deep for the parser
        ("1" * 5_000, "invalid_json"),  # an integer over Python's digit limit
    ],
)
def test_each_format_error_is_counted_by_its_cookbook_name(line: str, name: str) -> None:
    data = jsonl([chat()]) + line.encode() + b"\n"
    report = check_dataset(data)
    assert report.format_errors[name] >= 1
    assert name in report.line_errors[2]
    assert report.examples == 1
    assert not report.valid


def test_message_level_errors_count_once_per_message_as_in_the_cookbook() -> None:
    row = {
        "messages": [{"role": "bot", "content": "a"}, {"role": "bot", "content": "b"}, ASSISTANT]
    }
    assert check_dataset(jsonl([row])).format_errors == {"unrecognized_role": 2}


def test_a_line_that_is_not_utf8_is_named_with_the_byte() -> None:
    data = jsonl([chat()]) + b'{"messages": "caf\xe9"}\n'
    report = check_dataset(data)
    assert report.format_errors == {"invalid_utf8": 1}
    assert report.line_errors[2] == "invalid_utf8: byte 0xe9 at position 18 is not UTF-8"  # 1-based


def test_line_numbers_count_blank_and_bad_lines(tmp_path: Path) -> None:
    data = jsonl([chat()]) + b"\n   \n" + b"{oops\n" + jsonl([chat()])
    report = check_dataset(write(tmp_path, data))
    assert report.line_errors == {
        4: "invalid_json: Expecting property name enclosed in double quotes at column 2"
    }
    assert (report.examples, report.blank_lines, report.lines) == (2, 2, 3)


def test_line_errors_are_capped_but_all_are_counted() -> None:
    report = check_dataset(b"nope\n" * 150 + jsonl([chat()]))
    assert len(report.line_errors) == 100
    assert report.line_errors_total == 150
    assert report.format_errors == {"invalid_json": 150}
    assert max(report.line_errors) == 100


def test_a_50_mb_line_is_rejected_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(jsonl([chat()]))
        out.write(b'{"messages": [{"role": "user", "content": "')
        for _ in range(50):
            out.write(b"x" * 1_000_000)
        out.write(b'"}]}\n')
        out.write(jsonl([chat()]))
    tracemalloc.start()
    try:
        report = check_dataset(path)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.format_errors == {"line_too_long": 1}
    assert report.line_errors[2].startswith("line_too_long: the line is 50.0 MB")
    assert report.examples == 2
    assert peak_bytes < 16_000_000  # one 4 MB line buffer and a 1 MB chunk, not 50 MB


# --- hostile lines (issue 17) -------------------------------------------------------------------

LONE_SURROGATE_LINE = r'{"messages": [{"role": "user", "content": "hi \ud800"}, ' + (
    r'{"role": "assistant", "content": "yo"}]}'
)


@pytest.mark.parametrize(
    "line",
    [
        LONE_SURROGATE_LINE,
        r'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", '
        r'"content": "yo \uDFFF"}]}',
        r'{"messages": [{"role": "user", "content": "hi", "name": "\ud83d"}, '
        r'{"role": "assistant", "content": "yo"}]}',
        r'{"messages": [{"role": "\udc00", "content": "hi"}, ASSISTANT]}'.replace(
            "ASSISTANT", json.dumps(ASSISTANT)
        ),
        r'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", '
        r'"content": null, "tool_calls": [{"function": {"name": "f\ud800", "arguments": "{}"}}]}]}',
    ],
)
def test_a_lone_surrogate_escape_is_a_line_error_not_a_crash(line: str) -> None:
    report = check_dataset(jsonl([chat()]) + line.encode() + b"\n" + jsonl([chat("a", "b")]))
    assert report.format_errors == {"invalid_unicode": 1}
    assert "lone UTF-16 surrogate" in report.line_errors[2]
    assert report.examples == 2
    report.model_dump_json()  # the report itself holds no surrogate


def test_an_escaped_surrogate_pair_is_one_character_and_valid() -> None:
    line = r'{"messages": [{"role": "user", "content": "\ud83d\ude00"}, ' + (
        r'{"role": "assistant", "content": "\uD83C\uDF89"}]}'
    )
    report = check_dataset(line.encode() + b"\n")
    assert report.format_errors == {}
    assert report.tokens.total == cookbook_tokens(chat("😀", "🎉", system=None)["messages"])


def test_the_tokenizer_counts_a_lone_surrogate_instead_of_failing() -> None:
    from estimators.tokens import count_tokens

    assert count_tokens("hi \ud800") == count_tokens("hi \ufffd")


@pytest.mark.parametrize(
    ("weight", "says"),
    [
        ("NaN", "NaN is not a JSON number"),
        ("Infinity", "Infinity is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
        ("1e400", "1e400 is too large"),
        ("-1e400", "-1e400 is too large"),
        ("2", "invalid_weight"),
        ("0.5", "invalid_weight"),
        ("true", "invalid_weight"),
        ('"1"', "invalid_weight"),
        ("1" + "0" * 400, "invalid_weight"),
    ],
)
def test_a_weight_other_than_0_or_1_is_a_line_error(weight: str, says: str) -> None:
    line = json.dumps({"messages": [USER, {**ASSISTANT, "weight": 12345}]})
    line = line.replace("12345", weight)
    report = check_dataset(jsonl([chat()]) + line.encode() + b"\n")
    assert list(report.line_errors) == [2]
    assert says in report.line_errors[2]
    assert report.examples == 1


@pytest.mark.parametrize("weight", [0, 1, 0.0, 1.0])
def test_weights_0_and_1_are_valid(weight: float) -> None:
    row = {"messages": [USER, {**ASSISTANT, "weight": weight}]}
    assert check_dataset(jsonl([row])).format_errors == {}


def _call_row(calls: str) -> bytes:
    head = '{"messages": [{"role": "user", "content": "Call f"}, '
    return (
        head + '{"role": "assistant", "content": null, "tool_calls": ' + calls + "}]}\n"
    ).encode()


@pytest.mark.parametrize(
    ("calls", "says"),
    [
        ("[" * 900 + "]" * 900, "tool_calls"),
        (
            '[{"function": {"name": "f", "arguments": "{}", "x": ' + "[" * 900 + "]" * 900 + "}}]",
            "deeper than",
        ),
        ('"f()"', "expected a list"),
        ('[{"id": "c1", "type": "function"}]', "expected a list"),
        ('[{"function": {"name": 5, "arguments": "{}"}}]', "expected a list"),
    ],
)
def test_malformed_or_deep_tool_calls_are_a_line_error(calls: str, says: str) -> None:
    report = check_dataset(jsonl([chat()]) + _call_row(calls))
    assert report.format_errors == {"invalid_tool_calls": 1}
    assert says in report.line_errors[2]


def test_a_deep_function_call_is_a_line_error() -> None:
    row = jsonl([USER]).replace(b"\n", b"")
    line = b'{"messages": [' + row + b', {"role": "assistant", "content": null, '
    line += b'"function_call": {"name": "f", "arguments": ' + b"[" * 900 + b"]" * 900 + b"}}]}\n"
    report = check_dataset(jsonl([chat()]) + line)
    assert report.format_errors == {"invalid_tool_calls": 1}
    assert "function_call" in report.line_errors[2]


def test_a_line_of_nul_bytes_is_named_as_such() -> None:
    # After the first 8 KiB (which are sniffed as a whole), so the file is read line by line.
    first = jsonl([chat("x" * 9_000)])
    report = check_dataset(first + b"\x00" * 64 + b"\n" + jsonl([chat()]))
    assert report.format_errors == {"invalid_json": 1}
    assert "NUL bytes" in report.line_errors[2]
    assert "Expecting value" not in report.line_errors[2]


def test_binary_data_after_a_text_first_line_is_binary(tmp_path: Path) -> None:
    data = b"x\n" + random.Random(0).randbytes(1_000_000)
    for source in (write(tmp_path, data), data, io.BytesIO(data)):
        with pytest.raises(EstimatorError, match="binary file"):
            check_dataset(source)


def test_nul_bytes_anywhere_in_the_first_8_kib_make_a_binary_file() -> None:
    head = jsonl([chat()]) * 20
    assert len(head) < dataset.BINARY_SNIFF_BYTES - 10
    with pytest.raises(EstimatorError, match="binary file"):
        check_dataset(head + b"\x00\x00\n" + jsonl([chat()]))


def test_long_lines_without_spaces_are_counted_with_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twelve ~4 MB lines of one letter took 46 s (tiktoken's merge on one 4 MB piece is
    superlinear): the tokenizer now sees bounded slices and stops once an example is over the
    limit, and the rest of the line is estimated at the rate counted so far."""
    texts = _spy_on_the_tokenizer(monkeypatch)
    body = "a" * (dataset.MAX_LINE_BYTES - 200)
    data = jsonl([chat(body, "ok")] * 3 + [chat()])
    report = check_dataset(data)
    seen = [len(text) for text in texts]
    assert report.examples == 4 and report.format_errors == {}
    assert max(seen) <= 70_000  # no text reaches the tokenizer whole
    assert sum(seen) < 3 * 300_000  # per long line: about the token limit's worth, not 4 MB
    assert report.over_limit == 3
    # The default model's cap per example (gpt-4.1-mini: 65,536) truncates each long line.
    assert report.token_limit == 65_536
    assert report.billed_training_tokens == report.default_epochs * (
        3 * report.token_limit + cookbook_tokens(chat()["messages"])
    )
    exact_long = cookbook_tokens(chat(body, "ok")["messages"])
    assert report.tokens.max == pytest.approx(exact_long, rel=0.01)
    assert report.estimated_token_examples == 3
    assert any("estimated" in w for w in report.warnings)


def test_a_long_line_under_the_token_limit_is_counted_exactly() -> None:
    # 300 KB of text with many characters per token: over the long-line size, under the limit.
    spaces = ("word" + " " * 60) * 5_000
    row = chat(spaces, "ok")
    assert len(json.dumps(row)) > 256 * 1024
    report = check_dataset(jsonl([row]))
    assert report.tokens.total == cookbook_tokens(row["messages"])
    assert report.estimated_token_examples == 0


def _spy_on_the_tokenizer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the check hands to the tokenizer, in order."""
    from estimators.dataset import scan as dataset_scan

    seen: list[str] = []
    exact = dataset_scan.get_encoding

    def spy(name: str):  # type: ignore[no-untyped-def]
        encode = exact(name).encode_ordinary

        class Spy:
            def encode_ordinary(self, text: str) -> list[int]:
                seen.append(text)
                return encode(text)

        return Spy()

    monkeypatch.setattr(dataset_scan, "get_encoding", spy)
    return seen


def test_a_reply_that_recurs_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy_on_the_tokenizer(monkeypatch)
    rows = [chat(f"Where is order {i}?", "It ships today.") for i in range(5)]
    report = check_dataset(jsonl(rows))
    assert seen.count("It ships today.") == 1
    assert seen.count("Where is order 3?") == 1
    assert report.tokens.total == sum(cookbook_tokens(row["messages"]) for row in rows)


def test_the_text_cache_keeps_within_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Scan, "TEXT_CACHE_BYTES", 1_000)
    scan = Scan("o200k_base")
    for line_no, row in enumerate(varied(40), start=1):
        scan.line(line_no, json.dumps(row).encode())
        held = sum(sys.getsizeof(text) + 64 for text in scan.text_tokens)
        assert held == scan.text_cache_bytes <= 1_000
    assert scan.text_tokens  # emptied when full, then filled again


@pytest.mark.parametrize("cache_bytes", [0, 500, Scan.TEXT_CACHE_BYTES])
def test_the_report_is_the_same_whatever_the_text_cache_holds(
    cache_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Lines over the token limit share texts with short lines. Their texts are counted without
    # the cache: an estimate made past the limit is not kept for a short line, and a count kept
    # from a short line does not move the point where the long line's estimate starts.
    long_row = chat("Thanks!", "ok " * 100_000)
    long_row["messages"].append({"role": "user", "content": "When does it ship?"})
    long_row["messages"].append({"role": "assistant", "content": "Your order ships on Monday."})
    short_rows = [chat("Thanks!", "ok"), chat("When does it ship?", "Your order ships on Monday.")]
    data = jsonl([short_rows[0], long_row, long_row, *varied(30), short_rows[1]])
    expected = check_dataset(data)
    assert expected.estimated_token_examples == 2
    monkeypatch.setattr(Scan, "TEXT_CACHE_BYTES", cache_bytes)
    assert check_dataset(data) == expected


class _EndlessPipe(io.RawIOBase):
    """A pipe that never ends (not seekable, no size): `line` again and again."""

    def __init__(self, line: bytes) -> None:
        self.line = line

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = len(buffer)
        buffer[:n] = (self.line * (n // len(self.line) + 1))[:n]
        return n


@pytest.mark.parametrize("line", [jsonl([chat()]), b"a" * 1000], ids=["lines", "no-newline"])
def test_endless_input_of_unknown_size_stops_at_the_cap(
    line: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from estimators.dataset import lines as dataset_lines

    monkeypatch.setattr(dataset_lines, "MAX_STREAM_BYTES", 20_000_000)
    with pytest.raises(EstimatorError, match="more than 20,000,000 bytes from a pipe or device"):
        check_dataset(io.BufferedReader(_EndlessPipe(line)), name="standard input")


# --- encodings and odd files --------------------------------------------------------------------


def test_bom_crlf_and_blank_lines_give_the_same_counts_as_plain_lf() -> None:
    rows = [chat(), chat("Ça va ?", "Oui.")]
    plain = check_dataset(jsonl(rows))
    odd = check_dataset(b"\xef\xbb\xbf" + jsonl(rows, newline="\r\n") + b"\r\n\r\n")
    assert odd.format_errors == {}
    assert (odd.examples, odd.tokens, odd.blank_lines) == (2, plain.tokens, 2)


def test_a_last_line_without_newline_is_read() -> None:
    assert check_dataset(jsonl([chat()]) + json.dumps(chat()).encode()).examples == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\n\n  \r\n", "has only blank lines"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (gzip.compress(b'{"messages": []}\n'), "gzip-compressed"),
        ('{"messages": []}\n'.encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04rest-of-zip", "ZIP archive"),
        (b"caf\xe9\nna\xefve\n", "not UTF-8 text (line 1: byte 0xe9"),
    ],
)
def test_unreadable_input_raises_one_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(EstimatorError, match=message.replace("(", r"\(")):
        check_dataset(write(tmp_path, data))


def test_a_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(EstimatorError, match="no such file"):
        check_dataset(tmp_path / "absent.jsonl")


def test_a_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(EstimatorError, match="is a directory"):
        check_dataset(tmp_path)


def test_path_bytes_and_stream_give_the_same_report(tmp_path: Path) -> None:
    data = jsonl([chat(), chat("b", "c")])
    from_path = check_dataset(write(tmp_path, data))
    from_bytes = check_dataset(data)
    from_stream = check_dataset(io.BytesIO(data))
    assert from_path.tokens == from_bytes.tokens == from_stream.tokens
    assert from_path.examples == from_stream.examples == 2


def test_a_text_stream_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="binary"):
        check_dataset(io.StringIO("{}"))  # type: ignore[arg-type]


def test_progress_reaches_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dataset, "PROGRESS_EVERY_BYTES", 100)
    data = jsonl([chat() for _ in range(20)])
    calls: list[tuple[int, int | None]] = []
    check_dataset(data, on_progress=lambda done, total: calls.append((done, total)))
    assert len(calls) > 2
    assert calls[-1] == (len(data), len(data))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


# --- beyond the cookbook ------------------------------------------------------------------------


def test_exact_duplicates_name_the_earlier_line() -> None:
    rows = [chat("a", "b"), chat("c", "d"), chat("a", "b"), chat("a", "b")]
    quality = check_dataset(jsonl(rows)).quality
    assert quality.exact_duplicates == 2
    assert [(p.line, p.duplicate_of_line) for p in quality.duplicate_pairs] == [(3, 1), (4, 1)]


def test_near_duplicates_ignore_case_punctuation_spacing_and_system_prompt() -> None:
    rows = [
        chat("Where is my order?", "It shipped today."),
        chat("where is  my order", "It shipped today!", system="Another prompt."),
        chat("Where is my refund?", "It shipped today."),
    ]
    quality = check_dataset(jsonl(rows)).quality
    assert (quality.exact_duplicates, quality.near_duplicates) == (0, 1)


def test_missing_system_or_user_messages_are_counted() -> None:
    only_assistant = {"messages": [{"role": "assistant", "content": "Hi"}]}
    rows = [chat(), chat(system=None), only_assistant]
    report = check_dataset(jsonl(rows))
    assert (report.quality.missing_system, report.quality.missing_user) == (2, 1)
    assert any("without a user message: 1" in w for w in report.warnings)


def test_blank_assistant_replies_are_counted() -> None:
    report = check_dataset(jsonl([chat(reply="   "), chat()]))
    assert report.format_errors == {}  # the cookbook only rejects an empty string
    assert report.quality.empty_assistant_replies == 1


def test_a_reply_repeated_across_many_examples_is_reported() -> None:
    rows = [chat(f"question {i}", "Please contact support.") for i in range(10)]
    rows += [chat(f"other {i}", f"answer {i}") for i in range(10)]
    quality = check_dataset(jsonl(rows)).quality
    assert [(r.first_line, r.examples) for r in quality.repeated_replies] == [(1, 10)]
    assert quality.repeated_reply_examples == 10


def test_length_outliers_use_far_out_fences() -> None:
    rows = [chat(f"question number {i}", "a short answer") for i in range(30)]
    rows.append(chat("q", "long " * 500))
    outliers = check_dataset(jsonl(rows)).quality.length_outliers
    assert (outliers.long, outliers.short, outliers.lines) == (1, 0, [31])


def test_fewer_than_20_examples_flag_no_outliers() -> None:
    rows = [chat("q", "a")] * 10 + [chat("q", "long " * 500)]
    assert check_dataset(jsonl(rows)).quality.length_outliers.long == 0


def test_templated_replies_are_narrow() -> None:
    rows = [
        chat(f"Order {i}?", f"Your order {i} has shipped and arrives Monday.") for i in range(60)
    ]
    diversity = check_dataset(jsonl(rows)).diversity
    assert diversity.domain_breadth == "narrow"
    assert diversity.distinct_2 is not None and diversity.distinct_2 < 0.5


def test_unrelated_vocabularies_are_broad() -> None:
    diversity = check_dataset(jsonl(varied(80))).diversity
    assert diversity.domain_breadth == "broad"
    assert diversity.vocabulary_overlap is not None and diversity.vocabulary_overlap < 0.035
    assert diversity.confidence == "ok"


def test_a_handful_of_examples_is_too_few_to_judge() -> None:
    diversity = check_dataset(jsonl(varied(5))).diversity
    assert (diversity.domain_breadth, diversity.confidence) == ("mixed", "low")


def test_the_histogram_covers_every_example() -> None:
    rows = [chat("x " * n, "ok") for n in range(1, 50)]
    report = check_dataset(jsonl(rows))
    bins = report.token_histogram
    assert sum(b.examples for b in bins) == 49
    assert all(a.hi_tokens == b.lo_tokens for a, b in itertools.pairwise(bins))
    assert bins[0].lo_tokens == cookbook_tokens(rows[0]["messages"])
    assert bins[-1].hi_tokens > report.tokens.max


# --- report and scenario fields -----------------------------------------------------------------


def test_the_json_report_has_the_cli_contract_keys() -> None:
    data = json.loads(check_dataset(jsonl([chat()])).model_dump_json())
    for key in (
        "examples",
        "format_errors",
        "line_errors",
        "tokens",
        "over_limit",
        "default_epochs",
        "billed_training_tokens",
        "training_cost_usd",
    ):
        assert key in data
    assert set(data["tokens"]) >= {"total", "mean", "p50", "p90", "max"}


def test_scenario_fields_give_examples_mean_billed_tokens_and_breadth() -> None:
    long_row = chat("word " * 40_000, "ok")
    rows = [chat() for _ in range(39)] + [long_row]
    report = check_dataset(jsonl(rows), model="gpt-4.1-nano")
    fields = scenario_fields(report)
    # the long example is billed at gpt-4.1-nano's cap of 32,768 tokens
    assert cookbook_tokens(long_row["messages"]) > 32_768
    billed_mean = (39 * cookbook_tokens(chat()["messages"]) + 32_768) / 40
    assert fields == {
        "labelled_examples": 40,
        "tokens_per_example": round(billed_mean),
        "domain_breadth": report.diversity.domain_breadth,
    }
    Data(**fields)  # the scenario accepts them  # type: ignore[arg-type]


def test_scenario_fields_need_a_valid_example() -> None:
    report = check_dataset(b"{}\n")
    assert isinstance(report, DatasetReport) and report.examples == 0
    with pytest.raises(EstimatorError, match="no valid examples"):
        scenario_fields(report)


def test_one_far_outlier_gets_its_own_bin_instead_of_squashing_the_histogram() -> None:
    # 999 examples of 100..149 tokens and one of 60,000: the 99th percentile is 149, and
    # 60,000 > 2 × 149, so the equal-width bins stop at 149 and the outlier sits in a last bin.
    tokens = np.array([100 + i % 50 for i in range(999)] + [60_000])
    bins = dataset.token_histogram(tokens)
    assert bins[-1].examples == 1 and bins[-1].hi_tokens == 60_001
    # ceil(sqrt(1,000)) = 32 bins would do, but 149 − 100 + 1 = 50 counts and max 30 bins:
    # width ceil(50 / 30) = 2, so 30 bins of 2 tokens from 100 to 160 hold the other 999.
    assert len(bins) == 31 and bins[0].lo_tokens == 100 and bins[-2].hi_tokens == 160
    assert sum(b.examples for b in bins[:-1]) == 999
    assert max(b.examples for b in bins[:-1]) == 40  # 2 token counts × 20 examples each


def test_without_an_outlier_the_bins_span_the_whole_range() -> None:
    tokens = np.array([100 + i % 50 for i in range(1_000)])
    bins = dataset.token_histogram(tokens)
    assert sum(b.examples for b in bins) == 1_000 and bins[-1].hi_tokens > 149
