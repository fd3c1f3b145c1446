"""Time zones end to end: an event across a daylight-saving change (Geneva, 26-29 March 2021) and participants in
zones whose rules changed over the years, checked by an independent parser (ical.js)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ical_js import parse_with_ical_js

EVENT_TOML = """[event]
id = "spring2021"
title = "Spring consultation"
timezone = "Europe/Zurich"
organiser = { name = "Secretariat", email = "secretariat@example.org" }
uid_domain = "spring2021.example.org"
speaker_link = "https://meet.example.org/j/spring"

[[days]]
date = 2021-03-26
start = 10:00:00
end = 12:00:00

[[days]]
date = 2021-03-29
start = 10:00:00
end = 12:00:00

[[sessions]]
id = "FRI"
title = "Friday, before the change"
date = 2021-03-26
start = 10:00:00
minutes = 60
speakers = [1, 4]

[[sessions]]
id = "MON"
title = "Monday, after the change"
date = 2021-03-29
start = 10:00:00
minutes = 60
speakers = [1, 4]
"""

# New York moved its clocks on 14 March, Geneva and London on 28 March 2021; Almaty stayed at UTC+6 all year (it
# moved to UTC+5 only in 2024) and Moscow has kept UTC+3 since 2014.
APPLICANTS = """id,name,email,category,stakeholder_group,timezone,available,interests
M1,Mara Example,mara@example.org,stakeholder,youth,Europe/Zurich,,FRI:moderator
M2,Milo Example,milo@example.org,stakeholder,youth,Europe/London,,MON:moderator
NY,Nora Example,nora@example.org,stakeholder,academia,America/New_York,05:00-06:00,FRI:speaker; MON:speaker
AL,Aida Example,aida@example.org,stakeholder,trade_union,Asia/Almaty,15:00-16:00,MON:speaker; FRI:speaker
MO,Maxim Example,maxim@example.org,stakeholder,nhri,Europe/Moscow,11:00-12:00,MON:speaker
LO,Lena Example,lena@example.org,stakeholder,other,Europe/London,,FRI:speaker
"""

# Local hours of a 10:00 Geneva session: on Friday (CET, UTC+1) it is 09:00 UTC; on Monday (CEST) 08:00 UTC.
EXPECTED_UTC = {"FRI": ("2021-03-26T09:00:00Z", "2021-03-26T10:00:00Z"),
                "MON": ("2021-03-29T08:00:00Z", "2021-03-29T09:00:00Z")}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dst")
    event = root / "event"
    event.mkdir()
    (event / "event.toml").write_text(EVENT_TOML, encoding="utf-8")
    (event / "applicants.csv").write_text(APPLICANTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "plan", str(event), "--out", str(root / "out")],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1616000000"}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return root / "out"


def test_availability_is_read_in_each_persons_zone_across_the_change(out: Path) -> None:
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    held = {(a["participant"], a["session"]) for a in plan["assignments"]}
    # 05:00-06:00 in New York is 09:00-10:00 UTC: Friday's session, not Monday's (08:00 UTC = 04:00 there).
    assert ("NY", "FRI") in held and ("NY", "MON") not in held
    # 15:00-16:00 in Almaty (UTC+6) is 09:00-10:00 UTC: Friday only, although Almaty ranked Monday first.
    assert ("AL", "FRI") in held and ("AL", "MON") not in held
    # 11:00-12:00 in Moscow (UTC+3) is 08:00-09:00 UTC: Monday's session.
    assert ("MO", "MON") in held
    sessions = {s["id"]: (s["start"], s["end"]) for s in plan["sessions"]}
    assert sessions == {"FRI": ("2021-03-26T10:00:00+01:00", "2021-03-26T11:00:00+01:00"),
                        "MON": ("2021-03-29T10:00:00+02:00", "2021-03-29T11:00:00+02:00")}  # fmt: skip


def test_every_calendar_file_gives_the_right_utc_instants(out: Path) -> None:
    files = sorted((out / "calendar").rglob("*.ics"))
    reading = parse_with_ical_js(files)
    seen = 0
    for parsed in reading["files"]:
        for event in parsed["events"]:
            session = event["uid"].split("@")[0].split("-")[-1]
            assert (event["start_utc"], event["end_utc"]) == EXPECTED_UTC[session], (parsed["path"], event)
            seen += 1
    assert seen >= 2 + 2 + 4  # agenda (2), one file per session (2), the invitations
