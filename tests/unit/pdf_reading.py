"""Reading a PDF back in the tests: its text, its images, its pages, and PNGs to look at."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "pdf"


def text_of(pdf: bytes) -> str:
    """All pages' text with runs of whitespace folded, so wrapped cells read as one line."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_pages(stem: str, pdf: bytes) -> int:
    """Write the PDF and its pages as PNGs (60 dpi) to artifacts/pdf/ for a look; page count."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{stem}.pdf"
    source.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(source), str(ARTIFACTS / stem)],
        check=True,
        timeout=60,
    )
    return len(list(ARTIFACTS.glob(f"{stem}-*.png")))
