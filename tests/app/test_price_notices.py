"""Price age and retiring models, said where the totals are."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import plain, texts


def _notices(today: str, models: dict[str, str] | None = None) -> AppTest:
    def page(today: str, models: dict[str, str] | None) -> None:
        from datetime import date

        from dashboard.widgets import price_notices
        from estimators.scenario import parse_scenario

        price_notices.show(parse_scenario({"models": models or {}}), date.fromisoformat(today))

    at = AppTest.from_function(page, kwargs={"today": today, "models": models})
    return at.run()


def test_fresh_prices_raise_no_warning_but_training_prices_are_dated_apart() -> None:
    at = _notices("2026-12-01")
    assert not at.exception and not at.warning
    # gpt-4.1's training price is OpenAI's of 2025-07: dated apart, as no price list has it
    assert "fine-tuning training prices as of 2025-07-01" in texts(at)


def test_prices_older_than_90_days_get_a_warning_with_how_to_refresh() -> None:
    # the catalogue was read on 2026-12-01: 91 days later is 2027-03-02
    assert not _notices("2027-03-01").warning  # 90 days: not yet stale
    warning = _notices("2027-03-02").warning[0].value
    assert "91 days old" in warning and "make prices" in warning


def test_a_retiring_model_is_named_with_its_closest_current_model() -> None:
    # the small model is fine-tuned (API hosting): its suggestion must take fine-tuning jobs too
    at = _notices("2026-12-01", {"small": "gpt-4.1-nano", "general": "gpt-4o"})
    infos = [plain(i.value) for i in at.info]
    assert any(
        "'gpt-4.1-nano' was retired on 2026-10-23" in i
        and "Closest model with a fine-tuning offer: 'gpt-4o-mini'" in i
        for i in infos
    )
    # the general model is only prompted: any current model will do
    assert any(
        "'gpt-4o' is scheduled to retire on 2027-01-14" in i and "Closest current model" in i
        for i in infos
    )
    assert any(
        "'gpt-4.1' is scheduled to retire on 2027-01-14" in i and "outlives it" in i for i in infos
    )


def _notices_with_upload(today: str, file_name: str) -> AppTest:
    def page(today: str, file_name: str) -> None:
        from datetime import date

        from dashboard.prices import read_upload
        from dashboard.widgets import price_notices
        from estimators.scenario import Scenario

        raw = b'{"gpt-4.1": {"input_cost_per_token": 4e-06}}'
        uploaded = read_upload(file_name, raw, date.fromisoformat(today))
        price_notices.show(Scenario(), date.fromisoformat(today), uploaded=uploaded)

    return AppTest.from_function(page, kwargs={"today": today, "file_name": file_name}).run()


def test_uploaded_prices_are_named_and_dated_by_their_file():
    at = _notices_with_upload("2026-12-01", "litellm-2026-07-24.json")
    assert not at.exception
    info = texts(at)
    assert "Token prices from the uploaded file litellm-2026-07-24.json" in info
    assert "(as of 2026-07-24, the date in its name) for gpt-4.1" in info
    # 2026-07-24 → 2026-12-01 is 130 days: stale, and the fix is a newer file, not `make prices`
    warning = at.warning[0].value
    assert "130 days old (gpt-4.1, as of 2026-07-24)" in warning
    assert "Load a newer LiteLLM price file" in warning and "make prices" not in warning


def test_stale_built_in_prices_also_point_to_the_prices_upload():
    warning = _notices("2027-03-02").warning[0].value
    assert "or load a LiteLLM price file under **Prices** in the sidebar" in warning
