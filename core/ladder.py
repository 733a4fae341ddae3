"""Chapter 8's ladder: models of names from a uniform guess to a neural network, all scored by the
same number, the average NLL per symbol on the same seeded training / validation / test names.

The rungs: a uniform guess over the training alphabet; the counted unigram, bigram and trigram
(core.ngram; the bigram is chapter 7's, its k chosen by core.heldout); and the networks of
core.mlp once a server has trained them. Each rung's smoothing is chosen on the validation names
and the rung is scored on the test names. The sentences about the ladder (does it go down, where
does overfitting start, does a network beat counting) each come from one classification here,
of the figures as the page shows them (to four decimals), so a sentence never contradicts them.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch

from core import heldout, mlp, ngram
from core.corpus import Corpus
from core.formatting import count, figure, integer, setting, shown_gap
from core.memory import give_back_memory

SHOWN = 4                       # decimals of an NLL on the page
NETWORK_MAX_SYMBOLS = 1_000_000  # the networks train on a corpus of at most this many symbols (the default has 232,371)


@dataclass(frozen=True)
class Rung:
    label: str            # short, for a chart's axis: "uniform", "trigram", "MLP 3"
    name: str             # in a sentence: "the uniform guess", "the trigram", "the 3-symbol network"
    sees: str             # what it guesses from
    fitted: str           # how, and the setting chosen on validation
    order: int            # counted: 1 unigram, 2 bigram, 3 trigram; 0 the uniform guess; -1 a network
    k: float              # add-k's k (counted rungs)
    training: float
    validation: float
    test: float


def _counted(label: str, sees: str, order: int, k: float, kind: str, nlls: Sequence[float]) -> Rung:
    top = ", the largest tried: a larger k may do better" if kind == "top" else ""
    return Rung(label, f"the {label}", sees, f"counted; add-k with k = {setting(k)} chosen on validation{top}",
                order, k, *nlls)


def counted_rungs(evaluation: heldout.Evaluation, choices: Sequence[ngram.Choice]) -> tuple[Rung, ...]:
    """The uniform guess, the unigram, the bigram and the trigram, fitted to the training names: the
    bigram as chapter 7 chose it (heldout), the others from the counted models of `by_context`."""
    uniform = math.log(len(evaluation.alphabet))
    bigram = heldout.choose_k(evaluation)       # chapter 7's choice, the same k and test NLL
    return (
        Rung("uniform", "the uniform guess", "nothing: every symbol equally likely", "no parameters", 0, 0.0,
             uniform, uniform, uniform),
        choice_rung(choices[0]),
        _counted("bigram", "the last symbol", 2, bigram.k, bigram.kind,
                 (heldout.counting_nll(evaluation, bigram.k, "training"), bigram.validation_nll, bigram.test_nll)),
        choice_rung(choices[2]),
    )


def by_context(corpus: Corpus) -> tuple[ngram.Choice, ...]:
    """The counted models of every order up to ngram.MAX_ORDER, each with its k chosen on validation."""
    texts = ngram.texts(corpus)
    choices = tuple(ngram.choose(texts, order) for order in range(1, ngram.MAX_ORDER + 1))
    give_back_memory()
    return choices


@dataclass(frozen=True)
class TableSize:
    """A counted model's table: a row per context of `context` symbols."""
    context: int
    rows: int          # contexts there could be: A^context
    filled: int        # contexts the training names have
    symbols: int       # symbols of the training names to fill them with


def table_sizes(corpus: Corpus) -> tuple[TableSize, ...]:
    """How many rows each counted model's table has, and how many the training names fill."""
    texts = ngram.texts(corpus)
    size, symbols = len(texts.alphabet), len(texts.training) - 1
    sizes = tuple(TableSize(order - 1, size ** (order - 1), len(ngram.fit(texts.training, order, size).contexts),
                            symbols) for order in range(1, ngram.MAX_ORDER + 1))
    give_back_memory()
    return sizes


def order_label(order: int) -> str:
    return {1: "unigram", 2: "bigram", 3: "trigram"}.get(order, f"{order}-gram")


def choice_rung(choice: ngram.Choice) -> Rung:
    """A counted model of any order as a rung."""
    sees = ("how common each symbol is" if choice.order == 1 else "the last symbol" if choice.order == 2
            else f"the last {choice.order - 1} symbols")
    return _counted(order_label(choice.order), sees, choice.order, choice.k, choice.kind,
                    (choice.training_nll, choice.validation_nll, choice.test_nll))


def best_counted(choices: Sequence[ngram.Choice]) -> ngram.Choice:
    """The counted model with the lowest validation NLL (the shortest context of equals): the one
    a modeller would pick without looking at the test names."""
    return min(choices, key=lambda c: (shown(c.validation_nll), c.order))


def network_label(settings: mlp.MLPSettings) -> str:
    return f"MLP {settings.block}"


def network_rung(run: mlp.MLPRun) -> Rung:
    s = run.settings
    sees = f"the last {count(s.block, 'symbol')}, each as {s.embedding} learned numbers"
    fitted = (f"a network of {integer(s.parameters(run.size))} weights, {integer(s.steps)} minibatch steps "
              f"of {s.batch}")
    return Rung(network_label(s), f"the {s.block}-symbol network", sees, fitted,
                -1, 0.0, run.final["training"], run.final["validation"], run.final["test"])


def train(corpus: Corpus, settings: tuple[mlp.MLPSettings, ...] = mlp.NETWORKS) -> Iterator[mlp.Networks]:
    """The networks trained on the corpus's training names (a generator: the work, the corpus's
    text included, happens where it is iterated, in core.shared_run's thread)."""
    yield from mlp.train_networks(ngram.texts(corpus), settings)


def counted_model(corpus: Corpus, order: int) -> ngram.Counted:
    """The order-n model counted on the corpus's training names (over their alphabet)."""
    texts = ngram.texts(corpus)
    return ngram.fit(texts.training, order, len(texts.alphabet))


def sample_counted(model: ngram.Counted | None, alphabet: tuple[str, ...], k: float, n: int, seed: int
                   ) -> tuple[str, ...]:
    """n names from a counted rung with add-k's k, or from the uniform guess (model None)."""
    if model is None:
        size = len(alphabet)
        return ngram.draw_names(lambda ctx: torch.full((size,), 1.0 / size), 0, alphabet, n, seed)
    return ngram.sample(model, alphabet, k, n, seed)


def sample_network(tensors: tuple[torch.Tensor, ...], alphabet: tuple[str, ...], n: int, seed: int
                   ) -> tuple[str, ...]:
    """n names from a trained network, given its weights (mlp.Weights.tensors)."""
    return mlp.sample(mlp.Weights(*tensors), alphabet, n, seed)


def networks_fit(corpus: Corpus) -> bool:
    return corpus.n_bigrams <= NETWORK_MAX_SYMBOLS


# --- what the figures say, each from one classification ------------------------------------------

def shown(x: float) -> float:
    """An NLL as the page shows it."""
    return round(x, SHOWN) if math.isfinite(x) else x


def overfitting_start(training: Sequence[float], validation: Sequence[float]) -> int | None:
    """Along models that see more and more (index 0 first), where overfitting starts: the first
    model whose validation NLL is higher than the one before's while its training NLL is lower,
    both as shown; None if there is no such model."""
    for i in range(1, len(training)):
        if shown(validation[i]) > shown(validation[i - 1]) and shown(training[i]) < shown(training[i - 1]):
            return i
    return None


def first_rise(values: Sequence[float]) -> int | None:
    """The first index whose value, as shown, is not below the one before it; None if they all fall."""
    return next((i for i in range(1, len(values)) if shown(values[i]) >= shown(values[i - 1])), None)


def compare(a: float, b: float) -> str:
    """a against b as shown: "below", "level" (equal to four decimals) or "above"."""
    a, b = shown(a), shown(b)
    return "below" if a < b else "level" if a == b else "above"


# --- sentences --------------------------------------------------------------------------------------

def descent_sentence(rungs: Sequence[Rung]) -> str:
    """Whether the test NLL goes down at every rung, and by how much overall."""
    tests = [r.test for r in rungs]
    rise = first_rise(tests)
    if rise is None:
        return (f"The test NLL goes down at every rung, from {figure(tests[0])} for {rungs[0].name} to "
                f"{figure(tests[-1])} for {rungs[-1].name}: each model that sees more guesses the next "
                "symbol of names it never saw better.")
    verb = "stays at" if shown(tests[rise]) == shown(tests[rise - 1]) else "rises to"
    return (f"The test NLL goes down from {rungs[0].name} ({figure(tests[0])}) but not at every rung: from "
            f"{rungs[rise - 1].name} ({figure(tests[rise - 1])}) to {rungs[rise].name} it {verb} "
            f"{figure(tests[rise])}. On these names, seeing more does not help at that rung.")


def overfitting_sentence(rungs: Sequence[Rung]) -> str:
    """Where overfitting starts along these models (in order of what they see), or that it does
    not within them; and the widest gap between training and validation NLL."""
    training, validation = [r.training for r in rungs], [r.validation for r in rungs]
    at = overfitting_start(training, validation)
    widest = max(range(len(rungs)), key=lambda i: (shown(validation[i]) - shown(training[i]), -i))
    gap = (f"The widest gap between the two is {rungs[widest].name}'s: "
           f"{figure(validation[widest])} − {figure(training[widest])} = "
           f"{shown_gap(validation[widest], training[widest])}.")
    if at is None:
        return ("No overfitting within these models: wherever the training NLL goes down from one model to the "
                f"next, the validation NLL does not go up. {gap}")
    before, here = rungs[at - 1], rungs[at]
    return (f"Overfitting starts at {here.name}: its training NLL is lower than {before.name}'s "
            f"({figure(here.training)} against {figure(before.training)}), but its validation NLL is higher "
            f"({figure(here.validation)} against {figure(before.validation)}). It fits the training names better "
            f"and names it never saw worse. {gap}")


def versus_sentence(network: Rung, other: Rung) -> str:
    """A rung's test NLL against another's, as it came out."""
    kind = compare(network.test, other.test)
    if kind == "level":
        return (f"{_capital(network.name)} and {other.name} score the same test NLL to four decimals, "
                f"{figure(network.test)}.")
    gap = shown_gap(other.test, network.test) if kind == "below" else shown_gap(network.test, other.test)
    return (f"{_capital(network.name)} scores {figure(network.test)} on the test names, {gap} "
            f"{kind} {other.name} ({figure(other.test)}): "
            + ("it beats it." if kind == "below" else "it does not beat it."))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def pull_ahead_sentence(same_context: Rung | None, short: Rung, longer: Rung, best: Rung, overfits: Rung | None
                        ) -> str:
    """What it takes for a network to beat counting, as these runs came out: the short network
    against the counted model that sees as much (`same_context`, if counted), the longer one
    against the best counted model; `overfits`, the counted model where overfitting starts (or None)."""
    beaten = compare(longer.test, best.test) == "below"
    first = ("" if same_context is None else
             f"Seeing as much as {same_context.name}, {short.name} "
             + ("already beats counting. " if compare(short.test, same_context.test) == "below" else
                "does not yet beat counting. "))
    where = (f"Counting stops gaining where its table runs out of names: overfitting starts at {overfits.name}. "
             if overfits is not None else "")
    if beaten:
        return (first + where + f"{_capital(longer.name)} pulls ahead of the counted model chosen on the validation "
                f"names, {best.name}: {figure(longer.test)} against {figure(best.test)} on the test names.")
    return (first + where + f"Even {longer.name} does not pull ahead of the counted model chosen on the validation "
            f"names, {best.name} ({figure(longer.test)} against {figure(best.test)} on the test names).")


def tables_sentence(sizes: Sequence[TableSize]) -> str:
    """Where a counted table first has more rows than the training names have symbols (so most of
    its rows can hold no count at all), and how full it is there."""
    over = next((t for t in sizes if t.rows > t.symbols), None)
    widest = sizes[-1]
    share = f"the names fill {integer(widest.filled)} of its {integer(widest.rows)} rows"
    if over is None:
        return (f"Even with {count(widest.context, 'symbol')} of context the table has fewer rows than the "
                f"{integer(widest.symbols)} training symbols: {share}.")
    return (f"From {count(over.context, 'symbol')} of context on, the table has more rows ({integer(over.rows)}) "
            f"than the training names have symbols ({integer(over.symbols)}), so at least "
            f"{integer(over.rows - over.symbols)} of its rows must stay empty, whatever the names; with "
            f"{count(widest.context, 'symbol')}, {share}.")
