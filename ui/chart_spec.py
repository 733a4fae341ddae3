"""Charts as Streamlit draws them: a Vega-Lite spec whose data is already Arrow bytes, made once.

Turning an altair chart into its spec (altair validates it against the schema) and its data
frames into Arrow costs more than the rest of most reruns. With memoized chart builders
(core.memo) an unchanged chart is the very same object, so its spec is made once and reused by
every rerun and session. Streamlit passes dataset bytes through as they are.
"""
from __future__ import annotations

import hashlib
import threading

import altair as alt
import pandas as pd
import pyarrow as pa

from core.charts.style import themed
from core.memo import Memo

_SPECS = Memo(maxsize=64)           # (id(chart), presenter) -> (chart, spec); the chart pins its id
_ALTAIR_GLOBALS = threading.Lock()  # altair's theme and data transformer are process-wide


def _arrow_datasets(data: pd.DataFrame, datasets: dict[str, bytes]) -> dict[str, str]:
    """An altair data transformer: keep the frame as Arrow IPC bytes, named by their hash."""
    table = pa.Table.from_pandas(data, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    payload = sink.getvalue().to_pybytes()
    name = hashlib.blake2b(payload, digest_size=16).hexdigest()
    datasets[name] = payload
    return {"name": name}


alt.data_transformers.register("arrow_datasets", _arrow_datasets)


def vega_lite(chart: alt.TopLevelMixin, presenter: bool = False) -> dict:
    """The themed chart's Vega-Lite spec, once per chart object and mode; shared, so read-only.

    Made without altair's default theme, whose fixed 300 px sizes would fight the page's own
    (Streamlit's st.altair_chart does the same), and without altair's schema validation, a third
    of a small page's rerun: the unit tests validate every chart builder's output instead
    (tests/test_charts_normal.py, tests/test_bigram.py, tests/test_chart_spec.py)."""
    def build() -> tuple[alt.TopLevelMixin, dict]:
        datasets: dict[str, bytes] = {}
        with _ALTAIR_GLOBALS, alt.theme.enable("none"), \
                alt.data_transformers.enable("arrow_datasets", datasets=datasets):
            spec = themed(chart, presenter).to_dict(validate=False)
        spec["datasets"] = {**spec.get("datasets", {}), **datasets}
        return chart, spec
    return _SPECS.get_or_build((id(chart), presenter), build)[1]
