"""A chapter's controls kept in the URL, on Streamlit's own widget state.

A control lives in the URL and survives a visit to another page because its widget says so
(`bind="query-params"`, `persist_state="session"`): `page.slider` and `page.number_input` draw it
that way. What Streamlit does not do is added here:
- a notice when a link's value is refused (not a number, out of range), and the default in use;
- a typed value out of range is moved to the nearest end, with a notice (Streamlit's own box
  would keep showing it while the page goes on with the old value);
- values that are not widgets (typed observations kept as the last good ones, page 7's
  "trained") written to the URL by hand (`url_value`, `url_data`);
- each chapter's settings as a link writes them (`settings`), for the links that carry them.
The frame's Page takes these from `UrlControls`.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import story
from core.formatting import exact
from core.parsing import DataError, Parsed, format_observations, parse_number, parse_observations
from core.text import shortened
from ui import room
from ui.layout import row
from ui.text import say

KEEP = "session"                  # persist_state of every control: it survives a visit to another page
_LINKED = "frame_linked"          # {chapter path: {url key: its default as a link writes it}}
_LINK, _TYPED = ":material/link:", ":material/straighten:"   # the icons of notices about a link, a typed value
_LATER = "frame_later"            # notices and corrected values carried over a rerun asked for here
_RESTORING = "frame_restoring"    # the chapter whose run by the browser's history is being rerun


@dataclass(frozen=True)
class Spec:
    """A control kept in the URL: its default and the values a link or a box may give it."""
    default: float
    lo: float
    hi: float
    integer: bool = False

    def parse(self, raw: str | None, name: str) -> Parsed:
        return parse_number(raw, self.default, self.lo, self.hi, integer=self.integer, name=name)


class UrlControls:
    chapter: story.Chapter
    arrived: bool                 # the first run on this page since another page (or of the session)
    checks_link: bool             # arrived, or follows a run cut short to put a link's value right (never
                                  # in a section's own rerun: frame._section)
    _specs: dict[str, Spec]       # the declared controls (url_number), by URL key
    _by_hand: list[str]           # URL keys that are not widgets
    _said: list[str]              # the notices about the link drawn on this run
    _unlinked: list[str]          # what of the view a link cannot carry
    _under_row: list[tuple[str, str]] | None  # inside controls_row: (icon, notice) of its controls, drawn under it

    def url_number(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """Declare a control kept in the URL: its default and the range a link or a box may give
        it. Draw it with `slider` or `number_input`."""
        self._specs[key] = Spec(default, lo, hi, integer)
        _linked_keys(self.chapter)[key] = _url_text(default)
        followed = room.followed(self.chapter)
        if followed is not None:   # a phone following the presenter: the presenter's value, or the default
            st.session_state[key] = self._specs[key].parse(followed.get(key), key).value
        elif self.checks_link and key not in self._by_hand:
            # A value Streamlit cannot use is dropped from the URL; one out of range is put back
            # to the default (number_input): either way the page says so, here.
            self._note(self._specs[key].parse(st.query_params.get(key), key).notice)

    def url_value(self, key: str, default: float, lo: float, hi: float, *, integer: bool = False) -> None:
        """A value kept in the URL that is no widget (the page sets st.session_state[key] itself)."""
        self._by_hand.append(key)
        self.url_number(key, default, lo, hi, integer=integer)
        raw = st.query_params.get(key)
        if room.followed(self.chapter) is not None:
            return        # a phone following a room: url_number gave it the presenter's value, not the link's
        if (self.arrived and raw is not None) or key not in st.session_state:
            parsed = self._specs[key].parse(raw, key)
            self._note(parsed.notice)
            st.session_state[key] = parsed.value

    def slider(self, label: str, key: str, *, lo: float | None = None, hi: float | None = None, **widget) -> None:
        """A slider over the declared range (or [lo, hi], a range of these data), in the URL."""
        spec = self._specs[key]
        lo, hi = spec.lo if lo is None else lo, spec.hi if hi is None else hi
        default = min(max(spec.default, lo), hi)
        raw = st.query_params.get(key)
        if self.checks_link and spec.parse(raw, key).notice is None and raw is not None:
            # A link's value that fits the declared range but not this run's (the data's) range
            self._note(Spec(default, lo, hi, spec.integer).parse(raw, key).notice)
        self._put_back(key, lo, hi)
        st.slider(label, lo, hi, default, key=key, bind="query-params", persist_state=KEEP, **widget)

    def number_input(self, label: str, key: str, *, lo: float | None = None, hi: float | None = None,
                     default: float | None = None, step: float | None = None, integer: bool | None = None,
                     **widget) -> None:
        """A number box whose range is checked here, not in the browser: any number may be typed,
        one out of range is moved to the nearest end, the box shows the value in use, and a notice
        under it says what happened. A declared control (url_number) is kept in the URL; otherwise
        give lo, hi and default, and it is kept for the session only."""
        in_url = key in self._specs
        spec = self._specs[key] if in_url else Spec(default, lo, hi, bool(integer))
        later = st.session_state.get(_LATER, {})
        corrected = key in later.get("values", {})
        if corrected:
            st.session_state[key] = later["values"].pop(key)
        step = (int(step) if spec.integer else float(step)) if step is not None else (1 if spec.integer else 0.01)
        default_value = int(spec.default) if spec.integer else float(spec.default)
        self._put_back(key, spec.lo, spec.hi)   # a kept value outside a range that moved with other controls
        st.number_input(label, value=default_value, step=step, key=key, on_change=_bounded, args=(key, label, spec),
                        bind="query-params" if in_url else None, persist_state=KEEP, **widget)
        if corrected and in_url:
            # Streamlit drops the refused value from its copy of the URL without telling the
            # browser, whose address bar would keep showing it: send the address as it now is.
            # Like Streamlit's own refusal of a slider's value, this adds a history entry: Back
            # goes to the refused link first, which is put right again.
            st.query_params.update()
        value = st.session_state[key]
        if value is not None and not spec.lo <= value <= spec.hi:
            # Only a link gets here (a typed value was moved by _bounded, a kept one by _put_back):
            # Streamlit's box has no range of its own, so put the default in place before the box
            # is drawn again.
            later = st.session_state.setdefault(_LATER, {})
            later.setdefault("values", {})[key] = min(max(default_value, spec.lo), spec.hi)
            later["notices"] = self._said
            st.rerun()
        notice = later.get("typed", {}).pop(key, None)
        if notice:
            self._say(_TYPED, notice)

    @contextmanager
    def controls_row(self):
        """Controls side by side, drawn inside the `with` block: one element (ui/layout.row), where
        columns take one per control and one more. Their boxes line up at the bottom where a long
        label wraps on a phone. A control's notice comes under the row, not beside it in the row."""
        outer, self._under_row = self._under_row, []
        try:
            with row(gap="small", vertical_alignment="bottom"):
                yield
        finally:
            notices, self._under_row = self._under_row, outer
        for icon, notice in notices:
            self._say(icon, notice)   # under this row, or under the row around it

    def _say(self, icon: str, notice: str) -> None:
        """A notice, plain text: here, or under the row of controls being drawn."""
        if self._under_row is not None:
            self._under_row.append((icon, notice))
        else:
            say("warning", notice, icon=icon)

    def url_data(self, key: str, default: tuple[float, ...]) -> bool:
        """Observations typed as text, kept in the URL as the last good ones (the box a visitor
        types in is another key, so a typo never reaches the link). A bad value in the link falls
        back to the default with a notice. True when this call set them (from the link or the default)."""
        if key in self._by_hand:
            return False      # taken already on this run (a page may ask early, for its notice)
        self._by_hand.append(key)
        _linked_keys(self.chapter)[key] = format_observations(default)
        raw = st.query_params.get(key)
        followed = room.followed(self.chapter)
        if followed is not None:
            raw = followed.get(key, format_observations(default))
        elif key in st.session_state and not (self.arrived and raw is not None and raw != st.session_state[key]):
            return False
        text = format_observations(default)
        if raw:
            try:
                text = format_observations(parse_observations(raw))
            except DataError as err:
                self._note(f"'{key}={shortened(raw)}' could not be used: {err} Using the article's data.")
        st.session_state[key] = text
        return True

    def not_in_link(self, what: str) -> None:
        """Part of the view that no link can carry (an uploaded file, a path of steps): the QR
        code's box says so."""
        self._unlinked.append(what)

    def url_params(self) -> dict[str, str]:
        """The view's parameters as a link writes them (the QR code's), defaults left out."""
        return settings(self.chapter)

    def _put_back(self, key: str, lo: float, hi: float) -> None:
        value = st.session_state.get(key)
        if value is not None and not lo <= value <= hi:
            st.session_state[key] = min(max(value, lo), hi)

    def _note(self, notice: str | None) -> None:
        """A notice about a value in the link: plain text, drawn literally (it quotes the link)."""
        if notice and notice not in self._said:   # a rerun the frame asked for reads the link again
            self._said.append(notice)
            self._say(_LINK, notice)

    def _write_url(self) -> None:
        """The values that are no widgets written to the URL (defaults left out)."""
        for key in self._by_hand:
            text = _url_text(st.session_state[key])
            if text == _linked_keys(self.chapter)[key]:
                st.query_params.pop(key, None)
            elif st.query_params.get(key) != text:
                st.query_params[key] = text


def settings(chapter: story.Chapter) -> dict[str, str]:
    """`chapter`'s settings as the visitor left them, as a link writes them, defaults left out."""
    return {k: text for k, d in _linked_keys(chapter).items()
            if k in st.session_state and (text := _url_text(st.session_state[k])) != d}


def emptied_by_history(chapter: story.Chapter) -> bool:
    """True when the browser went back (or forward) to an address of `chapter` that lacks a
    setting the session holds. Streamlit 1.67 writes such entries of its own: on a change of page,
    the address of the page left without the values bound to the URL, and on an arrival by the
    sidebar, the new page's bare address before the one with its kept values. It would draw such
    an entry with those values at their defaults and keep them; a rerun before the controls are
    drawn keeps the session's values, and Streamlit writes them into its entry (docs/architecture.md:
    a private flag). So Back never puts a kept setting back to its default (an entry made while it was
    at its default looks the same). Once per such run, so that no later Streamlit can turn it
    into a loop."""
    if st.session_state.pop(_RESTORING, None) == chapter.path:
        return False      # the rerun this asked for
    ctx = get_script_run_ctx()
    emptied = bool(ctx is not None and ctx.is_history_navigation
                   and any(key not in st.query_params for key in settings(chapter)))
    if emptied:
        st.session_state[_RESTORING] = chapter.path
    return emptied


def carried_notices(arrived: bool) -> list[str] | None:
    """Say the notices of a run cut short to put a link's value right (number_input), and return
    them: they are this run's too, in case another box cuts it short; None if the last run was not
    cut short. A visitor who arrived from another page drops what was carried for the page left behind."""
    if arrived:
        st.session_state.pop(_LATER, None)
        return None
    notices = st.session_state.get(_LATER, {}).pop("notices", None)
    if notices is None:
        return None
    for notice in notices:
        say("warning", notice, icon=_LINK)
    return notices


def _bounded(key: str, label: str, spec: Spec) -> None:
    """A number box's change: a value out of range is moved to the nearest end, with a notice."""
    value = st.session_state[key]
    if value is None or spec.lo <= value <= spec.hi:
        return
    used = spec.lo if value < spec.lo else spec.hi
    used = int(used) if spec.integer else float(used)
    st.session_state[key] = used
    side = "below" if value < spec.lo else "above"
    st.session_state.setdefault(_LATER, {}).setdefault("typed", {})[key] = (
        f"“{label}” takes values from {exact(spec.lo)} to {exact(spec.hi)}. {exact(value)} is {side} "
        f"that, so the page uses {exact(used)}.")


def _url_text(value) -> str:
    """A value as a link writes it: a number as typed (formatting.exact), text as it is."""
    return value if isinstance(value, str) else exact(value)


def _linked_keys(chapter: story.Chapter) -> dict[str, str]:
    """The URL keys of `chapter` with their defaults, as met on its runs this session."""
    return st.session_state.setdefault(_LINKED, {}).setdefault(chapter.path, {})
