"""The PDF summary: a real PDF whose text carries the estimate's figures, in any script."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from estimators.estimate import estimate
from estimators.presets import get_preset
from estimators.price_import import import_prices
from estimators.results import Estimate
from estimators.uncertainty.analysis import with_uncertainty
from report.cli import main
from report.format import ordinal, probability, usd
from report.pdf import estimate_pdf
from report.pdf_fonts import FONTS_DIR, fallbacks_needed, needs_shaping
from report.plain import plain
from tests.unit.pdf_reading import image_count, page_count, render_pages, text_of


@pytest.fixture(scope="module")
def chatbot() -> Estimate:
    return estimate(get_preset("support-chatbot").scenario)


@pytest.fixture(scope="module")
def chatbot_pdf(chatbot: Estimate) -> bytes:
    return estimate_pdf(chatbot, generated=date(2025, 7, 1))


@pytest.fixture(scope="module")
def chatbot_text(chatbot_pdf: bytes) -> str:
    return text_of(chatbot_pdf)


def test_the_bytes_are_a_pdf_of_two_to_six_pages(chatbot_pdf: bytes) -> None:
    assert chatbot_pdf.startswith(b"%PDF-")
    assert chatbot_pdf.rstrip().endswith(b"%%EOF")
    assert 2 <= page_count(chatbot_pdf) <= 6


def test_the_title_names_the_scenario_date_and_price_date(
    chatbot: Estimate, chatbot_text: str
) -> None:
    assert chatbot.scenario.name in chatbot_text
    assert "1 July 2025" in chatbot_text
    assert f"prices as of {chatbot.prices_as_of}" in chatbot_text


def test_every_approach_and_the_recommendation_are_named(
    chatbot: Estimate, chatbot_text: str
) -> None:
    for approach in chatbot.approaches:
        assert approach.name in chatbot_text
    assert chatbot.recommendation.headline in chatbot_text
    for reason in chatbot.recommendation.reasons:
        assert plain(reason) in chatbot_text


def test_reasons_say_fields_in_words_not_as_field_paths(chatbot_text: str) -> None:
    # The engine's reasons name `task.problems` and `task.prompting_tried`; people read words.
    for path in ("task.problems", "task.prompting_tried", "horizon_months"):
        assert path not in chatbot_text
    assert "prompting already tried: no" in chatbot_text


def test_the_cost_table_prints_the_estimates_figures(chatbot: Estimate, chatbot_text: str) -> None:
    for a in chatbot.approaches:
        assert a.available
        # e.g. Prompting: $960 setup, $0.00310 a query, $480 a month, $13,416 over 12 months.
        row = " ".join(
            [
                a.name,
                usd(a.setup_usd),
                usd(a.per_query_usd),
                usd(a.maintenance_usd_per_month),
                usd(a.total_usd),
            ]
        )
        assert row in chatbot_text


def test_the_cheapest_and_the_break_even_volumes_are_stated(
    chatbot: Estimate, chatbot_text: str
) -> None:
    cheapest = chatbot.approach(chatbot.cheapest or "")
    assert f"Cheapest over 12 months: {cheapest.name} at {usd(cheapest.total_usd)}" in chatbot_text
    crossings = [b for b in chatbot.break_even if b.daily_queries is not None]
    assert crossings
    for b in crossings:
        assert f"above {b.daily_queries:,.0f} a day" in chatbot_text


def test_the_framework_is_cited(chatbot_text: str) -> None:
    assert '"Fine-Tuning: When & Why"' in chatbot_text


def test_assumptions_are_listed_with_their_sources(chatbot: Estimate, chatbot_text: str) -> None:
    top_k = next(a for a in chatbot.assumptions if a.id == "rag.top_k")
    assert "rag.top_k *" in chatbot_text  # set in the preset, so marked
    assert top_k.source in chatbot_text


def test_both_charts_are_embedded_as_images(chatbot_pdf: bytes) -> None:
    assert image_count(chatbot_pdf) == 2


def test_pages_are_numbered_and_the_footer_names_the_tool(chatbot_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(chatbot_pdf))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert f"Page {number} of {pages}" in text
        assert "finetune-or-not" in text


UNICODE_NAMES = {
    "accents": "Café Zoë: naïve façade, Ørsted & Łódź",
    "cjk": "日本語サポート 中文客服 한국어 상담",
    "hebrew": "צ'אטבוט תמיכה",
    "arabic": "روبوت الدعم",
    "emoji": "Support bot 🚀 ✅ ☕",
}
# Devanagari, an emoji newer than Symbola's Unicode 9 and a private-use code point: no bundled
# font has them, so they print blank, but they must not stop the export.
UNCOVERED = "नमस्ते 🫠 \ue000"


@pytest.fixture(scope="module")
def unicode_pdf(chatbot: Estimate) -> bytes:
    """One export whose name mixes every script (one render keeps the suite quick)."""
    task = chatbot.scenario.task.model_copy(update={"description": f"Greets users: {UNCOVERED}."})
    scenario = chatbot.scenario.model_copy(
        update={"name": " · ".join(UNICODE_NAMES.values()), "task": task}
    )
    named = chatbot.model_copy(update={"scenario": scenario})
    return estimate_pdf(named, mitigations_note=f"{UNCOVERED} and שלום and 日本")


@pytest.fixture(scope="module")
def unicode_text(unicode_pdf: bytes) -> str:
    return text_of(unicode_pdf)


@pytest.mark.parametrize("script", list(UNICODE_NAMES))
def test_a_name_in_any_script_survives_to_the_text(unicode_text: str, script: str) -> None:
    for word in UNICODE_NAMES[script].split():
        assert word in unicode_text, (script, word)


def test_text_no_font_covers_prints_without_raising(unicode_pdf: bytes, unicode_text: str) -> None:
    assert unicode_pdf.startswith(b"%PDF-")
    assert "Greets users:" in unicode_text


def test_fallback_fonts_load_only_when_the_text_needs_them() -> None:
    assert fallbacks_needed("Plain Latin, Ελληνικά, Русский, עברית, العربية") == []
    assert fallbacks_needed("中文") == ["DroidFallback"]
    assert fallbacks_needed("🚀 and 日本") == ["DroidFallback", "Symbola"]
    assert needs_shaping("שלום") and needs_shaping("مرحبا")
    assert not needs_shaping("Café 日本語 🚀")


def test_every_bundled_font_has_its_licence_named() -> None:
    readme = (FONTS_DIR / "README.md").read_text(encoding="utf-8")
    for font in FONTS_DIR.glob("*.ttf"):
        assert font.name in readme
    for licence in re.findall(r"`(LICENSE-[^`]+)`", readme):
        assert (FONTS_DIR / licence).is_file()


@pytest.fixture(scope="module")
def mitigated(chatbot: Estimate) -> Estimate:
    """The chatbot with one mitigation ticked, run through the real Monte Carlo (500 draws keep
    the suite quick): its ranges, P(cheapest) and tornado rows as the CLI would attach them."""
    scenario = chatbot.scenario.model_copy(
        update={"mitigations_in_place": ["fabricated_citations"]}
    )
    return with_uncertainty(estimate(scenario), draws=500, seed=1)


@pytest.fixture(scope="module")
def mitigated_pdf(mitigated: Estimate) -> bytes:
    return estimate_pdf(mitigated, mitigations_note="Weekly spot checks of 50 answers ✅")


def test_the_risk_checklist_shows_every_risk_level_and_mitigation(
    chatbot: Estimate, chatbot_text: str
) -> None:
    assert chatbot.risks
    # support-chatbot recommends RAG with a hand-tuned prompt: the risks that RAG or prompting
    # invite are printed in full; the others are named in one sentence.
    chosen = {"rag", "prompting"}
    mine = [r for r in chatbot.risks if chosen & set(r.applies_to)]
    for risk in chatbot.risks:
        assert risk.title in chatbot_text
    for risk in mine:
        assert risk.mitigation in chatbot_text
    assert f"0 of {len(mine)} mitigations are marked as in place" in chatbot_text
    assert "Failure modes of the approaches not recommended:" in chatbot_text


def test_the_risk_checklist_shows_the_ticked_mitigations(mitigated_pdf: bytes) -> None:
    text = text_of(mitigated_pdf)
    assert "☑ in place" in text
    assert "1 of " in text and "mitigations are marked as in place" in text
    assert "Weekly spot checks of 50 answers" in text


def test_the_decision_path_is_printed(chatbot: Estimate, chatbot_text: str) -> None:
    assert "How the recommendation was reached" in chatbot_text
    for step in chatbot.decision_path:
        assert step.question in chatbot_text


def test_ranges_are_printed_when_present(mitigated: Estimate, mitigated_pdf: bytes) -> None:
    text = text_of(mitigated_pdf)
    assert "How sure: 12-month totals as ranges" in text
    for a in mitigated.approaches:
        assert a.range is not None
        # e.g. Prompting $13,178 $16,063 $19,152 97%
        row = " ".join(
            [
                a.name,
                usd(a.range.p10),
                usd(a.range.p50),
                usd(a.range.p90),
                probability(a.p_cheapest),
            ]
        )
        assert row in text
    assert "500 draws" in text


def test_ranges_are_left_out_when_no_analysis_was_run(chatbot_text: str) -> None:
    assert "P10" not in chatbot_text
    assert "How sure" not in chatbot_text
    assert "could flip the cheapest" not in chatbot_text


def test_the_tornado_is_a_third_image_when_sensitivity_exists(mitigated_pdf: bytes) -> None:
    assert image_count(mitigated_pdf) == 3


def test_the_cost_section_has_no_such_note_without_ranges(chatbot_text: str) -> None:
    assert "lean towards more hours" not in chatbot_text


def test_a_long_description_is_shortened_to_keep_the_report_short(chatbot: Estimate) -> None:
    task = chatbot.scenario.task.model_copy(update={"description": "word " * 1000})
    scenario = chatbot.scenario.model_copy(update={"task": task})
    pdf = estimate_pdf(chatbot.model_copy(update={"scenario": scenario}))
    assert "(shortened)" in text_of(pdf)
    assert page_count(pdf) <= 6


def test_the_cli_writes_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.pdf"
    assert main(["estimate", "support-chatbot", "--pdf", str(out)]) == 0
    assert "PDF written" in capsys.readouterr().err
    assert "Acme support chatbot" in text_of(out.read_bytes())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_pages_render_to_png_for_a_look(chatbot_pdf: bytes, unicode_pdf: bytes) -> None:
    for stem, pdf in (("chatbot", chatbot_pdf), ("unicode", unicode_pdf)):
        assert render_pages(stem, pdf) == page_count(pdf)


def test_an_unavailable_approach_prints_its_reason_instead_of_costs() -> None:
    triage = estimate(get_preset("ticket-triage").scenario)
    rag = triage.approach("rag")
    assert not rag.available
    text = text_of(estimate_pdf(triage))
    assert f"{rag.name} n/a n/a n/a n/a unavailable" in text
    assert " ".join(rag.unavailable_reason.split()) in text


def test_an_estimate_with_nothing_priced_still_exports_without_charts(chatbot: Estimate) -> None:
    nothing = chatbot.model_copy(
        update={
            "approaches": [
                a.model_copy(update={"available": False, "cumulative_usd": None, "total_usd": None})
                for a in chatbot.approaches
            ],
            "break_even": [],
        }
    )
    pdf = estimate_pdf(nothing)
    assert image_count(pdf) == 0
    assert "No approach could be priced" in text_of(pdf)


@pytest.mark.parametrize(
    ("per_query_usd", "shown"),
    [(0.0031, "$0.0031"), (0.00096, "$0.00096"), (0.000074, "$0.000074"), (0.5, "$0.50")],
)
def test_per_query_prices_show_three_significant_digits(per_query_usd: float, shown: str) -> None:
    assert usd(per_query_usd) == shown


@pytest.mark.parametrize(
    ("amount", "shown"), [(13415.53, "$13,416"), (99.5, "$99.50"), (None, "—"), (-250, "-$250")]
)
def test_money_is_whole_dollars_from_100_and_cents_below(amount: float | None, shown: str) -> None:
    assert usd(amount) == shown


def test_a_right_to_left_name_does_not_reorder_the_english_around_it() -> None:
    # With a right-to-left base direction, "שלום Acme — finetune-or-not" in the running title
    # came out with the tool's name before the Hebrew; a left-to-right base keeps the order typed.
    name = "צ'אטבוט תמיכה Acme"
    scenario = get_preset("support-chatbot").scenario.model_copy(update={"name": name})
    pdf = estimate_pdf(estimate(scenario), generated=date(2025, 7, 1))
    second_page = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    running_title = second_page.splitlines()[0]
    assert running_title.endswith("Acme — finetune-or-not"), running_title
    assert running_title.index("תמיכה") < running_title.index("Acme")


def test_the_pdf_dates_training_prices_apart_and_names_retiring_models(chatbot: Estimate) -> None:
    text = text_of(estimate_pdf(chatbot, generated=date(2026, 12, 1)))
    assert "Fine-tuning training prices are as of 2025-07-01" in text
    assert "'gpt-4.1' is scheduled to retire on 2027-01-14" in text
    later = text_of(estimate_pdf(chatbot, generated=date(2027, 6, 1)))
    # 2026-12-01 → 2027-06-01 is 182 days: past the 90-day mark, with how to refresh
    assert "Some token prices are 182 days old" in later and "make prices" in later


def test_prices_from_a_file_are_named_and_dated_by_that_file() -> None:
    """The dashboard's upload and the CLI's --prices both hand the PDF the table they used."""
    raw = '{"gpt-4.1": {"input_cost_per_token": 4e-06, "output_cost_per_token": 1.6e-05}}'
    table, _ = import_prices(raw, "2026-07-24", "LiteLLM file prices.json")
    result = estimate(get_preset("support-chatbot").scenario, table)
    text = text_of(
        estimate_pdf(
            result,
            generated=date(2026, 12, 1),
            prices=table,
            prices_source="LiteLLM file prices.json",
        )
    )
    assert "Token prices from LiteLLM file prices.json for the models it lists" in text
    # gpt-4.1 now dates from the file: 2026-07-24 → 2026-12-01 is 130 days, past the 90-day mark
    assert "Some token prices are 130 days old (gpt-4.1, as of 2026-07-24)" in text


def test_a_mix_is_one_line_under_the_cost_table_and_the_report_stays_within_six_pages() -> None:
    scenario = get_preset("support-chatbot").scenario
    traffic = scenario.traffic.model_copy(update={"routing": {"lora": 0.7, "rag": 0.3}})
    result = with_uncertainty(
        estimate(scenario.model_copy(update={"traffic": traffic})), draws=500, seed=1
    )
    mix = result.mix
    assert mix is not None and mix.range is not None
    pdf = estimate_pdf(result, generated=date(2025, 7, 1))
    text = text_of(pdf)
    assert (
        f"Mix: 70% LoRA fine-tune, 30% RAG, a traffic split ranked {ordinal(mix.rank or 0)} of 7 "
        "by total: "
        f"setup {usd(mix.setup_usd)}, per query {usd(mix.per_query_usd)}"
    ) in text
    assert f"total {usd(mix.total_usd)} over 12 months" in text
    assert "the share-weighted mean of its parts'" in text
    assert page_count(pdf) <= 6
