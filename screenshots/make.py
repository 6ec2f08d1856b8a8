"""Regenerate screenshots/*.svg from the demo network on a fixed clock.

    python screenshots/make.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from store.db import Store  # noqa: E402
from store.demo import demo_records  # noqa: E402
from tui.app import make_app  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SHOTS = {  # file name: (terminal size, keys pressed first)
    "board-120x40.svg": ((120, 40), ["l", "j"]),
    "board-80x24.svg": ((80, 24), ["l", "j"]),
    "board-60x20.svg": ((60, 20), ["l", "j"]),
}


async def shoot(store: Store, name: str, size: tuple[int, int], keys: list[str]) -> None:
    app = make_app(store)
    async with app.run_test(size=size) as pilot:
        board = app.screen
        while board.filter_input.parent is None:  # the footer and overdue marks follow
            await pilot.pause(0.05)  # the first paint
        await app.workers.wait_for_complete()
        await pilot.press(*keys)
        await pilot.pause(0.2)
        app.save_screenshot(str(HERE / name))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "demo.json", clock=lambda: NOW)
        store.insert_many(demo_records(200, 7, NOW))
        for name, (size, keys) in SHOTS.items():
            asyncio.run(shoot(store, name, size, keys))
            print(f"wrote screenshots/{name}")


if __name__ == "__main__":
    main()
