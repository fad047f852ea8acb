"""The console in a real browser (Debian's Chromium through Selenium): sign in by link, see only the
village's concerns, answer one and find the volunteer's notice in the outbox, a forged CSRF token
refused, another village's concern answering 404, and a phone-sized window without sideways scrolling."""

from __future__ import annotations

import asyncio
import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from bot.web import build_app, serve
from tests.concerns.test_lifecycle import texts_for
from tests.web.browser import PHONE, binaries, chromium, horizontal_overflow
from tests.web.console_world import console, link_for
from tests.web.test_concerns_board import _town_with_concerns

pytestmark = pytest.mark.skipif(binaries() is None, reason="chromium and chromedriver are not installed")
PORT = int(os.environ.get("GANDAN_TEST_WEB_PORT", "0"))  # 0: any free port


async def test_a_team_leader_in_the_browser(engine, sessions, tmp_path):
    town, land, complaint, late, other = await _town_with_concerns(sessions)
    link = await link_for(sessions, town.world.leader)
    async with serve(build_app(engine, {}, console=console(sessions)), "127.0.0.1", PORT) as (host, port):
        base = f"http://{host}:{port}"
        driver = await asyncio.to_thread(chromium, tmp_path / "profile")
        try:
            def follow(by: str, what: str) -> None:
                """Clicks a link or a button and waits for the next page (the old one goes stale)."""
                element = driver.find_element(by, what)
                element.click()
                WebDriverWait(driver, 10).until(staleness_of(element))

            def sign_in_and_answer() -> dict[str, object]:
                seen: dict[str, object] = {}
                driver.get(base + link)
                follow(By.CSS_SELECTOR, "button.primary")  # the link's page: one button
                seen["overview"] = driver.find_element(By.TAG_NAME, "h1").text
                follow(By.LINK_TEXT, "Ý kiến")
                seen["board"] = driver.find_element(By.CSS_SELECTOR, "ul.concerns").text
                follow(By.LINK_TEXT, land.reference)
                driver.find_element(By.XPATH, "//summary[contains(., 'Trả lời')]").click()
                driver.find_element(By.NAME, "text").send_keys("Xã đã đo đạc lại, ranh giới đúng sổ đỏ.")
                follow(By.XPATH, "//form[contains(@action, '/answered')]//button")
                seen["answered"] = driver.find_element(By.CSS_SELECTOR, "p.done").text
                # A forged token in the note form (as a page elsewhere would post it) is refused.
                driver.find_element(By.XPATH, "//summary[contains(., 'Ghi chú')]").click()
                driver.execute_script("document.querySelector(\"form[action$='/note'] input[name=csrf]\").value = 'f'.repeat(64);")
                driver.find_element(By.NAME, "note").send_keys("Ghi chú giả mạo")
                follow(By.XPATH, "//form[contains(@action, '/note')]//button")
                seen["forged"] = driver.find_element(By.TAG_NAME, "body").text
                driver.get(f"{base}/web/concerns/{other.id}")
                seen["other"] = driver.find_element(By.TAG_NAME, "body").text
                status = driver.execute_script(
                    "const r = new XMLHttpRequest(); r.open('GET', arguments[0], false); r.send(); return r.status;",
                    f"{base}/web/concerns/{other.id}")
                seen["other_status"] = status
                driver.set_window_size(*PHONE)
                for path in ("/web/", "/web/concerns", f"/web/concerns/{land.id}"):
                    driver.get(base + path)
                    seen[f"overflow {path}"] = horizontal_overflow(driver)
                seen["width"] = driver.execute_script("return window.innerWidth;")
                return seen

            seen = await asyncio.to_thread(sign_in_and_answer)
        finally:
            await asyncio.to_thread(driver.quit)
    assert "Tổng quan" in seen["overview"]
    assert land.reference in seen["board"] and late.reference in seen["board"]
    assert other.reference not in seen["board"]  # the other village's
    assert "Đã ghi." in seen["answered"]
    assert "CSRF" in seen["forged"]
    assert "Không tìm thấy ý kiến" in seen["other"] and seen["other_status"] == 404
    assert seen["width"] <= PHONE[0]
    assert {key: value for key, value in seen.items() if key.startswith("overflow")} == {
        "overflow /web/": 0, "overflow /web/concerns": 0, f"overflow /web/concerns/{land.id}": 0}
    [notice] = await texts_for(sessions, town.world.member)
    assert "đã có trả lời" in notice and "ranh giới đúng sổ đỏ" in notice
