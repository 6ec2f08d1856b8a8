"""Import… and Export… in the app: opened from the palette, the CLI's report on screen."""

from __future__ import annotations

from pathlib import Path

from store.db import Store
from store.exporting import export
from store.records import Contact
from tests.screen import screen_text, wait_for_screen, wait_for_text
from tui.app import make_app
from tui.modals.transfer import TransferScreen

FIXTURES = Path(__file__).parent / "fixtures"


async def run_path(pilot, path: str, report: str) -> None:
    """Put the path in the field (replacing what is there), press enter, and wait for the
    report, which the writer thread sends once the file is read or written."""
    pilot.app.screen.query_one("#transfer-path").value = path
    await pilot.press("enter")
    await wait_for_text(pilot, report)


async def test_palette_import_shows_the_report_and_the_board_shows_the_contacts(store, db_path):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"import")
        await wait_for_text(pilot, "Import…")
        await pilot.press("enter")
        await wait_for_screen(pilot, TransferScreen)

        await run_path(pilot, str(FIXTURES / "linkedin_connections.csv"),
                       "imported linkedin_connections.csv")

        text = screen_text(app)
        assert "imported linkedin_connections.csv: 6 new, 0 updated, 0 unchanged, 1 skipped" in text
        assert "line 10: skipped: no name" in text
        assert len(Store(db_path).contacts()) == 6
        await pilot.press("escape")
        await wait_for_text(pilot, "Jane Doe")
        assert "Jane Doe" in screen_text(app)


async def test_dry_run_and_errors_in_the_app_write_nothing(store, db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # short relative paths keep each message on one line
    store.add_contact(Contact(name="Jane Doe"))
    before = db_path.read_bytes()
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(TransferScreen("import"))
        await wait_for_screen(pilot, TransferScreen)
        app.screen.query_one("#transfer-format").value = "csv"
        app.screen.query_one("#transfer-dry-run").value = True

        await run_path(pilot, str(FIXTURES / "contacts_sheet.csv"), "dry run: nothing")
        assert "dry run: nothing was written" in screen_text(app)

        await run_path(pilot, "missing.csv", "no such file")
        assert "missing.csv: no such file" in screen_text(app)

        hostile = tmp_path / "hostile.csv"
        hostile.write_text("name,stage\nAmy,[bold]x[/] \x1b[2J\n")
        await run_path(pilot, "hostile.csv", "unknown stage")
        assert "unknown stage '[bold]x[/] \\x1b[2J'" in screen_text(app)
    assert db_path.read_bytes() == before


async def test_export_writes_the_chosen_format(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store.add_contact(Contact(name="Ann Lee", company="Acme"))
    out = tmp_path / "log.md"
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(TransferScreen("export"))
        await wait_for_screen(pilot, TransferScreen)
        app.screen.query_one("#transfer-format").value = "activity"

        await run_path(pilot, "log.md", "exported markdown")

        assert "exported markdown --activity to log.md" in screen_text(app)
    assert out.read_text() == export(store, "markdown", activity=True)
