"""AppTest of the bigram page's floor (core/entropy.py on screen), of its lead waiting for the
chapter's question, and of visitor characters and numbers in its captions and tables."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from core import baby_names, bigram, entropy, questions, training
from core.formatting import figure
from pagetest import BIGRAM_ASIDES, charts, formulas, metrics, open_page, open_tables, texts
from ui.text import read_back

PAGE = "pages/7_Bigram_model.py"
LEAD_METRIC = "trained network: data NLL"
RTL = "\u202e"


@pytest.fixture(scope="module")
def default():
    corpus = baby_names.load_default_corpus()
    return corpus, bigram.counts_for(corpus)


def question_radio(at):
    return next(r for r in at.radio if str(r.key).startswith("question:bigram:"))


def upload(at, content: bytes, name: str = "names.txt"):
    at.get("file_uploader")[0].set_value((name, content, "text/plain"))
    return at.run()


# --- the floor explained ---------------------------------------------------------------------

def test_the_floor_is_the_conditional_entropy_and_the_ladder_its_baselines(default):
    corpus, N = default
    at = open_tables(open_page(PAGE, shelves=BIGRAM_ASIDES))
    H = entropy.conditional_entropy(N)
    assert figure(H) == metrics(at)["average NLL with k = 0 (the MLE, the floor)"] == "2.4205"
    assert any(r"H(\text{next} \mid \text{current})" in f and f"= {figure(H)} =" in f for f in formulas(at))
    assert any(r"\mathrm{KL}\big(P(\cdot \mid a)" in f for f in formulas(at))
    said = texts(at)
    uniform, unigram, counted = entropy.baselines(N)
    assert (f"a uniform guess among the 27 symbols, NLL {figure(math.log(27))} (perplexity 27.00, 4.755 bits per "
            "symbol)") in said and figure(math.log(27)) == "3.2958"
    assert f"the unigram frequencies, NLL {figure(unigram.nll)}" in said
    assert "Knowing how often each symbol occurs takes 0.4714 nats per symbol off a uniform guess; knowing the " \
           "current symbol takes 0.4039 more." in said                  # 3.2958 − 2.8244, 2.8244 − 2.4205
    assert "Every figure here is on all 32,033 names of the corpus" in said
    # The ladder's table: each model's distance above the floor, as a difference and as a KL sum
    ladder = next(d.value for d in at.dataframe if "Σ P(a) KL(P(·|a) ‖ Q_a)" in d.value.columns)
    assert list(ladder["model"]) == ["uniform", "unigram", "bigram (counted)"]
    two_ways = ladder["NLL − floor"], ladder["Σ P(a) KL(P(·|a) ‖ Q_a)"]
    assert list(two_ways[0]) == list(two_ways[1]) == ["0.8753", "0.4039", "0.0000"]
    assert list(ladder["perplexity"]) == ["27.00", "16.85", "11.25"]


def test_the_trained_networks_gap_is_its_kl_divergence_computed_both_ways(default):
    corpus, N = default
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, trained="1")
    run = training.train_fast(N)
    kl = entropy.kl_excess(run.W.double().numpy(), N)
    caption = next(read_back(c.value) for c in at.caption if "Computed both ways" in read_back(c.value))
    # The page's figure is the KL of the trained W, computed here independently; the run is the float32
    # loop's, so it is pinned to the seventh decimal that any float32 loop of the article reaches.
    assert f"{kl:.8f}" in caption and abs(kl - 0.0065289) < 1e-7
    assert "float rounding" in caption and "more than" not in caption
    assert any(r"\operatorname{softmax}(W)_a" in f for f in formulas(at))
    assert len(charts(at)) == 5      # counts, ladder, loss, softmax(W) − P, the k curve


@pytest.mark.parametrize("link", [{"lr": "5000"}, {"lr": "1", "steps": "7"}, {"lr": "100", "steps": "3000", "reg": "0"}])
def test_the_gap_shown_is_the_kl_divergence_of_the_weights_shown(default, link):
    """Swinging, early and unsettled runs too: the gap written under the metrics is the KL
    divergence of the W whose table the page shows (computed here from the run's W)."""
    corpus, N = default
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, trained="1", **link)
    run = training.train_fast(N, training.TrainingSettings(lr=float(link["lr"]), steps=int(link.get("steps", 1000)),
                                                           reg=float(link.get("reg", 0.01))))
    kl = entropy.kl_excess(run.W.double().numpy(), N)
    written = next(f for f in formulas(at) if r"\text{data NLL} - \text{counting NLL} = " in f and r"\ge 0" in f)
    gap = float(written.split("=")[-1].split("\\")[0].replace("{,}", ""))
    assert gap == pytest.approx(kl, abs=1.5e-4)   # two figures of 4 decimals subtracted


def test_the_floor_follows_an_upload():
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, b"emma\nolivia\nava\n")
    corpus = at.session_state["corpus_uploaded"].corpus
    uniform, unigram, counted = entropy.baselines(bigram.counts_for(corpus))
    said = texts(at)
    assert f"a uniform guess among the {corpus.vocab_size} symbols, NLL {figure(math.log(corpus.vocab_size))}" in said
    assert "Every figure here is on all 3 names of the corpus" in said
    assert figure(counted.nll) == metrics(at)["average NLL with k = 0 (the MLE, the floor)"]


# --- the lead waits for the question ---------------------------------------------------------

def test_the_lead_keeps_what_training_reaches_until_a_prediction():
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    assert LEAD_METRIC not in metrics(at) and "Gradient descent" not in texts(at)
    assert "appears here once you have picked an answer to the question at the foot of the page" in texts(at)
    radio = question_radio(at)
    radio.set_value(read_back(radio.options[0])).run()          # a wrong answer is an answer too
    assert LEAD_METRIC in metrics(at) and "Gradient descent settles above counting" in texts(at)
    assert "appears here once" not in texts(at)
    at.number_input(key="steps").set_value(2000).run()           # a new question: a new prediction
    assert LEAD_METRIC not in metrics(at) and "Gradient descent" not in texts(at)


def test_in_presenter_mode_the_lead_waits_for_the_reveal():
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, present="1")
    assert LEAD_METRIC not in metrics(at) and "once the answer to the question at the foot of the page is revealed" \
        in texts(at)
    radio = question_radio(at)
    radio.set_value(read_back(radio.options[2])).run()          # the room's vote, marked: not yet the answer
    assert LEAD_METRIC not in metrics(at)
    at.button(key="question_reveal:bigram").click().run()
    assert LEAD_METRIC in metrics(at) and "Gradient descent settles above counting" in texts(at)


def test_the_question_is_a_prediction_the_page_has_not_answered(default):
    """In the default state nothing above the question says where training ends; its answer,
    once asked for, is the verdict's, from the same classification."""
    corpus, N = default
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    said = texts(at)
    settings = training.TrainingSettings()
    expected = questions.bigram(training.train_fast(N, settings), entropy.conditional_entropy(N), N)
    assert expected.correct.startswith("Above it, settled where the penalty")
    for giveaway in ("settles", "settled", "still coming down", "more steps would not", "penalty holds"):
        assert giveaway not in said.replace(expected.prompt, ""), giveaway


# --- visitor characters and numbers ----------------------------------------------------------

def test_an_override_in_an_uploaded_name_shows_as_its_code_point_everywhere():
    names = [f"{RTL}{c}" for c in "abcdefg"] + ["emma", "ava"]
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, "\n".join(names).encode() + b"\n")
    at.button(key="train").click().run()
    open_tables(at)
    said = texts(at) + " ".join(str(c.proto.alt) for c in charts(at) if hasattr(c.proto, "alt"))
    assert RTL not in said
    assert "The most common is “.⟨U+202E⟩”" in said                    # seven names start with it
    for frame in at.dataframe:
        cells = frame.value.astype(str).to_numpy().ravel()
        assert not any(RTL in cell for cell in cells), frame.value.columns
    assert any("⟨U+202E⟩" in cell for frame in at.dataframe for cell in frame.value.astype(str).to_numpy().ravel())


def test_the_name_boxs_table_never_shows_minus_zero():
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, b"emma\nolivia\nava\n")
    at.text_input(key="score_name").input("olivia").run()         # "l" is always followed by "i": p = 1
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["bigram", "P(b | a)", "log P", "−log P"])
    row = table[table["bigram"] == "li"].iloc[0]
    assert (row["P(b | a)"], row["log P"], row["−log P"]) == ("1.0000", "0.0000", "0.0000")
    assert not table.isin(["-0.0000", "−0.0000"]).any().any()
    at.text_input(key="score_name").input("olivo").run()          # "vo" never occurs: p = 0
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["bigram", "P(b | a)", "log P", "−log P"])
    row = table[table["bigram"] == "vo"].iloc[0]
    assert (row["P(b | a)"], row["log P"], row["−log P"]) == ("0.0000", "−∞", "∞")
    assert metrics(at)["average NLL of “olivo”"] == "∞"


def test_a_tiny_probability_is_written_with_its_power_of_ten():
    from core.bigram import shown_table

    table = pd.DataFrame({"bigram": ["ab", "bc"], "p": [3.2e-6, 0.5], "log p": [math.log(3.2e-6), math.log(0.5)],
                          "-log p": [-math.log(3.2e-6), -math.log(0.5)]})
    shown = shown_table(table)
    assert list(shown["P(b | a)"]) == ["3.2 × 10⁻⁶", "0.5000"] and list(shown["−log P"]) == ["12.6524", "0.6931"]
