"""core.charts.ladder: what each chart draws, its sentence and its table, from the same figures."""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.charts import ladder as charts

LABELS = ("uniform", "unigram", "bigram", "trigram", "MLP 3")
TRAIN = (3.2958, 2.8232, 2.4193, 2.1633, 2.0752)
VAL = (3.2958, 2.8287, 2.4366, 2.2045, 2.1241)
TEST = (3.2958, 2.8298, 2.4212, 2.1956, 2.1087)


def data_of(chart) -> list[pd.DataFrame]:
    spec = chart.to_dict()
    return [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]


def test_the_ladder_draws_every_model_on_every_part_in_order():
    chart = charts.ladder_chart(LABELS, TRAIN, VAL, TEST)
    (df,) = data_of(chart)
    assert len(df) == 3 * len(LABELS)
    assert df.loc[df["names"] == "test", "nll"].tolist() == list(TEST)
    assert chart.to_dict()["encoding"]["x"]["sort"] == list(LABELS)
    summary = charts.ladder_summary(LABELS, TRAIN, VAL, TEST)
    assert all(f"{label} {t:.4f}" in summary for label, t in zip(LABELS, TEST))
    table = charts.ladder_table(LABELS, TRAIN, VAL, TEST)
    assert table["test NLL"].tolist() == [f"{t:.4f}" for t in TEST] and table["model"].tolist() == list(LABELS)


def test_counting_with_more_context_marks_where_overfitting_starts():
    counted = tuple((f"{o}-gram", o - 1, t, v) for o, t, v in ((1, 2.82, 2.83), (2, 2.42, 2.44), (3, 2.16, 2.20),
                                                                 (4, 1.91, 2.09), (5, 1.72, 2.15)))
    networks = (("MLP 3", 3, 2.08, 2.12), ("MLP 8", 8, 1.90, 2.02))
    chart = charts.context_chart(counted, networks, 4)
    frames = data_of(chart)
    assert any(set(df.get("context", [])) == {0, 1, 2, 3, 4} and len(df) == 10 for df in frames)
    assert any(df.get("label", pd.Series()).tolist() == ["overfitting starts"] and df["context"].tolist() == [4]
               for df in frames)
    assert chart.to_dict()["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 8.6]
    summary = charts.context_summary(counted, networks, 4)
    assert "lowest for the 4-gram (2.0900)" in summary and "overfitting starts at 4 symbols of context" in summary
    assert "MLP 8, seeing 8 symbols: training 1.9000, validation 2.0200." in summary
    none = charts.context_summary(counted[:4], (), None)
    assert none.endswith("(2.0900).") and "overfitting" not in none
    assert len(charts.context_table(counted, networks)) == 7
    # equal to four decimals, the shorter context is named: the question's answer (ladder.best_counted) too
    tie = counted[:3] + (("4-gram", 3, 1.91, 2.19998),)
    assert "lowest for the 3-gram (2.2000)" in charts.context_summary(tie, (), None)


def test_the_training_curve_averages_windows_of_minibatch_losses():
    losses = np.arange(1000, dtype=np.float32) / 1000 + 2.0
    steps, means = charts._windows(losses)
    assert len(means) == 100 and steps[0] == 10 and steps[-1] == 1000
    assert np.allclose(means, [losses[i:i + 10].mean() for i in range(0, 1000, 10)])
    curves = (("MLP 3", losses, np.array([500, 1000]), np.array([2.6, 2.3])),)
    refs = (("trigram", 2.2045),)
    frames = data_of(charts.training_curve(curves, refs))
    lines = next(df for df in frames if "series" in df)
    assert set(lines["series"]) == {"MLP 3: training loss", "MLP 3: validation NLL"} and len(lines) == 102
    summary = charts.training_summary(curves, refs)
    assert summary == ("MLP 3: after 1,000 steps the validation NLL is 2.3000. Dashed, the validation NLL of "
                       "counted models: trigram 2.2045.")
    assert charts.training_summary((), refs) == "No training steps yet."


def test_the_tables_chart_draws_rows_filled_rows_and_the_symbols_to_fill_them():
    contexts, rows, filled = (0, 1, 2, 3), (1, 27, 729, 19683), (1, 27, 574, 5199)
    chart = charts.table_chart(contexts, rows, filled, 185919)
    frames = data_of(chart)
    lines = next(df for df in frames if "series" in df)
    assert lines.loc[lines["series"] == "rows the training names fill", "rows"].tolist() == list(filled)
    assert any(df.get("label", pd.Series()).tolist() == ["185,919 training symbols"] for df in frames)
    summary = charts.table_summary(contexts, rows, filled, 185919)
    assert "2 symbols: 729 rows, 574 filled" in summary and summary.endswith("185,919 symbols to fill them with.")
    assert charts.table_table(contexts, rows, filled)["rows of the table"].tolist() == ["1", "27", "729", "19,683"]
