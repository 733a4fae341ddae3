"""Home page: what the dashboard teaches and the way through it.

Run with `streamlit run app.py`. The chapters are the scripts in pages/, in story order
(core/story.py); ui/frame.py draws the navigation around each of them.
"""
import streamlit as st

if __name__ != "__main__":
    # `streamlit run app.py` first imports this file to look for an st.App and serves the one it
    # finds: its lifespan warms the server (imports, default corpus, every page once) before it
    # answers any request, health checks included (ui/warmup.py, docs/hosting.md). Then it runs
    # the file as the home page, as "__main__", which skips this block.
    import torch
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from ui.warmup import lifespan

    # A 27 x 27 training step is too small to gain from threads; on a shared 2-core server torch's own
    # thread pool only fights the sessions' threads (1000 steps: 0.18 s with 1 thread, up to 5 s with 2).
    torch.set_num_threads(1)

    async def training_cache(request):
        """The visitors' training cache counters as JSON, for the load tests (kept off the pages)."""
        from core.shared_run import CACHE

        return JSONResponse(CACHE.counters())

    app = st.App(__file__, lifespan=lifespan, routes=[Route("/training-cache", training_cache)])
else:
    from core import story
    from ui import frame

    page = frame.start(__file__, lead="From the area under a bell curve to the loss that trains a language model.")

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
        st.page_link(chapter.path, label=chapter.title, icon=chapter.icon, query_params=frame.link_params(chapter))

    page.explain(
        """
    **For teachers.** Switch on *Presenter mode* in the sidebar (or add `?present=1` to any link) for
    large type, large charts and no long paragraphs. Each chapter ends with links to the previous and
    next one. In presenter mode a presentation clicker walks the story too (PageDown or → to the next
    chapter, PageUp or ← to the previous one), and under each title *Follow on your phone* shows a QR
    code of the view on screen, which the audience scans to open the same view on their phones.
    """
    )
    page.finish()
