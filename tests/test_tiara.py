"""TIARA: the bank's questions by kind, the pick preparation starts from, the phases."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from store import settings as config
from store.meetings import checklist, preparation, tiara_questions
from store.questions import DEFAULT_QUESTIONS, Question, question_letters, questions
from store.records import Contact
from store.tiara import PHASES, letter_of, phase, pick


def test_pick_takes_a_few_per_letter_in_tiara_order_then_who_else():
    bank = [("r1", ["resources"]), ("t1", ["trends"]), ("t2", ["trends", "director"]),
            ("t3", ["trends"]), ("who", ["next steps"]), ("a1", ["advice"]), ("x", []),
            ("as1", ["assignments"]), ("i1", ["insights"])]
    assert pick(bank) == ["t1", "t2", "i1", "a1", "r1", "as1", "who"]
    assert pick(bank, per_letter=1) == ["t1", "i1", "a1", "r1", "as1", "who"]
    assert pick([("x", []), ("y", ["manager"])]) == []  # no kinds: nothing picked
    assert [letter_of(t) for t in (["trends"], ["Advice"], ["assignments"], ["next steps"],
                                   [])] == ["T", "A", "A", "", ""]


@pytest.mark.parametrize("minutes, planned, expected", [
    (0, 30, "small talk"), (4.9, 30, "small talk"), (5, 30, "questions"),
    (24.9, 30, "questions"), (25, 30, "next steps"), (40, 30, "next steps"),
    (1, 10, "small talk"), (2, 10, "questions"), (5, 10, "next steps"),
])
def test_the_phases_follow_the_clock_and_the_agreed_length(minutes, planned, expected):
    assert PHASES[phase(timedelta(minutes=minutes), timedelta(minutes=planned))] == expected


def test_every_letter_has_default_questions_and_who_else_is_next_steps(store):
    letters = question_letters(store)
    assert {letters[q.text] for q in questions(store) if q.text in letters} == {"T", "I", "A", "R"}
    assert sum(1 for _, tags in DEFAULT_QUESTIONS if "assignments" in tags) >= 2
    who = next(q for q in questions(store) if q.text == "Who else should I talk to?")
    assert who.tags == ["next steps"]


def test_preparation_picks_a_few_per_letter_that_suit_the_contact(store):
    ana = store.add_contact(Contact(name="Ana Lee", tags=["director"]))
    meeting, offered = preparation(store, ana.id)
    picked = meeting.questions_planned
    assert picked == tiara_questions(store, ana) and picked[-1] == "Who else should I talk to?"
    assert "How do you see this field changing in the next five years?" in picked  # director
    assert len(picked) <= 2 * 5 + 1 and set(picked) <= set(offered)
    assert checklist(store, meeting) == picked
    # Opened again, the choice stands, even once the user has unticked everything.
    from store.meetings import set_planned_questions

    set_planned_questions(store, meeting.id, [])
    again, _ = preparation(store, ana.id)
    assert again.questions_planned == []


def test_a_bank_seeded_before_tiara_gets_the_kinds_once(db_path, store):
    old = [("What does a normal week look like for you?", []),
           ("Who else should I talk to?", []), ("My own question", ["manager"])]
    store.insert_many([Question(text=t, tags=tags) for t, tags in old])
    config.set_internal(store, config.QUESTIONS_SEEDED, True)
    bank = {q.text: q.tags for q in questions(store)}
    assert bank["What does a normal week look like for you?"] == ["insights"]
    assert bank["Who else should I talk to?"] == ["next steps"]
    assert bank["My own question"] == ["manager"]
    assert "Which trends in your field are you watching most closely?" in bank
    # Deleted defaults are not brought back (only the questions TIARA added are new).
    assert "What do you love about your job?" not in bank
    count = len(bank)
    store.remove(Question, 1)
    assert len(questions(store)) == count - 1  # done once: nothing comes back
    data = json.loads(db_path.read_text())
    assert data["settings"]["1"]["tiara_seeded"] is True
