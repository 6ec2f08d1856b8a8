"""The draft screen: a note to one contact, checked as you type, copied or saved, marked sent.

The app sends no mail. The note leaves by the clipboard (OSC 52), a file or $EDITOR;
marking it sent logs the interaction and moves the card (target → contacted,
met → thanked).
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from store import settings
from store.drafts import (
    PLACEHOLDERS,
    SENT_INTERACTIONS,
    DraftSetup,
    Template,
    drop_draft,
    fill,
    keep_draft,
    prepare_draft,
    save_template_text,
    send_draft,
)
from store.errors import CoffeeError
from store.lint import Report, is_job_ask, lint
from store.questions import TAGS, bank_text, questions, replace_bank
from store.records import Contact
from store.files import private_folder, write_private
from store.text import printable
from tui.external_editor import edit_in_editor
from tui.keys import help_key
from tui.modals.ask import AskScreen
from tui.modals.choice import ChoiceScreen
from tui.modals.template_editor import TextEditScreen
from widgets.flagged_text import FlaggedTextArea

COPIED = (
    "Copied the draft (OSC 52; the terminal cannot confirm it). Inside tmux it needs "
    "`set -g set-clipboard on`. Nothing to paste? F3 saves it to a file."
)


def open_draft(app: App, contact_id: int, on_close=None) -> None:
    """Read what the draft needs on the writer thread (templates are seeded on first
    use), then show it; `on_close` gets the contact if it was marked sent, else None.
    The first draft without a name to sign with asks for it, once."""

    def show(setup: DraftSetup) -> None:
        app.push_screen(DraftScreen(setup), on_close)

    def named(name: str | None) -> None:
        if name:
            app.write(settings.set, app.store, settings.MY_NAME, name)
        app.write(settings.set_internal, app.store, settings.MY_NAME_ASKED, True)
        app.write(prepare_draft, app.store, contact_id, on_saved=show)

    stored = app.store.settings()
    if settings.get(stored, settings.MY_NAME) or settings.get(stored, settings.MY_NAME_ASKED):
        app.write(prepare_draft, app.store, contact_id, on_saved=show)
    else:
        app.push_screen(AskScreen(
            "Your name, to sign your drafts", "enter saves it for every draft (Settings "
            "changes it later) · esc: not now (asked only this once)", "Jo Park"), named)


def draft_file(folder: Path, contact: Contact, kind: str, text: str) -> Path:
    """Write the draft to `folder/drafts/ID-name-kind.txt` (private); its path."""
    slug = re.sub(r"[^a-z0-9]+", "-", contact.name.casefold()).strip("-") or "contact"
    path = folder / "drafts" / f"{contact.id}-{slug}-{kind}.txt"
    try:
        private_folder(path.parent)
        write_private(path, [text.encode()])  # a link there is replaced, never written through
    except OSError as exc:
        raise CoffeeError(f"{path}: cannot save the draft ({exc.strerror})") from exc
    return path


def checklist_text(report: Report, text: str) -> Text:
    """The checklist beside the draft: each check with ✓/✗ and its detail, then the
    flagged words with their lines."""
    out = Text()
    for check in report.checks:
        out.append("✓ " if check.ok else "✗ ", style="bold green" if check.ok else "bold red")
        out.append(check.name, style="bold")
        out.append(f"\n  {check.detail}\n", style="" if check.ok else "yellow")
    lines = text.split("\n")
    located = [f for f in report.findings if f.start is not None]
    if located:
        out.append("\nflagged\n", style="bold")
    for finding in located:
        (row, col), (end_row, end_col) = finding.start, finding.end
        words = lines[row][col : end_col if end_row == row else None]
        out.append(f"  l.{finding.line} ")
        out.append(printable(words), style="reverse")
        out.append("\n")
    return out


class DraftScreen(Screen[Contact | None]):
    """One note to one contact: the template its stage calls for, filled and editable."""

    BINDINGS = [
        help_key("draft", "f1", "f1", priority=True),
        Binding("f2", "copy", "Copy", priority=True, id="draft.copy",
                tooltip="Copy the draft to the clipboard (OSC 52)"),
        Binding("f3", "save_file", "File", priority=True, id="draft.save-file",
                tooltip="Save the draft to a text file in the drafts folder beside the database"),
        Binding("f4", "editor", "Editor", priority=True, id="draft.editor",
                tooltip="Edit the draft in $EDITOR and come back"),
        Binding("f5", "mark_sent", "Sent", priority=True, id="draft.sent",
                tooltip="Mark it sent: log it and move the card (target → contacted, "
                "met → thanked)"),
        Binding("f8", "template(1)", "Switch", priority=True, id="draft.next-template",
                tooltip="Switch to the next template (refills the draft)"),
        Binding("shift+f8", "template(-1)", "Prev template", priority=True, show=False,
                id="draft.prev-template", tooltip="Switch to the previous template"),
        Binding("f9", "edit_template", "Template", priority=True, id="draft.edit-template",
                tooltip="Edit this template's text and save it for every later draft"),
        Binding("f12", "questions", "Questions", priority=True, show=False, id="draft.questions",
                tooltip="Edit the question bank (one question a line, tags after |)"),
        Binding("escape", "leave", "Back", id="draft.leave",
                tooltip="Back to the board; a changed draft is kept for next time or discarded, as you say"),
    ]

    DEFAULT_CSS = """
    DraftScreen #draft-header { height: auto; padding: 0 1; background: $panel; }
    DraftScreen #draft-body { height: 1fr; }
    DraftScreen #draft-text { width: 1fr; }
    DraftScreen #draft-side { width: 28; padding: 0 1; border-left: solid $panel; }
    """

    def __init__(self, setup: DraftSetup) -> None:
        super().__init__()
        self.setup = setup
        self.contact = setup.contact
        self.templates: list[Template] = list(setup.templates)
        self.index = setup.chosen
        self.sending = False

    @property
    def template(self) -> Template:
        return self.templates[self.index]

    @property
    def editor(self) -> FlaggedTextArea:
        return self.query_one("#draft-text", FlaggedTextArea)

    def compose(self) -> ComposeResult:
        yield Static(id="draft-header")
        with Horizontal(id="draft-body"):
            yield FlaggedTextArea(id="draft-text")
            with VerticalScroll(id="draft-side"):
                yield Static(id="draft-checks")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show_template()
        if self.setup.kept:
            self.editor.load_text(self.setup.kept)
        self.editor.focus()

    def show_template(self) -> None:
        text, _ = fill(self.template.text, self.setup.values)
        self.editor.load_text(text)
        header = Text()
        header.append("Draft to ", style="dim")
        header.append(printable(self.contact.name), style="bold")
        if self.contact.headline:
            header.append(f" · {printable(self.contact.headline)}")
        title = printable(self.template.title)
        header.append(f" — {title} ({self.index + 1}/{len(self.templates)})",
                      style="italic")
        self.query_one("#draft-header", Static).update(header)
        self.recheck()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.recheck()

    def recheck(self) -> None:
        text = self.editor.text
        report = lint(text, self.template.kind, self.setup.settings)
        self.editor.set_flags([(f.start, f.end) for f in report.findings if f.start is not None])
        self.query_one("#draft-checks", Static).update(checklist_text(report, text))

    # -- getting the note out ------------------------------------------------------------

    def problems(self) -> list[str]:
        """What should stop this draft going out: a job ask, a placeholder left unfilled."""
        report = lint(self.editor.text, self.template.kind, self.setup.settings)
        found = []
        if report.asks_for_job:
            found.append("it asks for a job")
        holes = [f.message.split(" ")[0] for f in report.findings if f.check == "placeholder"]
        if holes:
            found.append(f"{', '.join(holes)} not filled in")
        return found

    def _warn(self, doing: str) -> None:
        if problems := self.problems():
            self.notify(f"{doing} all the same, but {' and '.join(problems)}",
                        title="Check the draft", severity="warning", timeout=8, markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.editor.text)
        self.notify(COPIED, title="Copied", timeout=8, markup=False)
        self._warn("copied")

    def action_save_file(self) -> None:
        def saved(path: Path) -> None:
            self.notify(f"saved the draft to {path}", title="Saved", timeout=8, markup=False)
            self._warn("saved")

        self.app.write(draft_file, self.app.store.path.parent, self.contact,
                       self.template.kind, self.editor.text, on_saved=saved)

    def action_editor(self) -> None:
        text, problem = edit_in_editor(self.app, self.editor.text, prefix="coffeechat-draft-")
        if problem is not None:
            self.notify(problem, title="Draft unchanged", severity="error", timeout=8,
                        markup=False)
        elif text is not None and text != self.editor.text:
            self.editor.replace(text, (0, 0), self.editor.document.end)

    def action_mark_sent(self) -> None:
        if self.sending:
            return
        if problems := self.problems():
            def answered(send: bool | None) -> None:
                if send:
                    self._send()

            self.app.push_screen(ChoiceScreen(
                "Mark it sent?", f"This draft: {' and '.join(problems)}.",
                [("y", "mark it sent anyway", True), ("n", "back to the draft", False)],
                default=False), answered)
            return
        self._send()

    def _send(self) -> None:
        self.sending = True
        kind, before = self.template.kind, self.contact.stage

        def sent(contact: Contact) -> None:
            name = printable(contact.name)
            moved = f"; {name} moved to {contact.stage}" if contact.stage != before else ""
            self.notify(f"logged “{SENT_INTERACTIONS[kind]}”{moved}", title="Marked sent",
                        timeout=5, markup=False)
            self.dismiss(contact)

        future = self.app.write(send_draft, self.app.store, self.contact.id, kind,
                                self.editor.text, on_saved=sent, undo=f"mark {kind} sent")
        future.add_done_callback(lambda f: f.exception() and self._unlock())

    def _unlock(self) -> None:
        self.sending = False

    def action_leave(self) -> None:
        """Back to the board; a draft typed into is kept or dropped as the user says."""
        text = self.editor.text
        if text == fill(self.template.text, self.setup.values)[0] or text == self.setup.kept:
            self.dismiss(None)
            return

        def answered(keep: bool | None) -> None:
            if keep is None:
                return
            if keep:
                self.app.write(keep_draft, self.app.store, self.contact.id,
                               self.template.kind, text)
            else:
                self.app.write(drop_draft, self.app.store, self.contact.id)
            self.dismiss(None)

        self.app.push_screen(ChoiceScreen(
            "Leave the draft", "You changed this draft. Keep it for the next w on this card?",
            [("k", "keep it", True), ("d", "discard it", False)], default=True), answered)

    # -- templates and the question bank -------------------------------------------------

    def action_template(self, delta: int) -> None:
        self.index = (self.index + delta) % len(self.templates)
        self.show_template()

    def action_edit_template(self) -> None:
        template = self.template
        hint = "placeholders: " + " ".join(f"{{{name}}}" for name in PLACEHOLDERS)

        def edited(text: str | None) -> None:
            if text is not None and text != template.text:
                self.app.write(save_template_text, self.app.store, template.id, text,
                               on_saved=self._template_saved)

        self.app.push_screen(
            TextEditScreen(f"Template: {template.title}", template.text, hint,
                           self.setup.settings),
            edited,
        )

    def _template_saved(self, saved: Template) -> None:
        self.templates = [saved if t.id == saved.id else t for t in self.templates]
        self.show_template()
        self.notify(f"saved the template “{printable(saved.title)}”", timeout=3, markup=False)

    def action_questions(self) -> None:
        settings = self.setup.settings
        hint = f"one question a line; tags after |, e.g. | {', '.join(TAGS[:2])}"

        def edited(text: str | None) -> None:
            if text is not None:
                self.app.write(replace_bank, self.app.store, text, on_saved=saved)

        def saved(bank) -> None:
            flagged = sum(is_job_ask(q.text, settings) for q in bank)
            note = f"; {flagged} read as asking for a job or pay" if flagged else ""
            self.notify(f"saved the question bank: {len(bank)} questions{note}", timeout=5)

        def show(bank) -> None:
            self.app.push_screen(
                TextEditScreen("Question bank", bank_text(bank), hint, settings), edited
            )

        self.app.write(questions, self.app.store, on_saved=show)
