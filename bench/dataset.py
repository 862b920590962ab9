"""Dataset-check throughput against raw tiktoken, and peak memory at two file sizes (DESIGN §9).

Generates chat fine-tuning JSONL in a temp dir (default 50 MB and 100 MB), then prints:
- the check's throughput [MB/s of file, tokens/s] on the first file, as shipped and with its
  system-prompt token cache off (then it encodes exactly the strings raw tiktoken does);
- raw tiktoken on the same message strings (`encode_ordinary` in a loop, and tiktoken's own
  `encode_ordinary_batch`), and the ratio check / raw (target ≥ 0.70 of the faster raw figure).
  Runs are interleaved and the best of `--repeat` kept; ratios are given on CPU time (robust on
  a shared machine) and on wall time (the same on an idle one);
- peak memory of the check for both files, each in a fresh process that has already loaded the
  encoding: peak RSS during the check (sampled), and tracemalloc's peak of Python allocations.

Run: `.venv/bin/python bench/dataset.py [--mb 50] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import inspect
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._figures import record  # noqa: E402
from estimators.dataset.check import check_dataset  # noqa: E402
from estimators.dataset.scan import Scan  # noqa: E402
from estimators.tokens import get_encoding  # noqa: E402

ENCODING = "o200k_base"
_SOURCE_MODULES = (
    "argparse asyncio.base_events collections csv datetime decimal email.message http.client "
    "inspect json logging pathlib shutil smtplib subprocess tarfile threading typing "
    "unittest.case urllib.request zipfile"
)
_EXTRA_WORDS = ["café", "naïve", "Straße", "niño", "東京", "データ", "привет", "€42", "✓", "🙂"]


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words of the standard library's docs and comments with their real (Zipf-like) frequency."""
    counts: collections.Counter[str] = collections.Counter()
    for name in _SOURCE_MODULES.split():
        source = inspect.getsource(importlib.import_module(name))
        counts.update(re.findall(r"[A-Za-z][a-z]+", source))
    words = [w for w, _ in counts.most_common(20_000)] + _EXTRA_WORDS
    weights = [float(c) for _, c in counts.most_common(20_000)] + [50.0] * len(_EXTRA_WORDS)
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative


def _prose(rng: random.Random, words: list[str], cumulative: list[float], count: int) -> str:
    sentences = []
    while count > 0:
        length = min(count, rng.randint(6, 24))
        chosen = rng.choices(words, cum_weights=cumulative, k=length)
        if rng.random() < 0.3:
            chosen[rng.randrange(length)] = str(rng.randint(1, 99_999))
        sentences.append(" ".join(chosen).capitalize() + rng.choice(".....?!"))
        count -= length
    return " ".join(sentences)


def generate(path: Path, target_bytes: int, seed: int) -> int:
    """Write chat examples until the file reaches `target_bytes`; return the examples written."""
    rng = random.Random(seed)
    words, cumulative = _vocabulary()
    systems = [_prose(rng, words, cumulative, rng.randint(20, 120)) for _ in range(20)]
    written = examples = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target_bytes:
            messages = [{"role": "system", "content": rng.choice(systems)}]
            for _ in range(1 if rng.random() < 0.8 else 2):
                messages.append(
                    {"role": "user", "content": _prose(rng, words, cumulative, rng.randint(8, 80))}
                )
                reply = _prose(rng, words, cumulative, rng.randint(20, 320))
                messages.append({"role": "assistant", "content": reply})
            line = json.dumps({"messages": messages}, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            examples += 1
    return examples


def message_strings(path: Path) -> list[str]:
    """The strings the messages formula encodes: every role and content, in file order."""
    strings: list[str] = []
    with path.open("rb") as stream:
        for raw in stream:
            for message in json.loads(raw)["messages"]:
                strings.extend((message["role"], message["content"]))
    return strings


def _seconds(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run (CPU time is what a shared machine distorts least)."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def _check_without_system_cache(path: Path) -> None:
    """The check with the system-prompt token cache off: every string is encoded, like raw."""
    saved = Scan.SYSTEM_CACHE_SIZE
    Scan.SYSTEM_CACHE_SIZE = 0
    try:
        check_dataset(path, model="gpt-4.1-mini")
    finally:
        Scan.SYSTEM_CACHE_SIZE = saved


def timings(path: Path, strings: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Best-of-`repeat` (wall, CPU) seconds for each way, interleaved so that a busy moment on
    the machine hits all of them alike."""
    encoding = get_encoding(ENCODING)

    def raw_loop() -> None:
        for text in strings:
            encoding.encode_ordinary(text)

    def raw_batch() -> None:
        for i in range(0, len(strings), 10_000):
            encoding.encode_ordinary_batch(strings[i : i + 10_000])

    ways: dict[str, Callable[[], object]] = {
        "check": lambda: check_dataset(path, model="gpt-4.1-mini"),
        "check_no_cache": lambda: _check_without_system_cache(path),
        "raw_loop": raw_loop,
        "raw_batch": raw_batch,
    }
    best = dict.fromkeys(ways, (float("inf"), float("inf")))
    for _ in range(repeat):
        for name, run in ways.items():
            wall, cpu = _seconds(run)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


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


def child_memory(path: str) -> None:
    """In a fresh process that has loaded the encoding: peak RSS, then tracemalloc's peak."""
    tiny = {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}
    # Load the encoding and every import first, so only the check itself is measured.
    check_dataset(json.dumps(tiny).encode(), model="gpt-4.1-mini")
    rss_before_mb = _rss_mb()
    rss_peak_mb = _peak_rss_mb(lambda: check_dataset(path, model="gpt-4.1-mini"))
    tracemalloc.start()
    check_dataset(path, model="gpt-4.1-mini")
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
    parser.add_argument("--mb", type=float, default=50, help="size of the first file [MB]")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_memory(args.child)
        return
    print(f"load average before: {_load_average()} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "train_1x.jsonl", Path(tmp) / "train_2x.jsonl"
        start = time.perf_counter()
        generate(small, int(args.mb * 1e6), seed=1)
        generate(large, int(2 * args.mb * 1e6), seed=2)
        print(
            f"generated {small.stat().st_size / 1e6:.1f} MB and "
            f"{large.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s"
        )

        size_mb = small.stat().st_size / 1e6
        strings = message_strings(small)
        text_mb = sum(len(text.encode()) for text in strings) / 1e6
        encoding = get_encoding(ENCODING)
        raw_tokens = sum(len(encoding.encode_ordinary(text)) for text in strings)
        report = check_dataset(small, model="gpt-4.1-mini")
        best = timings(small, strings, args.repeat)
        del strings
        print(
            f"file: {size_mb:.1f} MB, {report.examples:,} examples, {text_mb:.1f} MB of message "
            f"strings (roles and contents), {raw_tokens:,} tokens in them"
        )
        rows = [
            ("dataset check", best["check"], report.tokens.total),
            ("  without system-prompt cache", best["check_no_cache"], report.tokens.total),
            ("raw encode_ordinary loop", best["raw_loop"], raw_tokens),
            ("raw encode_ordinary_batch", best["raw_batch"], raw_tokens),
        ]
        print(f"{'':<30} {'wall':>8} {'CPU':>8}  {'MB/s (CPU)':>10}  {'tokens/s (CPU)':>14}")
        for label, (wall, cpu), tokens in rows:
            print(
                f"{label:<30} {wall:7.2f}s {cpu:7.2f}s  "
                f"{size_mb / cpu:10.1f}  {tokens / cpu:14,.0f}"
            )
        for label, name in (("check", "check"), ("check without cache", "check_no_cache")):
            for clock, index in (("CPU", 1), ("wall", 0)):
                raw_s = min(best["raw_loop"][index], best["raw_batch"][index])
                ratio = raw_s / best[name][index]
                verdict = "meets" if ratio >= 0.70 else "MISSES"
                if name == "check" and clock == "CPU":
                    record("dataset check / raw tiktoken (CPU)", ratio, "x", 0.70, True)
                print(
                    f"ratio {label} / fastest raw ({clock} time): {ratio:.2f} "
                    f"(target >= 0.70: {verdict})"
                )
        peaks = []
        for path in (small, large):
            figures = memory(path)
            peaks.append(figures["rss_peak_mb"])
            print(
                f"memory, {path.stat().st_size / 1e6:6.1f} MB file: "
                f"peak RSS {figures['rss_peak_mb']:.0f} MB "
                f"(+{figures['rss_peak_mb'] - figures['rss_before_mb']:.0f} MB over the "
                f"{figures['rss_before_mb']:.0f} MB after loading the encoding), "
                f"tracemalloc peak {figures['traced_peak_mb']:.1f} MB"
            )

        # Flat memory: doubling the file may not add more than a few MB of peak RSS.
        record("dataset check RSS growth, 2x file", peaks[1] - peaks[0], "MB", 16.0)
    print(f"load average after: {_load_average()} (figures are reliable only on an idle machine)")


def _load_average() -> str:
    try:
        return " ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
