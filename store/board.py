"""The board's data, apart from its screen: contacts by stage in board order, the filter,
whether archived contacts are shown, and what is due with each contact (who has something
overdue, each one's next item and reply class) as the latest pass over their records found.

The screen maps keys to these operations and repaints the stages they return; tests
drive the model directly. Board order is newest in its stage first (the id breaks a tie),
the same whether the contacts were loaded together or changed one at a time, so the board
after any series of changes equals a fresh read of the file.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from store.changes import CONTACTS, Changes
from store.records import STAGES, Contact
from store.text import fold

if TYPE_CHECKING:
    from store.followups import DueItem  # (not loaded before the board's first frame)

SEARCHED_FIELDS = ("name", "role", "company", "industry", "notes")


class _Newest:
    """A sort key that orders larger first (board lists run newest first)."""

    __slots__ = ("key",)

    def __init__(self, key: tuple) -> None:
        self.key = key

    def __lt__(self, other: _Newest) -> bool:
        return self.key > other.key


def _order_key(contact: Contact) -> tuple[str, int]:
    return (contact.stage_since, contact.id)


def _put(known: dict, key: int, value: object) -> bool:
    """Put `value` in `known` (None: drop the key); True if that changed it."""
    if known.get(key) == value:
        return False
    if value is None:
        del known[key]
    else:
        known[key] = value
    return True


def _shown(contact: Contact) -> tuple:
    """What the board shows of a contact, finds it by, and orders it by."""
    return (*(getattr(contact, name) for name in SEARCHED_FIELDS), contact.tags, contact.stage,
            contact.stage_since, contact.archived)


@dataclass
class DueNews:
    """What one pass over some contacts' records found. `soonest` and `classes` have a
    key for every contact the pass covers (None: no item, no class); `asked` numbers the
    passes in the order the board asked for them (BoardModel.ask)."""

    asked: int
    overdue: set[int]
    soonest: dict[int, DueItem | None]
    classes: dict[int, str | None]
    everyone: bool = False  # a pass over every contact the board held


class Move(NamedTuple):
    """A card moved on the board from `from_stage` to `stage` at `at`, shown before its
    write (move_contact, which moves nothing unless the file has it in `from_stage`)."""

    contact_id: int
    from_stage: str
    stage: str
    at: str


class BoardModel:
    """Every contact the board may show, and what it shows of them. Loaded from the
    file's board table (a board-first start), `contacts` holds BoardRows (store.board_rows:
    what a card shows) until `complete` takes the whole records in."""

    def __init__(self) -> None:
        self.contacts: dict[int, Contact] = {}
        self.archived_ids: set[int] = set()  # (the header counts them at every repaint)
        self.stage_order: dict[str, list[int]] = {stage: [] for stage in STAGES}
        self.overdue: set[int] = set()
        self.next_due: dict[int, DueItem] = {}  # each contact's soonest item (the detail bar)
        self.reply_classes: dict[int, str] = {}  # booster, obligate, curmudgeon (the cards)
        self.passes = 0  # passes over the records asked for so far
        self._told: dict[int, int] = {}  # the pass whose news a contact shows, if later
        self._told_everyone = 0  # than the last pass over everyone whose news is shown
        self.filter_text = ""
        self.show_archived = False
        self._haystack: dict[int, str] = {}  # filled as the filter needs it
        self._unwritten: dict[int, list[Move]] = {}  # moves shown, their writes not done

    def load(self, contacts: Iterable[Contact]) -> None:
        self.contacts = {c.id: c for c in contacts}
        for contact_id in self._unwritten.keys() & self.contacts.keys():
            self.contacts[contact_id] = self._as_shown(self.contacts[contact_id])
        self.archived_ids = {c.id for c in self.contacts.values() if c.archived}
        self.stage_order = {stage: [] for stage in STAGES}
        # Tuples sort in C: newest in its stage first, the higher id first on a tie.
        for _, contact_id, stage in sorted(
            ((c.stage_since, c.id, c.stage) for c in self.contacts.values()), reverse=True
        ):
            self.stage_order[stage].append(contact_id)
        self._haystack = {}

    def show_marks(self, overdue: set[int], classes: dict[int, str]) -> None:
        """Show these `!` and reply classes until a pass says what is due now (kept from
        the last one: store.marks), for the contacts loaded."""
        self.overdue = overdue & self.contacts.keys()
        self.reply_classes = {cid: name for cid, name in classes.items() if cid in self.contacts}

    # -- changes ---------------------------------------------------------------------

    def move(self, move: Move) -> set[str]:
        """Show a move before its write is done; the stages whose columns change. Until
        `written` is told, a record of the contact read from the file (a read begun
        before the write: `load`, `apply`, `complete`) shows it too, if the file still
        has the contact where the move took it from: the card never steps back."""
        self._unwritten.setdefault(move.contact_id, []).append(move)
        return self.put(self.contacts[move.contact_id].moved(move.stage, move.at))

    def written(self, move: Move) -> None:
        """The move's write is done, or refused: records from the file show it, or not."""
        moves = self._unwritten.get(move.contact_id, [])
        if move in moves:
            moves.remove(move)
        if not moves:
            self._unwritten.pop(move.contact_id, None)

    def _as_shown(self, contact: Contact) -> Contact:
        """A contact read from the file with the moves shown and not written yet."""
        for move in self._unwritten.get(contact.id, ()):
            if contact.stage == move.from_stage:
                contact = contact.moved(move.stage, move.at)
        return contact

    def put(self, contact: Contact) -> set[str]:
        """Take a new or changed contact in; the stages whose columns change (none when
        nothing the board shows of it changed: the write of a move already shown)."""
        old = self.contacts.get(contact.id)
        self.contacts[contact.id] = contact
        if contact.archived:
            self.archived_ids.add(contact.id)
        else:
            self.archived_ids.discard(contact.id)
        if old is not None and _shown(old) == _shown(contact):
            return set()
        self._haystack.pop(contact.id, None)
        if old is not None and (old.stage, _order_key(old)) == (contact.stage, _order_key(contact)):
            return {contact.stage}
        if old is not None:
            self.stage_order[old.stage].remove(contact.id)
        order = self.stage_order[contact.stage]
        key = _Newest(_order_key(contact))
        order.insert(bisect_left(order, key, key=lambda cid: _Newest(_order_key(self.contacts[cid]))),
                     contact.id)
        return {contact.stage} | ({old.stage} if old else set())

    def complete(self, contacts: Iterable[Contact]) -> set[str]:
        """Take the whole records of contacts loaded from the board table: one at the
        revision and in the stage shown, with the moves shown and not written yet, is
        the contact shown (nothing to repaint, nothing to reorder); one written since, or
        read before the write of a move shown (and told written since), is put; one this
        model holds newer is kept. The stages to repaint."""
        stages: set[str] = set()
        held, unwritten = self.contacts, self._unwritten
        for contact in contacts:
            if contact.id in unwritten:
                contact = self._as_shown(contact)
            shown = held.get(contact.id)
            if shown is not None and shown.rev == contact.rev and shown.stage == contact.stage:
                held[contact.id] = contact
            elif shown is None or shown.rev <= contact.rev:
                stages |= self.put(contact)
        self._haystack = {}  # (the board table has no notes and no tags to search)
        return stages

    def drop(self, contact_id: int) -> set[str]:
        """A contact that is gone from the file; the stage whose column changes."""
        old = self.contacts.pop(contact_id, None)
        if old is None:
            return set()
        self.stage_order[old.stage].remove(contact_id)
        self._haystack.pop(contact_id, None)
        self.archived_ids.discard(contact_id)
        self.overdue.discard(contact_id)
        self.next_due.pop(contact_id, None)
        self.reply_classes.pop(contact_id, None)
        return {old.stage}

    def apply(self, changes: Changes) -> set[str]:
        """Take in what a write changed (its documents as written); the stages to repaint."""
        stages: set[str] = set()
        for change in changes.changes:
            if change.table != CONTACTS:
                continue
            if change.after is None:
                stages |= self.drop(change.id)
            else:
                stages |= self.put(self._as_shown(Contact.from_doc(change.after, change.id)))
        return stages

    def ask(self) -> int:
        """The number of a pass about to read the records (its news will carry it)."""
        self.passes += 1
        return self.passes

    def knows_due(self, contact_id: int) -> bool:
        """A pass has told what is due with the contact (else `next_due` has no item for
        it because none has looked yet)."""
        return bool(self._told_everyone) or contact_id in self._told

    def told(self) -> DueNews | None:
        """What the cards show of what is due with everyone, as one pass's news; None
        before the first pass over everyone is taken."""
        if not self._told_everyone:
            return None
        return DueNews(self.passes, set(self.overdue), dict(self.next_due),
                       dict(self.reply_classes), everyone=True)

    def take(self, news: DueNews) -> set[int]:
        """Take a pass's news of the contacts no later pass has told of (passes run on
        threads and may end in any order: an earlier one read the file as it was); the
        contacts whose cards change."""
        # In set and dict operations, not a loop of lookups a contact: a pass over
        # everyone brings news of 20,000 contacts, taken on the UI thread.
        told, everyone = self._told, self._told_everyone
        fresh = (set(news.soonest) if everyone < news.asked and not told else
                 {cid for cid in news.soonest if max(told.get(cid, 0), everyone) < news.asked})
        if news.everyone and news.asked > everyone:
            self._told_everyone = news.asked
            self._told = {cid: asked for cid, asked in told.items() if asked > news.asked}
        else:
            told.update(dict.fromkeys(fresh, news.asked))
        was, now = self.overdue & fresh, news.overdue & fresh
        self.overdue -= was
        self.overdue |= now
        changed = was ^ now
        classes, held = news.classes, self.reply_classes
        for cid in [cid for cid in fresh if held.get(cid) != classes[cid]]:
            _put(held, cid, classes[cid])
            changed.add(cid)
        due = self.next_due
        for cid in fresh & due.keys():
            del due[cid]
        due.update({cid: item for cid in fresh if (item := news.soonest[cid]) is not None})
        return changed & self.contacts.keys()

    # -- what is shown ---------------------------------------------------------------

    def visible_ids(self, stage: str) -> list[int]:
        ids, archived = self.stage_order[stage], self.archived_ids
        if self.show_archived or not archived:
            ids = list(ids)  # (the column keeps its own: the model's changes as it goes)
        else:
            ids = [cid for cid in ids if cid not in archived]
        if self.filter_text:
            ids = [cid for cid in ids if self.filter_text in self.haystack(cid)]
        return ids

    def is_visible(self, contact_id: int) -> bool:
        contact = self.contacts.get(contact_id)
        return contact is not None and contact_id in self.visible_ids(contact.stage)

    def set_filter(self, value: str) -> bool:
        """Filter by this text (accents, case and spaces ignored as `fold` does); True if
        it changed."""
        text = fold(value)
        changed = text != self.filter_text
        self.filter_text = text
        return changed

    def haystack(self, contact_id: int) -> str:
        """The contact's searchable text, made the first time a filter needs it."""
        haystack = self._haystack.get(contact_id)
        if haystack is None:
            contact = self.contacts[contact_id]
            parts = [getattr(contact, name) for name in SEARCHED_FIELDS] + contact.tags
            haystack = self._haystack[contact_id] = "\n".join(map(fold, parts))
        return haystack

    def counts(self) -> tuple[int, int]:
        """(contacts not archived, archived)."""
        archived = len(self.archived_ids)
        return len(self.contacts) - archived, archived
