"""The Textual app: holds the store, the writer thread and the screens' shared keys."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding

from store.changes import CONTACTS, ConflictError, UndoEntry
from store.db import Store
from store.errors import CoffeeError
from store.paths import write_crash_report
from store.permissions import permission_warning
from store.records import Contact, Record
from store.text import printable
from tui.screens.board import BoardScreen
from tui.messages import DataChanged, Saved, SaveFailed

if TYPE_CHECKING:
    from store.quickadd import QuickAdd

CHECK_DISK_SECONDS = 1.0
KEY_FIRST_SECONDS = 0.1  # the longest a thread's read or pass waits for a key's frame


class CoffeeChatApp(App):
    """coffeechat: the board and the screens it opens."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "coffeechat"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="app.help",
                tooltip="Every key of this screen"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        meet_with: Contact | QuickAdd | None = None,
        prepare: Contact | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.clock = clock or store.clock
        self.moment = clock or store.moment  # (see Store.moment)
        self.meet_with = meet_with  # open meeting mode for them at once (coffeechat meet)
        self.prepare = prepare  # open the preparation for them at once (coffeechat prep)
        self.started_frozen = False  # see on_ready
        self.undo_stack: list[UndoEntry] = []
        self.crash_report: Path | None = None
        # A key's frame first (see give_way), but never a key's own work: the UI thread
        # and the writer (a key's write) go straight on.
        self.never_wait = {threading.get_ident()}
        self._writer = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="coffeechat-write",
            initializer=lambda: self.never_wait.add(threading.get_ident()))
        self.key_until = 0.0  # (time.monotonic) threads wait until then, or the frame
        self.key_shown = threading.Event()
        store.give_way = self.give_way
        # Every write, whoever made it, reaches every screen (from whichever thread).
        store.subscribe(lambda changes: self.post_message(DataChanged(changes)))

    def get_default_screen(self) -> BoardScreen:
        """The board is the bottom screen: it composes with the app, so its first frame is
        the app's first (pushed from on_mount, it was laid out and rendered once inside
        the app's start-up batch for nothing), and no empty screen sits under it."""
        return BoardScreen()

    async def on_event(self, event: events.Event) -> None:
        # A key comes here from the terminal, goes on to the focused widget or the screen,
        # and comes back for the bindings: its action has run when that returns.
        key, back = isinstance(event, events.Key), event.is_forwarded  # (going on sets it)
        if key and not back:
            self.key_until = time.monotonic() + KEY_FIRST_SECONDS
            self.key_shown.clear()
        await super().on_event(event)
        if key and back:
            self.call_after_refresh(self._key_done)

    def _key_done(self) -> None:
        self.key_until = 0.0
        self.key_shown.set()

    def give_way(self) -> None:
        """Store.give_way: a thread's long read or pass (the rest of the file, the overdue
        pass) waits between two steps while a key is handled, until its frame is shown
        or KEY_FIRST_SECONDS have passed (a key that does not come back to the app after
        its action: a priority binding, a widget's own). Taking turns with it every
        millisecond, the key took twice as long (`>` at 20,000 contacts during the pass:
        75 ms, not 30)."""
        left = self.key_until - time.monotonic()
        if left > 0 and threading.get_ident() not in self.never_wait:
            self.key_shown.wait(left)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.store.invalid:  # read-only: every write is refused, saying why
            self.notify(printable(str(self.store.read_only_error()).replace(
                "nothing was saved", "nothing can be saved")), title="Read-only",
                severity="error", timeout=30, markup=False)
        self.set_interval(CHECK_DISK_SECONDS, self.check_disk)
        if self.meet_with is not None:
            from tui.screens.meeting import open_meeting

            open_meeting(self, self.meet_with)
        if self.prepare is not None:
            from tui.screens.prep import open_preparation

            open_preparation(self, self.prepare.id)

    def on_ready(self) -> None:
        """The first frame is on screen: now what it does not show (the file's mode,
        checked on the writer thread: before, it took turns with the first frame's work).
        Opened by the CLI, the app started without the cycle collector: freeze what
        start-up built out of its way, then turn it on."""
        self.write(permission_warning, self.store, on_saved=self.warn_permissions)
        if not gc.isenabled():
            self.started_frozen = True  # (the board freezes the rest of the file too)
            gc.freeze()
            gc.enable()

    def warn_permissions(self, warning: str | None) -> None:
        if warning:
            self.notify(printable(warning), title="Private data", severity="warning",
                        timeout=15, markup=False)

    # -- the file is the truth -------------------------------------------------------------

    def on_data_changed(self, message: DataChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(DataChanged(message.changes))

    def check_disk(self) -> None:
        """Another process wrote the file: read it on a thread; the store says what changed."""
        if self.store.changed_on_disk():
            self._read_disk()

    @work(thread=True, exclusive=True, group="disk")
    def _read_disk(self) -> None:
        self.store.refresh()

    # -- writing off the UI thread ---------------------------------------------------------

    def write(
        self,
        fn: Callable,
        *args,
        on_saved: Callable | None = None,
        undo: str | None = None,
        on_error: Callable[[Exception], object] | None = None,
    ) -> Future:
        """Run a store call on the single writer thread, in order; typing never waits.

        With `undo`, a label, the write goes on the undo stack; `on_error` runs on the
        UI thread when it is refused or fails (after the message is shown)."""

        entry = None
        if undo:  # on the stack at once: a `u` right after it undoes it
            entry = UndoEntry(undo)
            self.undo_stack.append(entry)

        def run():
            try:
                with self.store.recording() as changed:
                    result = fn(*args)
            except Exception as exc:  # reported on screen, never as a traceback
                if entry is not None:
                    entry.failed = True
                self.post_message(SaveFailed(exc, on_error, entry))
                raise
            if entry is not None:
                entry.changes = changed()
            self.post_message(Saved(on_saved, result, entry))
            return result

        return self._writer.submit(run)

    def flush_writes(self) -> None:
        """Wait until every write asked for so far is on disk."""
        self._writer.submit(lambda: None).result()

    def on_saved(self, message: Saved) -> None:
        if message.undo is not None and not message.undo.changes:
            self._forget(message.undo)  # it changed nothing
        if message.then is not None:
            message.then(message.result)

    def on_save_failed(self, message: SaveFailed) -> None:
        error = message.error
        text = str(error) if isinstance(error, CoffeeError) else f"could not save: {error!r}"
        title = "Changed elsewhere" if isinstance(error, ConflictError) else "Not saved"
        self.notify(text, title=title, severity="error", timeout=10, markup=False)
        if message.undo is not None:
            self._forget(message.undo)
        if message.on_error is not None:
            message.on_error(error)

    def _forget(self, entry: UndoEntry) -> None:
        if entry in self.undo_stack:
            self.undo_stack.remove(entry)

    def patch(self, before: Record, after: Record, *, label: str = "edit",
              on_saved: Callable | None = None,
              on_error: Callable[[Exception], object] | None = None) -> None:
        """Save the fields a screen changed from `before` (as it read it) to `after`, and
        only those, with the revision it saw. Changed on disk meanwhile, the user sees
        both values of each such field and chooses (ConflictScreen)."""
        seen, wanted = before.fields_doc(), after.fields_doc()
        changes = {name: value for name, value in wanted.items() if seen.get(name) != value}
        if changes:
            self._send_patch(type(before), before.id, changes, seen, before.rev, label,
                             on_saved, on_error)

    def _send_patch(self, cls, record_id, changes, seen, rev, label, on_saved, on_error):
        def refused(error: Exception) -> None:
            if isinstance(error, ConflictError) and error.conflicts:
                self._resolve(cls, record_id, changes, seen, error, label, on_saved, on_error)
            elif on_error is not None:
                on_error(error)

        if cls is Contact:  # a referrer named here may move on to referred
            from store.followups import update_contact

            save = partial(update_contact, self.store, seen=seen, rev=rev)
        else:
            save = partial(self.store.update, cls, seen=seen, rev=rev)
        self.write(save, record_id, changes, on_saved=on_saved, undo=label, on_error=refused)

    def _resolve(self, cls, record_id, changes, seen, error: ConflictError, label, on_saved,
                 on_error):
        from tui.modals.conflict import ConflictScreen

        def chosen(mine: dict | None) -> None:
            if mine is None:
                self.notify("kept what is on disk; your changes to "
                            f"{', '.join(c.field for c in error.conflicts)} were not saved",
                            timeout=6, markup=False)
                if on_error is not None:
                    on_error(error)
                return
            stored = {c.field: c.stored for c in error.conflicts}
            resolved = {**{k: v for k, v in changes.items() if k not in stored}, **mine}
            self._send_patch(cls, record_id, resolved, {**seen, **stored}, error.rev, label,
                             on_saved, on_error)

        self.push_screen(ConflictScreen(error), chosen)

    # -- undo ------------------------------------------------------------------------------

    def undo(self, on_error: Callable[[Exception], object] | None = None) -> UndoEntry | None:
        """Undo the last write made in the app, after any still being written (refused,
        with a message, when the file has moved on in what it changed); the entry, or
        None when there is nothing to undo."""
        if not self.undo_stack:
            self.notify("nothing to undo", timeout=2)
            return None
        entry = self.undo_stack.pop()

        def undone(done: bool) -> None:
            if done:
                self.notify(f"undid {entry.label}{_whom(entry)}", timeout=3, markup=False)

        self.write(self._revert, entry, on_saved=undone, on_error=on_error)
        return entry

    def _revert(self, entry: UndoEntry) -> bool:
        """On the writer thread, so the write being undone has finished (or failed)."""
        if entry.failed:
            return False
        self.store.revert(entry.changes, entry.label)
        return True

    async def action_quit(self) -> None:
        self.flush_writes()
        self.exit()

    def on_unmount(self) -> None:
        self._writer.shutdown(wait=True)

    def action_help(self) -> None:
        from tui.modals.help import HelpScreen  # the first `?` loads it, not the start

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen.active_bindings))

    # -- a crash ---------------------------------------------------------------------------

    def _fatal_error(self) -> None:
        """An unexpected error (Textual's hook): the traceback goes to a file (the CLI
        prints one line naming it) and the app exits with code 1."""
        self.crash_report = write_crash_report(sys.exc_info())
        self.bell()
        self.exit(return_code=1)


def _whom(entry: UndoEntry) -> str:
    names = [c.after or c.before for c in entry.changes.changes if c.table == CONTACTS]
    return f": {printable(str(names[0].get('name', '')))}" if names else ""


def make_app(
    store: Store,
    *,
    clock: Callable[[], datetime] | None = None,
    meet_with: Contact | QuickAdd | None = None,
    prepare: Contact | None = None,
) -> CoffeeChatApp:
    """The app as the CLI and the tests build it; meet_with opens meeting mode at once,
    prepare a meeting's preparation."""
    return CoffeeChatApp(store, clock=clock, meet_with=meet_with, prepare=prepare)
