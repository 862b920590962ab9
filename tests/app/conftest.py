"""AppTest helpers: the whole app (router, sidebar, page) driven without a browser."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from dashboard.widgets.input_groups import OPEN_KEY
from estimators.scenario import Scenario, parse_scenario_json

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"
# The first run imports pandas, Altair and the engine; later runs take milliseconds.
TIMEOUT_S = 30


def page_path(name: str) -> str:
    return f"dashboard/views/{name}.py"


@pytest.fixture
def app() -> Callable[..., AppTest]:
    """Start the app on a page: `app("describe")`, optionally with query parameters."""

    def start(page: str = "compare", query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page != "compare":
            at.switch_page(page_path(page)).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start


def scenario_of(at: AppTest) -> Scenario:
    """The scenario in force in the simulated session."""
    return parse_scenario_json(at.session_state[state.SCENARIO_KEY])


def open_groups(at: AppTest, *names: str) -> AppTest:
    """Open exactly these Describe input groups (`"traffic"`, `"team"`, …) and rerun: the state
    the group expanders' callback keeps."""
    at.session_state[OPEN_KEY] = sorted(names)
    return at.run()


def input_paths(at: AppTest) -> set[str]:
    """The scenario fields whose Describe inputs the last run drew (their keys at this revision)."""
    prefix = input_key(at, "")
    return {
        str(key)[len(prefix) :]
        for key in at.session_state._state.filtered_state
        if str(key).startswith(prefix)
    }


def input_key(at: AppTest, path: str) -> str:
    """The Describe input's widget key for a scenario field at the session's revision."""
    return f"{state.INPUT_PREFIX}{at.session_state[state.REVISION_KEY]}:{path}"


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _markdown_table(source: str) -> pd.DataFrame | None:
    """A Markdown table (as `dashboard.format.table` writes it) as a frame of plain text."""
    lines = [line.strip() for line in source.splitlines() if line.strip().startswith("|")]
    if len(lines) < 2 or set(lines[1]) > set("|- :"):
        return None
    rows = [[plain(cell.strip()) for cell in _CELL_SPLIT.split(line)[1:-1]] for line in lines]
    return pd.DataFrame(rows[2:], columns=rows[0])


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table on the page, `st.table` or Markdown, as displayed (formatted text)."""
    found = [t.value for t in at.table]
    found += [t for m in at.markdown if (t := _markdown_table(str(m.value))) is not None]
    return found


def cost_table(at: AppTest) -> pd.DataFrame:
    """The Compare page's table of costs per approach, as displayed (formatted text)."""
    return next(t for t in tables(at) if "Per query" in t.columns)


def totals_shown(at: AppTest) -> dict[str, str]:
    """Approach name (without the ★ mark) → total over the horizon as displayed."""
    table = cost_table(at)
    total_column = next(c for c in table.columns if str(c).startswith("Total"))
    return {
        str(name).removesuffix(" ★"): str(total)
        for name, total in zip(table["Approach"], table[total_column], strict=True)
        if total != "—"  # an approach that cannot run
    }


def dollars(text: str) -> float:
    """'$13,416' → 13416.0"""
    return float(text.replace("$", "").replace(",", ""))


def plain(markdown: str) -> str:
    """Markdown source as read: backslash escapes and md()'s invisible link breakers (U+2060)
    removed, since user text is escaped on the page."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def alerts(at: AppTest, kind: str) -> list[str]:
    """The plain text of every st.error / warning / info / success on the page."""
    return [plain(str(a.value)) for a in at.get(kind)]


def texts(at: AppTest) -> str:
    """Every Markdown, caption, alert and metric text on the page, for substring checks."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [a.value for kind in ("error", "warning", "info", "success") for a in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return plain("\n".join(str(p) for p in parts))


def dump(scenario: Scenario) -> str:
    return json.dumps(scenario.model_dump(mode="json"))
