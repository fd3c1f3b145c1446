"""The public page's files: one per offered language and the index in the first, linking each other and the
public calendars; self-contained; the same bytes for the same input; no personal data but published names."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

from scheduler import release
from scheduler.export.site import write_site
from scheduler.load import load_event
from scheduler.views import build_view
from tests import factories as f
from tests.site.conftest import site_event, write

PAGES = ["index.html", "en/index.html", "fr/index.html", "ru/index.html"]


class Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser's parser reads them."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_a_page_per_offered_language_and_the_index_in_the_first(out: Path) -> None:
    site = out / "site"
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == sorted(PAGES)
    assert (site / "index.html").read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')
    for language in ("en", "fr", "ru"):
        assert Page(site / language / "index.html").all("html") == [{"lang": language}]


def test_every_link_of_every_page_leads_to_a_file_written_beside_it_or_to_the_webcast(out: Path) -> None:
    for name in PAGES:
        page = out / "site" / name
        links = [a["href"] for a in Page(page).all("a")]
        outside = [link for link in links if not link.endswith((".html", ".ics")) and not link.startswith("#")]
        assert set(outside) == {"https://webtv.example.org/tiny"}, name
        local = [link for link in links if link.endswith((".html", ".ics"))]
        assert {link.rsplit("/", 1)[-1] for link in local} >= {"agenda.ics", "opening.ics", "RT1.ics", "index.html"}
        for link in local:
            assert (page.parent / link).resolve().is_file(), f"{name}: {link}"
        languages = {link for link in local if link.endswith("index.html")}
        assert len(languages) == 3, name  # each page links the three languages


def test_the_page_is_self_contained(out: Path) -> None:
    for name in PAGES:
        page = Page(out / "site" / name)
        assert page.all("link") == [], name  # no stylesheet, font or icon to fetch
        assert [s for s in page.all("script") if "src" in s] == []
        assert [tag for tag, attrs in page.tags if "src" in attrs or "srcset" in attrs] == []
        assert "url(" not in "".join(page.text) and "@import" not in "".join(page.text)


def test_each_session_has_its_times_in_event_time_labelled_with_the_zone(out: Path) -> None:
    text = (out / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    opening = re.search(r'<article[^>]*data-session="opening".*?</article>', text, re.DOTALL)
    assert opening is not None
    assert (
        '<time datetime="2020-11-12T08:30:00+01:00">08:30</time>–'
        '<time datetime="2020-11-12T09:30:00+01:00">09:30</time> CET (Europe/Zurich)'
    ) in opening[0]
    assert "Séance d’ouverture" in opening[0]
    assert "3. Fournir dans les meilleurs délais des informations exactes" in text  # objectives in French
    assert "5. Enhance regular pathways" in text  # no French label: as written


def test_no_e_mail_no_speakers_link_and_no_names_unless_published(out: Path, out_with_speakers: Path) -> None:
    event = site_event()
    for folder, names_shown in ((out, False), (out_with_speakers, True)):
        for name in PAGES:
            text = (folder / "site" / name).read_text(encoding="utf-8")
            assert event.speaker_link not in text and "pwd=" not in text and "meet.example.org" not in text
            assert not re.search(r"\w@\w", text)  # no e-mail address at all: not the applicants', not the organiser's
            for person in event.applicants:
                assert person.email not in text
                assert (person.name in text) is names_shown, (name, person.name)
    with_names = (out_with_speakers / "site" / "ru" / "index.html").read_text(encoding="utf-8")
    assert "Модератор: Keola Kahale" in with_names
    assert "Оратор: Айгерим Садыкова" in with_names


def test_the_same_input_gives_the_same_bytes(out: Path, tmp_path: Path) -> None:
    again = write(site_event(), tmp_path)
    for name in PAGES:
        assert (again / "site" / name).read_bytes() == (out / "site" / name).read_bytes(), name


def test_organisers_text_is_escaped(tmp_path: Path) -> None:
    event = site_event()
    hostile = dataclasses.replace(event.sessions[1], title='<script>alert("x")</script> & <b>')
    write(dataclasses.replace(event, sessions=(event.sessions[0], hostile)), tmp_path)
    text = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in text


def test_the_default_event_publishes_no_personal_data(tmp_path: Path) -> None:
    """The default event's plan as `scheduler export` would write it: no applicant's e-mail or the speakers'
    link anywhere under site/."""
    root = Path(__file__).resolve().parents[2]
    event = load_event(root / "data" / "gcm2020-unece")
    write_site(build_view(event, release.plan(event, generated_at=f.GENERATED)), tmp_path / "site")
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")]
    assert len(pages) == 4
    for text in pages:
        assert event.speaker_link not in text
        assert not [p.email for p in event.applicants if p.email in text]
        assert not [p.name for p in event.applicants if p.name in text]
