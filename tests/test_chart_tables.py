"""Every chart with numbers behind it offers them as a table, built only once its expander is open."""
import pytest

from pagetest import BIGRAM_ASIDES, open_page, open_tables, table_keys

TABLES = {  # page -> the column names of its charts' tables, in page order
    "pages/1_Probability.py": [["Δ", "exact area", "p(x) · Δ", "area / (p(x) · Δ)"]],
    "pages/3_Likelihood_function.py": [["μ", "L(μ | x) × 10⁶"], ["σ", "L(σ | x) × 10⁷"],   # as their axes: no 1e-6
                                       ["draws", "μ̂", "σ held at", "curvature n / σ²", "standard error σ / √n",
                                        "95 % likelihood interval", "width"]],
    # the running products wait for the chapter's question to be answered (tests/test_page_log_likelihood.py)
    "pages/4_Log_likelihood.py": [["n", "log-likelihood"], ["μ", "L(μ | x)"], ["μ", "log L(μ | x)"]],
    "pages/5_Maximum_likelihood.py": [["from", "to", "samples with σ̂ here", "samples with s here"], ["step", "|gradient|"]],
    "pages/6_Negative_log_likelihood.py": [["μ", "MSE(μ)"], ["μ", "−log L(μ | x, σ)"]],
    "pages/7_Bigram_model.py": [["first", "second", "bigram", "count", "P", "-log P"],
                                ["model", "predicts", "NLL (nats per symbol)", "perplexity", "bits per symbol",
                                 "NLL − floor", "Σ P(a) KL(P(·|a) ‖ Q_a)"]],
}


OPENED = {"pages/7_Bigram_model.py": BIGRAM_ASIDES}   # the asides that hold some of a page's charts


def columns(at) -> list[list[str]]:
    return [list(d.value.columns) for d in at.dataframe]


@pytest.mark.parametrize("page", TABLES)
def test_tables_are_built_only_when_opened(page):
    at = open_page(page, shelves=OPENED.get(page, ()))
    closed = columns(at)
    assert not any(c in closed for c in TABLES[page])  # closed: nothing built
    assert len(table_keys(at)) == len(TABLES[page])
    opened = columns(open_tables(at))
    assert [c for c in opened if c not in closed] == TABLES[page]
    assert len(at.get("vega_lite_chart")) >= len(TABLES[page])  # still every chart, tables beside them
