"""Chapter 7: the article's bigram model on real names: counted (closed-form MLE), then trained by gradient descent."""
import streamlit as st

from core import bigram, questions, training
from core.formatting import integer, setting_tex
from ui import cached_builders as charts, frame, live_training
from ui.bigram_lead import show_lead
from ui.corpus_input import choose_corpus
from ui.counting_view import counting_section
from ui.layout import row
from ui.question import alone, answered, ask
from ui.text import literal, say
from ui.training_section import training_section

page = frame.page()

page.explain(
    """
A bigram model guesses the next character of a name from the current one alone. Its parameters
are a table: for each character *a*, a probability for every character *b* that may follow, with
'.' marking where a name starts and ends. The data are names, real ones unless you upload your
own. Their likelihood is the product of the probabilities of all their bigrams, so the NLL of
chapter 6 scores any table, and the best table is the one with the smallest average NLL.
"""
)

# --- 1. The lead and the corpus ------------------------------------------------------------
lead = st.container()  # the chapter's point, filled in once the question is known (it may give the answer)
st.subheader("The data: a corpus of names")
corpus = choose_corpus(page)
N, V = bigram.counts_for(corpus), corpus.vocab_size
say("caption", corpus.source)
counts = row()
counts.metric("names", integer(corpus.n_names))
counts.metric("bigrams (pairs, '.' included)", integer(corpus.n_bigrams))
counts.metric("vocabulary size V", V)
st.markdown("**Vocabulary:** " + literal(" ".join(corpus.itos)) + "  \n**First names:** "
            + literal(", ".join(corpus.examples)))
P_counted, counting_nll = charts.counting_model(corpus, 0.0)   # the MLE table: the floor of every NLL below

# --- 2. The counting model: the closed-form MLE --------------------------------------------
st.subheader("Counting: the maximum-likelihood table in closed form")
page.explain(
    """
For a table of probabilities, the likelihood of the corpus is largest when each row simply holds
the observed frequencies: count how often *b* follows *a*, and divide by how often *a* is followed
by anything. No search is needed. Adding *k* to every count first (smoothing) gives up a little
likelihood on the corpus so that pairs never seen do not get probability zero.
"""
)
cell = 40 if page.presenter else 32  # px per heatmap row
page.fragment(counting_section, page, corpus, N, counting_nll, cell)   # k reruns it alone

# --- 3. The network and its training ---------------------------------------------------------
st.subheader("Training: the same table found by gradient descent")
page.explain(
    f"""
Now forget the counts and let gradient descent find the table, the way a neural network learns.
Each character becomes a one-hot row; multiplied by the {V} × {V} weight matrix W it picks one row
of W, the logits. Exponentiated and normalised (a softmax), they are probabilities. The loss is the
average NLL of the next characters plus a small penalty λ on large weights; backward() gives its
gradient and W takes a step of size η against it. No W can score the corpus better than the
counted table, so the data NLL has the counting model's NLL as a floor: training that goes well
approaches it and never passes it. Whether it gets there depends on the step: too large, and it
overshoots.
"""
)
page.url_number("lr", 50.0, 1e-4, 1e6)
page.url_number("steps", 1000, 1, training.MAX_STEPS, integer=True)
page.url_number("reg", 0.01, 0.0, 10.0)
page.url_number("wseed", training.ARTICLE_SEED, 0, 2**53 - 1, integer=True)
with page.controls_row():
    page.number_input("learning rate η", "lr", step=5.0, format="%g")
    page.number_input("steps", "steps", step=100)
    page.number_input("regularisation λ", "reg", step=0.01, format="%g")
    page.number_input("seed of W", "wseed")
settings = training.TrainingSettings(float(st.session_state.lr), int(st.session_state.steps),
                                     float(st.session_state.reg), int(st.session_state.wseed))
st.code(training.article_loop(V, settings.lr, settings.reg, settings.steps), language="python")
page.formula(rf"\text{{loss}}(W) = -\frac{{1}}{{n}}\sum_{{i=1}}^{{n}} \log \operatorname{{softmax}}(x_i W)_{{y_i}}"
             rf" + {setting_tex(settings.reg, 6)} \cdot \operatorname{{mean}}(W^2), \qquad "
             rf"W \leftarrow W - {setting_tex(settings.lr, 6)}\, "
             rf"\nabla_W \text{{loss}}, \qquad W \in \mathbb{{R}}^{{{V} \times {V}}}")
# The question at the foot asks where this training ends: until it is answered, new settings
# wait for a press of Train, and the lead keeps what training reaches to itself.
question = questions.bigram_pending(corpus.fingerprint, settings, counting_nll, N,
                                    lambda: live_training.finished(corpus, N, settings),
                                    lambda: live_training.going(corpus, settings))
out, reader = answered(page, question, "bigram"), alone(page, question, "bigram")
# Train and what depends on it: one section that reruns alone.
page.fragment(training_section, page, corpus, N, P_counted, counting_nll, settings, cell, out, reader)

# --- 5. The question; the lead says what the article's training reaches once it is answered -------
# A reader's page opened trained by a link: the answer is out already (a room waits for its reveal).
shown = live_training.answer_shown(corpus, settings) if reader else None
with lead:
    show_lead(page, corpus, N, P_counted, counting_nll, out or shown is not None, settings)
ask(page, question, "bigram", shown_above=shown)
