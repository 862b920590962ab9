"""Describe page: grouped inputs with units and help, the live totals, validation by field."""

from __future__ import annotations

from dashboard import inputs
from estimators.presets import DEFAULT_PRESET, get_preset
from estimators.tokens import count_tokens
from tests.app.conftest import alerts, input_key, scenario_of, texts


def test_shows_every_group_with_units_and_help(app):
    at = app("describe")
    headings = [h.value for h in at.subheader]
    for group in (
        "Task and problems",
        "Traffic",
        "Labelled examples",
        "Knowledge base",
        "Models",
        "Fine-tuning",
        "Team and horizon",
    ):
        assert group in headings
    numbers = {n.label: n for n in at.number_input}
    assert "Queries per day" in numbers
    assert "Team rate (USD/hour)" in numbers
    assert all(n.help for n in at.number_input)


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
    at = app("describe")
    before = [m.value for m in at.metric]
    at.number_input(key=input_key(at, "team.hourly_rate_usd")).set_value(240.0).run()
    assert scenario_of(at).team.hourly_rate_usd == 240
    assert [m.value for m in at.metric] != before


def test_problems_and_models_are_picked_from_fixed_lists(app):
    at = app("describe")
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
    at.session_state["describe.advanced"] = True
    assert at.run().dataframe


def test_assumption_overrides_show_their_source_and_reset_to_defaults(app):
    at = app("describe")
    at.session_state["describe.advanced"] = True  # the reader opens "Advanced assumptions"
    table = at.run().dataframe[0].value
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
    at = app("describe")
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
