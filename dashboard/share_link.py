"""The share-link codec: a scenario as compact JSON → zlib → base64url, and back, validated.

Pure: no Streamlit, so it is tested on its own. On the way in the size is capped before and after
decompression (a crafted link cannot inflate into a zip bomb) and the JSON is validated like any
upload. On the way out the system prompt's *text* is left out unless the caller asks for it (the
address bar never carries it; the share popover includes it only when the user ticks it), and
also when it is too long for a link; its token count always stays, so the figures are the same.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass

from estimators.errors import EstimatorError
from estimators.scenario import Scenario, ScenarioError, parse_scenario_json

SHARE_PARAM = "s"
MAX_LINK_CHARS = 16_000
MAX_LINK_JSON_BYTES = 256_000  # decompressed cap: a crafted link cannot inflate into a zip bomb

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class ShareLinkError(EstimatorError):
    """A share link that cannot be read; the message says why in the user's terms."""


@dataclass(frozen=True)
class ShareLink:
    token: str
    # The scenario has system-prompt text, and the link carries it.
    prompt_included: bool = False
    # The text was asked for but is too long for a link (its token count is kept).
    dropped_system_prompt: bool = False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_share(scenario: Scenario, include_prompt: bool = False) -> ShareLink:
    """The scenario as a URL-safe token. The system prompt's text goes in only with
    `include_prompt` and when it fits a link; otherwise only its token count does (the figures
    are the same either way)."""
    text = scenario.traffic.system_prompt
    if text is None:
        return ShareLink(_pack(scenario))
    if include_prompt:
        token = _pack(scenario)
        if len(token) <= MAX_LINK_CHARS:
            return ShareLink(token, prompt_included=True)
    slim = scenario.model_copy(
        update={"traffic": scenario.traffic.model_copy(update={"system_prompt": None})}
    )
    return ShareLink(_pack(slim), dropped_system_prompt=include_prompt)


def _pack(scenario: Scenario) -> str:
    return _b64(zlib.compress(scenario.model_dump_json().encode("utf-8"), 9))


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
