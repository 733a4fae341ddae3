"""The core's pure builders as the pages call them, each behind one of Streamlit's caches.

This is the app's one kind of cache for what pages compute (the training cache the design card
names stays in core/shared_run.py). The core knows nothing of it: tests and benchmarks call the
builders directly. Streamlit's caches key a call by the *content* of its arguments, build each
key once while other callers of that key wait for it (a class opening one page at once asks for
the very same heatmap), and keep at most `max_entries` results per builder.

Which cache:
- st.cache_resource hands every caller the very object it built, shared by every session:
  chart specs and corpora, which are large, the counted table (like the counts it comes from),
  and the tables a page only shows (a chart's table, the name box's, the drawn names'), all
  read-only by convention.
- st.cache_data hands each caller a copy (a pickle round trip, about 0.3 ms for a 60 kB table):
  small results a caller could change (sampled names, summaries).
How a call is keyed: by one bytes object made here from its arguments' content (`_key`), which
Streamlit hashes whole; the arguments themselves go in under names that start with "_", which
Streamlit does not hash. (Its own hasher walks an argument object by object: 95 µs a call for a
heatmap's counts, table, alphabet and cell size, against 43 µs this way.) An array or tensor is
keyed by all its bytes, with dtype and shape (Streamlit samples an array from 500,000 elements
up, and cannot hash a tensor at all): a 100 x 100 float64 matrix, the largest V x V here, costs
about 0.3 ms. A corpus (and its Evaluation) is keyed by its fingerprint, so a builder of a whole
corpus costs one string; a training result by its settings, its stop and its weights W, which is
all the builders read of it (KEY_RULES). Tuples, lists and dicts are keyed item by item, anything
else by its pickle.

Whatever scans a corpus or a V x V table (counts, tables for each k, NLL curves, the split,
samples) goes through a builder here, so that a rerun which changes nothing about the corpus (the
name box, the number of samples, an expander) computes none of it again
(tests/test_corpus_work_once.py counts the calls).
Entry caps: each builder's cap is set from the largest result it can return, in its comment.
"""
from __future__ import annotations

import functools
import pickle
from collections.abc import Callable

import streamlit as st

from core import baby_names, bigram, corpus, heldout, names_file, questions, share, underflow
from core.charts import bigram as bigram_charts, normal as normal_charts, optimise
from ui.chart_spec import CachedChart, built, vega_lite


def _array_key(array) -> bytes:
    return f"{array.dtype.str}{array.shape}".encode() + array.tobytes()


def _tensor_key(t) -> bytes:
    return _array_key(t.detach().cpu().contiguous().numpy())


# Keys are type names, so torch is not imported here for pages that never use it.
KEY_RULES = {"numpy.ndarray": _array_key,
             "torch.Tensor": _tensor_key,
             "core.corpus.Corpus": lambda c: c.fingerprint,
             "core.heldout.Evaluation": lambda e: e.fingerprint,
             "core.training.TrainingResult":
                 lambda r: repr((r.settings, r.steps_done, r.diverged_at)).encode() + _tensor_key(r.W)}
_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})


def _content(value):
    """`value` as its key's content: itself if plain, (its type's name, its rule's key) for a type in
    KEY_RULES, ("tuple" | "list" | "dict", its items' contents) for a container, else itself (then
    pickled whole). Each shape is told apart, so two arguments share a key only if they are equal."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    name = f"{kind.__module__}.{kind.__qualname__}"
    if name in KEY_RULES:
        return name, KEY_RULES[name](value)
    if kind is tuple or kind is list:
        return kind.__name__, tuple(_content(v) for v in value)
    if kind is dict:
        return "dict", tuple((_content(k), _content(v)) for k, v in value.items())
    return value


def _key(args: tuple, kwargs: dict) -> bytes:
    return pickle.dumps((_content(args), _content(kwargs)), protocol=pickle.HIGHEST_PROTOCOL)


def _named(fn: Callable, builder: Callable, kind: str) -> Callable:
    """`fn` named after `builder`: Streamlit keeps one cache per module + qualified name + source,
    and every wrapper made below shares its source, so the name must tell them apart."""
    fn.__module__ = builder.__module__
    fn.__qualname__ = fn.__name__ = f"{builder.__qualname__}[{kind}]"
    return fn


def cached_chart(builder: Callable, max_entries: int) -> Callable[..., CachedChart]:
    """builder(*args) -> altair chart, as f(*args) -> CachedChart whose spec (per presenter mode)
    is cached by the arguments: the chart is built and converted only for a new key."""
    def spec(key: bytes, presenter: bool, _args: tuple, _kwargs: dict) -> dict:
        return vega_lite(built(builder, *_args, **_kwargs), presenter)

    cached = st.cache_resource(_named(spec, builder, "spec"), max_entries=max_entries, show_spinner=False)

    @functools.wraps(builder)
    def chart(*args, **kwargs) -> CachedChart:
        # Keyed when drawn, from the arguments as they are then: the key and the spec never disagree.
        return CachedChart(lambda presenter: cached(key=_key(args, kwargs), presenter=bool(presenter),
                                                    _args=args, _kwargs=kwargs))
    return chart


def cached_data(builder: Callable, max_entries: int) -> Callable:
    """builder, its results cached by its arguments; each caller gets its own copy."""
    return _cached(st.cache_data, builder, max_entries, "data")


def cached_resource(builder: Callable, max_entries: int) -> Callable:
    """builder, its results cached by its arguments; every caller gets the same object, read-only
    by convention."""
    return _cached(st.cache_resource, builder, max_entries, "resource")


def _cached(cache: Callable, builder: Callable, max_entries: int, kind: str) -> Callable:
    def result(key: bytes, _args: tuple, _kwargs: dict):
        return builder(*_args, **_kwargs)
    cached = cache(_named(result, builder, kind), max_entries=max_entries, show_spinner=False)

    # Called by keyword only: for each positional argument Streamlit reads the function's signature
    # again (inspect.signature, about 5 % of a follower's rerun in a room under load).
    @functools.wraps(builder)
    def call(*args, **kwargs):
        return cached(key=_key(args, kwargs), _args=args, _kwargs=kwargs)
    return call


# --- charts of pages 1-6: a spec is a line or area of at most 400 points, or the thinned
# (μ, σ) grid: tens of kB, so 32 entries a builder (both presenter modes) stay under ~3 MB.
density_interval = cached_chart(normal_charts.density_interval, 32)
likelihood_candidates = cached_chart(normal_charts.likelihood_candidates, 32)
curve_with_marks = cached_chart(normal_charts.curve_with_marks, 32)
log_likelihood_plane = cached_chart(normal_charts.log_likelihood_plane, 32)
underflow_chart = cached_chart(normal_charts.underflow_chart, 32)
log_likelihood_growth = cached_chart(normal_charts.log_likelihood_growth, 32)
neg_log_curve = cached_chart(normal_charts.neg_log_curve, 32)
gradient_norm_chart = cached_chart(optimise.gradient_norm_chart, 32)

# --- the bigram page: a V x V heatmap's spec is 61 kB at V = 27 and 0.8 MB at the largest
# vocabulary (100 symbols), so 8 entries keep a heatmap builder under 6.4 MB. A loss curve of
# MAX_STEPS (10,000) steps is about 0.3 MB: 16 entries, under 5 MB.
count_heatmap = cached_chart(bigram_charts.count_heatmap, 8)
probability_gap_heatmap = cached_chart(bigram_charts.probability_gap_heatmap, 8)
loss_curve = cached_chart(bigram_charts.loss_curve, 16)
smoothing_curve = cached_chart(bigram_charts.smoothing_curve, 16)
# The chart's table (V² rows: 10,000 at most, under 1 MB) and its sentences, a few ms each to make.
# A table only goes to its chart's expander (read-only): shared, not copied, like chapter 1's below
# (unpickling a copy of the 729 rows was 3 % of the bigram page's open).
bigram_table = cached_resource(bigram_charts.bigram_table, 8)
count_heatmap_summary = cached_data(bigram_charts.count_heatmap_summary, 32)
probability_gap_summary = cached_data(bigram_charts.probability_gap_summary, 32)
smoothing_curve_summary = cached_data(bigram_charts.smoothing_curve_summary, 32)
loss_curve_summary = cached_data(bigram_charts.loss_curve_summary, 32)
# Names drawn with a seed: at most 50 names of at most 31 characters an entry.
sample_each = cached_data(bigram.sample_each, 64)
mark_new = cached_data(bigram.mark_new, 64)
# The name box's score (a name's rows: at most 51) and the names drawn for a table and seed, as the
# page shows them: shared read-only. Made on every rerun, the name box was a twelfth of the bigram
# page's open (py-spy, 80 opens).
name_box = cached_resource(bigram.name_box, 256)
drawn_table = cached_resource(bigram.drawn_table, 64)
# The counted table and its NLL for a corpus and k (at most 100 x 100 float64, 80 kB): shared,
# read-only like the corpus's counts it comes from (a copy's unpickling, twice a rerun, was 3 % of
# the bigram page's open; tests/test_corpus_work_once.py checks a page leaves it as built). Where
# another table departs most from it: a few numbers.
counting_model = cached_resource(bigram.counting_model, 32)
largest_departure = cached_data(bigram.largest_departure, 32)

# --- the bigram page's split: an Evaluation holds three A x A count matrices and a curve of 62 k
# (under 0.3 MB at the largest vocabulary), shared and read-only; one per corpus in use.
evaluation = cached_resource(heldout.evaluate, 16)
# A few numbers each: the NLL for a visitor's k, the k and the λ chosen on validation, the λ table
# (a row per λ trained).
counting_nll = cached_data(heldout.counting_nll, 256)
choose_k = cached_data(heldout.choose_k, 16)
penalty_table = cached_data(heldout.penalty_table, 64)
choose_penalty = cached_data(heldout.choose_penalty, 32)

# --- page 4: 2,000 triples through the article's code, a quarter of a second; one small result.
log_equality_rate = cached_data(underflow.log_equality_rate, 4)


# --- corpora: shared, never copied (a parsed 4.9 MiB upload is about 10 MB of arrays).
# The caps keep byte budgets: 16 MiB of built-in corpora and 32 MiB of uploads.
# A built-in corpus holds 8 bytes per name (at most 97,310 names, all years), its text, one byte a
# symbol (733 kB at most), and 4 x 27² counts (23 kB): under 1.6 MB, and 0.5 MB at the default
# size; 10 x 1.6 MB < 16 MiB.
@st.cache_resource(max_entries=10, show_spinner=False)
def _default_corpus(year_from: int, year_to: int, n_names: int) -> corpus.Corpus:
    return baby_names.load_default_corpus(year_from, year_to, n_names)


def default_corpus(year_from: int = baby_names.DEFAULT_YEARS[0], year_to: int = baby_names.DEFAULT_YEARS[1],
                   n_names: int = baby_names.DEFAULT_N_NAMES) -> corpus.Corpus:
    """baby_names.load_default_corpus, once per server for each (years, count)."""
    # int(): a numpy integer and a Python int for the same number share one entry
    return _default_corpus(int(year_from), int(year_to), int(n_names))


# A parsed upload of at most 5 MiB holds 8 bytes per distinct name: names of one or two symbols
# have at most 9,900 spellings and every other line takes 4 bytes or more, so at most 1.32 M
# names, 10.6 MB; its text, one byte a symbol, no more than the file's 5 MiB; and at most
# 4 x 100² counts (0.32 MB). So under 16.5 MB an upload: 2 x 16.5 MB < 32 MiB. (4.9 MiB of real
# names make about 10 MB.)
@st.cache_resource(max_entries=2, show_spinner=False)
def _parsed_upload(data: bytes) -> names_file.ParsedNames:
    return names_file.parse_names(data)


def parse_upload(data: bytes, source: str) -> names_file.ParsedNames:
    """names_file.parse_names, once per server for the same bytes, whichever tab uploads them: the
    corpus's arrays are shared and only its `source` (the visitor's file name) is its own."""
    problem = names_file.size_problem(len(data))   # before hashing the bytes
    if problem:
        raise corpus.CorpusError(problem)
    return names_file.from_source(_parsed_upload(data), source)


# --- questions: chapter 5's climbs up to 10,000 steps once per setting (about 1 s at most);
# a Question is a few hundred bytes.
climb_question = cached_data(questions.maximum_likelihood, 64)

# --- presenter mode: the QR code of the view on screen, a PNG of a few kB per link.
qr_png = cached_data(share.qr_png, 64)

# --- chapters 1 and 3: the thin strip under the density (300 points and a rectangle) and the
# narrowing likelihood (at most two curves of about 600 points): tens of kB a spec, 32 entries each.
# Their sentences and tables are a few hundred bytes. The tables only go to a chart's expander
# (read-only), so they are shared, not copied: a copy's unpickling was 2 % of a room phone's rerun.
thin_strip = cached_chart(normal_charts.thin_strip, 32)
thin_strip_summary = cached_data(normal_charts.thin_strip_summary, 64)
thin_strip_table = cached_resource(normal_charts.thin_strip_table, 64)
narrowing = cached_chart(normal_charts.narrowing, 32)
narrowing_summary = cached_data(normal_charts.narrowing_summary, 64)
narrowing_table = cached_resource(normal_charts.narrowing_table, 64)


# --- chapter 5's bias simulation: at most 2,000,000 draws (0.1 s); the result keeps σ̂ and s of at
# most 20,000 samples (320 kB), 8 entries under 3 MB. Its histogram chart is 60 bins: 16 entries.
from core import bias as _bias  # noqa: E402  (added at the end, beside the cache that uses it)
from core.charts import estimators as _estimators  # noqa: E402

bias_simulation = cached_data(_bias.simulate, 8)
sampling_distributions = cached_chart(_estimators.sampling_distributions, 16)

# --- chapter 7's floor (core/entropy.py): the ladder of three models, its sentence and table (a few
# kB each), the models' figures, and a table's excess over the floor (a few numbers each).
from core import entropy  # noqa: E402  (here, with the block it serves)

baseline_ladder = cached_chart(bigram_charts.baseline_ladder, 8)
baseline_ladder_summary = cached_data(bigram_charts.baseline_ladder_summary, 16)
baseline_table = cached_resource(bigram_charts.baseline_table, 16)
baselines = cached_data(entropy.baselines, 16)
excess = cached_data(entropy.excess, 32)

# --- chapter 8, the ladder of models (core/ladder.py). Per corpus: the counted models of every order
# and the rows of their tables (a few numbers each; about 0.3 s and 0.1 s to compute at the default
# size, once), the rungs made of them. Names drawn from a rung: at most 20 names of at most 31
# characters. The charts: at most 7 models or 2 x 100 points a series (a few kB a spec), their
# sentences and tables (tables shared, read-only, as above).
from core import ladder as _ladder  # noqa: E402  (this chapter's block, kept together)
from core.charts import ladder as _ladder_charts  # noqa: E402

ladder_rungs = cached_data(_ladder.counted_rungs, 16)
ladder_by_context = cached_data(_ladder.by_context, 16)
table_sizes = cached_data(_ladder.table_sizes, 16)
table_chart = cached_chart(_ladder_charts.table_chart, 16)
table_summary = cached_data(_ladder_charts.table_summary, 16)
table_table = cached_resource(_ladder_charts.table_table, 16)
counted_model = cached_resource(_ladder.counted_model, 16)   # sparse counts: at most a few MB (order 3)
rung_names = cached_data(_ladder.sample_counted, 64)
network_names = cached_data(_ladder.sample_network, 64)
ladder_chart = cached_chart(_ladder_charts.ladder_chart, 16)
ladder_summary = cached_data(_ladder_charts.ladder_summary, 16)
ladder_table = cached_resource(_ladder_charts.ladder_table, 16)
context_chart = cached_chart(_ladder_charts.context_chart, 16)
context_summary = cached_data(_ladder_charts.context_summary, 16)
context_table = cached_resource(_ladder_charts.context_table, 16)
# The live curve: a new spec for each snapshot of a training that many visitors watch together.
network_curve = cached_chart(_ladder_charts.training_curve, 48)
network_curve_summary = cached_data(_ladder_charts.training_summary, 48)

# The presenter's count of the room's votes, drawn again every second while a question is on
# screen: the same counts draw the same chart (a few kB).
from core.charts import votes as _votes  # noqa: E402  (here, with the cache that uses it)

vote_chart = cached_chart(_votes.vote_chart, 32)
