"""Example scenarios shipped in `presets/scenarios/`: each a realistic story, loadable by id."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from estimators.errors import UnknownIdError
from estimators.scenario import Scenario

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "presets" / "scenarios"
DEFAULT_PRESET = "support-chatbot"


class Preset(BaseModel):
    """A scenario with the story that motivates it and a note on how its figures compare."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    title: str
    story: str
    note: str
    scenario: Scenario


@cache
def presets() -> dict[str, Preset]:
    """All presets by id (the file name), default first."""
    found = {}
    for path in sorted(SCENARIOS_DIR.glob("*.json")):
        preset = Preset.model_validate_json(path.read_bytes())
        found[path.stem] = preset.model_copy(update={"id": path.stem})
    default = found.pop(DEFAULT_PRESET)
    return {DEFAULT_PRESET: default, **found}


def get_preset(preset_id: str) -> Preset:
    """A preset by id; an unknown id lists the known ones."""
    table = presets()
    if preset_id not in table:
        raise UnknownIdError("preset", preset_id, list(table))
    return table[preset_id]
