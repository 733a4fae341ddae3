"""AppTest of "Predict, then see" on every chapter: the question is the one core/questions gives for
the page's state, picking shows its answer and explanation, presenter mode hides the answer until
Reveal, and a change of the controls that changes the question forgets the pick and the reveal."""
from __future__ import annotations

import pytest

from core import baby_names, bigram, questions, training
from core.normal import ARTICLE_DATA, score
from core.underflow import running_products
from pagetest import open_page
from ui.text import read_back


def _radio(at):
    radios = [r for r in at.radio if str(r.key).startswith("question:")]
    assert len(radios) == 1, [r.key for r in at.radio]
    return radios[0]


def _verdicts(at) -> list[str]:
    """The answer lines the question drew (right, wrong, or revealed)."""
    texts = [read_back(e.value) for e in (*at.success, *at.error, *at.info)]
    return [t for t in texts if t.startswith(("Right: ", "Not this time. ", "The answer: "))]


def _markdown(at) -> list[str]:
    return [read_back(m.value) for m in at.markdown]


def _check(at, expected: questions.Question) -> None:
    """The page asks `expected`; a wrong pick shows its answer and explanation, a right one says so."""
    radio = _radio(at)
    assert radio.value is None and [read_back(o) for o in radio.options] == list(expected.options)
    assert expected.prompt in _markdown(at)
    assert _verdicts(at) == [] and expected.explanation not in _markdown(at)
    wrong = next(o for o in expected.options if o != expected.correct)
    radio.set_value(wrong).run()
    assert not at.exception, [e.message for e in at.exception]
    assert _verdicts(at) == [f"Not this time. The answer: {expected.correct}."]
    assert expected.explanation in _markdown(at)
    _radio(at).set_value(expected.correct).run()
    assert _verdicts(at) == [f"Right: {expected.correct}."]


def _ss(at, *keys):
    return [at.session_state[k] for k in keys]


def test_probability():
    at = open_page("pages/1_Probability.py")
    expected = questions.probability(*_ss(at, "a", "b", "mu", "sigma"))
    assert expected.correct == "It falls"       # the default interval sits next to μ
    _check(at, expected)


def test_probability_forgets_the_pick_when_the_question_changes():
    at = open_page("pages/1_Probability.py")
    _radio(at).set_value("It rises").run()
    assert _verdicts(at)
    at.number_input(key="a").set_value(60.0).run()
    at.number_input(key="b").set_value(70.0).run()
    assert _radio(at).value is None and _verdicts(at) == []
    _check(at, questions.probability(60.0, 70.0, *_ss(at, "mu", "sigma")))


def test_likelihood():
    at = open_page("pages/2_Likelihood.py")
    mu_a, s_a, mu_b, s_b = _ss(at, "muA", "sigmaA", "muB", "sigmaB")
    _check(at, questions.likelihood(score(ARTICLE_DATA, mu_a, s_a), score(ARTICLE_DATA, mu_b, s_b)))


def test_likelihood_tie_when_b_is_a():
    at = open_page("pages/2_Likelihood.py", muB="50", sigmaB="5", muA="50", sigmaA="5")
    expected = questions.likelihood(score(ARTICLE_DATA, 50, 5), score(ARTICLE_DATA, 50, 5))
    assert expected.correct == "Both equally"
    _check(at, expected)


def test_likelihood_function():
    at = open_page("pages/3_Likelihood_function.py")
    _check(at, questions.likelihood_function(ARTICLE_DATA, *_ss(at, "lf_mu", "lf_sigma")))


def test_log_likelihood():
    at = open_page("pages/4_Log_likelihood.py")
    run = running_products(*_ss(at, "uf_n", "uf_mu", "uf_sigma", "uf_seed"))
    expected = questions.log_likelihood(run)
    assert run.zero_at32 is not None and str(run.zero_at32) in expected.explanation
    _check(at, expected)


def test_maximum_likelihood_keeps_the_answer_through_run():
    at = open_page("pages/5_Maximum_likelihood.py")
    mu0, sigma0, eta, steps = _ss(at, "ga_mu0", "ga_sigma0", "ga_eta", "ga_steps")
    expected = questions.maximum_likelihood(ARTICLE_DATA, (mu0, sigma0), eta, steps)
    _check(at, expected)
    # Run is the "see": the question, and the visitor's pick, stay.
    at.button(key="mle_run").click().run()
    assert _radio(at).value == expected.correct and _verdicts(at) == [f"Right: {expected.correct}."]
    # A new step size is a new question.
    at.number_input(key="ga_eta").set_value(20.0).run()
    assert _radio(at).value is None and _verdicts(at) == []
    assert questions.maximum_likelihood(ARTICLE_DATA, (mu0, sigma0), 20.0, steps).prompt in _markdown(at)


def test_negative_log_likelihood_follows_its_slider():
    at = open_page("pages/6_Negative_log_likelihood.py")
    expected = questions.negative_log_likelihood(at.session_state["peak_sigma"])
    assert expected.correct == "Negative"
    _check(at, expected)
    at.slider(key="peak_sigma").set_value(1.0).run()
    after = questions.negative_log_likelihood(1.0)
    assert after.correct == "Positive" and _radio(at).value is None
    _check(at, after)


def test_bigram():
    at = open_page("pages/7_Bigram_model.py")
    corpus = baby_names.load_default_corpus()
    N = bigram.bigram_counts(corpus)
    settings = training.TrainingSettings(float(at.session_state["lr"]), int(at.session_state["steps"]),
                                         float(at.session_state["reg"]), int(at.session_state["wseed"]))
    floor = bigram.average_nll(N, bigram.probabilities(N, 0.0))
    expected = questions.bigram(training.train_fast(N, settings), floor, N)
    assert expected.correct.startswith("Above it, settled where the penalty")   # the article's run: λ holds it
    _check(at, expected)


def test_the_bigram_question_costs_no_training_until_a_pick():
    from core import shared_run

    at = open_page("pages/7_Bigram_model.py", steps="321")
    before, side = shared_run.CACHE.counters()["computed"], shared_run.CACHE.counters(shared_run.SHOWN)["computed"]
    at.run()
    assert shared_run.CACHE.counters()["computed"] == before     # the question is drawn, nothing trained
    assert shared_run.CACHE.counters(shared_run.SHOWN)["computed"] == side
    radio = _radio(at)
    radio.set_value(read_back(radio.options[1])).run()   # the options are shown as literal text
    assert shared_run.CACHE.counters()["computed"] == before + 1
    at.button(key="train").click().run()                 # Train then shows the same training
    assert shared_run.CACHE.counters()["computed"] == before + 1


@pytest.mark.parametrize("page, control", [
    ("pages/1_Probability.py", ("slider", "sigma", 5.0)),
    ("pages/6_Negative_log_likelihood.py", ("slider", "peak_sigma", 1.0)),
])
def test_presenter_mode_hides_the_answer_until_reveal(page, control):
    at = open_page(page, present="1")
    radio = _radio(at)
    radio.set_value(radio.options[0]).run()          # the presenter may mark the room's vote
    assert _verdicts(at) == []
    at.button(key=f"question_reveal:{str(radio.key).split(':')[1]}").click().run()
    shown = _verdicts(at)
    assert len(shown) == 1 and shown[0].startswith(("Right: ", "Not this time. "))
    assert not any(b.label == "Reveal the answer" for b in at.button)
    kind, key, value = control
    getattr(at, kind)(key=key).set_value(value).run()      # a new question: hidden again
    assert _verdicts(at) == [] and any(b.label == "Reveal the answer" for b in at.button)
    at.button(key=f"question_reveal:{str(radio.key).split(':')[1]}").click().run()
    assert len(_verdicts(at)) == 1 and _verdicts(at)[0].startswith("The answer: ")   # revealed, nothing picked
