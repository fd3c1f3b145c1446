"""UN meeting practice in whole plans on tiny events: co-chairs, interpretation, the inscription deadline, group
statements, rights of reply and the order within a protocol tier; with the waiting list's reasons, the
explanations' words, the validator's exact violations and plan.json."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from scheduler import release, running_order, solve, store
from scheduler.domain import Assignment, Category, Event, Placement, Plan, Role, Rules, Segments
from scheduler.validate import Violation, check
from scheduler.views import build_view
from tests.factories import DAY, GENERATED, event, person, session

CO, MOD, SPK = Role.CO_CHAIR, Role.MODERATOR, Role.SPEAKER
STATE = {"category": Category.MEMBER_STATE, "country": "Utopia", "level": "official"}


def plan_of(ev: Event) -> Plan:
    result = release.plan(ev, generated_at=GENERATED, time_limit=20)
    assert check(ev, result) == []
    return result


def reason(result: Plan, participant: str) -> str:
    return next(u.reason for u in result.unassigned if u.participant == participant)


def order(result: Plan, session_id: str = "S1") -> list[tuple[str, str | None, int, str]]:
    """(segment, participant, minutes, language) of each item of a session."""
    return [
        (i.segment, i.participant, int((i.end - i.start).total_seconds() // 60), i.language)
        for i in result.running_order
        if i.session == session_id
    ]


def practice() -> Event:
    """A co-chaired session interpreted in en and ru: a member State and a stakeholder co-chair, two stakeholder
    co-chair candidates, a group statement, two national statements, right of reply."""
    segments = Segments(opening=4, intervention=5, discussion=10, closing=6, group_statement=8, reply=7)
    return event(
        [session(minutes=60, co_chairs=2, co_chairs_differ_in="category", languages=("en", "ru"),
                 speakers=(1, 3), segments=segments)],
        [
            person("M1", "S1:moderator", languages=("fr", "en")),
            person("K1", "S1:co_chair", **STATE, languages=("ru",)),
            person("K2", "S1:co_chair", registered_at=dt.datetime(2020, 10, 1, 1)),
            person("K3", "S1:co_chair", registered_at=dt.datetime(2020, 10, 1, 2)),
            person("N1", **STATE, languages=("de", "en")),
            person("N2", **{**STATE, "level": "minister"}),
            person("G1", **STATE, on_behalf_of="Group of Friends of Migration"),
            person("F1", languages=("fr",)),
        ],
        languages=("en", "fr", "ru"),
    )  # fmt: skip


def test_co_chairs_open_and_close_the_moderator_leads_the_discussion_group_statements_first() -> None:
    result = plan_of(practice())
    assert sorted(result.assigned("S1", CO)) == ["K1", "K2"]  # a member State and a stakeholder
    assert order(result) == [
        ("opening", "K1", 2, "ru"),  # the member State first, in protocol order
        ("opening", "K2", 2, "en"),
        ("group_statement", "G1", 8, "en"),
        ("intervention", "N2", 5, "en"),  # a minister before an official
        ("intervention", "N1", 5, "en"),  # the first of de, en that the session interprets
        ("discussion", "M1", 10 + 60 - 4 - 8 - 5 - 5 - 10 - 7 - 6, "en"),
        ("reply", None, 7, ""),
        ("closing", "K1", 3, "ru"),
        ("closing", "K2", 3, "en"),
    ]


def test_the_waiting_list_says_which_rule_keeps_each_person_out() -> None:
    result = plan_of(practice())
    assert reason(result, "F1") == "S1 speaker: S1 is interpreted in en and ru; F1 speaks only fr"
    assert reason(result, "K3") == (
        "S1 co_chair: co-chair K2 is also of category stakeholder, and the co-chairs of S1 differ in it"
    )


def test_a_wish_registered_after_the_inscription_closed_waits_and_a_fixed_one_holds() -> None:
    base = practice()
    late = dt.datetime(2020, 11, 5, 12)
    people = [replace(p, registered_at=late) if p.id in ("N2", "G1") else p for p in base.applicants]
    people = [replace(p, fixed=(("S1", SPK),)) if p.id == "G1" else p for p in people]
    ev = replace(base, applicants=tuple(people), inscription_closes=dt.datetime(2020, 11, 5, 9))
    result = plan_of(ev)
    assert reason(result, "N2") == (
        "S1 speaker: registered 2020-11-05 12:00, after the inscription closed (2020-11-05 09:00)"
    )
    assert "G1" in result.assigned("S1", SPK)


def test_the_explanation_names_the_languages_and_the_people() -> None:
    ev = event(
        [session(objectives=(13,), languages=("en", "ru"), speakers=(1, 2))],
        [person("M1", "S1:moderator"), person("P1"), *(person(f"F{n}", objectives=(13,), languages=("fr",))
                                                        for n in (1, 2))],
        languages=("en", "fr", "ru"),
    )  # fmt: skip
    with pytest.raises(solve.NoPlan) as raised:
        release.plan(ev, generated_at=GENERATED, time_limit=20)
    text = str(raised.value.explanation)
    assert "objective_coverage: S1 needs objective 13" in text
    assert "interpretation: S1 is interpreted in en and ru; F1 Person F1 speaks only fr" in text
    assert "interpretation: S1 is interpreted in en and ru; F2 Person F2 speaks only fr" in text
    assert "interpret S1 in fr too" in text


def test_co_chairs_who_cannot_differ_are_explained() -> None:
    ev = event(
        [session(co_chairs=2, co_chairs_differ_in="category")],
        [person("M1", "S1:moderator"), person("P1"), person("K1", "S1:co_chair"), person("K2", "S1:co_chair")],
    )
    with pytest.raises(solve.NoPlan) as raised:
        release.plan(ev, generated_at=GENERATED, time_limit=20)
    assert "co_chairs_differ: S1 needs 2 co-chairs who differ in category, but the candidates have 1" in str(
        raised.value.explanation
    )


def test_the_validator_lists_each_broken_practice_rule() -> None:
    ev = replace(practice(), inscription_closes=dt.datetime(2020, 9, 1))
    start = ev.localize(DAY, dt.time(10))
    placements = [Placement("S1", start, start + dt.timedelta(minutes=60))]
    assignments = [Assignment("M1", "S1", MOD), Assignment("K2", "S1", CO), Assignment("K3", "S1", CO),
                   Assignment("F1", "S1", SPK)]  # fmt: skip
    items = running_order.build(ev, placements, assignments)
    broken = Plan(ev.id, 1, GENERATED, tuple(placements), tuple(assignments), items)
    found = [v for v in check(ev, broken) if v.rule in ("interpretation", "inscription_deadline", "co_chairs_differ")]
    assert found == [
        Violation("interpretation", "F1 speaks no language interpreted in S1"),
        Violation("inscription_deadline", "F1 registered 2020-10-01 01:00, after the inscription closed, but holds "
                                          "S1 speaker"),
        Violation("inscription_deadline", "K2 registered 2020-10-01 01:00, after the inscription closed, but holds "
                                          "S1 co_chair"),
        Violation("inscription_deadline", "K3 registered 2020-10-01 02:00, after the inscription closed, but holds "
                                          "S1 co_chair"),
        Violation("inscription_deadline", "M1 registered 2020-10-01 01:00, after the inscription closed, but holds "
                                          "S1 moderator"),
        Violation("co_chairs_differ", "co-chairs K2, K3 of S1 share category stakeholder"),
    ]  # fmt: skip


def lots(ev: Event) -> Event:
    return replace(ev, rules=Rules(speaking_order="lots"))


def tier() -> Event:
    """Six stakeholders of one protocol tier, registered in id order."""
    return event([session(speakers=(6, 6), minutes=60)],
                 [person("M1", "S1:moderator"), *(person(f"P{n}") for n in range(1, 7))])  # fmt: skip


def speakers(ev: Event) -> list[str]:
    start = ev.localize(DAY, dt.time(10))
    placement = Placement("S1", start, start + dt.timedelta(minutes=60))
    held = [Assignment(p.id, "S1", SPK) for p in ev.applicants if p.id.startswith("P")]
    return [i.participant or "" for i in running_order.build(ev, [placement], held) if i.role is SPK]


def test_speaking_order_by_inscription_follows_registration() -> None:
    assert speakers(tier()) == ["P1", "P2", "P3", "P4", "P5", "P6"]


def test_speaking_order_by_lots_is_a_seeded_draw_the_same_on_every_run() -> None:
    drawn = speakers(lots(tier()))
    assert sorted(drawn) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert drawn != speakers(tier())
    assert drawn == speakers(lots(tier()))
    # Another event draws otherwise; one speaker fewer moves nobody else.
    assert speakers(replace(lots(tier()), id="other")) != drawn
    fewer = replace(lots(tier()), applicants=tuple(p for p in tier().applicants if p.id != "P3"))
    assert speakers(fewer) == [p for p in drawn if p != "P3"]


def test_plan_json_carries_co_chairs_languages_and_group_statements(tmp_path: Path) -> None:
    ev = practice()
    result = plan_of(ev)
    path = tmp_path / "plan.json"
    store.write_plan(build_view(ev, result), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    (s1,) = data["sessions"]
    assert s1["co_chairs"] == ["K1", "K2"]
    items = s1["running_order"]
    assert items[0] == {**items[0], "participant": "K1", "role": "co_chair", "language": "ru"}
    assert items[2]["on_behalf_of"] == "Group of Friends of Migration"
    assert all("language" in i for i in items if i["participant"])
    assert "language" not in items[6]  # the reply has no participant
    again = store.read_plan(path)
    assert again.running_order == result.running_order
    assert check(ev, again) == []


def test_the_validator_checks_the_language_of_each_item() -> None:
    ev = practice()
    result = plan_of(ev)
    wrong = tuple(replace(i, language="fr") if i.participant == "M1" else i for i in result.running_order)
    assert check(ev, replace(result, running_order=wrong)) == [
        Violation("interpretation", "M1 speaks en in S1, not fr")
    ]
