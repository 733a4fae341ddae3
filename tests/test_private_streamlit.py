"""The private Streamlit APIs the dashboard still uses, each with why (docs/architecture.md,
"Streamlit's internals we lean on"). Streamlit is pinned (requirements.txt); when an upgrade moves
one of these, this file fails and names the place to mend, before a visitor meets the change.
Product code uses three: the warm-up's in-process agent session, freeing an upload's bytes, and
knowing that a run is the browser's Back or Forward;
the room benchmark's tab client one more: the widget a component's trigger comes back in; and
benchmarks/rerun_cost.py --price-agent-chart-data stubs how the agent API describes a chart's data."""
from __future__ import annotations

import inspect

DOC = "see docs/architecture.md, 'Streamlit's internals we lean on'"


def test_the_warm_up_can_render_a_page_in_an_agent_session_of_the_server():
    """ui/warmup.py: every page rendered once before the replica reports healthy."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.agent import interaction, json_encoding

    assert callable(getattr(Runtime, "instance", None)), DOC
    assert hasattr(interaction, "AgentSessionRegistry"), DOC
    assert {"runtime"} <= set(inspect.signature(interaction.AgentSessionRegistry).parameters), DOC
    params = set(inspect.signature(interaction.interact).parameters)
    assert {"transport", "user_info", "headers", "encode"} <= params, (DOC, params)
    assert callable(getattr(interaction.AgentSessionRegistry, "close", None)), DOC
    assert callable(getattr(json_encoding, "response_body", None)), DOC


def test_an_uploads_bytes_can_be_handed_back():
    """ui/corpus_input.py: Streamlit's copy of an upload freed once the corpus is parsed."""
    import dataclasses

    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx

    assert callable(get_script_run_ctx), DOC
    assert "uploaded_file_mgr" in {f.name for f in dataclasses.fields(ScriptRunContext)}, DOC
    params = set(inspect.signature(MemoryUploadedFileManager.remove_file).parameters)
    assert {"session_id", "file_id"} <= params, (DOC, params)


def test_a_run_knows_it_is_the_browsers_back_or_forward():
    """ui/url_controls.py: emptied_by_history keeps a chapter's settings when the browser goes back
    to the entry Streamlit writes, without them, for the page a visitor leaves."""
    import dataclasses

    from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    assert callable(get_script_run_ctx), DOC
    assert "is_history_navigation" in {f.name for f in dataclasses.fields(ScriptRunContext)}, DOC
    assert "is_history_navigation" in {f.name for f in dataclasses.fields(RerunData)}, DOC


def test_the_tab_icon_is_sent_inline():
    """tests/test_story.py checks that a local SVG goes to the browser as a data URI, through
    Streamlit's own conversion (there is no public one)."""
    from streamlit.commands import page_config

    assert callable(getattr(page_config, "_get_favicon_string", None)), DOC


def test_a_components_trigger_comes_back_in_the_widget_the_tab_client_names():
    """benchmarks/tab_client.py: a following phone's watch reruns its page with the room_watch
    component's trigger, in the widget Streamlit's frontend sends it in."""
    from streamlit.components.v2.bidi_component import main

    from tab_client import _TRIGGER

    assert callable(getattr(main, "_make_trigger_id", None)), DOC
    assert main._make_trigger_id("abc", "events") == _TRIGGER.format(id="abc"), DOC


def test_the_agent_apis_description_of_a_charts_data_is_where_the_stub_replaces_it():
    """benchmarks/agent_chart_data_off/sitecustomize.py replaces vega_charts._vega_data (which the
    chart's agent description calls by its module-level name) to price what it costs."""
    from streamlit.elements import vega_charts

    assert callable(getattr(vega_charts, "_vega_data", None)), DOC
    params = inspect.signature(vega_charts._vega_data).parameters
    assert list(params) == ["proto", "coordinates"] and params["coordinates"].kind is inspect.Parameter.KEYWORD_ONLY, DOC
    assert "_vega_data(" in inspect.getsource(vega_charts.VegaChartsMixin._chart_agent_props), DOC
