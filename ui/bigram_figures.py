"""Figures the bigram page shows in several sections: an NLL with its perplexity, and the pair
where the network's table departs most from the counted one."""
from __future__ import annotations

import math

import torch

from core import bigram, formatting, heldout
from core.formatting import count, figure
from core.corpus import Corpus
from ui.text import literal


def nll_metric(column, label: str, nll: float, vocab_size: int) -> None:
    """An NLL (nats per character) with its perplexity and its value in bits beneath it."""
    column.metric(label, figure(nll))
    column.caption(uncertainty(nll, vocab_size))


def uncertainty(nll: float, vocab_size: int) -> str:
    ppl = heldout.perplexity(nll)
    if math.isinf(nll):
        return "perplexity ∞: some pair here has probability 0, so no number of characters is as uncertain"
    if ppl >= formatting.LARGEST_SHOWN:
        return (f"perplexity e^NLL {figure(ppl)}: far more than the {vocab_size} symbols there are, "
                "so no fair choice among them is this uncertain")
    return (f"perplexity e^NLL = {figure(ppl, 2)}: as uncertain as a fair choice among {figure(ppl, 2)} "
            f"characters; {figure(heldout.bits_per_character(nll), 3)} bits per character")


def departure(Q: torch.Tensor, P: torch.Tensor, N: torch.Tensor, corpus: Corpus) -> str:
    """Where the table Q departs most from the counted P, in a sentence: which pair, and how rare its row is."""
    d = bigram.largest_departure(Q, P, N)
    a, b = literal(corpus.itos[d.row]), literal(corpus.itos[d.column])
    rarest = ("the rarest row" if d.rarer_rows == 0 else
              f"only {count(d.rarer_rows, 'row')} {'has' if d.rarer_rows == 1 else 'have'} fewer")
    return (f"The largest gap, {figure(d.gap)}, is P(“{b}” | “{a}”): row “{a}” has "
            f"{count(d.row_pairs, 'pair')} ({rarest}).")
