"""TIARA: the questions of an informational interview by kind, and the meeting's phases.

The 2-Hour Job Search asks about Trends, Insights, Advice, Resources and Assignments, in
that order; a question in the bank carries its kind as a tag (`trends`, `insights`,
`advice`, `resources`, `assignments`), and "who else should I talk to?" is tagged `next
steps`. Preparing a meeting picks a few questions per letter (`pick`). The meeting runs
small talk → questions → next steps: the first minutes are small talk, the last five
(the cue moves to NEXT_STEPS_CUE) are the next steps, the questions fill the rest.

These tags say what a question is, not whom it suits: a question with only these tags
suits everyone (store.meetings.prepared_questions).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

TIARA: tuple[tuple[str, str], ...] = (
    ("T", "trends"), ("I", "insights"), ("A", "advice"), ("R", "resources"),
    ("A", "assignments"),
)
NEXT_STEPS_TAG = "next steps"
KIND_TAGS = frozenset({tag for _, tag in TIARA} | {NEXT_STEPS_TAG})
LETTERS = {tag: letter for letter, tag in TIARA}  # next steps has none: it is the last phase
PER_LETTER = 2  # questions picked per letter when preparing

PHASES = ("small talk", "questions", "next steps")
SMALL_TALK = timedelta(minutes=5)  # at most; a sixth of a shorter meeting
NEXT_STEPS = timedelta(minutes=5)  # the last minutes of the agreed length
NEXT_STEPS_CUE = "next steps — who else should I talk to?"
WHO_ELSE = "did you ask who else to talk to?"


def kind_of(tags: Iterable[str]) -> str | None:
    """The question's TIARA tag (or `next steps`), the first one if it has several."""
    for tag in tags:
        if tag.casefold() in KIND_TAGS:
            return tag.casefold()
    return None


def letter_of(tags: Iterable[str]) -> str:
    """`T`, `I`, `A`, `R` or `A`; "" for a next-steps question or one of no kind."""
    return LETTERS.get(kind_of(tags) or "", "")


def who_tags(tags: Iterable[str]) -> list[str]:
    """The tags that say whom a question suits (director, manager…): the kinds left out."""
    return [t for t in tags if t.casefold() not in KIND_TAGS]


def pick(questions: Iterable[tuple[str, list[str]]], per_letter: int = PER_LETTER) -> list[str]:
    """A few questions per letter in TIARA order, then the next-steps ones; [] when no
    question has a kind (a bank of the user's own: then every question is asked)."""
    by_kind: dict[str, list[str]] = {}
    for text, tags in questions:
        kind = kind_of(tags)
        if kind is not None:
            by_kind.setdefault(kind, []).append(text)
    if not by_kind:
        return []
    picked = [text for _, tag in TIARA for text in by_kind.get(tag, [])[:per_letter]]
    return picked + by_kind.get(NEXT_STEPS_TAG, [])


def phase(elapsed: timedelta, planned: timedelta) -> int:
    """The index in PHASES of where the meeting is: small talk for its first minutes (5,
    or a sixth of a shorter one), next steps in its last 5 and past its end, questions
    in between."""
    if elapsed >= planned - NEXT_STEPS:
        return 2
    if elapsed < min(SMALL_TALK, planned / 6):
        return 0
    return 1


def letters(bank: Iterable[tuple[str, list[str]]]) -> dict[str, str]:
    """{question: its letter} for the questions of the bank that have a kind."""
    return {text: letter for text, tags in bank if (letter := letter_of(tags))}


def labelled(questions: Iterable[str], by_text: dict[str, str]) -> list[str]:
    """Each question with its letter in front (`T Which trends…`), as the screens show it;
    one without a letter as it is."""
    return [f"{by_text[q]} {q}" if q in by_text else q for q in questions]
