"""The variable container: one boolean per possible (person, session, role) and per possible session start.

Only possibilities that the domain allows get a variable: interest_only, eligibility, withdrawn and the plain
impossibilities of availability are enforced by absence, and the reason of each absence is kept for explanations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.domain import LEVELS, Applicant, Category, Event, Role, Session
from scheduler.timeline import candidate_starts, is_available, session_end

Key = tuple[str, str, Role]  # (participant, session, role)


@dataclass(frozen=True)
class Exclusion:
    """Why an applicant's wish (or fixed assignment) has no variable: the rule that forbids it, in words."""

    rule: str
    detail: str


def eligibility_problem(applicant: Applicant, session: Session, role: Role) -> str | None:
    """Why the applicant may not take the role in the session, or None when they may."""
    if applicant.category not in session.eligible:
        allowed = ", ".join(c.value for c in session.eligible)
        return f"category {applicant.category} is not eligible for {session.id} (only {allowed})"
    if (
        role is Role.SPEAKER
        and session.min_level is not None
        and applicant.category in (Category.MEMBER_STATE, Category.OBSERVER)
        and applicant.level_rank > LEVELS.index(session.min_level)
    ):
        return f"level {applicant.level} is below the {session.min_level} level {session.id} asks of speakers"
    return None


@dataclass
class Variables:
    """Variables of one model, with the look-ups every rule needs."""

    model: cp_model.CpModel
    event: Event
    starts: dict[str, list[dt.datetime]] = field(default_factory=dict)
    placed: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    start_minute: dict[str, cp_model.IntVar] = field(default_factory=dict)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    available_slots: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    excluded: dict[Key, Exclusion] = field(default_factory=dict)
    by_session_role: dict[tuple[str, Role], list[Key]] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list[Key]] = field(default_factory=lambda: defaultdict(list))
    left_out: dict[str, cp_model.LinearExprT] = field(default_factory=dict)  # see rules.left_out

    @classmethod
    def build(cls, model: cp_model.CpModel, event: Event) -> Variables:
        variables = cls(model, event)
        variables._build_placement()
        variables._build_assignments()
        return variables

    @property
    def origin(self) -> dt.datetime:
        """Minute 0 of the model's time axis: midnight before the first day, in UTC terms."""
        first = min((d.date for d in self.event.days), default=dt.date(2000, 1, 1))
        return self.event.localize(first, dt.time())

    def minute(self, when: dt.datetime) -> int:
        return int((when - self.origin).total_seconds() // 60)

    def _build_placement(self) -> None:
        for session in self.event.sessions:
            starts = candidate_starts(self.event, session)
            self.starts[session.id] = starts
            literals = [self.model.new_bool_var(f"placed[{session.id},{i}]") for i in range(len(starts))]
            self.placed[session.id] = literals
            minutes = [self.minute(s) for s in starts] or [0]
            start = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(minutes), f"start[{session.id}]"
            )
            if starts:
                self.model.add(start == sum(m * lit for m, lit in zip(minutes, literals, strict=True)))
            self.start_minute[session.id] = start

    def _build_assignments(self) -> None:
        sessions = self.event.session_by_id
        for applicant in self.event.applicants:
            wishes = [(i.session, i.role) for i in applicant.interests]
            wishes += [f for f in applicant.fixed if f not in wishes]
            for session_id, role in wishes:
                key = (applicant.id, session_id, role)
                session = sessions[session_id]
                exclusion = self._exclusion(applicant, session, role)
                if exclusion is not None:
                    self.excluded[key] = exclusion
                    continue
                self.x[key] = self.model.new_bool_var(f"x[{applicant.id},{session_id},{role}]")
                self.by_session_role[session_id, role].append(key)
                self.by_person[applicant.id].append(key)

    def _exclusion(self, applicant: Applicant, session: Session, role: Role) -> Exclusion | None:
        if applicant.withdrawn:
            return Exclusion("withdrawn", "withdrawn")
        if session.role_count(role)[1] == 0:
            return Exclusion("session_roles", f"{session.id} has no {role} role")
        problem = eligibility_problem(applicant, session, role)
        if problem:
            return Exclusion("eligibility", problem)
        slots = self.available_slots.get((applicant.id, session.id))
        if slots is None:
            slots = [
                i
                for i, start in enumerate(self.starts[session.id])
                if is_available(self.event, applicant, start, session_end(start, session))
            ]
            self.available_slots[applicant.id, session.id] = slots
        if not slots:
            return Exclusion("availability", "not available at any time the session can take place")
        return None

    def keys(self, session: str, role: Role) -> list[Key]:
        return self.by_session_role.get((session, role), [])

    def applicant(self, key: Key) -> Applicant:
        return self.event.applicant_by_id[key[0]]
