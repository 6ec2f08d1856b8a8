"""The draft screen, driven by keys: checks as you type, copy, file, templates, mark sent."""

from __future__ import annotations

import json

from store.db import Store
from store.drafts import Template
from store.questions import DEFAULT_QUESTIONS, Question
from store.records import Contact, Interaction
from tests.screen import screen_text, wait_for_screen
from tui.app import make_app
from tui.screens.board import BoardScreen
from tui.modals.ask import AskScreen
from tui.modals.choice import ChoiceScreen
from tui.screens.draft import COPIED, DraftScreen
from tui.modals.template_editor import TextEditScreen


def network(store: Store) -> dict[str, Contact]:
    store.set_setting("my_name", "Jo Park")
    ben = store.add_contact(Contact(name="Ben Okafor", stage="referred"))
    ana = store.add_contact(Contact(name="Ana Lee", role="CTO", company="Acme",
                                    industry="fintech", email="ana@acme.example",
                                    referred_by=ben.id))
    return {"ben": ben, "ana": ana}


async def settle(pilot) -> None:
    pilot.app.flush_writes()
    await pilot.pause()


async def open_draft_of(pilot, stage_key: str = "1") -> DraftScreen:
    await pilot.press(stage_key, "w")
    await settle(pilot)
    if not Store(pilot.app.store.path).settings().get("my_name"):
        await wait_for_screen(pilot, AskScreen)  # the first draft asks for a name, once
        await pilot.press("escape")
    return await wait_for_screen(pilot, DraftScreen)


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_draft_copy_mark_sent_moves_the_card_and_logs_it(store, db_path):
    people = network(store)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        draft = await open_draft_of(pilot)
        shown = screen_text(app)
        assert "Draft to Ana Lee · CTO @ Acme — outreach via a referral" in shown
        assert "Hi Ana," in shown and "✓ no job ask" in shown and "✓ the basics" in shown
        text = draft.editor.text
        assert text.startswith("Subject: Ben Okafor suggested I get in touch")

        await pilot.press("f2")
        assert app.clipboard == text
        assert COPIED in notices(app) and "set -g set-clipboard on" in COPIED

        await pilot.press("f5")
        await settle(pilot)
        await wait_for_screen(pilot, BoardScreen)
        assert "logged “message sent”; Ana Lee moved to contacted" in notices(app)
        assert app.screen.focused_contact().stage == "contacted"

    data = json.loads(db_path.read_text())
    ana = data["contacts"][str(people["ana"].id)]
    assert ana["stage"] == "contacted"
    assert ana["stage_history"][-1] == {"stage": "contacted", "at": "2026-11-23T09:30:00+01:00"}
    assert list(data["interactions"].values()) == [{
        "contact_id": people["ana"].id, "kind": "message sent", "channel": "email",
        "at": "2026-11-23T09:30:00+01:00", "text": text,
    }]


async def test_checklist_follows_typing_and_flags_the_words(store):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        draft = await open_draft_of(pilot)
        await pilot.press(*"Are you hiring? ")
        await pilot.pause()
        shown = screen_text(app)
        assert "✗ no job ask" in shown and "1 flagged" in shown
        assert "l.1 Are you hiring" in shown
        line = draft.editor.get_line(0)
        flagged = [span for span in line.spans if span.style and "underline" in str(span.style)]
        assert [line.plain[s.start:s.end] for s in flagged] == ["Are you hiring"]

        for _ in range(len("Are you hiring? ")):
            await pilot.press("backspace")
        await pilot.pause()
        shown = screen_text(app)
        assert "✓ no job ask" in shown and "hiring" not in shown


async def test_missing_fields_show_as_unfilled_placeholders(store):
    store.add_contact(Contact(name="Cy Ito", stage="met"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        draft = await open_draft_of(pilot, "3")
        shown = screen_text(app)
        assert "thank-you after the meeting" in shown
        assert "✗ placeholders" in shown and "{meeting_date}" in shown
        assert "{my_name}" in draft.editor.text
        assert "the basics" not in shown  # a thank-you needs none of the outreach basics


async def test_switch_template_and_mark_a_thank_you_sent(store, db_path):
    cy = store.add_contact(Contact(name="Cy Ito", stage="met", linkedin="https://li/cy"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_draft_of(pilot, "3")
        assert "(5/7)" in screen_text(app)
        await pilot.press("f8")
        assert "thank-you to the referrer (6/7)" in screen_text(app)
        await pilot.press("shift+f8")
        assert "thank-you after the meeting (5/7)" in screen_text(app)
        await pilot.press("f5")  # {my_name} and {meeting_date} are not filled in: it asks
        await wait_for_screen(pilot, ChoiceScreen)
        await pilot.press("y")
        await settle(pilot)
        await wait_for_screen(pilot, BoardScreen)
    again = Store(db_path)
    assert again.contact(cy.id).stage == "thanked"
    [sent] = again.records(Interaction)
    assert (sent.kind, sent.channel) == ("thank-you sent", "linkedin")


async def test_save_to_file_and_editor_failure(store, db_path, monkeypatch):
    people = network(store)
    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        draft = await open_draft_of(pilot)
        await pilot.press(*"PS ")
        await pilot.press("f3")
        await settle(pilot)
        path = db_path.parent / "drafts" / f"{people['ana'].id}-ana-lee-outreach.txt"
        assert path.read_text() == draft.editor.text
        assert draft.editor.text.startswith("PS Subject:")
        assert f"saved the draft to {path}" in notices(app)
        assert path.stat().st_mode & 0o777 == 0o600

        before = draft.editor.text
        await pilot.press("f4")
        await pilot.pause()
        assert "false" in notices(app)  # the editor could not run here; we came back
        assert draft.editor.text == before
        assert app.screen is draft


async def test_edit_the_template_and_the_question_bank(store, db_path):
    network(store)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        draft = await open_draft_of(pilot)
        await pilot.press("f9")
        editor = await wait_for_screen(pilot, TextEditScreen)
        assert "Template: outreach via a referral" in screen_text(app)
        assert "{first_name}" in screen_text(app)
        await pilot.press(*"Hello! ")
        await pilot.press("f2")
        await settle(pilot)
        await wait_for_screen(pilot, DraftScreen)
        assert draft.editor.text.startswith("Hello! Subject: Ben Okafor suggested")

        await pilot.press("f12")
        await settle(pilot)
        editor = await wait_for_screen(pilot, TextEditScreen)
        assert "How did you get into the role you're in today?" in screen_text(app)
        await pilot.press(*"How much do you make? | manager", "enter")
        await pilot.pause()
        line = editor.query_one("#text-edit-area").get_line(0)
        assert any("underline" in str(s.style) for s in line.spans)
        await pilot.press("f2")
        await settle(pilot)
        await wait_for_screen(pilot, DraftScreen)
        assert "1 read as asking for a job or pay" in notices(app)

    again = Store(db_path)
    referral = next(t for t in again.records(Template) if t.key == "outreach-referral")
    assert referral.text.startswith("Hello! Subject: {referrer} suggested")
    bank = again.records(Question)
    assert (bank[-1].text, bank[-1].tags) == ("How much do you make?", ["manager"])
    assert len(bank) == len(DEFAULT_QUESTIONS) + 1


async def test_escape_keeps_nothing_and_names_show_literally(store, db_path):
    store.add_contact(Contact(name="[bold]Zed[/] \x1b[2J", company="[i]Acme"))
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_draft_of(pilot)
        shown = screen_text(app)
        assert "Draft to [bold]Zed[/]" in shown and "@ [i]Acme" in shown
        await pilot.press("escape")
        await wait_for_screen(pilot, BoardScreen)
    assert "interactions" not in json.loads(db_path.read_text())
    assert Store(db_path).contacts()[0].stage == "target"


def test_snapshot_draft(snap_compare, db_path, clock):
    store = Store(db_path, clock=clock)
    network(store)

    async def drafted(pilot):
        await open_draft_of(pilot)
        await pilot.press(*"Are you hiring? ")
        await pilot.pause()

    assert snap_compare(make_app(store), terminal_size=(80, 24), run_before=drafted)
