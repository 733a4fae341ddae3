"""AppTest of chapter 8, the ladder of models: the default view (nothing trained, the ladder held
back until the room has predicted), the figures once answered against name-by-name computations,
the networks trained once and shown to a later visitor, the controls in the URL, uploads and
presenter mode."""
from __future__ import annotations

import math

import pytest

from core import baby_names, heldout, ladder, mlp, ngram, questions, shared_run
from core.training import last
from pagetest import formulas, metrics, open_page, shown, texts
from test_mlp import nll_by_hand as network_nll_by_hand
from test_ngram import nll_by_hand
from ui.ladder_training import run_key
from ui.text import read_back

PAGE = "pages/8_NLL_ranks_language_models.py"
TINY = (mlp.MLPSettings(block=3, embedding=4, hidden=16, steps=300, batch=16),
        mlp.MLPSettings(block=5, embedding=4, hidden=16, steps=200, batch=16))


@pytest.fixture(scope="module")
def default():
    corpus = baby_names.load_default_corpus()
    return corpus, [p.names(corpus.itos) for p in corpus.split.parts]


def question_radio(at):
    (radio,) = [r for r in at.radio if str(r.key).startswith("question:")]
    return radio


def answer(at):
    radio = question_radio(at)
    radio.set_value(read_back(radio.options[0])).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_default_view_trains_nothing_and_ranks_the_counted_models_as_counted_name_by_name(default):
    corpus, (train, val, test) = default
    computed = shared_run.CACHE.computations
    at = open_page(PAGE)
    assert shared_run.CACHE.computations == computed                       # the page alone trains nothing
    assert [b.label for b in at.button] == ["Train the networks"]
    assert "Nobody has trained them on the built-in names since this server started" in shown(at.caption)
    rungs = ladder.counted_rungs(heldout.evaluate(corpus), ladder.by_context(corpus))
    tex = "".join(formulas(at))
    assert f"(k_1 = {rungs[1].k:.3g})" in tex and f"(k_3 = {rungs[3].k:.3g})" in tex
    m = metrics(at)
    alphabet = ngram.texts(corpus).alphabet
    assert m["uniform: test NLL"] == f"{math.log(27):.4f}" == "3.2958"
    for r in rungs[1:]:
        assert m[f"{r.label}: test NLL"] == f"{nll_by_hand(train, test, r.order, r.k, alphabet):.4f}"
    assert m["bigram: test NLL"] == "2.4212"                                # chapter 7's chosen k, on test
    said = texts(at)
    assert "The test NLL goes down at every rung, from 3.2958 for the uniform guess to" in said
    assert "From 4 symbols of context on, the table has more rows (531,441)" in said
    assert "perplexity e^NLL" in shown(at.caption) and "bits per symbol (the end '.' included)" in shown(at.caption)
    assert "The networks join the ladder once they are trained (above)." in shown(at.caption)


def test_how_far_counting_goes_waits_for_the_prediction(default):
    corpus, (train, val, _) = default
    at = open_page(PAGE)
    assert "Predict first: counting with longer contexts appears here" in shown(at.info)
    said = texts(at)
    assert "4-gram" not in said and "Overfitting starts" not in said
    expected = questions.ladder(ladder.by_context(corpus))
    assert [read_back(o) for o in question_radio(at).options] == list(expected.options)
    assert expected.correct == "3 symbols: the 4-gram"
    alphabet = ngram.texts(corpus).alphabet
    by_hand = [nll_by_hand(train, val, c.order, c.k, alphabet) for c in ladder.by_context(corpus)]
    assert min(range(len(by_hand)), key=by_hand.__getitem__) == 3             # the 4-gram, counted name by name
    answer(at)
    said = texts(at)
    assert "Overfitting starts at the 5-gram" in said and "Predict first" not in shown(at.info)
    assert "It is lowest with 3 symbols, the 4-gram." in said


def test_the_networks_train_once_and_a_later_visitor_sees_them(default, monkeypatch):
    corpus, (train, val, test) = default
    monkeypatch.setattr(mlp, "NETWORKS", TINY)
    at = open_page(PAGE)
    computed = shared_run.CACHE.counters()["computed"]
    at.button(key="ladder_train").click().run()
    assert not at.exception, [e.message for e in at.exception]
    run = last(shared_run.CACHE.stream_run(run_key(corpus), lambda: iter(())))   # the run the click started
    assert run.finished and shared_run.CACHE.counters()["computed"] == computed + 1

    later = open_page(PAGE)                                              # another visitor, afterwards
    assert shared_run.CACHE.counters()["computed"] == computed + 1 and not list(later.button)
    assert not any("best counted" in c for c in [read_back(c.value) for c in later.caption])   # before the answer
    answer(later)
    m = metrics(later)
    alphabet = ngram.texts(corpus).alphabet
    for net in run.runs:
        expected = network_nll_by_hand(net.weights, test, alphabet, net.settings.block)
        assert m[f"MLP {net.settings.block}: test NLL"] == f"{expected:.4f}"
    said = texts(later)
    trigram = ladder.counted_rungs(heldout.evaluate(corpus), ladder.by_context(corpus))[3]
    beats = ladder.compare(run.runs[0].final["test"], trigram.test) == "below"
    assert ("The 3-symbol network scores" in said) and (f"below the trigram ({trigram.test:.4f}): it beats it."
                                                        in said) == beats
    assert "Of the counted models, the 4-gram has the lowest validation NLL." in said
    assert "Trained once on this server, one network after the other" in shown(later.caption)
    assert any("MLP 3: after 300 steps the validation NLL is" in c for c in [read_back(c.value) for c in later.caption])


def test_the_names_drawn_follow_the_controls_and_the_link(default):
    corpus, _ = default
    rungs = ladder.counted_rungs(heldout.evaluate(corpus), ladder.by_context(corpus))
    at = open_page(PAGE, ladder_count="3", ladder_seed="7")
    lines = [read_back(m.value) for m in at.markdown if m.value.startswith("**trigram**")]
    expected = ladder.sample_counted(ladder.counted_model(corpus, 3), ngram.texts(corpus).alphabet, rungs[3].k, 3, 7)
    assert lines == [f"**trigram** ({sum(corpus.contains_each(expected))} of 3 in the corpus): " + ", ".join(expected)]
    at.number_input(key="ladder_count").set_value(5).run()
    assert any(m.value.startswith("**unigram** (") and m.value.count(",") == 4 for m in at.markdown)
    at.number_input(key="ladder_count").set_value(500).run()
    assert "takes values from 1 to 20. 500 is above that, so the page uses 20." in shown(at.warning)
    assert at.session_state.ladder_count == 20


def test_a_bad_value_in_the_link_falls_back_with_a_notice():
    at = open_page(PAGE, ladder_count="many")
    assert "ladder_count" in shown(at.warning) and at.session_state.ladder_count == 8
    assert not at.exception


def test_an_upload_from_chapter_7_can_be_ranked_and_a_tiny_one_is_refused(default, monkeypatch):
    corpus, _ = default
    at = open_page("pages/7_Bigram_model.py")
    names = "\n".join(corpus.examples * 2 + tuple(f"{a}{b}{c}" for a in "aeio" for b in "lmnr" for c in "aey"))
    at.get("file_uploader")[0].upload("mine.txt", names.encode(), "text/plain")
    at.run()
    at.switch_page(PAGE).run()
    radio = next(r for r in at.radio if r.key == "ladder_names_from")
    assert radio.value == "the built-in names"
    radio.set_value("your names").run()
    assert not at.exception, [e.message for e in at.exception]
    assert ("Your names (“mine.txt”: 68 names) split into 54 / 7 / 7 training / validation / test names: fewer "
            "than 10 validation or test names are too few to rank models on, so the ladder uses the built-in names."
            ) in shown(at.info)

    bigger = "\n".join(f"{a}{b}{c}{d}" for a in "bdklmr" for b in "aeiou" for c in "lnrs" for d in "aey")
    at.switch_page("pages/7_Bigram_model.py").run()
    at.get("file_uploader")[0].upload("more.txt", bigger.encode(), "text/plain")
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "“more.txt”: 360 names. The same split as chapter 7 (seed 42): 288 / 36 / 36 training" in shown(
        at.caption)
    assert "Nobody has trained them on these names" in shown(at.caption)
    from core.names_file import parse_names
    mine = parse_names(bigger.encode()).corpus
    trigram = ladder.counted_rungs(heldout.evaluate(mine), ladder.by_context(mine))[3]
    assert metrics(at)["trigram: test NLL"] == f"{trigram.test:.4f}"
    monkeypatch.setattr(ladder, "NETWORK_MAX_SYMBOLS", mine.n_bigrams - 1)   # names just over the networks' limit
    at.run()
    assert not list(at.button) and "trigram: test NLL" in metrics(at)
    assert (f"These names have {mine.n_bigrams:,} symbols; the networks train on a corpus of at most "
            f"{mine.n_bigrams - 1:,}") in shown(at.info)


def test_presenter_mode_holds_the_ladder_until_the_reveal():
    at = open_page(PAGE, present="1")
    assert "once you have answered the question at the end of the page and the answer is revealed" in shown(at.info)
    at.button(key="question_reveal:ladder").click().run()
    assert not at.exception and "Overfitting starts at the 5-gram" in texts(at)


# --- corpus-sized work once per corpus, never per rerun (issue 19): calls counted by code object ---
CORPUS_SIZED = [ngram.texts, ngram.fit, ngram._distinct, ngram.windows, ngram.choose, ladder.by_context,
                ladder.table_sizes, ladder.counted_rungs, ladder.counted_model, heldout.evaluate, heldout.choose_k,
                heldout.counting_nll, mlp.average_nll]


def test_reruns_that_leave_the_corpus_alone_compute_nothing_corpus_sized():
    import sys
    import threading
    from collections import Counter

    from pagetest import open_tables, table_keys

    names = {f.__code__: f.__qualname__ for f in (*CORPUS_SIZED, ladder.sample_counted)}
    calls: Counter[str] = Counter()

    def hook(frame, event, arg):
        if event == "call" and frame.f_code in names:
            calls[names[frame.f_code]] += 1

    at = answer(open_page(PAGE))
    open_tables(at)
    threading.setprofile(hook)
    try:
        at.number_input(key="ladder_count").set_value(9).run()
        at.number_input(key="ladder_seed").set_value(11).run()
        key = table_keys(at)[0]
        at.session_state[key] = False
        at.run()
    finally:
        threading.setprofile(None)
        sys.setprofile(None)
    # the control: new names were drawn from each counted rung (twice), on the script's thread
    assert calls.pop("sample_counted") == 8
    assert not at.exception and not calls, f"a rerun recomputed {dict(calls)}"


def test_one_network_training_at_a_time(default, monkeypatch):
    """While the networks train on other names, the page offers no second training."""
    import threading

    monkeypatch.setattr(mlp, "NETWORKS", TINY[:1])
    gate = threading.Event()

    class Done:
        finished, nbytes = True, 100

    def other_names():
        gate.wait(30)
        yield Done()

    watching = shared_run.CACHE.stream_run(("networks:other names", TINY[:1]), other_names)
    try:
        at = open_page(PAGE)
        assert not list(at.button)
        assert "The server is training the networks on other names right now" in shown(at.info)
    finally:
        gate.set()
    last(watching)
    assert [b.label for b in open_page(PAGE).button] == ["Train the networks"]
