"""The question bank: what to ask in an informational interview, tagged by who it suits.

Seeded with good questions on first use; the user edits it from then on. Meeting mode's
checklist is drawn from it. A question that asks for a job or pay is marked by the same
check drafts go through (`is_job_ask`).

As text (for editing in one go), the bank is one question a line, its tags after a `|`:
`Who else should I talk to? | director, manager`.
"""

from __future__ import annotations

from store import settings as config
from store.db import Store
from store.records import Question

TAGS: tuple[str, ...] = ("director", "manager", "career change", "culture")




DEFAULT_QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("How did you get into the role you're in today?", ("career change",)),
    ("What does a normal week look like for you?", ()),
    ("What do you love about your job?", ()),
    ("What do you hate about your job, or wish you could change?", ()),
    ("What surprised you most when you started in this field?", ("career change",)),
    ("Which skills matter most in the first year?", ("career change",)),
    ("What would you do differently if you were starting today?", ("career change",)),
    ("How is your team organised, and how are decisions made?", ("manager", "culture")),
    ("What does a good day look like for the people on your team?", ("manager",)),
    ("How do you see this field changing in the next five years?", ("director",)),
    ("What do you look for in the people you work with most closely?", ("director", "manager")),
    ("How would you describe the culture: meetings, hours, feedback?", ("culture",)),
    ("What is something people outside the field get wrong about it?", ("culture",)),
    ("What should I read, follow or join to learn more?", ()),
    ("Who else should I talk to?", ()),
)


def questions(store: Store) -> list[Question]:
    """The bank in order, the defaults written on first use."""
    with store.transaction():
        if not config.get(store, config.QUESTIONS_SEEDED):
            store.insert_many([Question(text=t, tags=list(tags)) for t, tags in DEFAULT_QUESTIONS])
            config.set_internal(store, config.QUESTIONS_SEEDED, True)
        return store.records(Question)


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
