"""AppTest of the bigram page's evaluation: the split said as it is, k and λ chosen on the validation
names and reported on the test names, small corpora told so, and the counting model's samples
drawn the lecture's way. Figures are checked against name-by-name computations."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core import baby_names, bigram, heldout, split, training
from core.formatting import setting
from pagetest import BIGRAM_ASIDES, metrics, open_page, shown, texts

PAGE = "pages/7_Bigram_model.py"


def upload(at, content: bytes, name: str = "names.txt"):
    at.get("file_uploader")[0].upload(name, content, "text/plain")
    return at.run()


def slow_nll(names, P, alphabet) -> float:
    """Average -log P over every bigram of `names`, pair by pair."""
    stoi = {c: i for i, c in enumerate(alphabet)}
    total, n = 0.0, 0
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            p = P[stoi[a], stoi[b]].item()
            total += math.inf if p == 0 else -math.log(p)
            n += 1
    return total / n


def slow_counts(names, alphabet):
    import torch
    stoi = {c: i for i, c in enumerate(alphabet)}
    N = torch.zeros(len(alphabet), len(alphabet), dtype=torch.int64)
    for name in names:
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            N[stoi[a], stoi[b]] += 1
    return N


@pytest.fixture(scope="module")
def default_parts():
    corpus = baby_names.load_default_corpus()
    return corpus, [p.names(corpus.itos) for p in corpus.split.parts]


def test_k_is_chosen_on_validation_and_reported_on_test(default_parts):
    corpus, (train, val, test) = default_parts
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, trained="1")
    m = metrics(at)
    assert (m["training names"], m["validation names"], m["test names"]) == ("25,626", "3,203", "3,204")
    assert split.part_sizes(32_033) == (25_626, 3_203, 3_204)
    text = texts(at)
    assert "into 25,626 / 3,203 / 3,204 training / validation / test names" in text
    alphabet = (".", *sorted(set("".join(train))))
    N_train = slow_counts(train, alphabet)
    P0 = bigram.probabilities(N_train, 0.0)
    assert m["counting model, k = 0: NLL on the training names"] == f"{slow_nll(train, P0, alphabet):.4f}"
    assert math.isinf(slow_nll(val, P0, alphabet)) and m["counting model, k = 0: NLL on the validation names"] == "∞"
    assert "With k = 0 the validation NLL is infinite" in text
    # the k named is the grid's lowest validation NLL, checked by the slow computation around it
    ks = heldout.KS
    chosen = heldout.choose_k(heldout.evaluate(corpus))
    i = ks.index(chosen.k)
    around = [slow_nll(val, bigram.probabilities(N_train, ks[j]), alphabet) for j in (i - 1, i, i + 1)]
    assert 0 < i < len(ks) - 1 and around[1] < around[0] and around[1] < around[2]
    assert f"lowest at k = {setting(chosen.k)} ({around[1]:.4f})" in text
    assert f"The model chosen, k = {setting(chosen.k)}, scored once on the test names:" in text
    label = f"counting model, k = {setting(chosen.k)}: NLL on the test names"
    assert m[label] == f"{slow_nll(test, bigram.probabilities(N_train, chosen.k), alphabet):.4f}"
    # the network trained on the training names, scored on both
    fitted = training.train_fast(N_train)
    P_net = training.trained_probabilities(fitted.W)
    assert m["network, λ = 0.01: NLL on the validation names"] == f"{slow_nll(val, P_net, alphabet):.4f}"
    assert not [label for label in m if label.startswith("network") and "test names" in label]   # no choice yet
    at.slider(key="k").set_value(0.3).run()
    P = bigram.probabilities(N_train, 0.3)
    assert metrics(at)["counting model, k = 0.3: NLL on the validation names"] == f"{slow_nll(val, P, alphabet):.4f}"
    assert "3.492 bits per symbol (the end '.' included)" in shown(at.caption)   # 2.4205 / ln 2


@pytest.mark.parametrize("n, sizes", [(1, "1 / 0 / 0"), (3, "2 / 0 / 1"), (30, "24 / 3 / 3")])
def test_a_small_corpus_says_what_its_split_is_and_shows_no_figures(n, sizes):
    names = baby_names.load_default_corpus(1990, 1990, 30).examples + ("emma", "olivia", "ava") * 7
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, "\n".join(names[:n]).encode())
    info = shown(at.info)
    assert f"split into {sizes} training / validation / test names" in info
    assert f"a corpus of {split.min_scorable_names()} names or more" in info
    assert not any("NLL on the validation names" in label for label in metrics(at))


def test_a_best_k_at_the_top_of_the_range_is_said_to_be_still_falling():
    rng = np.random.default_rng(0)   # random letters: no pair says more than any other
    names = ["".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz"), 20)) for _ in range(120)]
    data = "\n".join(names).encode()
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, data)
    from core.names_file import parse_names
    chosen = heldout.choose_k(heldout.evaluate(parse_names(data).corpus))
    assert chosen.kind == "top" and chosen.k == max(heldout.KS)
    assert f"lowest at the largest, k = {setting(chosen.k)}" in texts(at) and "still falling there" in texts(at)


def test_a_test_name_the_training_alphabet_cannot_spell_is_left_out():
    names = [f"{'ab' * (1 + i % 4)}{'c' * (i % 3)}d" for i in range(120)]
    _, _, test = split.split_names(names)
    names[names.index(test[0])] = "abø"
    at = open_page(PAGE, shelves=BIGRAM_ASIDES)
    upload(at, "\n".join(names).encode())
    assert ("1 test name uses a character no training name has (ø): no model of the training names can spell it, "
            "so it is left out of the scores.") in shown(at.caption)


def test_when_no_lambda_run_can_be_chosen_the_page_says_what_happened(default_parts):
    corpus, (train, val, _) = default_parts
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, lr="1000000", trained="1")
    at.toggle(key="compare_reg").set_value(True).run()
    assert not at.exception
    # each run of the comparison, trained and scored here: stopped at non-finite values, or an infinite NLL
    alphabet = (".", *sorted(set("".join(train))))
    diverged = impossible = 0
    for reg in heldout.penalties_to_compare(0.01):
        fit = training.train_fast(slow_counts(train, alphabet), training.TrainingSettings(lr=1e6, reg=reg))
        diverged += fit.diverged_at is not None
        impossible += fit.diverged_at is None and math.isinf(slow_nll(val, training.trained_probabilities(fit.W),
                                                                     alphabet))
    assert diverged + impossible == len(heldout.penalties_to_compare(0.01)) and diverged
    warning = shown(at.warning)
    assert warning.startswith(f"No λ can be chosen here: {diverged} training{'s' * (diverged > 1)} stopped at "
                              "non-finite values (the step η = 1 × 10⁶ is too large for")
    assert (f"{impossible} network{'s' * (impossible > 1)} give{'s' * (impossible == 1)} a validation pair "
            "probability 0" in warning) == bool(impossible)
    assert "Chosen on the validation names: λ" not in texts(at)
    assert not [label for label in metrics(at) if label.startswith("network") and "test names" in label]
    assert "worse than a uniform guess among them" in shown(at.caption)


def test_the_counting_models_names_are_drawn_the_lectures_way(default_parts):
    corpus, _ = default_parts
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, k="1")
    table = at.dataframe[1].value            # after the name box's table
    P, _ = bigram.counting_model(corpus, 1.0)
    assert tuple(table["name"]) == bigram.sample_names(P, corpus.itos, 10, training.ARTICLE_SEED)
    assert "Drawn the lecture's way: one generator seeded 2147483647 for all of them" in shown(at.caption)


def test_lambda_is_chosen_on_validation_and_its_network_scored_on_test(default_parts):
    corpus, (train, val, test) = default_parts
    at = open_page(PAGE, shelves=BIGRAM_ASIDES, trained="1")
    at.toggle(key="compare_reg").set_value(True).run()
    alphabet = (".", *sorted(set("".join(train))))
    N_train = slow_counts(train, alphabet)
    nets = {reg: training.trained_probabilities(training.train_fast(N_train, training.TrainingSettings(reg=reg)).W)
            for reg in heldout.penalties_to_compare(0.01)}
    on_val = {reg: slow_nll(val, P, alphabet) for reg, P in nets.items()}
    best = min(on_val, key=on_val.get)
    chosen = f"Chosen on the validation names: λ = {setting(best)}, whose validation NLL ({on_val[best]:.4f})"
    assert chosen in texts(at)
    label = f"network, λ = {setting(best)}: NLL on the test names"
    assert metrics(at)[label] == f"{slow_nll(test, nets[best], alphabet):.4f}"
    shown_table = at.dataframe[-1].value
    assert list(shown_table["validation NLL"]) == [f"{on_val[reg]:.4f}" for reg in on_val]
