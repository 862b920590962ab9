"""`streamlit run …` with every script run timed as the server spends it, post-run GC included.

Usage: `BENCH_RUNS_FILE=runs.jsonl python bench/_timed_server.py run APP.py [streamlit options]`.
It wraps `ScriptRunner._run_script` (the whole run: callbacks, script, the session-state cleanup
and Streamlit's `gc.collect(2)` after it) and appends one JSON line per run to $BENCH_RUNS_FILE:
`{"page": <page script>, "started": <epoch s>, "wall_ms": …, "cpu_ms": …}` (cpu is the script
thread's own CPU time).
AppTest cannot show this: it never runs the post-run GC, which holds the GIL for every session.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web.cli import main

RUNS_ENV = "BENCH_RUNS_FILE"


def _page_of(runner: script_runner.ScriptRunner) -> str:
    try:
        manager = runner._pages_manager
        page = manager.get_pages().get(manager.current_page_script_hash) or {}
        return Path(str(page.get("script_path", ""))).stem
    except Exception:  # a timing label must never break the server
        return ""


def _timed(original):
    path = os.environ.get(RUNS_ENV)

    def run(self, rerun_data):
        started, wall, cpu = time.time(), time.perf_counter(), time.thread_time()
        try:
            return original(self, rerun_data)
        finally:
            row = {
                "page": _page_of(self),
                "started": started,
                "wall_ms": (time.perf_counter() - wall) * 1000,
                "cpu_ms": (time.thread_time() - cpu) * 1000,
            }
            if path:
                with open(path, "a", encoding="utf-8") as out:
                    out.write(json.dumps(row) + "\n")

    return run


if __name__ == "__main__":
    script_runner.ScriptRunner._run_script = _timed(script_runner.ScriptRunner._run_script)
    sys.argv[0] = "streamlit"
    sys.exit(main())
