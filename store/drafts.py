"""Drafts: templates kept in the database, chosen by stage and filled from a contact.

The default templates are written on first use and are the user's to edit from then on.
A placeholder without a value stays in the text as it was (`{company}`) so it shows,
and the fill reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store import settings as config
from store.db import Store
from store.errors import InputError, RefError
from store.followups import MESSAGE_SENT, NUDGE_SENT, THANKS_SENT, log_interaction, thank
from store.lint import KINDS, PLACEHOLDER
from store.records import Contact, FollowUp, KeptDraft, Meeting, Template

# What each placeholder is filled with.
PLACEHOLDERS: dict[str, str] = {
    "first_name": "the contact's first name",
    "name": "the contact's full name",
    "company": "their company",
    "role": "their role",
    "industry": "their industry",
    "how_we_know": "how you know them",
    "referrer": "who referred you to them",
    "introduced": "the people they referred you to",
    "my_name": "your name (the my_name setting)",
    "meeting_date": "the day of your last meeting",
    "promise": "an open promise from that meeting",
    "resource": "a resource they recommended",
}

# The note each stage calls for.
STAGE_KINDS: dict[str, str] = {
    "target": "outreach",
    "contacted": "nudge",
    "met": "thanks",
    "thanked": "keep-in-touch",
    "referred": "referrer",
}

# What marking a note sent logs (the follow-up rules count nudges and thank-yous by these).
SENT_INTERACTIONS: dict[str, str] = {
    "outreach": MESSAGE_SENT,
    "nudge": NUDGE_SENT,
    "thanks": THANKS_SENT,
    "referrer": THANKS_SENT,
    "keep-in-touch": MESSAGE_SENT,
}
SENT_MOVES: dict[str, str] = {"target": "contacted"}  # met → thanked is `thank`'s




DEFAULT_TEMPLATES: tuple[Template, ...] = (
    Template(key="outreach-referral", kind="outreach", title="outreach via a referral", text="""\
Subject: {referrer} suggested I get in touch

Hi {first_name},

{referrer} suggested I write to you. I'm {my_name}, exploring a move into {industry}.
Your work at {company} is what I'd most like to understand, and your advice would mean a
lot to me.

Would you have 20 minutes for a coffee or a call in the next few weeks?

Thank you,
{my_name}
"""),
    Template(key="outreach-cold", kind="outreach", title="cold outreach", text="""\
Subject: A question about your work at {company}

Hi {first_name},

I came across your work as {role} at {company}. I'm {my_name}, exploring the {industry}
field. Your path is the one I'd most like to learn from.

Would you have 15 minutes for a short call sometime in the next few weeks?

Thank you for considering it,
{my_name}
"""),
    Template(key="outreach-alumni", kind="outreach", title="alumni outreach", text="""\
Subject: A fellow alum with a question about {industry}

Hi {first_name},

I found you through {how_we_know}, and it was great to see a fellow graduate at
{company}. Your work as {role} is what I'd like to hear about. I'm {my_name}, exploring
the {industry} field.

Could I buy you a coffee, or take 20 minutes of your time on a call?

Best wishes,
{my_name}
"""),
    Template(key="nudge", kind="nudge", title="polite nudge", text="""\
Subject: Re: 15 minutes of your advice?

Hi {first_name},

I know inboxes fill up quickly, so I'm bringing my earlier note back to the top. I'd \
still value 15 minutes to hear about your work at {company}, on a call or over coffee, \
whichever suits you.

If now isn't a good time, no problem at all; thank you for reading.

Best,
{my_name}
"""),
    Template(key="thanks", kind="thanks", title="thank-you after the meeting", text="""\
Subject: Thank you

Hi {first_name},

Thank you for taking the time to talk with me on {meeting_date}. Hearing how you approach \
your work at {company} gave me a much clearer picture of {industry}.

As promised, I'll {promise}. I'm also looking into what you recommended: {resource}.

I'll let you know how things go. Thanks again for your generosity.

Best,
{my_name}
"""),
    Template(key="thanks-referrer", kind="referrer", title="thank-you to the referrer",
             text="""\
Subject: Thank you for the introductions

Hi {first_name},

Thank you for connecting me with {introduced}. It was generous of you to make the \
introductions, and I'll make sure to respect their time.

I'll let you know how the conversations go. If I can ever return the favour, please \
tell me.

Best,
{my_name}
"""),
    Template(key="keep-in-touch", kind="keep-in-touch", title="keep-in-touch update", text="""\
Subject: A quick update

Hi {first_name},

It has been a while since we talked on {meeting_date}, and I wanted to tell you where \
your advice has taken me since.

I hope all is well at {company}. Thank you again; our conversation still shapes how I \
think about {industry}.

Best,
{my_name}
"""),
)


@dataclass(frozen=True)
class Draft:
    """A template filled for a contact, with the placeholders that had no value."""

    template: Template
    text: str
    unfilled: tuple[str, ...]


def templates(store: Store) -> list[Template]:
    """Every template, the defaults written on first use."""
    with store.transaction():
        if not config.get(store, config.TEMPLATES_SEEDED):
            store.insert_many([t.replace() for t in DEFAULT_TEMPLATES])  # copies get the ids
            config.set_internal(store, config.TEMPLATES_SEEDED, True)
        return store.records(Template)


def check_kind(kind: str) -> str:
    name = kind.strip().lower()
    if name not in KINDS:
        raise InputError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return name


def default_key(contact: Contact, kind: str) -> str:
    """The template key for a kind of note to this contact: outreach has three."""
    if kind != "outreach":
        return {"referrer": "thanks-referrer"}.get(kind, kind)
    if contact.referred_by is not None:
        return "outreach-referral"
    if "alumni" in [t.casefold() for t in contact.tags] or "alum" in contact.how_we_know.casefold():
        return "outreach-alumni"
    return "outreach-cold"


def _choose(all_templates: list[Template], contact: Contact, kind: str | None) -> int:
    """The index of the template for `kind`, or for the note the contact's stage calls for."""
    kind = check_kind(kind) if kind else STAGE_KINDS[contact.stage]
    key = default_key(contact, kind)
    for wanted in (lambda t: t.key == key, lambda t: t.kind == kind):
        for index, template in enumerate(all_templates):
            if wanted(template):
                return index
    raise InputError(f"no template for {kind} notes in the database")


def fill(text: str, values: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The text with every placeholder that has a non-empty value replaced; the rest kept."""
    unfilled: list[str] = []

    def value_of(match):
        value = values.get(match.group(1), "").strip()
        if not value:
            unfilled.append(match.group(1))
            return match.group()
        return value

    filled = PLACEHOLDER.sub(value_of, text)
    return filled, tuple(dict.fromkeys(unfilled))


@dataclass(frozen=True)
class DraftSetup:
    """Everything drafting to one contact needs, read in one go: the templates, what the
    placeholders stand for, the settings (job-ask phrases) and the template chosen."""

    contact: Contact
    templates: tuple[Template, ...]
    values: dict[str, str]
    settings: dict
    chosen: int
    kept: str = ""  # the text kept from the last time (esc, "keep it"), if any

    def draft(self, index: int | None = None) -> Draft:
        template = self.templates[self.chosen if index is None else index]
        text, unfilled = fill(template.text, self.values)
        return Draft(template, text, unfilled)


def prepare_draft(store: Store, contact_id: int, kind: str | None = None) -> DraftSetup:
    """The draft setup for a contact; `kind` picks the note, else the contact's stage."""
    with store.transaction():
        contact = store.contact(contact_id)
        all_templates = templates(store)
        kept = next(iter(store.find(KeptDraft, contact_id=contact_id)), None)
        if kept is not None and kind is None:
            kind = kept.kind
        return DraftSetup(
            contact,
            tuple(all_templates),
            draft_values(store, contact),
            store.settings(),
            _choose(all_templates, contact, kind),
            kept.text if kept is not None else "",
        )


def save_template_text(store: Store, template_id: int, text: str) -> Template:
    with store.transaction():
        template = store.get(Template, template_id)
        template.text = text
        store.save(template)
        return template


def draft_values(store: Store, contact: Contact) -> dict[str, str]:
    """What each placeholder stands for with this contact (empty when unknown)."""
    referrer = ""
    if contact.referred_by is not None:
        referrer = _name_or_blank(store, contact.referred_by)
    introduced = [c.name for c in store.find(Contact, referred_by=contact.id) if not c.archived]
    last = max((m for m in store.find(Meeting, contact_id=contact.id) if m.held),
               key=lambda m: m.started_at, default=None)
    promises = [
        f.text for f in (store.find(FollowUp, meeting_id=last.id) if last else [])
        if f.kind == "todo" and not f.done_at
    ]
    return {
        "first_name": contact.name.split()[0] if contact.name.split() else "",
        "name": contact.name,
        "company": contact.company,
        "role": contact.role,
        "industry": contact.industry,
        "how_we_know": contact.how_we_know,
        "referrer": referrer,
        "introduced": _join(introduced),
        "my_name": config.get(store, config.MY_NAME),
        "meeting_date": _day(last.started_at) if last else "",
        "promise": promises[0] if promises else "",
        "resource": last.resources[0] if last and last.resources else "",
    }


def _name_or_blank(store: Store, contact_id: int) -> str:
    try:
        return store.contact(contact_id).name
    except RefError:
        return ""


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _day(iso: str) -> str:
    """'Monday 23 November' for the letter (no time: a note names the day)."""
    moment = datetime.fromisoformat(iso)
    return f"{moment:%A} {moment.day} {moment:%B}"


def sent_channel(contact: Contact) -> str:
    """How a note to this contact goes out: by email unless only LinkedIn is known."""
    return "linkedin" if contact.linkedin and not contact.email else "email"


def mark_sent(store: Store, contact_id: int, kind: str, text: str = "") -> Contact:
    """Log the note as sent (its text kept) and move the card on: target → contacted. A
    thank-you after a meeting is `thank` (as from the agenda or `coffeechat thank`): the
    follow-up closed, met → thanked, on to referred. The contact as it is now."""
    kind = check_kind(kind)
    interaction = SENT_INTERACTIONS[kind]
    with store.transaction():
        contact = store.contact(contact_id)
        if interaction == THANKS_SENT and contact.stage not in ("target", "contacted"):
            return thank(store, contact_id, text=text, channel=sent_channel(contact))
        sent = log_interaction(store, contact_id, interaction, sent_channel(contact), text=text)
        if contact.stage in SENT_MOVES:
            contact = store.move(contact_id, SENT_MOVES[contact.stage], at=sent.at)
        return contact


# -- drafts kept for later -------------------------------------------------------------------




def keep_draft(store: Store, contact_id: int, kind: str, text: str) -> None:
    """Keep this draft for the contact (one a contact: it replaces the last one)."""
    with store.transaction():
        drop_draft(store, contact_id)
        store.insert(KeptDraft(contact_id=contact_id, kind=check_kind(kind), text=text,
                               at=store.now()))


def drop_draft(store: Store, contact_id: int) -> None:
    with store.transaction():
        for kept in store.find(KeptDraft, contact_id=contact_id):
            store.remove(KeptDraft, kept.id)


def send_draft(store: Store, contact_id: int, kind: str, text: str) -> Contact:
    """mark_sent, and the draft kept for the contact goes: it was sent."""
    with store.transaction():
        contact = mark_sent(store, contact_id, kind, text)
        drop_draft(store, contact_id)
        return contact
