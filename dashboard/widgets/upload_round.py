"""An uploader's key that changes after each load, so the uploader comes back empty.

Streamlit keeps an uploaded file in the session for as long as its uploader keeps its key; a
new key (`{name}.upload.{round}`) drops the bytes once they have been read, and the round
counter (`{name}.upload_round`) is all that stays.
"""

from __future__ import annotations

import streamlit as st


class UploadRound:
    """The key of one uploader (`name`: "sidebar", "prices", "dataset") and its round."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.round_key = f"{name}.upload_round"

    def key(self) -> str:
        return f"{self.name}.upload.{st.session_state.get(self.round_key, 0)}"

    def next(self) -> None:
        """Move to a fresh, empty uploader."""
        st.session_state[self.round_key] = st.session_state.get(self.round_key, 0) + 1
