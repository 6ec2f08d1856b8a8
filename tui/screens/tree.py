"""`t` — the referral tree: who led to whom, from the contacts nobody referred.

Children are added to a node only when it is first expanded, and a level shows PAGE
contacts at a time (a "… more" line adds the next), so 20,000 contacts open as fast as a
hundred. Changes to the file relabel the contacts or draw the tree again.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode

from store.changes import CONTACTS
from store.records import Contact, Meeting
from store.stats import Forest, held, referral_count, referral_forest, referrals_per_meeting
from store.text import printable
from store.numbers import ratio
from tui.screens.contact import ContactScreen
from tui.messages import DataChanged

PAGE = 100  # contacts added to one level at a time


def node_label(contact: Contact, referred: int) -> Text:
    label = Text(printable(contact.name), style="bold")
    label.append(f" · {contact.stage}")
    if contact.archived:
        label.append(" (archived)", style="dim")
    if referred:
        label.append(f" · led to {referred}", style="dim")
    return label


class ReferralTree(Tree[int]):
    """A tree of contact ids that grows a node's children when it is expanded."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="tree.open", tooltip="Open the contact"),
        Binding("space", "toggle_node", "Expand", id="tree.toggle",
                tooltip="Show or hide whom this contact referred"),
        Binding("right,l", "expand", "Expand", show=False, id="tree.expand",
                tooltip="Show whom this contact referred"),
        Binding("left,h", "collapse", "Collapse", show=False, id="tree.collapse",
                tooltip="Hide the referred, or go to the referrer"),
        Binding("down,j", "cursor_down", "Down", show=False, id="tree.down",
                tooltip="Next contact"),
        Binding("up,k", "cursor_up", "Up", show=False, id="tree.up", tooltip="Previous contact"),
    ]

    def __init__(self, forest: Forest, contacts: dict[int, Contact], **kwargs) -> None:
        super().__init__(Text("referrals"), **kwargs)
        self.forest = forest
        self.contacts = contacts
        self.nodes_by_contact: dict[int, TreeNode[int]] = {}
        # a "… more" line → the level it continues: its parent, its ids, where to go on
        self.more: dict[TreeNode[int], tuple[TreeNode[int], list[int], int]] = {}
        self.show_root = False
        self.auto_expand = False  # enter opens the contact; space, l and → expand

    def on_mount(self) -> None:
        # the roots that led to the most people first
        roots = sorted(self.forest.roots, key=lambda i: -len(self.forest.children[i]))
        self.add_contacts(self.root, roots)
        self.root.expand()
        self.cursor_line = 0

    def add_contacts(self, parent: TreeNode[int], contact_ids: list[int], start: int = 0) -> None:
        """Add a page of contact_ids from `start`, and a "… more" line if some are left."""
        page = contact_ids[start:start + PAGE]
        for contact_id in page:
            referred = len(self.forest.children.get(contact_id, ()))
            node = parent.add(node_label(self.contacts[contact_id], referred), data=contact_id,
                              allow_expand=bool(referred))
            self.nodes_by_contact[contact_id] = node
        left = len(contact_ids) - start - len(page)
        if left > 0:
            more = parent.add_leaf(
                Text(f"… {left} more (enter shows {min(left, PAGE)})", style="italic")
            )
            self.more[more] = (parent, contact_ids, start + PAGE)

    def on_tree_node_selected(self, event: Tree.NodeSelected[int]) -> None:
        if event.node in self.more:
            event.stop()
            parent, contact_ids, start = self.more.pop(event.node)
            event.node.remove()
            self.add_contacts(parent, contact_ids, start)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[int]) -> None:
        node = event.node
        if node.data is not None and not node.children:
            self.add_contacts(node, self.forest.children.get(node.data, []))

    def relabel(self, contact: Contact) -> None:
        self.contacts[contact.id] = contact
        node = self.nodes_by_contact.get(contact.id)
        if node is not None:
            node.set_label(node_label(contact, len(self.forest.children.get(contact.id, ()))))

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is not None and node.is_expanded:
            node.collapse()
        else:
            self.action_cursor_parent()


class TreeScreen(Screen[set[int]]):
    """The referral forest with its size, depth and referrals per meeting."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="tree-screen.back", tooltip="Back to the board"),
    ]

    DEFAULT_CSS = """
    TreeScreen #tree-header {
        dock: top; height: auto; padding: 0 1; background: $panel;
    }
    TreeScreen ReferralTree { height: 1fr; padding: 0 1; }
    """

    def __init__(self, contacts: Iterable[Contact]) -> None:
        """`contacts`: every contact, archived included (the board has them in memory)."""
        super().__init__()
        self.contacts = {c.id: c for c in contacts}

    def compose(self) -> ComposeResult:
        store = self.app.store
        contacts = list(self.contacts.values())
        forest = referral_forest(contacts)
        per_meeting = referrals_per_meeting(
            referral_count(contacts), len(held(store.records(Meeting), store.clock()))
        )
        header = Text("Referral tree", style="bold")
        header.append(
            f" · {forest.size} contacts · depth {forest.depth} · "
            f"{ratio(per_meeting)} referrals per meeting\n"
        )
        roots = len(forest.roots)
        header.append(
            f"from {roots} {'person' if roots == 1 else 'people'} nobody referred; "
            "space or → expands, enter opens",
            style="dim",
        )
        yield Static(header, id="tree-header", markup=False)
        yield ReferralTree(forest, self.contacts, id="referral-tree")
        yield Footer()

    @property
    def tree(self) -> ReferralTree:
        return self.query_one(ReferralTree)

    def on_tree_node_selected(self, event: Tree.NodeSelected[int]) -> None:
        if event.node.data is not None:
            self.open_contact(event.node.data)

    def open_contact(self, contact_id: int) -> None:
        self.app.push_screen(ContactScreen(contact_id))

    async def on_data_changed(self, message: DataChanged) -> None:
        """Relabel the contacts that changed; a change of who referred whom (or a contact
        added or gone) draws the tree again."""
        changes = message.changes
        if changes.everything:
            self.contacts = {c.id: c for c in self.app.store.contacts(include_archived=True)}
            await self.recompose()
            return
        reshaped = False
        for change in changes.changes:
            if change.table != CONTACTS:
                continue
            if change.after is None or change.before is None or "referred_by" in change.fields:
                reshaped = True
            if change.after is None:
                self.contacts.pop(change.id, None)
            else:
                self.contacts[change.id] = Contact.from_doc(change.after, change.id)
                if not reshaped:
                    self.tree.relabel(self.contacts[change.id])
        if reshaped:
            await self.recompose()

    def action_back(self) -> None:
        self.dismiss()
