"""ui.cached_builders: the core's builders behind Streamlit's caches, keyed by content, bounded."""
from __future__ import annotations

import copy
import dataclasses
import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as hs

from core import baby_names, bigram, corpus, heldout, names_file
from core.training import TrainingResult, TrainingSettings
from core.charts import bigram as bigram_charts
from ui import cached_builders as cached
from ui.chart_spec import CachedChart, vega_lite

ITOS = (".", "a", "b")


def _matrix(seed: int) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(seed).integers(1, 50, size=(3, 3)))


def test_equal_arguments_share_one_spec_and_other_arguments_or_modes_do_not():
    N = _matrix(0)
    P = bigram.probabilities(N)
    spec = cached.count_heatmap(N, P, ITOS, 20).spec(False)
    assert cached.count_heatmap(N.clone(), P.clone(), tuple(ITOS), 20).spec(False) is spec  # content, not identity
    assert cached.count_heatmap(N, P, ITOS, 20).spec(True) is not spec
    other = _matrix(1)   # same shape, other numbers: a tensor must be hashed by its values
    assert cached.count_heatmap(other, bigram.probabilities(other), ITOS, 20).spec(False) != spec
    # ... and the spec is what the builder and vega_lite make, uncached
    assert spec == vega_lite(bigram_charts.count_heatmap(N, P, ITOS, 20))


def test_two_builders_called_with_the_same_arguments_keep_separate_caches():
    N = _matrix(2)
    P = bigram.probabilities(N)
    counts = cached.count_heatmap(N, P, ITOS, 21).spec(False)
    gap = cached.probability_gap_heatmap(N.double(), P, ITOS, 21).spec(False)
    assert counts != gap
    assert cached.count_heatmap_summary(N, P, ITOS) != cached.probability_gap_summary(N.double(), P, ITOS)


def test_a_calls_key_tells_every_spelling_and_shape_apart():
    alphabets = [("a", "b"), ("ab",), ("a\x1fb",), ["a", "b"], ("a", ("b",)), (), ("1", "2"), (1, 2), (1.0, 2.0)]
    assert len({cached._key((a,), {}) for a in alphabets}) == len(alphabets)
    assert cached._key(("a", "b"), {}) != cached._key((("a", "b"),), {}) != cached._key((), {"a": "b"})
    N = _matrix(2)
    # A tensor by its values, a corpus by its fingerprint: equal contents, one key.
    assert cached._key((N, "x"), {}) == cached._key((N.clone(), "x"), {})
    assert cached._key((N,), {}) != cached._key((N.double(),), {}) != cached._key((N.reshape(1, -1),), {})
    N = _matrix(2)
    P = bigram.probabilities(N)
    spec = cached.count_heatmap(N, P, ITOS, 20).spec(False)
    assert cached.count_heatmap(N, P, (".", "b", "a"), 20).spec(False) != spec   # other symbols: another key
    assert cached.count_heatmap(N, P, list(ITOS), 20).spec(False) == spec        # a list: its own key, the same chart


def test_large_arrays_are_hashed_by_every_element():
    # Streamlit on its own hashes arrays of 500,000 elements or more by a sample of them.
    a = np.zeros(600_000)
    b = a.copy()
    b[123_457] = 1.0
    assert cached._key((a,), {}) != cached._key((b,), {})
    assert cached._key((a,), {}) != cached._key((a.astype(np.float32),), {})
    t = torch.arange(6.0)
    assert cached._key((t,), {}) != cached._key((t.reshape(2, 3),), {})


def test_cached_data_hands_out_copies_and_samples_follow_the_seed():
    P = bigram.probabilities(_matrix(3))
    names = names_file.parse_names(b"anna\nbob\n").corpus
    first = cached.mark_new(("anna", "zed"), names)
    first.loc[0, "name"] = "changed"
    assert cached.mark_new(("anna", "zed"), names)["name"].tolist() == ["anna", "zed"]
    assert cached.sample_each(P, ITOS, 5, 7) == bigram.sample_each(P, ITOS, 5, 7)


def test_the_counted_table_is_shared_not_copied():
    names = names_file.parse_names(b"anna\nbob\n").corpus
    P, nll = cached.counting_model(names, 0.5)
    assert cached.counting_model(names, 0.5)[0] is P
    assert torch.equal(P, bigram.counting_model(names, 0.5)[0]) and nll == bigram.counting_model(names, 0.5)[1]


def test_a_charts_table_is_shared_not_copied():
    """A table only goes to its chart's expander (read-only): every caller gets the same frame."""
    P = bigram.probabilities(_matrix(3))
    assert cached.bigram_table(_matrix(3), P, ITOS) is cached.bigram_table(_matrix(3), P, ITOS)


def test_the_name_box_and_the_sampled_names_are_made_once_and_shared():
    names = names_file.parse_names(b"anna\nbob\nava\n").corpus
    N = bigram.counts_for(names)
    P = bigram.probabilities(N)
    scored = cached.name_box("anna", "", P, N, names)
    assert scored is cached.name_box("anna", "", P, N, names)
    assert scored[0].score.nll == bigram.score_name("anna", P, names.stoi).nll
    assert cached.name_box("bob", "anna", P, N, names)[0].score.name == "bob"
    drawn = cached.drawn_table(P, names, 5, 7, True)
    assert drawn is cached.drawn_table(P, names, 5, 7, True)
    assert tuple(drawn["name"]) == tuple(n or "(ended at once)" for n in bigram.sample_names(P, names.itos, 5, 7))


def test_a_cached_chart_draws_through_the_page_frame():
    chart = cached.density_interval(0.0, 1.0, -1.0, 1.0)
    assert isinstance(chart, CachedChart)
    assert chart.spec(False)["datasets"]


def test_the_same_upload_is_parsed_once_and_each_tab_keeps_its_file_name():
    data = b"\n".join(f"{a}{b}{c}".encode() for a, b, c in itertools.product("abcdefgh", repeat=3))
    a, b = cached.parse_upload(data, "“a.txt”"), cached.parse_upload(data, "“b.txt”")
    assert a.corpus.counts is b.corpus.counts and a.corpus.name_hashes is b.corpus.name_hashes
    assert a.corpus.source.startswith("“a.txt”") and b.corpus.source.startswith("“b.txt”")
    assert a.corpus.fingerprint == names_file.parse_names(data).corpus.fingerprint
    with pytest.raises(corpus.CorpusError, match="limit"):
        cached.parse_upload(b"a\n" * (names_file.MAX_UPLOAD_BYTES // 2 + 1), "big.txt")


def test_a_built_in_corpus_is_loaded_once_however_its_numbers_are_spelled():
    first = cached.default_corpus(np.int64(1990), 2000, 500)
    assert cached.default_corpus(1990, np.int32(2000), 500) is first   # the cached object: not loaded again


def test_the_upload_cap_keeps_the_worst_upload_within_the_byte_budget():
    # The worst case of the comment in ui/cached_builders.py: 5 MiB of distinct names of 3 and 4
    # symbols over 99 (more names would repeat), 8 bytes of hash a name, and the text.
    letters = [chr(c) for c in range(0x21, 0x7f) if chr(c) != "."] + [chr(c) for c in range(0xC0, 0xC5)]
    lines = ("".join(t) for n in (3, 4) for t in itertools.product(letters, repeat=n))
    data = "\n".join(itertools.islice(lines, names_file.MAX_UPLOAD_BYTES // 4)).encode()[:names_file.MAX_UPLOAD_BYTES]
    data = data[:data.rindex(b"\n")]
    parsed = names_file.parse_names(data)
    assert parsed.corpus.n_names > 1_000_000
    # the cap Streamlit was given (its cache's own setting), times the worst upload, within budget
    bound = 8 * 1_320_000 + names_file.MAX_UPLOAD_BYTES + 1 + 4 * 8 * 100**2   # the comment's worst case
    assert parsed.corpus.nbytes < bound < 16.5e6 and cached._parsed_upload._info.max_entries * 16.5e6 < 32 * 2**20


def test_the_built_in_cap_keeps_the_largest_corpus_within_the_byte_budget():
    every_name = baby_names.load_default_corpus(*baby_names.DEFAULT_YEARS, 10**7)
    assert every_name.nbytes < 1.6e6 and cached._default_corpus._info.max_entries * 1.6e6 < 16 * 2**20


def test_the_cached_equality_rate_matches_the_core():
    from core import underflow

    rate = cached.log_equality_rate(100, seed=5)
    assert rate == underflow.log_equality_rate(100, seed=5)
    assert cached.log_equality_rate(100, seed=5) == rate


def test_a_corpus_is_scored_once_and_shared_by_its_fingerprint():
    names = [f"{a}{b}{c}" for a in "aeiou" for b in "lmnrst" for c in ("", "a", "ia", "en")]
    one, same = corpus.Corpus.from_names(names, "one"), corpus.Corpus.from_names(names, "another file")
    ev = cached.evaluation(one)
    assert cached.evaluation(same) is ev                      # the same names: one evaluation
    assert cached.evaluation(corpus.Corpus.from_names(names[::-1], "x")) is not ev
    assert cached.choose_k(ev) == heldout.choose_k(heldout.evaluate(one))
    P, nll = cached.counting_model(one, 0.5)
    assert torch.equal(P, bigram.counting_model(same, 0.5)[0]) and nll == bigram.counting_model(one, 0.5)[1]


def test_a_training_result_is_keyed_by_its_weights():
    ev = cached.evaluation(corpus.Corpus.from_names(["ab", "ba", "abba"] * 40, "t"))
    A = len(ev.alphabet)
    W = torch.zeros(A, A)
    fit = TrainingResult(TrainingSettings(), np.zeros(0, np.float32), np.zeros(0, np.float32), W, 0, None, 0.0)
    first = cached.penalty_table({0.0: fit}, ev)
    W2 = W.clone()
    W2[0, 1] = 3.0
    other = dataclasses.replace(fit, W=W2)
    assert cached.penalty_table({0.0: other}, ev)["validation NLL"][0] != first["validation NLL"][0]


_LEAVES = (hs.none() | hs.booleans() | hs.integers(0, 2) | hs.sampled_from([0.0, -0.0, 1.0])
           | hs.text("ab", max_size=2) | hs.binary(max_size=1))
_ARGS = hs.recursive(_LEAVES, lambda inner: hs.lists(inner, max_size=3) | hs.lists(inner, max_size=3).map(tuple)
                     | hs.dictionaries(hs.text("ab", max_size=1), inner, max_size=2), max_leaves=6)


def _typed(value):
    """`value` with every item's type beside it: equal only when the key must be (1, 1.0 and True differ)."""
    if isinstance(value, (list, tuple)):
        return type(value), tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        return dict, tuple((_typed(k), _typed(v)) for k, v in value.items())
    return type(value), repr(value)


@given(_ARGS, _ARGS)
def test_two_calls_share_a_key_exactly_when_their_arguments_are_the_same(x, y):
    assert (cached._key((x,), {"k": y}) == cached._key((y,), {"k": x})) == (_typed(x) == _typed(y))
    assert cached._key((x,), {"k": y}) == cached._key((copy.deepcopy(x),), {"k": copy.deepcopy(y)})
