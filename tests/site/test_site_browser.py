"""The public page in Debian's headless Chromium, opened from file://: the times a viewer sees in their own zone
and in the one they pick, the note when a session falls on another date there, the page without scripts, and
axe-core's accessibility check in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.site.browser import axe_violations, open_page

LANGUAGES = ["en", "fr", "ru"]


def session_text(driver: webdriver.Chrome, session: str) -> str:
    """What a viewer sees of a session (hidden elements are left out of Selenium's text)."""
    return str(driver.find_element(By.CSS_SELECTOR, f'[data-session="{session}"]').text)


@pytest.mark.parametrize(
    ("zone", "opening", "round_table", "other_date"),
    [
        ("Asia/Almaty", "Local time: 13:30–14:30 GMT+6 (Asia/Almaty)", "Local time: 20:30–21:30 GMT+6 (Asia/Almaty)", {}),
        (
            "America/Los_Angeles",
            "Local time: 23:30–00:30 GMT-8 (America/Los_Angeles)",
            "Local time: 06:30–07:30 GMT-8 (America/Los_Angeles)",
            {"opening": "In that time zone this is on Wednesday, 11 November 2020 – Thursday, 12 November 2020."},
        ),
        (
            "Pacific/Auckland",
            "Local time: 20:30–21:30 GMT+13 (Pacific/Auckland)",
            "Local time: 03:30–04:30 GMT+13 (Pacific/Auckland)",
            {"RT1": "In that time zone this is on Friday, 13 November 2020."},
        ),
    ],
)
def test_each_session_shows_the_viewers_time_and_says_when_it_is_on_another_date(
    browser: webdriver.Chrome, out: Path, zone: str, opening: str, round_table: str, other_date: dict[str, str]
) -> None:
    open_page(browser, out / "site" / "en" / "index.html", zone)

    for session, local in (("opening", opening), ("RT1", round_table)):
        seen = session_text(browser, session)
        assert local in seen
        note = other_date.get(session)
        if note:
            assert note in seen
        else:
            assert "In that time zone" not in seen
    assert "08:30–09:30 CET (Europe/Zurich)" in session_text(browser, "opening")  # event time stays


def test_the_picked_zone_changes_the_times(browser: webdriver.Chrome, out: Path) -> None:
    open_page(browser, out / "site" / "en" / "index.html", "Asia/Almaty")
    picker = Select(browser.find_element(By.ID, "zone"))
    assert picker.first_selected_option.get_attribute("value") == "Asia/Almaty"  # the viewer's own zone first
    assert len(picker.options) > 100  # every zone the browser knows

    picker.select_by_value("Asia/Tokyo")

    seen = session_text(browser, "RT1")
    assert "Local time: 23:30–00:30 GMT+9 (Asia/Tokyo)" in seen
    assert "In that time zone this is on Thursday, 12 November 2020 – Friday, 13 November 2020." in seen
    assert "20:30" not in seen


def test_the_picker_works_from_the_keyboard(browser: webdriver.Chrome, out: Path) -> None:
    open_page(browser, out / "site" / "en" / "index.html", "Asia/Almaty")
    picker = browser.find_element(By.ID, "zone")
    picker.click()
    picker.send_keys("Asia/Tokyo")  # a listbox takes typed text as a search, as a keyboard user would
    picker.send_keys("\n")

    assert "(Asia/Tokyo)" in session_text(browser, "RT1")


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_scripts_every_session_is_in_event_time_and_nothing_else(
    browser_without_scripts: webdriver.Chrome, out: Path, language: str
) -> None:
    open_page(browser_without_scripts, out / "site" / language / "index.html", "Pacific/Auckland")

    opening, round_table = session_text(browser_without_scripts, "opening"), session_text(browser_without_scripts, "RT1")
    assert "08:30–09:30 CET (Europe/Zurich)" in opening
    assert "15:30–16:30 CET (Europe/Zurich)" in round_table
    assert "Auckland" not in browser_without_scripts.find_element(By.TAG_NAME, "body").text
    assert not browser_without_scripts.find_element(By.ID, "zone").is_displayed()


def test_the_same_page_in_russian_and_french_shows_local_times_in_those_languages(
    browser: webdriver.Chrome, out: Path
) -> None:
    open_page(browser, out / "site" / "ru" / "index.html", "America/Los_Angeles")
    assert "Местное время: 23:30–00:30" in session_text(browser, "opening")
    assert "В этом часовом поясе: среда, 11 ноября 2020" in session_text(browser, "opening")

    open_page(browser, out / "site" / "fr" / "index.html", "Pacific/Auckland")
    assert "Heure locale : 03:30–04:30" in session_text(browser, "RT1")
    assert "Dans ce fuseau horaire, c’est le vendredi 13 novembre 2020." in session_text(browser, "RT1")


@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_serious_accessibility_violation(
    browser: webdriver.Chrome, out_with_speakers: Path, language: str
) -> None:
    open_page(browser, out_with_speakers / "site" / language / "index.html", "Asia/Almaty")

    assert axe_violations(browser) == []
