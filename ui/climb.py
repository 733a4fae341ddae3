"""Chapter 5's climb: its four settings, the Run / One step / Reset buttons, the path those presses
have made (kept in the session, so it is still there after a visit to another page), and what the
path shows. The climbing itself is core.ascent's."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core import ascent
from core.formatting import num, sig
from ui.frame import Page
from ui.layout import row

STATE = "mle_ascent"  # the session's climb: its start, the path so far, why its last press stopped


@dataclass(frozen=True)
class Settings:
    start: tuple[float, float]  # (μ₀, σ₀)
    lr: float                   # the step size η
    steps: int                  # steps per press of Run


def settings(page: Page, data) -> Settings:
    """The start, the step size and the steps per Run, in two rows of two boxes (kept in the URL)."""
    page.url_number("ga_mu0", 45.0, 0.0, 100.0)
    page.url_number("ga_sigma0", 8.0, 0.1, 50.0)
    page.url_number("ga_eta", 0.5, 0.001, 20.0)
    page.url_number("ga_steps", 200, 1, 2000, integer=True)
    # Columns, not a row: in the narrow column of controls a row would wrap one box a line.
    (c1, c2), (c3, c4) = st.columns(2), st.columns(2)
    with c1:
        page.number_input("start μ₀", "ga_mu0", step=0.5, format="%.4g")
    with c2:
        page.number_input("start σ₀", "ga_sigma0", step=0.5, format="%.4g")
    start = (float(st.session_state.ga_mu0), float(st.session_state.ga_sigma0))
    with c3:
        page.number_input("step size η", "ga_eta", step=0.1, format="%.4g", help=_step_size_help(data, start))
    with c4:
        page.number_input("steps per Run", "ga_steps", step=50)
    return Settings(start, float(st.session_state.ga_eta), int(st.session_state.ga_steps))


def _step_size_help(data, start: tuple[float, float]) -> str:
    """Which steps are too large, near the top and for the first step from this start."""
    at_top, from_start = ascent.step_limits(data), ascent.step_limits(data, *start)
    narrow = ascent.step_limits(data, start[0], 0.5)
    smaller = (f"; from σ₀ = 0.5 it would be only {sig(narrow.safe, 2)}"
               if start[1] > 0.5 and narrow.safe < from_start.safe else "")
    return (f"Near the top, a step above about {sig(at_top.overshoot)} lands past the peak: the path zig-zags "
            f"but still settles. Above {sig(at_top.unstable, 4)} (that is σ̂²/n) the top cannot hold it: near the "
            f"top each jump lands farther out than the last, so the path never settles there. Away from the top "
            f"the limit follows the bend of the surface where the point is: for the first step from this start "
            f"(μ₀ = {sig(start[0], 6)}, σ₀ = {sig(start[1], 6)}) it is {sig(from_start.safe)}{smaller}. Beyond it, "
            f"a step can throw σ onto a flat plain, where the gradient is tiny and the climb stalls far from the "
            f"top, or push σ below zero.")


def so_far(data, chosen: Settings) -> ascent.Climb:
    """The buttons, and the session's climb after this rerun's press: Run takes the steps per Run,
    One step one, Reset (or a new start) begins afresh. A full path takes no more steps and says so."""
    climb = st.session_state.get(STATE)
    if not isinstance(climb, ascent.Climb) or climb.start != chosen.start:
        climb = ascent.begin(data, chosen.start)
    buttons = row(gap="small")
    run_pressed = buttons.button("Run", key="mle_run", help="Take the number of steps set in *steps per Run*",
                                 type="primary", width="stretch")
    one_pressed = buttons.button("One step", key="mle_one", width="stretch")
    if buttons.button("Reset", key="mle_reset", width="stretch"):
        climb = ascent.begin(data, chosen.start)
    if (run_pressed or one_pressed) and climb.full:
        st.warning(f"This path already has {num(ascent.MAX_STEPS, ',')} steps, the most one path keeps. "
                   "Press Reset to start again.")
    elif run_pressed or one_pressed:
        climb = ascent.climb_on(data, climb, chosen.lr, 1 if one_pressed else chosen.steps)
    st.session_state[STATE] = climb
    return climb


def say_verdict(judged: ascent.Verdict, climb: ascent.Climb) -> None:
    """The verdict in the colour of its kind, then its lesson when there is one."""
    if judged.kind == "top":
        st.success(judged.sentence, icon=":material/check_circle:")
    elif judged.kind in ("climbing", "too_few"):
        st.info(judged.sentence, icon=":material/trending_up:" if judged.kind == "climbing" else ":material/more_horiz:")
    else:
        kept = ("" if judged.kind != "stopped" else " The path up to that point is kept."
                if climb.taken else " The point stays at the start.")
        st.warning(judged.sentence + kept, icon=":material/warning:")
    if judged.lesson is not None:
        st.info(judged.lesson, icon=":material/lightbulb:")
