"""The Textual app: holds the store, the writer thread and the screens' shared keys."""

from __future__ import annotations

import gc
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from store.db import Store
from store.errors import CoffeeError
from store.permissions import permission_warning
from store.quickadd import QuickAdd
from store.records import Contact
from store.text import printable
from tui.board import BoardScreen
from tui.help import HelpScreen


class CoffeeChatApp(App):
    """coffeechat: the board and the screens it opens."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "coffeechat"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help",
                tooltip="Every key of this screen"),
    ]

    class Saved(Message):
        """A write finished on the writer thread; `then` runs on the UI thread."""

        def __init__(self, then: Callable | None, result: object) -> None:
            super().__init__()
            self.then = then
            self.result = result

    class SaveFailed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        meet_with: Contact | QuickAdd | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock or store.clock
        self.meet_with = meet_with  # open meeting mode for them at once (coffeechat meet)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coffeechat-write")

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self.push_screen(BoardScreen())
        self.write(permission_warning, self.store, on_saved=self.warn_permissions)
        if self.meet_with is not None:
            from tui.meeting import open_meeting

            open_meeting(self, self.meet_with)

    def on_ready(self) -> None:
        """The first frame is on screen. Opened by the CLI, the app started without the
        cycle collector: freeze what start-up built out of its way, then turn it on."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def warn_permissions(self, warning: str | None) -> None:
        if warning:
            self.notify(printable(warning), title="Private data", severity="warning",
                        timeout=15, markup=False)

    # -- writing off the UI thread ---------------------------------------------------------

    def write(self, fn: Callable, *args, on_saved: Callable | None = None) -> Future:
        """Run a store call on the single writer thread, in order; typing never waits."""

        def run():
            try:
                result = fn(*args)
            except Exception as exc:  # reported on screen, never as a traceback
                self.post_message(self.SaveFailed(exc))
                raise
            self.post_message(self.Saved(on_saved, result))
            return result

        return self._writer.submit(run)

    def flush_writes(self) -> None:
        """Wait until every write asked for so far is on disk."""
        self._writer.submit(lambda: None).result()

    def on_coffee_chat_app_saved(self, message: Saved) -> None:
        if message.then is not None:
            message.then(message.result)

    def on_coffee_chat_app_save_failed(self, message: SaveFailed) -> None:
        error = message.error
        text = str(error) if isinstance(error, CoffeeError) else f"could not save: {error!r}"
        self.notify(text, title="Not saved", severity="error", timeout=10, markup=False)
        for screen in self.screen_stack:
            if isinstance(screen, BoardScreen):
                screen.reload()

    async def action_quit(self) -> None:
        self.flush_writes()
        self.exit()

    def on_unmount(self) -> None:
        self._writer.shutdown(wait=True)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen.active_bindings))


def make_app(
    store: Store,
    *,
    clock: Callable[[], datetime] | None = None,
    meet_with: Contact | QuickAdd | None = None,
) -> CoffeeChatApp:
    """The app as the CLI and the tests build it; meet_with opens meeting mode at once."""
    return CoffeeChatApp(store, clock=clock, meet_with=meet_with)
