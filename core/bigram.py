"""The counting bigram model: count character pairs, normalise rows, score and sample names.

Matrices are V x V with rows indexed by the first character and columns by the second,
in the corpus's vocabulary order (itos, '.' first).
"""
from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from core.corpus import END, MAX_NAME_LENGTH, PAIRS_MAX_CELLS, Corpus, as_name
from core.formatting import count, figure, integer, sig
from core.text import visible

LECTURE_SEED = 2147483647   # the seed of every generator in Karpathy's makemore lecture
MAX_SAMPLE_LENGTH = 30      # a longer sampled name is shown cut, ending in CUT
CUT = "…"
MAX_DRAWS = 1000            # characters drawn for one name at most, so that a degenerate P ('a' -> 'a') ends


class UnknownCharacterError(ValueError):
    """A name to score uses characters outside the corpus's vocabulary."""

    def __init__(self, characters: Sequence[str]):
        self.characters = tuple(characters)
        shown = ", ".join(repr(c) for c in self.characters)
        super().__init__(f"Not in this corpus's alphabet: {shown}. Use only characters that occur in its names.")


def bigram_pairs(corpus: Corpus) -> tuple[torch.Tensor, torch.Tensor]:
    """(xs, ys): the indices of every bigram's first and second character, the training names'
    first (the corpus's text, core.corpus). Only for a corpus small enough for the literal loop."""
    # ".emma.olivia." read pairwise gives exactly the bigrams of every name: each inner '.'
    # ends one name and starts the next.
    if corpus.n_bigrams * corpus.vocab_size > PAIRS_MAX_CELLS:
        raise ValueError(f"This corpus is too large for the literal loop ({integer(corpus.n_bigrams)} bigrams).")
    idx = torch.from_numpy(corpus.codes.astype(np.int64))
    return idx[:-1], idx[1:]


def bigram_counts(corpus: Corpus) -> torch.Tensor:
    """N[i, j] = how often itos[j] follows itos[i] (int64), with '.' before and after each name:
    a copy of the counts the corpus holds."""
    return torch.from_numpy(corpus.counts.copy())


def counts_for(corpus: Corpus) -> torch.Tensor:
    """The corpus's counts as a tensor that shares their memory: counted once, when the corpus was
    made, and shared by every rerun and session that uses the corpus. Read-only by convention."""
    return torch.from_numpy(corpus.counts)


def probabilities(N: torch.Tensor, k: float = 0.0) -> torch.Tensor:
    """Row-normalised (N + k) in float64; k = 0 is the maximum likelihood estimate.

    A row without any count (a character never followed by anything, impossible for a
    corpus built by core.corpus) has no evidence, so it becomes uniform rather than 0/0.
    """
    if not (math.isfinite(k) and k >= 0):
        raise ValueError(f"smoothing k must be a finite number ≥ 0, got {k}")
    counts = N.double() + k
    totals = counts.sum(1, keepdim=True)
    uniform = torch.full_like(counts, 1.0 / counts.shape[1])
    return torch.where(totals > 0, counts / totals.clamp_min(1e-300), uniform)


def counting_model(corpus: Corpus, k: float = 0.0) -> tuple[torch.Tensor, float]:
    """(P, NLL): the counted table with add-k's k, and its average NLL on the corpus's own names."""
    N = counts_for(corpus)
    P = probabilities(N, k)
    return P, average_nll(N, P)


def average_nll(N: torch.Tensor, P: torch.Tensor) -> float:
    """Mean of -log P over every bigram counted in N; inf if a counted bigram has P = 0."""
    counts = N.double()
    # 0 * log 0 counts as 0: a bigram that never occurs costs nothing, whatever its P.
    terms = torch.where(counts > 0, counts * -torch.log(P.double()), torch.zeros_like(counts))
    return (terms.sum() / counts.sum()).item()


@dataclass(frozen=True)
class NameScore:
    name: str
    table: pd.DataFrame   # one row per bigram: bigram, p, log p, -log p
    nll: float            # average -log p over the name's bigrams; inf if one has p = 0

    @functools.cached_property   # a score is shared by every visitor (ui/cached_builders.name_box)
    def impossible(self) -> tuple[str, ...]:
        """The bigrams with p = 0: the model says this name cannot occur."""
        return tuple(self.table.loc[self.table["p"] == 0, "bigram"])


def score_name(name: str, P: torch.Tensor, stoi: Mapping[str, int]) -> NameScore:
    """How likely the model finds a name: its bigrams with p, log p and -log p, and the average NLL."""
    name = as_name(name)  # as corpora hold names: lower case ("Andrej" means "andrej"), Unicode NFC
    if not name:
        raise ValueError("Type a name to score.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"Names are at most {MAX_NAME_LENGTH} characters long.")
    unknown = sorted({c for c in name if c not in stoi or c == END})
    if unknown:
        raise UnknownCharacterError(unknown)
    chars = [END, *name, END]
    p = np.array([P[stoi[a], stoi[b]].item() for a, b in zip(chars, chars[1:])], dtype=float)
    with np.errstate(divide="ignore"):
        log_p = np.log(p)
    table = pd.DataFrame({"bigram": [a + b for a, b in zip(chars, chars[1:])],
                          "p": p, "log p": log_p, "-log p": -log_p})
    return NameScore(name, table, float(-log_p.mean()))


def fits_alphabet(name: str, itos: Sequence[str]) -> bool:
    """Whether every character of `name` (as corpora hold names) is a symbol of the vocabulary
    other than the end marker: a name box kept from another corpus may not fit this one."""
    return set(as_name(name)) <= set(itos[1:])


@dataclass(frozen=True)
class KeptScore:
    """The name box's score: of the name typed, or, when it cannot be scored, of the last good one.

    problem is None when the typed name was scored; otherwise it says why not, and score is the
    last good name's (None when that cannot be scored either)."""
    score: NameScore | None
    problem: str | None


def score_or_last_good(typed: str, last_good: str, P: torch.Tensor, stoi: Mapping[str, int]) -> KeptScore:
    """The typed name's score, or the last good name's with the reason the typed one failed."""
    try:
        return KeptScore(score_name(typed, P, stoi), None)
    except ValueError as err:  # includes UnknownCharacterError
        problem = str(err)
    try:
        return KeptScore(score_name(last_good, P, stoi), problem)
    except ValueError:  # nothing good yet, or the last good name does not fit this corpus
        return KeptScore(None, problem)


def shown_table(table: pd.DataFrame) -> pd.DataFrame:
    """A name's bigrams with their numbers written as the page writes numbers: four decimals,
    never −0 (a pair of probability 1 costs 0), ∞ for a pair of probability 0, and a probability
    too small for four decimals with its power of ten rather than as 0.0000; a pair with an
    invisible character (an uploaded corpus's) shows it as its code point."""
    return pd.DataFrame({"bigram": [visible(b) for b in table["bigram"]],
                         "P(b | a)": [figure(p) if p == 0 or p >= 5e-5 else sig(p, 2) for p in table["p"]],
                         "log P": [figure(x) for x in table["log p"]],
                         "−log P": [figure(x) for x in table["-log p"]]})


def name_box(typed: str, last_good: str, P: torch.Tensor, N: torch.Tensor, corpus: Corpus
             ) -> tuple[KeptScore, pd.DataFrame | None, tuple[str, str] | None]:
    """The name box's score (score_or_last_good), its table as the page shows it, and a longer name
    the counts call impossible (unseen_extension)."""
    kept = score_or_last_good(typed, last_good, P, corpus.stoi)
    if kept.score is None:
        return kept, None, None
    return kept, shown_table(kept.score.table), unseen_extension(kept.score.name, N, corpus.itos)


def unseen_extension(name: str, N: torch.Tensor, itos: Sequence[str]) -> tuple[str, str] | None:
    """(name + c, the pair it adds) for the first character c that never follows name's last
    character in the corpus: a name the counting model with k = 0 calls impossible. None if none."""
    row = N[itos.index(name[-1])] if name and name[-1] in itos else None
    if row is None:
        return None
    for j, c in enumerate(itos):
        if j and row[j] == 0:  # j = 0 is the end marker, not a character
            return name + c, name[-1] + c
    return None


def sample_names(P: torch.Tensor, itos: Sequence[str], n: int, seed: int = LECTURE_SEED,
                 max_length: int = MAX_SAMPLE_LENGTH) -> tuple[str, ...]:
    """n names drawn the way the makemore lecture draws them: ONE generator seeded `seed` for all
    of them, one torch.multinomial per character from the row of the character before, '.' ending
    a name, over the table in float32 (the lecture's P). So the lecture's names file, its table
    and its seed give the lecture's names. A name is drawn to its '.' (at most MAX_DRAWS
    characters), so the next one starts where the lecture's does, and shown cut after max_length
    characters, ending in CUT."""
    P = P.float()
    g = torch.Generator().manual_seed(seed)
    names = []
    for _ in range(n):
        out = []
        ix = 0
        while len(out) < MAX_DRAWS:
            p = P[ix]
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            if ix == 0:
                break
            out.append(itos[ix])
        name = "".join(out)
        names.append(name if len(out) <= max_length else name[:max_length] + CUT)
    return tuple(names)


def mark_new(samples: Sequence[str], corpus: Corpus) -> pd.DataFrame:
    """The samples with a column saying whether each is a name of the corpus or a new invention."""
    return pd.DataFrame({"name": list(samples), "in corpus": corpus.contains_each(samples).tolist()})


def drawn_table(P: torch.Tensor, corpus: Corpus, how_many: int, seed: int, lecture: bool) -> pd.DataFrame:
    """`how_many` names drawn from P with `seed` (lecture: sample_names, else sample_each), as the
    page shows them, each marked as a name of the corpus or a new one."""
    drawn = (sample_names if lecture else sample_each)(P, corpus.itos, how_many, seed)
    table = mark_new(drawn, corpus)
    table["name"] = [visible(name) if name else "(ended at once)" for name in table["name"]]
    return table


@dataclass(frozen=True)
class Departure:
    """Where a table Q departs most from P: the pair (row a, column b), |Q - P| there, how many
    pairs the counts N have in row a, and how many rows have fewer (0: it is the rarest row)."""
    row: int
    column: int
    gap: float
    row_pairs: int
    rarer_rows: int


def largest_departure(Q: torch.Tensor, P: torch.Tensor, N: torch.Tensor) -> Departure:
    """The pair where Q (e.g. softmax(W)) and P (e.g. the counted table) differ most, and how rare
    its row is in N: a penalty on W pulls hardest on the rows with fewest pairs."""
    diff = (Q.double() - P.double()).abs()
    i, j = divmod(int(diff.argmax()), diff.shape[1])
    totals = N.sum(1)
    return Departure(i, j, diff[i, j].item(), int(totals[i]), int((totals < totals[i]).sum().item()))


def sample_each(P: torch.Tensor, itos: Sequence[str], n: int, seed: int = LECTURE_SEED,
                max_length: int = MAX_SAMPLE_LENGTH) -> tuple[str, ...]:
    """n names, name i drawn with its own generator seeded seed + i (the first is sample_names'
    first): for comparing two tables. Two close tables then draw the same names wherever their
    draws agree: one name that differs does not shift every later draw, as it does with one
    generator for all (the lecture's way, sample_names)."""
    return tuple(sample_names(P, itos, 1, seed + i, max_length)[0] for i in range(n))


def draws_compared(ours: Sequence[str], theirs: Sequence[str], seed: int) -> str:
    """What the page says about names drawn from two tables with the same seeds (sample_each): how
    many agree, and why the others do not. Only what the draws show: agreement in a few names is
    no proof that the tables are close (short names may agree by chance), so the sentence says
    nothing about how close they are; the training's verdict does (core/training_verdict.py)."""
    if len(ours) != len(theirs):
        raise ValueError("compare draws of the same length")
    n, same = len(ours), sum(a == b for a, b in zip(ours, theirs))
    if n == 1:
        made = "this name too." if same else "a different name. It parts"
    elif same == n:
        made = ("both of these names" if n == 2 else f"all {integer(n)} of these names") + " too."
    elif same == 0:
        made = "none of these names. Each of them parts"
    else:
        made = (f"{integer(same)} of these {count(n, 'name')} too. "
                + ("The other one parts" if n - same == 1 else f"The other {integer(n - same)} part"))
    if same < n:
        made += (" from the network's where the same seed's random numbers pick different characters"
                 " from the two tables.")
    return (f"Name *i* is drawn with seed {integer(seed)} + *i*. With the same seeds, the counted table "
            f"(k = 0) makes {made}")
