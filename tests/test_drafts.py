"""Templates in the database, chosen by stage and filled from a contact; the question bank."""

from __future__ import annotations

import json

import pytest

from store.db import Store
from store.drafts import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    STAGE_KINDS,
    Template,
    fill,
    mark_sent,
    prepare_draft,
    save_template_text,
    templates,
)
from store.errors import InputError
from store.followups import due_items
from store.lint import PLACEHOLDER, is_job_ask, lint
from store.questions import DEFAULT_QUESTIONS, Question, bank_text, questions, replace_bank
from store.records import STAGES, Contact, FollowUp, Interaction, Meeting


def drafted(store, contact, kind=None):
    return prepare_draft(store, contact.id, kind).draft()


def test_templates_are_seeded_once_into_the_file(store, db_path):
    seeded = templates(store)
    assert [t.key for t in seeded] == [t.key for t in DEFAULT_TEMPLATES]
    store.remove(Template, seeded[0].id)
    assert len(templates(Store(db_path))) == len(DEFAULT_TEMPLATES) - 1
    on_disk = json.loads(db_path.read_text())["templates"]
    assert len(on_disk) == len(DEFAULT_TEMPLATES) - 1


@pytest.mark.parametrize("template", DEFAULT_TEMPLATES, ids=lambda t: t.key)
def test_default_templates_are_brief_and_never_ask_for_a_job(template):
    assert not is_job_ask(template.text)
    assert len(template.text.split()) < 150
    assert set(PLACEHOLDER.findall(template.text)) <= set(PLACEHOLDERS)


def test_default_outreach_has_the_basics_once_filled():
    values = {name: "Xy" for name in PLACEHOLDERS}
    for template in DEFAULT_TEMPLATES:
        text, unfilled = fill(template.text, values)
        report = lint(text, template.kind)
        assert unfilled == ()
        assert all(check.ok for check in report.checks), (template.key, report.checks)


def test_fill_keeps_missing_placeholders_visible_and_reports_them():
    text, unfilled = fill(
        "Hi {first_name} at {company} ({role}); {unknown} {company}",
        {"first_name": "Ana", "company": "  ", "role": "CTO"},
    )
    assert text == "Hi Ana at {company} (CTO); {unknown} {company}"
    assert unfilled == ("company", "unknown")


def test_stage_picks_the_template(store):
    contacts = {
        stage: store.add_contact(Contact(name=f"Ana {stage}", stage=stage)) for stage in STAGES
    }
    chosen = {stage: drafted(store, c).template.key for stage, c in contacts.items()}
    assert chosen == {
        "target": "outreach-cold",
        "contacted": "nudge",
        "met": "thanks",
        "thanked": "keep-in-touch",
        "referred": "thanks-referrer",
    }
    assert set(STAGE_KINDS) == set(STAGES)


def test_outreach_via_referral_or_alumni(store):
    ben = store.add_contact(Contact(name="Ben Okafor"))
    referred = store.add_contact(Contact(name="Ana Lee", referred_by=ben.id))
    alum = store.add_contact(Contact(name="Cy Ito", tags=["alumni"]))
    assert drafted(store, referred).template.key == "outreach-referral"
    assert drafted(store, alum).template.key == "outreach-alumni"
    assert drafted(store, ben, "thanks").template.key == "thanks"
    with pytest.raises(InputError, match="unknown kind 'letter'"):
        drafted(store, ben, "letter")


def test_an_edited_template_is_used(store, db_path):
    ana = store.add_contact(Contact(name="Ana Lee", stage="contacted"))
    nudge = drafted(store, ana).template
    save_template_text(store, nudge.id, "Hi {first_name}, gentle nudge from {my_name}.")
    store.set_setting("my_name", "Jo")
    again = Store(db_path)
    result = drafted(again, ana)
    assert result.text == "Hi Ana, gentle nudge from Jo."
    assert result.unfilled == ()


def test_draft_fills_from_the_contact_the_referrer_and_the_last_meeting(store):
    store.set_setting("my_name", "Jo Park")
    ben = store.add_contact(Contact(name="Ben Okafor", stage="referred"))
    ana = store.add_contact(
        Contact(name="Ana Maria Lee", role="CTO", company="Acme", industry="fintech",
                stage="met", referred_by=ben.id)
    )
    store.add_contact(Contact(name="Cy Ito", referred_by=ben.id))
    store.add_contact(Contact(name="Di Wu", referred_by=ben.id))
    old = store.insert(Meeting(contact_id=ana.id, started_at="2026-11-02T10:00:00+01:00",
                               resources=["old book"]))
    last = store.insert(Meeting(contact_id=ana.id, started_at="2026-11-20T15:00:00+01:00",
                                resources=["podcast: Deep Work"]))
    store.insert(FollowUp(contact_id=ana.id, text="send the deck", meeting_id=old.id))
    store.insert(FollowUp(contact_id=ana.id, text="done already", meeting_id=last.id,
                          done_at="2026-11-21T09:00:00+01:00"))
    store.insert(FollowUp(contact_id=ana.id, text="send the article", meeting_id=last.id))

    thanks = drafted(store, ana)
    assert thanks.unfilled == ()
    assert "Hi Ana," in thanks.text
    assert "on Friday 20 November" in thanks.text
    assert "As promised, I'll send the article." in thanks.text
    assert "what you recommended: podcast: Deep Work." in thanks.text
    assert thanks.text.rstrip().endswith("Jo Park")

    outreach = drafted(store, ana, "outreach")
    assert outreach.text.startswith("Subject: Ben Okafor suggested I get in touch")

    referrer = drafted(store, ben)
    assert "connecting me with Ana Maria Lee, Cy Ito and Di Wu." in referrer.text


def test_draft_for_a_bare_contact_reports_what_is_missing(store):
    ana = store.add_contact(Contact(name="Ana"))
    result = drafted(store, ana)
    assert result.unfilled == ("company", "role", "my_name", "industry")
    assert "{company}" in result.text and "Hi Ana," in result.text


# -- the question bank ----------------------------------------------------------------


def test_question_bank_is_seeded_tagged_and_clean(store, db_path):
    bank = questions(store)
    assert [q.text for q in bank] == [text for text, _ in DEFAULT_QUESTIONS]
    assert len(bank) >= 15
    assert "Who else should I talk to?" in [q.text for q in bank]
    tags = {tag for q in bank for tag in q.tags}
    assert tags == {"director", "manager", "career change", "culture", "trends", "insights",
                    "advice", "resources", "assignments", "next steps"}
    assert not [q.text for q in bank if is_job_ask(q.text)]
    assert len(json.loads(db_path.read_text())["questions"]) == len(bank)


def test_the_job_check_marks_bad_questions(store):
    store.insert(Question(text="How much do you make?"))
    questions(store)  # already seeded: the new one is kept, nothing is added again
    store.insert(Question(text="Is your team hiring?"))
    bad = [q.text for q in questions(store) if is_job_ask(q.text, store.settings())]
    assert bad == ["How much do you make?", "Is your team hiring?"]


def test_bank_edited_as_text(store, db_path):
    bank = questions(store)
    lines = bank_text(bank).splitlines()
    assert lines[0] == "How did you get into the role you're in today? | career change, insights"
    first_id = bank[0].id
    edited = "\n".join(
        [lines[0].replace("career change", "career change, director"), "", lines[14],
         "What do you read every week? | culture", lines[14]]
    )
    replace_bank(store, edited)
    again = questions(Store(db_path))
    assert [(q.text, q.tags) for q in again] == [
        ("How did you get into the role you're in today?",
         ["career change", "director", "insights"]),
        ("Who else should I talk to?", ["next steps"]),
        ("What do you read every week?", ["culture"]),
    ]
    assert again[0].id == first_id


def test_mark_sent_logs_the_note_and_moves_the_card(store, db_path, clock):
    ana = store.add_contact(Contact(name="Ana Lee", email="ana@example.com"))
    cy = store.add_contact(Contact(name="Cy Ito", stage="met", linkedin="https://li/cy"))
    dee = store.add_contact(Contact(name="Dee Wu", stage="contacted"))
    thanks_due = store.insert(FollowUp(contact_id=cy.id, kind="thanks", text="send a thank-you"))
    todo = store.insert(FollowUp(contact_id=cy.id, kind="todo", text="send the deck"))
    clock.advance(hours=2)
    assert mark_sent(store, ana.id, "outreach", "Hi Ana").stage == "contacted"
    assert mark_sent(store, cy.id, "thanks").stage == "thanked"
    assert mark_sent(store, dee.id, "nudge").stage == "contacted"

    again = Store(db_path)
    logged = [(i.contact_id, i.kind, i.channel, i.at, i.text) for i in again.records(Interaction)]
    at = "2026-11-23T11:30:00+01:00"
    assert logged == [
        (ana.id, "message sent", "email", at, "Hi Ana"),
        (cy.id, "thank-you sent", "linkedin", at, ""),
        (dee.id, "nudge sent", "email", at, ""),
    ]
    assert again.get(FollowUp, thanks_due.id).done_at == at
    assert again.get(FollowUp, todo.id).done_at is None
    assert again.contact(ana.id).stage_history[-1] == {"stage": "contacted", "at": at}
    assert len(again.contact(dee.id).stage_history) == 1


def test_a_thank_you_marked_sent_leaves_nothing_due(store, clock):
    cy = store.add_contact(Contact(name="Cy Ito", stage="met"))
    store.insert(FollowUp(contact_id=cy.id, kind="thanks", text="send a thank-you note",
                          due="2026-11-22T09:00:00+01:00"))
    clock.advance(days=2)
    assert [item.contact.id for item in due_items(store, clock())] == [cy.id]
    mark_sent(store, cy.id, "thanks")
    assert due_items(store, clock()) == []
