"""Chapter 8's sections: the names ranked on, the ladder with its figures, counting with more
context beside the networks, and names drawn from every rung. Every figure comes through
ui/cached_builders.py (computed once per corpus per server) and every sentence about them from
core/ladder.py's classifications."""
from __future__ import annotations

import streamlit as st

from core import ladder, mlp, split
from core.bigram import LECTURE_SEED
from core.corpus import Corpus
from core.formatting import integer
from ui import cached_builders as charts
from ui.bigram_figures import nll_metric
from ui.corpus_input import uploaded
from ui.frame import Page
from ui.text import literal, say

BUILT_IN, UPLOADED = "the built-in names", "your names"


def names_ranked_on(page: Page) -> tuple[Corpus, bool]:
    """The corpus the ladder is built on: the built-in names, or this session's upload from chapter 7
    when the visitor picks it (and its split is large enough to score); whether it is the built-in."""
    built_in = charts.default_corpus()
    own = uploaded()
    if own is not None:
        picked = st.radio("Rank the models on", (BUILT_IN, UPLOADED), key="ladder_names_from", horizontal=True,
                          persist_state="session",
                          format_func=lambda o: o if o == BUILT_IN else f"your names ({literal(own.source)})")
        if picked == UPLOADED:
            page.not_in_link("uploaded names")
            if own.split.scorable:
                _said(own)
                return own, False
            sizes = " / ".join(integer(n) for n in own.split.sizes)
            say("info", f"Your names ({own.source}) split into {sizes} training / validation / test names: "
                        f"fewer than {split.MIN_SCORED_NAMES} validation or test names are too few to rank models "
                        f"on, so the ladder uses the built-in names. A corpus of {integer(split.min_scorable_names())} "
                        "names or more can be ranked.", icon=":material/info:")
    _said(built_in)
    return built_in, True


def _said(corpus: Corpus) -> None:
    sizes = " / ".join(integer(n) for n in corpus.split.sizes)
    source = corpus.source if corpus.source.endswith(".") else corpus.source + "."
    say("caption", f"{source} The same split as chapter 7 (seed {split.SPLIT_SEED}): {sizes} training / "
                   "validation / test names. Every model is fitted to the training names, its smoothing chosen on "
                   "the validation names, and it is scored on the test names.")


def tables(page: Page, corpus: Corpus) -> None:
    """How many rows each counted table has, and how many the training names fill."""
    sizes = charts.table_sizes(corpus)
    values = (tuple(t.context for t in sizes), tuple(t.rows for t in sizes), tuple(t.filled for t in sizes))
    page.chart(charts.table_chart(*values, sizes[0].symbols, page.chart_height),
               charts.table_summary(*values, sizes[0].symbols), charts.table_table(*values))
    st.markdown(ladder.tables_sentence(sizes))


def _networks(trained: mlp.Networks | None) -> tuple[tuple[ladder.Rung, mlp.MLPRun], ...]:
    """The finished networks, each as a rung with its run."""
    return tuple((ladder.network_rung(run), run) for run in trained.done) if trained is not None else ()


def the_ladder(page: Page, corpus: Corpus, rungs: tuple[ladder.Rung, ...], trained: mlp.Networks | None,
               revealed: bool) -> None:
    """Every rung's figures: test NLL with perplexity and bits, the chart, what it says, and the first
    network against the trigram. Where overfitting starts is the question's answer: said once it is out."""
    A = len(charts.evaluation(corpus).alphabet)
    nets = tuple(rung for rung, _ in _networks(trained))
    shown = (*rungs, *nets)
    for row in range(0, len(shown), 3):     # a row of three at a time: a phone stacks them in ladder order
        for column, rung in zip(st.columns(3), shown[row:row + 3]):
            nll_metric(column, f"{rung.label}: test NLL", rung.test, A)
    values = tuple(tuple(v) for v in ([r.label for r in shown], [r.training for r in shown],
                                      [r.validation for r in shown], [r.test for r in shown]))
    page.chart(charts.ladder_chart(*values, page.chart_height), charts.ladder_summary(*values),
               charts.ladder_table(*values))
    st.markdown(ladder.descent_sentence(shown) + (" " + ladder.overfitting_sentence(shown) if revealed else ""))
    st.markdown("\n".join(f"- **{r.label}** sees {r.sees}; {r.fitted}." for r in shown))
    if nets:
        st.markdown(ladder.versus_sentence(nets[0], rungs[3]))
    else:
        st.caption("The networks join the ladder once they are trained (above).")


def more_context(page: Page, corpus: Corpus, trained: mlp.Networks | None) -> None:
    """Counting with ever longer contexts beside the networks: where counting overfits, and what it
    takes a network to beat the best of it."""
    A = len(charts.evaluation(corpus).alphabet)
    page.explain(
        f"A counted model's table has a row for every context it might see: {integer(A)} rows for one symbol, "
        f"{integer(A ** 2)} for two, {integer(A ** 4)} for four. A longer context splits the training names' "
        "counts into finer rows: unsmoothed, its fit to them can only get better, while names it never saw may "
        "fare worse. Each model below is smoothed with the k that suits the validation names, which gives some "
        "of that fit back. A network keeps no table: each symbol becomes a few learned numbers, and similar "
        "contexts share what they learned."
    )
    choices = charts.ladder_by_context(corpus)
    nets = _networks(trained)
    counted = tuple((ladder.order_label(c.order), c.order - 1, c.training_nll, c.validation_nll) for c in choices)
    networks = tuple((r.label, run.settings.block, r.training, r.validation) for r, run in nets)
    start = ladder.overfitting_start([c[2] for c in counted], [c[3] for c in counted])
    at = None if start is None else counted[start][1]
    page.chart(charts.context_chart(counted, networks, at, page.chart_height),
               charts.context_summary(counted, networks, at), charts.context_table(counted, networks))
    st.markdown(ladder.overfitting_sentence(tuple(ladder.choice_rung(c) for c in choices)))
    if nets:
        st.markdown(_against_counting(nets, choices, start))


def _against_counting(nets, choices, start) -> str:
    """Each network against the counted model that sees as much (when one was counted), and what it
    takes to beat counting (core.ladder's sentences)."""
    same = [ladder.choice_rung(choices[run.settings.block]) if run.settings.block < len(choices) else None
            for _, run in nets]
    said = [ladder.versus_sentence(rung, counted) for (rung, _), counted in zip(nets, same) if counted is not None]
    best = ladder.choice_rung(ladder.best_counted(choices))
    said.append(f"Of the counted models, {best.name} has the lowest validation NLL.")
    if len(nets) > 1:   # both networks trained: what it took to beat counting
        overfits = None if start is None else ladder.choice_rung(choices[start])
        said.append(ladder.pull_ahead_sentence(same[0], nets[0][0], nets[-1][0], best, overfits))
    return " ".join(said)


def names_from_every_rung(page: Page, corpus: Corpus, rungs: tuple[ladder.Rung, ...],
                          trained: mlp.Networks | None) -> None:
    page.url_number("ladder_count", 8, 1, 20, integer=True)
    page.url_number("ladder_seed", LECTURE_SEED, 0, 2**53 - 1, integer=True)
    with page.controls_row():
        page.number_input("names from each model", "ladder_count", step=1)
        page.number_input("seed", "ladder_seed", step=1)
    n, seed = st.session_state.ladder_count, st.session_state.ladder_seed
    alphabet = charts.evaluation(corpus).alphabet
    lines = [(r.label, charts.rung_names(charts.counted_model(corpus, r.order) if r.order else None, alphabet,
                                         r.k, n, seed)) for r in rungs]
    if trained is not None:
        lines += [(ladder.network_label(run.settings), charts.network_names(run.weights.tensors, alphabet, n, seed))
                  for run in trained.done]
    for label, names in lines:
        known = int(charts.mark_new(names, corpus)["in corpus"].sum())
        st.markdown(f"**{label}** ({known} of {n} in the corpus): "
                    + ", ".join(literal(name) if name else "(ended at once)" for name in names))
    st.caption(f"Each model's names are drawn with one generator seeded {seed}, one symbol at a time from the "
               "model's probabilities for the next symbol, until it draws the end '.'.")
