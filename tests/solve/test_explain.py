"""Explanations in plain words: the rules, sessions, objectives and people involved, and what would help."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler import release, solve
from scheduler.domain import Day, Event
from scheduler.load import load_event
from scheduler.load.timeparse import parse_windows
from scheduler.solve.explain import Explanation, explain, holds_together
from tests.factories import DAY, GENERATED, event, person, session

DEFAULT_EVENT = Path(__file__).resolve().parents[2] / "data" / "gcm2020-unece"


def no_plan(ev: Event) -> Explanation:
    with pytest.raises(solve.NoPlan) as raised:
        release.plan(ev, generated_at=GENERATED)
    return raised.value.explanation


@pytest.fixture(scope="module")
def default() -> Event:
    return load_event(DEFAULT_EVENT)


def test_objective_nobody_declared_is_named_with_its_session(default: Event) -> None:
    nobody_on_13 = replace(default, applicants=tuple(
        replace(a, objectives=tuple(o for o in a.objectives if o != 13)) for a in default.applicants))  # fmt: skip
    explanation = no_plan(nobody_on_13)
    assert [c.rules for c in explanation.conflicts] == [("objective_coverage:RT2:13",)]
    text = str(explanation)
    assert "objective_coverage: RT2 needs objective 13 (" in text
    assert "no eligible applicant available at any time it can take place declared it" in text
    assert "remove objective 13 from RT2" in text


def test_too_many_moderators_names_who_asked_and_why_not(default: Event) -> None:
    far = person("NY1", "RT4:moderator", timezone="America/New_York", available=parse_windows("08:00-12:00"))
    greedy = replace(
        default,
        sessions=tuple(replace(s, moderators=9) if s.id == "RT4" else s for s in default.sessions),
        applicants=(*default.applicants, far),
    )
    explanation = no_plan(greedy)
    assert [c.rules for c in explanation.conflicts] == [("session_roles:RT4:moderator",)]
    message = explanation.conflicts[0].message
    assert message == (
        "session_roles: RT4 needs 9 moderator(s), but only 4 of the 5 applicant(s) who asked may take it at any "
        "time it can take place: availability: NY1 Person NY1 is available 08:00-12:00 in America/New_York, and RT4 "
        "can take place at the nearest 07:45-09:30 in America/New_York."
    )
    assert "or ask NY1 Person NY1 to widen their window to 07:45-12:00 (America/New_York time)" in (
        explanation.conflicts[0].relaxations
    )


def test_a_conflict_found_by_the_solver_lists_each_rule_and_its_relaxation() -> None:
    ev = event(
        [session("S1"), session("S2", start=dt.time(14, 0))],
        [person("M1", "S1:moderator; S2:moderator"), person("P1"), person("P2", "S2:speaker")],
    )
    explanation = explain(ev)
    (conflict,) = explanation.conflicts
    assert sorted(conflict.rule_names) == ["one_role", "session_roles"]
    assert conflict.message.startswith("These rules cannot all hold together: ")
    assert "one_role: M1 Person M1 may hold 1 role(s)" in conflict.message
    assert "raise max_roles_per_person in [rules]" in conflict.relaxations
    assert not holds_together(ev, conflict.rules)
    assert all(holds_together(ev, [k for k in conflict.rules if k != dropped]) for dropped in conflict.rules)


def test_sessions_that_do_not_fit_the_days() -> None:
    ev = event(
        [session("S1", date=None, start=None, minutes=90), session("S2", date=None, start=None, minutes=90)],
        [
            person("M1", "S1:moderator"),
            person("M2", "S2:moderator"),
            person("P1"),
            person("P2", "S2:speaker"),
        ],
        days=(Day(DAY, dt.time(9, 0), dt.time(11, 0)),),
    )
    explanation = no_plan(ev)
    assert "placement: the 2 sessions (180 minutes) cannot all be placed in the day windows" in str(
        explanation
    )


def test_a_session_longer_than_any_day() -> None:
    ev = event(
        [session("S1", date=None, start=None, minutes=600)], [person("M1", "S1:moderator"), person("P1")]
    )
    assert "placement: S1 (600 minutes) fits in no day window outside the breaks." in str(no_plan(ev))


def test_feasible_event_has_no_conflict() -> None:
    ev = event([session()], [person("M1", "S1:moderator"), person("P1")])
    assert explain(ev).conflicts == []


def test_a_conflict_found_by_the_solver_names_the_availability_that_blocks() -> None:
    # Every role has a candidate, so no pre-check fires; but M1 may moderate one session only, and M2, the other
    # candidate for S2, connects from New York, where 14:00 in Geneva is 08:00, before their window opens.
    ev = event(
        [session("S1"), session("S2", start=dt.time(14, 0))],
        [
            person("M1", "S1:moderator; S2:moderator"),
            person("M2", "S2:moderator", timezone="America/New_York", available=parse_windows("09:00-17:00")),
            person("P1"),
            person("P2", "S2:speaker"),
        ],
    )
    (conflict,) = explain(ev).conflicts
    assert sorted(conflict.rules) == [
        "availability:S2:moderator",
        "one_role:M1",
        "session_roles:S1:moderator",
        "session_roles:S2:moderator",
    ]
    assert (
        "availability: M2 Person M2 is available 09:00-17:00 in America/New_York, and S2 is 08:00-09:00 in "
        "America/New_York" in conflict.message
    )
    assert (
        "ask M2 Person M2 to widen their window to 08:00-17:00 (America/New_York time)"
        in conflict.relaxations
    )
    assert not holds_together(ev, conflict.rules)
    assert all(holds_together(ev, [k for k in conflict.rules if k != dropped]) for dropped in conflict.rules)
