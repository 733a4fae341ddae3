"""The app: run with `streamlit run app.py`.

The pages are the scripts in pages/, in story order (core/story.py): the start page and one per
chapter. This file routes to them and draws the frame they share (ui/frame.py).
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

    from core.memory import hand_back_large_blocks
    from ui.warmup import lifespan

    # A 27 x 27 training step is too small to gain from threads; on a shared 2-core server torch's own
    # thread pool only fights the sessions' threads (1000 steps: 0.18 s with 1 thread, up to 5 s with 2).
    torch.set_num_threads(1)
    # Large temporaries handed back as soon as they are freed: a lower peak when a class arrives at
    # once (core/memory.py).
    hand_back_large_blocks()

    async def training_cache(request):
        """The visitors' training cache counters as JSON, for the load tests (kept off the pages)."""
        from core.shared_run import CACHE

        return JSONResponse(CACHE.counters())

    def room_version(request):
        """A following phone's watch asks this about once a second (ui/room.py: version_answer).
        A plain function: Starlette runs it in a worker thread, so Redis never holds up the server."""
        from ui.room import version_answer

        return version_answer(request)

    app = st.App(__file__, lifespan=lifespan, routes=[Route("/training-cache", training_cache),
                                                      Route("/room-version/{code}", room_version)])
else:
    # The router and the frame: st.navigation picks the chapter the URL asks for; the frame draws
    # the tab, the sidebar in story order, presenter mode and the title before it, and the
    # previous / next links, the clicker's keys and the QR code after it (ui/frame.py).
    from ui import frame

    frame.route()
