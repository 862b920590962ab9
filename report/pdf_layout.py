"""The page and its typographic building blocks: headings, paragraphs, lists, tables, images.

Sections (report/pdf_sections.py) say what to print; this module says how it looks, so the
report keeps one rhythm of sizes, colours and spacing.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from fpdf import FPDF, FontFace
from fpdf.enums import MethodReturnValue, TableBordersLayout, TableCellFillMode, XPos, YPos

from report.pdf_fonts import BODY_FAMILY, needs_shaping

TOOL_NAME = "finetune-or-not"
INK = (33, 37, 41)
MUTED = (105, 112, 120)
ACCENT = (0, 84, 140)
RULE = (200, 205, 210)
ZEBRA = (244, 246, 248)
LEVEL_COLOURS = {"high": (192, 40, 30), "medium": (196, 120, 0), "low": (30, 130, 70)}
BODY_SIZE = 9.5
SMALL_SIZE = 7.5
LINE = 4.6  # body line height [mm]
# Chart pixels to paper: 11 px chart text prints at ≈ 7.8 pt, the size of the table text.
MM_PER_CHART_PX = 0.25
KEEP_LINES = 5  # paragraphs and list items this short move to the next page whole


class ReportPDF(FPDF):
    """A4 portrait with a running header from page 2 and a 'page X of Y' footer naming the tool."""

    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self.can_shape = False  # set once the fonts are chosen (pdf_fonts.setup_fonts)
        self.set_margins(left=18, top=16, right=18)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()
        self.set_creator(TOOL_NAME)
        self.set_author(TOOL_NAME)

    def shape_for(self, *texts: str) -> None:
        """Shape (HarfBuzz) only text that needs it: right-to-left and joined scripts."""
        wanted = self.can_shape and needs_shaping("".join(texts))
        if wanted != bool(self.text_shaping):
            # Our sentences are English: a left-to-right base direction keeps them in order
            # around a right-to-left name, which is still shaped and runs right to left inside.
            self.set_text_shaping(wanted, direction="ltr" if wanted else None)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.shape_for(self.running_title)
        self.set_font(BODY_FAMILY, size=SMALL_SIZE)
        self.set_text_color(*MUTED)
        self.cell(0, 4, self._fit(self.running_title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_y(self.get_y() + 5)
        self.set_text_color(*INK)

    def _fit(self, text: str) -> str:
        """One line of text cut with an ellipsis to the text width (a name may be 200 chars)."""
        if self.get_string_width(text) <= self.epw:
            return text
        while text and self.get_string_width(text + "…") > self.epw:
            text = text[:-1]
        return text.rstrip() + "…"

    def footer(self) -> None:
        # Shaped text stores glyph ids, so the {nb} alias would never be replaced: fpdf2 issue
        # #1090. The footer is plain Latin, so it is set unshaped.
        self.shape_for()
        self.set_y(-12)
        self.set_font(BODY_FAMILY, size=SMALL_SIZE)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, f"{TOOL_NAME} · cost and decision summary")
        self.cell(self.epw / 2, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*INK)

    # --- text blocks ----------------------------------------------------------------------

    def title_block(self, kicker: str, title: str, meta: str) -> None:
        self.shape_for(kicker, title, meta)
        self.set_font(BODY_FAMILY, size=SMALL_SIZE + 0.5)
        self.set_text_color(*ACCENT)
        self.cell(0, 4, kicker.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(BODY_FAMILY, "B", 18)
        self.set_text_color(*INK)
        self.multi_cell(0, 8.5, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(BODY_FAMILY, size=BODY_SIZE - 0.5)
        self.set_text_color(*MUTED)
        self.multi_cell(0, LINE, meta, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 2, self.w - self.r_margin, self.get_y() + 2)
        self.set_line_width(0.2)
        self.set_text_color(*INK)
        self.ln(5)

    def heading(self, text: str, keep_with_next_mm: float = 30) -> None:
        """A section heading; starts a new page rather than sit alone at the bottom of one."""
        if self.get_y() + keep_with_next_mm > self.page_break_trigger:
            self.add_page()
        self.shape_for(text)
        self.ln(2)
        self.set_font(BODY_FAMILY, "B", 12.5)
        self.set_text_color(*ACCENT)
        self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(0.5)

    def subheading(self, text: str) -> None:
        if self.get_y() + 20 > self.page_break_trigger:
            self.add_page()
        self.shape_for(text)
        self.ln(1)
        self.set_font(BODY_FAMILY, "B", BODY_SIZE + 0.5)
        self.cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, size: float = BODY_SIZE, muted: bool = False) -> None:
        """Body text; a short one (up to KEEP_LINES lines) is never split across pages."""
        self.shape_for(text)
        self.set_font(BODY_FAMILY, size=size)
        self.set_text_color(*(MUTED if muted else INK))
        height = LINE * size / BODY_SIZE
        self._keep_together(text, self.epw, height)
        self.multi_cell(0, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(1.2)

    def _keep_together(self, text: str, width: float, line_height: float) -> None:
        """Start a new page before a block of up to KEEP_LINES lines that would not fit whole:
        a line or two alone at the top of a page reads as lost."""
        if self.get_y() + KEEP_LINES * line_height <= self.page_break_trigger:
            return  # anything that short fits here; skip breaking the lines twice
        lines = self.multi_cell(
            width, line_height, text, dry_run=True, output=MethodReturnValue.LINES
        )
        needed = line_height * len(lines)
        if len(lines) <= KEEP_LINES and self.get_y() + needed > self.page_break_trigger:
            self.add_page()

    def bullets(self, items: Sequence[str], size: float = BODY_SIZE) -> None:
        self.set_font(BODY_FAMILY, size=size)
        indent = 5
        for item in items:
            self.shape_for(item)
            self._keep_together(item, self.epw - indent, LINE)
            self.set_x(self.l_margin)
            self.cell(indent, LINE, "•")
            self.multi_cell(
                self.epw - indent, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(0.6)
        self.ln(0.8)

    def callout(self, label: str, text: str) -> None:
        """A shaded box for the one line a reader must not miss (the recommendation)."""
        self.shape_for(label, text)
        self.set_fill_color(*ZEBRA)
        self.set_draw_color(*ACCENT)
        top = self.get_y()
        self.set_x(self.l_margin + 4)
        self.set_font(BODY_FAMILY, size=SMALL_SIZE + 0.5)
        self.set_text_color(*ACCENT)
        self.cell(0, 5, label.upper(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_x(self.l_margin + 4)
        self.set_font(BODY_FAMILY, "B", 13)
        self.set_text_color(*INK)
        self.multi_cell(self.epw - 8, 6.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = self.get_y() + 2
        self.set_line_width(1.2)
        self.line(self.l_margin, top, self.l_margin, bottom)
        self.set_line_width(0.2)
        self.set_y(bottom + 1)

    # --- tables and images ----------------------------------------------------------------

    def data_table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        col_widths: Sequence[float],
        align: Sequence[str],
        size: float = BODY_SIZE - 0.5,
        bold_rows: Sequence[int] = (),
        row_colours: dict[tuple[int, int], tuple[int, int, int]] | None = None,
    ) -> None:
        """A zebra table with a ruled heading row repeated on each page it spans."""
        self.set_font(BODY_FAMILY, size=size)
        self.set_draw_color(*RULE)
        # The table takes the current fill colour as its cells' default: white, so only the
        # zebra rows are shaded.
        self.set_fill_color(255, 255, 255)
        self.shape_for(*headings, *(value for values in rows for value in values))
        heading_style = FontFace(emphasis="BOLD", color=INK, fill_color=(228, 233, 238))
        bold = FontFace(emphasis="BOLD")
        colours = row_colours or {}
        with self.table(
            col_widths=tuple(col_widths),
            text_align=tuple(align),
            headings_style=heading_style,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.EVEN_ROWS,
            line_height=LINE * size / BODY_SIZE,
            padding=(1.2, 1.5, 1.2, 1.5),
            width=self.epw,
            v_align="TOP",
        ) as table:
            table.row(list(headings))
            for index, values in enumerate(rows):
                row = table.row()
                for column, value in enumerate(values):
                    style = bold if index in bold_rows else None
                    colour = colours.get((index, column))
                    if colour is not None:
                        style = FontFace(emphasis="BOLD", color=colour)
                    row.cell(value, style=style)
        self.ln(2)

    def png_height(self, data: bytes, scale: float) -> float:
        """Printed height [mm] of a chart image, to keep charts together before placing them."""
        return self._png_size(data, scale)[1]

    def _png_size(self, data: bytes, scale: float) -> tuple[float, float]:
        from PIL import Image

        with Image.open(BytesIO(data)) as image:
            width_px, height_px = image.size
        width_mm = min(self.epw, width_px / scale * MM_PER_CHART_PX)
        return width_mm, width_mm * height_px / width_px

    def png(self, data: bytes, scale: float, caption: str = "") -> None:
        """A chart image at one fixed size per chart pixel, so every chart's text matches.

        `scale` is the render scale (pixels per chart pixel); the image moves to the next page
        rather than split, and shrinks only if wider than the text.
        """
        width_mm, height_mm = self._png_size(data, scale)
        if self.get_y() + height_mm > self.page_break_trigger:
            self.add_page()
        # Left-aligned: chart titles then line up with the section headings.
        self.image(
            BytesIO(data), x=self.l_margin, w=width_mm, h=height_mm, alt_text=caption or None
        )
        self.set_y(self.get_y() + 2)
