from urllib.parse import parse_qs

from core import story
from pagetest import open_page
from ui.text import read_back


def main_links(at) -> list:
    """The page links of the main area (the chapter list and the foot's next link), in order."""
    return list(at.main.get("page_link"))


def test_home_lists_every_chapter_in_order():
    at = open_page("pages/0_Start_here.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Start here" == at.title[0].value
    assert not at.error and not at.warning
    assert "gradient descent" in text
    assert "The chapters" in [s.value for s in at.subheader]
    links = main_links(at)
    listed, foot = links[:len(story.CHAPTERS)], links[len(story.CHAPTERS):]
    # The list: one link per chapter in story order, each with its title and icon, to its own page
    # (the page's URL name and the script it runs).
    assert [(link.proto.label, link.proto.icon, link.proto.page) for link in listed] == [
        (c.title, c.icon, c.url_path) for c in story.CHAPTERS]
    hashes = [link.proto.page_script_hash for link in listed]
    assert len(set(hashes)) == len(story.CHAPTERS) and all(hashes)
    # The sidebar: Streamlit's own navigation over the session's pages, the same story in the same order.
    pages = at.session_state["frame_pages"]
    assert [(p.title, p.icon, p.url_path) for p in pages] == [(c.title, c.icon, c.url_path) for c in story.STORY]
    assert not at.sidebar.get("page_link")
    assert not any(link.proto.query_string for link in listed)   # nothing visited yet: no parameters
    # Then the foot: home comes first in the story, so its only link there is "next", to chapter 1.
    assert [(link.proto.page, link.proto.page_script_hash) for link in foot] == [
        (story.CHAPTERS[0].url_path, hashes[0])]
    assert foot[0].proto.label.startswith(story.CHAPTERS[0].title)


def test_home_links_carry_each_chapter_as_it_was_left():
    at = open_page("pages/1_Probability.py")
    at.slider(key="mu").set_value(70.0).run()
    at.query_params.clear()
    at.switch_page("pages/0_Start_here.py").run()
    links = {link.proto.label: link.proto.query_string for link in main_links(at)}
    assert parse_qs(links["1 · Probability"])["mu"] == ["70"]
    assert links["2 · Likelihood"] == ""


def test_presenter_link_hides_long_explanations():
    normal = open_page("pages/0_Start_here.py")
    presenter = open_page("pages/0_Start_here.py", present="1")
    assert presenter.toggle(key="presenter_toggle").value is True
    assert len(presenter.markdown) < len(normal.markdown)
    assert presenter.query_params["present"] == "1"


def test_presenter_mode_names_the_clicker_keys_at_the_foot():
    at = open_page("pages/0_Start_here.py", present="1")
    hint = " ".join(read_back(c.value) for c in at.caption)
    assert "PageDown or → next chapter" in hint and "PageUp" not in hint   # home has no previous page
    assert [b.key for b in at.button if b.key and b.key.startswith("frame_")] == ["frame_next", "frame_next_arrow"]
    at.button(key="frame_next").click().run()
    assert at.title[0].value == story.CHAPTERS[0].title.split("· ")[-1]


def test_every_run_names_the_tab_icon_before_the_navigation(monkeypatch):
    """The browser takes the tab's icon from the first message that names one, and the navigation's
    pages name Material icons, which it would fetch from a public font server. A run cut short (here
    a link's value out of range, which reruns at once) never reaches the browser, so every run, not
    only a session's first, names the app's own icon before the navigation."""
    import streamlit as st

    from ui import frame

    events: list[tuple[str, object]] = []

    def spy(name, real):
        def call(*args, **kwargs):
            events.append((name, kwargs.get("page_icon")))
            return real(*args, **kwargs)
        return call
    monkeypatch.setattr(frame, "route", spy("run", frame.route))
    monkeypatch.setattr(st, "set_page_config", spy("tab", st.set_page_config))
    monkeypatch.setattr(st, "navigation", spy("navigation", st.navigation))
    at = open_page("pages/1_Probability.py", n="5000000")
    assert "n=5000000" in " ".join(read_back(w.value) for w in at.warning)   # the link's value was put right
    runs = [i for i, (name, _) in enumerate(events) if name == "run"]
    assert len(runs) >= 2
    for start, end in zip(runs, runs[1:] + [len(events)]):
        run = events[start:end]
        first_nav = next(i for i, (name, _) in enumerate(run) if name == "navigation")
        assert any(name == "tab" and str(icon).endswith(".svg") for name, icon in run[:first_nav]), run


def test_the_browsers_back_to_an_entry_without_a_chapters_settings_reruns_once_and_keeps_them(monkeypatch):
    """url_controls.emptied_by_history with the run's history flag faked on for every run, as if a
    later Streamlit kept it through st.rerun(): the arrival reruns once, not forever, and the
    chapter shows the session's value (the browser test does it with Streamlit's own flag)."""
    from types import SimpleNamespace

    from ui import url_controls

    at = open_page("pages/1_Probability.py", mu="53")
    at.switch_page("pages/2_Likelihood.py").run()
    monkeypatch.setattr(url_controls, "get_script_run_ctx", lambda: SimpleNamespace(is_history_navigation=True))
    answers, emptied = [], url_controls.emptied_by_history
    monkeypatch.setattr(url_controls, "emptied_by_history", lambda c: answers.append(emptied(c)) or answers[-1])
    for key in list(at.query_params):
        del at.query_params[key]          # the entry Streamlit writes: the address without mu
    at.switch_page("pages/1_Probability.py").run(timeout=30)   # a loop of reruns would not end
    assert not at.exception
    assert answers == [True, False]       # the arrival asked for a rerun; the rerun did not ask again
    assert at.slider(key="mu").value == 53
    assert "frame_restoring" not in at.session_state
