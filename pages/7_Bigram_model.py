"""Chapter 7: the article's bigram model on real names: counted (closed-form MLE), then trained by gradient descent."""
import dataclasses
import math

import pandas as pd
import streamlit as st

import torch

from core import bigram, corpus as corpora, heldout, shared_run, training
from core.bigram import figure, plural
from ui import cached_builders as charts, frame, live_training  # charts: core.charts.bigram's builders, cached
from ui.cached_builders import sample_each
from ui.corpus_input import choose_corpus
from ui.text import literal, say
from ui.question import ask
from core import questions

page = frame.start(__file__, lead="Every idea of the story at once: a model of names, scored by its NLL, "
                                  "fitted by counting and by gradient descent.")
page.keep("score_name", "compare_reg")  # widgets outside the URL that a return to the page keeps

page.explain(
    """
A bigram model guesses the next character of a name from the current one alone. Its parameters
are a table: for each character *a*, a probability for every character *b* that may follow, with
'.' marking where a name starts and ends. The data are real names. Their likelihood is the product
of the probabilities of all their bigrams, so the NLL of chapter 6 scores any table, and the best
table is the one with the smallest average NLL.
"""
)

def nll_metric(column, label: str, nll: float) -> None:
    """An NLL (nats per character) with its perplexity and its value in bits beneath it."""
    column.metric(label, figure(nll))
    column.caption(uncertainty(nll))


def uncertainty(nll: float) -> str:
    ppl = heldout.perplexity(nll)
    if math.isinf(nll):
        return "perplexity ∞: some pair here has probability 0, so no number of characters is as uncertain"
    if ppl >= bigram.LARGEST_SHOWN:
        return (f"perplexity e^NLL {figure(ppl)}: far more than the {corpus.vocab_size} symbols there are, "
                "so no fair choice among them is this uncertain")
    return (f"perplexity e^NLL = {figure(ppl, 2)}: as uncertain as a fair choice among {figure(ppl, 2)} "
            f"characters; {figure(heldout.bits_per_character(nll), 3)} bits per character")


lead = st.container()  # the chapter's point, filled in once the corpus is known

# --- 1. The corpus -------------------------------------------------------------------------
st.subheader("The data: a corpus of names")
corpus = choose_corpus(page)
N = bigram.counts_for(corpus)
say("caption", corpus.source)
c1, c2, c3 = st.columns(3)
c1.metric("names", f"{corpus.n_names:,}")
c2.metric("bigrams (pairs, '.' included)", f"{corpus.n_bigrams:,}")
c3.metric("vocabulary size V", corpus.vocab_size)
st.markdown("**Vocabulary:** " + literal(" ".join(corpus.itos)) + "  \n**First names:** "
            + literal(", ".join(corpus.examples)))

# --- 2. Counting: the closed-form MLE ------------------------------------------------------
st.subheader("Counting: the maximum-likelihood table in closed form")
page.explain(
    """
For a table of probabilities, the likelihood of the corpus is largest when each row simply holds
the observed frequencies: count how often *b* follows *a*, and divide by how often *a* is followed
by anything. No search is needed. Adding *k* to every count first (smoothing) gives up a little
likelihood on the corpus so that pairs never seen do not get probability zero.
"""
)
page.url_number("k", 0.0, 0.0, 10.0)
st.slider("add-k smoothing k (0 is the maximum-likelihood estimate)", 0.0, 10.0, key="k", step=0.1)
k = st.session_state.k
P = bigram.probabilities(N, k)
P_mle = bigram.probabilities(N, 0.0)
nll_k, counting_nll = bigram.average_nll(N, P), bigram.average_nll(N, P_mle)


def row_pull(W) -> str:
    """Where softmax(W) departs most from the counted table: which row, and how rare it is."""
    diff = (training.trained_probabilities(W).double() - P_mle.double()).abs()
    i, j = divmod(int(diff.argmax()), corpus.vocab_size)
    totals = N.sum(1)
    rank = int((totals < totals[i]).sum().item())    # rows with fewer pairs than row i
    rarest = ("the rarest row" if rank == 0 else
              f"only {plural(rank, 'row')} {'has' if rank == 1 else 'have'} fewer")
    return (f"The largest gap, {figure(diff[i, j].item())}, is P(“{literal(corpus.itos[j])}” | "
            f"“{literal(corpus.itos[i])}”): row “{literal(corpus.itos[i])}” has "
            f"{plural(int(totals[i]), 'pair')} ({rarest}).")


with lead:
    article = shared_run.SIDE_CACHE.get(corpus.fingerprint + ":lead", N, training.TrainingSettings())
    outcome = training.verdict(article, counting_nll)
    a1, a2, a3 = st.columns(3)
    nll_metric(a1, "counted table: NLL", counting_nll)
    nll_metric(a2, "trained network: data NLL", article.final_data_nll)
    a2.caption("the article's run: η = 50, 1,000 steps, λ = 0.01")
    lead_gap = training.max_probability_gap(article.W, P_mle)
    a3.metric("largest gap |softmax(W) − P|", figure(lead_gap))
    if outcome.kind in ("near_floor", "above_floor"):
        st.markdown(
            f"**Counting and gradient descent find the same table.** The counted table is the best possible "
            f"score on these names; the network, which never sees a count, ends "
            f"{figure(outcome.gap)} above it after {plural(article.steps_done, 'step')}, and none of its "
            f"{corpus.vocab_size ** 2:,} probabilities differs from the counted one by more than "
            f"{figure(lead_gap)}. " + row_pull(article.W))
    else:
        why = ("its loss became infinite" if outcome.kind == "diverged" else
               f"its loss rose from {figure(outcome.first)} to {figure(outcome.last)}")
        st.markdown(f"**On this corpus the article's step size does not find the counted table:** {why}. "
                    "Training, below, lets you choose a smaller learning rate.")
n_tex = f"{corpus.n_bigrams:,}".replace(",", "{,}")


def tex_figure(x: float) -> str:
    """figure(x) for LaTeX: ∞ as \\infty, a number too large to show as about 10^n."""
    text = figure(x)
    if text.startswith("about"):
        return rf"\text{{about }} 10^{{{math.floor(math.log10(abs(x)))}}}"
    return text.replace("∞", r"\infty")  # a bare comma in LaTeX adds a space
page.formula(rf"""\begin{{aligned}}
P(b \mid a) &= \frac{{N_{{ab}} + k}}{{\sum_c (N_{{ac}} + k)}} \qquad (k = {k:g}) \\
\text{{NLL}} &= -\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} \log P(b_i \mid a_i) = {tex_figure(nll_k)} \qquad (n = {n_tex})
\end{{aligned}}""")
m1, m2 = st.columns(2)
nll_metric(m1, f"average NLL with k = {k:g}", nll_k)
nll_metric(m2, "average NLL with k = 0 (the MLE, the floor)", counting_nll)

cell = 40 if page.presenter else 32  # px per heatmap row
page.chart(charts.count_heatmap(N, P, corpus.itos, cell), charts.count_heatmap_summary(N, P, corpus.itos),
           charts.bigram_table(N, P, corpus.itos), phone=charts.count_heatmap_phone(N, P, corpus.itos))


def samples_table(probs, key: str) -> None:
    """Names drawn from `probs` with a seeded generator, each marked as known or new."""
    left, right = st.columns(2)
    page.number_input("how many names", f"{key}_count", where=left, lo=1, hi=50, default=10, integer=True)
    page.number_input("seed", f"{key}_seed", where=right, lo=0, hi=2**53 - 1, default=training.ARTICLE_SEED,
                      integer=True)
    drawn = sample_each(probs, corpus.itos, st.session_state[f"{key}_count"], st.session_state[f"{key}_seed"])
    table = bigram.mark_new(drawn, corpus).replace({"name": {"": "(ended at once)"}})
    st.dataframe(table, hide_index=True, width="stretch")
    known = int(table["in corpus"].sum())
    st.caption(f"{known} of {plural(len(table), 'sampled name')} {'is' if known == 1 else 'are'} in the corpus"
               + ("." if known == len(table) else "; the rest are new."))


def scored_name(probs):
    """The typed name's score, or the last good name's when the typed one cannot be scored."""
    try:
        score = bigram.score_name(st.session_state.score_name, probs, corpus.stoi)
        st.session_state.score_last_good = st.session_state.score_name
        return score
    except ValueError as err:  # includes UnknownCharacterError
        problem = str(err)
    kept = st.session_state.get("score_last_good", "")
    try:
        score = bigram.score_name(kept, probs, corpus.stoi)
        say("error", f"{problem} Showing “{kept}” instead.", icon=":material/error:")
        return score
    except ValueError:  # nothing good yet, or the last good name does not fit this corpus
        say("error", problem, icon=":material/error:")
        return None


def fit_name_to_corpus() -> None:
    """A new corpus (an upload) may lack the letters of the name in the box: start from its first name."""
    if "score_name" not in st.session_state:
        st.session_state.score_name = "andrej"
    if st.session_state.get("score_corpus") != corpus.fingerprint:
        st.session_state.score_corpus = corpus.fingerprint
        if not set(corpora.as_name(st.session_state.score_name)) <= set(corpus.itos[1:]):
            st.session_state.score_name = st.session_state.score_last_good = corpus.examples[0]


def score_box(probs) -> None:
    st.markdown("#### Score a name")
    fit_name_to_corpus()
    st.text_input("a name (lower case; only characters of the vocabulary)", key="score_name")
    score = scored_name(probs)
    if score is None:
        return
    st.metric(f"average NLL of “{literal(score.name)}”", f"{score.nll:.4f}")
    st.dataframe(score.table, hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.4f") for c in ("p", "log p", "-log p")})
    if score.impossible:
        pairs = ", ".join(f"“{b}”" for b in score.impossible)
        say("warning", f"The pair {pairs} never occurs in the corpus, so with k = 0 its probability is 0 and "
                       "−log 0 = ∞: one impossible pair makes the whole name impossible, and its loss infinite. "
                       "Move k above 0 and every pair keeps a little probability.", icon=":material/all_inclusive:")
    elif (hint := bigram.unseen_extension(score.name, N, corpus.itos)) is not None:
        say("caption", f"Try “{hint[0]}” with k = 0: no name in the corpus has “{hint[1]}”.")


left, right = st.columns(2)
with left:
    score_box(P)
with right:
    st.markdown("#### Names the counting model makes up")
    samples_table(P, "count_draw")

# --- 3. Training the neural network ----------------------------------------------------------
st.subheader("Training: the same table found by gradient descent")
V = corpus.vocab_size
page.explain(
    f"""
Now forget the counts and let gradient descent find the table, the way a neural network learns.
Each character becomes a one-hot row; multiplied by the {V} × {V} weight matrix W it picks one row
of W, the logits. Exponentiated and normalised (a softmax), they are probabilities. The loss is the
average NLL of the next characters plus a small penalty λ on large weights; backward() gives its
gradient and W takes a step of size η against it. No W can score the corpus better than the
counted table, so the data NLL has the counting model's NLL as a floor: a good run approaches it
and never passes it. Whether a run gets there depends on the step: too large, and it overshoots.
"""
)
page.url_number("lr", 50.0, 1e-4, 1e6)
page.url_number("steps", 1000, 1, training.MAX_STEPS, integer=True)
page.url_number("reg", 0.01, 0.0, 10.0)
page.url_number("wseed", training.ARTICLE_SEED, 0, 2**53 - 1, integer=True)
s1, s2, s3, s4 = st.columns(4)
page.number_input("learning rate η", "lr", where=s1, step=5.0, format="%g")
page.number_input("steps", "steps", where=s2, step=100)
page.number_input("regularisation λ", "reg", where=s3, step=0.01, format="%g")
page.number_input("seed of W", "wseed", where=s4)
settings = training.TrainingSettings(float(st.session_state.lr), int(st.session_state.steps),
                                     float(st.session_state.reg), int(st.session_state.wseed))
st.code(training.article_loop(V, settings.lr, settings.reg, settings.steps), language="python")
page.formula(rf"\text{{loss}}(W) = -\frac{{1}}{{n}}\sum_{{i=1}}^{{n}} \log \operatorname{{softmax}}(x_i W)_{{y_i}}"
             rf" + {settings.reg:g} \cdot \operatorname{{mean}}(W^2), \qquad W \leftarrow W - {settings.lr:g}\, "
             rf"\nabla_W \text{{loss}}, \qquad W \in \mathbb{{R}}^{{{V} \times {V}}}")
result = live_training.train(page, corpus, N, settings, counting_nll)

if result is not None and result.steps_done:
    st.markdown("#### After training")
    r1, r2, r3 = st.columns(3)
    r1.metric("loss (data NLL + λ·mean W²)", figure(result.final_loss))
    nll_metric(r2, "data NLL alone", result.final_data_nll)
    nll_metric(r3, "counting model NLL (k = 0)", counting_nll)
    gap = result.final_data_nll - counting_nll
    page.formula(rf"\text{{data NLL}} - \text{{counting NLL}} = {tex_figure(result.final_data_nll)} - "
             rf"{tex_figure(counting_nll)} = {tex_figure(gap)} \ \ge 0")
    st.markdown("#### softmax(W) beside the counted P (k = 0)")
    st.metric("largest |softmax(W) − P| over all pairs", f"{training.max_probability_gap(result.W, P_mle):.4f}")
    page.chart(charts.probability_gap_heatmap(result.W, P_mle, corpus.itos, cell),
               charts.probability_gap_summary(result.W, P_mle, corpus.itos),
               phone=charts.probability_gap_heatmap_phone(result.W, P_mle, corpus.itos))
    lam = (f"The penalty λ = {settings.reg:g} pulls every row of softmax(W) towards uniform, as add-k smoothing "
           "does to the counts, and hardest on the rows with fewest pairs, whose data pull back least. "
           if settings.reg > 0 else "With λ = 0 nothing pulls softmax(W) away from the counted table. ")
    st.markdown(lam + row_pull(result.W))
    with st.columns(2)[0]:
        st.markdown("#### Names the trained network makes up")
        samples_table(training.trained_probabilities(result.W), "net_draw")
        count_n, seed = st.session_state.net_draw_count, st.session_state.net_draw_seed
        net_names = sample_each(training.trained_probabilities(result.W), corpus.itos, count_n, seed)
        counted_names = sample_each(P_mle, corpus.itos, count_n, seed)
        same = sum(a == b for a, b in zip(net_names, counted_names))
        st.markdown(f"Name *i* is drawn with seed {seed} + *i*. With the same seeds, the counted table (k = 0) "
                    f"makes {same} of these {plural(count_n, 'name')} too: "
                    + ("evidence that the network learned the counted table." if same >= count_n / 2 else
                       "the two tables still differ enough to send the draws apart."))

    with st.expander("Check: does the article's literal loop give the same numbers?"):
        st.markdown("The page trains with the counts N alone: the loss depends on the data only through them. "
                    "The article's loop one-hot encodes every bigram instead. Run it here for a few steps and "
                    "compare, step by step.")
        if not training.literal_fits(corpus.n_bigrams, corpus.vocab_size):
            st.info("This corpus is too large for the literal loop on a shared server "
                    f"({corpus.n_bigrams:,} bigrams × {corpus.vocab_size} one-hot columns).")
        else:
            most = min(settings.steps, 200)
            page.number_input(f"steps of the literal loop (at most {most})", "literal_steps", lo=1, hi=most,
                              default=min(20, most), integer=True)
            short = dataclasses.replace(settings, steps=int(st.session_state.literal_steps))
            if st.button("Run the literal loop", key="literal", icon=":material/timer:"):
                bar = st.progress(0.0)
                xs, ys = bigram.bigram_pairs(corpus)
                for snap in shared_run.CACHE.stream(corpus.fingerprint, N, short, pairs=(xs, ys)):
                    bar.progress(snap.steps_done / short.steps, text=f"literal loop: step {snap.steps_done}")
                st.session_state.literal_run = (corpus.fingerprint, short, snap)
            run = st.session_state.get("literal_run")
            if run is not None and run[:2] == (corpus.fingerprint, short):
                literal = run[2]
                fast = shared_run.CACHE.get(corpus.fingerprint, N, short)
                loss_gap, w_gap = training.agreement(literal, fast)
                l1, l2, l3, l4 = st.columns(4)
                l1.metric(f"literal loop, {literal.steps_done} steps", f"{literal.elapsed:.2f} s")
                l2.metric("counts-only loop, same steps", f"{fast.elapsed * 1e3:.1f} ms")
                l3.metric("largest |loss difference|", f"{loss_gap:.1e}")
                l4.metric("largest |W difference|", f"{w_gap:.1e}")
                st.caption(f"The counts-only loop was {literal.elapsed / max(fast.elapsed, 1e-9):,.0f} times "
                           "faster here; both work in 32-bit floats, so they agree to rounding.")
                st.dataframe(pd.DataFrame({"step": range(len(literal.losses)), "literal loss": literal.losses,
                                           "counts-only loss": fast.losses[:len(literal.losses)]}),
                             hide_index=True, height=200)

# --- 4. Names the model never saw ---------------------------------------------------------------
st.subheader("Names the model never saw")
page.explain(
    """
The NLL on the names a model was fitted to rewards memorising them: the counted table with k = 0
is the best possible score there. To see how well a model does on names it has not seen, hold
some names out before fitting (a seeded random tenth here), fit to the rest, and score both sides.
"""
)
if corpus.n_held_out == 0:
    say("info", f"This corpus has {plural(corpus.n_names, 'name')}, so there is nothing to hold out: a "
                "held-out side needs at least two names. Upload more names to see it.",
        icon=":material/info:")
else:
    N_train, N_held = torch.from_numpy(corpus.train_counts), torch.from_numpy(corpus.held_counts)
    n_train_names = corpus.n_names - corpus.n_held_out
    h1, h2, h3 = st.columns(3)
    h1.metric("training names", f"{n_train_names:,}")
    h2.metric("held-out names", f"{corpus.n_held_out:,}")
    unseen = heldout.unseen_pairs(N_train, N_held)
    h3.metric("held-out pairs never seen in training", f"{unseen:,}")
    curve = heldout.smoothing_curve(N_train, N_held, tuple(heldout.default_ks()))
    P_train = bigram.probabilities(N_train, k)
    train_k, held_k = heldout.average_nll(N_train, P_train), heldout.average_nll(N_held, P_train)
    t1, t2 = st.columns(2)
    nll_metric(t1, f"counting model, k = {k:g}: NLL on the training names", train_k)
    nll_metric(t2, f"counting model, k = {k:g}: NLL on the held-out names", held_k)
    if unseen:
        zero = (f"With k = 0 the held-out NLL is infinite: {plural(unseen, 'pair')} of the held-out names "
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
    if result is not None and result.finished and result.steps_done:
        st.markdown("#### The trained network on the held-out names")
        st.caption(f"The same network, settings and steps, trained on the {n_train_names:,} training names only, "
                   "then scored on both sides.")
        fitted = shared_run.SIDE_CACHE.get(corpus.fingerprint + ":train", N_train, settings)
        P_net = training.trained_probabilities(fitted.W).double()
        n1, n2 = st.columns(2)
        nll_metric(n1, f"network, λ = {settings.reg:g}: NLL on the training names",
                   heldout.average_nll(N_train, P_net))
        nll_metric(n2, f"network, λ = {settings.reg:g}: NLL on the held-out names",
                   heldout.average_nll(N_held, P_net))
        if st.toggle("compare λ: train the network on the training names with other penalties", key="compare_reg"):
            rows = []
            for reg in sorted({0.0, 0.01, 0.1, 1.0, settings.reg}):
                other = shared_run.SIDE_CACHE.get(corpus.fingerprint + ":train", N_train,
                                                  dataclasses.replace(settings, reg=reg))
                P_other = training.trained_probabilities(other.W).double()
                rows.append({"λ": reg, "training NLL": heldout.average_nll(N_train, P_other),
                             "held-out NLL": heldout.average_nll(N_held, P_other),
                             "diverged": other.diverged_at is not None})
            table = pd.DataFrame(rows)
            st.dataframe(table, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%.4f")
                                        for c in ("training NLL", "held-out NLL")})
            finite = table[~table["diverged"]]
            if len(finite):
                low = finite.loc[finite["held-out NLL"].idxmin()]
                st.caption(f"Of these, λ = {low['λ']:g} gives the lowest held-out NLL ({figure(low['held-out NLL'])}); "
                           f"the training NLL is lowest at λ = {finite.loc[finite['training NLL'].idxmin(), 'λ']:g}.")

ask(page, questions.bigram_for_settings(corpus.fingerprint, N, settings, counting_nll), "bigram")
page.finish()
