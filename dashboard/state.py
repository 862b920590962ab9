"""The scenario in force for one session, and the share-link codec.

Session state holds the last *valid* scenario as canonical JSON (`SCENARIO_KEY`): a string is
pickle-safe, is the cache key for the engine and round-trips exactly. Inputs on the Describe page
live under keys `in<revision>:<field path>`; every change re-validates the whole scenario from
them (`commit`), and only a scenario that validates replaces the one in force. Problems are kept by
field path so each widget can show its own. Loading a scenario from outside the inputs (preset,
file, link, dataset figures) bumps the revision, so the inputs re-seed from the new scenario.

Share links carry the scenario as compact pydantic JSON → zlib → base64url in `?s=`; on the way in
the size is capped before and after decompression and the JSON is validated like any upload.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from dashboard.format import md
from estimators.errors import EstimatorError
from estimators.presets import DEFAULT_PRESET, get_preset, presets
from estimators.scenario import (
    Scenario,
    ScenarioError,
    parse_scenario,
    parse_scenario_file,
    parse_scenario_json,
)

SCENARIO_KEY = "scenario.json"
REVISION_KEY = "scenario.revision"
ORIGIN_KEY = "scenario.origin"
ERRORS_KEY = "scenario.errors"
NOTICES_KEY = "scenario.notices"
SHARE_PARAM = "s"
INPUT_PREFIX = "in"
# A URL beyond ~16k characters is cut by some proxies and chat apps; a scenario without a long
# system prompt compresses to under 1k.
MAX_LINK_CHARS = 16_000
MAX_LINK_JSON_BYTES = 256_000  # decompressed cap: a crafted link cannot inflate into a zip bomb
MAX_SCENARIO_FILE_BYTES = 1_000_000
# "assumptions.rag.top_k: expected ..." — the engine names the field at the start of its message.
_FIELD_IN_MESSAGE = re.compile(r"^((?:[a-z_]+)(?:\.[A-Za-z0-9_]+)+): (.+)$", re.DOTALL)

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")

NoticeKind = Literal["info", "success", "warning", "error"]


class ShareLinkError(EstimatorError):
    """A share link that cannot be read; the message says why in the user's terms."""


@dataclass(frozen=True)
class ShareLink:
    token: str
    dropped_system_prompt: bool


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


def revision() -> int:
    return st.session_state.get(REVISION_KEY, 0)


def origin() -> str:
    """Where the scenario came from: 'preset:<id>', 'file:<name>', 'link' or 'dataset'."""
    return st.session_state.get(ORIGIN_KEY, "")


def replace(scenario: Scenario, origin: str) -> None:
    """Put a whole new scenario in force and re-seed every input from it."""
    old_prefix = _prefix()
    for key in [k for k in st.session_state if str(k).startswith(old_prefix)]:
        del st.session_state[key]
    st.session_state[SCENARIO_KEY] = scenario.model_dump_json()
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
        _set_path(data, path, value)
    scenario = parse_scenario(data)
    if new_origin is not None:
        replace(scenario, origin=new_origin)
    else:
        st.session_state[SCENARIO_KEY] = scenario.model_dump_json()


def preset_id_in_force() -> str | None:
    """The preset the scenario came from, if it came from one."""
    kind, _, name = origin().partition(":")
    return name if kind == "preset" and name in presets() else None


# --- inputs: seeding, commit, errors by field ----------------------------------------------------


def _prefix() -> str:
    return f"{INPUT_PREFIX}{revision()}:"


def input_key(path: str) -> str:
    """The session-state key of the input for a scenario field at this revision."""
    return f"{_prefix()}{path}"


def editor_key(name: str) -> str:
    """A key for a table editor's own edit state: outside the `in` prefix, never committed."""
    return f"ed{revision()}:{name}"


def seed(path: str, value: object) -> str:
    """Initialise an input once per revision; returns its key (the widget's `key=`)."""
    key = input_key(path)
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def commit() -> None:
    """Widget callback: rebuild the scenario from every input; keep it only if it validates."""
    data = current().model_dump(mode="json")
    prefix = _prefix()
    for key in list(st.session_state):
        if str(key).startswith(prefix):
            _set_path(data, str(key)[len(prefix) :], st.session_state[key])
    missing = _empty_numbers(data)
    try:
        if missing:
            raise ScenarioError([(path, "enter a number") for path in missing])
        counted = _count_system_prompt(data)
        scenario = parse_scenario(data)
    except ScenarioError as error:
        st.session_state[ERRORS_KEY] = errors_by_field(error.problems)
        return
    except EstimatorError as error:
        st.session_state[ERRORS_KEY] = {"traffic.system_prompt": str(error)}
        return
    st.session_state[SCENARIO_KEY] = scenario.model_dump_json()
    st.session_state[ERRORS_KEY] = {}
    if counted is not None:
        st.session_state[input_key("traffic.system_prompt_tokens")] = counted


_NULLABLE = {"fine_tuning.epochs", "fine_tuning.learning_rate_multiplier"}


def _empty_numbers(data: dict[str, object], parent: str = "") -> list[str]:
    """Fields whose input was cleared: None where the scenario needs a number."""
    empty = []
    for name, value in data.items():
        path = f"{parent}{name}"
        if isinstance(value, dict) and name != "assumptions":
            empty += _empty_numbers(value, f"{path}.")
        elif value is None and path not in _NULLABLE and path != "traffic.system_prompt":
            empty.append(path)
    return empty


def _count_system_prompt(data: dict[str, object]) -> int | None:
    """Prompt text in the scenario sets its token count (the general model's tokenizer)."""
    from dashboard.engine import token_count

    traffic = data["traffic"]
    assert isinstance(traffic, dict)
    text = traffic.get("system_prompt")
    if not isinstance(text, str) or not text.strip():
        traffic["system_prompt"] = None
        return None
    models = data["models"]
    assert isinstance(models, dict)
    counted, _ = token_count(str(text), str(models["general"]))
    traffic["system_prompt_tokens"] = counted
    return counted


def errors() -> dict[str, str]:
    """Problems of inputs not applied, by field path ('' for the scenario as a whole)."""
    return st.session_state.get(ERRORS_KEY, {})


def errors_by_field(problems: list[tuple[str, str]]) -> dict[str, str]:
    """Map (path, message) problems to input fields: list indices dropped, and a field named at
    the start of a whole-scenario message (the engine's cross-field checks) taken as its path."""
    found: dict[str, str] = {}
    for path, message in problems:
        if not path:
            match = _FIELD_IN_MESSAGE.match(message)
            if match:
                path, message = match.group(1), match.group(2)
        field = ".".join(part for part in path.split(".") if not part.isdigit())
        found[field] = f"{found[field]}; {message}" if field in found else message
    return found


def _set_path(data: dict[str, object], path: str, value: object) -> None:
    """Set a dotted path; `assumptions` is a flat map whose own keys contain dots."""
    head, _, rest = path.partition(".")
    if not rest or head == "assumptions":
        if rest:
            overrides = data.setdefault("assumptions", {})
            assert isinstance(overrides, dict)
            overrides[rest] = value
        else:
            data[head] = value
        return
    child = data.setdefault(head, {})
    assert isinstance(child, dict)
    _set_path(child, rest, value)


# --- notices: one-shot messages shown at the top of the next page ------------------------------


def notify(kind: NoticeKind, text: str) -> None:
    """Queue a message for the top of the next page; `text` is Markdown, user parts escaped."""
    st.session_state.setdefault(NOTICES_KEY, []).append((kind, text))


def pop_notices() -> list[tuple[NoticeKind, str]]:
    notices = list(st.session_state.get(NOTICES_KEY, []))
    st.session_state[NOTICES_KEY] = []
    return notices


# --- share links ---------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_share(scenario: Scenario) -> ShareLink:
    """The scenario as a URL-safe token; a system prompt too long for a link is left out (its
    token count stays, so the figures are the same)."""
    token = _b64(zlib.compress(scenario.model_dump_json().encode("utf-8"), 9))
    if len(token) <= MAX_LINK_CHARS or scenario.traffic.system_prompt is None:
        return ShareLink(token, dropped_system_prompt=False)
    slim = scenario.model_copy(
        update={"traffic": scenario.traffic.model_copy(update={"system_prompt": None})}
    )
    return ShareLink(_b64(zlib.compress(slim.model_dump_json().encode("utf-8"), 9)), True)


def decode_share(token: str) -> Scenario:
    """Validate a share token into a Scenario; raises ShareLinkError saying what is wrong."""
    if len(token) > MAX_LINK_CHARS:
        raise ShareLinkError(
            f"the link is {len(token):,} characters long, more than a scenario link can be "
            f"({MAX_LINK_CHARS:,})."
        )
    try:
        if not _BASE64URL.fullmatch(token):
            raise ValueError("characters outside the base64url alphabet")
        bare = token.rstrip("=")
        packed = base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        raise ShareLinkError(
            "it is not a finetune-or-not scenario link (the ?s= value is not base64url text)."
        ) from None
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(packed, MAX_LINK_JSON_BYTES)
    except zlib.error:
        raise ShareLinkError(
            "the link is damaged (its data does not decompress); was it cut short when copied?"
        ) from None
    if inflater.unconsumed_tail:
        raise ShareLinkError(
            f"its scenario is larger than {MAX_LINK_JSON_BYTES:,} bytes, too large for a link."
        )
    if not inflater.eof:
        raise ShareLinkError("the link is incomplete; was it cut short when copied?")
    try:
        return parse_scenario_json(text)
    except ScenarioError as error:
        raise ShareLinkError(f"the scenario in it is not valid ({error}).") from None


def share_url(link: ShareLink) -> str:
    """An absolute link when the browser told us the app's URL, else a relative one."""
    base = st.context.url or ""
    return f"{base}?{SHARE_PARAM}={link.token}"


def sync_url() -> ShareLink:
    """Keep `?s=` equal to the scenario in force, so the address bar is always a share link."""
    link = encode_share(current())
    if st.query_params.get(SHARE_PARAM) != link.token:
        st.query_params[SHARE_PARAM] = link.token
    return link
