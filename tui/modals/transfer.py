"""Import… and Export… from the command palette: a format, a path, the CLI's report."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Select, Static

from store.db import Store
from store.errors import CoffeeError
from store.exporting import export, write_file
from store.importing import import_file
from store.text import printable
from tui.modals.base import Modal

IMPORT_CHOICES = [
    ("LinkedIn Connections.csv", "linkedin"),
    ("CSV spreadsheet", "csv"),
    ("vCards (.vcf)", "vcard"),
    ("JSON backup (restores it)", "json"),
]
# "activity" is the Markdown export's activity log (`export markdown --activity`).
EXPORT_CHOICES = [
    ("CSV, one row per contact", "csv"),
    ("JSON backup of everything", "json"),
    ("vCards (.vcf)", "vcard"),
    ("calendar (.ics): meetings and follow-ups", "ics"),
    ("Markdown: notes per meeting", "markdown"),
    ("Markdown: activity log by date", "activity"),
]
HINT = "tab to move · enter runs · esc closes"


@dataclass(frozen=True)
class Outcome:
    lines: list[str]
    error: bool = False


def run_import(store: Store, kind: str, path: str, dry_run: bool) -> Outcome:
    try:
        report = import_file(store, kind, path, dry_run=dry_run)
    except CoffeeError as exc:
        return Outcome([str(exc)], error=True)
    return Outcome(report.lines())


def run_export(store: Store, kind: str, path: str) -> Outcome:
    activity = kind == "activity"
    try:
        write_file(path, export(store, "markdown" if activity else kind, activity=activity))
    except CoffeeError as exc:
        return Outcome([str(exc)], error=True)
    return Outcome([f"exported {'markdown --activity' if activity else kind} to {path}"])


class TransferScreen(Modal[None]):
    """Import or export one file; what an import wrote reaches the board as any write."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="transfer.close",
                tooltip="Close; what was imported stays imported"),
    ]

    DEFAULT_CSS = """
    TransferScreen > Vertical { width: 84; }
    TransferScreen #transfer-report { height: auto; max-height: 20; overflow-y: auto; }
    TransferScreen #transfer-report.-error { color: $error; text-style: bold; }
    """

    def __init__(self, direction: str) -> None:
        super().__init__()
        self.importing = direction == "import"

    def compose(self) -> ComposeResult:
        choices = IMPORT_CHOICES if self.importing else EXPORT_CHOICES
        example = "~/Downloads/Connections.csv" if self.importing else "~/coffeechat.csv"
        with Vertical() as box:
            box.border_title = "Import" if self.importing else "Export"
            yield Select(choices, allow_blank=False, id="transfer-format")
            yield Input(placeholder=f"file path, e.g. {example}", id="transfer-path")
            if self.importing:
                yield Checkbox("dry run: show the report, write nothing", id="transfer-dry-run")
            yield Static(HINT, id="transfer-report", markup=False)

    def on_mount(self) -> None:
        self.query_one("#transfer-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if not path:
            self.show(Outcome(["type the file's path first"], error=True))
            return
        kind = self.query_one("#transfer-format", Select).value
        store = self.app.store
        if self.importing:
            dry_run = self.query_one("#transfer-dry-run", Checkbox).value
            job = partial(run_import, store, kind, path, dry_run)
        else:
            job = partial(run_export, store, kind, path)
        self.show(Outcome(["working…"]))
        self.app.write(job, on_saved=self.show)

    def show(self, outcome: Outcome) -> None:
        if not self.is_mounted:  # closed while the file was being read or written
            return
        report = self.query_one("#transfer-report", Static)
        report.set_class(outcome.error, "-error")
        report.update(printable("\n".join(outcome.lines), keep_newlines=True))
