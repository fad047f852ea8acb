"""Takes README's pictures of the web console: the concerns board on a desktop and the overview on a phone.

Builds the demo commune (with its history) in a throwaway SQLite file, serves the console on
127.0.0.1 and drives Debian's Chromium through Selenium, as the browser tests do:

    .venv/bin/python docs/screenshots.py          # writes docs/web-console-*.png
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

from bot.web import build_app, serve  # noqa: E402
from bot.web.console import Console  # noqa: E402
from core.db import create_engine, session_factory, upgrade  # noqa: E402
from models.base import utcnow  # noqa: E402
from models.console import login  # noqa: E402
from models.demo import build_demo  # noqa: E402
from tests.web.browser import DESKTOP, PHONE, chromium  # noqa: E402

PORT = 55463
OUT = Path(__file__).resolve().parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/demo.db")
        await upgrade(engine)
        sessions = session_factory(engine)
        async with sessions() as session:
            demo = await build_demo(session, now=utcnow())
            await session.commit()
            assert demo.leader_id is not None
            token = await login.issue_link(session, demo.leader_id, now=utcnow())
            await session.commit()
        console = Console(sessions, ZoneInfo("Asia/Ho_Chi_Minh"))
        async with serve(build_app(engine, {}, console=console), "127.0.0.1", PORT) as (host, port):
            await asyncio.to_thread(_shoot, f"http://{host}:{port}", token, Path(folder) / "profile")
        await engine.dispose()


def _shoot(base: str, token: str, profile: Path) -> None:
    driver = chromium(profile, size=DESKTOP)
    try:
        driver.get(f"{base}/web/login/{token}")
        button = driver.find_element(By.CSS_SELECTOR, "button.primary")
        button.click()
        WebDriverWait(driver, 10).until(staleness_of(button))
        driver.get(f"{base}/web/concerns?status=all")
        driver.save_screenshot(str(OUT / "web-console-concerns.png"))
        driver.set_window_size(*PHONE)
        driver.get(f"{base}/web/")
        driver.save_screenshot(str(OUT / "web-console-overview-phone.png"))
    finally:
        driver.quit()


if __name__ == "__main__":
    asyncio.run(main())
