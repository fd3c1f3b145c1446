"""VTIMEZONE in yearly-rule form, checked by reading events through ical.js (Thunderbird's parser).

Expected instants are written out by hand from the published rules, not computed with pytz, so that the code
under test and the expectation do not share a source.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytz
from icalendar import Calendar, Event, Timezone

from scheduler.export.vtimezone import vtimezone
from tests.ical_js import parse_with_ical_js

STAMP = datetime(2020, 1, 1, tzinfo=UTC)


def write_calendar(path: Path, tzid: str, years: list[int], local_times: list[datetime]) -> Path:
    """A VCALENDAR with our VTIMEZONE and one 30-minute event per local wall-clock time."""
    calendar = Calendar()
    calendar.add("PRODID", "-//scheduler tests//vtimezone//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", "PUBLISH")
    calendar.add_component(vtimezone(tzid, years))
    for local in local_times:
        event = Event()
        event.add("UID", f"{local:%Y%m%dT%H%M}@vtimezone.test")
        event.add("DTSTAMP", STAMP)
        event.add("SUMMARY", f"{tzid} {local}")
        event.add("DTSTART", local, parameters={"TZID": tzid})
        event.add("DURATION", timedelta(minutes=30))
        calendar.add_component(event)
    path.write_bytes(calendar.to_ical())
    return path


def starts_read_by_ical_js(path: Path) -> dict[str, str]:
    """Local start (as in the UID) -> UTC start, as ical.js reads the file."""
    (parsed,) = parse_with_ical_js([path])["files"]
    return {event["uid"].split("@")[0]: event["start_utc"] for event in parsed["events"]}


def observances(component: Timezone) -> list[tuple[str, dict[str, Any]]]:
    """(STANDARD|DAYLIGHT, parsed RRULE) per sub-component, read back from the written text."""
    (parsed,) = Calendar.from_ical(component.to_ical(), multiple=True)
    return [(sub.name, dict(sub["RRULE"]) if "RRULE" in sub else {}) for sub in parsed.subcomponents]


CASES = {
    # tzid, years: [(local wall clock, UTC instant)]
    ("Europe/Zurich", (2020,)): [
        ("2020-01-15 10:00", "2020-01-15T09:00:00Z"),
        ("2020-03-29 01:30", "2020-03-29T00:30:00Z"),  # half an hour before the switch
        ("2020-03-29 03:30", "2020-03-29T01:30:00Z"),  # an hour and a half after it
        ("2020-03-30 10:00", "2020-03-30T08:00:00Z"),
        ("2020-10-24 10:00", "2020-10-24T08:00:00Z"),
        ("2020-10-26 10:00", "2020-10-26T09:00:00Z"),
        ("2020-11-12 10:00", "2020-11-12T09:00:00Z"),
    ],
    ("Europe/Zurich", (2021,)): [
        ("2021-03-27 10:00", "2021-03-27T09:00:00Z"),
        ("2021-03-29 10:00", "2021-03-29T08:00:00Z"),  # the day RDATE-list zones put an hour late
        ("2021-10-30 10:00", "2021-10-30T08:00:00Z"),
        ("2021-11-01 10:00", "2021-11-01T09:00:00Z"),
    ],
    ("America/New_York", (2020,)): [
        ("2020-03-07 10:00", "2020-03-07T15:00:00Z"),
        ("2020-03-09 10:00", "2020-03-09T14:00:00Z"),
        ("2020-10-31 10:00", "2020-10-31T14:00:00Z"),
        ("2020-11-02 10:00", "2020-11-02T15:00:00Z"),
    ],
    ("Asia/Almaty", (2020,)): [
        ("2020-03-30 15:30", "2020-03-30T09:30:00Z"),
        ("2020-07-01 15:30", "2020-07-01T09:30:00Z"),
        ("2020-11-12 15:30", "2020-11-12T09:30:00Z"),
    ],
    ("Europe/Moscow", (2020,)): [
        ("2020-01-15 12:00", "2020-01-15T09:00:00Z"),
        ("2020-07-01 12:00", "2020-07-01T09:00:00Z"),
    ],
    ("Australia/Sydney", (2020,)): [  # southern hemisphere: summer time spans the new year
        ("2020-01-15 10:00", "2020-01-14T23:00:00Z"),
        ("2020-04-04 10:00", "2020-04-03T23:00:00Z"),
        ("2020-04-06 10:00", "2020-04-06T00:00:00Z"),
        ("2020-10-03 10:00", "2020-10-03T00:00:00Z"),
        ("2020-10-05 10:00", "2020-10-04T23:00:00Z"),
        ("2020-12-24 10:00", "2020-12-23T23:00:00Z"),
    ],
    ("Europe/Dublin", (2020,)): [  # tzdata: IST is standard time, winter GMT a negative DST
        ("2020-01-15 10:00", "2020-01-15T10:00:00Z"),
        ("2020-03-30 10:00", "2020-03-30T09:00:00Z"),
        ("2020-10-26 10:00", "2020-10-26T10:00:00Z"),
    ],
    ("America/New_York", (2006, 2007)): [  # the US rule changed in 2007: two periods, UNTIL on the first
        ("2006-03-13 10:00", "2006-03-13T15:00:00Z"),  # 2007's rule would say EDT
        ("2006-04-03 10:00", "2006-04-03T14:00:00Z"),
        ("2006-10-30 10:00", "2006-10-30T15:00:00Z"),
        ("2007-03-12 10:00", "2007-03-12T14:00:00Z"),
        ("2007-11-02 10:00", "2007-11-02T14:00:00Z"),  # 2006's rule would say EST
        ("2007-11-05 10:00", "2007-11-05T15:00:00Z"),
    ],
    ("Asia/Tehran", (2020, 2021)): [  # fixed dates, no nth weekday: the RDATE fallback
        ("2020-03-20 12:00", "2020-03-20T08:30:00Z"),
        ("2020-03-22 12:00", "2020-03-22T07:30:00Z"),
        ("2021-03-21 12:00", "2021-03-21T08:30:00Z"),
        ("2021-03-23 12:00", "2021-03-23T07:30:00Z"),
        ("2021-09-23 12:00", "2021-09-23T08:30:00Z"),
    ],
    ("America/Santiago", (2022, 2023, 2024)): [  # regression: 2022's late spring change made January -04
        ("2022-01-15 12:00", "2022-01-15T15:00:00Z"),  # summer time since September 2021
        ("2022-04-05 12:00", "2022-04-05T16:00:00Z"),
        ("2022-09-05 12:00", "2022-09-05T16:00:00Z"),  # 2022 changed on 11 September, a week late
        ("2022-09-12 12:00", "2022-09-12T15:00:00Z"),
        ("2023-09-05 12:00", "2023-09-05T15:00:00Z"),
        ("2024-09-05 12:00", "2024-09-05T16:00:00Z"),
    ],
    ("America/Havana", (2006, 2007, 2008)): [  # regression: 2006 began on summer and ended on winter time
        ("2006-01-15 12:00", "2006-01-15T16:00:00Z"),  # Cuba kept summer time through the winter of 2005-6
        ("2006-10-30 12:00", "2006-10-30T17:00:00Z"),
        ("2007-03-12 12:00", "2007-03-12T16:00:00Z"),
        ("2008-03-12 12:00", "2008-03-12T17:00:00Z"),  # 2008 changed on the third Sunday, 2007 on the second
        ("2008-03-17 12:00", "2008-03-17T16:00:00Z"),
    ],
}


@pytest.mark.parametrize(
    ("tzid", "years"), list(CASES), ids=[f"{z}-{'-'.join(map(str, y))}" for z, y in CASES]
)
def test_ical_js_places_events_at_the_right_instant(
    tmp_path: Path, tzid: str, years: tuple[int, ...]
) -> None:
    expected = {
        datetime.fromisoformat(local).strftime("%Y%m%dT%H%M"): utc for local, utc in CASES[tzid, years]
    }
    path = write_calendar(
        tmp_path / "zone.ics",
        tzid,
        list(years),
        [datetime.fromisoformat(local) for local, _ in CASES[tzid, years]],
    )

    assert starts_read_by_ical_js(path) == expected


def test_ical_js_reads_the_duration_in_the_zone(tmp_path: Path) -> None:
    path = write_calendar(tmp_path / "zone.ics", "Europe/Zurich", [2021], [datetime(2021, 3, 29, 10)])

    (event,) = parse_with_ical_js([path])["files"][0]["events"]

    assert (event["tzid"], event["start_utc"], event["end_utc"]) == (
        "Europe/Zurich",
        "2021-03-29T08:00:00Z",
        "2021-03-29T08:30:00Z",
    )


SWEPT = [
    ("Europe/Zurich", [2020, 2021]),
    ("America/New_York", [2020]),
    ("Australia/Sydney", [2020, 2021]),
    ("Europe/Dublin", [2020]),
    ("Asia/Almaty", [2020]),
    ("Europe/Moscow", [2020]),
    ("America/New_York", [2006, 2007]),
    ("Asia/Tehran", [2020, 2021]),
    ("America/Santiago", [2022, 2023, 2024]),
    ("America/Havana", [2006, 2007, 2008]),
]


def test_ical_js_agrees_with_pytz_on_every_day_of_the_years(tmp_path: Path) -> None:
    paths, expected = [], {}
    for number, (tzid, years) in enumerate(SWEPT):
        days = [date(years[0], 1, 1) + timedelta(days=n) for n in range(366 * len(years))]
        noons = [datetime(d.year, d.month, d.day, 12) for d in days if d.year <= years[-1]]
        paths.append(write_calendar(tmp_path / f"{number}.ics", tzid, years, noons))
        zone = pytz.timezone(tzid)
        expected[str(paths[-1])] = {
            f"{noon:%Y%m%dT%H%M}": zone.localize(noon).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for noon in noons
        }

    files = parse_with_ical_js(paths)["files"]

    for parsed in files:
        read = {event["uid"].split("@")[0]: event["start_utc"] for event in parsed["events"]}
        wrong = {
            local: (read[local], utc) for local, utc in expected[parsed["path"]].items() if read[local] != utc
        }
        assert wrong == {}, parsed["path"]


@pytest.mark.parametrize("years", [[2020], [2021], [2020, 2021]])
def test_zurich_has_one_last_sunday_rule_each_way(years: list[int]) -> None:
    assert observances(vtimezone("Europe/Zurich", years)) == [
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}),
        ("STANDARD", {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}),
    ]


def test_zurich_rules_start_in_1970_local_time_before_the_change() -> None:
    daylight, standard = vtimezone("Europe/Zurich", [2021]).subcomponents

    assert (daylight["DTSTART"].dt, daylight["TZOFFSETFROM"].td, daylight["TZOFFSETTO"].td) == (
        datetime(1970, 3, 29, 2),
        timedelta(hours=1),
        timedelta(hours=2),
    )
    assert (standard["DTSTART"].dt, standard["TZOFFSETFROM"].td, standard["TZOFFSETTO"].td) == (
        datetime(1970, 10, 25, 3),
        timedelta(hours=2),
        timedelta(hours=1),
    )
    assert (daylight["TZNAME"], standard["TZNAME"]) == ("CEST", "CET")


def test_new_york_and_sydney_rules() -> None:
    assert observances(vtimezone("America/New_York", [2020])) == [
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["2SU"]}),
        ("STANDARD", {"FREQ": ["YEARLY"], "BYMONTH": [11], "BYDAY": ["1SU"]}),
    ]
    assert observances(vtimezone("Australia/Sydney", [2020])) == [
        ("STANDARD", {"FREQ": ["YEARLY"], "BYMONTH": [4], "BYDAY": ["1SU"]}),
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["1SU"]}),
    ]


def test_dublin_summer_time_is_daylight_although_tzdata_calls_winter_the_dst() -> None:
    zone = pytz.timezone("Europe/Dublin")
    assert zone.localize(datetime(2020, 1, 15, 12)).dst() == timedelta(hours=-1)  # what pytz says

    daylight, standard = vtimezone("Europe/Dublin", [2020]).subcomponents

    assert (daylight.name, daylight["TZNAME"], daylight["TZOFFSETTO"].td) == (
        "DAYLIGHT",
        "IST",
        timedelta(hours=1),
    )
    assert (standard.name, standard["TZNAME"], standard["TZOFFSETTO"].td) == ("STANDARD", "GMT", timedelta(0))


@pytest.mark.parametrize(
    ("tzid", "offset"),
    [
        ("Asia/Almaty", timedelta(hours=6)),
        ("Europe/Moscow", timedelta(hours=3)),
        ("Europe/Minsk", timedelta(hours=3)),
        ("Asia/Tashkent", timedelta(hours=5)),
        ("Europe/Istanbul", timedelta(hours=3)),
        ("UTC", timedelta(0)),
    ],
)
def test_zone_without_dst_has_one_standard_and_no_daylight(tzid: str, offset: timedelta) -> None:
    component = vtimezone(tzid, [2020])

    (standard,) = component.subcomponents
    assert component["TZID"] == tzid
    assert standard.name == "STANDARD"
    assert (standard["TZOFFSETFROM"].td, standard["TZOFFSETTO"].td) == (offset, offset)
    assert "RRULE" not in standard
    assert "RDATE" not in standard


def test_a_rule_change_within_the_years_ends_the_old_rule_with_until() -> None:
    assert observances(vtimezone("America/New_York", [2006, 2007])) == [
        (
            "DAYLIGHT",
            {
                "FREQ": ["YEARLY"],
                "BYMONTH": [4],
                "BYDAY": ["1SU"],
                "UNTIL": [datetime(2006, 4, 2, 7, tzinfo=UTC)],
            },
        ),
        (
            "STANDARD",
            {
                "FREQ": ["YEARLY"],
                "BYMONTH": [10],
                "BYDAY": ["-1SU"],
                "UNTIL": [datetime(2006, 10, 29, 6, tzinfo=UTC)],
            },
        ),
        ("DAYLIGHT", {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["2SU"]}),
        ("STANDARD", {"FREQ": ["YEARLY"], "BYMONTH": [11], "BYDAY": ["1SU"]}),
    ]


def test_almaty_change_of_offset_in_2024_is_a_one_off_after_the_old_offset() -> None:
    base, change = vtimezone("Asia/Almaty", [2024]).subcomponents

    assert (base["TZOFFSETTO"].td, change["DTSTART"].dt) == (timedelta(hours=6), datetime(2024, 3, 1))
    assert (change["TZOFFSETFROM"].td, change["TZOFFSETTO"].td) == (timedelta(hours=6), timedelta(hours=5))
    assert "RRULE" not in change


def test_transitions_on_fixed_dates_fall_back_to_one_rdate_line_each() -> None:
    text = vtimezone("Asia/Tehran", [2020, 2021]).to_ical().decode()

    assert "RRULE" not in text
    assert "RDATE:20200321T000000\r\nRDATE:20210322T000000\r\n" in text
    assert "RDATE:20200921T000000\r\nRDATE:20210922T000000\r\n" in text


def test_output_is_deterministic() -> None:
    assert (
        vtimezone("Europe/Zurich", [2021, 2020]).to_ical()
        == vtimezone("Europe/Zurich", [2020, 2021]).to_ical()
    )


def test_no_years_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one year"):
        vtimezone("Europe/Zurich", [])


def test_years_past_pytz_data_are_an_error() -> None:
    with pytest.raises(ValueError, match="only up to 2037"):
        vtimezone("Europe/Zurich", [2040])


def test_unknown_zone_is_an_error() -> None:
    with pytest.raises(pytz.UnknownTimeZoneError):
        vtimezone("Europe/Atlantis", [2020])


def test_harness_shows_a_tzid_without_vtimezone_as_floating(tmp_path: Path) -> None:
    path = tmp_path / "no-vtimezone.ics"
    path.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\n"
        b"DTSTAMP:20200101T000000Z\r\nDTSTART;TZID=Europe/Zurich:20210329T100000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    (event,) = parse_with_ical_js([path])["files"][0]["events"]

    assert (event["tzid"], event["start_utc"]) == ("floating", None)


def test_harness_reports_a_parse_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.ics"
    path.write_text("BEGIN:VCALENDAR\nNOT A LINE\n")

    with pytest.raises(RuntimeError, match=r"broken\.ics"):
        parse_with_ical_js([path])
