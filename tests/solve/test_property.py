"""Random small events: each yields a plan that the validator accepts, or an explanation whose named rule
instances really conflict (together they cannot hold; without any one of them the rest can).

The events use meeting practice too: co-chairs who must differ in a column, sessions interpreted in fewer
languages than people speak, statements on behalf of groups with their own minutes, rights of reply, an
inscription deadline that some wishes miss, and the order within a protocol tier by lots."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler import release, solve
from scheduler.domain import Applicant, Break, Category, Event, Role, Rules, Segments, Session
from scheduler.load.timeparse import parse_windows
from scheduler.solve.explain import holds_together
from scheduler.validate import check
from tests.factories import DAY, GENERATED, event, person, session

FIXED_STARTS = (dt.time(9, 0), dt.time(13, 0), dt.time(15, 0))  # never overlapping for sessions up to 90 min
ZONES = ("", "America/New_York", "Asia/Almaty", "Europe/London", "Asia/Tokyo")
WINDOWS = ("", "", "", "08:00-20:00", "07:00-12:00; 14:00-22:00", "21:00-02:00", "09:00-11:00")
EVENT_LANGUAGES = ("en", "fr", "ru")
SPOKEN = ((), ("en",), ("fr",), ("ru",), ("fr", "en"), ("ru", "en"), ("de",), ("de", "fr"))  # de: never interpreted
DIFFER_IN = ("category", "subregion", "gender")
GROUPS = ("", "", "", "European Union and its member States", "Central Asian States")
CLOSES = dt.datetime(2020, 10, 5)  # the inscription deadline, when the event has one
REGISTERED = (None, dt.datetime(2020, 9, 20), dt.datetime(2020, 10, 1), CLOSES, dt.datetime(2020, 10, 9))


@st.composite
def segments(draw: st.DrawFn) -> Segments | None:
    """None (no time budget), or a budget that may give group statements their own minutes and keep some for
    rights of reply."""
    if not draw(st.booleans()):
        return None
    group_statement = draw(st.sampled_from([None, 3, 10]))
    return Segments(5, draw(st.sampled_from([5, 10])), 0, 5, group_statement=group_statement,
                    reply=draw(st.sampled_from([0, 0, 5])))  # fmt: skip


@st.composite
def sessions(draw: st.DrawFn) -> list[Session]:
    found = []
    for index in range(draw(st.integers(1, 3))):
        low = draw(st.integers(0, 2))
        high = draw(st.integers(max(low, 1), 3))
        fixed = draw(st.booleans())
        minutes = draw(st.sampled_from([30, 60, 90]))
        found.append(session(
            f"S{index + 1}",
            minutes=minutes,
            date=DAY if fixed else None,
            start=FIXED_STARTS[index] if fixed else None,
            moderators=draw(st.integers(0, 1)),
            speakers=(low, high),
            rapporteurs=draw(st.integers(0, 1)),
            objectives=tuple(sorted(draw(st.sets(st.integers(1, 3), max_size=2)))),
            min_stakeholder_speakers=draw(st.sampled_from([0, 0, 0, min(1, high)])),
            eligible=tuple(draw(st.sets(st.sampled_from(list(Category)), min_size=2)))
            if draw(st.integers(0, 3)) == 0 else tuple(Category),
            segments=draw(segments()),
            **draw(co_chairs()),
            languages=tuple(sorted(draw(st.sets(st.sampled_from(EVENT_LANGUAGES), max_size=2)))),
        ))  # fmt: skip
    return found


@st.composite
def co_chairs(draw: st.DrawFn) -> dict[str, object]:
    """None, one, or two or three who must differ in a column (or need not)."""
    count = draw(st.sampled_from([0, 0, 1, 2, 2, 3]))
    differ_in = draw(st.sampled_from(("", *DIFFER_IN))) if count >= 2 else ""
    return {"co_chairs": count, "co_chairs_differ_in": differ_in}


@st.composite
def events(draw: st.DrawFn) -> Event:
    chosen = draw(sessions())
    wishes = [f"{s.id}:{role.value}" for s in chosen for role in Role]
    people: list[Applicant] = []
    fixed_count: dict[str, int] = {}
    for index in range(draw(st.integers(2, 10))):
        wants = draw(st.lists(st.sampled_from(wishes), min_size=1, max_size=3, unique=True))
        withdrawn = draw(st.integers(0, 9)) == 0
        fixed: tuple[tuple[str, Role], ...] = ()
        first_session, first_role = wants[0].split(":")
        limit = next(s for s in chosen if s.id == first_session).role_count(Role(first_role))[1]
        if not withdrawn and draw(st.integers(0, 5)) == 0 and fixed_count.get(wants[0], 0) < limit:
            fixed = ((first_session, Role(first_role)),)
            fixed_count[wants[0]] = fixed_count.get(wants[0], 0) + 1
        people.append(person(
            f"P{index + 1}",
            "; ".join(wants),
            category=draw(st.sampled_from([*Category, Category.STAKEHOLDER])),
            gender=draw(st.sampled_from(["f", "m", "x", ""])),
            timezone=draw(st.sampled_from(ZONES)),
            available=parse_windows(draw(st.sampled_from(WINDOWS))),
            objectives=tuple(sorted(draw(st.sets(st.integers(1, 3), max_size=3)))),
            subregion=draw(st.sampled_from(["", "A", "B"])),
            withdrawn=withdrawn,
            fixed=fixed,
            languages=draw(st.sampled_from(SPOKEN)),
            on_behalf_of=draw(st.sampled_from(GROUPS)),
            registered_at=draw(st.sampled_from(REGISTERED)),
        ))  # fmt: skip
    breaks = (Break(DAY, dt.time(12, 0), dt.time(13, 0)),) if draw(st.booleans()) else ()
    return event(
        chosen, people, breaks=breaks, languages=EVENT_LANGUAGES,
        inscription_closes=CLOSES if draw(st.booleans()) else None,
        rules=Rules(speaking_order=draw(st.sampled_from(["inscription", "lots"]))),
    )  # fmt: skip


def _guarded(key: str) -> bool:
    """Instances that the explanation solve can switch off one by one (placement of a lone session cannot)."""
    return not key.startswith("placement:") or ":after:" in key


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_plan_or_true_explanation(ev: Event) -> None:
    try:
        result = release.plan(ev, generated_at=GENERATED, time_limit=10)
    except solve.NoPlan as no_plan:
        explanation = no_plan.explanation
        assert explanation.proven
        assert explanation.conflicts
        if any(not _guarded(k) for c in explanation.conflicts for k in c.rules):
            return  # the sessions cannot be placed at all: nothing about people to check
        for conflict in explanation.conflicts:
            keys = list(conflict.rules)
            assert not holds_together(ev, keys), conflict.message
            for dropped in keys:
                assert holds_together(ev, [k for k in keys if k != dropped]), (dropped, conflict.message)
        return
    assert check(ev, result) == []
    active_with_wishes = {a.id for a in ev.applicants if not a.withdrawn and a.interests}
    held = {a.participant for a in result.assignments}
    assert {u.participant for u in result.unassigned} == active_with_wishes - held
