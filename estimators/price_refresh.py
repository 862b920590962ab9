"""`make prices`: re-read the catalogue's prices from the newest `litellm` wheel on the index.

`pip download --no-deps --isolated --only-binary=:all: litellm` fetches the wheel into a temporary
directory (nothing is installed; `--isolated` drops pip's config and find-links so a local wheel
cannot pose as the newest release, and an index chosen with PIP_INDEX_URL is passed on
explicitly). The price list inside it, `litellm/model_prices_and_context_window_backup.json`,
refreshes every catalogue model it lists (prices, cached/batch/long-context prices, limits,
retirement), dated the day it was read, through the same mapping as the `--prices` import. The
files in `presets/models/` keep their layout (2-space JSON, keys in place, a final newline) and
are replaced only once everything has been read and validated. The diff printed lists model,
field, old → new. On any failure: one line on stderr, the catalogue untouched, exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from estimators.catalog import MODELS_DIR, ModelEntry, load_models, parse_model_files
from estimators.errors import EstimatorError
from estimators.price_import import REFRESHED_FIELDS, PriceImport, parse_price_file, refresh_table

WHEEL_MEMBER = "litellm/model_prices_and_context_window_backup.json"
PIP_TIMEOUT_S = 600

Download = Callable[[Path], Path]


class RefreshError(Exception):
    """Why the refresh stopped, in one line; the catalogue has not been touched."""


def pip_download(directory: Path) -> Path:
    """The newest `litellm` wheel on the package index, downloaded into `directory` (no install)."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--isolated"]
    if os.environ.get("PIP_INDEX_URL"):
        command += ["--index-url", os.environ["PIP_INDEX_URL"]]
    command += ["--only-binary=:all:", "--disable-pip-version-check", "--quiet"]
    command += ["--retries", "1", "--timeout", "30", "litellm", "-d", str(directory)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RefreshError(f"pip download litellm failed: {error}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit code {done.returncode}"
        raise RefreshError(f"pip download litellm failed (offline?): {why}")
    wheels = sorted(directory.glob("litellm-*.whl"))
    if len(wheels) != 1:
        raise RefreshError(f"pip download litellm left {len(wheels)} wheels, expected one")
    return wheels[0]


def wheel_version(wheel: Path) -> str:
    """`1.110.2` from `litellm-1.110.2-cp310-abi3-manylinux_2_28_x86_64.whl`."""
    parts = wheel.name.split("-")
    return parts[1] if len(parts) > 2 else "unknown version"


def read_price_list(wheel: Path) -> bytes:
    """The price JSON shipped inside a `litellm` wheel (a zip)."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(WHEEL_MEMBER)
    except KeyError:
        raise RefreshError(f"{wheel.name} has no {WHEEL_MEMBER}") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise RefreshError(f"{wheel.name} is not a readable wheel ({error})") from None


@dataclass(frozen=True)
class Change:
    """One catalogue value the refresh changes."""

    model: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Refresh:
    """What a refresh would write: new file texts, the changes and the import report."""

    version: str
    as_of: str
    report: PriceImport
    changes: list[Change]
    texts: dict[Path, str]


def _changes(old: ModelEntry, new: ModelEntry) -> list[Change]:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    fields = [f for f in REFRESHED_FIELDS if before[f] != after[f]]
    changes = [Change(old.id, f, before[f], after[f]) for f in fields]
    if old.fine_tuning and new.fine_tuning:
        for key in ("input_usd_per_mtok", "output_usd_per_mtok"):
            was, now = getattr(old.fine_tuning, key), getattr(new.fine_tuning, key)
            if was != now:
                changes.append(Change(old.id, f"fine_tuning.{key}", was, now))
    return changes


def _merge(target: dict[str, object], new: Mapping[str, object]) -> None:
    """Write `new` into `target` in place: keys keep their order, empty defaults stay absent."""
    for key, value in new.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value)
        elif key in target or value not in (None, "", [], {}):
            target[key] = value


def plan_refresh(models_dir: Path, raw: bytes, version: str, as_of: str) -> Refresh:
    """Everything a refresh from one LiteLLM price list would write, validated; nothing written."""
    try:
        table = parse_price_file(raw)
        paths = sorted(models_dir.glob("*.json"))
        catalogue = load_models(models_dir)
    except (EstimatorError, ValueError, OSError) as error:
        raise RefreshError(str(error).splitlines()[0]) from None
    source = f"LiteLLM {version} wheel price list ({WHEEL_MEMBER}), read {as_of}"
    refreshed, report = refresh_table(catalogue, table, as_of, source)
    texts: dict[Path, str] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["models"]:
            _merge(entry, refreshed[entry["id"]].model_dump(mode="json"))
        texts[path] = json.dumps(data, indent=2) + "\n"
    try:
        parse_model_files({path.name: text for path, text in texts.items()})
    except ValueError as error:
        raise RefreshError(f"refreshed catalogue failed validation: {error}") from None
    changes = [
        c for model_id in report.updated for c in _changes(catalogue[model_id], refreshed[model_id])
    ]
    return Refresh(version, as_of, report, changes, texts)


def write_refresh(refresh: Refresh) -> None:
    """Replace the catalogue files: each new text is written beside its file, then swapped in."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in refresh.texts.items():
            if path.read_text(encoding="utf-8") == text:
                continue
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            staged.append((temporary, path))
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise RefreshError(f"could not write the catalogue: {error}") from None
    for temporary, path in staged:
        os.replace(temporary, path)


def _value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return "—" if value is None else str(value)


def describe(refresh: Refresh) -> str:
    """The diff the user sees: a summary, then model, field, old → new."""
    report = refresh.report
    lines = [
        f"LiteLLM {refresh.version} price list, read {refresh.as_of}: "
        f"{len(report.updated)} catalogue models found and re-dated, "
        f"{len(refresh.changes)} values changed."
    ]
    width = max((len(c.model) for c in refresh.changes), default=0)
    field_width = max((len(c.field) for c in refresh.changes), default=0)
    for change in refresh.changes:
        lines.append(
            f"  {change.model:<{width}}  {change.field:<{field_width}}  "
            f"{_value(change.old)} → {_value(change.new)}"
        )
    if report.not_found:
        lines.append(f"Not in the list (kept as they were): {', '.join(report.not_found)}.")
    for key, why in report.skipped.items():
        lines.append(f"Skipped {key}: {why}")
    return "\n".join(lines)


def refresh_prices(
    models_dir: Path = MODELS_DIR, download: Download = pip_download, today: date | None = None
) -> Refresh:
    """Download, read, validate and write the refreshed catalogue; raises RefreshError."""
    as_of = (today or date.today()).isoformat()
    with tempfile.TemporaryDirectory(prefix="litellm-wheel-") as directory:
        wheel = download(Path(directory))
        raw = read_price_list(wheel)
        version = wheel_version(wheel)
    refresh = plan_refresh(models_dir, raw, version, as_of)
    write_refresh(refresh)
    return refresh


def main(argv: Sequence[str] | None = None, download: Download = pip_download) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m estimators.price_refresh",
        description="Refresh presets/models/*.json from the newest litellm wheel's price list.",
    )
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    parser.add_argument("--today", type=date.fromisoformat, help="date read (default: today)")
    args = parser.parse_args(argv)
    try:
        refresh = refresh_prices(args.models_dir, download, args.today)
    except RefreshError as error:
        print(f"make prices: {error}; catalogue untouched.", file=sys.stderr)
        return 1
    except Exception as error:  # one line for anything unforeseen, never a traceback
        why = str(error).splitlines()[0] if str(error) else ""
        print(f"make prices: {type(error).__name__}: {why}; catalogue untouched.", file=sys.stderr)
        return 1
    print(describe(refresh))
    return 0


if __name__ == "__main__":
    sys.exit(main())
