"""The bigram page's held-out check: the counting model and the network fitted to the training
names and scored on names they never saw, with the smoothing k and the penalty λ compared."""
from __future__ import annotations

import dataclasses

import streamlit as st
import torch

from core import bigram, heldout, shared_run, training
from core.formatting import count, figure
from core.corpus import Corpus
from ui import cached_builders as charts
from ui.bigram_figures import nll_metric
from ui.frame import Page
from ui.text import say


def heldout_check(page: Page, corpus: Corpus, k: float, trained: training.TrainingResult | None) -> None:
    """The split, the counting model with smoothing k on both sides, and, once `trained` has
    finished, the same training on the training names alone."""
    if corpus.n_held_out == 0:
        say("info", f"This corpus has {count(corpus.n_names, 'name')}, so there is nothing to hold out: a "
                    "held-out side needs at least two names. Upload more names to see it.",
            icon=":material/info:")
        return
    N_train, N_held = torch.from_numpy(corpus.train_counts), torch.from_numpy(corpus.held_counts)
    V, n_train_names = corpus.vocab_size, corpus.n_names - corpus.n_held_out
    h1, h2, h3 = st.columns(3)
    h1.metric("training names", f"{n_train_names:,}")
    h2.metric("held-out names", f"{corpus.n_held_out:,}")
    unseen = heldout.unseen_pairs(N_train, N_held)
    h3.metric("held-out pairs never seen in training", f"{unseen:,}")
    curve = heldout.smoothing_curve(N_train, N_held, tuple(heldout.default_ks()))
    P_train = bigram.probabilities(N_train, k)
    t1, t2 = st.columns(2)
    nll_metric(t1, f"counting model, k = {k:g}: NLL on the training names", bigram.average_nll(N_train, P_train), V)
    nll_metric(t2, f"counting model, k = {k:g}: NLL on the held-out names", bigram.average_nll(N_held, P_train), V)
    if unseen:
        zero = (f"With k = 0 the held-out NLL is infinite: {count(unseen, 'pair')} of the held-out names "
                f"never {'occurs' if unseen == 1 else 'occur'} in the training names, so the counted table gives "
                f"{'it' if unseen == 1 else 'them'} probability 0.")
    else:
        zero = (f"Every pair of the held-out names occurs in the training names, so even k = 0 gives a finite "
                f"held-out NLL ({figure(curve.held_out[0])}).")
    best = ("the held-out NLL is lowest at k = 0: on this split, smoothing does not help." if curve.best_k == 0 else
            f"the held-out NLL is lowest at k = {curve.best_k:.3g} ({figure(curve.best_held_out)}), while the "
            f"training NLL is lowest at k = 0 ({figure(curve.train[0])}).")
    st.markdown(f"{zero} Over the k tried, {best}")
    page.chart(charts.smoothing_curve(curve.ks, curve.train, curve.held_out, curve.best_k, page.chart_height),
               charts.smoothing_curve_summary(curve.ks, curve.train, curve.held_out, curve.best_k))
    if trained is not None and trained.finished and trained.steps_done:
        _network_on_both_sides(corpus, N_train, N_held, trained.settings, n_train_names)


def _network_on_both_sides(corpus: Corpus, N_train: torch.Tensor, N_held: torch.Tensor,
                           settings: training.TrainingSettings, n_train_names: int) -> None:
    st.markdown("#### The trained network on the held-out names")
    st.caption(f"The same network, settings and steps, trained on the {n_train_names:,} training names only, "
               "then scored on both sides.")
    fitted = _train_on_training_names(corpus, N_train, settings)
    n1, n2 = st.columns(2)
    nll_metric(n1, f"network, λ = {settings.reg:g}: NLL on the training names",
               heldout.network_nll(fitted.W, N_train), corpus.vocab_size)
    nll_metric(n2, f"network, λ = {settings.reg:g}: NLL on the held-out names",
               heldout.network_nll(fitted.W, N_held), corpus.vocab_size)
    if not st.toggle("compare λ: train the network on the training names with other penalties", key="compare_reg",
                     persist_state="session"):
        return
    fits = {reg: _train_on_training_names(corpus, N_train, dataclasses.replace(settings, reg=reg))
            for reg in heldout.penalties_to_compare(settings.reg)}
    table = heldout.penalty_table(fits, N_train, N_held)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.4f")
                                for c in ("training NLL", "held-out NLL")})
    best = heldout.best_penalty(table)
    if best is not None:
        st.caption(f"Of these, λ = {best.held_out:g} gives the lowest held-out NLL ({figure(best.held_out_nll)}); "
                   f"the training NLL is lowest at λ = {best.train:g}.")


def _train_on_training_names(corpus: Corpus, N_train: torch.Tensor,
                             settings: training.TrainingSettings) -> training.TrainingResult:
    # The page's own trainings (the side cache), apart from the visitor's Train.
    return shared_run.SIDE_CACHE.get(corpus.fingerprint + ":train", N_train, settings)
