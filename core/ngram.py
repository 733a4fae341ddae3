"""Counted models that look back a fixed number of characters: the rungs of chapter 8's ladder.

An order-n model guesses a name's next symbol from the n − 1 symbols before it within the name,
with '.' standing in before its first character (makemore's padding): the unigram looks at
nothing, the bigram at one character, the trigram at two. Fitted by counting on the training
names (core/split.py) over their own alphabet (core/heldout.py's), with add-k smoothing whose k
is chosen on the validation names, and scored on the test names.

Everything is computed from each part's contexts (`windows`): a part's text, one byte a symbol,
read as (context, next symbol) rows. A model keeps its counts sparse, as sorted keys (the context
and the symbol written as one base-A number) with their counts, so that a long context over a
large alphabet (A⁶ cells) costs only the contexts the names really have.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from core.bigram import CUT, MAX_DRAWS, MAX_SAMPLE_LENGTH
from core.corpus import Corpus
from core.heldout import KS, lowest
from core.split import Part

MAX_ORDER = 6   # five characters of context: by then the counts have run out of names


# --- each part's text over the training alphabet --------------------------------------------------

@dataclass(frozen=True, eq=False)
class Texts:
    """The split's three parts as ".name.name." over the training names' alphabet ('.' = 0), the
    names that alphabet cannot spell left out (core/heldout.py leaves them out of its counts too)."""
    alphabet: tuple[str, ...]
    training: np.ndarray = field(repr=False)
    validation: np.ndarray = field(repr=False)
    test: np.ndarray = field(repr=False)

    @property
    def parts(self) -> dict[str, np.ndarray]:
        return {"training": self.training, "validation": self.validation, "test": self.test}

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.parts.values()) + 1_000


def texts(corpus: Corpus) -> Texts:
    """The corpus's split over the training names' alphabet: '.' and every symbol they use."""
    split = corpus.split
    used = split.training.counts.any(0) | split.training.counts.any(1)
    used[0] = True
    code = np.full(len(used), 255, dtype=np.uint8)        # 255: a symbol the training names never use
    code[used] = np.arange(int(used.sum()), dtype=np.uint8)
    alphabet = tuple(corpus.itos[j] for j in np.flatnonzero(used))
    return Texts(alphabet, *(_spelled(part, code) for part in split.parts))


def _spelled(part: Part, code: np.ndarray) -> np.ndarray:
    """The part's text recoded by `code`, without the names that have a symbol coded 255."""
    text = code[part.text]
    bad = text == 255
    if not bad.any():
        return text
    name_of = np.cumsum(text == 0) - 1                  # each symbol's name (a '.' starts the next one)
    dropped = np.zeros(name_of[-1] + 1, dtype=bool)
    dropped[name_of[bad]] = True
    return text[~dropped[name_of]]


def windows(text: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """(contexts, targets) of a ".name.name." text: for every symbol after the first, the `block`
    symbols before it within its name, '.' (0) before the name's first character, as a
    (symbols − 1) x block uint8 array; and the symbol itself."""
    text = np.asarray(text, dtype=np.uint8)
    at = np.arange(1, len(text))
    opened = np.maximum.accumulate(np.where(text == 0, np.arange(len(text)), 0))[at - 1]  # the '.' before
    contexts = np.zeros((len(at), block), dtype=np.uint8)
    for back in range(1, block + 1):
        inside = at - back > opened
        contexts[:, block - back] = np.where(inside, text[np.maximum(at - back, 0)], 0)
    return contexts, text[1:]


def _keys(contexts: np.ndarray, targets: np.ndarray, size: int) -> np.ndarray:
    """Each row's context and target as one base-`size` number (int64: 100⁶ < 2⁶³)."""
    key = np.zeros(len(targets), dtype=np.int64)
    for column in contexts.T:
        key = key * size + column
    return key * size + targets


CHUNK = 1 << 18   # symbols read at a time: temporaries of a few MB, whatever the corpus's size


def _distinct(text: np.ndarray, block: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (context, symbol) rows of a text as sorted keys, with how often each occurs:
    counted a chunk of names at a time (each chunk from one '.' to a later one), so that a large
    upload never needs its rows all at once."""
    keys, counts = [], []
    start = 0
    while start < len(text) - 1:
        end = min(start + CHUNK, len(text) - 1)
        end += int(np.argmax(text[end:] == 0))            # on to the '.' that ends a name
        k, c = np.unique(_keys(*windows(text[start:end + 1], block), size), return_counts=True)
        keys.append(k)
        counts.append(c)
        start = end
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    merged, where = np.unique(np.concatenate(keys), return_inverse=True)
    return merged, np.bincount(where, weights=np.concatenate(counts)).astype(np.int64)


# --- a counted model ------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Counted:
    """An order-n model's training counts, sparse: `keys` (context · A + symbol, sorted) with
    `counts`, and each context seen with its total."""
    order: int
    size: int                                   # A, the alphabet's size
    keys: np.ndarray = field(repr=False)
    counts: np.ndarray = field(repr=False)
    contexts: np.ndarray = field(repr=False)    # context numbers seen, sorted
    totals: np.ndarray = field(repr=False)      # how often each was followed by anything

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.keys, self.counts, self.contexts, self.totals)) + 200


def fit(text: np.ndarray, order: int, size: int) -> Counted:
    """The order-n model counted on a text over an alphabet of `size` symbols."""
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"order must be from 1 to {MAX_ORDER}, got {order}")
    keys, counts = _distinct(text, order - 1, size)
    contexts, first = np.unique(keys // size, return_index=True)
    totals = np.add.reduceat(counts, first) if len(counts) else counts
    return Counted(order, size, keys, counts, contexts, totals)


def _lookup(sorted_keys: np.ndarray, values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """values[i] where sorted_keys[i] == wanted, 0 where wanted is not among them."""
    if not len(sorted_keys):
        return np.zeros(len(wanted), dtype=np.int64)
    at = np.searchsorted(sorted_keys, wanted).clip(max=len(sorted_keys) - 1)
    return np.where(sorted_keys[at] == wanted, values[at], 0)


@dataclass(frozen=True, eq=False)
class Scored:
    """A text's (context, symbol) rows, each distinct one once with how often it occurs, and the
    training counts of its row and of its context: what an NLL for any k needs."""
    weight: np.ndarray      # occurrences of each distinct row in the text
    seen: np.ndarray        # its training count
    context: np.ndarray     # its context's training total


def scored(model: Counted, text: np.ndarray) -> Scored:
    keys, weight = _distinct(text, model.order - 1, model.size)
    return Scored(weight, _lookup(model.keys, model.counts, keys),
                  _lookup(model.contexts, model.totals, keys // model.size))


def nll(model: Counted, rows: Scored, k: float) -> float:
    """The average NLL of the rows under the model with add-k: P(c | ctx) = (N(ctx c) + k) / (N(ctx) + kA),
    and a uniform guess after a context the training names never have (bigram.probabilities' rule
    for a row without counts); ∞ when a row gets probability 0, nan for a text with no rows."""
    if not (math.isfinite(k) and k >= 0):
        raise ValueError(f"smoothing k must be a finite number ≥ 0, got {k}")
    if not rows.weight.sum():
        return math.nan
    with np.errstate(divide="ignore"):
        p = np.where(rows.context > 0, (rows.seen + k) / np.maximum(rows.context + k * model.size, 1e-300),
                     1.0 / model.size)
        return float(-(rows.weight * np.log(p)).sum() / rows.weight.sum())


@dataclass(frozen=True)
class Choice:
    """add-k's k chosen on the validation names for an order-n model (heldout.KChoice's kinds:
    "zero", "inside", "top"), and the model's NLL with it on each part."""
    order: int
    kind: str
    k: float
    training_nll: float
    validation_nll: float
    test_nll: float


def choose(texts_: Texts, order: int, ks: Sequence[float] = KS) -> Choice:
    """The order-n model fitted to the training names, k chosen where its validation NLL is lowest
    (the least k of equal ones), and its NLL on every part with that k."""
    size = len(texts_.alphabet)
    model = fit(texts_.training, order, size)
    rows = {name: scored(model, text) for name, text in texts_.parts.items()}
    ks = np.asarray(ks, dtype=float)
    best, kind = lowest(ks, np.array([nll(model, rows["validation"], k) for k in ks]))
    k = float(ks[best])
    return Choice(order, kind, k, *(nll(model, rows[name], k) for name in ("training", "validation", "test")))


def probabilities(model: Counted, context: Sequence[int], k: float) -> np.ndarray:
    """P(next | context) over the alphabet, add-k, for one context of order − 1 symbols."""
    number = 0
    for symbol in context:
        number = number * model.size + int(symbol)
    lo, hi = np.searchsorted(model.keys, [number * model.size, (number + 1) * model.size])
    row = np.zeros(model.size)
    row[model.keys[lo:hi] % model.size] = model.counts[lo:hi]
    total = row.sum() + k * model.size
    return (row + k) / total if total > 0 else np.full(model.size, 1.0 / model.size)


# --- names drawn from any model that looks back a fixed number of symbols -------------------------

def draw_names(next_probs: Callable[[tuple[int, ...]], torch.Tensor], block: int, alphabet: Sequence[str],
               n: int, seed: int, max_length: int = MAX_SAMPLE_LENGTH) -> tuple[str, ...]:
    """n names drawn the makemore way: one generator seeded `seed` for all of them, one
    torch.multinomial per symbol from next_probs(the last `block` symbols, '.'-padded), '.' ending a
    name (at most MAX_DRAWS symbols, shown cut after max_length, ending in CUT). With block = 1 and
    a table's rows this is bigram.sample_names' draw."""
    g = torch.Generator().manual_seed(seed)
    names = []
    for _ in range(n):
        context, out = (0,) * block, []
        while len(out) < MAX_DRAWS:
            ix = torch.multinomial(next_probs(context), num_samples=1, replacement=True, generator=g).item()
            if ix == 0:
                break
            out.append(alphabet[ix])
            context = (*context[1:], ix) if block else ()
        name = "".join(out)
        names.append(name if len(out) <= max_length else name[:max_length] + CUT)
    return tuple(names)


def sample(model: Counted, alphabet: Sequence[str], k: float, n: int, seed: int) -> tuple[str, ...]:
    """n names from a counted model with add-k's k (its alphabet: the symbols its counts index)."""
    return draw_names(lambda ctx: torch.from_numpy(probabilities(model, ctx, k)).float(), model.order - 1,
                      alphabet, n, seed)
