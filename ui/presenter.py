"""What presenter mode adds to every page: the clicker's keys, and the code the audience scans.

Keys. A presentation clicker sends PageDown / PageUp (some send → / ←). In presenter mode each
of those is the keyboard shortcut of a button (Streamlit's `shortcut`) that goes to the next or
previous chapter. Streamlit ignores a shortcut while the focus is in any <input>, <textarea> or
<select>. Only a text box should keep the keys, though: a checkbox, a toggle or a radio button
keeps the focus after it is clicked (ticking a box, picking an answer), and a slider after it is
dragged, and the clicker's next press would then do nothing, or move the slider. So in presenter
mode a small script of ours (_CLICKER_KEYS) hands the keys pressed on those to the chapter
buttons: all four on a checkbox or radio button, PageDown / PageUp on a slider (whose arrows still
move it). The buttons sit in a container the presenter CSS hides: the visible way through the
story stays the ← previous / next → links at the foot of the page. Reading mode leaves the keys
alone, so PageDown still scrolls a long page there.

The code. Under the title, "Follow on your phone" holds a QR code of this view: this page with
its parameters, at the address the presenter's browser shows (`st.context.url`, right behind any
proxy or path prefix). It is drawn by segno on this machine (core.share) and follows the controls.
"""
from __future__ import annotations

import streamlit as st

from core import share, story
from ui import cached_builders, room
from ui.text import say

_GO = "frame_go"                  # the chapter a key asked for; the next run switches to it
KEYS_BOX = "frame_keys"           # the hidden container of the key buttons (CSS class st-key-frame_keys)
SHARE_BOX = "frame_share"         # the "Follow on your phone" expander (its open state)
_SHARE_OPEN = "frame_share_open"  # that state, kept across pages (the expander's own is dropped)
LINK_BOX = "frame_share_link"     # the container of the link text
# (shortcut, key of its button) for each direction
NEXT_KEYS = (("PageDown", "frame_next"), ("Right", "frame_next_arrow"))
PREVIOUS_KEYS = (("PageUp", "frame_previous"), ("Left", "frame_previous_arrow"))

# Our own fixed CSS: the key buttons hidden (still mounted, so their shortcuts listen), and the
# link beside the code broken anywhere, large enough to copy from the back of a room.
_KEYS_CSS = f"""
.st-key-{KEYS_BOX} {{ display: none; }}
.st-key-{LINK_BOX} code {{ word-break: break-all; white-space: pre-wrap !important; font-size: 1.3rem; }}
"""

# Our own fixed CSS for presenter mode (never user text): larger type and wider content for a
# projector, and the above.
PAGE_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stMarkdownContainer"] th, [data-testid="stMarkdownContainer"] td { font-size: 1.35rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
.katex { font-size: 1.6em; }
h1 { font-size: 3.2rem !important; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.3rem !important; }
[data-testid="stSliderThumbValue"], [data-testid="stSliderTickBar"] { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 2rem 3rem 3rem 3rem; }
[data-testid="stCaptionContainer"] { font-size: 1.1rem; }
[data-testid="stSidebar"][data-collapsed="false"] { width: 520px !important; }
""" + _KEYS_CSS + """
</style>
"""


# Our own fixed script (no visitor text in it), installed once per browser tab: the clicker's keys
# pressed on a checkbox, a radio button or a slider go to the chapter buttons, if the page has them
# (presenter mode).
_CLICKER_KEYS = """
<script>
if (!window.likelihoodClickerKeys) {
  window.likelihoodClickerKeys = true;
  const pages = {PageDown: "frame_next", PageUp: "frame_previous"};
  const all = {...pages, ArrowRight: "frame_next_arrow", ArrowLeft: "frame_previous_arrow"};
  const handed = {checkbox: all, radio: all, range: pages};
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || !(target.type in handed)) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const key = handed[target.type][event.key];
    const button = key && document.querySelector(".st-key-" + key + " button");
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    target.blur();
    button.click();
  }, true);
}
</script>
"""


def _ask(chapter: story.Chapter) -> None:
    st.session_state[_GO] = chapter


def follow_key(link_params) -> None:
    """Go where a key asked (called first thing in a run: the page is not drawn at all).
    `link_params(chapter)`: the query of a link to it, with its settings as left."""
    chapter = st.session_state.pop(_GO, None)
    if chapter is not None:
        st.switch_page(chapter.path, query_params=link_params(chapter))


def keys(chapter: story.Chapter) -> None:
    """The clicker's keys for this chapter: buttons with shortcuts, in a hidden container."""
    before, after = story.neighbours(chapter)
    with st.container(key=KEYS_BOX):
        st.html(_CLICKER_KEYS, unsafe_allow_javascript=True)
        for target, bindings, word in ((after, NEXT_KEYS, "Next"), (before, PREVIOUS_KEYS, "Previous")):
            if target is None:
                continue
            for shortcut, key in bindings:
                st.button(f"{word}: {target.title}", key=key, shortcut=shortcut, on_click=_ask, args=(target,))


def hint(chapter: story.Chapter) -> None:
    """The keys in a line at the foot of the page."""
    before, after = story.neighbours(chapter)
    parts = (["PageDown or → next chapter"] if after else []) + (["PageUp or ← previous"] if before else [])
    st.caption(" · ".join(parts) + " (a clicker's keys; not while typing in a box, and the arrows move a "
               "slider that has the focus)")


def _remember_share() -> None:
    st.session_state[_SHARE_OPEN] = st.session_state[SHARE_BOX]


def share_box():
    """The "Follow on your phone" expander under the title, open unless the presenter closed it;
    filled by draw_share() at the end of the run, when the page's parameters are known."""
    if SHARE_BOX not in st.session_state:
        st.session_state[SHARE_BOX] = st.session_state.get(_SHARE_OPEN, True)
    return st.expander("Follow on your phone", key=SHARE_BOX, icon=":material/qr_code_2:",
                       on_change=_remember_share)


def draw_share(box, params: dict[str, str], unlinked: list[str]) -> None:
    """Draw into `box` the QR code and its link in text beside it: with a room open, the link
    that joins it (phones then follow this screen); without, the link of this view as it is now.
    Say what of the view a link cannot carry (`unlinked`: an uploaded file, a path of steps)."""
    here = st.context.url
    with box:
        room.room_controls()
        if not here:
            st.caption("The address of this page is not known yet: it comes from the browser with the next "
                       "change of a control.")
            return
        opened = room.presenting()
        link = share.Share(room.join_link(here), ()) if opened else share.view_url(here, params)
        code, words = st.columns([2, 3], vertical_alignment="center")
        code.image(cached_builders.qr_png(link.url), width="stretch",
                   alt="QR code of the link beside it: " + ("it joins this room." if opened else
                       "this page with the controls as they are now."))
        with words:
            if opened:
                st.markdown("**Scan the code to follow this screen on your phone.**")
            else:
                st.markdown("**Scan the code to open this view on your phone.**")
            with st.container(key=LINK_BOX):
                # As code: shown as its characters (its parameters may hold what a visitor typed),
                # with nothing added, so that a copied link is the link; the box has a copy button.
                st.code(link.url, language=None, wrap_lines=True)
            if opened:
                st.caption("Phones in the room follow every change of chapter and control within a second or "
                           "two, and vote on each chapter's question before you reveal it.")
            else:
                st.caption("The code follows the controls: scan it again after a change to get the new view. "
                           "Phones open the page in reading mode, with its explanations.")
            if unlinked:
                say("caption", f"A link cannot carry {' or '.join(unlinked)}: a phone that scans the code "
                               "opens the page without them.")
            if link.left_out:
                say("caption", f"Too long for a code a phone can read from afar, so left out of the link: "
                               f"{', '.join(link.left_out)}. The phone shows the page's default there.")
