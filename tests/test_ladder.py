"""core.ladder: the rungs against their own computations, and every classification the page's
sentences come from, checked against its definition over random figures."""
from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from core import heldout, ladder, mlp, ngram, questions
from core.corpus import Corpus
from core.split import split_names
from test_ngram import markov_names, nll_by_hand, rows_by_hand

NLL = st.floats(1.0, 4.0, allow_nan=False)
FIGURES = st.lists(NLL, min_size=2, max_size=8)


def rung(label: str, training: float, validation: float, test: float, order: int = 1) -> ladder.Rung:
    return ladder.Rung(label, f"the {label}", "something", "somehow", order, 0.1, training, validation, test)


@pytest.fixture(scope="module")
def small():
    names = markov_names(600, seed=4)
    return names, Corpus.from_names(names, "test")


def test_the_counted_rungs_are_their_models_scored_name_by_name(small):
    names, corpus = small
    train, val, test = split_names(names)
    rungs = ladder.counted_rungs(heldout.evaluate(corpus), ladder.by_context(corpus))
    alphabet = ngram.texts(corpus).alphabet
    assert [r.label for r in rungs] == ["uniform", "unigram", "bigram", "trigram"]
    assert rungs[0].training == rungs[0].test == math.log(len(alphabet))
    chapter7 = heldout.choose_k(heldout.evaluate(corpus))
    assert (rungs[2].k, rungs[2].test) == (chapter7.k, chapter7.test_nll)
    for r in rungs[1:]:
        assert r.test == pytest.approx(nll_by_hand(train, test, r.order, r.k, alphabet), rel=1e-12)
        assert r.training == pytest.approx(nll_by_hand(train, train, r.order, r.k, alphabet), rel=1e-12)
        assert r.validation == pytest.approx(nll_by_hand(train, val, r.order, r.k, alphabet), rel=1e-12)
    by_context = ladder.by_context(corpus)
    assert [c.order for c in by_context] == list(range(1, ngram.MAX_ORDER + 1))
    assert ladder.choice_rung(by_context[2]) == rungs[3]
    best = ladder.best_counted(by_context)
    assert best.validation_nll == min(c.validation_nll for c in by_context)


def test_samples_of_each_rung(small):
    _, corpus = small
    alphabet = ngram.texts(corpus).alphabet
    for order in range(4):
        model = ladder.counted_model(corpus, order) if order else None
        names = ladder.sample_counted(model, alphabet, 0.5, 10, 1)
        assert len(names) == 10 and set("".join(names)) <= set(alphabet[1:]) | {"…"}
    trigram = ladder.counted_model(corpus, 3)
    assert (trigram.order, trigram.size) == (3, len(alphabet))
    assert ladder.sample_counted(trigram, alphabet, 0.5, 10, 1) == ngram.sample(trigram, alphabet, 0.5, 10, 1)


def test_a_trained_network_becomes_a_rung(small):
    _, corpus = small
    s = mlp.MLPSettings(block=2, embedding=3, hidden=8, steps=50, batch=8)
    run = list(ladder.train(corpus, (s,)))[-1].runs[0]
    r = ladder.network_rung(run)
    assert (r.label, r.order) == ("MLP 2", -1) and (r.training, r.validation, r.test) == tuple(
        run.final[p] for p in ("training", "validation", "test"))
    assert "2 symbols" in r.sees and f"{s.parameters(run.size):,} weights" in r.fitted
    assert ladder.sample_network(run.weights.tensors, ngram.texts(corpus).alphabet, 3, 1) == mlp.sample(
        run.weights, ngram.texts(corpus).alphabet, 3, 1)


def test_the_networks_train_only_on_corpora_up_to_the_limit():
    assert ladder.networks_fit(Corpus.from_names(["ab"] * 10, "t"))
    big = Corpus.from_names(["a" * 49] * (ladder.NETWORK_MAX_SYMBOLS // 50 + 1), "t")
    assert big.n_bigrams > ladder.NETWORK_MAX_SYMBOLS and not ladder.networks_fit(big)


# --- the classifications, over random figures -------------------------------------------------------

@given(training=FIGURES, data=st.data())
def test_overfitting_starts_at_the_first_model_better_on_training_and_worse_on_validation(training, data):
    validation = data.draw(st.lists(NLL, min_size=len(training), max_size=len(training)))
    at = ladder.overfitting_start(training, validation)
    s = ladder.shown
    hits = [i for i in range(1, len(training))
            if s(validation[i]) > s(validation[i - 1]) and s(training[i]) < s(training[i - 1])]
    assert at == (hits[0] if hits else None)
    sentence = ladder.overfitting_sentence([rung(f"m{i}", t, v, v) for i, (t, v) in enumerate(zip(training,
                                                                                                validation))])
    if at is None:
        assert sentence.startswith("No overfitting within these models")
    else:
        assert sentence.startswith(f"Overfitting starts at the m{at}: its training NLL is lower than the m{at - 1}'s")


@given(values=FIGURES)
def test_the_ladder_goes_down_exactly_when_every_shown_figure_falls(values):
    rise = ladder.first_rise(values)
    shown = [ladder.shown(v) for v in values]
    assert (rise is None) == all(b < a for a, b in zip(shown, shown[1:]))
    if rise is not None:
        assert shown[rise] >= shown[rise - 1] and all(b < a for a, b in zip(shown[:rise], shown[1:rise]))
    sentence = ladder.descent_sentence([rung(f"m{i}", v, v, v) for i, v in enumerate(values)])
    assert sentence.startswith("The test NLL goes down at every rung") == (rise is None)


@given(a=NLL, b=NLL)
def test_a_network_beats_a_model_only_when_its_shown_test_nll_is_lower(a, b):
    net, other = rung("net", a, a, a, -1), rung("trigram", b, b, b, 3)
    kind = ladder.compare(a, b)
    assert kind == ("below" if ladder.shown(a) < ladder.shown(b) else "level" if ladder.shown(a) == ladder.shown(b)
                    else "above")
    sentence = ladder.versus_sentence(net, other)
    assert sentence.endswith("it beats it.") == (kind == "below")
    assert ("score the same test NLL" in sentence) == (kind == "level")


@given(figures=st.lists(st.tuples(NLL, NLL), min_size=2, max_size=6))
def test_the_questions_answer_is_the_counted_context_with_the_lowest_shown_validation_nll(figures):
    choices = [ngram.Choice(order, "inside", 0.1, t, v, v) for order, (t, v) in enumerate(figures, 1)]
    q = questions.ladder(choices)
    shown = [ladder.shown(v) for _, v in figures]
    assert q.answer == shown.index(min(shown))                    # the shortest context of equals
    assert q.correct.startswith(f"{q.answer} symbol") and len(q.options) == len(figures)
    assert f"It is lowest with {q.answer} symbol" in q.explanation
    start = ladder.overfitting_start([t for t, _ in figures], [v for _, v in figures])
    assert ("overfitting starts there" in q.explanation) == (start is not None)
    if start is not None:
        assert f"With {start} symbol" in q.explanation


@given(same=NLL, short=NLL, longer=NLL, best=NLL, overfits=st.booleans())
def test_what_it_takes_to_beat_counting_is_said_as_the_runs_came_out(same, short, longer, best, overfits):
    rungs = [rung(label, t, t, t) for label, t in (("4-gram", same), ("MLP 3", short), ("MLP 8", longer),
                                                      ("best", best))]
    sentence = ladder.pull_ahead_sentence(rungs[0], rungs[1], rungs[2], rungs[3],
                                          rung("5-gram", 1, 2, 2) if overfits else None)
    assert ("already beats counting" in sentence) == (ladder.compare(short, same) == "below")
    assert ("does not yet beat counting" in sentence) == (ladder.compare(short, same) != "below")
    assert (" pulls ahead of the counted model chosen" in sentence) == (ladder.compare(longer, best) == "below")
    assert ("overfitting starts at the 5-gram" in sentence) == overfits
    assert "already" not in ladder.pull_ahead_sentence(None, rungs[1], rungs[2], rungs[3], None)


def test_table_sizes_are_the_contexts_counted_name_by_name(small):
    names, corpus = small
    train = split_names(names)[0]
    sizes = ladder.table_sizes(corpus)
    A = len(ngram.texts(corpus).alphabet)
    for t in sizes:
        seen = {context for context, _ in rows_by_hand(train, t.context, ngram.texts(corpus).alphabet)}
        assert (t.rows, t.filled, t.symbols) == (A ** t.context, len(seen), sum(len(n) + 1 for n in train))


@given(rows=st.lists(st.integers(1, 10**7), min_size=1, max_size=6), symbols=st.integers(1, 10**6))
def test_the_table_sentence_names_the_first_table_with_more_rows_than_symbols(rows, symbols):
    sizes = [ladder.TableSize(c, r, min(r, symbols), symbols) for c, r in enumerate(rows)]
    sentence = ladder.tables_sentence(sizes)
    over = next((t for t in sizes if t.rows > symbols), None)
    if over is None:
        assert sentence.startswith("Even with")
    else:
        assert sentence.startswith(f"From {over.context} symbol")
        assert f"at least {over.rows - symbols:,} of its rows must stay empty" in sentence
