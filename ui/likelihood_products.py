"""Chapter 2's products: each candidate's likelihood, the ratio L(A) / L(B) with its verdict, and the
note on the article's rounded densities. They answer the chapter's question (which candidate explains
the data better), so they are drawn once the answer is out; until then a line says what will appear."""
from __future__ import annotations

import streamlit as st

from core import formatting, normal
from ui.frame import Page
from ui.held_back import held_back


def products_and_ratio(page: Page, data, scores: dict[str, normal.Score], out: bool) -> None:
    if not out:
        held_back(page, "Predict from the sticks which product is larger: both likelihoods, their ratio and the "
                        "candidate it favours appear")
        return
    for col, (k, s) in zip(st.columns(len(scores)), scores.items()):
        col.metric(f"L({k} | x)", formatting.sci_words(s.log_likelihood), help="The exact product of the densities.")
        col.caption(f"log L = {formatting.num(s.log_likelihood, '.4f')}")

    a, b = scores["A"], scores["B"]
    _, log_ratio = normal.likelihood_ratio(a, b)
    gap = formatting.shown_gap(a.log_likelihood, b.log_likelihood)   # the two logs above, subtracted
    better, times = normal.which_better(a.log_likelihood, b.log_likelihood), formatting.sci_words(abs(log_ratio))
    verdict = ("A and B explain these data equally well, to the digits shown." if better is None else
               f"{better} explains these data {'slightly' if times == '1' else times + ' times'} better than "
               f"{'B' if better == 'A' else 'A'}.")
    st.metric("L(A) / L(B)", formatting.sci_words(log_ratio),
              help=f"From the logs, so that it survives when both products are too small for a float: "
                   f"log L(A) − log L(B) = {gap}.")
    st.caption(f"ln(L(A)/L(B)) = {gap}. {verdict}")
    _rounded_densities(data, a, b)


def _rounded_densities(data, a: normal.Score, b: normal.Score) -> None:
    with st.expander("Rounded densities: where the article's slightly different products come from"):
        st.markdown(
            "The article rounded each density to four decimals and multiplied the rounded numbers. "
            "Done exactly, that gives:"
        )
        for k, s in (("A", a), ("B", b)):
            r = normal.rounded_product_decimal(data, s.mu, s.sigma)
            factors = " × ".join(formatting.num(v, ".4f") for v in s.densities[:5]) + (" × ⋯" if len(data) > 5 else "")
            rounded = "0" if r.value == 0 else formatting.decimal_words(r.value)
            st.markdown(
                f"- {k}: {factors} {formatting.equals(rounded)}. The product of the unrounded densities, "
                + (f"{formatting.sci_words(s.log_likelihood)}, {formatting.compared(r.log_gap)} that." if r.value != 0
                   else f"{formatting.sci_words(s.log_likelihood)}, is not 0: a density rounded to 0.0000 made the "
                        "rounded one 0.")
            )
        st.markdown(
            ("These are the article's two figures. " if normal.is_article_example(data, a, b) else "")
            + "Both products are computed correctly; they multiply slightly different numbers. Rounding moves each "
            "density by at most 0.00005, and the gaps above are what that does to these products."
        )
