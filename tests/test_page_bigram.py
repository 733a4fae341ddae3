"""AppTest of the bigram page: corpus, counting model, scoring, sampling, training, upload."""
from __future__ import annotations

import json
import math
import threading
import time
from contextlib import contextmanager

import pytest

from core import baby_names, bigram, names_file, shared_run, training
from pagetest import BIGRAM_ASIDES, metrics, open_page
from ui.floor_view import FLOOR
from ui.heldout_view import UNSEEN
from ui.text import read_back

PAGE = "pages/7_Bigram_model.py"
SMALL = b"Emma\r\n olivia \n\nava\nmary ann\nIsabella\n"   # 4 names once cleaned


@pytest.fixture(scope="module")
def default_corpus():
    c = baby_names.load_default_corpus()
    return c, bigram.bigram_counts(c)


def upload(at, content: bytes, name: str = "names.txt"):
    at.get("file_uploader")[0].upload(name, content, "text/plain")
    return at.run()


def captions(at) -> str:
    return " ".join(read_back(c.value) for c in at.caption)


def predict(at, option: int = 0):
    """Pick an answer to the chapter's question (any: the lead waits for a pick, not a right one)."""
    radio = next(r for r in at.radio if str(r.key).startswith("question:bigram:"))
    return radio.set_value(read_back(radio.options[option])).run()


def test_default_corpus_and_counting_model(default_corpus):
    corpus, N = default_corpus
    at = open_page(PAGE)
    m = metrics(at)
    assert m["names"] == "32,033" and m["bigrams (pairs, '.' included)"] == "232,371"
    assert m["vocabulary size V"] == "27"
    expected = bigram.average_nll(N, bigram.probabilities(N, 0))
    assert m["average NLL with k = 0 (the MLE, the floor)"] == f"{expected:.4f}" == "2.4205"
    assert "Training cache" not in captions(at)  # its counters are for the load tests: app.py's /training-cache
    # The count heatmap; no loss curve before training. The two asides below it are closed and
    # draw nothing until opened; opened, each draws its chart: the baselines' ladder, the k curve.
    assert len(at.get("vega_lite_chart")) == 1
    assert [e.label for e in at.expander][-2:] == [FLOOR, UNSEEN]
    assert not at.session_state["floor_shelf"] and not at.session_state["unseen_shelf"]
    assert "Names the model never saw" not in {s.value for s in at.subheader}
    for aside in ("floor_shelf", "unseen_shelf"):
        at.session_state[aside] = True
    at.run()
    assert len(at.get("vega_lite_chart")) == 3


def test_smoothing_raises_the_nll():
    at = open_page(PAGE)
    at.slider(key="k").set_value(1.0).run()
    assert metrics(at)["average NLL with k = 1"] == "2.4211"
    assert metrics(at)["average NLL with k = 0 (the MLE, the floor)"] == "2.4205"   # beside it, the floor


def test_at_k_0_the_floor_is_shown_once():
    """At k = 0 the smoothed table is the counted one: one metric says its NLL, not two side by side."""
    labels = [m.label for m in open_page(PAGE).metric if m.label.startswith("average NLL with k")]
    assert labels == ["average NLL with k = 0 (the MLE, the floor)"]


def test_scoring_a_name_with_an_unseen_pair_is_infinite_at_k0(default_corpus):
    corpus, N = default_corpus
    name, pair = bigram.unseen_extension("andrej", N, corpus.itos)
    assert N[corpus.stoi[pair[0]], corpus.stoi[pair[1]]] == 0
    at = open_page(PAGE)
    assert f"Try “{name}” with k = 0" in captions(at)
    at.text_input(key="score_name").input(name).run()
    assert metrics(at)[f"average NLL of “{name}”"] == "∞"
    assert f"“{pair}” never occurs" in read_back(at.warning[0].value)
    at.slider(key="k").set_value(1.0).run()
    assert math.isfinite(float(metrics(at)[f"average NLL of “{name}”"]))


def test_train_shows_the_trained_model_beside_the_counts(default_corpus):
    corpus, N = default_corpus
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    at.button(key="train").click().run()
    m = metrics(at)
    expected = training.train_fast(N)  # independent of the page's cache
    assert m["loss (data NLL + λ·mean W²)"] == f"{expected.final_loss:.4f}" == "2.4476"
    assert m["data NLL alone"] == f"{expected.final_data_nll:.4f}" == "2.4271"
    assert m["counting model NLL (k = 0)"] == "2.4205"
    assert float(m["largest |softmax(W) − P| over all pairs"]) < 0.1
    # counts, the ladder, the k curve, loss curve, softmax(W) - P
    assert len(at.get("vega_lite_chart")) == 5
    assert at.query_params["trained"] == "1"
    drawn = bigram.sample_names(bigram.probabilities(N, 0), corpus.itos, 10, training.ARTICLE_SEED)
    known = int(corpus.contains_each(drawn).sum())   # the counted table's names, drawn the lecture's way
    assert f"{known} of 10 sampled names {'is' if known == 1 else 'are'} in the corpus" in captions(at)
    at.toggle(key="loss_zoom").set_value(True).run()
    curve = json.loads(at.get("vega_lite_chart")[3].proto.spec)  # after the heatmap, the ladder and the k curve
    assert curve["layer"][0]["encoding"]["y"]["scale"]["domain"][0] == pytest.approx(2.4205 - 0.02, abs=1e-3)


@contextmanager
def held_run(corpus, N, settings: training.TrainingSettings, at: int, fail: str | None = None,
             literal: bool = False):
    """The page's training for `settings` (with `literal`, the literal loop's), started here and held
    before its snapshot number `at` (0: before the first) until the block ends. With `fail` it raises
    there instead: "joined", once the page has joined the run; "released", when the block ends.
    Each test holds settings of its own: the cache is the server's (shared_run.CACHE)."""
    gate = threading.Event()
    joined = shared_run.CACHE.counters()["answered_from_cache"]
    every = max(1, settings.steps // shared_run.LIVE_FRAMES)
    pairs = bigram.bigram_pairs(corpus) if literal else None

    def run():
        if literal:
            return training.descend(training.literal_step(*pairs, N.shape[0], settings.reg), N.shape[0], settings, every)
        return training.descend_counts(N, settings, every)

    def snapshots():
        for i, snapshot in enumerate(run()):
            if i == at:
                if fail == "joined":
                    while shared_run.CACHE.counters()["answered_from_cache"] == joined:
                        time.sleep(0.01)
                gate.wait(0 if fail == "joined" else 30)
                if fail:
                    raise RuntimeError("a failure in the middle of a training")
            yield snapshot

    shared_run.CACHE.stream_run((corpus.fingerprint, literal, settings), snapshots)
    while at > 0 and shared_run.CACHE.state(corpus.fingerprint, settings, literal=literal)[0] == "starting":
        time.sleep(0.005)   # its first snapshot out before the page looks
    try:
        yield
    finally:
        gate.set()


def test_a_long_training_is_watched_by_looks_so_stop_is_not_held_up_by_it(default_corpus):
    """A run longer than the page watches in its own run (half a second): that run ends while the
    training goes on, showing its progress, and a section looks again; so a click waits for a
    look, not for the training. Stop then keeps the weights reached."""
    corpus, N = default_corpus
    settings = training.TrainingSettings(steps=777, seed=4242)
    with held_run(corpus, N, settings, at=1):
        at = open_page(PAGE, steps="777", wseed="4242")
        at.button(key="train").click().run()   # waited for the whole run before (30 s at the gate)
        state, first = shared_run.CACHE.state(corpus.fingerprint, settings)
        assert state == "going" and [p.proto.text for p in at.get("progress")] == [f"step {first.steps_done} of 777"]
        assert "data NLL alone" not in metrics(at)                  # nothing claims a finished training
        at.button(key="stop").click().run()
        stopped = read_back(at.warning[0].value)
        assert stopped.startswith(f"Stopped after {first.steps_done} of 777 steps"), stopped
        assert metrics(at)["data NLL alone"] == f"{first.final_data_nll:.4f}"   # the weights reached
    done = shared_run.CACHE.get(corpus.fingerprint, N, settings)
    at.button(key="train").click().run()
    assert "After 777 steps" in captions(at) and metrics(at)["data NLL alone"] == f"{done.final_data_nll:.4f}"


def test_a_new_run_never_shows_the_last_runs_figures(default_corpus):
    """Trained with 100 steps, then 777 whose run has no snapshot yet: the page says it is starting,
    and neither a click in the section nor Stop passes the 100-step figures off as the new run's."""
    corpus, N = default_corpus
    at = open_page(PAGE, steps="100", wseed="4243")
    at.button(key="train").click().run()
    assert "After 100 steps" in captions(at)
    with held_run(corpus, N, training.TrainingSettings(steps=777, seed=4243), at=0):
        at.number_input(key="steps").set_value(777).run()
        at.button(key="train").click().run()
        assert "Starting…" in captions(at) and "data NLL alone" not in metrics(at)
        at.toggle(key="loss_zoom").set_value(True).run()
        assert "Starting…" in captions(at) and "data NLL alone" not in metrics(at)
        assert "After 100 steps" not in captions(at)
        at.button(key="stop").click().run()
        assert "data NLL alone" not in metrics(at) and not [w for w in at.warning if "Stopped after" in w.value]


def test_the_answer_waits_for_a_long_training_without_holding_up_the_page(default_corpus):
    """Picking an answer while the training it needs is under way: the page's run ends at once,
    saying that the answer comes when the training ends; then it does."""
    corpus, N = default_corpus
    settings = training.TrainingSettings(steps=777, seed=4245)
    with held_run(corpus, N, settings, at=1):
        at = open_page(PAGE, steps="777", wseed="4245")
        at.button(key="train").click().run()
        predict(at)                            # waited at the gate before
        assert "it shows here when the training ends" in captions(at)
        assert not [m for m in at.markdown if m.value.startswith("The network")]
    shared_run.CACHE.get(corpus.fingerprint, N, settings)
    at.run()
    assert "it shows here when the training ends" not in captions(at)
    assert at.success or at.error                     # right, or not this time: the answer is out


def test_a_training_that_fails_is_said_and_not_run_again_unasked(default_corpus):
    """A run that fails while the page watches it: a plain error, no traceback, no figures of the
    failed run, and nothing trained again until Train is pressed."""
    corpus, N = default_corpus
    settings = training.TrainingSettings(steps=777, seed=4246)
    with held_run(corpus, N, settings, at=1, fail="joined"):
        at = open_page(PAGE, steps="777", wseed="4246")
        at.button(key="train").click().run()
    assert not at.exception
    assert "This training is no longer on the server" in read_back(at.error[0].value)
    assert "data NLL alone" not in metrics(at) and at.query_params.get("trained") in (None, "0")
    computed = shared_run.CACHE.counters()["computed"]
    at.run()
    assert shared_run.CACHE.counters()["computed"] == computed and not at.error   # said once, nothing retrained
    at.button(key="train").click().run()
    assert "After 777 steps" in captions(at)


def test_a_link_with_trained_1_opens_trained_with_its_settings():
    at = open_page(PAGE, lr="10", steps="100", trained="1")
    assert not at.warning
    loss = metrics(at)["loss (data NLL + λ·mean W²)"]
    assert "After 100 steps" in captions(at)
    # its answer is on screen, so the chapter's question is not asked, and says why
    assert not [r for r in at.radio if str(r.key).startswith("question:bigram:")]
    assert "The training above is the answer for these settings" in read_back(at.info[-1].value)
    at.number_input(key="steps").set_value(200).run()   # new settings: asked before anything answers it
    assert "After 200 steps" not in captions(at) and "data NLL alone" not in metrics(at)
    assert [r for r in at.radio if str(r.key).startswith("question:bigram:")]
    at.button(key="train").click().run()
    assert "After 200 steps" in captions(at) and metrics(at)["loss (data NLL + λ·mean W²)"] != loss


def test_a_huge_learning_rate_stops_with_a_message_naming_the_step(default_corpus):
    corpus, N = default_corpus
    expected = training.train_fast(N, training.TrainingSettings(lr=1e6))
    at = open_page(PAGE, lr="1000000", trained="1")
    assert not at.exception
    assert f"Training stopped at step {expected.diverged_at:,}" in at.error[0].value
    assert "learning rate of 1 × 10⁶" in read_back(at.error[0].value)
    shown = metrics(at)["loss (data NLL + λ·mean W²)"]
    # the last finite loss is far too large for 4 decimals: said as its order of magnitude
    assert expected.final_loss > 1e6 and shown == f"about 10{_superscript(math.floor(math.log10(expected.final_loss)))}"
    assert "W.data += -1000000 * W.grad" in at.code[0].value
    assert not at.success and not at.warning


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def test_one_name_at_the_article_rate_rises_and_the_page_says_so():
    at = open_page(PAGE)
    upload(at, b"emma\n")
    corpus = names_file.parse_names(b"emma\n").corpus
    expected = training.train_fast(bigram.counts_for(corpus))
    assert expected.final_loss > expected.losses[0]          # the run itself rose
    m = metrics(at)
    assert m["names"] == "1" and "kept 1 name." in " ".join(read_back(i.value) for i in at.info)
    assert f"num_classes={corpus.vocab_size}" in at.code[0].value
    at.button(key="train").click().run()
    warning = read_back(at.warning[0].value)
    assert f"The loss rose, from {expected.losses[0]:.4f} to {expected.final_loss:.4f}" in warning
    assert "too large a step for this corpus" in warning
    assert not at.success
    markdown = " ".join(read_back(m.value) for m in at.markdown)
    assert "The gap comes from the step, not the penalty" in markdown and "pulls every row" not in markdown
    at.number_input(key="lr").set_value(1.0).run()          # a smaller step: its question first
    assert "make your prediction at the foot of the page, then press **Train**" in read_back(at.info[-1].value)
    predict(at).button(key="train").click().run()
    said = " ".join(read_back(a.value) for a in (*at.success, *at.info))
    assert not at.warning and "came down from 1.6260" in said


def test_the_article_run_settles_where_the_penalty_holds_it_and_a_short_one_is_too_few(default_corpus):
    corpus, N = default_corpus
    at = open_page(PAGE)
    counting = bigram.average_nll(N, bigram.probabilities(N, 0))
    result = training.train_fast(N)
    assert "Gradient descent settles above counting" not in " ".join(read_back(m.value) for m in at.markdown)
    markdown = " ".join(read_back(m.value) for m in predict(at).markdown)   # the lead waits for a prediction
    assert "Gradient descent settles above counting, where its penalty holds it." in markdown
    at.button(key="train").click().run()
    success = read_back(at.success[0].value)
    shown = round(result.final_data_nll, 4) - round(counting, 4)      # the gap as the two shown NLLs' difference
    assert f"ends {shown:.4f} above the counting model's NLL" in success and f"{shown:.4f}" == "0.0066"
    assert "more steps would not bring it closer" in success and "what the penalty costs" in success
    markdown = " ".join(read_back(m.value) for m in at.markdown)
    assert "pulls every row of softmax(W) towards uniform" in markdown          # shown for this kind only
    assert "Gradient descent settles above counting, where its penalty holds it." in markdown   # the lead agrees
    at.number_input(key="steps").set_value(5).run()
    assert not at.success and "With 5 steps" not in " ".join(read_back(i.value) for i in at.info)   # asked first
    assert "training: press **Train**." in read_back(predict(at).info[-1].value)
    info = " ".join(read_back(i.value) for i in at.button(key="train").click().run().info)
    assert "With 5 steps, the loss came down from 3.7963 to" in info and "too few steps to tell" in info
    assert not at.success and "pulls every row" not in " ".join(read_back(m.value) for m in at.markdown)


def test_a_swinging_run_says_so_everywhere():
    # η = 200: the loss swings between about 2.6 and 3.7 for all 1,000 steps
    at = open_page(PAGE, lr="200", trained="1")
    warning = read_back(at.warning[0].value)
    assert warning.startswith("The loss swings: it went up on ") and "still" not in warning
    markdown = " ".join(read_back(m.value) for m in at.markdown)
    assert "The gap comes from the step, not the penalty" in markdown and "pulls every row" not in markdown


def test_three_names_do_not_find_the_same_table():
    at = open_page(PAGE)
    upload(at, b"emma\nolivia\nava\n")
    assert "does not find the counted table" not in " ".join(read_back(m.value) for m in at.markdown)
    lead = " ".join(read_back(m.value) for m in predict(at).markdown)
    assert "On this corpus the article's step size does not find the counted table" in lead
    assert "find the same table" not in lead


def test_uploaded_names_become_the_corpus_and_train():
    at = open_page(PAGE)
    upload(at, SMALL)
    m = metrics(at)
    assert m["names"] == "4" and m["vocabulary size V"] == "10"   # . a b e i l m o s v
    info = " ".join(read_back(i.value) for i in at.info)
    assert "kept 4 names" in info and "1 blank" in info and "1 with spaces inside the name" in info
    assert "Windows line endings" in info
    assert "average NLL of “emma”" in m and not at.error  # "andrej" does not fit this alphabet
    at.button(key="train").click().run()
    m = metrics(at)
    assert float(m["data NLL alone"]) >= float(m["counting model NLL (k = 0)"])
    at.get("file_uploader")[0].set_value(None)
    at.run()
    assert metrics(at)["names"] == "4"  # an empty uploader (also seen mid-replacement) keeps the corpus
    at.button(key="builtin_names").click().run()
    assert metrics(at)["names"] == "32,033"


def _open_the_literal_check(at):
    """Its expander draws what is inside only while open (ui/literal_check.py)."""
    at.session_state["literal_shelf"] = True
    at.run()
    assert not at.exception


def test_the_literal_check_draws_its_contents_only_when_opened():
    at = open_page(PAGE)
    at.button(key="train").click().run()
    assert "literal_steps" not in [n.key for n in at.number_input]
    _open_the_literal_check(at)
    assert at.number_input(key="literal_steps").value == 20 and at.button(key="literal")


def _when_the_literal_loop_ends(at, default_corpus, steps: int):
    """A literal run longer than the page's watch is followed by looks, which AppTest does not run:
    wait for the run here, then rerun the page as the last look would."""
    corpus, N = default_corpus
    short = training.TrainingSettings(steps=steps)
    training.last(shared_run.CACHE.stream(corpus.fingerprint, N, short, pairs=bigram.bigram_pairs(corpus)))
    at.run()


def test_literal_loop_agrees_with_the_fast_one(default_corpus):
    at = open_page(PAGE)
    at.button(key="train").click().run()
    _open_the_literal_check(at)
    at.number_input(key="literal_steps").set_value(3).run()
    at.button(key="literal").click().run()
    _when_the_literal_loop_ends(at, default_corpus, 3)
    m = metrics(at)
    for label in ("largest |loss difference|", "largest |W difference|"):   # 0, or a power of ten below 10⁻⁵
        assert m[label] == "0" or int(m[label].split("10")[-1].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))) < -5
    assert "literal loop, 3 steps" in m
    assert "over 3 steps they agree to rounding" in " ".join(read_back(c.value) for c in at.caption)


def test_a_long_literal_run_is_followed_by_looks_and_compared_once_it_ends(default_corpus):
    """The literal loop is slow (a second for 20 steps here): a run longer than the page's watch no
    longer holds up the page; its progress shows, and the comparison once it has ended."""
    corpus, N = default_corpus
    at = open_page(PAGE, steps="999", wseed="4247")   # settings of this test's own
    at.button(key="train").click().run()
    _open_the_literal_check(at)
    at.number_input(key="literal_steps").set_value(4).run()
    short = training.TrainingSettings(steps=4, seed=4247)
    with held_run(corpus, N, short, at=1, literal=True):
        at.button(key="literal").click().run()            # waited at the gate before
        assert [p.proto.text for p in at.get("progress")] == ["literal loop: step 1 of 4"]
        assert "literal loop, 4 steps" not in metrics(at)
    training.last(shared_run.CACHE.stream(corpus.fingerprint, N, short, pairs=bigram.bigram_pairs(corpus)))
    at.run()                                              # what the last look does
    assert "literal loop, 4 steps" in metrics(at) and not at.get("progress")


def test_a_literal_run_that_fails_unseen_is_said_and_not_run_again_unasked(default_corpus):
    """The literal check closed while its run goes on, the run fails: reopened, the check says so
    and starts nothing (only its button does)."""
    corpus, N = default_corpus
    at = open_page(PAGE, steps="998", wseed="4248")
    at.button(key="train").click().run()
    _open_the_literal_check(at)
    at.number_input(key="literal_steps").set_value(4).run()
    short = training.TrainingSettings(steps=4, seed=4248)
    with held_run(corpus, N, short, at=1, literal=True, fail="released"):
        at.button(key="literal").click().run()
        assert at.get("progress")                          # followed by looks
        at.session_state["literal_shelf"] = False          # closed: no look follows the run
        at.run()
    while shared_run.CACHE.state(corpus.fingerprint, short, literal=True)[0] != "gone":
        time.sleep(0.01)
    computed = shared_run.CACHE.counters()["computed"]
    _open_the_literal_check(at)
    assert "This run of the literal loop is no longer on the server" in read_back(at.error[0].value)
    assert shared_run.CACHE.counters()["computed"] == computed and not at.get("progress")
    at.run()
    assert not at.error and shared_run.CACHE.counters()["computed"] == computed   # said once


def test_a_kept_value_outside_a_range_that_moved_goes_to_the_nearest_end():
    """The literal loop's box ranges up to the training's steps: fewer steps, and the value kept
    from before is moved to the new end (as a typed one would be), not back to the default."""
    at = open_page(PAGE)
    at.button(key="train").click().run()
    _open_the_literal_check(at)
    at.number_input(key="literal_steps").set_value(100).run()
    at.number_input(key="steps").set_value(40).run()
    at.button(key="train").click().run()
    assert not at.exception
    assert at.number_input(key="literal_steps").value == 40


def test_sessions_do_not_see_each_others_uploads():
    one = open_page(PAGE)
    upload(one, SMALL)
    other = open_page(PAGE)
    assert metrics(one)["names"] == "4" and metrics(other)["names"] == "32,033"


def test_the_page_leads_with_its_point_and_the_samples_agree(default_corpus):
    corpus, N = default_corpus
    at = predict(open_page(PAGE))
    at.button(key="train").click().run()
    counting = bigram.average_nll(N, bigram.probabilities(N, 0))
    article = training.train_fast(N)
    m = metrics(at)
    assert m["counted table: NLL"] == f"{counting:.4f}"
    assert m["trained network: data NLL"] == f"{article.final_data_nll:.4f}"
    texts = [read_back(x.value) for x in at.markdown]
    at_lead = next(i for i, t in enumerate(texts) if "Gradient descent settles above counting, where its penalty holds it." in t)
    assert at_lead < next(i for i, t in enumerate(texts) if "Vocabulary:" in t)   # before the corpus
    lead = texts[at_lead]
    gap = training.max_probability_gap(article.W, bigram.probabilities(N, 0))
    assert f"by more than {gap:.4f}" in lead
    # the samples: the page's count of agreeing names, against draws made here
    n, seed = 10, training.ARTICLE_SEED
    net = bigram.sample_each(training.trained_probabilities(article.W), corpus.itos, n, seed)
    counted = bigram.sample_each(bigram.probabilities(N, 0), corpus.itos, n, seed)
    same = sum(a == b for a, b in zip(net, counted))
    text = " ".join(read_back(x.value) for x in at.markdown)
    assert f"makes {same} of these 10 names too" in text and same >= 5
    assert "The penalty λ = 0.01 pulls every row" in text


def test_sample_each_draws_each_name_with_its_own_seed(default_corpus):
    corpus, N = default_corpus
    P = bigram.probabilities(N, 0)
    each = bigram.sample_each(P, corpus.itos, 5, 7)
    assert each == tuple(bigram.sample_names(P, corpus.itos, 1, 7 + i)[0] for i in range(5))
    assert each[0] == bigram.sample_names(P, corpus.itos, 3, 7)[0]


# --- asked before it is shown (the review of 1176430) -------------------------------------------

def _asked(at) -> bool:
    return any(str(r.key).startswith("question:bigram:") for r in at.radio)


def test_a_reader_who_trains_first_keeps_the_question_and_new_settings_wait():
    """Train pressed before predicting: the question stays (it was asked before the press). New
    settings, then the old ones again: neither shows a training until Train, and the URL agrees."""
    at = open_page(PAGE)
    at.button(key="train").click().run()
    assert "After 1,000 steps" in captions(at) and _asked(at) and at.query_params.get("trained") == "1"
    at.number_input(key="steps").set_value(200).run()
    at.number_input(key="steps").set_value(1000).run()    # back to the settings trained before
    assert "After 1,000 steps" not in captions(at) and "data NLL alone" not in metrics(at)
    assert at.query_params.get("trained") in (None, "0") and _asked(at)
    at.button(key="train").click().run()
    assert "After 1,000 steps" in captions(at) and at.query_params.get("trained") == "1"


def test_a_presenter_who_trains_before_the_reveal_keeps_the_rooms_vote():
    at = open_page(PAGE, present="1")
    at.button(key="train").click().run()
    assert "After 1,000 steps" in captions(at)
    assert [b for b in at.button if b.key == "question_reveal:bigram"]     # still to be revealed
    at.number_input(key="steps").set_value(200).run()
    assert "let the room vote at the foot of the page, then press **Train**" in read_back(at.info[-1].value)
    at = open_page(PAGE, present="1", trained="1")      # a presenter's trained link (a reload): the room votes first
    assert [b for b in at.button if b.key == "question_reveal:bigram"]
    assert "trained network: data NLL" not in metrics(at) and "After 1,000 steps" not in captions(at)
    assert "Opened trained: let the room vote" in " ".join(read_back(i.value) for i in at.info)
    assert at.query_params.get("trained") in (None, "0")
    at.button(key="train").click().run()
    assert "After 1,000 steps" in captions(at) and [b for b in at.button if b.key == "question_reveal:bigram"]


def test_an_answer_with_other_settings_does_not_give_away_the_articles_run():
    at = predict(open_page(PAGE, lr="10"))
    assert "trained network: data NLL" not in metrics(at)
    assert "asked with those settings" in " ".join(read_back(i.value) for i in at.info)
    at = predict(open_page(PAGE))
    assert "trained network: data NLL" in metrics(at)


def test_a_trained_link_is_not_asked_and_its_lead_does_not_point_at_a_question():
    at = open_page(PAGE, trained="1")
    assert not _asked(at) and "The training above is the answer" in read_back(at.info[-1].value)
    lead = " ".join(read_back(i.value) for i in at.info)
    assert "once you have picked an answer" not in lead and "trained network: data NLL" in metrics(at)


def test_a_new_seed_is_a_new_question_and_says_so():
    at = predict(open_page(PAGE))
    at.number_input(key="wseed").set_value(7).run()
    prompt = next(read_back(m.value) for m in at.markdown if read_back(m.value).startswith("Train with η = 50"))
    assert ", W drawn with seed 7." in prompt and _asked(at)


def test_stop_or_train_on_a_finished_link_changes_nothing():
    """A finished run has nothing to stop, and Train for a result on screen asks nothing new: the
    result, the URL's trained=1 and the note stay; new settings and back still wait for Train."""
    at = open_page(PAGE, trained="1")
    for button in ("stop", "train"):
        at.button(key=button).click().run()
        assert "After 1,000 steps" in captions(at) and at.query_params.get("trained") == "1"
        assert not _asked(at) and "The training above is the answer" in read_back(at.info[-1].value)
    at.number_input(key="steps").set_value(200).run()
    at.number_input(key="steps").set_value(1000).run()
    assert "After 1,000 steps" not in captions(at) and _asked(at)


def test_a_link_whose_training_runs_long_is_not_asked_while_it_runs(default_corpus):
    corpus, N = default_corpus
    settings = training.TrainingSettings(steps=777, seed=4247)
    with held_run(corpus, N, settings, at=1):
        at = open_page(PAGE, trained="1", steps="777", wseed="4247")
        assert "Starting…" in captions(at) or "step " in " ".join(p.text for p in at.get("progress"))
        assert not _asked(at) and "The training above is the answer" in read_back(at.info[-1].value)
