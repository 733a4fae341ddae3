"""Chapter 8's networks: trained once per server and corpus, on request, in the background, with a
live curve that every visitor watching shares; a visitor who comes later sees the finished run.

The training is core.shared_run's (one run per key, streamed from one background thread, kept in
the bounded training cache); the networks of the built-in names are pinned there, so that chapter
7's many small trainings never push out a minute of work. This page never waits for the run:
it looks at the run's latest snapshot (`peek`), and while the run goes on a fragment looks again
every few seconds and redraws the curve alone, then reruns the page once the run has finished.
Nothing here trains at a server's warm-up: only the Train button starts a run.
"""
from __future__ import annotations

import streamlit as st

from core import ladder, mlp, shared_run
from core.corpus import Corpus
from core.formatting import count, figure, integer, seconds, setting
from ui import cached_builders as charts
from ui.frame import Page

POLL_SECONDS = 2.0    # how often a watcher looks at the run: each look redraws the curve for its session


_PREFIX = "networks:"


def run_key(corpus: Corpus) -> tuple:
    return (_PREFIX + corpus.fingerprint, mlp.NETWORKS)


def explain_networks(page: Page) -> None:
    """What the networks are, with their settings written in (mlp.NETWORKS)."""
    first, longer = mlp.NETWORKS[0], mlp.NETWORKS[-1]
    page.explain(
        f"""
makemore's multilayer perceptron: each of the last few symbols is looked up in a table C of
learned embeddings ({first.embedding} numbers per symbol); side by side they go through a layer of
{first.hidden} tanh units, and a last layer gives a logit for every symbol. The loss is the same
average NLL (PyTorch's F.cross_entropy of the logits), lowered by gradient descent on minibatches of
contexts drawn at random from the training names, the step cut from {setting(first.lr)} to {setting(first.late_lr)}
for the last {setting(100 * (1 - first.decay_at))} % of the run. Two networks: makemore's, which sees
{first.block} symbols ({integer(first.steps)} steps of {first.batch}), and one that sees {longer.block}
and trains longer ({integer(longer.steps)} steps of {longer.batch}).
"""
    )
    back = r",\ ".join(f"C_{{c_{{i-{j}}}}}" for j in range(first.block, 0, -1))
    seen = r"\,".join(f"c_{{i-{j}}}" for j in range(first.block, 0, -1))
    page.formula(rf"""\begin{{aligned}}
x &= \big[\,{back}\,\big] \in \mathbb{{R}}^{{{first.block} \times {first.embedding}}} \\
h &= \tanh(x W_1 + b_1) \in \mathbb{{R}}^{{{first.hidden}}}, \qquad
P(\,\cdot \mid {seen}) = \operatorname{{softmax}}(h W_2 + b_2) \\
\text{{loss}} &= -\frac{{1}}{{{first.batch}}} \sum_{{j \in \text{{minibatch}}}}
\log P(c_j \mid \text{{the {first.block} symbols before it}})
\end{{aligned}}""")


def networks(page: Page, corpus: Corpus, built_in: bool, best_shown: bool) -> mlp.Networks | None:
    """The Train button, or the run as it stands (live while it goes on); returns its latest
    snapshot, None before anyone trains the networks on this corpus. best_shown: the curve may name
    the best counted model (once the chapter's question, which asks for it, is answered)."""
    key = run_key(corpus)
    seen = shared_run.CACHE.peek(key)
    if seen is None:
        if not ladder.networks_fit(corpus):
            st.info(f"These names have {integer(corpus.n_bigrams)} symbols; the networks train on a corpus of at "
                    f"most {integer(ladder.NETWORK_MAX_SYMBOLS)}, so that one training stays within about a minute "
                    "of one core. The counted models rank the names below.",
                    icon=":material/block:")
            return None
        busy = [k for k in shared_run.CACHE.running() if str(k[0]).startswith(_PREFIX) and k != key]
        if busy:   # one network training at a time: a class uploading files must not stack minutes of CPU
            st.info("The server is training the networks on other names right now; they take about a minute. "
                    "Reload this page then to train them on these.", icon=":material/hourglass_top:")
            return None
        steps = " and ".join(f"{integer(s.steps)} steps" for s in mlp.NETWORKS)
        if not st.button("Train the networks", key="ladder_train", type="primary", icon=":material/play_arrow:"):
            st.caption(f"Nobody has trained them on {'these names' if not built_in else 'the built-in names'} "
                       f"since this server started. Training takes {steps}, about a minute of one core, once for "
                       "everyone: whoever opens this page meanwhile watches the same curve, and later visitors "
                       "see the result. Names uploaded in chapter 7 can be ranked here too: the counted models "
                       f"on any of them, the networks on request for up to {integer(ladder.NETWORK_MAX_SYMBOLS)} "
                       "symbols, one training at a time on a server.")
            return None
        shared_run.CACHE.stream_run(key, lambda: ladder.train(corpus, mlp.NETWORKS), name="network-training",
                                    pinned=built_in)
        seen = shared_run.CACHE.peek(key)
    references = _references(corpus, best_shown)
    if seen is None or not seen.finished:
        st.fragment(_watch, run_every=POLL_SECONDS)(page, key, references)
        return seen
    _curve(page, seen, references)
    st.caption(_cost(seen))
    return seen


def _references(corpus: Corpus, best_shown: bool) -> tuple[tuple[str, float], ...]:
    """The counted models the networks' validation NLL is drawn against: the trigram and the best
    counted model of any order (chosen on validation)."""
    choices = charts.ladder_by_context(corpus)
    best = ladder.best_counted(choices)
    refs = [("trigram", choices[2].validation_nll)]
    if best_shown and best.order != 3:
        refs.append((f"{ladder.order_label(best.order)}, the best counted", best.validation_nll))
    return tuple(refs)


def _watch(page: Page, key: tuple, references: tuple[tuple[str, float], ...]) -> None:
    seen = shared_run.CACHE.peek(key)
    if seen is None and key not in shared_run.CACHE.running():
        st.rerun(scope="app")   # the run failed and was dropped: the page offers Train again
    if seen is None:            # no snapshot yet
        st.caption("Starting…")
        return
    if seen.finished:
        st.rerun(scope="app")   # the whole page, now with the networks on the ladder
    run = seen.runs[-1]
    which = f"network {len(seen.runs)} of {len(seen.settings)} ({count(run.settings.block, 'symbol')} of context)"
    st.progress(run.steps_done / run.settings.steps,
                text=f"{which}: step {integer(run.steps_done)} of {integer(run.settings.steps)}")
    _curve(page, seen, references)


def _curve(page: Page, seen: mlp.Networks, references: tuple[tuple[str, float], ...]) -> None:
    curves = tuple((ladder.network_label(run.settings), run.losses, run.checked_at, run.validation)
                   for run in seen.runs)
    page.chart(charts.network_curve(curves, references, page.chart_height),
               charts.network_curve_summary(curves, references))


def _cost(seen: mlp.Networks) -> str:
    each = "; ".join(f"{ladder.network_label(run.settings)}: {integer(run.steps_done)} steps in "
                     f"{seconds(run.cpu)} of CPU, validation NLL {figure(run.final['validation'])}"
                     for run in seen.runs)
    return (f"Trained once on this server, one network after the other, on one core: {each}. The training loss "
            "is the mean of each window of minibatch losses; the validation NLL is computed on all the validation "
            "names at each snapshot.")
