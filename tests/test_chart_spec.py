"""ui.chart_spec: the spec Streamlit receives, with Arrow data that round-trips, and shared specs drawn intact."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from streamlit.testing.v1 import AppTest

from core.charts.normal import density_interval
from core.charts.optimise import gradient_norm_chart
from core.charts.style import sized, themed
from ui.cached_builders import density_interval as cached_density_interval
from ui.chart_spec import built, spec_of, vega_lite


def rows(payload: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(payload).read_all().to_pandas()


def test_the_data_travels_as_arrow_bytes_equal_to_the_frame():
    df = pd.DataFrame({"x": np.arange(7000.0), "label": ["a"] * 7000})  # beyond altair's 5000-row limit
    spec = vega_lite(alt.Chart(df).mark_line().encode(x="x:Q", y="x:Q"))
    (name, payload), = spec["datasets"].items()
    assert spec["data"] == {"name": name}
    pd.testing.assert_frame_equal(rows(payload), df)


def test_the_page_gets_one_spec_per_chart_and_mode_and_the_themes_differ():
    chart = cached_density_interval(0.0, 1.0, 0.0, 1.0)
    spec = spec_of(chart)
    assert spec_of(cached_density_interval(0.0, 1.0, 0.0, 1.0)) is spec   # from the cache
    assert spec_of(density_interval(0.0, 1.0, 0.0, 1.0)) == spec          # a built chart: made afresh, equal
    presenter = spec_of(chart, presenter=True)
    assert presenter is not spec
    assert presenter["config"]["axis"]["labelFontSize"] > spec["config"]["axis"]["labelFontSize"]
    # altair's default theme (300 px views) stays out, as in st.altair_chart
    assert "continuousWidth" not in spec["config"].get("view", {})


def test_the_spec_matches_altairs_own_apart_from_how_the_data_travels():
    chart = density_interval(52.0, 3.0, 50.0, 55.0)
    ours = vega_lite(chart)
    with alt.theme.enable("none"):
        theirs = themed(chart).to_dict()
    assert {k: v for k, v in ours.items() if k != "datasets"}.keys() == {k for k in theirs if k != "datasets"}
    assert ours["config"] == theirs["config"]   # the theme written in directly is altair's own config of it
    assert sorted(len(rows(p)) for p in ours["datasets"].values()) == \
        sorted(len(v) for v in theirs["datasets"].values())


def test_drawing_a_shared_spec_leaves_it_whole_for_the_next_rerun():
    def script():
        import streamlit as st

        from ui.cached_builders import density_interval
        from ui.chart_spec import spec_of
        st.vega_lite_chart(spec_of(density_interval(0.0, 1.0, -1.0, 1.0)), width="stretch")  # shared, from the cache

    at = AppTest.from_function(script, default_timeout=60).run()
    first = at.get("vega_lite_chart")[0].proto
    at.run()
    again = at.get("vega_lite_chart")[0].proto
    assert len(first.datasets) > 0
    assert again.spec == first.spec and [d.data.data for d in again.datasets] == [d.data.data for d in first.datasets]


def test_the_one_chart_not_validated_elsewhere_is_valid_vega_lite():
    # The app skips altair's validation (see vega_lite); every other builder's tests call
    # to_dict(), which validates.
    chart = gradient_norm_chart(np.arange(5), np.array([1.0, 0.5, 0.25, 0.125, 0.0625]))
    assert themed(chart).to_dict(validate=True)["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_a_chart_that_configures_itself_is_refused_not_restyled_behind_its_back():
    with pytest.raises(ValueError, match="style.py"):
        vega_lite(density_interval(0.0, 1.0, 0.0, 1.0).configure_axis(labelFontSize=3))


def test_the_arrow_bytes_hold_the_rows_and_nulls_pandas_own_conversion_gives():
    # Converted column by column, without pandas' metadata: the same rows and types, NaN and None as null.
    df = pd.DataFrame({"x": [0.5, np.nan, -2.0], "n": [1, 2, 3], "ok": [True, False, True],
                       "label": ["a", None, "ç"], "kind": pd.Categorical(["u", "v", "u"])})
    spec = vega_lite(alt.Chart(df).mark_point().encode(x="x:Q", y="n:Q"))
    (payload,) = spec["datasets"].values()
    ours = pa.ipc.open_stream(payload).read_all()
    theirs = pa.Table.from_pandas(df, preserve_index=False)
    assert ours.to_pylist() == theirs.to_pylist() and ours.schema.equals(theirs.schema, check_metadata=False)
    assert ours.column("x").null_count == 1 and ours.column("label").null_count == 1


@pytest.mark.parametrize("more", [{}, {"autosize": alt.AutoSizeParams(type="fit-x", contains="padding"),
                                      "usermeta": {"embedOptions": {"renderer": "svg"}}}])
def test_sized_gives_the_spec_altairs_properties_gives(more):
    def layers():
        df = pd.DataFrame({"x": [0.0, 1.0], "y": [1.0, 2.0]})
        return alt.layer(alt.Chart(df).mark_line().encode(x="x:Q", y="y:Q"), alt.Chart(df).mark_point().encode(x="x:Q"))
    theirs = layers().properties(height=340, width="container", **more).to_dict()   # validated
    assert sized(layers(), 340, **more).to_dict(validate=True) == theirs
    single = alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q")
    assert sized(single, alt.Step(44)).to_dict() == single.properties(height=alt.Step(44), width="container").to_dict()


def test_charts_are_built_without_altairs_debug_mode_and_it_comes_back_after():
    from altair.utils import schemapi

    seen = []

    def builder(fail: bool):
        seen.append(schemapi.DEBUG_MODE)
        if fail:
            raise ValueError("no chart")
        return density_interval(0.0, 1.0, 0.0, 1.0)

    before = schemapi.DEBUG_MODE
    assert vega_lite(built(builder, False)) == vega_lite(density_interval(0.0, 1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="no chart"):
        built(builder, True)
    assert seen == [False, False] and schemapi.DEBUG_MODE == before
