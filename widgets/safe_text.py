"""Text fields that never send the control characters in their text to the terminal.

A TextArea or Input shows its text as it is: an ESC in a stored name would reach the
terminal and run (clear the screen, set the clipboard). These show each control
character as one visible character instead, so the columns stay where they are: C0 as
its control picture (ESC as ␛, NUL as ␀), DEL as ␡, C1 (CSI on some terminals) and the
invisible format characters (U+202E, which shows a line reversed) as �.
The text itself, what is edited and saved, is unchanged.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, TextArea

from store.text import INVISIBLE

CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code != 0x09}
CONTROL_PICTURES |= {0x7F: 0x2421} | {code: 0xFFFD for code in (*range(0x80, 0xA0), *INVISIBLE)}


def shown(text: str) -> str:
    """`text` with every control character but tab as its picture (one for one)."""
    return text.translate(CONTROL_PICTURES)


class SafeTextArea(TextArea):
    """A TextArea that shows an escape sequence in its text as ␛[2J, never runs it."""

    def get_line(self, line_index: int) -> Text:
        # Built from the document, as TextArea does; rich.Text alone would drop CR and
        # BEL (moving the columns after them) and keep ESC. Tabs are laid out later.
        return Text(shown(self.document.get_line(line_index)), end="", no_wrap=True)


class SafeInput(Input):
    """An Input that shows an escape sequence in its value as ␛[2J, never runs it.

    Focus puts the cursor at the end of the text, never selects it all: one stray key
    after a Tab would replace the whole field."""

    def __init__(self, *args, select_on_focus: bool = False, **kwargs) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    @property
    def _value(self) -> Text:
        if self.password or self.highlighter is not None:
            return super()._value
        return Text(shown(self.value), no_wrap=True, overflow="ignore", end="")
