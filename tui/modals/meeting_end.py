"""Meeting mode's questions: the summary to confirm before ending, "add this person?", and
"discard this meeting?"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from store.dates import describe
from store.meetings import THANKS_TEXT, EndPlan
from store.quickadd import QuickAdd
from store.records import Contact
from store.text import printable
from tui.modals.base import Modal

MAX_LINKABLE = 9

class EndMeetingScreen(Modal[EndPlan | None]):
    """The summary of what ending does; returns the plan (links as chosen) or None."""

    BINDINGS = [
        Binding("enter,y", "confirm", "End meeting", id="meeting-end.confirm",
                tooltip="Save the meeting, the new contacts and the follow-ups"),
        Binding("escape,n", "cancel", "Back to notes", id="meeting-end.cancel",
                tooltip="Keep the meeting going"),
        *[
            Binding(str(n), f"toggle({n - 1})", "Link or add", show=False,
                    id=f"meeting-end.toggle-{n}",
                    tooltip=f"Suggested person {n}: link the existing contact or add a new one")
            for n in range(1, MAX_LINKABLE + 1)
        ],
    ]

    def __init__(self, plan: EndPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            title = f"End the meeting with {self.plan.contact.name}"
            box.border_title = Content(printable(title))
            yield Static(self.summary(), id="meeting-summary")

    def summary(self) -> Text:
        plan = self.plan
        text = Text()

        def heading(title: str) -> None:
            text.append(f"{title}\n", style="bold")

        heading(f"Referred by {printable(plan.contact.name)}")
        if not plan.referrals:
            text.append("  nobody (no ref: lines)\n", style="dim")
        for number, referral in enumerate(plan.referrals, start=1):
            person = referral.person
            who = person.name + (f" — {person.role}" if person.role else "")
            who += f" @ {person.company}" if person.company else ""
            who = printable(who)
            if referral.existing is None:
                text.append(f"  + new target: {who}\n")
            elif referral.link:
                text.append(f"  {number} link to #{referral.existing.id}: {who}  ")
                text.append(f"({number}: add a new contact instead)\n", style="dim")
            else:
                text.append(f"  {number} + new target: {who}  ")
                text.append(f"({number}: link #{referral.existing.id} instead)\n", style="dim")
        heading("Follow-ups")
        for todo in plan.todos:
            text.append(f"  • {printable(todo.text)}")
            text.append(f" — due {describe(todo.due)}\n" if todo.due else "\n")
        text.append(f"  • {THANKS_TEXT} — due {describe(plan.thanks_due)}\n")
        if plan.theirs:
            heading("Their promises (a check-in each)")
            for promise in plan.theirs:
                text.append(f"  • {printable(promise.text)} — check in "
                            f"{describe(plan.check_in(promise))}\n")
        if plan.resources:
            heading("Kept on the meeting")
            for resource in plan.resources:
                text.append(f"  • {printable(resource)}\n")
        stage = plan.new_stage or plan.contact.stage
        introduced = plan.introduced + len(plan.referrals)
        if plan.new_stage or (introduced and stage in ("met", "thanked")):
            heading("Stage")
        if plan.new_stage:
            text.append(f"  {plan.contact.stage} → {plan.new_stage}\n")
        if introduced and stage == "thanked":
            text.append(f"  thanked → referred: they introduced {introduced}\n")
        elif introduced and stage == "met":
            text.append(f"  → referred once thanked: they introduced {introduced}\n")
        if plan.problems:
            heading("Not read (fix them first, or they are left as notes)")
            for problem in plan.problems:
                text.append(f"  ! {printable(problem)}\n", style="bold red")
        text.append("\nenter end the meeting · esc back to the notes", style="dim")
        return text

    def action_toggle(self, index: int) -> None:
        if index < len(self.plan.referrals) and self.plan.referrals[index].existing is not None:
            referral = self.plan.referrals[index]
            referral.link = not referral.link
            self.query_one("#meeting-summary", Static).update(self.summary())

    def action_confirm(self) -> None:
        self.dismiss(self.plan)


class NewContactScreen(Modal[bool]):
    """`coffeechat meet "New Person @ Company"` for someone not in the database yet."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Add and meet", id="meeting-new.confirm",
                tooltip="Add the contact and start the meeting"),
        Binding("escape,n", "cancel", "Cancel", id="meeting-new.cancel",
                tooltip="Add nobody; back to the board"),
    ]

    def __init__(self, person: QuickAdd) -> None:
        super().__init__()
        self.person = person

    def compose(self) -> ComposeResult:
        person = self.person
        text = Text("No contact is called ")
        text.append(printable(person.name), style="bold")
        text.append(". Add them")
        if person.role or person.company:
            text.append(" (")
            text.append(printable(" @ ".join(p for p in (person.role, person.company) if p)))
            text.append(")")
        text.append(" as a target and start the meeting?\n\n")
        text.append("enter add and meet · esc cancel", style="dim")
        with VerticalScroll() as box:
            box.border_title = "Meet someone new"
            yield Static(text)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)


class DiscardScreen(Modal[bool]):
    """"Discard this meeting?": it will not count as held."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Discard", id="meeting-discard.confirm",
                tooltip="Discard the meeting; it counts for nothing (u undoes)"),
        Binding("escape,n", "cancel", "Keep it", id="meeting-discard.cancel",
                tooltip="Keep the meeting as it is"),
    ]

    def __init__(self, contact: Contact, *, started: bool) -> None:
        super().__init__()
        self.contact = contact
        self.started = started

    def compose(self) -> ComposeResult:
        text = Text("Discard the meeting with ")
        text.append(printable(self.contact.name), style="bold")
        text.append("? It will not count as held, nothing moves")
        text.append(", and its notes stay on it.\n\n" if self.started else ".\n\n")
        text.append("enter discard · esc keep it", style="dim")
        with VerticalScroll() as box:
            box.border_title = "Discard the meeting"
            yield Static(text)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)
