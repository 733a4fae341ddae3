"""The start page: what the dashboard teaches and the way through it."""
import streamlit as st

from core import story
from ui import frame

page = frame.page()
page.explain(
    """
This dashboard walks one idea from start to finish. A probability model assigns numbers to
outcomes; turned around, those same numbers score how well a model explains data we already
have. Taking logs makes the score easy to compute, its maximum gives the best parameters, and
its negative is the loss that gradient descent lowers when a neural network learns.

Every number on every page is computed live from the controls in front of you. Change a
control and watch the figures move; copy the address bar to share exactly what you see.
"""
)

st.subheader("The chapters")
for chapter in story.CHAPTERS:
    # Each link carries its chapter's controls as the visitor left them (none before a first visit).
    frame.link(chapter, chapter.title, chapter.icon)

page.explain(
    """
**For teachers.** Switch on *Presenter mode* in the sidebar (or add `?present=1` to any link) for
large type, large charts and no long paragraphs. Each chapter ends with links to the previous and
next one. In presenter mode a presentation clicker walks the story too (PageDown or → to the next
chapter, PageUp or ← to the previous one), and under each title *Follow on your phone* shows a QR
code of the view on screen, which the audience scans to open the same view on their phones.
"""
)
