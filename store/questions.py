"""The question bank: what to ask in an informational interview, tagged by who it suits
and by its TIARA kind (store.tiara: trends, insights, advice, resources, assignments;
`next steps` for "who else should I talk to?").

Seeded with good questions on first use; the user edits it from then on. A bank seeded
before the TIARA kinds existed gets them once: the default questions still there are
tagged, and the new defaults added at the end. Meeting mode's checklist is drawn from it.
A question that asks for a job or pay is marked by the same check drafts go through
(`is_job_ask`).

As text (for editing in one go), the bank is one question a line, its tags after a `|`:
`Who else should I talk to? | director, manager`.
"""

from __future__ import annotations

from store import settings as config
from store.db import Store
from store.records import Question
from store.tiara import KIND_TAGS, kind_of, letters

TAGS: tuple[str, ...] = ("director", "manager", "career change", "culture")  # whom it suits




DEFAULT_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("How did you get into the role you're in today?", ("career change", "insights")),
    ("What does a normal week look like for you?", ("insights",)),
    ("What do you love about your job?", ("insights",)),
    ("What do you hate about your job, or wish you could change?", ("insights",)),
    ("What surprised you most when you started in this field?", ("career change", "insights")),
    ("Which skills matter most in the first year?", ("career change", "advice")),
    ("What would you do differently if you were starting today?", ("career change", "advice")),
    ("How is your team organised, and how are decisions made?", ("manager", "culture")),
    ("What does a good day look like for the people on your team?", ("manager",)),
    ("How do you see this field changing in the next five years?", ("director", "trends")),
    ("What do you look for in the people you work with most closely?", ("director", "manager")),
    ("How would you describe the culture: meetings, hours, feedback?", ("culture",)),
    ("What is something people outside the field get wrong about it?", ("culture",)),
    ("What should I read, follow or join to learn more?", ("resources",)),
    ("Who else should I talk to?", ("next steps",)),
)
# Added with the TIARA kinds: a bank seeded before them gets these once, at the end.
TIARA_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Which trends in your field are you watching most closely?", ("trends",)),
    ("What is changing fastest in how your team works?", ("trends",)),
    ("If you were in my shoes, what would you do next?", ("advice",)),
    ("Which tools, newsletters or groups do you rely on most?", ("resources",)),
    ("What projects taught you the most in your first year?", ("assignments",)),
    ("What does a first project look like for someone new on your team?", ("assignments",)),
)
DEFAULT_QUESTIONS = DEFAULT_QUESTIONS + TIARA_QUESTIONS


def questions(store: Store) -> list[Question]:
    """The bank in order, the defaults written on first use."""
    with store.transaction():
        if not config.get(store, config.QUESTIONS_SEEDED):
            store.insert_many([Question(text=t, tags=list(tags)) for t, tags in DEFAULT_QUESTIONS])
            config.set_internal(store, config.QUESTIONS_SEEDED, True)
            config.set_internal(store, config.TIARA_SEEDED, True)
        elif not config.get(store, config.TIARA_SEEDED):
            _add_tiara(store)
            config.set_internal(store, config.TIARA_SEEDED, True)
        return store.records(Question)


def _add_tiara(store: Store) -> None:
    """A bank seeded before TIARA: the defaults still there get their kind (other tags
    kept), the defaults it never had are added at the end. Done once."""
    bank = {q.text: q for q in store.records(Question)}
    added = {text for text, _ in TIARA_QUESTIONS}
    new = []
    for text, tags in DEFAULT_QUESTIONS:
        kinds = [t for t in tags if t in KIND_TAGS]
        question = bank.get(text)
        if question is None:
            if text in added:  # a default the user deleted stays deleted
                new.append(Question(text=text, tags=list(tags)))
        elif kinds and kind_of(question.tags) is None:
            store.update(Question, question.id, {"tags": [*question.tags, *kinds]})
    store.insert_many(new)


def bank_text(bank: list[Question]) -> str:
    """The bank as lines `question | tag, tag` for editing."""
    return "\n".join(
        f"{q.text} | {', '.join(q.tags)}" if q.tags else q.text for q in bank
    )


def parse_bank(text: str) -> list[tuple[str, list[str]]]:
    """Lines `question | tag, tag` back into (question, tags); blank and repeated lines
    skipped."""
    entries: dict[str, list[str]] = {}
    for line in text.splitlines():
        question, _, tags = line.partition("|")
        question = " ".join(question.split())
        if question and question not in entries:
            entries[question] = [t.strip() for t in tags.split(",") if t.strip()]
    return list(entries.items())


def replace_bank(store: Store, text: str) -> list[Question]:
    """Make the bank what `text` says. Questions kept keep their id and place; new ones
    go at the end."""
    entries = parse_bank(text)
    with store.transaction():
        old = {q.text: q for q in questions(store)}
        wanted = {question for question, _ in entries}
        for question in old.values():
            if question.text not in wanted:
                store.remove(Question, question.id)
        for question, tags in entries:
            kept = old.get(question)
            if kept is None:
                store.insert(Question(text=question, tags=tags))
            elif kept.tags != tags:
                kept.tags = tags
                store.save(kept)
        return store.records(Question)


def question_letters(store: Store) -> dict[str, str]:
    """{question: its TIARA letter} for the questions of the bank that have a kind."""
    return letters((q.text, q.tags) for q in questions(store))
