"""Time `estimate()` on every preset over a 36-month horizon (DESIGN §9 target: < 2 ms).

Run from the repository root: `make bench`, or `PYTHONPATH=. .venv/bin/python bench/estimate.py`.
"""

from __future__ import annotations

import statistics
import time

from bench._figures import record
from estimators.estimate import estimate
from estimators.presets import presets
from estimators.scenario import parse_scenario

TARGET_MS = 2.0
RUNS = 300


def main() -> None:
    scenarios = []
    for preset in presets().values():
        data = preset.scenario.model_dump(mode="json") | {"horizon_months": 36}
        scenarios.append(parse_scenario(data))
    for scenario in scenarios:  # warm caches (catalogue, assumptions)
        estimate(scenario)
    timings_ms = []
    for _ in range(RUNS):
        for scenario in scenarios:
            start = time.perf_counter()
            estimate(scenario)
            timings_ms.append((time.perf_counter() - start) * 1000)
    median_ms = statistics.median(timings_ms)
    p95_ms = statistics.quantiles(timings_ms, n=20)[-1]
    per_second = 1000 / median_ms
    print(f"estimate() over {len(scenarios)} presets × {RUNS} runs, 36-month horizon")
    print(f"  median {median_ms:.3f} ms   p95 {p95_ms:.3f} ms   target < {TARGET_MS} ms")
    print(f"  {per_second:,.0f} scenarios/second   ratio to target {median_ms / TARGET_MS:.2f}")
    record("estimate(), 36 months, median", median_ms, "ms", TARGET_MS)


if __name__ == "__main__":
    main()
