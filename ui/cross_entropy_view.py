"""Chapter 6's last point: for a softmax, the NLL written by hand is torch's F.cross_entropy,
shown on seeded random logits (core.nll.cross_entropy_check)."""
from __future__ import annotations

import streamlit as st

from core import formatting, nll
from ui.frame import Page


def nll_is_cross_entropy(page: Page) -> None:
    check = nll.cross_entropy_check()
    rows, classes = check.logits.shape
    row_word = f"{formatting.number_word(rows)} {'row' if rows == 1 else 'rows'}"
    page.explain(
        "When a network turns scores (logits) into probabilities with a softmax, the NLL of the true "
        "classes is what torch calls cross-entropy. `F.cross_entropy` takes the raw logits and does the "
        f"softmax, the log and the averaging in one call. Below, {row_word} of {classes} random logits "
        "are scored both ways."
    )
    st.code(
        f"""counts = logits.exp()
probs = counts / counts.sum(1, keepdims=True)            # softmax
by_hand = -probs[torch.arange({rows}), targets].log().mean()  # NLL, as above
built_in = F.cross_entropy(logits, targets)              # cross-entropy""",
        language="python",
    )
    e1, e2, e3 = st.columns(3)
    e1.metric("NLL written by hand", f"{check.by_hand:.7f}")
    e2.metric("F.cross_entropy", f"{check.cross_entropy:.7f}")
    e3.metric("difference", f"{nll.cross_entropy_gap(check):.1e}")
    st.caption(f"Targets (true classes) of the {row_word}: {', '.join(str(int(t)) for t in check.targets)}. "
               "Both routes work in float32 (about 7 significant digits), so any difference is rounding at most.")
