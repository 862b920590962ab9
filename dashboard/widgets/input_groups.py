"""Describe's inputs in groups, each drawn only while it is open (issue 17).

Every input drawn makes Streamlit scan the whole session state once (`number_input` and
`selectbox` read `filtered_state`), so a rerun with all ~45 inputs on the page cost about twice
the server CPU of one with a single group open. A closed group draws nothing; its fields keep
the values of the scenario in force, and its inputs are seeded from it again when it opens.
Which groups are open is remembered under OPEN_KEY, so it survives a visit to another page
(Streamlit forgets a widget's own state when the widget is not drawn).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import streamlit as st

from estimators.scenario import Scenario

OPEN_KEY = "describe.open_groups"
# Traffic sets the volume and the tokens of every query, the inputs most totals turn on.
DEFAULT_OPEN = ("traffic",)


@dataclass(frozen=True)
class Group:
    """A group of inputs: its title, the scenario fields it draws, and how to draw them."""

    name: str
    title: str
    icon: str
    paths: tuple[str, ...]  # field paths, or dotted prefixes of them
    show: Callable[[Scenario], None]

    @property
    def key(self) -> str:
        """The expander's widget key."""
        return f"describe.group.{self.name}"

    def owns(self, path: str) -> bool:
        """Whether the field at `path` is one of this group's inputs."""
        return any(path == mine or path.startswith(f"{mine}.") for mine in self.paths)


def open_groups() -> set[str]:
    """Names of the groups open in this session."""
    return set(st.session_state.get(OPEN_KEY, DEFAULT_OPEN))


def _remember(group: Group) -> None:
    """Expander callback: record the group's new state where a page switch cannot clear it."""
    opened = open_groups()
    if st.session_state[group.key]:
        opened.add(group.name)
    else:
        opened.discard(group.name)
    st.session_state[OPEN_KEY] = sorted(opened)


def draw(group: Group, scenario: Scenario, errors: Collection[str]) -> None:
    """The group as an expander whose inputs run only while it is open. A group holding an input
    that was not applied is kept open, so its message and the rejected value stay in view."""
    opened = open_groups()
    if any(group.owns(path) for path in errors) and group.name not in opened:
        opened.add(group.name)
        st.session_state[OPEN_KEY] = sorted(opened)
    st.session_state[group.key] = group.name in opened
    box = st.expander(
        group.title, key=group.key, icon=group.icon, on_change=_remember, args=(group,)
    )
    with box:
        if box.open:
            group.show(scenario)
