"""The board: five stage columns of contact cards, driven from the keyboard.

The data is a BoardModel (store/board.py); the screen maps keys to it and repaints. A
key's change is shown first and made durable on the app's writer thread right after;
every write, from here, another screen or another process, comes back as a DataChanged
and the model takes in the records it names. The screens the board opens are imported
when first opened, so the board itself starts sooner.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from store.board import BoardModel, DueNews, Move
from store.changes import CONTACTS
from store.errors import CoffeeError
from store.marks import keep, kept
from store.records import STAGES, Contact, Interaction, stage_after
from store.storage import gc_paused
from store.text import printable
from tui.commands import BoardCommands, TransferCommands
from tui.keys import help_key
from tui.messages import DataChanged
from tui.threads import hand_back
from widgets.stage_column import Card, Cards, StageColumn, fit

if TYPE_CHECKING:
    from store.followups import DueItem

# What the first frame does not use (what is due, the reply classes, tidying, the choice
# dialog, the footer) is imported where it is first used: ~10 ms before that frame.

# What a key can do while the file is still being read (after a board-first open, the
# board holds only what its table shows of each contact): look around, ask for help,
# quit, and move a card (shown from what its row holds; the write steps through the rest
# of the file first: see action_move). Any other key waits, with every key after it,
# until the whole file is read (a few hundred ms at 20,000 contacts).
WHILE_READING = {"cursor", "cursor_to", "page", "column", "jump", "zoom", "toggle_archived",
                 "move", "app.help", "app.quit"}
OPENS_A_SCREEN = {"quick_add", "edit", "open_contact", "referral_tree", "stats", "meeting",
                  "draft", "agenda", "reply", "merge", "delete", "settings"}
OVERDUE_ONE_BY_ONE = 20  # more contacts changed at once: one pass over every table
ZOOM_BELOW = 100  # narrower terminals show the focused column alone, the others as strips
EMPTY_HINT = "press n to add your first target, or coffeechat import linkedin Connections.csv"


def _days_since(moment: str, now: datetime) -> int | None:
    try:
        return max((now - datetime.fromisoformat(moment)).days, 0)
    except (TypeError, ValueError):
        return None


def _when(item: DueItem, now: datetime) -> str:
    from store.followups import is_overdue

    if item.due is None:
        return "anytime"
    days = (item.due.date() - now.date()).days
    if is_overdue(item, now):
        return f"overdue {-days}d" if days < 0 else "overdue"
    return "today" if days <= 0 else ("tomorrow" if days == 1 else f"in {days}d")


def detail_line(contact: Contact, now: datetime, due: DueItem | None,
                reply_class: str | None = None) -> str:
    """The focused card in full: name — role @ company · industry · days in stage · how
    they reply · what is due next."""
    parts = [f"{contact.name} — {contact.headline or 'no role yet'}"]
    if contact.industry:
        parts.append(contact.industry)
    days = _days_since(contact.stage_since, now)
    if days is not None:
        parts.append(f"{days}d in {contact.stage}")
    if reply_class is not None:
        parts.append(reply_class)
    if contact.archived:
        parts.append("archived")
    if due is not None:
        parts.append(f"next: {due.what} ({_when(due, now)})")
    return printable(" · ".join(parts))


def header_line(parts: list[str], width: int) -> str:
    """The header's parts joined; short of room the first (least needed) go first, so the
    count and the filter's "shown" stay."""
    while len(parts) > 1 and len(" · ".join(parts)) > width:
        parts = parts[1:]
    return " · ".join(parts)


class BoardScreen(Screen):
    """The kanban of stages; the app's home screen."""

    AUTO_FOCUS = ""  # the keys go to the screen; only the filter ever takes focus
    COMMANDS = {BoardCommands, TransferCommands}
    BINDINGS = [
        # The footer shows the first of these that fit: help and quit first.
        help_key("board"),
        Binding("q", "app.quit", "Quit", id="board.quit",
                tooltip="Quit; every change is already saved"),
        Binding("n", "quick_add", "New", id="board.new",
                tooltip="Quick add: name, role @ company, industry"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="board.up", tooltip="Previous card"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="board.down", tooltip="Next card"),
        Binding("home", "cursor_to(0)", "First", show=False, id="board.first",
                tooltip="First card of the column"),
        Binding("end", "cursor_to(-1)", "Last", show=False, id="board.last",
                tooltip="Last card of the column"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="board.page-up",
                tooltip="One screen of cards up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="board.page-down",
                tooltip="One screen of cards down"),
        Binding("left,h", "column(-1)", "Prev column", show=False, id="board.left",
                tooltip="Focus the column to the left"),
        Binding("right,l", "column(1)", "Next column", show=False, id="board.right",
                tooltip="Focus the column to the right"),
        Binding("greater_than_sign,shift+right", "move(1)", "Next stage", key_display=">",
                id="board.move-next", tooltip="Move the card to the next stage"),
        Binding("less_than_sign,shift+left", "move(-1)", "Prev stage", key_display="<",
                show=False, id="board.move-prev", tooltip="Move the card to the previous stage"),
        *[
            Binding(str(n), f"jump({n - 1})", f"Go to {stage}", show=False,
                    id=f"board.jump-{n}", tooltip=f"Focus the {stage} column")
            for n, stage in enumerate(STAGES, start=1)
        ],
        Binding("e", "edit", "Edit", id="board.edit", tooltip="Edit every field of the card"),
        Binding("enter", "open_contact", "Open", id="board.open",
                tooltip="Everything about the contact: details, links, history, timeline"),
        Binding("slash", "filter", "Filter", key_display="/", id="board.filter",
                tooltip="Filter as you type; esc clears"),
        Binding("m", "meeting", "Meet", id="board.meeting",
                tooltip="Prepare the meeting (F5 there starts it); a running one resumes"),
        Binding("w", "draft", "Write", id="board.draft",
                tooltip="Write a note: the draft the stage calls for, checked for job asks"),
        Binding("a", "agenda", "Agenda", id="board.agenda",
                tooltip="What is due: overdue, today and the next 7 days"),
        Binding("u", "undo", "Undo", id="board.undo",
                tooltip="Undo the last move, archive or edit"),
        Binding("z", "zoom", "Zoom", id="board.zoom",
                tooltip="Zoom: the focused column at full width, the others as strips "
                        f"(on by itself below {ZOOM_BELOW} columns); z again shows all five"),
        Binding("x", "archive", "Archive", id="board.archive", tooltip="Hide the card (u undoes)"),
        Binding("x", "restore", "Restore", id="board.restore",
                tooltip="Bring the archived card back (u undoes)"),
        Binding("M", "merge", "Merge with…", show=False, id="board.merge",
                tooltip="Merge another contact into this one, field by field (u undoes)"),
        Binding("D", "delete", "Delete", show=False, id="board.delete",
                tooltip="Delete the contact with its meetings and follow-ups (u undoes)"),
        Binding("comma", "settings", "Settings", show=False, key_display=",",
                id="board.settings", tooltip="Your name, nudge days, weekly goal, date order…"),
        Binding("v", "toggle_archived", "Archived", show=False, id="board.archived",
                tooltip="Show or hide archived contacts (dimmed)"),
        Binding("t", "referral_tree", "Tree", show=False, id="board.tree",
                tooltip="Who referred whom, from the people nobody referred"),
        Binding("s", "stats", "Stats", show=False, id="board.stats",
                tooltip="Funnel, reply rate, meetings per week, weekly goal"),
        Binding("r", "reply", "Reply", show=False, id="board.reply",
                tooltip="They replied: log it (no more nudges) and schedule the meeting"),
        Binding("E", "employers", "Employers", show=False, id="board.employers",
                tooltip="The LAMP list: employers by motivation, posting, advocacy; top 5 ★"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.model = BoardModel()
        self.cards: dict[int, Card] = {}
        self.active_stage = STAGES[0]
        self.on_archived = False  # the focused card is archived: x restores
        self.held_keys: list[events.Key] = []
        self.reading = False  # the store is still reading the file: see WHILE_READING
        self.keys_while_reading: list[events.Key] = []
        self.writes_while_reading: list[partial] = []  # moves shown, saved after the reading
        self.pass_wanted = False  # a change came while reading: a pass over everyone after
        self.zoom_choice: bool | None = None  # `z` pressed: zoomed or not, whatever the width
        self.filter_input = Input(placeholder="filter: name, role, company, industry, tags, "
                                  "notes", id="filter")

    @property
    def auto_zoom(self) -> bool:
        return self.app.size.width < ZOOM_BELOW

    @property
    def zoomed(self) -> bool:
        return self.auto_zoom if self.zoom_choice is None else self.zoom_choice

    def compose(self) -> ComposeResult:
        # Everything the first frame shows has its size here (the terminal's size is
        # known): the first layout is the last until a key changes something.
        yield Static(id="board-header", markup=False)
        with Horizontal(id="columns"):
            for stage in STAGES:
                yield StageColumn(stage, id=f"column-{stage}",
                                  collapsed=self.zoomed and stage != self.active_stage)
        with Vertical(id="board-bottom"):
            yield Static(id="detail", markup=False)
            yield Container(id="footer-slot")  # the Footer comes after the first frame

    def on_mount(self) -> None:
        self._auto_zoom_was = self.auto_zoom
        self.reading = self.app.store.reading
        self.load(self.app.store.board_contacts())
        if (marks := kept(self.app.store.path)) is not None:
            self.model.show_marks(marks.overdue(self.app.moment()), marks.class_of())
        self.activate(STAGES[0])
        # What the first frame does not show comes after it: the footer, the filter
        # input, and who is overdue (a pass over every table).
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        if not (self.app.is_running and self.is_attached):
            return  # the app quit at once (`q` before the first frame): nothing to add
        # The first frame painted the whole screen, yet Textual keeps the regions each
        # widget asked to repaint before it, and the next layout (the footer's) would
        # paint them all again: a second full frame for nothing.
        for widget in self.walk_children():
            widget._exchange_repaint_regions()
        if self.reading:
            self._read_rest(self.model.ask())
        else:
            self.refresh_overdue()
        self._mount_filter()
        from textual.widgets import Footer  # (~2 ms of import the first frame goes without)

        await self.query_one("#footer-slot").mount(Footer(compact=True))
        self.refresh_bindings()  # the footer shows the keys once told they are known

    def on_unmount(self) -> None:
        """What the cards show of what is due, as the passes and the keys since left it,
        kept for the next start's first frame (store.marks)."""
        if (news := self.model.told()) is not None:
            keep(self.app.store.path, news)

    def _mount_filter(self) -> None:
        if self.filter_input.parent is None:
            self.query_one("#board-bottom").mount(self.filter_input, before="#detail")

    # -- showing the model -------------------------------------------------------------

    @property
    def contacts(self) -> dict[int, Contact]:
        return self.model.contacts

    @property
    def columns(self) -> list[StageColumn]:
        return list(self.query(StageColumn))

    def column(self, stage: str) -> StageColumn:
        return self.query_one(f"#column-{stage}", StageColumn)

    def load(self, contacts: list[Contact], news: DueNews | None = None) -> None:
        """Show these contacts (and what is due with them), keeping the focused card
        where it can."""
        card = self.focused_card()
        self.model.load(contacts)
        if news is not None:
            self.model.take(news)
        self.cards = {}  # made as the columns show them
        self.repaint(STAGES, select=card.contact_id if card else None)
        self.update_detail()

    def card(self, contact_id: int) -> Card:
        """The card of a contact, made the first time a column shows it."""
        card = self.cards.get(contact_id)
        if card is None:
            contact = self.model.contacts[contact_id]
            card = self.cards[contact_id] = Card(
                contact_id, contact.name, contact.role, contact.company,
                self.card_marker(contact), contact.archived
            )
        return card

    def card_marker(self, contact: Contact) -> str:
        """`arch b 12d !`: archived, the reply class's letter, days in stage, overdue."""
        days = _days_since(contact.stage_since, self.app.moment())
        marker = f"{days}d" if days is not None else ""
        if reply_class := self.model.reply_classes.get(contact.id):
            from store.method import CLASS_MARK

            marker = f"{CLASS_MARK[reply_class]} {marker}"
        if contact.id in self.model.overdue:
            marker += " !"
        if contact.archived:
            marker = f"arch {marker}"
        return marker

    def repaint(self, stages, select: int | None = None) -> None:
        """Show the model's cards of these stages (in board order) and the header."""
        for stage in STAGES:
            if stage in stages:
                self.column(stage).set_cards(Cards(self.model.visible_ids(stage), self.card),
                                             select=select)
        self.column(STAGES[0]).hint = "" if self.model.contacts else EMPTY_HINT
        self.update_header()
        self.sync_footer()

    def update_header(self) -> None:
        total, archived = self.model.counts()
        parts = ["coffeechat", self.app.store.path.name,
                 f"{total} contact{'' if total == 1 else 's'}"]
        if archived:
            parts.append(f"{archived} archived" + (" (shown)" if self.model.show_archived else ""))
        if self.model.filter_text:
            shown = sum(len(column.cards) for column in self.columns)
            parts.append(f"filter “{printable(self.model.filter_text)}”: {shown} shown")
        text = header_line(parts, self.app.size.width - 2)
        header = self.query_one("#board-header", Static)
        if text != getattr(self, "_header_text", None):
            self._header_text = text
            header.update(text, layout=False)

    def update_detail(self) -> None:
        """The detail bar: the focused card in full; repainted only when its text changes."""
        contact = self.focused_contact()
        due = self.model.next_due.get(contact.id) if contact else None
        # A due date is said in the local zone's days; the days in a stage need a moment.
        now = self.app.clock() if due is not None else self.app.moment()
        text = detail_line(contact, now, due,
                           self.model.reply_classes.get(contact.id)) if contact else ""
        text = fit(text, self.app.size.width - 2).rstrip()
        if text != getattr(self, "_detail_text", None):
            self._detail_text = text
            self.query_one("#detail", Static).update(text, layout=False)

    def put(self, contact: Contact) -> None:
        """Show a changed contact now (its write follows on the writer thread)."""
        self.cards.pop(contact.id, None)
        self.repaint(self.model.put(contact), select=contact.id)

    def activate(self, stage: str) -> None:
        """Make this stage's column the one the keys act on."""
        self.active_stage = stage
        for column in self.columns:
            column.active = column.stage == stage
        self.apply_zoom()
        self.sync_footer()

    def apply_zoom(self) -> None:
        """Zoomed, every column but the focused one is a strip."""
        zoomed = self.zoomed
        for column in self.columns:
            column.collapsed = zoomed and column.stage != self.active_stage

    def action_zoom(self) -> None:
        self.zoom_choice = not self.zoomed
        self.apply_zoom()

    def on_resize(self) -> None:
        # Across the width where zoom turns on by itself, a `z` choice made before ends.
        if self.auto_zoom != self._auto_zoom_was:
            self._auto_zoom_was = self.auto_zoom
            self.zoom_choice = None
        self.apply_zoom()
        self.update_header()
        self.update_detail()

    def focused_column(self) -> StageColumn:
        return self.column(self.active_stage)

    def focused_card(self) -> Card | None:
        return self.focused_column().highlighted

    def focused_contact(self) -> Contact | None:
        card = self.focused_card()
        return self.model.contacts.get(card.contact_id) if card else None

    def select(self, contact_id: int) -> None:
        """Focus the card of this contact (clearing a filter that hides it)."""
        contact = self.model.contacts.get(contact_id)
        if contact is None:
            return
        if not self.model.is_visible(contact_id):
            self.model.show_archived = self.model.show_archived or contact.archived
            self.clear_filter()
        column = self.column(contact.stage)
        column.set_cards(column.cards, select=contact_id)
        self.activate(contact.stage)

    # -- the file changed: here, on another screen, a worker or another process --------

    def on_data_changed(self, message: DataChanged) -> None:
        changes = message.changes
        if changes.everything:
            self.reload(self.model.ask())
            return
        card = self.focused_card()
        stages = self.model.apply(changes)
        if stages:
            for contact_id in changes.ids(CONTACTS):
                self.cards.pop(contact_id, None)
            self.repaint(stages, select=card.contact_id if card else None)
        followed = self.model.contacts.get(card.contact_id) if card else None
        if followed is not None and followed.stage != self.active_stage:
            self.activate(followed.stage)  # the focused card moved: focus goes with it
        if changes.concerns_everyone:
            self.refresh_overdue()
        elif touched := changes.contact_ids & self.model.contacts.keys():
            self.refresh_overdue(touched)

    @work(thread=True, exclusive=True, group="reload")
    def reload(self, asked: int) -> None:
        """Read every contact again (on a thread) and show them."""
        seen = self.app.store.contents
        contacts = self.app.store.contacts(include_archived=True)
        news = self.news_of_everyone(asked, contacts)
        hand_back(self, self._reloaded, contacts, news, seen)
        keep(self.app.store.path, news)

    def _reloaded(self, contacts: list[Contact], news: DueNews, seen: str | None) -> None:
        """Show a reload's contacts, unless the file has changed since it began: a move
        shown meanwhile and written since (no longer held as unwritten) would step back
        to where that read found it. Read again instead."""
        if self.app.store.contents != seen:
            self.reload(self.model.ask())
        else:
            self.load(contacts, news)

    @work(thread=True, group="read", description="read the rest")
    def _read_rest(self, asked: int) -> None:
        """Read the rest of the file, then every contact whole and what is due."""
        store = self.app.store
        # What is read belongs with what start-up built: frozen with it (App.on_ready).
        with gc_paused(freeze=self.app.started_frozen):
            store.read_rest()
            contacts = store.contacts(include_archived=True)
        hand_back(self, self._read, contacts)
        self._show_everyone(asked, contacts)

    def _read(self, contacts: list[Contact]) -> None:
        """The whole file is read: the board holds every contact whole; the keys that
        waited for it run."""
        self.reading = False
        if stages := self.model.complete(contacts):  # (written meanwhile: rare)
            self.cards = {}
            self.repaint(stages)
        if self.pass_wanted:
            self.pass_wanted = False
            self.refresh_overdue()
        writes, self.writes_while_reading = self.writes_while_reading, []
        for write in writes:  # (before the keys that waited: they came after)
            write()
        keys, self.keys_while_reading = self.keys_while_reading, []
        for key in keys:
            self.app.post_message(key)

    def refresh_overdue(self, only: set[int] | None = None) -> None:
        """Work out on a thread who has something overdue: their cards show `!`. After a
        change to a few contacts only their records are read (all of them take ~0.5 s
        at 20,000). The contacts the board holds are listed here, on the UI thread that
        changes them: the pass does not read and build them a second time."""
        if self.reading:
            self.pass_wanted = True
            return
        contacts = list(self.model.contacts.values())
        if only is None or len(only) > OVERDUE_ONE_BY_ONE:
            self._overdue_pass(self.model.ask(), contacts)
        else:
            self._overdue_of(self.model.ask(), only, contacts)

    # A description of its own: Textual's default is the repr of every argument, here of
    # every contact (15 ms on the UI thread at 2,000, 256 ms at 20,000).
    @work(thread=True, exclusive=True, group="overdue", description="overdue pass")
    def _overdue_pass(self, asked: int, contacts: list[Contact]) -> None:
        self._show_everyone(asked, contacts)

    def _show_everyone(self, asked: int, contacts: list[Contact]) -> None:
        """(On a thread) show what is due with everyone, and keep it for the next start's
        first frame (store.marks)."""
        news = self.news_of_everyone(asked, contacts)
        hand_back(self, self.show_overdue, news)
        keep(self.app.store.path, news)

    @work(thread=True, group="overdue", description="overdue of a few")  # (as above)
    def _overdue_of(self, asked: int, only: set[int], contacts: list[Contact]) -> None:
        hand_back(self, self.show_overdue, self.overdue_news(asked, only, contacts))

    def news_of_everyone(self, asked: int, contacts: list[Contact]) -> DueNews:
        """What is due with every one of these contacts, from every record."""
        from store.followups import due_items, next_due, overdue_ids
        from store.method import reply_classes

        store, now = self.app.store, self.app.clock()
        items = due_items(store, now, contacts=contacts)
        soonest: dict[int, DueItem | None] = {contact.id: None for contact in contacts}
        soonest.update(next_due(items))
        classes: dict[int, str | None] = {contact.id: None for contact in contacts}
        classes.update(reply_classes(store, now, contacts=contacts))
        return DueNews(asked, overdue_ids(items, now), soonest, classes, everyone=True)

    def overdue_news(self, asked: int, only: set[int], contacts: Collection[Contact],
                     logged: Collection[Interaction] = ()) -> DueNews:
        """What is due with the contacts of `only`, from their own records. `contacts`:
        as the board holds them, the contacts of `only` as shown and the employers'
        targets a 3B item names (not read and built again: 10x longer); `logged`: what a
        write on its way will add."""
        from store.followups import due_items, next_due, overdue_ids
        from store.method import reply_classes

        store, now = self.app.store, self.app.clock()
        news = DueNews(asked, set(), dict.fromkeys(only), dict.fromkeys(only))
        for contact_id in only:
            items = due_items(store, now, contact_id, contacts, logged)
            news.overdue |= overdue_ids(items, now)
            news.soonest.update(next_due(items))
            news.classes.update(reply_classes(store, now, contact_id, contacts, logged))
        return news

    def due_now(self, contact_id: int, logged: Collection[Interaction] = ()) -> None:
        """Work out what is due with one contact now, from its own records (and `logged`,
        what a write on its way adds), and show it, in the key's own frame. Left to a
        pass over everyone while the file is still being read (the card is a board row:
        the pass after the reading shows it), while another thread uses the store or
        another process has changed the file (a key never waits for the one nor decodes
        the other). A pass that began before read the contact as it was: its news of it
        is older than this, and not taken."""
        news = None
        with self.app.store.if_idle() as idle:
            if idle and not self.reading:
                news = self.overdue_news(self.model.ask(), {contact_id},
                                         self.model.contacts.values(), logged)
        if news is not None:
            self.show_overdue(news)

    def show_overdue(self, news: DueNews) -> None:
        """Show what a pass found: the cards' `!` and reply letters, the detail bar."""
        changed = self.model.take(news)
        for contact_id in changed:
            self.cards.pop(contact_id, None)
        self.update_detail()
        if changed:
            self.repaint({self.model.contacts[contact_id].stage for contact_id in changed})

    # -- actions ---------------------------------------------------------------------

    def action_column(self, delta: int) -> None:
        index = STAGES.index(self.focused_column().stage) + delta
        self.action_jump(min(max(index, 0), len(STAGES) - 1))

    def action_jump(self, index: int) -> None:
        self.activate(STAGES[index])
        self.learn_focused()

    def action_cursor(self, delta: int) -> None:
        self.focused_column().move_cursor(delta)
        self.sync_footer()
        self.learn_focused()

    def action_cursor_to(self, index: int) -> None:
        self.focused_column().cursor_to(index)
        self.sync_footer()
        self.learn_focused()

    def action_page(self, direction: int) -> None:
        self.focused_column().page(direction)
        self.sync_footer()
        self.learn_focused()

    def learn_focused(self) -> None:
        """The detail bar's next item for the card a key focused, worked out at once when
        no pass has told it yet (before the first pass over everyone is shown), not when
        that pass ends, in the middle of some later key's frames."""
        contact = self.focused_contact()
        if contact is not None and not self.model.knows_due(contact.id):
            self.due_now(contact.id)

    def action_move(self, delta: int) -> None:
        contact = self.focused_contact()
        if contact is None:
            return
        stage = stage_after(contact.stage, delta)
        if stage == contact.stage:
            self.notify(f"already at {contact.stage}", timeout=2)
            return
        move = Move(contact.id, contact.stage, stage, self.app.store.now())
        self.cards.pop(contact.id, None)
        self.repaint(self.model.move(move), select=contact.id)
        self.activate(stage)
        # What the move changes of the card's `!` and reply class and of the detail bar's
        # next item, worked out now with what the write will log: the frame that shows
        # the move is its last, and the overdue pass after the write finds nothing to
        # repaint.
        from store.followups import logged_by_move

        self.due_now(contact.id, logged_by_move(contact.id, contact.stage, stage, move.at))

        def refused(_: Exception) -> None:
            self.model.written(move)
            self.reread(contact.id)

        # Saved once the screen shows the move: at 20,000 contacts the write's JSON
        # encoding would otherwise compete with this repaint for the interpreter. It
        # names the stage the card was in: moved elsewhere meanwhile, nothing moves.
        # While the file is read, saved once it is: a write then would decode the rest
        # itself, and its encoding beside the reading raised the app's peak memory at
        # 20,000 (137 -> 146-150 MB) for no earlier save.
        from store.followups import move_contact

        write = partial(self.app.write, move_contact, self.app.store, contact.id, stage,
                        move.at, contact.stage, undo=f"move to {stage}",
                        on_saved=lambda _: self.model.written(move), on_error=refused)
        if self.reading:
            self.writes_while_reading.append(write)
        else:
            self.call_after_refresh(write)

    def reread(self, contact_id: int) -> None:
        """Show a contact as the file has it (after a write of it was refused), and what
        is due with it (a move shows that as if written)."""
        try:
            contact = self.app.store.contact(contact_id)
        except CoffeeError:
            self.cards.pop(contact_id, None)
            self.repaint(self.model.drop(contact_id))
            return
        self.put(contact)
        self.select(contact_id)
        self.refresh_overdue({contact_id})

    def action_quick_add(self) -> None:
        from store.merge import find_duplicate
        from tui.modals.choice import ChoiceScreen
        from tui.modals.quick_add import QuickAddScreen

        stage = self.focused_column().stage

        def added(contact: Contact) -> None:
            self.select(contact.id)

        def add(contact: Contact) -> None:
            self.app.write(self.app.store.add_contact, contact, on_saved=added, undo="add")

        def chosen(parsed) -> None:
            if parsed is None:
                return
            contact = parsed.contact(stage=stage)
            twin = find_duplicate(self.model.contacts.values(), contact.fields_doc())
            if twin is None:
                add(contact)
                return

            def answered(answer: str | None) -> None:
                if answer == "add":
                    add(contact)
                elif answer == "open":
                    self.select(twin.id)
                    self.action_open_contact()

            where = f"{twin.headline} · {twin.stage}" + (" · archived" if twin.archived else "")
            self.app.push_screen(ChoiceScreen(
                "Someone you have already?",
                f"{twin.name} ({where}) looks like the same person.",
                [("o", "open them instead", "open"), ("a", "add all the same", "add")],
                default="open"), answered)

        self.app.push_screen(QuickAddScreen(stage), chosen)

    def action_edit(self) -> None:
        from tui.modals.form import EditScreen

        contact = self.focused_contact()
        if contact is None:
            return
        referrer = self.model.contacts.get(contact.referred_by) if contact.referred_by else None

        def edited(result: Contact | None) -> None:
            if result is not None:
                self.app.patch(contact, result, on_error=lambda _: self.reread(contact.id))

        screen = EditScreen(contact, referrer.name if referrer else "", self.app.store.resolve)
        self.app.push_screen(screen, edited)

    def action_archive(self) -> None:
        self._set_archived(True)

    def action_restore(self) -> None:
        self._set_archived(False)

    def _set_archived(self, archived: bool) -> None:
        contact = self.focused_contact()
        if contact is None or contact.archived == archived:
            return
        verb = "archive" if archived else "restore"
        self.put(contact.replace(archived=archived))
        self.app.write(self.app.store.set_archived, contact.id, archived, undo=verb,
                       on_error=lambda _: self.reread(contact.id))
        self.notify(f"{verb}d {printable(contact.name)} — u to undo", timeout=4, markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`x` archives a card, or restores an archived one: the footer shows which."""
        if action in ("archive", "restore"):
            contact = self.focused_contact()
            return (action == "restore") == bool(contact and contact.archived)
        return True

    def sync_footer(self) -> None:
        """The footer follows the focused card (archived or not); refreshed only when
        that changes, so an arrow key repaints no footer. The detail bar follows it too."""
        self.update_detail()
        contact = self.focused_contact()
        archived = bool(contact and contact.archived)
        if archived != self.on_archived:
            self.on_archived = archived
            self.refresh_bindings()

    # -- tidying: merge, delete, settings ------------------------------------------------

    def action_merge(self) -> None:
        from store.merge import find_duplicate, mark_distinct, merge, plan_merge
        from tui.modals.merge import MergeScreen, PickContactScreen

        keep = self.focused_contact()
        if keep is None:
            return
        store = self.app.store

        def picked(other_id: int | None) -> None:
            if other_id is None:
                return
            try:
                plan = plan_merge(store, keep.id, other_id)
            except CoffeeError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return

            def answered(answer) -> None:
                if answer == "distinct":
                    self.app.write(mark_distinct, store, keep.id, other_id,
                                   undo="not a duplicate")
                elif answer is not None:
                    self.app.write(merge, store, answer, undo="merge",
                                   on_saved=lambda kept: self.select(kept.id))

            self.app.push_screen(MergeScreen(plan), answered)

        contacts = self.model.contacts.values()
        twin = find_duplicate(contacts, keep.fields_doc(), not_id=keep.id)
        others = [c for c in contacts if c.id != keep.id and c.merged_into is None]
        self.app.push_screen(PickContactScreen(keep, others, twin), picked)

    def action_delete(self) -> None:
        from store.merge import delete_contact, plan_delete
        from tui.modals.choice import ChoiceScreen

        contact = self.focused_contact()
        if contact is None:
            return
        deletion = plan_delete(self.app.store, contact.id)
        text = f"Deletes {deletion.summary()}. A copy of the file is kept in the backup folder."
        if deletion.referred:
            names = ", ".join(c.name for c in deletion.referred[:8])
            text += f"\nThey referred {len(deletion.referred)}: {names}."
            answers = [("c", "delete, and clear their referrer", "clear"),
                       ("k", "delete, and keep the link to a deleted contact", "keep")]
        else:
            answers = [("y", "delete", "delete")]

        def answered(links: str | None) -> None:
            if links is not None:
                self.app.write(delete_contact, self.app.store, contact.id,
                               None if links == "delete" else links, undo="delete")

        self.app.push_screen(ChoiceScreen("Delete for good?", text, answers), answered)

    def action_settings(self) -> None:
        from tui.modals.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_undo(self) -> None:
        # After the refresh: a key just before may have a write still to send.
        self.call_after_refresh(self._undo)

    def _undo(self) -> None:
        shown: list[int] = []  # refused, these are shown as the file has them again
        entry = self.app.undo(on_error=lambda _: [self.reread(cid) for cid in shown])
        if entry is None or not entry.changes:
            return  # still being written: the feed shows the undo once it is
        for change in entry.changes.changes:
            if change.table == CONTACTS and change.before is not None:
                self.put(Contact.from_doc(change.before, change.id))
                shown.append(change.id)
        if shown:
            self.select(min(shown))

    def action_open_contact(self) -> None:
        from tui.screens.contact import ContactScreen

        contact = self.focused_contact()
        if contact is None:
            return
        self.app.push_screen(ContactScreen(contact.id), lambda _: self.select(contact.id))

    def action_referral_tree(self) -> None:
        from tui.screens.tree import TreeScreen

        self.app.push_screen(TreeScreen(self.model.contacts.values()))

    def action_agenda(self) -> None:
        from tui.screens.agenda import AgendaScreen

        def back(contact_id: int | None) -> None:
            if contact_id is not None:
                self.select(contact_id)

        self.app.push_screen(AgendaScreen(), back)

    def action_employers(self) -> None:
        from tui.screens.employers import EmployersScreen

        self.app.push_screen(EmployersScreen())

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_meeting(self) -> None:
        from tui.screens.prep import open_preparation

        contact = self.focused_contact()
        if contact is not None:
            open_preparation(self.app, contact.id)

    def action_reply(self) -> None:
        from tui.modals.schedule import reply

        contact = self.focused_contact()
        if contact is not None:
            reply(self.app, contact)

    def action_draft(self) -> None:
        from tui.screens.draft import open_draft

        contact = self.focused_contact()
        if contact is None:
            return

        open_draft(self.app, contact.id, lambda _: self.select(contact.id))

    def action_toggle_archived(self) -> None:
        self.model.show_archived = not self.model.show_archived
        self.repaint(STAGES)

    # -- filter ----------------------------------------------------------------------

    def action_filter(self) -> None:
        self._mount_filter()
        filter_input = self.filter_input
        filter_input.add_class("shown")
        for contact_id in self.model.contacts:  # made now, before the first letter comes
            self.model.haystack(contact_id)
        self.set_focus(filter_input)

    async def on_key(self, event: events.Key) -> None:
        """Keys can arrive in one burst (a paste, a slow SSH link): Textual hands the
        screen every key of it before it runs the first key's binding. So `/` opens the
        filter here, in order, and takes the letters that follow; a key that opens
        another screen (`n`, `e`, `a`, ...) runs here too, and the keys after it are
        handed to that screen once it is shown, instead of running as board keys."""
        filter_input = self.filter_input
        active = self.active_bindings.get(event.key)
        if self.reading and (self.keys_while_reading or not (
                active and (active.node is not self
                            or active.binding.action.partition("(")[0] in WHILE_READING))):
            self.keys_while_reading.append(events.Key(event.key, event.character))
        elif self.app.screen is not self:
            self._hold(event)
        elif self.focused is filter_input:
            if event.is_printable:
                filter_input.insert_text_at_cursor(event.character)
            elif event.key == "backspace":
                filter_input.action_delete_left()
            elif event.key == "enter":
                self.leave_filter()
            else:
                return  # escape and the rest: as if typed after the burst
        elif event.key == "slash":
            self.action_filter()
        elif active and active.node is self and active.binding.action in OPENS_A_SCREEN:
            await self.run_action(active.binding.action)
        else:
            return
        event.stop()
        event.prevent_default()

    def _hold(self, event: events.Key) -> None:
        """A key of the burst that opened the screen now on top: it was typed for it."""
        if not self.held_keys:
            self.app.call_after_refresh(self._hand_over_held_keys)
        self.held_keys.append(events.Key(event.key, event.character))

    def _hand_over_held_keys(self) -> None:
        held, self.held_keys = self.held_keys, []
        for key in held:
            self.app.post_message(key)

    @on(Input.Changed, "#filter")
    def on_filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, value: str) -> None:
        if self.model.set_filter(value):
            self.repaint(STAGES)
            # The input repaints its letter at the next frame; the columns would each
            # ask for theirs only after it, a frame (~17 ms) later. Repainting the
            # screen puts both in the same frame.
            self.refresh()

    @on(Input.Submitted, "#filter")
    def leave_filter(self) -> None:
        """Back to the cards: to a column that shows some, if the active one shows none."""
        self.set_focus(None)
        if not self.focused_column().cards:
            shown = next((c for c in self.columns if c.cards), self.focused_column())
            self.activate(shown.stage)

    def clear_filter(self) -> None:
        filter_input = self.filter_input
        filter_input.value = ""
        filter_input.remove_class("shown")
        self.model.set_filter("")
        self.repaint(STAGES)

    def key_escape(self) -> None:
        if self.model.filter_text or self.filter_input.has_focus:
            self.clear_filter()
            self.leave_filter()
