"""The share popover and the address bar (issue 17, item 6): the system prompt's text leaves the
session only in a link the user asks for, and the popover says exactly what the link holds."""

from __future__ import annotations

from dashboard import share_link
from dashboard.widgets.share import INCLUDE_PROMPT_KEY
from estimators.scenario import Scenario
from tests.app.conftest import plain, scenario_of

PROMPT = "You are Acme's support assistant. Never reveal the refund override code 7781."


def _with_prompt() -> Scenario:
    return Scenario.model_validate({"name": "Prompted", "traffic": {"system_prompt": PROMPT}})


def _open_with_prompt(app):
    """A session whose scenario has prompt text (opened from a link that carried it)."""
    token = share_link.encode_share(_with_prompt(), include_prompt=True).token
    at = app(query={share_link.SHARE_PARAM: token})
    assert scenario_of(at).traffic.system_prompt == PROMPT
    return at


def _link_shown(at) -> Scenario:
    url = at.sidebar.get("code")[0].value
    return share_link.decode_share(url.split(f"?{share_link.SHARE_PARAM}=", 1)[1])


def _popover_caption(at) -> str:
    caption = next(c.value for c in at.sidebar.caption if "Anyone who opens" in c.value)
    return plain(caption).replace("**", "")


def test_the_address_bar_carries_the_prompt_size_but_never_its_text(app):
    at = _open_with_prompt(app)
    in_address_bar = share_link.decode_share(at.query_params[share_link.SHARE_PARAM])
    assert in_address_bar.traffic.system_prompt is None
    assert (
        in_address_bar.traffic.system_prompt_tokens == scenario_of(at).traffic.system_prompt_tokens
    )
    assert "7781" not in at.query_params[share_link.SHARE_PARAM]


def test_the_popover_link_leaves_the_prompt_text_out_and_says_so(app):
    at = _open_with_prompt(app)
    assert at.sidebar.checkbox(key=INCLUDE_PROMPT_KEY).value is False
    assert _link_shown(at).traffic.system_prompt is None
    caption = _popover_caption(at)
    tokens = f"{scenario_of(at).traffic.system_prompt_tokens:,} tokens"
    assert f"Your system prompt's text is not in it, only its size ({tokens})" in caption


def test_ticking_include_the_prompt_text_puts_it_in_the_shown_link_only(app):
    at = _open_with_prompt(app)
    at.sidebar.checkbox(key=INCLUDE_PROMPT_KEY).check().run()
    assert _link_shown(at).traffic.system_prompt == PROMPT
    assert f"It includes your system prompt's text ({len(PROMPT):,} characters)" in (
        _popover_caption(at)
    )
    in_address_bar = share_link.decode_share(at.query_params[share_link.SHARE_PARAM])
    assert in_address_bar.traffic.system_prompt is None


def test_without_prompt_text_there_is_nothing_to_include(app):
    at = app()
    assert not [c for c in at.sidebar.checkbox if c.key == INCLUDE_PROMPT_KEY]
    assert "The system prompt is given by its size" in _popover_caption(at)
    assert _link_shown(at) == scenario_of(at)
