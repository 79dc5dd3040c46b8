"""Debian's chromium under selenium, as the browser tests drive it.

Headless, every background service off, a fresh profile, and a proxy and host
rules that lead nowhere: a request a page makes fails and shows in the logs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def available() -> bool:
    """Whether the Debian chromium and chromium-driver packages are installed."""
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


def start(profile: Path, logs: dict[str, str]) -> Any:
    """A headless chromium WebDriver with a fresh ``profile``; ``logs``: goog:loggingPrefs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-default-apps",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", logs)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    return driver
