"""The corpus box of the bigram page: the built-in US baby names, or the visitor's own file.

The corpus in use is the last *good* one: a bad file or impossible year range shows why and
changes nothing. An upload is read from memory (Streamlit keeps uploads in memory) and is
never written to disk; it is parsed once, when a new file arrives, not on every rerun, and the
session keeps only the parsed corpus (its counts and a little more, core.corpus), never the bytes.
Every refusal is the app's own sentence, with what to do about it, and a new file replaces it.
A file over Streamlit's wall never reaches the app (the browser refuses it, and no rerun follows):
the browser itself then swaps the app's message about the file before for one that names no file.
"""
from __future__ import annotations

import streamlit as st

from core import baby_names, corpus as corpora, names_file
from core.formatting import integer
from ui.cached_builders import default_corpus, parse_upload
from ui.frame import Page
from ui.text import literal, say

_FILE = "corpus_file"              # the uploader widget
_SEEN = "corpus_file_seen"         # id of the last file looked at
_UPLOADED = "corpus_uploaded"      # ParsedNames of the last good upload
_UPLOAD_ERROR = "corpus_upload_error"
_DEFAULT = "corpus_default"        # (from, to, n) of the last good built-in choice
CHOOSE = "Choose the names: the built-in ones by year, or your own file"
_BOX = "corpus_upload_box"         # the container around the uploader (CSS class st-key-<key>)
_MESSAGE = "corpus_upload_message"  # the container of the refusal: two paragraphs, one shown at a time
# Streamlit writes its own wall under the button ("6MB per file"): hidden, so that the one limit a
# visitor reads is the app's. A file over that wall is refused by the browser, which marks its chip
# aria-invalid and tells the server nothing. While the chip of the file chosen last (the last one in
# the box) is such a chip, the refusal's first paragraph (about the file the app read last, by its
# name) gives way to its second (naming none).
_REFUSED = f".st-key-{_BOX} [data-testid='stFileChips'] > div > div:last-child [aria-invalid='true']"
_SAID = f".st-key-{_MESSAGE} [data-testid='stMarkdownContainer'] p"
_WALL_CSS = (f"<style>.st-key-{_BOX} [data-testid='stFileUploaderDropzoneInstructions'] {{display: none;}} "
             f"{_SAID}:last-child {{display: none;}} "
             f"[data-testid='stMain']:has({_REFUSED}) {_SAID}:first-child {{display: none;}} "
             f"[data-testid='stMain']:has({_REFUSED}) {_SAID}:last-child {{display: block;}}</style>")


def choose_corpus(page: Page) -> corpora.Corpus:
    """Draw the corpus controls and return the corpus in use."""
    lo, hi = baby_names.DEFAULT_YEARS
    page.url_number("years_from", lo, lo, hi, integer=True)
    page.url_number("years_to", hi, lo, hi, integer=True)
    page.url_number("names", baby_names.DEFAULT_N_NAMES, 1, 200_000, integer=True)

    # Folded: the page leads with its point; the corpus in use is said under it, and messages
    # about a file stay outside, where they are seen without opening the box.
    with st.expander(CHOOSE, expanded=False):
        with st.container(key=_BOX):
            # The browser refuses files over max_upload_size itself, unseen by the app; it is set just
            # above the app's limit (core.names_file.UPLOAD_WALL_MB) so that the app reads every file up to
            # it and refuses those just over in its own words.
            st.html(_WALL_CSS)   # style only: applied without an element on the page
            file = st.file_uploader(
                "Your own names: a UTF-8 text file, one name per line (like the well-known names.txt), "
                f"up to {names_file.MAX_UPLOAD_TEXT}",
                key=_FILE, max_upload_size=names_file.UPLOAD_WALL_MB,
                help="Blank lines, stray spaces and Windows line endings are cleaned up; upper case becomes "
                     "lower case. The file stays in memory.")
        _read_upload(file)
        uploaded = st.session_state.get(_UPLOADED)

        locked = uploaded is not None
        with page.controls_row():
            page.number_input("built-in names born from", "years_from", step=1, disabled=locked)
            page.number_input("… to (inclusive)", "years_to", step=1, disabled=locked)
            page.number_input("keep the most given", "names", step=1000, disabled=locked)

    if st.session_state.get(_UPLOAD_ERROR):
        using = f"Still using {uploaded.corpus.source if uploaded else 'the built-in names'}."
        over_wall = (f"The file chosen last is larger than {names_file.MAX_UPLOAD_TEXT}, so the browser did not send "
                     f"it (it is marked in the box above). Choose a file of names up to {names_file.MAX_UPLOAD_TEXT}.")
        with st.container(key=_MESSAGE):   # plain text (ui.text.literal), the second paragraph hidden by _WALL_CSS
            st.error(literal(f"{st.session_state[_UPLOAD_ERROR]} {using}") + "\n\n" + literal(f"{over_wall} {using}"),
                     icon=":material/error:")
    if uploaded is not None:
        page.not_in_link("uploaded names")
        say("info", uploaded.report.summary(), icon=":material/upload_file:")
        st.button("Use the built-in names again", key="builtin_names", on_click=_forget_upload,
                  icon=":material/undo:")
        return uploaded.corpus
    return _built_in()


def _read_upload(file) -> None:
    if file is None:
        if getattr(st.session_state.get(_FILE), "file_id", "") == st.session_state.get(_SEEN):
            return   # the file read last, whose bytes were handed back (_hand_back): no change
        # Not a signal to drop the corpus: replacing a file makes the uploader report "no file"
        # for one rerun before the new one arrives. Going back is the button's job.
        st.session_state.pop(_SEEN, None)
        st.session_state.pop(_UPLOAD_ERROR, None)
        return
    if st.session_state.get(_SEEN) == file.file_id:
        return
    st.session_state[_SEEN] = file.file_id
    try:
        problem = names_file.size_problem(file.size)   # before reading a byte of it
        if problem:
            raise corpora.CorpusError(problem)
        st.session_state[_UPLOADED] = parse_upload(file.getvalue(), source=f"“{file.name}”")
        st.session_state[_UPLOAD_ERROR] = None
    except corpora.CorpusError as err:
        # Plain text, drawn with say(): the file's name and the reason are shown as given.
        st.session_state[_UPLOAD_ERROR] = f"“{file.name}” cannot be used: {err}"
    finally:
        _hand_back(file)


def _hand_back(file) -> None:
    """Free the upload's bytes once read: the corpus is all the page needs. Streamlit keeps them
    for as long as the file sits in the widget, and in 1.67 for good after the session expires
    (an expired session is dropped without its shutdown, which is what deletes its files).
    On the next rerun the widget reports the file as deleted, with the same id (see above).
    Streamlit's internals: if they change, the bytes simply stay, as before."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, file.file_id)
        file.close()   # the widget's copy of the file object shares the same bytes
    except Exception:  # noqa: BLE001  (a saving, never a failure)
        pass


def _forget_upload() -> None:
    st.session_state.pop(_UPLOADED, None)
    st.session_state.pop(_UPLOAD_ERROR, None)


def _built_in() -> corpora.Corpus:
    wanted = (st.session_state.years_from, st.session_state.years_to, st.session_state.names)
    try:
        corpus = default_corpus(*wanted)
        st.session_state[_DEFAULT] = wanted
    except corpora.CorpusError as err:
        kept = st.session_state.get(_DEFAULT, (*baby_names.DEFAULT_YEARS, baby_names.DEFAULT_N_NAMES))
        say("error", f"{err} Still using the names born {kept[0]}–{kept[1]}.", icon=":material/error:")
        corpus = default_corpus(*kept)
    if corpus.n_names < wanted[2]:
        st.caption(f"Only {integer(corpus.n_names)} different names were given in those years; all of them are used.")
    return corpus


def uploaded() -> corpora.Corpus | None:
    """This session's last good upload (chapter 8 ranks its models on it too), or None."""
    parsed = st.session_state.get(_UPLOADED)
    return None if parsed is None else parsed.corpus
