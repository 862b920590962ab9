"""The scenario in force for one session, its one-shot notices, and the address bar's link.

Session state holds the last *valid* scenario as canonical JSON (`SCENARIO_KEY`): a string is
pickle-safe, is the cache key for the engine and round-trips exactly. Inputs on the Describe page
live under keys `in<revision>:<field path>` (`dashboard/inputs.py` commits them). Loading a
scenario from outside the inputs (preset, file, link, dataset figures) bumps the revision, so the
inputs re-seed from the new scenario.

The address bar always holds the scenario as a share link (`dashboard/share_link.py`, pure),
without the system prompt's text (its token count only): the text leaves the session only in a
link the user asks for in the share popover.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from dashboard.format import md
from dashboard.share_link import SHARE_PARAM, ShareLink, decode_share, encode_share
from estimators.errors import EstimatorError
from estimators.presets import DEFAULT_PRESET, get_preset, presets
from estimators.scenario import (
    Scenario,
    ScenarioError,
    parse_scenario,
    parse_scenario_file,
    parse_scenario_json,
    set_field,
)

SCENARIO_KEY = "scenario.json"
REVISION_KEY = "scenario.revision"
ORIGIN_KEY = "scenario.origin"
ERRORS_KEY = "scenario.errors"
NOTICES_KEY = "scenario.notices"
PREVIOUS_KEY = "scenario.previous"  # the scenario before the last change: "Undo last change"
INPUT_PREFIX = "in"
# A URL beyond ~16k characters is cut by some proxies and chat apps; a scenario without a long
# system prompt compresses to under 1k.
MAX_SCENARIO_FILE_BYTES = 1_000_000
# "assumptions.rag.top_k: expected ..." — the engine names the field at the start of its message.


NoticeKind = Literal["info", "success", "warning", "error"]


# --- the scenario in force ------------------------------------------------------------------------


def init() -> None:
    """Load the session's first scenario: the share link in the URL if valid, else the default."""
    if SCENARIO_KEY in st.session_state:
        return
    st.session_state[REVISION_KEY] = 0
    st.session_state[ERRORS_KEY] = {}
    st.session_state[NOTICES_KEY] = []
    token = st.query_params.get(SHARE_PARAM)
    if token:
        try:
            replace(decode_share(token), origin="link")
            return
        except EstimatorError as error:
            default = get_preset(DEFAULT_PRESET)
            notify(
                "warning",
                f"This share link could not be opened: {md(str(error))} "
                f"Showing the “{default.title}” example instead.",
            )
    load_preset(DEFAULT_PRESET)


def current() -> Scenario:
    """The last valid scenario (validated again: the session value is plain JSON text)."""
    return parse_scenario_json(current_json())


def current_json() -> str:
    """Canonical compact JSON of the scenario in force: the engine cache's key."""
    return st.session_state[SCENARIO_KEY]


def put(scenario: Scenario) -> None:
    """Put a validated scenario in force, keeping the one it replaces for `undo`."""
    text = scenario.model_dump_json()
    if text != st.session_state.get(SCENARIO_KEY):
        st.session_state[PREVIOUS_KEY] = st.session_state.get(SCENARIO_KEY)
        st.session_state[SCENARIO_KEY] = text


def can_undo() -> bool:
    return bool(st.session_state.get(PREVIOUS_KEY))


def undo() -> None:
    """Widget callback: bring back the scenario in force before the last change."""
    previous = st.session_state.get(PREVIOUS_KEY)
    if previous:
        replace(parse_scenario_json(previous), origin=origin())
        st.session_state[PREVIOUS_KEY] = None
        notify("info", "The last change was undone.")


def revision() -> int:
    return st.session_state.get(REVISION_KEY, 0)


def origin() -> str:
    """Where the scenario came from: 'preset:<id>', 'file:<name>', 'link' or 'dataset'."""
    return st.session_state.get(ORIGIN_KEY, "")


def replace(scenario: Scenario, origin: str) -> None:
    """Put a whole new scenario in force and re-seed every input from it."""
    old_prefix = input_prefix()
    for key in [k for k in st.session_state if str(k).startswith(old_prefix)]:
        del st.session_state[key]
    put(scenario)
    st.session_state[REVISION_KEY] = revision() + 1
    st.session_state[ORIGIN_KEY] = origin
    st.session_state[ERRORS_KEY] = {}


def load_preset(preset_id: str) -> None:
    replace(get_preset(preset_id).scenario, origin=f"preset:{preset_id}")


def load_file(name: str, data: bytes) -> None:
    """Load an uploaded scenario file; raises ScenarioError (naming the field) when invalid."""
    if len(data) > MAX_SCENARIO_FILE_BYTES:
        raise ScenarioError(
            [
                (
                    "",
                    f"{name} is {len(data):,} bytes; a scenario file is at most "
                    f"{MAX_SCENARIO_FILE_BYTES:,} bytes",
                )
            ]
        )
    scenario = parse_scenario_file(data)  # a scenario, or a preset file's scenario
    replace(scenario, origin=f"file:{name}")


def update(changes: dict[str, object], new_origin: str | None = None) -> None:
    """Apply field changes (by dotted path) to the scenario in force; raises ScenarioError.

    With `new_origin` the Describe inputs re-seed (the change touches fields they show).
    """
    data = current().model_dump(mode="json")
    for path, value in changes.items():
        set_field(data, path, value)
    scenario = parse_scenario(data)
    if new_origin is not None:
        replace(scenario, origin=new_origin)
    else:
        put(scenario)


def input_prefix() -> str:
    """The key prefix of the Describe inputs at this revision."""
    return f"{INPUT_PREFIX}{revision()}:"


def preset_id_in_force() -> str | None:
    """The preset the scenario came from, if it came from one."""
    kind, _, name = origin().partition(":")
    return name if kind == "preset" and name in presets() else None


# --- notices: one-shot messages shown at the top of the next page ------------------------------


def notify(kind: NoticeKind, text: str) -> None:
    """Queue a message for the top of the next page; `text` is Markdown, user parts escaped."""
    st.session_state.setdefault(NOTICES_KEY, []).append((kind, text))


def pop_notices() -> list[tuple[NoticeKind, str]]:
    notices = list(st.session_state.get(NOTICES_KEY, []))
    st.session_state[NOTICES_KEY] = []
    return notices


# --- the address bar ---------------------------------------------------------------------------


def share_url(link: ShareLink) -> str:
    """An absolute link when the browser told us the app's URL, else a relative one."""
    base = st.context.url or ""
    return f"{base}?{SHARE_PARAM}={link.token}"


@st.cache_data(max_entries=256, show_spinner=False)
def share_link_for(scenario_json: str, include_prompt: bool = False) -> ShareLink:
    """The share link of a scenario given as its canonical JSON, encoded once per scenario
    (parsing and level-9 compression of a long prompt take tens of milliseconds)."""
    return encode_share(parse_scenario_json(scenario_json), include_prompt=include_prompt)


def sync_url() -> ShareLink:
    """Keep `?s=` equal to the scenario in force, so the address bar is always a share link;
    it carries the system prompt's token count, never its text."""
    link = share_link_for(current_json())
    if st.query_params.get(SHARE_PARAM) != link.token:
        st.query_params[SHARE_PARAM] = link.token
    return link
