"""The PDF's "How sure" section: ranges, flips, the tornado, and still 2–6 pages."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from estimators.estimate import estimate
from estimators.presets import get_preset, presets
from estimators.results import Estimate
from estimators.uncertainty.analysis import with_uncertainty
from report.pdf import estimate_pdf
from report.pdf_uncertainty import tornado_approach
from report.sentences import MAX_FLIPS_NAMED, flips_sentence, likely_below_middle
from tests.unit.pdf_reading import image_count, page_count, render_pages, text_of


def ranged_estimate(preset_id: str, scenario_update: dict[str, object] | None = None) -> Estimate:
    """A preset priced and run through the real Monte Carlo (500 draws keep the suite quick)."""
    scenario = get_preset(preset_id).scenario
    if scenario_update:
        scenario = scenario.model_copy(update=scenario_update)
    return with_uncertainty(estimate(scenario), draws=500, seed=1)


@pytest.fixture(scope="module")
def ranged_estimates() -> dict[str, Estimate]:
    return {preset_id: ranged_estimate(preset_id) for preset_id in presets()}


@pytest.fixture(scope="module")
def ranged_pdfs(ranged_estimates: dict[str, Estimate]) -> dict[str, bytes]:
    """Every preset's PDF with the ranges: the longest report each can produce."""
    return {
        preset_id: estimate_pdf(result, generated=date(2025, 7, 1))
        for preset_id, result in ranged_estimates.items()
    }


@pytest.fixture(scope="module")
def ranged(ranged_estimates: dict[str, Estimate]) -> Estimate:
    return ranged_estimates["support-chatbot"]


@pytest.fixture(scope="module")
def ranged_pdf(ranged_pdfs: dict[str, bytes]) -> bytes:
    return ranged_pdfs["support-chatbot"]


def test_the_tornado_is_of_the_recommended_approach_else_the_cheapest(ranged: Estimate) -> None:
    assert tornado_approach(ranged) == ranged.recommendation.approach == "rag"
    none = ranged.recommendation.model_copy(update={"approach": None})
    assert tornado_approach(ranged.model_copy(update={"recommendation": none})) == "prompting"


def test_no_flip_is_said_in_one_sentence() -> None:
    # Ticket triage at twice its volume (400,000 a day): the LoRA fine-tune of gpt-4.1-mini is
    # cheapest at either end of every range (at its own volume, half the API prices tip it).
    traffic = get_preset("ticket-triage").scenario.traffic
    triage = ranged_estimate(
        "ticket-triage", {"traffic": traffic.model_copy(update={"queries_per_day": 400_000})}
    )
    assert triage.uncertainty is not None
    assert triage.uncertainty.flips == []
    assert (
        "No single assumption, moved alone to its low or its high, makes another approach "
        "cheaper than LoRA fine-tune (small model)."
        in text_of(estimate_pdf(triage, generated=date(2025, 7, 1)))
    )


def test_many_flips_are_named_up_to_a_few_and_counted_after(
    ranged_estimates: dict[str, Estimate],
) -> None:
    # Support chatbot: prompting and DSPy are close, so eight assumptions each tip it to DSPy.
    chatbot = ranged_estimates["support-chatbot"]
    assert chatbot.uncertainty is not None
    flips = chatbot.uncertainty.flips
    assert len(flips) > MAX_FLIPS_NAMED
    sentence = flips_sentence(chatbot)
    for flip in flips[:MAX_FLIPS_NAMED]:
        assert f"{flip.assumption} at its {flip.at}" in sentence
    assert f"and {len(flips) - MAX_FLIPS_NAMED} more such assumptions." in sentence


def test_the_cost_section_says_why_the_likely_totals_sit_low_in_the_ranges(
    ranged: Estimate, ranged_pdf: bytes
) -> None:
    # Every approach's P50 is above its total at the likely values (e.g. RAG $49,218 > $41,669).
    assert all(a.range and a.total_usd and a.range.p50 > a.total_usd for a in ranged.approaches)
    text = text_of(ranged_pdf)
    assert "at the low end of the ranges under “How sure” for every approach" in text
    assert "most ranges lean towards more hours than the likely value" in text


def _with_p50_below_total(result: Estimate, approach_ids: set[str]) -> Estimate:
    approaches = [
        a.model_copy(update={"range": a.range.model_copy(update={"p50": a.total_usd * 0.9})})
        if a.id in approach_ids and a.range and a.total_usd
        else a
        for a in result.approaches
    ]
    return result.model_copy(update={"approaches": approaches})


def test_the_note_counts_the_approaches_when_not_all_sit_low(ranged: Estimate) -> None:
    one_below = _with_p50_below_total(ranged, {"full"})
    assert "for 5 of 6 approaches" in likely_below_middle(one_below)
    # 2 of 6 above the likely total is not "many": no note.
    below = {"rag", "lora", "full", "rag_lora"}
    assert likely_below_middle(_with_p50_below_total(ranged, below)) == ""


@pytest.mark.parametrize("preset_id", list(presets()))
def test_every_preset_with_ranges_stays_within_two_to_six_pages(
    ranged_pdfs: dict[str, bytes], preset_id: str
) -> None:
    pdf = ranged_pdfs[preset_id]
    assert 2 <= page_count(pdf) <= 6
    assert image_count(pdf) == 3


def test_a_long_description_with_ranges_still_fits_six_pages() -> None:
    for preset_id in ("support-chatbot", "legal-summaries"):
        scenario = get_preset(preset_id).scenario
        task = scenario.task.model_copy(update={"description": "word " * 1000})
        pdf = estimate_pdf(ranged_estimate(preset_id, {"task": task}))
        assert page_count(pdf) <= 6, preset_id


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_every_ranged_report_renders_to_png_for_a_look(ranged_pdfs: dict[str, bytes]) -> None:
    for preset_id, pdf in ranged_pdfs.items():
        assert render_pages(f"ranged-{preset_id}", pdf) == page_count(pdf)
