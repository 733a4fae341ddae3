"""The bigram page's check on names the models never saw: the corpus's split said as it is, the
counting model's k (`heldout_check`, beside the counting model) and the network's λ
(`network_check`, in the training's section) chosen on the validation names, the models chosen
scored on the test names. Every figure comes from ui/cached_builders.py: a rerun recomputes nothing."""
from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from core import heldout, shared_run, split, training
from core.corpus import Corpus
from core.formatting import count, figure, integer, setting
from ui import cached_builders as charts
from ui.bigram_figures import nll_metric
from ui.frame import Page
from ui.layout import row
from ui.text import say

UNSEEN = "Names the model never saw"   # the counting model's aside (ui/counting_view.py)


def heldout_check(page: Page, corpus: Corpus, k: float) -> None:
    """The split; when its parts are large enough, the counting model with smoothing k on the
    training and validation names, k chosen on validation and scored on test."""
    page.explain(
        """
The NLL on the names a model was fitted to rewards memorising them: the counted table with k = 0
is the best possible score there. To see how well a model does on names it has not seen, set
some names aside before fitting: fit to the rest, choose settings on one set of unseen names, and
report the score on another.
"""
    )
    ev = charts.evaluation(corpus)
    _split_said(corpus, ev)
    if not ev.scorable:
        return
    A = len(ev.alphabet)
    t1, t2 = st.columns(2)
    nll_metric(t1, f"counting model, k = {setting(k)}: NLL on the training names",
               charts.counting_nll(ev, k, "training"), A)
    nll_metric(t2, f"counting model, k = {setting(k)}: NLL on the validation names",
               charts.counting_nll(ev, k, "validation"), A)
    unseen = ev.unseen
    if unseen:
        zero = (f"With k = 0 the validation NLL is infinite: {count(unseen, 'pair')} of the validation names "
                f"never {'occurs' if unseen == 1 else 'occur'} in the training names, so the counted table gives "
                f"{'it' if unseen == 1 else 'them'} probability 0.")
    else:
        zero = ("Every pair of the validation names occurs in the training names, so even k = 0 gives a finite "
                f"validation NLL ({figure(ev.curve.validation[0])}).")
    chosen = charts.choose_k(ev)
    best = {"zero": "the validation NLL is lowest at k = 0: on these names, smoothing does not help.",
            "inside": f"the validation NLL is lowest at k = {setting(chosen.k)} ({figure(chosen.validation_nll)}), "
                      f"while the training NLL is lowest at k = 0 ({figure(ev.curve.train[0])}).",
            "top": f"the validation NLL is lowest at the largest, k = {setting(chosen.k)} "
                   f"({figure(chosen.validation_nll)}), and still falling there: a larger k may do better."}
    st.markdown(f"{zero} Over the k tried, {best[chosen.kind]}")
    curve = ev.curve
    page.chart(charts.smoothing_curve(curve.ks, curve.train, curve.validation, chosen.k, page.chart_height),
               charts.smoothing_curve_summary(curve.ks, curve.train, curve.validation, chosen.k))
    st.markdown(f"The model chosen, k = {setting(chosen.k)}, scored once on the test names:")
    nll_metric(st.columns(2)[0], f"counting model, k = {setting(chosen.k)}: NLL on the test names", chosen.test_nll, A)


def network_check(page: Page, corpus: Corpus, trained: training.TrainingResult) -> None:
    """Once `trained` has finished: the same training on the split's training names alone, scored
    on the names it never saw (if the split's parts are large enough to score), in an aside drawn
    only while open, like the counting model's."""
    ev = charts.evaluation(corpus)
    if ev.scorable and trained.finished and trained.steps_done:
        with page.expander("The trained network on names it never saw", "network_unseen_shelf") as shelf:
            if shelf.open:
                _network_on_the_split(ev, trained.settings)


def _split_said(corpus: Corpus, ev: heldout.Evaluation) -> None:
    """How many names each part really has, what each is for, and whether the parts are large
    enough to mean anything."""
    sizes = row()
    for part, n in zip(split.PARTS, ev.sizes):
        sizes.metric(f"{part} names", integer(n))
    shown = " / ".join(integer(n) for n in ev.sizes)
    if not ev.scorable:
        smallest = split.min_scorable_names()
        say("info", f"These {count(corpus.n_names, 'name')} split into {shown} training / validation / test "
                    f"names: fewer than {split.MIN_SCORED_NAMES} validation or test names, whose NLL would say "
                    "which names happened to fall there rather than how a model does on names it never saw. So no "
                    f"figures are shown here; a corpus of {integer(smallest)} names or more splits into parts "
                    "large enough.", icon=":material/info:")
        return
    st.markdown(f"The {integer(corpus.n_names)} names are split once, at random (seed {split.SPLIT_SEED}), into "
                f"{shown} training / validation / test names (80 / 10 / 10, as in makemore). Each model is fitted "
                "to the **training** names; k and λ are chosen by the NLL on the **validation** names; the model "
                "chosen is then scored on the **test** names, which took no part in any choice, so their NLL is "
                "not flattered by it.")
    left = {name: part.left_out for name, part in (("validation", ev.validation), ("test", ev.test)) if part.left_out}
    if left:
        which = " and ".join(count(n, f"{name} name") for name, n in left.items())
        one = sum(left.values()) == 1
        say("caption", f"The models' alphabet is the training names' own ({len(ev.alphabet)} symbols). "
                       f"{which} {'uses' if one else 'use'} a character no training name has "
                       f"({', '.join(ev.unspelled)}): no model of the training names can spell "
                       f"{'it' if one else 'them'}, so {'it is' if one else 'they are'} left out of the scores.")


def _network_on_the_split(ev: heldout.Evaluation, settings: training.TrainingSettings) -> None:
    A = len(ev.alphabet)
    st.caption(f"The same network, settings and steps, trained on the {integer(ev.sizes[0])} training names only, "
               "then scored on the training and validation names.")
    fitted = _train_on_training_names(ev, settings)
    row = charts.penalty_table({settings.reg: fitted}, ev).iloc[0]
    n1, n2 = st.columns(2)
    nll_metric(n1, f"network, λ = {setting(settings.reg)}: NLL on the training names", row["training NLL"], A)
    nll_metric(n2, f"network, λ = {setting(settings.reg)}: NLL on the validation names", row["validation NLL"], A)
    if fitted.diverged_at is not None:
        say("caption", f"This training stopped at step {integer(fitted.diverged_at)}, where its loss stopped being "
                       "finite: these are the scores of its last finite weights.")
    if not st.toggle("compare λ: train the network on the training names with other penalties", key="compare_reg",
                     persist_state="session"):
        return
    fits = {reg: _train_on_training_names(ev, dataclasses.replace(settings, reg=reg))
            for reg in heldout.penalties_to_compare(settings.reg)}
    st.dataframe(_shown_table(charts.penalty_table(fits, ev)), hide_index=True, width="stretch")
    choice = charts.choose_penalty(fits, ev)
    if choice.kind == "chosen":
        st.markdown(f"Chosen on the validation names: λ = {setting(choice.reg)}, whose validation NLL "
                    f"({figure(choice.validation_nll)}) is the lowest of the runs that ran to the end. Its network, "
                    "scored once on the test names:")
        nll_metric(st.columns(2)[0], f"network, λ = {setting(choice.reg)}: NLL on the test names", choice.test_nll, A)
        return
    why = []
    if choice.diverged:
        why.append(f"{count(choice.diverged, 'training')} stopped at non-finite values (the step η = "
                   f"{setting(settings.lr)} is too large for {'it' if choice.diverged == 1 else 'them'})")
    if choice.impossible:
        why.append(f"{count(choice.impossible, 'network')} {'gives' if choice.impossible == 1 else 'give'} a "
                   "validation pair probability 0, an infinite NLL")
    say("warning", f"No λ can be chosen here: {' and '.join(why)}. A smaller learning rate η gives runs to compare.",
        icon=":material/block:")


def _shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """The λ table with its numbers written as the page writes numbers."""
    return pd.DataFrame({"λ": [setting(x) for x in table["λ"]],
                         "training NLL": [figure(x) for x in table["training NLL"]],
                         "validation NLL": [figure(x) for x in table["validation NLL"]],
                         "ran": ["to the end" if pd.isna(s) else f"until step {integer(s)}"
                                 for s in table["stopped at step"]]})


def _train_on_training_names(ev: heldout.Evaluation, settings: training.TrainingSettings) -> training.TrainingResult:
    # A run the page shows unasked: its own kind in the one training cache, apart from the visitor's Train.
    return shared_run.CACHE.get(ev.fingerprint + ":training names", ev.training.counts, settings,
                                kind=shared_run.SHOWN)
