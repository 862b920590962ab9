"""finetune-or-not: the router. Page config, the sidebar, then one page from dashboard/views.

Run with `streamlit run streamlit_app.py` (or `make run`); it opens on the default example.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.widgets import sidebar

st.set_page_config(
    page_title="finetune-or-not",
    page_icon=":material/balance:",
    layout="wide",
    # "auto": collapsed on a phone, open on a desktop.
    initial_sidebar_state="auto",
    menu_items={"About": "Prompting, DSPy, RAG or fine-tuning? Costs, break-even and risks."},
)

state.init()
sidebar.show()

page = st.navigation(
    [
        st.Page("dashboard/views/describe.py", title="Describe", icon=":material/edit_note:"),
        st.Page(
            "dashboard/views/compare.py",
            title="Compare",
            icon=":material/leaderboard:",
            default=True,
        ),
        st.Page("dashboard/views/risks.py", title="Risks", icon=":material/warning:"),
        st.Page("dashboard/views/dataset.py", title="Dataset", icon=":material/dataset:"),
        st.Page("dashboard/views/learn.py", title="Learn", icon=":material/school:"),
        st.Page("dashboard/views/export.py", title="Export", icon=":material/download:"),
    ],
    position="top",
)

for kind, text in state.pop_notices():  # one-shot messages; user text in them is escaped
    getattr(st, kind)(text)

page.run()
