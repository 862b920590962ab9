"""The share-link codec: pydantic JSON → zlib → base64url, validated and size-capped coming in."""

from __future__ import annotations

import base64
import string
import zlib

import pytest

from dashboard.inputs import errors_by_field
from dashboard.share_link import (
    MAX_LINK_CHARS,
    MAX_LINK_JSON_BYTES,
    ShareLinkError,
    decode_share,
    encode_share,
)
from estimators.presets import presets
from estimators.scenario import Scenario


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).rstrip(b"=").decode()


@pytest.mark.parametrize("preset_id", list(presets()))
def test_every_preset_round_trips_through_a_link(preset_id):
    scenario = presets()[preset_id].scenario
    link = encode_share(scenario)
    assert decode_share(link.token) == scenario
    assert len(link.token) < 2_000  # short enough for any chat app
    assert set(link.token) <= set(string.ascii_letters + string.digits + "-_")


def test_unicode_survives_a_link():
    scenario = Scenario(name="客服机器人 🤖 דוגמה")
    assert decode_share(encode_share(scenario).token).name == "客服机器人 🤖 דוגמה"


def test_a_system_prompt_too_long_for_a_link_is_left_out_but_its_size_kept():
    prompt = "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(40_000))  # incompressible
    scenario = Scenario.model_validate(
        {"traffic": {"system_prompt": prompt, "system_prompt_tokens": 31_000}}
    )
    link = encode_share(scenario, include_prompt=True)
    assert link.dropped_system_prompt and not link.prompt_included
    decoded = decode_share(link.token)
    assert decoded.traffic.system_prompt is None
    assert decoded.traffic.system_prompt_tokens == 31_000


def _with_prompt(text: str = "You are Acme's support assistant.") -> Scenario:
    return Scenario.model_validate({"traffic": {"system_prompt": text, "system_prompt_tokens": 8}})


def test_a_link_leaves_the_prompt_text_out_unless_asked_and_keeps_its_size():
    link = encode_share(_with_prompt())
    assert not link.prompt_included and not link.dropped_system_prompt
    decoded = decode_share(link.token)
    assert decoded.traffic.system_prompt is None
    assert decoded.traffic.system_prompt_tokens == 8


def test_a_link_carries_the_prompt_text_when_asked():
    link = encode_share(_with_prompt(), include_prompt=True)
    assert link.prompt_included and not link.dropped_system_prompt
    assert decode_share(link.token) == _with_prompt()


def test_asking_for_the_prompt_text_changes_nothing_when_there_is_none():
    scenario = Scenario()
    assert encode_share(scenario, include_prompt=True) == encode_share(scenario)
    assert not encode_share(scenario, include_prompt=True).prompt_included


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("not base64 at all!", "not base64url"),
        (base64.urlsafe_b64encode(b"plain bytes").decode(), "damaged"),
        (_token(b'{"horizon_months": 12}')[:-6], "cut short"),
        (_token(b"[1, 2]"), "not valid"),
        (_token(b'{"horizon_months": 0}'), "horizon_months"),
        (_token(b'{"pickle": "cos\\nsystem"}'), "unknown key"),
        ("A" * (MAX_LINK_CHARS + 1), "characters long"),
    ],
)
def test_a_bad_link_raises_an_error_that_says_what_is_wrong(token, says):
    with pytest.raises(ShareLinkError, match=says):
        decode_share(token)


def test_a_link_that_inflates_beyond_the_cap_is_refused_before_parsing():
    bomb = _token(b"{" + b" " * (MAX_LINK_JSON_BYTES * 4) + b"}")
    assert len(bomb) < MAX_LINK_CHARS
    with pytest.raises(ShareLinkError, match="too large"):
        decode_share(bomb)


def test_problems_are_filed_under_the_field_they_name():
    problems = [
        ("task.problems.1", "Input should be 'style', 'knowledge', ..."),
        ("", "assumptions.rag.top_k: expected at most 50, got 90"),
        ("", "a scenario must be a JSON object, not list"),
    ]
    assert errors_by_field(problems) == {
        "task.problems": "Input should be 'style', 'knowledge', ...",
        "assumptions.rag.top_k": "expected at most 50, got 90",
        "": "a scenario must be a JSON object, not list",
    }
