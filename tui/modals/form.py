"""`e` — every field of a contact; invalid values explained inline, nothing saved until valid."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Static, TextArea

from store.records import Contact
from store.validate import FORM_FIELDS, apply_form, form_values
from tui.modals.base import Modal
from widgets.safe_text import SafeInput, SafeTextArea

MULTILINE = ("notes", "research", "culture")
LABELS = {"how_we_know": "how we know", "referred_by": "referred by",
          "keep_in_touch": "keep in touch"}
PLACEHOLDERS = {"referred_by": "an id or a name", "keep_in_touch": "6w, 3m, every 2 months, monthly",
                "tags": "comma, separated"}


class EditScreen(Modal[Contact | None]):
    """Returns the edited contact, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s,f2", "save", "Save", priority=True, id="edit.save",
                tooltip="Check every field and save"),
    ]

    DEFAULT_CSS = """
    EditScreen > VerticalScroll { width: 72; height: 90%; }
    EditScreen .field { height: auto; }
    EditScreen .field Label { width: 14; color: $text-muted; }
    EditScreen .field Input, EditScreen .field TextArea { width: 1fr; }
    EditScreen TextArea { height: 4; }
    EditScreen .error { color: $error; text-style: bold; display: none; }
    EditScreen .error.shown { display: block; }
    """

    def __init__(
        self, contact: Contact, referrer_name: str, resolve: Callable[[str], Contact]
    ) -> None:
        super().__init__()
        self.contact = contact
        self._values = form_values(contact, referrer_name)
        self._resolve = resolve

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Edit contact — ctrl+s save, esc cancel"
            for name in FORM_FIELDS:
                with Horizontal(classes="field"):
                    yield Label(LABELS.get(name, name.replace("_", " ")))
                    if name in MULTILINE:
                        yield SafeTextArea(self._values[name], id=f"field-{name}",
                                           soft_wrap=True, compact=True)
                    else:
                        yield SafeInput(self._values[name], id=f"field-{name}", compact=True,
                                        placeholder=PLACEHOLDERS.get(name, ""))
                yield Static("", id=f"error-{name}", classes="error", markup=False)

    def on_mount(self) -> None:
        self.query_one(f"#field-{FORM_FIELDS[0]}").focus()

    def _read(self) -> dict[str, str]:
        values = {}
        for name in FORM_FIELDS:
            widget = self.query_one(f"#field-{name}")
            values[name] = widget.text if isinstance(widget, TextArea) else widget.value
        return values

    def action_save(self) -> None:
        edited, errors = apply_form(self.contact, self._read(), self._resolve)
        for name in FORM_FIELDS:
            error = self.query_one(f"#error-{name}", Static)
            error.update(errors.get(name, ""))
            error.set_class(name in errors, "shown")
        if edited is None:
            first = next(name for name in FORM_FIELDS if name in errors)
            self.query_one(f"#field-{first}").focus()
            self.notify(f"{len(errors)} field(s) to fix; nothing was saved", severity="warning")
            return
        self.dismiss(edited)

    def on_input_submitted(self) -> None:
        self.action_save()
