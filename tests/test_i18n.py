"""Languages: the catalogues are complete, each person gets their own language, and the texts in French and
Russian have their dates, plurals and terms from CLDR and the catalogues (the byte-for-byte files are the French
and Russian invitations and mails in tests/golden/tiny)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from icalendar import Calendar

from scheduler import i18n, release
from scheduler.domain import Event
from scheduler.export.outputs import write_outputs
from scheduler.load import load_event
from scheduler.views import build_view
from tests import factories as f
from tests.export.test_ics_golden import tiny_event
from tests.ical_js import parse_with_ical_js

PACKAGE = Path(i18n.__file__).parent
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2)}
FIELD = re.compile(r"\{(\w*)\}")


def messages_in_code() -> dict[str, tuple[str, ...]]:
    """Every message the code marks for translation (first msgid -> all msgids), found as gettext tools find it."""
    found = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        ids = (message,) if isinstance(message, str) else tuple(message)
        found[ids[0]] = ids
    return found


def catalogue(language: str) -> Catalog:
    with (PACKAGE / "locale" / language / "LC_MESSAGES" / "scheduler.po").open("rb") as po:
        return read_po(po, locale=language)


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_every_message_of_the_code_is_translated_and_none_is_fuzzy(language: str) -> None:
    code, po = messages_in_code(), catalogue(language)
    assert len(code) > 40  # the extraction found the messages: a broken keyword list would find none

    missing = [msgid for msgid in code if msgid not in po]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    empty = []
    wrong_fields = []
    for msgid, ids in code.items():
        if msgid not in po:
            continue
        entry = po[msgid]
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if (len(ids) > 1 and len(forms) != po.num_plurals) or not all(forms):
            empty.append(msgid)
        # every {field} of the English is in each translation, and no other
        wrong_fields += [msgid for form in forms if set(FIELD.findall(form)) != set(FIELD.findall(ids[-1]))]

    assert missing == []
    assert fuzzy == []
    assert empty == []
    assert wrong_fields == []
    assert not po.fuzzy  # the header too: gettext tools skip a catalogue whose header is fuzzy


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_each_message_is_in_the_catalogue_once(language: str) -> None:
    """A second entry for one message is an error for gettext's tools, and Babel silently keeps the last."""
    text = (PACKAGE / "locale" / language / "LC_MESSAGES" / "scheduler.po").read_text(encoding="utf-8")
    ids = re.findall(r'^msgid (".+")$', text, re.MULTILINE)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_russian_catalogue_has_the_three_plural_forms_of_cldr() -> None:
    assert catalogue("ru").num_plurals == 3
    t = i18n.translator("ru")
    assert [t.minutes(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [
        "1 минута",
        "2 минуты",
        "5 минут",
        "11 минут",
        "21 минута",
        "22 минуты",
        "25 минут",
    ]
    assert [i18n.translator("fr").minutes(n) for n in (0, 1, 2)] == ["0 minute", "1 minute", "2 minutes"]


def test_dates_come_from_cldr_in_each_language() -> None:
    thursday = dt.datetime(2020, 11, 12, 15, 30, tzinfo=dt.UTC)

    assert i18n.translator("fr").date(thursday) == "jeudi 12 novembre 2020"
    assert i18n.translator("ru").date(thursday) == "четверг, 12 ноября 2020 г."
    assert i18n.translator("en").date(thursday) == "Thursday, 12 November 2020"
    assert i18n.translator("fr").day(thursday) == "jeu. 12 nov."
    assert i18n.translator("ru").day(thursday) == "чт, 12 нояб."
    assert i18n.translator("ru").time(thursday) == "15:30"


def test_a_persons_language_is_correspondence_then_first_offered_then_the_events() -> None:
    event = f.event([f.session("S1")], [], languages=("fr", "en", "ru", "es"))

    def language(**kw: object) -> str:
        return i18n.person_language(event, f.person("P1", **kw))

    assert i18n.offered(event) == ("fr", "en", "ru")
    assert language(languages=("ru", "en"), correspondence_language="en") == "en"
    assert language(languages=("es", "ru")) == "ru"  # es is interpreted, but scheduler does not write it
    assert language(languages=("de",)) == "fr"
    assert language() == "fr"
    assert i18n.event_language(dataclasses.replace(event, languages=("es",))) == "en"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    event: Event = tiny_event()
    folder = tmp_path_factory.mktemp("tiny")
    write_outputs(build_view(event, release.plan(event, generated_at=f.GENERATED)), folder)
    return folder


def vevent(folder: Path, name: str) -> Calendar:
    (item,) = Calendar.from_ical((folder / "calendar" / "invites" / name).read_bytes()).events
    return item


def test_french_invitation_reads_in_french_with_the_language_parameter(written: Path) -> None:
    item = vevent(written, "M1_S1.ics")

    assert str(item["SUMMARY"]) == "Modérateur·rice : Table ronde : un, deux ; trois"
    assert item["SUMMARY"].params["LANGUAGE"] == "fr"
    assert item["DESCRIPTION"].params["LANGUAGE"] == "fr"
    text = str(item["DESCRIPTION"])
    assert text.startswith(
        "Table ronde : un, deux ; trois\nPetit événement\n\nVotre rôle : modérateur·rice\n"
    )
    assert "Séance : jeudi 12 novembre 2020 15:30-16:30 CET" in text
    assert "Objectifs : 3 (Fourniture d’informations), 5 (Regular pathways)" in text  # no French label for 5
    assert "Interprétation : anglais, français, russe ; langue de votre intervention : français" in text
    (alarm,) = item.subcomponents
    assert (
        str(alarm["DESCRIPTION"])
        == "Test technique de la séance « Table ronde : un, deux ; trois » dans 15 minutes"
    )
    assert alarm["DESCRIPTION"].params["LANGUAGE"] == "fr"


def test_russian_invitation_reads_in_russian(written: Path) -> None:
    item = vevent(written, "P3_S2.ics")

    assert str(item["SUMMARY"]) == "Оратор: Открытие"
    text = str(item["DESCRIPTION"])
    assert text.startswith("Открытие\nНебольшое мероприятие\n\nВаша роль: оратор\n")
    assert "Заседание: четверг, 12 ноября 2020 г. 09:00-10:00 CET (время заседания, Europe/Zurich)" in text
    assert "(за 30 минут до начала)" in text
    assert "(20 минут)" in text


def test_english_speakers_keep_english_and_the_untranslated_title(written: Path) -> None:
    item = vevent(written, "P1_S1.ics")

    assert str(item["SUMMARY"]) == "Speaker: Round table: one, two; three"
    assert item["SUMMARY"].params["LANGUAGE"] == "en"


def read_mail(folder: Path, name: str) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes((folder / "mail" / name).read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def test_russian_mail_has_an_encoded_cyrillic_subject_and_a_russian_letter(written: Path) -> None:
    raw = (written / "mail" / "P3_S2.eml").read_bytes()
    message = read_mail(written, "P3_S2.eml")

    assert raw.isascii()
    assert b"Subject: =?utf-8?" in raw  # RFC 2047 encoded words
    assert message["Subject"] == "Приглашение: оратор на заседании «Открытие»"
    body = message.get_body(("plain",))
    assert body is not None
    letter = body.get_content().replace("\r\n", "\n")
    assert letter.startswith("Уважаемый(-ая) Айгерим Садыкова!\n\nОткрытие\n")
    assert "добавляет заседание в ваш календарь" in letter
    (attachment,) = message.iter_attachments()
    assert "SUMMARY;LANGUAGE=ru:Оратор: Открытие" in attachment.get_content().decode()


def test_french_mail_subject_and_letter(written: Path) -> None:
    message = read_mail(written, "M1_S1.eml")

    assert (
        message["Subject"] == "Invitation : modérateur·rice de la séance « Table ronde : un, deux ; trois »"
    )
    body = message.get_body(("plain",))
    assert body is not None
    assert (
        body.get_content()
        .replace("\r\n", "\n")
        .startswith("Bonjour Élodie Martin,\n\nTable ronde : un, deux ; trois\n")
    )


def test_english_subject_stays_plain_ascii(written: Path) -> None:
    assert (
        b"Subject: Invitation: Speaker in Round table: one, two; three\r\n"
        in (written / "mail" / "P1_S1.eml").read_bytes()
    )


def test_ical_js_reads_the_french_and_russian_invitations_with_their_language(written: Path) -> None:
    paths = [written / "calendar" / "invites" / name for name in ("M1_S1.ics", "P3_S2.ics", "P1_S1.ics")]

    files = parse_with_ical_js(paths)["files"]

    read = {Path(file["path"]).name: file["events"][0] for file in files}
    assert read["M1_S1.ics"]["summary"] == "Modérateur·rice : Table ronde : un, deux ; trois"
    assert (read["M1_S1.ics"]["summary_language"], read["M1_S1.ics"]["description_language"]) == ("fr", "fr")
    assert read["P3_S2.ics"]["summary"] == "Оратор: Открытие"
    assert read["P3_S2.ics"]["description"].startswith("Открытие\nНебольшое мероприятие\n")
    assert read["P3_S2.ics"]["description_language"] == "ru"
    assert read["P1_S1.ics"]["summary_language"] == "en"


def test_missing_translations_are_listed_per_language() -> None:
    notes = i18n.missing_translations(tiny_event())

    assert notes == [
        "fr: objectives 5",
        "ru: the titles of S1; objectives 3, 5",
    ]


ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "data" / "gcm2020-unece"


def test_default_event_carries_the_organisers_translations_and_the_official_french_objectives() -> None:
    event = load_event(DEFAULT)

    assert dict(event.title_translations)["fr"].startswith("Examen régional du Pacte mondial")
    assert dict(event.session_by_id["RT1"].title_translations) == {
        "fr": "Table ronde 1 : objectifs 2, 5, 6, 12 et 18",
        "ru": "Круглый стол 1: цели 2, 5, 6, 12 и 18",
    }
    assert {dict(b.title_translations)["fr"] for b in event.breaks} == {"Courte pause", "Pause déjeuner"}
    # official French labels (reference/gcm_objectives_i18n.csv); no official Russian: English is shown
    assert i18n.objective_label(event, 1, "fr") == "Données"
    assert i18n.objective_label(event, 17, "fr") == "Éliminer les discriminations"
    assert i18n.objective_label(event, 1, "ru") == "Data"


def test_validate_notes_the_texts_that_fall_back_to_the_first_language() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "validate", str(DEFAULT)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )

    assert done.returncode == 0, done.stderr
    assert "note: not translated, shown in en instead: ru: objectives 1, 2, 3" in done.stdout
    assert "fr:" not in done.stdout  # every French text is there


def test_built_in_gcm_objectives_keep_the_source_of_each_french_title() -> None:
    with (PACKAGE / "templates" / "objectives.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["objective"]: row for row in csv.DictReader(file)}

    assert rows["1"]["title_fr"].startswith("Collecter et utiliser des données")
    assert rows["17"]["title_fr"] == ""  # no official source found: never translated by us
    assert "no official source found" in rows["17"]["source_fr"]
