"""Every side names the same rules: the rulebook, the model, its explanations, the validator and the CBC mirror."""

from __future__ import annotations

import datetime as dt

from benchmarks import cbc
from scheduler import running_order
from scheduler.domain import Assignment, Category, Placement, Plan, Role, Segments
from scheduler.load.timeparse import parse_windows
from scheduler.rulebook import HARD, RULES, SOFT
from scheduler.solve.model import build
from scheduler.solve.rules import RULES as MODEL_RULES
from scheduler.validate import CHECKS, COUNTS
from tests.factories import DAY, GENERATED, event, person, session

RULEBOOK = {rule.name for rule in RULES}

# An event with an instance of every rule the model can name: two sessions, one after the other, with objectives,
# stakeholder voices and a time budget; a fixed assignment; a withdrawn, an ineligible and a never available person;
# people behind each soft rule; co-chairs who must differ, a language not interpreted, a late registration.
EVENT = event(
    [
        session("S1", date=None, start=None, objectives=(1,), min_stakeholder_speakers=1, eligible=(Category.STAKEHOLDER,),
                segments=Segments(5, 20, 10, 5)),
        session("S2", date=None, start=None, after=("S1",), co_chairs=2, co_chairs_differ_in="category"),
    ],
    [
        person("M1", "S1:moderator; S2:moderator", fixed=(("S1", Role.MODERATOR),)),
        person("P1", "S1:speaker; S2:speaker; S1:rapporteur", objectives=(1,), gender="f"),
        person("W1", withdrawn=True),
        person("G1", category=Category.IGO),
        person("N1", "S2:speaker", available=parse_windows("06:00-07:00")),
        person("A1", "S2:speaker", available=parse_windows("09:00-12:00")),
        # A minister who sent a written submission, and three speakers of one subregion and stakeholder group:
        # instances of the soft rules about who is left out and about spread.
        person("D1", "S2:speaker", category=Category.MEMBER_STATE, country="Kazakhstan", level="minister",
               submission_date=DAY),
        *(person(f"C{n}", "S2:speaker", subregion="Central Asia") for n in (1, 2, 3)),
        # Two co-chairs of one category, a speaker of a language nobody interprets, a late registration.
        *(person(f"K{n}", "S2:co_chair") for n in (1, 2)),
        person("L1", "S2:speaker", languages=("de",)),
        person("R1", "S2:speaker", registered_at=dt.datetime(2020, 11, 10)),
    ],
    inscription_closes=dt.datetime(2020, 11, 1),
)  # fmt: skip


def _published() -> Plan:
    start = EVENT.localize(DAY, dt.time(9))
    placements = [Placement("S1", start, start + dt.timedelta(hours=1))]
    assignments = [Assignment("M1", "S1", Role.MODERATOR)]
    order = running_order.build(EVENT, placements, assignments)
    return Plan(EVENT.id, 1, GENERATED, tuple(placements), tuple(assignments), order)


def test_every_side_names_the_rulebook_rules() -> None:
    assert set(HARD) | set(SOFT) == RULEBOOK
    explaining = build(EVENT, explain=True)
    replanning = build(EVENT, previous=_published())
    # The rules that hold by leaving a wish without a variable (or, when explaining, hold it at 0 behind a guard).
    held_by_absence = {e.rule for e in explaining.variables.excluded.values()} | {
        rule for rules in explaining.variables.forbidden_by.values() for rule in rules
    }
    sides = {
        "model registry": {rule.name for rule in MODEL_RULES},
        # What the built model really names: guarded constraints, wishes held by absence, weighted terms.
        "model": {instance.rule for _, instance in explaining.guards.literals.values()}
        | held_by_absence
        | {term.rule for term in replanning.terms},
        # What an explanation can name: the guarded instances.
        "explanations": {instance.rule for _, instance in explaining.guards.literals.values()},
        "validator": set(CHECKS) | set(COUNTS),
        "CBC mirror": set(cbc.HARD_RULES) | set(cbc.SOFT_RULES) | set(cbc.NOT_MIRRORED),
    }
    assert {side: names ^ RULEBOOK for side, names in sides.items()} == {
        "model registry": set(),
        "model": set(),
        "explanations": set(SOFT),  # explanations are about hard rules only
        "validator": set(),
        "CBC mirror": set(),
    }
    assert [rule.name for rule in MODEL_RULES if rule.hard] == list(HARD)
    assert set(CHECKS) == set(HARD) == set(cbc.HARD_RULES)
    assert set(COUNTS) == set(SOFT) == set(cbc.SOFT_RULES) | set(cbc.NOT_MIRRORED)
