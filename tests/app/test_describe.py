"""Describe page: grouped inputs with units and help, the live totals, validation by field."""

from __future__ import annotations

from dashboard import inputs
from dashboard.widgets.groups import GROUPS
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.tokens import count_tokens
from tests.app.conftest import (
    alerts,
    input_key,
    input_paths,
    open_groups,
    scenario_of,
    texts,
)


def test_shows_every_group_with_units_and_help(app):
    at = open_groups(app("describe"), *(group.name for group in GROUPS))
    titles = [e.label for e in at.expander]
    for title in (
        "Task and problems",
        "Traffic",
        "Labelled examples",
        "Knowledge base",
        "Models",
        "Fine-tuning",
        "Team and horizon",
    ):
        assert title in titles
    numbers = {n.label: n for n in at.number_input}
    assert "Queries per day" in numbers
    assert "Team rate (USD/hour)" in numbers
    assert all(n.help for n in at.number_input)


def test_only_traffic_is_open_at_first_and_a_closed_group_draws_no_inputs(app):
    at = app("describe")
    assert input_paths(at) == {
        "traffic.queries_per_day",
        "traffic.monthly_growth_pct",
        "traffic.input_tokens",
        "traffic.output_tokens",
        "traffic.system_prompt",
        "traffic.system_prompt_tokens",
        "traffic.latency_budget_ms",
        "traffic.batch_share",
        "traffic.reasoning_tokens",
    }
    assert "Team rate (USD/hour)" not in [n.label for n in at.number_input]
    assert "Traffic" in [e.label for e in at.expander]


def test_each_group_draws_its_own_fields_and_every_field_has_one_group(app):
    at = app("describe")
    drawn: dict[str, set[str]] = {}
    for group in GROUPS[:-1]:  # the assumptions grid keeps its edits in one table key
        drawn[group.name] = input_paths(open_groups(at, group.name))
        assert drawn[group.name], group.name
        assert all(group.owns(path) for path in drawn[group.name]), (group.name, drawn)
    leaves = _leaf_paths(scenario_of(at).model_dump(mode="json"))
    off_describe = {"schema_version", "mitigations_in_place", "dspy.proposer_model"}
    for path in leaves - off_describe:
        owners = [group.name for group in GROUPS if group.owns(path)]
        assert len(owners) == 1, (path, owners)
    # Fields drawn by a table editor (the traffic split) reach session state only when edited.
    assert leaves - off_describe - set().union(*drawn.values()) == {
        "assumptions",
        "traffic.routing",
    }


def _leaf_paths(node: dict[str, object], parent: str = "") -> set[str]:
    paths: set[str] = set()
    for name, value in node.items():
        if isinstance(value, dict) and name != "assumptions":
            paths |= _leaf_paths(value, f"{parent}{name}.")
        else:
            paths.add(f"{parent}{name}")
    return paths


def test_open_groups_stay_open_after_a_visit_to_another_page(app):
    # AppTest cannot click an expander; tests/e2e opens one in Chromium and checks the same.
    at = open_groups(app("describe"), "team", "traffic")
    at.switch_page("dashboard/views/compare.py").run()
    at.switch_page("dashboard/views/describe.py").run()
    assert {"team.hourly_rate_usd", "traffic.queries_per_day"} <= input_paths(at)
    assert "models.general" not in input_paths(at)


def test_a_closed_group_keeps_its_values_and_reopens_with_them(app):
    at = open_groups(app("describe"), "team")
    at.number_input(key=input_key(at, "team.hourly_rate_usd")).set_value(240.0).run()
    open_groups(at)  # every group closed
    assert "team.hourly_rate_usd" not in input_paths(at)
    assert scenario_of(at).team.hourly_rate_usd == 240
    open_groups(at, "team")
    assert at.number_input(key=input_key(at, "team.hourly_rate_usd")).value == 240


def test_a_group_holding_a_rejected_value_stays_open_with_its_message(app):
    at = open_groups(app("describe"), "team")
    at.number_input(key=input_key(at, "team.hourly_rate_usd")).set_value(-5.0).run()
    open_groups(at)  # the reader closes every group
    assert "team.hourly_rate_usd" in input_paths(at)
    assert at.number_input(key=input_key(at, "team.hourly_rate_usd")).value == -5.0
    assert any("Not applied" in m for m in alerts(at, "error"))


def test_shows_each_approach_total_above_the_inputs(app):
    at = app("describe")
    assert [m.label for m in at.metric] == [
        "Prompting",
        "DSPy",
        "RAG ★",
        "LoRA fine-tune",
        "Full fine-tune",
        "RAG + LoRA",
    ]


def test_a_changed_input_updates_the_scenario_and_the_totals(app):
    at = open_groups(app("describe"), "team")
    before = [m.value for m in at.metric]
    at.number_input(key=input_key(at, "team.hourly_rate_usd")).set_value(240.0).run()
    assert scenario_of(at).team.hourly_rate_usd == 240
    assert [m.value for m in at.metric] != before


def test_problems_and_models_are_picked_from_fixed_lists(app):
    at = open_groups(app("describe"), "task", "models")
    at.pills(key=input_key(at, "task.problems")).set_value(["cost"]).run()
    at.selectbox(key=input_key(at, "models.small")).set_value("gpt-4o-mini").run()
    scenario = scenario_of(at)
    assert scenario.task.problems == ["cost"]
    assert scenario.models.small == "gpt-4o-mini"


def test_system_prompt_text_is_counted_with_the_general_models_tokenizer(app):
    at = app("describe")
    prompt = "You are Acme's support assistant. Answer calmly and cite KB article IDs. 🙂"
    at.text_area(key=input_key(at, "traffic.system_prompt")).input(prompt).run()
    expected = count_tokens(prompt, model_id="gpt-4.1")
    scenario = scenario_of(at)
    assert scenario.traffic.system_prompt == prompt
    assert scenario.traffic.system_prompt_tokens == expected
    assert f"{expected:,} tokens" in texts(at)


def test_an_invalid_input_is_shown_next_to_its_field_and_not_applied(app):
    at = app("describe")
    valid = scenario_of(at)
    # What the assumptions editor writes for an overlap longer than the chunk itself.
    at.session_state[input_key(at, "assumptions")] = {"rag.chunk_overlap_tokens": 5000.0}
    at.number_input(key=input_key(at, "traffic.output_tokens")).set_value(300).run()
    assert not at.exception
    assert "assumptions.rag.chunk_overlap_tokens" in inputs.errors_by_field(
        [("", "assumptions.rag.chunk_overlap_tokens: expected less than rag.chunk_tokens")]
    )
    messages = alerts(at, "error")
    assert any("rag.chunk_overlap_tokens" in m and "Not applied" in m for m in messages)
    assert scenario_of(at) == valid  # neither the overlap nor the output tokens took effect


def test_the_assumptions_grid_is_drawn_only_when_opened(app):
    at = app("describe")
    assert not at.dataframe
    assert at.dataframe == [] and open_groups(at, "assumptions").dataframe


def test_assumption_overrides_show_their_source_and_reset_to_defaults(app):
    at = open_groups(app("describe"), "assumptions")  # the reader opens "Advanced assumptions"
    table = at.dataframe[0].value
    top_k = table.set_index("id").loc["rag.top_k"]
    assert top_k["value"] == 3  # the preset's override
    assert top_k["source"] == "Set by the example “Customer-support chatbot”"
    at.button[0].click().run()  # the only button on the page: reset
    assert scenario_of(at).assumptions == {}
    assert "back to their cited defaults" in texts(at)
    assert scenario_of(at).name == get_preset(DEFAULT_PRESET).scenario.name


def test_a_negative_or_huge_daily_volume_is_refused_next_to_the_field_with_the_reason(app):
    at = app("describe")
    before = scenario_of(at).traffic.queries_per_day
    for typed, reason in ((-50, "greater than or equal to 0"), (1e12, "less than or equal to")):
        at.number_input(key=input_key(at, "traffic.queries_per_day")).set_value(typed).run()
        assert not at.exception
        shown = [e.value for e in at.error]
        assert any("Not applied" in e and reason in e for e in shown), shown
        assert scenario_of(at).traffic.queries_per_day == before  # the last valid value stays


def test_self_hosting_a_closed_model_is_said_by_the_field_with_an_open_weights_fix(app):
    at = open_groups(app("describe"), "fine_tuning", "models")
    assert scenario_of(at).models.small == "gpt-4.1-mini"
    hosting = next(s for s in at.get("button_group") if "Hosting" in str(s.proto.label))
    hosting.set_value("self_hosted").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("cannot be self-hosted: gpt-4.1-mini has closed weights" in w for w in warnings)
    use = next(b for b in at.button if b.label.startswith("Use llama-3.1-8b-instruct"))
    use.click().run()
    assert not at.exception
    assert scenario_of(at).models.small == "llama-3.1-8b-instruct"
    assert not any("gpt-4.1-mini has closed weights" in w.value for w in at.warning)
