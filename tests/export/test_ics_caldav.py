"""Invitations and session files stored in a real CalDAV server (Radicale, on loopback) and found again by a
calendar-query REPORT with a time range: the server's own reading of our VTIMEZONEs puts each at the plan's time.

Radicale refuses resources it cannot read (and two events with different UIDs in one resource), so storing the
files is a check in itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar

from scheduler import release
from scheduler.export.ics import invitation, public_calendar
from scheduler.load import load_event
from scheduler.views import PlanView, build_view
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
AUTH = "Basic " + base64.b64encode(b"organiser:any").decode()  # [auth] type = none takes any password
NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server with its storage in a temporary folder; its base URL."""
    folder = tmp_path_factory.mktemp("radicale")
    port = free_port()
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        "[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    with (folder / "radicale.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "radicale.log").read_text()) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def call(method: str, url: str, body: bytes = b"", **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body or None, method=method)
    request.add_header("Authorization", AUTH)
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def store(server: str, collection: str, files: dict[str, bytes]) -> str:
    """Create a calendar collection and PUT each file into it; the collection's URL."""
    url = f"{server}/organiser/{collection}/"
    assert call("MKCALENDAR", url)[0] == 201
    for name, data in files.items():
        status, reply = call("PUT", url + name, data, Content_Type="text/calendar; charset=utf-8")
        assert status == 201, (name, reply.decode(errors="replace"))
    return url


def query(url: str, start: dt.datetime, end: dt.datetime) -> dict[str, Calendar]:
    """calendar-query REPORT for events overlapping start..end: resource name -> calendar data."""
    body = QUERY.format(start=f"{start:%Y%m%dT%H%M%SZ}", end=f"{end:%Y%m%dT%H%M%SZ}")
    status, reply = call("REPORT", url, body.encode(), Depth="1", Content_Type="application/xml")
    assert status == 207, reply
    found = {}
    for response in ET.fromstring(reply).findall("D:response", NS):
        href = response.findtext("D:href", namespaces=NS) or ""
        data = response.findtext(".//C:calendar-data", namespaces=NS) or ""
        found[href.rsplit("/", 1)[-1]] = Calendar.from_ical(data)
    return found


@pytest.fixture(scope="module")
def view() -> PlanView:
    event = load_event(ROOT / "data" / "gcm2020-unece")
    return build_view(event, release.plan(event, generated_at=dt.datetime(2020, 11, 10, tzinfo=dt.UTC)))


def in_utc(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC)


def test_invitations_come_back_by_time_range_at_the_plan_times(server: str, view: PlanView) -> None:
    # one person per time zone of the plan: every zone's VTIMEZONE is read by the server
    chosen = {}
    for invite in view.invites:
        chosen.setdefault(invite.applicant.timezone or view.event.timezone, invite)
    files = {f"{i.applicant.id}_{i.session.id}.ics": invitation(view, i) for i in chosen.values()}
    url = store(server, "invites", files)

    for session in view.sessions:
        found = query(url, in_utc(session.start), in_utc(session.end))

        expected = {
            f"{i.applicant.id}_{i.session.id}.ics" for i in chosen.values() if i.session.id == session.id
        }
        assert set(found) == expected, session.id
        for calendar in found.values():
            (event,) = calendar.events
            assert (in_utc(event.start), in_utc(event.end)) == (in_utc(session.start), in_utc(session.end))
    assert len(chosen) > 10


def test_a_range_just_before_or_after_a_session_does_not_find_it(server: str, view: PlanView) -> None:
    first, *_ = view.sessions
    invite = next(i for i in view.invites if i.session.id == first.id and i.applicant.timezone)
    url = store(server, "edges", {"one.ics": invitation(view, invite)})
    minute = dt.timedelta(minutes=1)

    assert set(query(url, in_utc(first.start) - 60 * minute, in_utc(first.start))) == set()
    assert set(query(url, in_utc(first.end), in_utc(first.end) + 60 * minute)) == set()
    assert set(query(url, in_utc(first.end) - minute, in_utc(first.end))) == {"one.ics"}


def test_public_session_files_come_back_at_the_plan_times(server: str, view: PlanView) -> None:
    files = {f"{s.id}.ics": public_calendar(view, [s], s.id) for s in view.sessions}
    url = store(server, "programme", files)

    for session in view.sessions:
        found = query(url, in_utc(session.start), in_utc(session.end))

        assert set(found) == {f"{session.id}.ics"}
        (event,) = found[f"{session.id}.ics"].events
        assert (in_utc(event.start), in_utc(event.end)) == (in_utc(session.start), in_utc(session.end))
