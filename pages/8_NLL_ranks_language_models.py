"""Chapter 8: one number ranks every model of names, from a uniform guess to a neural network."""
import streamlit as st

from core import questions
from core.formatting import setting
from ui import cached_builders as charts, frame
from ui.heldout_view import UNSEEN
from ui.ladder_training import explain_networks, networks
from ui.ladder_view import more_context, names_from_every_rung, names_ranked_on, tables, the_ladder
from ui.question import answered, ask

page = frame.page()

page.explain(
    """
Chapter 7 scored one model of names by its average NLL per symbol. The same number scores any
model that gives the next symbol a probability, however it works inside, so it can rank them. Here
each model sees a little more than the one before: none of the name, then one symbol, two, three and
more. Each is fitted to the same training names, any setting it has is chosen on the validation
names, and all are scored on the same test names, which played no part in fitting or choosing.
"""
)
corpus, built_in = names_ranked_on(page)
choices = charts.ladder_by_context(corpus)              # counted models seeing 0 to 5 symbols
rungs = charts.ladder_rungs(charts.evaluation(corpus), choices)
uniform, unigram, bigram, trigram = rungs
question = questions.ladder(choices)                     # asked at the end: how far counting goes
revealed = answered(page, question, "ladder")

# --- 1. The counted models -------------------------------------------------------------------------
st.subheader("Counted models: a table of what followed what")
page.explain(
    f"""
The uniform guess gives each of the A symbols of the training names (the end '.' among them) the
same probability. The unigram counts how often each symbol occurs, the bigram what follows each
symbol, the trigram what follows each pair. Adding k to every count (add-k smoothing) keeps a
pair the training names never had from getting probability 0; each model's k is the one whose NLL
on the validation names is lowest (the bigram's is the one chapter 7 chooses under "{UNSEEN}").
"""
)
page.formula(rf"""\begin{{aligned}}
P_{{\text{{uniform}}}}(c) &= \frac{{1}}{{A}}, \qquad P_{{\text{{unigram}}}}(c) = \frac{{N_c + k_1}}{{n + k_1 A}}
\qquad (k_1 = {setting(unigram.k)}) \\
P_{{\text{{bigram}}}}(c \mid b) &= \frac{{N_{{bc}} + k_2}}{{N_{{b\cdot}} + k_2 A}} \qquad (k_2 = {setting(bigram.k)}) \\
P_{{\text{{trigram}}}}(c \mid a\,b) &= \frac{{N_{{abc}} + k_3}}{{N_{{ab\cdot}} + k_3 A}}
\qquad (k_3 = {setting(trigram.k)}) \\
\text{{NLL}} &= -\frac{{1}}{{n}} \sum_{{i=1}}^{{n}} \log P(c_i \mid \text{{what the model sees before }} c_i)
\end{{aligned}}""")
tables(page, corpus)

# --- 2. The networks -------------------------------------------------------------------------------
st.subheader("A neural network: learned numbers instead of a table")
explain_networks(page)
trained = networks(page, corpus, built_in, revealed)

# --- 3. The ladder ---------------------------------------------------------------------------------
st.subheader("The ladder: every model, one number")
the_ladder(page, corpus, rungs, trained, revealed)
st.markdown("#### More context: where counting runs out of names")
if revealed:
    more_context(page, corpus, trained)
else:
    st.info("How far back can counting look before it stops gaining? Predict first: counting with longer "
            "contexts appears here once you have answered the question at the end of the page"
            + (" and the answer is revealed." if page.presenter else "."), icon=":material/how_to_vote:")

# --- 4. Names from every rung ----------------------------------------------------------------------
st.subheader("Names from every rung")
page.fragment(names_from_every_rung, page, corpus, rungs, trained)   # its boxes rerun it alone

# --- 5. The question -------------------------------------------------------------------------------
ask(page, question, "ladder")
