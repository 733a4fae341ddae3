"""Colours and type for every chart: colour-blind safe, large enough for a lecture hall.

How the builders of core/charts/ make their charts cheaply: encodings are channel objects
(alt.X("x:Q"), alt.Tooltip("label:N"), alt.XValue(6), alt.ColorValue(..., condition=...)), never
shorthand strings, alt.value or alt.when, which altair turns into objects through its from_dict,
hashing every schema class of Vega-Lite at each call (2-3 ms; tests/conftest.py watches for it);
sizes are set with `sized`."""
from __future__ import annotations

import altair as alt

# Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies.
BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
ORANGE = "#E69F00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#777777"


def theme(presenter: bool = False) -> dict:
    """Vega-Lite's config for every chart: fonts sized for reading at a distance; bigger still in
    presenter mode. ui/chart_spec.py writes it into each spec as it is (altair's configure_* would
    copy the chart once per call, 8 ms of a 13 ms spec)."""
    label, title = (20, 24) if presenter else (15, 17)
    ink = {"labelColor": "#222222", "titleColor": "#222222"}
    return {
        "axis": {"labelFontSize": label, "titleFontSize": title, "labelLimit": 400, "labelFlush": False, **ink},
        "legend": {"labelFontSize": label, "titleFontSize": title, "symbolSize": 200, "labelLimit": 400,
                   "orient": "top", **ink},
        "title": {"fontSize": title + 2},
        "header": {"labelFontSize": label, "titleFontSize": title},
        "text": {"fontSize": label},
        "view": {"strokeWidth": 0},
    }


def themed(chart: alt.TopLevelMixin, presenter: bool = False) -> alt.TopLevelMixin:
    """The chart with the theme as altair's own config, for altair's validation in the tests."""
    copy = chart.copy(deep=False)
    copy.config = alt.Config(**theme(presenter))
    return copy


def haloed_text(chart: alt.Chart, colour: alt.Color | None = None, **text) -> list[alt.Chart]:
    """A text mark twice: first as a thick white outline, then itself on top, so a label stays
    legible where it crosses a curve or a grid line. `chart` carries the data and encodings;
    `colour`, an encoding of the text's colour by datum, goes to the text alone (the halo stays white)."""
    halo = {**text, "color": "white", "stroke": "white", "strokeWidth": 6, "strokeJoin": "round"}
    text_chart = chart if colour is None else chart.encode(colour)
    return [chart.mark_text(**halo), text_chart.mark_text(**text)]


def sized(chart: alt.TopLevelMixin, height, **more) -> alt.TopLevelMixin:
    """`chart` (just built) made as wide as its container and `height` tall, with any other top-level
    settings in `more`. Set on the chart itself: altair's .properties() copies the chart (a layer chart
    combines its layers again) and checks each value against the schema, a third of building a chart.
    The unit tests validate every chart's whole spec instead."""
    for key, value in {"height": height, "width": "container", **more}.items():
        setattr(chart, key, value)
    return chart


def height(presenter: bool = False) -> int:
    return 460 if presenter else 340
