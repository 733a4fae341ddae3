"""Chapter 6's last point: for a softmax, the NLL written by hand is torch's F.cross_entropy, shown on
seeded random logits, and why F.cross_entropy takes the logits themselves: make them large, and the
softmax written by hand overflows where log-sum-exp does not (core.nll.softmax_check)."""
from __future__ import annotations

import streamlit as st

from core import formatting, nll
from ui.frame import Page
from ui.layout import row

_FLOAT32 = "float32 holds about 7 significant digits, so that is all shown"


def nll_is_cross_entropy(page: Page) -> None:
    rows, classes = nll.SOFTMAX_ROWS, nll.SOFTMAX_CLASSES
    row_word = f"{formatting.number_word(rows)} {'row' if rows == 1 else 'rows'}"
    page.explain(
        "When a network turns scores (logits) into probabilities with a softmax, the NLL of the true "
        "classes is what torch calls cross-entropy. `F.cross_entropy` takes the raw logits and does the "
        f"softmax, the log and the averaging in one call. Below, {row_word} of {classes} random logits, "
        "times a scale you choose, are scored three ways."
    )
    st.code(
        f"""counts = logits.exp()
probs = counts / counts.sum(1, keepdims=True)            # softmax
by_hand = -probs[torch.arange({rows}), targets].log().mean()  # NLL, as above

m = logits.max(1, keepdim=True).values                   # log-sum-exp: subtract
shifted = logits - m                                     # the largest, so every
stable = (shifted.exp().sum(1).log()                     # exponent is <= 0
          - shifted[torch.arange({rows}), targets]).mean()

built_in = F.cross_entropy(logits, targets)              # cross-entropy""",
        language="python",
    )
    page.url_number("lse_scale", 1.0, 1.0, 1000.0)
    page.slider("scale of the logits", "lse_scale", step=1.0, format="%g",
                help="Every logit is multiplied by this. Large logits are common: an untrained network's "
                     "scores, or a confident one's.")
    check = nll.softmax_check(float(st.session_state.lse_scale))
    figures = row()
    figures.metric("NLL written by hand", formatting.sig(check.naive, 7), help=_FLOAT32)
    figures.metric("by hand, largest logit subtracted", formatting.sig(check.stable, 7), help=_FLOAT32)
    figures.metric("F.cross_entropy", formatting.sig(check.cross_entropy, 7), help=_FLOAT32)
    alert = st.success if check.outcome == "agrees" else st.warning
    alert(nll.softmax_sentence(check), icon=":material/check_circle:" if check.outcome == "agrees" else ":material/warning:")
    page.formula(r"-\ln \frac{e^{z_y}}{\sum_j e^{z_j}} = \ln \sum_j e^{z_j - m} - (z_y - m), \qquad m = \max_j z_j")
    st.markdown(
        "Subtracting the largest logit m changes nothing in exact arithmetic (it cancels between the top and "
        "the bottom of the fraction), but in floats it keeps every exponent at 0 or below, so no exp(z) "
        "overflows, the sum is at least 1, and the log is taken of that sum rather than of a probability "
        "that may have rounded to 0. That is why `F.cross_entropy` takes the logits, not probabilities: "
        "from probabilities already rounded it could not undo the damage. " + nll.stable_sentence(check)
    )
    st.caption(f"Targets (true classes) of the {row_word}: {', '.join(str(int(t)) for t in check.targets)}.")
