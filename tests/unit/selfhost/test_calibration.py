"""Published fine-tuning runs re-estimated with the shipped likely values (docs/calibration.md).

Each run is priced as one run (the published figures are single runs, so runs per fine-tune is
left out) by the same `training_compute` the self-hosted approaches use: computation at the
effective MFU of its method plus the fixed per-run overhead on every GPU. Each estimate must land
within 0.5–2× of the published figure, or the gap is explained in the doc and pinned here.
Sources and token counts: /work/research/fidelity.md §6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from estimators.assumptions import defaults
from estimators.selfhost import compute as c
from estimators.selfhost.gpus import get_gpu

DOC = Path(__file__).resolve().parents[3] / "docs" / "calibration.md"
A100_TFLOPS = get_gpu("a100-80gb").bf16_tflops  # 312, the 40 GB part too
A10G_TFLOPS = get_gpu("a10g-24gb").bf16_tflops  # 70
RTX_A6000_TFLOPS = 155.0  # the 48 GB GPU of the QLoRA README; not in the catalogue


@dataclass(frozen=True)
class Run:
    name: str
    params_b: float
    method: c.Method
    examples: float
    tokens_per_example: float
    epochs: float
    peak_tflops: float
    gpus: int
    published_gpu_hours: float


RUNS = (
    # LLaMA-7B full fine-tune, 52,002 examples × 3 epochs, ~130 real tokens each (median 110),
    # 3 h on 8 × A100 80 GB (CRFM blog).
    Run("Stanford Alpaca", 6.74, "full", 52_002, 130, 3, A100_TFLOPS, 8, 3 * 8),
    # The same recipe replicated on 4 × A100 for 6 h (chavinlo/alpaca-native).
    Run("alpaca-native", 6.74, "full", 52_002, 130, 3, A100_TFLOPS, 4, 6 * 4),
    # GPT-J 6B full fine-tune (ZeRO-3) on the Alpaca data, 1 epoch, 30 min on 8 × A100 40 GB.
    Run("Dolly v1", 6.05, "full", 52_002, 130, 1, A100_TFLOPS, 8, 0.5 * 8),
    # LLaMA-13B full fine-tune on ~70K ShareGPT conversations × 3 epochs, "a single day" on
    # 8 × A100; the mean conversation length is not published: 1,000 tokens assumed.
    Run("Vicuna-13B", 13.0, "full", 70_000, 1_000, 3, A100_TFLOPS, 8, 24 * 8),
    # LitGPT config hub: 1,900 Alpaca-2k examples × 4 epochs (median 168 tokens), one A10G.
    Run("LitGPT Llama 2 7B LoRA", 6.74, "lora", 1_900, 168, 4, A10G_TFLOPS, 1, 32.82 / 60),
    Run("LitGPT Llama 2 7B QLoRA", 6.74, "qlora", 1_900, 168, 4, A10G_TFLOPS, 1, 45.67 / 60),
    Run("LitGPT Llama 3 8B LoRA", 8.03, "lora", 1_900, 168, 2, A10G_TFLOPS, 1, 14.79 / 60),
    # QLoRA Guanaco-65B: 1,875 steps × 16 = 30,000 sequences of 300–528 tokens (400 taken), 24 h
    # on one 48 GB GPU.
    Run("QLoRA Guanaco-65B", 65.2, "qlora", 30_000, 400, 1, RTX_A6000_TFLOPS, 1, 24),
)

# Predibase LoRA Land: 25 Mistral-7B QLoRA adapters at "< $8.00 each on average" of GPU time;
# 40,000 steps of batch 1 (40,000 sequences), ~250 tokens each assumed; GPU not published.
PREDIBASE = Run("Predibase LoRA Land", 7.24, "qlora", 40_000, 250, 1, A10G_TFLOPS, 1, 0.0)
PREDIBASE_USD = 8.0


def estimate_gpu_hours(run: Run, peak_tflops: float | None = None) -> float:
    """One run at the shipped likely values [GPU-hours]: computation + overhead × GPUs."""
    a = {key: entry.value for key, entry in defaults().items()}
    return float(
        c.training_compute(
            examples=run.examples,
            tokens_per_example=run.tokens_per_example,
            epochs=run.epochs,
            params_b=run.params_b,
            method=run.method,
            peak_tflops=peak_tflops or run.peak_tflops,
            usd_per_gpu_hour=0.0,
            gpus=run.gpus,
            nodes=1,
            mfu=c.method_mfu(run.method, a["selfhost.mfu"], a["selfhost.lora_mfu"]),
            overhead_hours=a["selfhost.run_overhead_hours"],
            runs=1,
            lora_flops_per_param_token=a["selfhost.lora_flops_per_param_token"],
            qlora_slowdown=a["selfhost.qlora_slowdown"],
        ).gpu_hours
    )


@pytest.mark.parametrize("run", RUNS, ids=[run.name for run in RUNS])
def test_each_published_run_is_re_estimated_within_half_to_twice(run: Run) -> None:
    ratio = estimate_gpu_hours(run) / run.published_gpu_hours
    assert 0.5 <= ratio <= 2.0, f"{run.name}: estimate / published = {ratio:.2f}"


def test_stanford_alpaca_by_hand() -> None:
    # 52,002 × 130 × 3 = 20.28M tokens; 6 × 6.74e9 × 20.28M = 8.20e17 FLOP;
    # / (312e12 × 0.06) / 3,600 = 12.17 GPU-hours; + 0.15 h × 8 GPUs = 13.37 GPU-hours
    compute = 6 * 6.74e9 * 52_002 * 130 * 3 / (312e12 * 0.06) / 3600
    assert estimate_gpu_hours(RUNS[0]) == pytest.approx(compute + 0.15 * 8)
    assert estimate_gpu_hours(RUNS[0]) == pytest.approx(13.37, abs=0.01)
    # 0.56 of the published 24 GPU-hours: the run padded every batch to its longest example
    assert estimate_gpu_hours(RUNS[0]) / 24 == pytest.approx(0.56, abs=0.01)


def test_predibase_lora_land_stays_under_its_published_bound() -> None:
    # 4 × 1.5 × 7.24e9 × 40,000 × 250 = 4.34e17 FLOP; on an A10G (70 TFLOPS at 0.3 MFU) 5.75
    # GPU-hours of computation + 0.15 h = 5.90 h × $1.006 = $5.93, 0.74 of $8
    a10g = estimate_gpu_hours(PREDIBASE) * get_gpu("a10g-24gb").usd_per_hour
    assert a10g == pytest.approx(5.93, abs=0.01)
    assert 0.5 <= a10g / PREDIBASE_USD <= 2.0
    # on an A100 80 GB it would cost $2.28: below the "< $8" bound, as an upper bound allows
    a100 = estimate_gpu_hours(PREDIBASE, A100_TFLOPS) * get_gpu("a100-80gb").usd_per_hour
    assert a100 == pytest.approx(2.28, abs=0.01)
    assert a100 < PREDIBASE_USD


def _doc_row(name: str) -> str:
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    found = [line for line in rows if line.startswith(f"| {name} |")]
    assert found, f"docs/calibration.md has no row for {name}"
    return found[0]


@pytest.mark.parametrize("run", RUNS, ids=[run.name for run in RUNS])
def test_the_doc_table_shows_each_estimate(run: Run) -> None:
    row = _doc_row(run.name)
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    numbers = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", cells[3].replace(",", ""))]
    assert numbers and numbers[0] == pytest.approx(estimate_gpu_hours(run), abs=0.01), row
    ratio = estimate_gpu_hours(run) / run.published_gpu_hours
    assert f"{ratio:.2f}" in cells[4], row
