"""Charts as Streamlit draws them: a Vega-Lite spec whose data is already Arrow bytes.

Turning an altair chart into its spec (altair validates it against the schema) and its data
frames into Arrow costs more than the rest of most reruns. So pages do not hand over a built
chart: they call a builder's cached twin in ui/cached_builders.py, which returns a CachedChart,
and its spec comes from a Streamlit cache keyed by the builder's arguments and the presenter
mode: made once per server, shared by every rerun and session. Streamlit passes dataset bytes
through as they are.
"""
from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd
import pyarrow as pa

from core.charts.style import theme

_ALTAIR_GLOBALS = threading.Lock()  # altair's theme, data transformer and debug mode are process-wide


@dataclass(frozen=True)
class CachedChart:
    """A chart named by its builder and arguments, not built yet: `spec(presenter)` answers from
    the cache, and builds the chart only for a key the cache does not hold."""
    spec: Callable[[bool], dict]


def _arrow_datasets(data: pd.DataFrame, datasets: dict[str, bytes]) -> dict[str, str]:
    """An altair data transformer: keep the frame as Arrow IPC bytes, named by their hash.
    Column by column: pa.Table.from_pandas spends most of its time on pandas metadata that no
    chart reads (0.5 ms for a 400-point line, a tenth as long this way); the columns' types and
    nulls are the ones it gives."""
    table = pa.table({str(name): pa.Array.from_pandas(column) for name, column in data.items()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    payload = sink.getvalue().to_pybytes()
    name = hashlib.blake2b(payload, digest_size=16).hexdigest()
    datasets[name] = payload
    return {"name": name}


alt.data_transformers.register("arrow_datasets", _arrow_datasets)


def built(builder: Callable[..., alt.TopLevelMixin], *args, **kwargs) -> alt.TopLevelMixin:
    """builder(*args, **kwargs) without altair's debug mode, which checks every object of the chart
    against the schema as it is made (a quarter of building a chart). The unit tests validate every
    builder's whole spec instead."""
    with _ALTAIR_GLOBALS, alt.utils.schemapi.debug_mode(False):
        return builder(*args, **kwargs)


def vega_lite(chart: alt.TopLevelMixin, presenter: bool = False) -> dict:
    """The chart's Vega-Lite spec with the theme of core/charts/style.py, made afresh
    (ui/cached_builders.py caches it).

    Made without altair's default theme, whose fixed 300 px sizes would fight the page's own
    (Streamlit's st.altair_chart does the same), and without altair's schema validation, a third
    of a small page's rerun: the unit tests validate every chart builder's output instead
    (tests/test_charts_normal.py, tests/test_bigram.py, tests/test_chart_spec.py)."""
    datasets: dict[str, bytes] = {}
    with _ALTAIR_GLOBALS, alt.theme.enable("none"), \
            alt.data_transformers.enable("arrow_datasets", datasets=datasets):
        spec = chart.to_dict(validate=False)
    if "config" in spec:   # the theme below would replace it: every chart is styled in one place
        raise ValueError("a chart configures itself; style charts in core/charts/style.py: theme")
    spec["config"] = theme(presenter)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def spec_of(chart: CachedChart | alt.TopLevelMixin, presenter: bool = False) -> dict:
    """The spec to draw: from the cache for a CachedChart; made on every call for a built chart.
    A cached spec is shared by every session: read-only (st.vega_lite_chart copies before it edits)."""
    if isinstance(chart, CachedChart):
        return chart.spec(presenter)
    return vega_lite(chart, presenter)
