"""Debian's headless Chromium driven by Selenium: the browser and driver of the system, nothing downloaded."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.ical_js import JS_DIR, ensure_ical_js

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"


@contextlib.contextmanager
def chromium(*, scripts: bool = True) -> Iterator[webdriver.Chrome]:
    """A headless Chromium; fails (never skips) when Debian's chromium and chromium-driver are not installed."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        raise RuntimeError(
            f"{', '.join(missing)} not found: the page is tested in Debian's Chromium; "
            "`make test` installs it (make system-packages), or run  sudo apt-get install chromium chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1600",
                     "--disable-dev-shm-usage", "--lang=en-GB"):
        options.add_argument(argument)
    if not scripts:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    # The driver's path given explicitly: Selenium then never runs selenium-manager to download one.
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: webdriver.Chrome, page: Path, zone: str = "Europe/Zurich") -> None:
    """Open a page from file:// as a viewer in `zone` sees it."""
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": zone})
    driver.get(page.as_uri())


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """The serious and critical WCAG 2.1 A/AA violations that axe-core finds in the open page."""
    ensure_ical_js()  # installs tests/js/node_modules, axe-core with it
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e)}])));"
    )
    return [v for v in json.loads(found) if v.get("impact") in {"serious", "critical"}]
