"""Compare page: opens complete on the default preset, follows the inputs, explains each figure."""

from __future__ import annotations

from dashboard import share_link, state
from estimators.estimate import estimate
from estimators.presets import DEFAULT_PRESET, get_preset
from report.format import ordinal, usd
from tests.app.conftest import (
    alerts,
    cost_table,
    dollars,
    input_key,
    open_groups,
    page_path,
    scenario_of,
    tables,
    texts,
    totals_shown,
)


def test_opens_on_the_default_preset_with_every_approach_priced(app):
    at = app()
    expected = estimate(get_preset(DEFAULT_PRESET).scenario)
    assert totals_shown(at) == {a.name: usd(a.total_usd) for a in expected.approaches}
    table = cost_table(at).set_index("Approach")
    assert table.loc["LoRA fine-tune (small model)", "Per query"] == "$0.00096"
    assert table.loc["RAG ★", "Verdict"] == "Recommended"
    assert scenario_of(at) == get_preset(DEFAULT_PRESET).scenario


def test_headline_names_the_recommendation_the_cheapest_and_a_break_even(app):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Recommended"] == "RAG"
    assert metrics["Cheapest over 12 months"] == "Prompting"
    # support-chatbot: RAG's rival is the cheapest other approach, prompting; their totals do
    # not cross at any volume (the CLI's break_even has null month and volume for that pair).
    assert metrics["Break-even vs Prompting"] == "No crossing"
    assert "None" not in metrics.values()


def test_draws_the_cost_charts_and_how_sure_they_are(app):
    at = app()
    # cumulative cost, composition, cost per 1,000 queries
    assert len(at.get("vega_lite_chart")) == 3
    table = cost_table(at).set_index("Approach")
    assert table.loc["Prompting", "Chance cheapest"].endswith("%")
    assert " – " in table.loc["RAG ★", "P10–P90"]


def open_lower_charts(at):
    """Open the panels of the latency chart, P(cheapest) and the tornado (drawn when opened)."""
    at.session_state["compare.speed"] = True
    at.session_state["compare.ranges"] = True
    return at.run()


def test_draws_the_latency_and_uncertainty_charts_when_their_panels_open(app):
    at = open_lower_charts(app())
    # the cost charts, then latency by part, P(cheapest) and the tornado
    assert len(at.get("vega_lite_chart")) == 6
    assert at.segmented_control(key="compare.tornado").value == "rag"  # the recommended one


def test_the_tornado_follows_the_approach_picked(app):
    at = open_lower_charts(app())
    before = at.get("vega_lite_chart")[-1].proto.spec
    at.segmented_control(key="compare.tornado").set_value("lora").run()
    assert at.get("vega_lite_chart")[-1].proto.spec != before
    assert "LoRA" in at.get("vega_lite_chart")[-1].proto.spec


def test_explains_every_approach_with_formulas_inputs_and_sources(app):
    at = app()
    labels = [e.label for e in at.expander]
    for name in ("Prompting", "DSPy prompt optimisation", "RAG", "LoRA fine-tune"):
        assert any(label.startswith(name) for label in labels)
    for approach in ("prompting", "dspy", "rag", "lora", "full"):  # the reader opens each
        at.session_state[f"compare.explain.{approach}"] = True
    at.run()
    shown = tables(at)
    formulas = "\n".join(str(v) for t in shown if "Formula" in t.columns for v in t["Formula"])
    assert "lora.setup_hours × team.hourly_rate_usd" in formulas
    sources = "\n".join(str(v) for t in shown if "Sources" in t.columns for v in t["Sources"])
    assert "Fine-Tuning: When & Why" in sources


def test_line_item_tables_are_drawn_only_for_an_approach_opened(app):
    at = app()
    assert not [t for t in tables(at) if "Formula" in t.columns]  # none until asked
    at.session_state["compare.explain.lora"] = True
    at.run()
    explained = [t for t in tables(at) if "Formula" in t.columns]
    assert 1 <= len(explained) <= 3  # setup, per query, every month: LoRA's alone
    assert "lora.setup_hours × team.hourly_rate_usd" in "\n".join(explained[0]["Formula"])


def test_doubling_queries_per_day_raises_every_total(app):
    at = app("describe")
    before = scenario_of(at).traffic.queries_per_day
    at.number_input(key=input_key(at, "traffic.queries_per_day")).set_value(before * 2).run()
    at.switch_page(page_path("compare")).run()
    assert scenario_of(at).traffic.queries_per_day == before * 2
    doubled = {name: dollars(total) for name, total in totals_shown(at).items()}
    original = {
        a.name: a.total_usd for a in estimate(get_preset(DEFAULT_PRESET).scenario).approaches
    }
    assert all(doubled[name] > original[name] for name in original)


def test_an_approach_that_cannot_run_is_listed_with_its_reason(app):
    at = open_groups(app("describe"), "fine_tuning")
    at.segmented_control(key=input_key(at, "fine_tuning.hosting")).set_value("self_hosted").run()
    at.switch_page(page_path("compare")).run()
    assert not at.exception
    # gpt-4.1-mini and gpt-4.1 are closed weights: no fine-tune can be self-hosted (RAG on the
    # LoRA fine-tune included).
    assert "cannot run" in texts(at)
    assert len(totals_shown(at)) == 3
    assert len(cost_table(at)) == 6


def test_a_retired_model_chosen_on_describe_leaves_its_approaches_unavailable_with_why(app):
    # gpt-4.1-nano shut down on 2026-10-23, before the bundled prices' date (2026-12-01).
    at = open_groups(app("describe"), "models")
    at.selectbox(key=input_key(at, "models.small")).set_value("gpt-4.1-nano").run()
    assert not at.exception and scenario_of(at).models.small == "gpt-4.1-nano"
    at.switch_page(page_path("compare")).run()
    assert not at.exception
    shown = texts(at)
    assert "'gpt-4.1-nano' was retired on 2026-10-23" in shown
    assert "Closest model with a fine-tuning offer: 'gpt-4o-mini'" in shown
    assert len(totals_shown(at)) == 4  # LoRA and RAG on the LoRA fine-tune cannot run
    # the CLI says the same for the same scenario
    cli = estimate(scenario_of(at))
    assert not cli.approach("lora").available and not cli.approach("rag_lora").available


def _route(at, shares: dict[str, float]):  # type: ignore[no-untyped-def]
    """Switch the traffic split on (Describe) and enter these percents."""
    revision = at.session_state[state.REVISION_KEY]
    at.toggle(key=f"ed{revision}:routing:on").set_value(True).run()
    for approach_id, pct in shares.items():
        at.number_input(key=f"ed{revision}:routing:{approach_id}").set_value(pct).run()
    return at


def test_a_traffic_split_set_on_describe_is_an_extra_row_on_compare(app):
    at = _route(app("describe"), {"lora": 70.0, "rag": 30.0})
    assert scenario_of(at).traffic.routing == {"rag": 0.3, "lora": 0.7}
    at.switch_page(page_path("compare")).run()
    assert not at.exception
    expected = estimate(scenario_of(at))
    mix = expected.mix
    assert mix is not None
    table = cost_table(at).set_index("Approach")
    row = table.loc["Mix: 70% LoRA fine-tune, 30% RAG"]
    assert row["Per query"] == usd(mix.per_query_usd)
    assert row["Setup"] == usd(mix.setup_usd)
    assert row["Verdict"] == f"Mix: {ordinal(mix.rank or 0)} of 7 by total"
    assert row["Latency p50 / p95"].endswith("(weighted)")
    assert len(table) == 7  # the six approaches, then the mix
    assert "share-weighted mean" in texts(at)


def test_shares_that_do_not_add_up_are_refused_next_to_the_split(app):
    at = _route(app("describe"), {"lora": 70.0, "rag": 20.0})
    assert scenario_of(at).traffic.routing is None
    assert any("they must add up to 1" in a for a in alerts(at, "error"))
    assert "Shares entered: 90% of 100%" in texts(at)


def test_the_cheapest_tile_says_when_another_is_cheapest_more_often(app):
    at = app()
    tile = next(m for m in at.metric if m.label.startswith("Cheapest over"))
    table = cost_table(at).set_index("Approach")
    shares = {name.removesuffix(" ★"): row["Chance cheapest"] for name, row in table.iterrows()}
    # support-chatbot: prompting is cheapest at likely values, but DSPy ($33 more over 12
    # months) is cheapest in more of the draws, and the tile's help says so
    assert tile.value == "Prompting"
    best = max(shares, key=lambda name: int(shares[name].rstrip("%") or 0))
    assert best == "DSPy prompt optimisation"
    assert tile.help.startswith("At likely values Prompting is cheapest, but across the ranges")
    assert f"DSPy is cheapest more often ({shares[best]} of draws)" in tile.help


def test_the_cheapest_tile_agrees_with_the_chance_of_being_cheapest(app):
    # internal-kb-qa: prompting is cheapest at likely values and in most of the draws
    token = share_link.encode_share(get_preset("internal-kb-qa").scenario).token
    at = app(query={share_link.SHARE_PARAM: token})
    tile = next(m for m in at.metric if m.label.startswith("Cheapest over"))
    table = cost_table(at).set_index("Approach")
    shares = {name.removesuffix(" ★"): row["Chance cheapest"] for name, row in table.iterrows()}
    best = max(shares, key=lambda name: int(shares[name].rstrip("%") or 0))
    assert tile.value == best == "Prompting"
    assert tile.help == f"Cheapest at likely values and in {shares[best]} of the draws."
