"""Rooms in AppTest (issue 21): the presenter opens a room, a phone joins it by its code and
follows the presenter's chapter and controls, votes, and sees the answer when the presenter
reveals it; nothing a phone does moves the room; a forged code is refused with a message.
The store is the server's (ui.room.store: in memory here); tests/test_rooms.py tests the store
itself against memory and Redis, tests/test_browser_room.py the same story in Chromium."""
from __future__ import annotations

import json

import pytest
import streamlit as st

from core import rooms, story
from pagetest import open_page
from ui import room
from ui.text import read_back

P1, P2 = story.CHAPTERS[0].path, story.CHAPTERS[1].path


def where(at) -> str:
    """The page the app is on now. (An AppTest asks for the page it was last switched to on
    every run; a browser stays where the app sent it: this sends the test there too.)"""
    title = at.title[0].value
    return next(c.path for c in story.STORY if c.title.split("· ")[-1] == title)


def rerun(at):
    return at.switch_page(where(at)).run()


def _question(at):
    return next(r for r in at.radio if str(r.key).startswith("question:"))


@pytest.fixture
def presenter():
    at = open_page(P1, present="1")
    at.button(key="room_open").click().run()
    assert not at.exception
    return at


def _code(presenter) -> str:
    return presenter.session_state["room_presenting"].code


def test_a_phone_joins_by_the_code_and_follows_the_controls_and_the_chapter(presenter):
    code = _code(presenter)
    assert f"Room {code}" in " ".join(m.value for m in presenter.markdown)
    phone = open_page(P1, room=code)
    assert "Following the presenter's screen" in " ".join(c.value for c in phone.caption)
    presenter.slider(key="mu").set_value(70.0).run()
    assert rerun(phone).slider(key="mu").value == 70.0
    presenter.button(key="frame_next").click().run()
    phone.run()                       # the run its watch asks for goes to the new chapter
    assert phone.title[0].value == "Likelihood"
    assert where(presenter) == P2


def test_a_phone_reopened_with_its_own_old_link_shows_the_presenters_values(presenter):
    """A phone's tab opened again with an address of its own (a reload, a tab the browser woke up,
    a link it saved while out of the room): the room's view wins over the address's values, which
    Streamlit would otherwise give the controls on a new session's first run."""
    code = _code(presenter)
    presenter.slider(key="mu").set_value(70.0).run()
    presenter.number_input(key="b").set_value(75.0).run()
    phone = open_page(P1, room=code, mu="30", b="40")
    assert phone.session_state["room_following"]["on"]
    assert (phone.slider(key="mu").value, phone.number_input(key="b").value) == (70.0, 75.0)
    assert "mu" not in phone.query_params or float(phone.query_params["mu"]) == 70


def test_a_phone_is_told_what_of_the_projectors_view_no_link_carries(presenter):
    """The presenter's climb on chapter 5 cannot be sent to a phone: the phone says so (as text),
    and stops saying it once the projector shows nothing of the kind."""
    code = _code(presenter)
    phone = open_page(P1, room=code)
    note = "The presenter's screen also has the steps climbed so far, which cannot be sent to a phone"
    presenter.switch_page(story.CHAPTERS[4].path).run()
    presenter.button(key="mle_run").click().run()
    assert room.store().view(code).unlinked == ("the steps climbed so far",)
    phone.run()
    assert phone.title[0].value == "Maximum likelihood" and note in " ".join(read_back(c.value) for c in phone.caption)
    presenter.switch_page(P1).run()
    phone.run()
    assert phone.title[0].value == "Probability" and note not in " ".join(read_back(c.value) for c in phone.caption)


def test_nothing_a_phone_does_moves_the_room(presenter):
    code = _code(presenter)
    phone = open_page(P1, room=code)
    before = room.store().view(code)
    phone.slider(key="mu").set_value(20.0).run()
    phone.button(key="frame_next").click().run() if [b for b in phone.button if b.key == "frame_next"] else None
    assert room.store().view(code) == before
    assert "room_presenting" not in phone.session_state


def test_stepping_out_keeps_the_phones_own_view_until_it_follows_again(presenter):
    code = _code(presenter)
    phone = open_page(P1, room=code)
    phone.button(key="room_step_out").click().run()
    phone.slider(key="mu").set_value(20.0).run()
    presenter.slider(key="mu").set_value(70.0).run()
    assert rerun(phone).slider(key="mu").value == 20.0          # out: its own value stays
    phone.button(key="room_follow").click().run()
    assert rerun(phone).slider(key="mu").value == 70.0          # back in: the presenter's at once


def test_the_room_votes_then_the_reveal_shows_every_phone_the_answer(presenter):
    code = _code(presenter)
    phones = [open_page(P1, room=code) for _ in range(3)]
    radio = _question(phones[0])
    options = [read_back(o) for o in radio.options]
    for phone, pick in zip(phones, (0, 0, 1)):
        _question(phone).set_value(options[pick]).run()
        assert not phone.success and not phone.error            # a vote, not an answer
        assert "counts in the room's vote" in " ".join(c.value for c in phone.caption)
    token = room.store().view(code).poll.token
    assert room.store().counts(code, token) == (2, 1, 0)
    presenter.run()                   # in a browser, the count's fragment reruns every second
    assert "3 phones in all" in " ".join(read_back(c.value) for c in presenter.caption)
    presenter.button(key="question_reveal:probability").click().run()
    for phone in phones:
        rerun(phone)
        shown = " ".join(read_back(a.value) for a in [*phone.success, *phone.error])
        assert "The answer" in shown or "Right" in shown


def test_a_phone_that_votes_again_changes_its_pick(presenter):
    code = _code(presenter)
    phone = open_page(P1, room=code)
    options = [read_back(o) for o in _question(phone).options]
    _question(phone).set_value(options[0]).run()
    _question(phone).set_value(options[2]).run()
    assert room.store().counts(code, room.store().view(code).poll.token) == (0, 0, 1)


@pytest.mark.parametrize("code", ["ABCDEFGHJK", "nope", "x" * 300, "[a](http://evil.example)"])
def test_a_forged_or_ended_code_is_refused_with_a_message(code, sidebar):
    phone = open_page(P1, room=code)
    said = " ".join(read_back(w.value) for w in phone.warning)
    assert "room cannot be joined" in said
    assert "room_following" not in phone.session_state
    assert not [a for a in phone.get("link_button")] and "evil" not in " ".join(m.value for m in phone.markdown)
    rerun(phone)   # the link still says ?room=: a reader's page all the same, chapters in the sidebar
    assert sidebar == ["sidebar", "sidebar"] and phone.sidebar.get("toggle") and phone.main.get("page_link")


def test_a_closed_room_ends_for_its_phones(presenter):
    code = _code(presenter)
    phone = open_page(P1, room=code)
    presenter.button(key="room_close").click().run()
    rerun(phone)
    assert "does not exist or has ended" in " ".join(read_back(w.value) for w in phone.warning)
    assert rerun(phone).session_state["room_following"]["on"] is False


def _explains(at) -> bool:
    return any("measured length" in m.value for m in at.markdown)


@pytest.fixture
def sidebar(monkeypatch) -> list[str]:
    """Where each run put Streamlit's navigation (AppTest has no element for it): "sidebar" or "hidden"."""
    seen, real = [], st.navigation

    def navigation(pages, **kwargs):
        seen.append(kwargs.get("position", "sidebar"))
        return real(pages, **kwargs)
    monkeypatch.setattr(st, "navigation", navigation)
    return seen


def test_a_following_phone_shows_what_the_projector_shows_and_stepping_out_brings_back_the_rest(presenter, sidebar):
    """Following: the chapter's figures, controls and question, without the sidebar (its chapters
    and the presenter-mode switch), the previous / next links or the long explanations (the
    presenter turns the pages and says them); stepped out, the phone is a reader's again."""
    phone = open_page(P1, room=_code(presenter))        # from the run that joins
    assert not _explains(phone) and sidebar[-1] == "hidden" and not phone.sidebar.get("toggle")
    assert not phone.main.get("page_link")               # no previous / next links
    rerun(phone)
    assert not _explains(phone) and sidebar[-1] == "hidden" and not phone.main.get("page_link")
    assert phone.slider(key="mu") and _question(phone)
    phone.button(key="room_step_out").click().run()
    assert _explains(phone) and sidebar[-1] == "sidebar" and phone.sidebar.get("toggle")
    assert len(phone.main.get("page_link")) == 2         # back to the start, on to Likelihood


def test_a_phone_in_a_room_with_nothing_shown_yet_is_a_follower_from_the_start(sidebar):
    """A room whose presenter has published nothing: the phone stays on its page (the empty view's
    path is not the start page), and the run that joins already has the follower's view (no
    sidebar), not half of it."""
    opened = room.store().open()
    phone = open_page(P1, room=opened.code)
    assert phone.session_state["room_following"]["on"] and phone.title[0].value == "Probability"
    assert sidebar == ["hidden"] and not phone.main.get("page_link") and not _explains(phone)


def _watch(at) -> dict | None:
    """The data of the page's room watch (ui/room_watch.js), or None when the page has none."""
    found = [e.proto for e in at.get("bidi_component") if e.proto.component_name == "room_watch"]
    return json.loads(found[0].json) if found else None


def test_a_following_phone_watches_its_room_at_its_own_interval_and_a_stepped_out_one_does_not(presenter):
    """A room's requests drift apart instead of arriving together after each move; each phone's
    watch knows the version on its screen, and one that steps out watches nothing."""
    code = _code(presenter)
    phones = [open_page(P1, room=code) for _ in range(4)]
    watches = [_watch(phone) for phone in phones]
    every = [w["every_ms"] / 1000 for w in watches]
    assert all(abs(e - room.POLL_SECONDS) <= room.POLL_SPREAD + 0.001 for e in every) and len(set(every)) > 1
    assert {(w["room"], w["seen"]) for w in watches} == {(code, room.store().version(code))}
    phones[0].button(key="room_step_out").click().run()
    assert _watch(phones[0]) is None


class _Request:
    def __init__(self, code: str):
        self.path_params = {"code": code}


def test_the_version_route_answers_a_rooms_version_and_refuses_anything_else(presenter):
    """GET /room-version/CODE (app.py): the version as JSON, never cached; 404 with the store's
    words for a code that is no room's, malformed or planted; reading never changes the room."""
    code = _code(presenter)
    before = room.store().view(code)
    answer = room.version_answer(_Request(code.lower()))
    assert answer.status_code == 200 and json.loads(answer.body) == {"version": before.version}
    assert answer.headers["cache-control"] == "no-store"
    for forged in ("ZZZZZZZZZZ", "<script>", "", "x" * 500):
        answer = room.version_answer(_Request(forged))
        assert answer.status_code == 404 and json.loads(answer.body)["error"], forged
    assert room.store().view(code) == before


class _StoreAway:
    """A store whose every read fails as Redis does when it does not answer."""
    def __getattr__(self, name):
        def away(*args, **kwargs):
            raise rooms.StoreUnavailable()
        return away


def test_a_store_away_for_a_moment_is_not_an_ended_room(presenter, monkeypatch):
    """The route answers 503 (the watch asks again), and a phone's run says so and keeps following;
    an ended room (404) steps the phone out with the store's words."""
    code = _code(presenter)
    phone = open_page(P1, room=code)
    monkeypatch.setattr(room, "store", _StoreAway)
    assert room.version_answer(_Request(code)).status_code == 503
    rerun(phone)
    assert phone.session_state["room_following"]["on"]
    assert any("unavailable" in read_back(w.value) for w in phone.warning)
    monkeypatch.undo()
    presenter.button(key="room_close").click().run()
    assert room.version_answer(_Request(code)).status_code == 404
    rerun(phone)
    assert not phone.session_state["room_following"]["on"]
    assert "Follow again" in [b.label for b in phone.button]


def test_a_following_phone_is_told_the_reveal_brings_the_held_back_figure_and_a_stepped_out_one_its_pick():
    """On a phone that follows, picking does not show the answer (the presenter's reveal does), so
    what a figure waits for is said that way; stepped out, the phone's own pick shows it."""
    presenter = open_page(P2, present="1")
    presenter.button(key="room_open").click().run()
    phone = open_page(P2, room=_code(presenter))
    held = " ".join(i.value for i in phone.info)
    assert "question at the foot of the page is revealed" in held and "picked an answer" not in held
    phone.button(key="room_step_out").click().run()
    assert "once you have picked an answer" in " ".join(i.value for i in phone.info)


def test_a_following_phone_is_not_told_to_train_when_the_presenter_changes_the_settings():
    """The presenter trains, then changes the steps: the projector waits for the room's prediction,
    and the phone, which trains only when the presenter does, says so instead of asking for Train."""
    bigram = story.by_url_path("Bigram_model").path
    presenter = open_page(bigram, present="1")
    presenter.button(key="room_open").click().run()
    phone = open_page(bigram, room=_code(presenter))
    presenter.button(key="train").click().run()
    assert "After 1,000 steps" in " ".join(read_back(c.value) for c in rerun(phone).caption)
    presenter.number_input(key="steps").set_value(200).run()
    said = " ".join(read_back(i.value) for i in rerun(phone).info)
    assert "the presenter trains next" in said and "press **Train**" not in said
    assert "After" not in " ".join(read_back(c.value) for c in phone.caption)


def test_a_phone_takes_trained_from_the_presenter_not_from_its_own_link_and_waits_after_its_own_move():
    """A phone reopened with its own URL (trained=1 from an earlier view) shows what the projector
    shows: no training once the presenter's new settings wait for the vote. And a following phone
    that moves a setting itself waits for a prediction, as a reader does."""
    bigram = story.by_url_path("Bigram_model").path
    presenter = open_page(bigram, present="1")
    presenter.button(key="room_open").click().run()
    code = _code(presenter)
    presenter.button(key="train").click().run()
    presenter.number_input(key="steps").set_value(200).run()          # the projector waits for the vote
    phone = open_page(bigram, room=code, trained="1")
    assert phone.number_input(key="steps").value == 200
    assert "After" not in " ".join(read_back(c.value) for c in phone.caption)
    presenter.button(key="train").click().run()                      # the presenter trains: so does the phone
    assert "After 200 steps" in " ".join(read_back(c.value) for c in rerun(phone).caption)
    phone.number_input(key="steps").set_value(300).run()             # its own move: its own question
    assert "After 300 steps" not in " ".join(read_back(c.value) for c in phone.caption)
    assert "make your prediction at the foot of the page" in " ".join(read_back(i.value) for i in phone.info)
