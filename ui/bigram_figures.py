"""Figures the bigram page shows in several sections: an NLL with its perplexity, and the pair
where the network's table departs most from the counted one."""
from __future__ import annotations

import torch

from core import formatting, heldout
from core.formatting import count, figure
from core.corpus import Corpus
from ui.cached_builders import largest_departure
from ui.text import literal


def nll_metric(column, label: str, nll: float, vocab_size: int) -> None:
    """An NLL (nats per symbol) with its perplexity and its value in bits beneath it."""
    column.metric(label, figure(nll))
    column.caption(uncertainty(nll, vocab_size))


def uncertainty(nll: float, vocab_size: int) -> str:
    """The NLL's perplexity and bits per symbol, and how it compares with a uniform guess among the
    vocab_size symbols (heldout.against_uniform). A symbol is a character or a name's end '.'."""
    kind = heldout.against_uniform(nll, vocab_size)
    if kind == "infinite":
        return "perplexity ∞: some pair here has probability 0, so no number of symbols is as uncertain"
    ppl = heldout.perplexity(nll)
    bits = f"{figure(heldout.bits_per_symbol(nll), 3)} bits per symbol (the end '.' included)"
    if kind == "better":
        return (f"perplexity e^NLL = {figure(ppl, 2)}: as uncertain as a fair choice among {figure(ppl, 2)} "
                f"of the {vocab_size} symbols; {bits}")
    if kind == "uniform":
        return (f"perplexity e^NLL = {figure(ppl, 2)}: the same as a uniform guess among the {vocab_size} "
                f"symbols; {bits}")
    shown = (f"perplexity e^NLL {figure(ppl)}" if ppl >= formatting.LARGEST_SHOWN
             else f"perplexity e^NLL = {figure(ppl, 2)}")
    return (f"{shown}: more than the {vocab_size} symbols there are, so worse than a uniform guess among them "
            f"(perplexity {vocab_size}); {bits}")


def departure(Q: torch.Tensor, P: torch.Tensor, N: torch.Tensor, corpus: Corpus) -> str:
    """Where the table Q departs most from the counted P, in a sentence: which pair, and how rare its row is."""
    d = largest_departure(Q, P, N)
    a, b = literal(corpus.itos[d.row]), literal(corpus.itos[d.column])
    rarest = ("the rarest row" if d.rarer_rows == 0 else
              f"only {count(d.rarer_rows, 'row')} {'has' if d.rarer_rows == 1 else 'have'} fewer")
    return (f"The largest gap, {figure(d.gap)}, is P(“{b}” | “{a}”): row “{a}” has "
            f"{count(d.row_pairs, 'pair')} ({rarest}).")
