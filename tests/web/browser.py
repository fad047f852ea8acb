"""Debian's Chromium driven by Selenium, headless and offline, for the web console's browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")
PHONE = (360, 740)
DESKTOP = (1280, 900)


def binaries() -> tuple[str, str] | None:
    """Chromium and chromedriver, or None where either is missing (the tests are skipped)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def chromium(profile: Path, *, size: tuple[int, int] = DESKTOP, lang: str = "vi") -> webdriver.Chrome:
    """A fresh profile each time; GANDAN_TEST_DRIVER_PORT pins chromedriver's port (0: any free one)."""
    found = binaries()
    assert found is not None
    options = Options()
    options.binary_location = found[0]
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}", f"--lang={lang}"):
        options.add_argument(flag)
    service = Service(executable_path=found[1], port=int(os.environ.get("GANDAN_TEST_DRIVER_PORT", "0")))
    return webdriver.Chrome(options=options, service=service)


def horizontal_overflow(driver: webdriver.Chrome) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return int(driver.execute_script(
        "const root = document.documentElement;"
        "return Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;"))
