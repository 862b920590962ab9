"""Time the uncertainty analysis on every preset over a 36-month horizon (DESIGN §9 targets).

- Monte Carlo of 10,000 draws (`monte_carlo`: draw, price, lay out the horizon, summarise):
  target < 150 ms.
- A full sensitivity sweep (`sensitivity`: every drawn input at its low and its high): target
  < 100 ms.

Each figure is the median of several runs after a warm-up run, per preset; the worst preset is
what the target is judged on (wall clock). CPU time of this process is printed beside it: on a
shared machine it moves less with the other jobs' load than the wall clock does.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._figures import record
from estimators.presets import presets
from estimators.scenario import Scenario, parse_scenario
from estimators.uncertainty.analysis import monte_carlo
from estimators.uncertainty.sensitivity import sensitivity

DRAWS = 10_000
HORIZON_MONTHS = 36
MONTE_CARLO_TARGET_MS = 150.0
SWEEP_TARGET_MS = 100.0
MC_RUNS = 7
SWEEP_RUNS = 31


def median_ms(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU time of `runs` calls after one warm-up call [ms]."""
    run()
    wall, cpu = [], []
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _scenarios() -> dict[str, Scenario]:
    return {
        key: parse_scenario(
            preset.scenario.model_dump(mode="json") | {"horizon_months": HORIZON_MONTHS}
        )
        for key, preset in presets().items()
    }


def _report(
    label: str, timings: dict[str, tuple[float, float]], target_ms: float, figure: str
) -> None:
    worst = max(timings, key=lambda key: timings[key][0])
    print(label)
    for key, (wall, cpu) in timings.items():
        print(f"  {key:<22} {wall:8.1f} ms   (CPU {cpu:6.1f} ms)")
    wall, cpu = timings[worst]
    print(
        f"  worst {wall:.1f} ms ({worst})   target < {target_ms:.0f} ms   "
        f"ratio to target {wall / target_ms:.2f} (CPU {cpu / target_ms:.2f})"
    )
    record(f"{figure}, worst preset ({worst})", wall, "ms", target_ms)


def main() -> None:
    scenarios = _scenarios()
    mc = {
        key: median_ms(lambda s=scenario: monte_carlo(s, draws=DRAWS, seed=0), MC_RUNS)
        for key, scenario in scenarios.items()
    }
    sweep = {
        key: median_ms(lambda s=scenario: sensitivity(s), SWEEP_RUNS)
        for key, scenario in scenarios.items()
    }
    print(f"Uncertainty over {len(scenarios)} presets, {HORIZON_MONTHS}-month horizon")
    _report(
        f"Monte Carlo, {DRAWS:,} draws (median of {MC_RUNS})",
        mc,
        MONTE_CARLO_TARGET_MS,
        f"Monte Carlo {DRAWS:,} draws",
    )
    _report(f"Sensitivity sweep (median of {SWEEP_RUNS})", sweep, SWEEP_TARGET_MS, "sensitivity")


if __name__ == "__main__":
    main()
