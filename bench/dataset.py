"""Dataset-check throughput against a bare parse-and-encode process, and its memory (DESIGN §9).

Issue 17's target: the check runs at ≥ 0.90× the throughput of a *bare parse-and-encode process*
on the same file, both on a Zipf-like corpus and on a repetitive one (`bench/_corpora.py`). The
baseline does, for each line of the file, `json.loads` and then tiktoken's encoding of every
message's content (o200k_base, the check's encoding for gpt-4.1-mini), and nothing else. It is
timed two ways, `encode_ordinary` string by string and `encode_ordinary_batch` over 1,000 lines at
a time (tiktoken's threads), and the faster of the two is the baseline.

For each corpus the script prints the check's throughput [MB/s of file] as shipped and with its
token-count caches off (system prompts and recurring texts: then it encodes every string the
baseline encodes, and must give the same report), the baseline's two ways, and the ratio check /
baseline on CPU time (what a shared machine distorts least) and on wall time (the same on an idle
machine, unless tiktoken's threads find a free core). The four runs are interleaved, so a busy
moment hits all alike, and the best of `--repeat` is kept.

Then peak memory of the check on each corpus and on a file twice its size, each in a fresh process
that has already loaded the encoding: peak RSS during the check (sampled every 5 ms) and
tracemalloc's peak of Python allocations.

Recorded for `make bench` (`bench/summary.py`): each corpus's CPU-time ratio with both
throughputs in its name (target ≥ 0.90), and the larger RSS growth from the 1× to the 2× file
(target < 16 MB: memory is flat in file size).

Run: `.venv/bin/python bench/dataset.py [--mb 10] [--repeat 3]` (about 80 s on the 2-core
development machine); `--mb 50` for steadier figures (several minutes; the check's fixed cost, the
diversity signal on its 500-example sample, weighs less on a bigger file).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._corpora import write_repetitive, write_zipf  # noqa: E402
from bench._figures import record  # noqa: E402
from estimators.dataset.check import DatasetReport, check_dataset  # noqa: E402
from estimators.dataset.scan import Scan  # noqa: E402
from estimators.tokens import get_encoding  # noqa: E402

MODEL = "gpt-4.1-mini"
ENCODING = "o200k_base"
RATIO_TARGET = 0.90
RSS_GROWTH_TARGET_MB = 16.0
BATCH_LINES = 1_000
CORPORA: dict[str, Callable[[Path, int, int], int]] = {
    "Zipf-like": write_zipf,
    "repetitive": write_repetitive,
}
# The check's token-count caches, as class attributes of `Scan` that a size of 0 turns off.
CACHE_SIZES = ("SYSTEM_CACHE_SIZE", "TEXT_CACHE_BYTES")


def bare_parse_and_encode(path: Path) -> int:
    """The baseline: per line, `json.loads`, then encode every message content; the token count."""
    encode = get_encoding(ENCODING).encode_ordinary
    tokens = 0
    with path.open("rb") as stream:
        for raw in stream:
            for message in json.loads(raw)["messages"]:
                tokens += len(encode(message["content"]))
    return tokens


def bare_parse_and_encode_batch(path: Path) -> int:
    """The same with `encode_ordinary_batch` over the contents of `BATCH_LINES` lines at a time."""
    encode_batch = get_encoding(ENCODING).encode_ordinary_batch
    tokens = 0
    with path.open("rb") as stream:
        while True:
            lines = stream.readlines(BATCH_LINES * 4096)  # a size hint: a few thousand lines
            if not lines:
                break
            contents = [m["content"] for raw in lines for m in json.loads(raw)["messages"]]
            tokens += sum(map(len, encode_batch(contents)))
    return tokens


@contextlib.contextmanager
def _caches_off() -> Iterator[None]:
    saved = {name: getattr(Scan, name) for name in CACHE_SIZES}
    for name in CACHE_SIZES:
        setattr(Scan, name, 0)
    try:
        yield
    finally:
        for name, size in saved.items():
            setattr(Scan, name, size)


def _check_caches_off(path: Path) -> DatasetReport:
    with _caches_off():
        return check_dataset(path, model=MODEL)


def timings(path: Path, repeat: int) -> tuple[dict[str, tuple[float, float]], dict[str, object]]:
    """Best-of-`repeat` (wall, CPU) seconds of each way, interleaved, and what each returned."""
    ways: dict[str, Callable[[], object]] = {
        "check": lambda: check_dataset(path, model=MODEL),
        "check_caches_off": lambda: _check_caches_off(path),
        "bare_loop": lambda: bare_parse_and_encode(path),
        "bare_batch": lambda: bare_parse_and_encode_batch(path),
    }
    best = dict.fromkeys(ways, (float("inf"), float("inf")))
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in ways.items():
            wall, cpu = time.perf_counter(), time.process_time()
            results[name] = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best, results


def throughput(label: str, path: Path, repeat: int) -> None:
    """Print one corpus's table and ratios; record its CPU-time ratio."""
    size_mb = path.stat().st_size / 1e6
    best, results = timings(path, repeat)
    report = results["check"]
    assert isinstance(report, DatasetReport)
    if results["check_caches_off"] != report:
        raise AssertionError("the check's caches changed its report")
    if results["bare_batch"] != results["bare_loop"]:
        raise AssertionError("the two baselines disagree on the token count")
    quality = report.quality
    print(
        f"\n{label} corpus: {size_mb:.1f} MB, {report.examples:,} examples, "
        f"{results['bare_loop']:,} tokens of message content ({report.tokens.total:,} by the "
        f"cookbook's formula), {quality.exact_duplicates:,} exact and "
        f"{quality.near_duplicates:,} near duplicates, domain breadth "
        f"{report.diversity.domain_breadth}"
    )
    rows = [
        ("dataset check", "check"),
        ("  with its caches off", "check_caches_off"),
        ("bare parse + encode_ordinary", "bare_loop"),
        (f"bare parse + encode_ordinary_batch ({BATCH_LINES:,} lines)", "bare_batch"),
    ]
    print(f"{'':<52} {'wall':>7} {'CPU':>7}  {'MB/s (CPU)':>10}  {'MB/s (wall)':>11}")
    for text, name in rows:
        wall, cpu = best[name]
        print(f"{text:<52} {wall:6.2f}s {cpu:6.2f}s  {size_mb / cpu:10.1f}  {size_mb / wall:11.1f}")
    for text, name in (("check", "check"), ("check, caches off", "check_caches_off")):
        parts = []
        for clock, index in (("CPU", 1), ("wall", 0)):
            base_s = min(best["bare_loop"][index], best["bare_batch"][index])
            ratio = base_s / best[name][index]
            speeds = f"{size_mb / best[name][index]:.1f} / {size_mb / base_s:.1f} MB/s"
            parts.append(f"{clock} {ratio:.2f}× ({speeds})")
            if name == "check" and clock == "CPU":
                headline = f"{ratio:.2f}× (target ≥ {RATIO_TARGET:.2f}×: " + (
                    "meets)" if ratio >= RATIO_TARGET else "MISSES)"
                )
                record(
                    f"dataset check / bare parse-and-encode, {label} corpus, CPU ({speeds})",
                    ratio,
                    "×",
                    RATIO_TARGET,
                    True,
                )
        print(f"{text} / fastest bare parse-and-encode: {', '.join(parts)}")
    print(f"  on CPU time: {headline}")


def _rss_mb() -> float:
    """Current resident set size [MB] (Linux /proc; 0 where unavailable)."""
    try:
        fields = Path("/proc/self/status").read_text().split("VmRSS:")[1].split()
    except (OSError, IndexError):
        return 0.0
    return float(fields[0]) / 1024


def _peak_rss_mb(run: Callable[[], object]) -> float:
    """Peak RSS [MB] while `run` runs, sampled every 5 ms by a thread (max RSS would include the
    encoding's load, which peaks higher than the check itself)."""
    peak, done = [_rss_mb()], threading.Event()

    def sample() -> None:
        while not done.wait(0.005):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        run()
    finally:
        done.set()
        sampler.join()
    return max(peak[0], _rss_mb())


def _warm_up() -> None:
    """Load the encoding and every import first, so that only the check itself is measured."""
    tiny = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}
    check_dataset(json.dumps(tiny).encode(), model=MODEL)


def child_memory(path: str) -> None:
    """In a fresh process that has loaded the encoding: peak RSS, then tracemalloc's peak."""
    _warm_up()
    rss_before_mb = _rss_mb()
    rss_peak_mb = _peak_rss_mb(lambda: check_dataset(path, model=MODEL))
    tracemalloc.start()
    check_dataset(path, model=MODEL)
    _, traced_peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "rss_before_mb": rss_before_mb,
        "rss_peak_mb": rss_peak_mb,
        "traced_peak_mb": traced_peak_bytes / 1e6,
    }
    print(json.dumps(figures))


def memory(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10, help="size of each corpus [MB]")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each way")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_memory(args.child)
        return
    print(f"load average before: {_load_average()} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, tuple[Path, Path]] = {}
        start = time.perf_counter()
        for seed, (label, write) in enumerate(CORPORA.items()):
            stem = label.lower().replace("-", "_")
            single, double = Path(tmp) / f"{stem}_1x.jsonl", Path(tmp) / f"{stem}_2x.jsonl"
            write(single, int(args.mb * 1e6), 2 * seed + 1)
            write(double, int(2 * args.mb * 1e6), 2 * seed + 2)
            files[label] = (single, double)
        print(f"generated the corpora in {time.perf_counter() - start:.1f} s")
        _warm_up()
        for label, (single, _) in files.items():
            throughput(label, single, args.repeat)

        print()
        growth_mb = 0.0
        for label, pair in files.items():
            peaks = []
            for path in pair:
                figures = memory(path)
                peaks.append(figures["rss_peak_mb"])
                print(
                    f"memory, {label}, {path.stat().st_size / 1e6:5.1f} MB file: "
                    f"peak RSS {figures['rss_peak_mb']:.0f} MB "
                    f"(+{figures['rss_peak_mb'] - figures['rss_before_mb']:.0f} MB over the "
                    f"{figures['rss_before_mb']:.0f} MB after loading the encoding), "
                    f"tracemalloc peak {figures['traced_peak_mb']:.1f} MB"
                )
            growth_mb = max(growth_mb, peaks[1] - peaks[0])
        # Flat memory: doubling the file may not add more than a few MB of peak RSS.
        record(
            "dataset check RSS growth, 2x file, worse corpus", growth_mb, "MB", RSS_GROWTH_TARGET_MB
        )
    print(f"load average after: {_load_average()} (figures are reliable only on an idle machine)")


def _load_average() -> str:
    try:
        return " ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
