"""The public page of a small event with one session that falls on another date west of Geneva, one that falls on
another date east of it, and a page that publishes speakers; and Debian's headless Chromium to open it in."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver

from scheduler import release
from scheduler.domain import Day, Event, SessionKind
from scheduler.export.outputs import write_outputs
from scheduler.views import build_view
from tests import factories as f
from tests.site.browser import chromium


def site_event() -> Event:
    """Geneva in November is UTC+1. The opening, 08:30-09:30, is 23:30 the day before in Los Angeles; the round
    table, 15:30-16:30, is 03:30 the day after in Auckland; both are on the same day in Almaty (UTC+6)."""
    return f.event(
        [
            f.session(
                "opening",
                title="Opening segment",
                kind=SessionKind.OPENING,
                start=dt.time(8, 30),
                speakers=(1, 2),
                title_translations=(("fr", "Séance d’ouverture"), ("ru", "Открытие совещания")),
            ),
            f.session(
                "RT1",
                title="Round table 1: Objectives 3 and 5",
                start=dt.time(15, 30),
                objectives=(3, 5),
                title_translations=(("fr", "Table ronde 1 : objectifs 3 et 5"), ("ru", "Круглый стол 1: цели 3 и 5")),
            ),
        ],
        [
            f.person("M1", "opening:moderator", name="Élodie Martin", email="elodie.martin@example.org"),
            f.person("P1", "opening:speaker", name="Kenji Sato", email="kenji.sato@example.org", timezone="Asia/Tokyo"),
            f.person("M2", "RT1:moderator", name="Keola Kahale", email="keola@example.org", timezone="Pacific/Honolulu"),
            f.person(
                "P2", "RT1:speaker", name="Айгерим Садыкова", email="aigerim@example.org", timezone="Asia/Almaty",
                objectives=(3, 5), languages=("ru", "en"),
            ),
        ],
        days=(Day(f.DAY, dt.time(8, 0), dt.time(18, 0)),),
        languages=("en", "fr", "ru"),
        public_link="https://webtv.example.org/tiny",
        speaker_link="https://meet.example.org/j/tiny?pwd=secret",
        objective_titles={3: "Provide accurate and timely information", 5: "Enhance regular pathways"},
        objective_translations={"fr": {3: "Fournir dans les meilleurs délais des informations exactes"}},
        title_translations=(("fr", "Petit événement"), ("ru", "Небольшое мероприятие")),
    )


def write(event: Event, folder: Path) -> Path:
    """Plan the event and write every output into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_outputs(build_view(event, release.plan(event, generated_at=f.GENERATED)), folder)
    return folder


@pytest.fixture(scope="package")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of `site_event`, speakers not published."""
    return write(site_event(), tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="package")
def out_with_speakers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of `site_event` with `publish_speakers = true`."""
    return write(dataclasses.replace(site_event(), publish_speakers=True), tmp_path_factory.mktemp("speakers"))


@pytest.fixture(scope="package")
def browser() -> Iterator[webdriver.Chrome]:
    """Headless Chromium with scripts on; each test sets the time zone it needs."""
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser_without_scripts() -> Iterator[webdriver.Chrome]:
    with chromium(scripts=False) as driver:
        yield driver
