"""A Streamlit session driven over its own WebSocket protocol, with no browser attached.

Ten Chromium tabs on the same two cores as the server measure mostly Chromium (a Describe rerun
costs a tab ~250 ms of rendering, more than the server's whole run); real users render on
their own machines. This client speaks what the browser speaks (`BackMsg.rerun_script` with
widget states in, `ForwardMsg` deltas out, both Streamlit's own protobufs) so a benchmark sees
what one server does for many users: every script run, its post-run GC, and the GIL they share.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

NUMBER_INPUT_INT = 0  # NumberInput.DataType.INT


@dataclass
class Run:
    """What one script run sent: its metric values, and when the last of them and the end of
    the run arrived [s after the request]."""

    metrics: list[str] = field(default_factory=list)
    metrics_s: float = 0.0
    finished_s: float = 0.0


@dataclass
class ProtocolSession:
    """One user's session: `await open()`, then `await change(label, value)` as often as
    needed, then `await close()`."""

    base: str
    page_name: str = ""
    query_string: str = ""
    widgets: dict[str, tuple[str, int]] = field(default_factory=dict)  # label → (id, type)
    _socket: websockets.ClientConnection | None = None

    async def open(self, timeout_s: float = 120) -> Run:
        parts = urlsplit(self.base)
        self._socket = await websockets.connect(
            f"ws://{parts.netloc}/_stcore/stream",
            subprotocols=["streamlit"],
            origin=self.base,
            max_size=None,
        )
        return await asyncio.wait_for(self._rerun([]), timeout_s)

    async def change(self, label: str, value: float, timeout_s: float = 120) -> Run:
        """Set the number input labelled `label` as a browser does when the user presses
        Enter, and wait for the run it triggers."""
        widget_id, data_type = self.widgets[label]
        state = WidgetState(id=widget_id)
        if data_type == NUMBER_INPUT_INT:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
        return await asyncio.wait_for(self._rerun([state]), timeout_s)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()

    async def _rerun(self, states: list[WidgetState]) -> Run:
        assert self._socket is not None
        message = BackMsg()
        client = message.rerun_script
        client.query_string = self.query_string
        client.page_name = self.page_name
        client.widget_states.widgets.extend(states)
        start = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        run = Run()
        while True:
            reply = ForwardMsg()
            reply.ParseFromString(await self._socket.recv())
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                element = reply.delta.new_element
                which = element.WhichOneof("type")
                if which == "metric":
                    run.metrics.append(element.metric.body)
                    run.metrics_s = time.perf_counter() - start
                elif which == "number_input":
                    number = element.number_input
                    self.widgets[number.label] = (number.id, number.data_type)
            elif kind == "script_finished":
                run.finished_s = time.perf_counter() - start
                return run
