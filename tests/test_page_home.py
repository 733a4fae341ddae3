from core import story
from pagetest import open_page


def test_home_lists_every_chapter_in_order():
    at = open_page("app.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Start here" == at.title[0].value
    assert len(story.CHAPTERS) == 7
    assert not at.error and not at.warning
    assert "likelihood" in text.lower()


def test_presenter_link_hides_long_explanations():
    normal = open_page("app.py")
    presenter = open_page("app.py", present="1")
    assert presenter.toggle(key="presenter_toggle").value is True
    assert len(presenter.markdown) < len(normal.markdown)
    assert presenter.query_params["present"] == "1"
