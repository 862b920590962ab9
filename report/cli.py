"""The CLI contract scripts and CI depend on (DESIGN §8).

Bad input exits with code 2 and one clear message on stderr, never a traceback.

Size: The four commands' argument parsing and printers; a follow-up could move the printers to
report/exports.py.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from estimators.catalog import ModelEntry, models
from estimators.errors import EstimatorError, excerpt
from estimators.estimate import estimate
from estimators.presets import get_preset, presets
from estimators.price_import import MAX_PRICE_FILE_BYTES, file_source, import_prices
from estimators.results import ApproachResult, Estimate, MixResult
from estimators.scenario import Scenario, parse_scenario_file
from estimators.uncertainty.analysis import with_uncertainty
from report.format import ordinal

EXIT_BAD_INPUT = 2
MAX_SCENARIO_BYTES = 5_000_000


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table: readable in any terminal, no dependency."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:,.5f}" if abs(value) < 1 else f"{value:,.2f}"
    return str(value)


STDIN = "-"


def read_capped(source: str, limit: int, what: str) -> bytes:
    """The bytes of a file, a named pipe, a device (`/dev/stdin`) or, for `-`, standard input:
    at most `limit` + 1 are read, and more than `limit` is an error."""
    shown = "standard input" if source == STDIN else excerpt(source)
    if source == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        path = Path(source)
        if not path.exists():
            raise EstimatorError(f"{shown}: no such {what}")
        if path.is_dir():
            raise EstimatorError(f"{shown} is a directory, not a {what}")
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    if len(data) > limit:
        raise EstimatorError(f"{shown}: larger than {limit:,} bytes, not a {what}")
    return data


def load_scenario(source: str) -> Scenario:
    """A scenario from a JSON file (or a preset file, as the dashboard takes it), a pipe or device,
    standard input (`-`), or a preset id when no such file exists."""
    path = Path(source)
    if source == STDIN or path.suffix.lower() == ".json" or path.exists():
        return parse_scenario_file(read_capped(source, MAX_SCENARIO_BYTES, "scenario file"))
    return get_preset(source).scenario


def estimate_json(result: Estimate) -> dict[str, object]:
    return result.model_dump(mode="json")


def estimate_csv(result: Estimate) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "id",
            "name",
            "available",
            "setup_usd",
            "per_query_usd",
            "maintenance_usd_per_month",
            "total_usd",
            "verdict",
            "ttft_ms",
            "p50_ms",
            "p95_ms",
            "over_budget_ms",
            "rate_limit_tier",
        ]
    )
    for a in result.approaches:
        latency = a.latency
        writer.writerow(
            [
                a.id,
                a.name,
                a.available,
                a.setup_usd,
                a.per_query_usd,
                a.maintenance_usd_per_month,
                a.total_usd,
                a.verdict,
                latency.ttft_ms if latency else None,
                latency.p50_ms if latency else None,
                latency.p95_ms if latency else None,
                latency.over_budget_ms if latency else None,
                latency.rate_limit_tier if latency else None,
            ]
        )
    mix = result.mix
    if mix is not None:
        timing = mix.latency
        writer.writerow(
            [
                mix.id,
                mix.name,
                mix.available,
                mix.setup_usd,
                mix.per_query_usd,
                mix.maintenance_usd_per_month,
                mix.total_usd,
                mix_rank(mix),
                timing.ttft_ms if timing else None,
                timing.p50_ms if timing else None,
                timing.p95_ms if timing else None,
                timing.over_budget_ms if timing else None,
                None,
            ]
        )
    return out.getvalue()


def mix_rank(mix: MixResult) -> str:
    """Where the mix ranks beside the approaches by total ('mix: 2nd of 7'), or why not."""
    if mix.rank is None:
        return "mix: unavailable"
    return f"mix: {ordinal(mix.rank)} of {mix.rank_of}"


def mix_lines(result: Estimate) -> list[str]:
    """The mix's parts, how it ranks, and why it cannot run when a part cannot."""
    mix = result.mix
    if mix is None:
        return []
    shares = ", ".join(f"{p.share:.4g} × {p.id}" for p in mix.parts)
    if not mix.available:
        return [f"{mix.name} (traffic.routing: {shares}): {mix.unavailable_reason}"]
    lines = [
        f"{mix.name} (traffic.routing: {shares}) ranks {ordinal(mix.rank or 0)} of "
        f"{mix.rank_of} by total: per query is the share-weighted sum of its parts'; setup and "
        "upkeep are all of theirs (each part is built and maintained)."
    ]
    if mix.latency is not None:
        lines.append(f"  Mix latency: {mix.latency.note}")
    return lines


def _p50_p95(a: ApproachResult) -> str | None:
    if a.latency is None:
        return None
    return f"{a.latency.p50_ms:,.0f}/{a.latency.p95_ms:,.0f}"


def latency_lines(result: Estimate) -> list[str]:
    """Over-budget approaches with their fixes, and the rate-limit tier each plan needs."""
    budget = result.scenario.traffic.latency_budget_ms
    lines = []
    timed = [a for a in result.approaches if a.latency is not None]
    if budget is not None:
        over = [a for a in timed if a.latency and a.latency.over_budget_ms is not None]
        lines.append(
            f"Latency budget (p95): {budget:,.0f} ms; "
            + (f"{len(over)} approach(es) over it" if over else "every approach is within it")
        )
        for a in over:
            assert a.latency is not None and a.latency.over_budget_ms is not None
            lines.append(f"  {a.name}: {a.latency.over_budget_ms:,.0f} ms over")
            lines += [f"    - {fix}" for fix in a.latency.fixes]
    tiers = [
        f"{a.id} {a.latency.rate_limit_tier}"
        for a in timed
        if a.latency is not None and a.latency.rate_limit_tier is not None
    ]
    if tiers:
        lines.append("Rate-limit tier needed at the peak: " + ", ".join(tiers))
    return lines


def estimate_table(result: Estimate) -> str:
    s = result.scenario
    head = (
        f"{s.name} — {s.traffic.queries_per_day:,.0f} queries/day, {s.horizon_months} months, "
        f"prices as of {result.prices_as_of}"
    )
    rows = [
        [
            a.name,
            a.setup_usd,
            a.per_query_usd,
            a.maintenance_usd_per_month,
            a.total_usd,
            f"{a.range.p10:,.0f}–{a.range.p90:,.0f}" if a.range else None,
            f"{a.p_cheapest:.0%}" if a.p_cheapest is not None else None,
            _p50_p95(a),
            a.verdict,
        ]
        for a in result.approaches
    ]
    mix = result.mix
    if mix is not None:
        rows.append(
            [
                mix.name,
                mix.setup_usd,
                mix.per_query_usd,
                mix.maintenance_usd_per_month,
                mix.total_usd,
                f"{mix.range.p10:,.0f}–{mix.range.p90:,.0f}" if mix.range else None,
                None,
                (f"{mix.latency.p50_ms:,.0f}/{mix.latency.p95_ms:,.0f}" if mix.latency else None),
                mix_rank(mix),
            ]
        )
    headers = [
        "approach",
        "setup USD",
        "per query USD",
        "upkeep USD/month",
        f"total USD ({s.horizon_months} mo)",
        "P10–P90 total",
        "P(cheapest)",
        "p50/p95 ms",
        "verdict",
    ]
    lines = [head, "", _table(headers, rows), ""]
    lines += mix_lines(result)
    lines += latency_lines(result)
    lines += [
        f"Unavailable: {a.name}: {a.unavailable_reason}"
        for a in result.approaches
        if not a.available
    ]
    lines.append(f"Cheapest over the horizon: {result.cheapest or '-'}")
    if result.recommendation.approach:
        lines.append(f"Recommended: {result.recommendation.headline}")
        lines += [f"  - {reason}" for reason in result.recommendation.reasons]
    elif any(a.available for a in result.approaches):
        # e.g. every approach that can run misses the latency budget
        lines.append(f"Recommended: none. {result.recommendation.headline}")
        lines += [f"  - {reason}" for reason in result.recommendation.reasons]
    crossings = [b for b in result.break_even if b.month is not None or b.daily_queries is not None]
    if crossings:
        lines.append("Break-even:")
        for b in crossings:
            parts = []
            if b.month is not None:
                parts.append(f"month {b.month} (then {b.cheaper_after_month} is cheaper)")
            if b.daily_queries is not None:
                parts.append(
                    f"above {b.daily_queries:,.0f} queries/day "
                    f"{b.cheaper_above_daily_queries} is cheaper"
                )
            lines.append(f"  {b.a} vs {b.b}: " + "; ".join(parts))
    return "\n".join(lines)


def _load_prices(path: str | None, as_of: str | None) -> dict[str, ModelEntry] | None:
    if path is None:
        return None
    raw = read_capped(path, MAX_PRICE_FILE_BYTES, "price file")
    shown = excerpt(path)
    table, report = import_prices(raw, as_of or date.today().isoformat(), file_source(path))
    skipped = "".join(f"; skipped {key}: {why}" for key, why in report.skipped.items())
    print(
        f"prices: {len(report.updated)} models refreshed from {shown}, "
        f"{len(report.not_found)} kept from the bundled catalogue{skipped}",
        file=sys.stderr,
    )
    return table


def _cmd_estimate(args: argparse.Namespace) -> int:
    prices = _load_prices(args.prices, args.prices_as_of)
    result = estimate(load_scenario(args.scenario), prices)
    if args.draws:
        result = with_uncertainty(result, args.draws, args.seed, prices)
    if args.pdf:  # first: a PDF that cannot be written leaves stdout empty
        source = file_source(args.prices) if args.prices else None
        _write_pdf(result, args.pdf, prices, source)
    if args.format == "json":
        print(json.dumps(estimate_json(result), indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(estimate_csv(result), end="")
    else:
        print(estimate_table(result))
    if args.pdf:
        print(f"PDF written to {excerpt(args.pdf)}", file=sys.stderr)
    return 0


def _write_pdf(
    result: Estimate, path: str, prices: dict[str, ModelEntry] | None, prices_source: str | None
) -> None:
    from report.pdf import estimate_pdf  # imported late: fonts and chart rendering are heavy

    data = estimate_pdf(result, prices=prices, prices_source=prices_source)
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        reason = error.strerror or str(error)
        raise EstimatorError(f"cannot write the PDF to {excerpt(path)}: {reason}") from None


def _cmd_presets(args: argparse.Namespace) -> int:
    listing = [{"id": p.id, "title": p.title, "story": p.story} for p in presets().values()]
    if args.format == "json":
        print(json.dumps(listing, indent=2, ensure_ascii=False))
    else:
        print(
            _table(["id", "title", "story"], [[p["id"], p["title"], p["story"]] for p in listing])
        )
    return 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    if args.what == "gpus":
        from estimators.selfhost.gpus import gpus

        entries = [g.model_dump(mode="json") for g in gpus().values()]
        columns = ["id", "bf16_tflops", "memory_gb", "usd_per_hour", "as_of", "source"]
    else:
        entries = [m.model_dump(mode="json") for m in models().values()]
        columns = [
            "id",
            "kind",
            "input_usd_per_mtok",
            "output_usd_per_mtok",
            "params_b",
            "as_of",
            "source",
        ]
    if args.format == "json":
        print(json.dumps(entries, indent=2, ensure_ascii=False))
    else:
        print(_table(columns, [[e.get(c) for c in columns] for e in entries]))
    return 0


def _cmd_dataset(args: argparse.Namespace) -> int:
    from report.cli_dataset import dataset_command

    return dataset_command(args.path, args.model, args.encoding, args.format)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m estimators",
        description="Prompting, DSPy, RAG or fine-tuning? Costs, break-even and risks.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("estimate", help="estimate a scenario file or a preset")
    p.add_argument(
        "scenario",
        help="a scenario JSON file (or a preset file), - for standard input, or a preset id",
    )
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--pdf", metavar="OUT.pdf", help="also write the PDF summary")
    p.add_argument(
        "--draws",
        type=int,
        default=10_000,
        help="Monte Carlo draws for the P10–P90 ranges (0: skip the analysis)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the draws (same seed, same ranges)")
    p.add_argument("--prices", metavar="FILE.json", help="refresh prices from a LiteLLM price file")
    p.add_argument(
        "--prices-as-of", metavar="YYYY-MM-DD", help="date of that file (default: today)"
    )
    p.set_defaults(run=_cmd_estimate)

    p = sub.add_parser("dataset", help="check a chat fine-tuning JSONL file")
    p.add_argument("path", help="the JSONL file, or - for standard input")
    p.add_argument(
        "--model", help="model id for the training price (default: the default small model)"
    )
    p.add_argument(
        "--encoding", choices=["o200k_base", "cl100k_base"], help="override the tokenizer"
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(run=_cmd_dataset)

    p = sub.add_parser("presets", help="list the example scenarios")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(run=_cmd_presets)

    p = sub.add_parser("catalog", help="list the price catalogue")
    p.add_argument("what", choices=["models", "gpus"])
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(run=_cmd_catalog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except EstimatorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader (e.g. `| head`) closed the pipe: not an error of ours; stay quiet.
        sys.stderr.close()
        return 0
    except OSError as error:
        where = f"{excerpt(error.filename)}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
