"""Print the figures the bench scripts recorded as one table: value, target, ratio, verdict.

Usage: `python bench/summary.py FIGURES.jsonl` (`make bench` runs every script, then this).
The ratio is value / target, so below 1 is better for times and above 1 for throughput ratios.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def _load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(path: str) -> int:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]
    width = max((len(r["figure"]) for r in rows), default=10)
    print(f"\n{'figure':<{width}}  {'value':>12}  {'target':>12}  {'ratio':>6}  verdict")
    print(f"{'-' * width}  {'-' * 12}  {'-' * 12}  {'-' * 6}  -------")
    missed = judged = 0
    for r in rows:
        value = f"{r['value']:,.3g} {r['unit']}"
        if r["target"] is None:  # context for another figure, no target of its own
            print(f"{r['figure']:<{width}}  {value:>12}  {'—':>12}  {'':>6}  context")
            continue
        judged += 1
        ratio = r["value"] / r["target"] if r["target"] else float("inf")
        meets = ratio >= 1 if r["higher_is_better"] else ratio <= 1
        missed += not meets
        sign = ">=" if r["higher_is_better"] else "<"
        target = f"{sign} {r['target']:,.3g} {r['unit']}"
        print(
            f"{r['figure']:<{width}}  {value:>12}  {target:>12}  {ratio:6.2f}  "
            f"{'meets' if meets else 'MISSES'}"
        )
    print(
        f"\n{judged - missed} of {judged} targets met; load average {_load_average()} "
        f"on {os.cpu_count()} CPUs (timings are reliable only on an idle machine)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
