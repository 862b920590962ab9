"""The price catalogue: LiteLLM field mapping, current families, retirement and price age.

Prices are hand-checked: LiteLLM lists USD per token, the catalogue USD per 1M tokens, so
1.25e-06 per token × 1,000,000 = $1.25 per 1M.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from estimators.catalog import (
    STALE_AFTER_DAYS,
    ModelEntry,
    as_of_date,
    closest_current_model,
    get_model,
    is_retired,
    model_ids,
    models,
    parse_model_files,
    price_age,
    prices_as_of,
    retirement_notice,
    retirement_notices,
)
from estimators.estimate import MODEL_ROLES, estimate
from estimators.presets import get_preset
from estimators.price_import import import_prices, litellm_fields
from estimators.scenario import Scenario
from tests.scenarios import BEFORE_RETIREMENTS

TODAY = date(2026, 12, 1)
# The bundled prices' own date, by which the engine judges a model retired.
CATALOGUE_DAY = as_of_date(prices_as_of())
SNAPSHOT = "LiteLLM 1.110.2 wheel price list"

# One entry in LiteLLM's format, every field the catalogue reads plus variants it must ignore.
LITELLM_ENTRY = {
    "litellm_provider": "openai",
    "mode": "chat",
    "input_cost_per_token": 1.25e-06,  # × 1e6 = $1.25 per 1M
    "output_cost_per_token": 1e-05,  # $10.00
    "cache_read_input_token_cost": 1.25e-07,  # $0.125
    "cache_creation_input_token_cost": 1.5625e-06,  # $1.5625
    "input_cost_per_token_batches": 6.25e-07,  # $0.625
    "output_cost_per_token_batches": 5e-06,  # $5.00
    "input_cost_per_token_flex": 6.25e-07,  # ignored: a service tier, not batch
    "input_cost_per_token_above_272k_tokens": 2.5e-06,  # $2.50 past 272,000 tokens
    "output_cost_per_token_above_272k_tokens": 1.5e-05,  # $15.00
    "cache_read_input_token_cost_above_272k_tokens": 2.5e-07,  # $0.25
    "input_cost_per_token_above_272k_tokens_batches": 1.25e-06,  # ignored: batch variant
    "input_cost_per_token_above_128k_tokens": 2e-06,  # $2.00 past 128,000 tokens
    "output_cost_per_token_above_128k_tokens": 1.2e-05,  # $12.00
    "max_input_tokens": 272000,
    "max_output_tokens": 128000,
    "prompt_cache_min_tokens": 1024,
    "supports_reasoning": True,
    "deprecation_date": "2027-01-14",
    "successor_model": "gpt-6-luna",
}


def test_litellm_fields_map_each_per_token_price_to_usd_per_million() -> None:
    fields = litellm_fields(LITELLM_ENTRY)
    assert fields == {
        "input_usd_per_mtok": 1.25,
        "output_usd_per_mtok": 10.0,
        "cached_input_usd_per_mtok": 0.125,
        "cache_write_usd_per_mtok": 1.5625,
        "batch_input_usd_per_mtok": 0.625,
        "batch_output_usd_per_mtok": 5.0,
        "max_input_tokens": 272_000,
        "cache_min_tokens": 1024,
        "supports_reasoning": True,
        "deprecation_date": "2027-01-14",
        # lowest threshold first; "272k" is 272 × 1,000 tokens
        "long_context": [
            {"above_tokens": 128_000, "input_usd_per_mtok": 2.0, "output_usd_per_mtok": 12.0},
            {
                "above_tokens": 272_000,
                "input_usd_per_mtok": 2.5,
                "output_usd_per_mtok": 15.0,
                "cached_input_usd_per_mtok": 0.25,
            },
        ],
    }


def test_prices_are_stored_without_floating_point_noise() -> None:
    # 1e-07 × 1e6 is 0.09999999999999999 in binary floating point; the catalogue stores $0.10.
    assert litellm_fields({"input_cost_per_token": 1e-07})["input_usd_per_mtok"] == 0.1


def test_an_entry_lists_only_what_it_has() -> None:
    assert litellm_fields({"mode": "chat", "input_cost_per_token": 3e-06}) == {
        "input_usd_per_mtok": 3.0
    }


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ({"cache_read_input_token_cost": "cheap"}, "cache_read_input_token_cost"),
        ({"output_cost_per_token_batches": -1e-06}, "output_cost_per_token_batches"),
        ({"input_cost_per_token_above_200k_tokens": float("nan")}, "above_200k"),
        ({"max_input_tokens": 12.5}, "max_input_tokens"),
        ({"supports_reasoning": "yes"}, "supports_reasoning"),
        ({"deprecation_date": "next year"}, "deprecation_date"),
    ],
)
def test_unusable_values_name_their_key(entry: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=key):
        litellm_fields(entry)


def test_import_fills_the_new_fields_and_the_successor_of_a_catalogue_model() -> None:
    table, report = import_prices(json.dumps({"gpt-4.1": LITELLM_ENTRY}), "2026-12-01")
    model = table["gpt-4.1"]
    assert "gpt-4.1" in report.updated
    assert (model.input_usd_per_mtok, model.cached_input_usd_per_mtok) == (1.25, 0.125)
    assert (model.batch_input_usd_per_mtok, model.batch_output_usd_per_mtok) == (0.625, 5.0)
    assert [t.above_tokens for t in model.long_context] == [128_000, 272_000]
    assert (model.supports_reasoning, model.max_input_tokens) == (True, 272_000)
    assert (model.deprecation_date, model.superseded_by) == ("2027-01-14", "gpt-6-luna")
    # one read now dates every field: no separate details provenance is left
    assert (model.as_of, model.details_source) == ("2026-12-01", "")


def test_an_open_weights_entry_is_found_under_its_providers_key() -> None:
    key = get_model("qwen3-32b").litellm_id
    assert key == "deepinfra/Qwen/Qwen3-32B"
    # 1e-07 per token = $0.10 per 1M; 3e-07 = $0.30
    entry = {"input_cost_per_token": 1e-07, "output_cost_per_token": 3e-07}
    table, _ = import_prices(json.dumps({key: entry}), "2026-12-02", "a LiteLLM file")
    assert table["qwen3-32b"].source == "deepinfra/Qwen/Qwen3-32B in a LiteLLM file"
    assert (table["qwen3-32b"].input_usd_per_mtok, table["qwen3-32b"].output_usd_per_mtok) == (
        0.1,
        0.3,
    )


# --- the catalogue as refreshed from LiteLLM 1.110.2 (read 2026-12-01) -----------------------

# Hand-checked against the snapshot: per-token price × 1e6, e.g. gpt-6-sol 2e-06 → $2.00.
CURRENT = {
    # OpenAI: flagship, mid, small of gpt-6; gpt-5.6 and gpt-5.4 with mini and nano
    "gpt-6-astra": (10.0, 50.0),  # 1e-05, 5e-05
    "gpt-6-sol": (2.0, 10.0),  # 2e-06, 1e-05
    "gpt-6-luna": (0.1, 0.5),  # 1e-07, 5e-07
    "gpt-5.6-sol": (4.0, 20.0),
    "gpt-5.6-terra": (2.0, 12.0),
    "gpt-5.6-luna": (0.2, 1.2),
    "gpt-5.4": (2.5, 15.0),  # 2.5e-06, 1.5e-05
    "gpt-5.4-mini": (0.75, 4.5),  # 7.5e-07, 4.5e-06
    "gpt-5.4-nano": (0.2, 1.25),  # 2e-07, 1.25e-06
    # Anthropic
    "claude-opus-5-5": (4.0, 20.0),
    "claude-sonnet-5-5": (2.0, 10.0),
    "claude-haiku-5-5": (0.1, 0.5),
    # Google
    "gemini-3.1-pro-preview": (2.0, 12.0),
    "gemini-3.8-flash": (0.75, 3.75),  # 7.5e-07, 3.75e-06
    "gemini-3.5-flash-lite": (0.3, 2.5),
    # open weights at serverless providers
    "qwen3-8b": (0.2, 0.2),
    "qwen3-14b": (0.12, 0.24),
    "qwen3-32b": (0.08, 0.28),
    "llama-3.3-70b-instruct": (0.23, 0.4),
    "mistral-small-3.2-24b-instruct": (0.075, 0.2),
    "gpt-oss-20b": (0.03, 0.14),
    "gpt-oss-120b": (0.037, 0.17),
}


@pytest.mark.parametrize(("model_id", "prices"), CURRENT.items())
def test_current_families_carry_the_snapshot_prices_with_source_and_date(
    model_id: str, prices: tuple[float, float]
) -> None:
    model = get_model(model_id)
    assert (model.input_usd_per_mtok, model.output_usd_per_mtok) == prices
    assert SNAPSHOT in model.source and model.as_of == "2026-12-01"


def test_fidelity_fields_of_a_current_model() -> None:
    model = get_model("gpt-6-sol")
    # cached 2e-07 → $0.20; cache write 2.5e-06 → $2.50; batch 1e-06 / 5e-06 → $1.00 / $5.00
    assert (model.cached_input_usd_per_mtok, model.cache_write_usd_per_mtok) == (0.2, 2.5)
    assert (model.batch_input_usd_per_mtok, model.batch_output_usd_per_mtok) == (1.0, 5.0)
    tier = model.long_context[0]
    # past 272k tokens: 4e-06 → $4.00 in, 1.5e-05 → $15.00 out
    assert (tier.above_tokens, tier.input_usd_per_mtok, tier.output_usd_per_mtok) == (
        272_000,
        4.0,
        15.0,
    )
    assert (model.supports_reasoning, model.max_input_tokens) == (True, 922_000)
    # Gemini's tier is at 200k: 4e-06 → $4.00 in, 1.8e-05 → $18.00 out
    gemini = get_model("gemini-3.1-pro-preview").long_context[0]
    assert (gemini.above_tokens, gemini.input_usd_per_mtok, gemini.output_usd_per_mtok) == (
        200_000,
        4.0,
        18.0,
    )


def test_make_prices_re_dated_the_older_entries_it_found_and_kept_the_rest() -> None:
    # `make prices` (LiteLLM 1.110.2, read 2026-12-01) found gpt-4.1 at the same $2 / $8: the
    # price is the snapshot's and now carries that read's date and source.
    gpt41 = get_model("gpt-4.1")
    assert (gpt41.input_usd_per_mtok, gpt41.output_usd_per_mtok, gpt41.as_of) == (
        2.0,
        8.0,
        "2026-12-01",
    )
    assert SNAPSHOT in gpt41.source
    # an id the list lacks keeps its own price and date
    assert get_model("mistral-7b-instruct").as_of == "2025-09-05"
    # the training price is not in LiteLLM's list: the offer stays dated by it
    assert gpt41.fine_tuning is not None and gpt41.fine_tuning.as_of == "2025-07"


def test_ids_the_presets_and_tests_use_are_still_there() -> None:
    kept = {
        "gpt-4.1",
        "gpt-4.1-mini",
        "gpt-4.1-nano",
        "gpt-4o",
        "gpt-4o-mini",
        "gpt-5",
        "gpt-5-mini",
        "gpt-5-nano",
        "gpt-3.5-turbo",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "text-embedding-3-small",
        "text-embedding-3-large",
        "llama-3.1-8b-instruct",
        "llama-3.1-70b-instruct",
        "qwen2.5-14b-instruct",
        "qwen2.5-32b-instruct",
        "qwen2.5-72b-instruct",
    }
    assert kept <= set(models())


def test_openai_fine_tuning_offers_carry_the_per_example_cap() -> None:
    caps = {m: get_model(m).fine_tuning.max_tokens_per_example for m in ("gpt-4o", "gpt-4o-mini")}
    assert caps == {"gpt-4o": 65_536, "gpt-4o-mini": 65_536}
    offer = get_model("gpt-4.1-mini").fine_tuning
    assert offer is not None and offer.max_tokens_per_example == 65_536 and offer.limits_source


def test_open_weights_adapters_are_documented_but_not_served_at_base_price() -> None:
    offers = {o.provider: o for o in get_model("qwen3-8b").adapter_fine_tuning}
    assert offers["fireworks_ai"].training_usd_per_mtok == 0.5  # up to 16B parameters
    assert get_model("qwen3-32b").adapter_fine_tuning[0].training_usd_per_mtok == 3.0  # 16.1-80B
    assert not any(o.served_at_base_price for o in offers.values())


@pytest.mark.parametrize("model_id", model_ids("chat"))
def test_a_model_without_an_offer_keeps_the_api_fine_tunes_unavailable(model_id: str) -> None:
    scenario = Scenario.model_validate({"models": {"small": model_id, "large": model_id}})
    result = estimate(scenario)
    for approach in ("lora", "full"):
        outcome = result.approach(approach)
        reason = outcome.unavailable_reason or ""
        if is_retired(get_model(model_id), CATALOGUE_DAY):  # the shutdown says it first
            assert not outcome.available and f"'{model_id}' was retired on" in reason
            continue
        if get_model(model_id).fine_tuning is not None:
            assert outcome.available
            continue
        assert not outcome.available and outcome.total_usd is None
        assert f"'{model_id}' has no fine-tuning offer" in reason
        assert "gpt-4.1-mini (shutdown 2027-01-14)" in reason and "self-host" in reason


def test_a_catalogue_successor_must_be_another_known_model() -> None:
    entry = get_model("gpt-5").model_dump(mode="json") | {"superseded_by": "gpt-99"}
    with pytest.raises(ValueError, match="superseded_by 'gpt-99'"):
        parse_model_files({"x.json": json.dumps({"models": [entry]})})


# --- retired models ---------------------------------------------------------------------------


def test_a_scenario_naming_a_retired_model_loads_and_says_the_model_no_longer_answers() -> None:
    # gpt-3.5-turbo shut down on 2026-10-23 (LiteLLM deprecation_date); the catalogue is dated
    # 2026-12-01, so the three approaches it serves cannot run, and say why and what to use.
    scenario = Scenario.model_validate({"models": {"general": "gpt-3.5-turbo"}})
    result = estimate(scenario)
    for approach in ("prompting", "dspy", "rag"):
        outcome = result.approach(approach)
        assert not outcome.available and outcome.total_usd is None
        assert outcome.unavailable_reason == (
            "models.general 'gpt-3.5-turbo' was retired on 2026-10-23 (prices as of 2026-12-01), "
            "so it answers no queries. Closest current model: 'gpt-5.6-terra'."
        )
    assert result.recommendation.approach not in {"prompting", "dspy", "rag"}
    # Priced as of a day before its shutdown (a price file of that day), it answers again.
    assert estimate(scenario, BEFORE_RETIREMENTS).approach("prompting").available
    notice = retirement_notice("gpt-3.5-turbo", TODAY)
    assert notice is not None and notice.retired and notice.suggested == "gpt-5.6-terra"
    assert notice.message.startswith("'gpt-3.5-turbo' was retired on 2026-10-23.")


def test_a_fine_tune_of_a_retired_model_cannot_run_and_points_at_a_fine_tunable_model() -> None:
    # LoRA on gpt-4.1-nano through OpenAI: it shut down on 2026-10-23; gpt-4o-mini still takes
    # fine-tuning jobs (until 2027-01-14), gpt-6-luna (closest in price) takes none.
    models_ = {"general": "gpt-4.1", "small": "gpt-4.1-nano", "large": "gpt-4.1"}
    result = estimate(Scenario.model_validate({"models": models_}))
    for approach in ("lora", "rag_lora"):
        assert result.approach(approach).unavailable_reason == (
            "models.small 'gpt-4.1-nano' was retired on 2026-10-23 (prices as of 2026-12-01), so "
            "it answers no queries. Closest model with a fine-tuning offer: 'gpt-4o-mini' "
            "(itself scheduled to retire on 2027-01-14)."
        )
    assert result.approach("prompting").available and result.approach("full").available
    # The date is the prices', not the clock's: a price file of 2026-10-01 still runs it.
    assert (
        estimate(Scenario.model_validate({"models": models_}), BEFORE_RETIREMENTS)
        .approach("lora")
        .available
    )


def test_a_scheduled_shutdown_is_a_notice_but_not_a_retirement() -> None:
    notice = retirement_notice("gpt-4.1", TODAY)
    assert notice is not None and not notice.retired
    assert (notice.deprecation_date, notice.suggested) == ("2027-01-14", "gpt-6-luna")
    assert retirement_notice("gpt-6-sol", TODAY) is None
    after = retirement_notice("gpt-4.1", date(2027, 1, 14))
    assert after is not None and after.retired


def test_a_fine_tuned_model_is_pointed_only_at_a_model_the_provider_also_fine_tunes() -> None:
    # gpt-4.1 is fine-tuned in the support-chatbot preset: gpt-6-luna (its named successor) has
    # no fine-tuning offer, and every OpenAI model that has one retires on 2027-01-14 with it
    notice = retirement_notice("gpt-4.1", TODAY, fine_tuned=True)
    assert notice is not None and notice.suggested is None
    assert "No 'openai' model with a documented fine-tuning offer outlives it" in notice.message
    assert "fine_tuning.hosting 'self_hosted'" in notice.message
    # gpt-4.1-nano (retired 2026-10-23): gpt-4o-mini still takes fine-tuning jobs until 2027-01-14,
    # and is the closest in price ($0.15 / $0.60 against $0.10 / $0.40 per 1M)
    nano = retirement_notice("gpt-4.1-nano", TODAY, fine_tuned=True)
    assert nano is not None and nano.retired and nano.suggested == "gpt-4o-mini"
    assert "'gpt-4o-mini' (itself scheduled to retire on 2027-01-14)" in nano.message
    # only the preset's fine-tuned models get the fine-tuning wording
    preset = get_preset("support-chatbot").scenario
    assert preset.provider_fine_tuned_models == ("gpt-4.1-mini", "gpt-4.1")
    selfhosted = get_preset("self-hosted-triage").scenario
    assert selfhosted.provider_fine_tuned_models == ()


def test_notices_for_a_presets_models_in_order_without_repeats() -> None:
    # A scenario saved before the preset moved off gpt-4.1-nano (retired 2026-10-23).
    preset = get_preset("ticket-triage").scenario
    scenario = preset.model_copy(
        update={"models": preset.models.model_copy(update={"small": "gpt-4.1-nano"})}
    )
    ids = [getattr(scenario.models, role) for role in MODEL_ROLES]
    notices = retirement_notices(ids, TODAY)
    # gpt-5.4 (general) and the embedding have no shutdown date; gpt-4.1-nano (small) is retired,
    # gpt-4.1 (large) scheduled
    assert [(n.model, n.retired) for n in notices] == [("gpt-4.1-nano", True), ("gpt-4.1", False)]


def _entry(model_id: str, price: float, **fields: object) -> ModelEntry:
    return ModelEntry.model_validate(
        {
            "id": model_id,
            "provider": fields.pop("provider", "acme"),
            "kind": "chat",
            "input_usd_per_mtok": price,
            "output_usd_per_mtok": 4 * price,
            "context_tokens": 1000,
            "encoding": "o200k_base",
            "encoding_exact": False,
            "open_weights": False,
            "source": "test",
            "as_of": fields.pop("as_of", "2026-07-24"),
            **fields,
        }
    )


def test_the_suggestion_follows_successors_past_retired_ones_or_takes_the_closest_price() -> None:
    table = {
        "old": _entry("old", 1.0, deprecation_date="2026-01-01", superseded_by="mid"),
        "mid": _entry("mid", 1.0, deprecation_date="2026-06-01", superseded_by="new"),
        "new": _entry("new", 3.0),
        "orphan": _entry("orphan", 1.0, deprecation_date="2026-01-01"),
        "cheap": _entry("cheap", 0.9),
        "other": _entry("other", 1.0, provider="elsewhere"),
    }
    assert closest_current_model("old", TODAY, table) == "new"
    # no successor: the current model of the same provider whose prices are closest
    assert closest_current_model("orphan", TODAY, table) == "cheap"
    assert closest_current_model("new", TODAY, table) == "new"


# --- price age ------------------------------------------------------------------------------


def test_catalogue_dates_read_month_only_dates_as_the_first() -> None:
    assert as_of_date("2025-07") == date(2025, 7, 1)
    with pytest.raises(ValueError, match="not a YYYY-MM-DD"):
        as_of_date("mid-2025")


def test_price_age_counts_days_to_the_newest_and_oldest_price() -> None:
    table = {
        "a": _entry("a", 1.0, as_of="2026-07-24"),
        "b": _entry("b", 1.0, as_of="2025-09-05"),
        "c": _entry("c", 1.0, as_of="2026-12-01"),
    }
    age = price_age(["a", "b", "a"], TODAY, table)
    # 2026-07-24 → 2026-12-01: 7 (to Jul 31) + 31 + 30 + 31 + 30 + 1 = 130 days
    # 2025-09-05 → 2026-12-01: 365 (to 2026-09-05) + 25 + 31 + 30 + 1 = 452 days
    assert (age.newest_as_of, age.days_since_newest) == ("2026-07-24", 130)
    assert (age.oldest_as_of, age.oldest_model, age.days_since_oldest) == ("2025-09-05", "b", 452)
    assert age.is_stale() and STALE_AFTER_DAYS == 90
    assert not price_age(["c"], TODAY, table).is_stale()


def test_price_age_of_a_preset_dates_fine_tuning_offers_apart() -> None:
    scenario = get_preset("support-chatbot").scenario
    age = price_age([getattr(scenario.models, role) for role in MODEL_ROLES], TODAY)
    # every token price re-read on 2026-12-01 (0 days), but the OpenAI training prices of
    # "2025-07", read as 2025-07-01, are 365 + 153 = 518 days old
    assert (age.days_since_newest, age.days_since_oldest) == (0, 0)
    assert (age.oldest_fine_tuning_as_of, age.days_since_oldest_fine_tuning) == ("2025-07-01", 518)


def test_price_age_names_an_unknown_model() -> None:
    with pytest.raises(ValueError, match="unknown model 'gpt-99'"):
        price_age(["gpt-99"], TODAY)


def test_an_estimate_is_dated_by_the_models_it_uses_not_the_whole_catalogue() -> None:
    scenario = get_preset("support-chatbot").scenario
    used = {getattr(scenario.models, role) for role in MODEL_ROLES}
    newest = max([get_model(m).as_of for m in used] + ["2025-07"])
    assert estimate(scenario).prices_as_of == newest == "2026-12-01"
