"""Write the SVG screenshots of docs/tui.md: ``python docs/make_screenshots.py``.

The app runs headless over the hand-built store of the TUI tests (tests/tui/sample.py:
the demo repository with fixed times, a failed and a timed-out package, two runs), so
the pictures only change when the UI does.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tui import sample  # noqa: E402
from tests.tui.snapshot_app import build  # noqa: E402

SIZE = (120, 32)
OUT = ROOT / "docs"


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(store: Path, name: str, run_id: int | None, *steps: str) -> None:
    """Run the app, press ``steps`` (``@cpv`` moves the package cursor), save the screen."""
    app = build(store, run_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in steps:
            if step.startswith("@"):
                table = app.screen.query_one("#packages")
                table.cursor = [s.cpv for s in table.visible_rows()].index(step[1:])
            else:
                await pilot.press(step)
            await settle(pilot)
        app.save_screenshot(f"tui-{name}.svg", str(OUT))
    app.data.close()
    print(f"wrote docs/tui-{name}.svg")


async def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as tmp:
        store = sample.fill(Path(tmp) / "store")
        await shoot(store, "packages", 1)
        await shoot(store, "eclasses", 1, "e", "down")
        await shoot(store, "package", 1, "@app-misc/hello-1.0", "enter")
        await shoot(store, "findings", 1, "@dev-libs/old-0.9", "enter", "4")
        await shoot(store, "finding-jump", 1, "@dev-libs/old-0.9", "enter", "4", "enter")
        await shoot(store, "runs", None, "r")
        await shoot(store, "comparison", None, "r", "c", "down")


if __name__ == "__main__":
    asyncio.run(main())
