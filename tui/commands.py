"""Command palette providers: "go to contact …" and every action of the board."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from store.text import fold, printable

MAX_CONTACT_HITS = 50


def highlight(matcher: Matcher, label: str) -> Content:
    """The label with the letters its folded form matched marked, as plain text
    (Matcher.highlight reads it as markup: a contact named "[link=…]" would break the
    palette). Letters are marked only where folding kept the label's length."""
    content = Content(label)
    folded = fold(label)
    if len(folded) != len(label):
        return content
    _, offsets = matcher.fuzzy_search.match(matcher.query, folded)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class BoardCommands(Provider):
    """Contacts by fuzzy name, and the board's keys by their description."""

    def _actions(self):
        screen = self.screen
        for binding in screen.BINDINGS:
            label = f"{binding.description} — {binding.tooltip}"
            yield label, partial(screen.run_action, binding.action)

    async def discover(self) -> Hits:
        for label, run in self._actions():
            yield DiscoveryHit(label, run)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, run in self._actions():
            if score := matcher.match(label):
                yield Hit(score, matcher.highlight(label), run)
        hits, folded = 0, self.matcher(fold(query))
        for contact in self.screen.contacts.values():
            label = f"go to contact: {printable(contact.name)}"
            if score := folded.match(fold(label)):
                yield Hit(score, highlight(folded, label), partial(self.screen.select, contact.id))
                hits += 1
                if hits == MAX_CONTACT_HITS:
                    break


class TransferCommands(Provider):
    """Import… and Export…: a file in or out, with the report `coffeechat import` prints."""

    ITEMS = (
        ("Import…", "import", "contacts from LinkedIn, a CSV, vCards, or restore a JSON backup"),
        ("Export…", "export", "CSV, JSON backup, vCards, calendar or Markdown"),
    )

    def _open(self, direction: str) -> None:
        from tui.modals.transfer import TransferScreen  # loads when first used: a faster start

        # An import comes back to the board as a DataChanged, like any write.
        self.app.push_screen(TransferScreen(direction))

    async def discover(self) -> Hits:
        for label, direction, help in self.ITEMS:
            yield DiscoveryHit(label, partial(self._open, direction), help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, direction, help in self.ITEMS:
            if score := matcher.match(f"{label} {help}"):
                run = partial(self._open, direction)
                yield Hit(score, matcher.highlight(label), run, help=help)
