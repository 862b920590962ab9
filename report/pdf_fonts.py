"""The bundled fonts and how a PDF picks them, so text in any script renders instead of raising.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic; Droid Sans Fallback adds Chinese,
Japanese and Korean; Symbola adds monochrome emoji and symbols. The two fallbacks are large
(≈0.4 s to parse), so a document loads them only when its text has a character DejaVu lacks.
Right-to-left and joined scripts need shaping (HarfBuzz via `uharfbuzz`); without it the text
still prints, in logical order. A character no font has prints as a blank, with a log warning.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
BODY_FAMILY = "DejaVu"
_BODY_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# In the order they are asked for a missing glyph.
_FALLBACK_FILES = {"DroidFallback": "DroidSansFallback.ttf", "Symbola": "Symbola_hint.ttf"}

# Scripts whose glyphs change with context or run right to left: shaping is needed for them.
_COMPLEX_RANGES = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Arabic supplements
    (0x0900, 0x0DFF),  # Indic scripts
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
)


@cache
def _codepoints(file_name: str) -> frozenset[int]:
    """Characters a bundled font maps (a pure function of a file that ships with the code)."""
    font = TTFont(FONTS_DIR / file_name, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def fallbacks_needed(text: str) -> list[str]:
    """Fallback families the text needs, in lookup order (empty for text DejaVu covers)."""
    missing = {ord(c) for c in set(text)} - _codepoints(_BODY_FILES[""])
    missing = {cp for cp in missing if cp >= 0x20}
    needed = []
    for family, file_name in _FALLBACK_FILES.items():
        if missing & _codepoints(file_name):
            needed.append(family)
            missing -= _codepoints(file_name)
    return needed


def needs_shaping(text: str) -> bool:
    """True when the text has right-to-left or joined-script characters."""
    return any(low <= ord(c) <= high for c in set(text) for low, high in _COMPLEX_RANGES)


def shaping_available() -> bool:
    """fpdf2 shapes text through uharfbuzz, an optional package."""
    return importlib.util.find_spec("uharfbuzz") is not None


def setup_fonts(pdf: FPDF, texts: Iterable[str]) -> bool:
    """Register the body font and the fallbacks the texts need.

    Returns whether shaping can and may be needed; the layout then turns it on only for the
    lines that need it, since shaping a whole report makes it several times slower.
    """
    text = "".join(texts)
    for style, file_name in _BODY_FILES.items():
        pdf.add_font(BODY_FAMILY, style, FONTS_DIR / file_name)
    families = fallbacks_needed(text)
    for family in families:
        pdf.add_font(family, "", FONTS_DIR / _FALLBACK_FILES[family])
    if families:
        # Fallbacks have one weight: bold text borrows the regular glyph rather than none.
        pdf.set_fallback_fonts(families, exact_match=False)
    return needs_shaping(text) and shaping_available()
