"""An independent check of a plan against the event: every hard rule, and a recount of every soft rule.

It knows nothing of the solver: it reads the plan as an organiser would, so a modelling mistake shows up here as
a violation or as a cost that differs from the solver's.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass

from scheduler.domain import LEVELS, Category, Event, Plan, Role
from scheduler.rulebook import BY_NAME, LEVEL_BASE, RULES, SOFT
from scheduler.timeline import candidate_starts, is_available, local_span


@dataclass(frozen=True, order=True)
class Violation:
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


_ORDER = {rule.name: i for i, rule in enumerate(RULES)}


def check(event: Event, plan: Plan) -> list[Violation]:
    """Every hard-rule violation of the plan, sorted by rule (in rulebook order) and detail."""
    found: list[Violation] = []
    found += _placement(event, plan)
    found += _people(event, plan)
    found += _sessions(event, plan)
    return sorted(set(found), key=lambda v: (_ORDER[v.rule], v.detail))


def _placement(event: Event, plan: Plan) -> list[Violation]:
    out = []
    placed = Counter(p.session for p in plan.placements)
    for session in event.sessions:
        if placed[session.id] != 1:
            out.append(Violation("placement", f"{session.id} is placed {placed[session.id]} times"))
    for unknown in sorted(set(placed) - set(event.session_by_id)):
        out.append(Violation("placement", f"{unknown} is not a session of the event"))
    tz = event.tz
    spans = []
    for p in plan.placements:
        defined = event.session_by_id.get(p.session)
        if defined is None:
            continue
        session = defined
        start, end = p.start.astimezone(tz), p.end.astimezone(tz)
        spans.append((start, end, p.session))
        if end - start != dt.timedelta(minutes=session.minutes):
            out.append(
                Violation("placement", f"{p.session} lasts {end - start}, not {session.minutes} minutes")
            )
        if session.is_fixed and p.start != event.localize(session.date, session.start):  # type: ignore[arg-type]
            out.append(
                Violation("placement", f"{p.session} is not at its fixed time {session.date} {session.start}")
            )
        inside = any(
            event.localize(d.date, d.start) <= start and end <= event.localize(d.date, d.end)
            for d in event.days
        )
        if not inside:
            out.append(
                Violation("placement", f"{p.session} {start:%Y-%m-%d %H:%M}-{end:%H:%M} is outside the days")
            )
        for pause in event.breaks:
            if (
                start < event.localize(pause.date, pause.end)
                and event.localize(pause.date, pause.start) < end
            ):
                out.append(
                    Violation("placement", f"{p.session} overlaps the break {pause.date} {pause.start:%H:%M}")
                )
    spans.sort()
    for (_, end_a, a), (start_b, _, b) in itertools.pairwise(spans):
        if start_b < end_a:
            out.append(Violation("placement", f"{a} and {b} overlap"))
    when = {p.session: p for p in plan.placements}
    for session in event.sessions:
        for other in session.after:
            if session.id in when and other in when and when[session.id].start < when[other].end:
                out.append(Violation("placement", f"{session.id} starts before {other} ends"))
    return out


def _people(event: Event, plan: Plan) -> list[Violation]:
    out = []
    people = event.applicant_by_id
    when = {p.session: p for p in plan.placements}
    held: dict[str, list[tuple[str, Role]]] = defaultdict(list)
    for a in plan.assignments:
        applicant = people.get(a.participant)
        session = event.session_by_id.get(a.session)
        if applicant is None or session is None:
            out.append(Violation("interest_only", f"{a.participant} {a.session}: unknown person or session"))
            continue
        held[a.participant].append((a.session, a.role))
        wished = (
            applicant.interest_rank(a.session, a.role) is not None or (a.session, a.role) in applicant.fixed
        )
        if not wished:
            out.append(Violation("interest_only", f"{a.participant} did not ask for {a.session} {a.role}"))
        if applicant.withdrawn:
            out.append(Violation("withdrawn", f"{a.participant} is withdrawn but holds {a.session} {a.role}"))
        if applicant.category not in session.eligible:
            out.append(
                Violation("eligibility", f"{a.participant} ({applicant.category}) may not be in {a.session}")
            )
        elif (
            a.role is Role.SPEAKER
            and session.min_level
            and applicant.category in (Category.MEMBER_STATE, Category.OBSERVER)
            and LEVELS.index(applicant.level) > LEVELS.index(session.min_level)
        ):
            out.append(
                Violation(
                    "eligibility",
                    f"{a.participant} ({applicant.level}) is below {session.min_level} for {a.session}",
                )
            )
        place = when.get(a.session)
        if place is not None and not is_available(event, applicant, place.start, place.end):
            out.append(
                Violation(
                    "availability",
                    f"{a.participant} is not available for {a.session} "
                    f"({local_span(event, applicant, place.start, place.end)})",
                )
            )
    for applicant in event.applicants:
        for session_id, role in applicant.fixed:
            if (session_id, role) not in held.get(applicant.id, []):
                out.append(
                    Violation(
                        "interest_only", f"{applicant.id} is fixed as {session_id} {role} but not assigned"
                    )
                )
    for person, roles in held.items():
        if len(roles) > event.rules.max_roles_per_person:
            out.append(Violation("one_role", f"{person} holds {len(roles)} roles"))
        sessions = sorted({s for s, _ in roles if s in when}, key=lambda s: when[s].start)
        if len(sessions) < len(roles):
            out.append(Violation("one_role", f"{person} holds two roles in one session"))
        for first, second in itertools.pairwise(sessions):
            if when[second].start < when[first].end:
                out.append(Violation("one_role", f"{person} is in {first} and {second}, which overlap"))
    return out


def _sessions(event: Event, plan: Plan) -> list[Violation]:
    out = []
    people = event.applicant_by_id
    for session in event.sessions:
        by_role = {role: plan.assigned(session.id, role) for role in Role}
        for role, ids in by_role.items():
            low, high = session.role_count(role)
            if not low <= len(ids) <= high:
                wanted = f"{low}" if low == high else f"{low}-{high}"
                out.append(
                    Violation("session_roles", f"{session.id} has {len(ids)} {role}(s), needs {wanted}")
                )
        speakers = [people[p] for p in by_role[Role.SPEAKER] if p in people]
        for objective in session.objectives:
            if not any(objective in s.objectives for s in speakers):
                out.append(
                    Violation(
                        "objective_coverage", f"{session.id}: no speaker addresses objective {objective}"
                    )
                )
        voices = sum(s.category is Category.STAKEHOLDER for s in speakers)
        if voices < session.min_stakeholder_speakers:
            out.append(
                Violation(
                    "stakeholder_voice",
                    f"{session.id} has {voices} stakeholder speaker(s), needs "
                    f"{session.min_stakeholder_speakers}",
                )
            )
        if session.segments is not None:
            used = session.segments.fixed_minutes() + session.segments.intervention * len(speakers)
            if used > session.minutes:
                out.append(
                    Violation("time_budget", f"{session.id} needs {used} minutes, has {session.minutes}")
                )
        items = [i for i in plan.running_order if i.session == session.id]
        place = next((p for p in plan.placements if p.session == session.id), None)
        if place is not None and items and (items[0].start < place.start or items[-1].end > place.end):
            out.append(Violation("time_budget", f"{session.id}'s running order overruns the session"))
    return out


# --- soft rules: a recount --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Penalty:
    """Units of one soft rule at one place of the plan, with the justification an organiser reads."""

    rule: str
    units: int
    detail: str


def penalty_items(event: Event, plan: Plan, previous: Plan | None = None) -> list[Penalty]:
    """Every soft-rule penalty of the plan, one item per person, panel or session that costs something."""
    people = event.applicant_by_id
    items: list[Penalty] = []
    held = {a.participant for a in plan.assignments}
    base = LEVELS.index(LEVEL_BASE)
    for a in plan.assignments:
        rank = people[a.participant].interest_rank(a.session, a.role)
        if rank and rank > 1:
            items.append(
                Penalty(
                    "interest_rank", rank - 1, f"{a.participant} got choice {rank} ({a.session} {a.role})"
                )
            )
    for p in event.applicants:
        if p.withdrawn or not (p.interests or p.fixed) or p.id in held:
            continue
        items.append(Penalty("unassigned", 1, f"{p.id} has no role"))
        if p.category is Category.MEMBER_STATE and p.submission_date is not None:
            items.append(
                Penalty("written_submission", 1, f"{p.id} ({p.country}) sent a submission and has no role")
            )
        if p.category in (Category.MEMBER_STATE, Category.OBSERVER) and LEVELS.index(p.level) < base:
            items.append(Penalty("level_of_representation", base - LEVELS.index(p.level),
                                 f"{p.id} ({p.level}, {p.country or p.organisation}) has no role"))  # fmt: skip
    for session in event.sessions:
        items += _panel_penalties(event, plan, session.id)
        if not session.is_fixed:
            starts = candidate_starts(event, session)
            place = next((p for p in plan.placements if p.session == session.id), None)
            if place is not None and place.start in starts and starts.index(place.start):
                items.append(
                    Penalty(
                        "early_placement",
                        starts.index(place.start),
                        f"{session.id}: {starts.index(place.start)} earlier possible start(s) not taken",
                    )
                )
    if previous is not None:
        now = {(a.participant, a.session, a.role) for a in plan.assignments}
        for a in previous.assignments:
            if (a.participant, a.session, a.role) not in now:
                items.append(Penalty("stability", 1, f"{a.participant} no longer {a.role} of {a.session}"))
        starts_now = {p.session: p.start for p in plan.placements}
        for was in previous.placements:
            if was.session in starts_now and starts_now[was.session] != was.start:
                items.append(Penalty("stability", 1, f"{was.session} moved"))
    return items


def _panel_penalties(event: Event, plan: Plan, session: str) -> list[Penalty]:
    people = event.applicant_by_id
    items = []
    panel = [people[p] for role in (Role.MODERATOR, Role.SPEAKER) for p in plan.assigned(session, role)]
    women, men = sum(p.gender == "f" for p in panel), sum(p.gender == "m" for p in panel)
    if abs(women - men) > 1:
        items.append(Penalty("gender_balance", abs(women - men) - 1, f"{session}: {women} women, {men} men"))
    speakers = [people[p] for p in plan.assigned(session, Role.SPEAKER)]
    limit = event.rules.max_same_subregion
    for region, count in sorted(Counter(p.subregion for p in speakers if p.subregion).items()):
        if count > limit:
            items.append(
                Penalty("subregion_spread", count - limit, f"{session}: {count} speakers from {region}")
            )
    limit = event.rules.max_same_stakeholder_group
    groups = Counter(p.stakeholder_group for p in speakers if p.category is Category.STAKEHOLDER)
    for group, count in sorted(groups.items()):
        if count > limit:
            items.append(
                Penalty("stakeholder_group_spread", count - limit, f"{session}: {count} speakers of {group}")
            )
    return items


def penalties(event: Event, plan: Plan, previous: Plan | None = None) -> dict[str, int]:
    """Units of each soft rule in the plan (multiply by the rule's weight for its cost)."""
    units = dict.fromkeys(SOFT, 0)
    for item in penalty_items(event, plan, previous):
        units[item.rule] += item.units
    return units


def objective(event: Event, units: dict[str, int], weights: dict[str, int] | None = None) -> int:
    """The weighted sum of soft-rule units, with the plan's recorded weights (stability's is per event)."""
    weights = weights or {name: BY_NAME[name].weight_of(event.rules) for name in SOFT}
    return sum(weights.get(name, 0) * count for name, count in units.items())
