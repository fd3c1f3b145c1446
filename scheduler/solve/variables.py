"""The variable container: one boolean per possible (person, session, role) and per possible session start.

Only wishes get a variable (interest_only), and only those that no rule `forbids` (withdrawn, eligibility, a
session without the role, availability at no possible start): those rules hold by absence, and the reason of each
absence is kept for the waiting list. The optimising model also leaves out the people that identical applicants
before them in the file dominate (`_Seats`). The explanations' container (`forbidden=True`) gives the forbidden wishes a
variable too, which the forbidding rules then hold at 0 behind a named guard, so that an explanation can name them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property

import pytz
from ortools.sat.python import cp_model

from scheduler.domain import Applicant, Event, Plan, Role, Session, Window
from scheduler.load.timeparse import covers
from scheduler.solve.rules import RULES
from scheduler.solve.rules.base import Key, Rule
from scheduler.solve.rules.eligibility import eligibility_problem
from scheduler.timeline import candidate_starts

# The rules that can leave a wish without a variable, in rulebook order: the others' `forbids` is always None, and
# asking each of them for each of tens of thousands of wishes is a noticeable share of building the model.
FORBIDDING: tuple[Rule, ...] = tuple(rule for rule in RULES if type(rule).forbids is not Rule.forbids)

# eligibility_problem belongs to the eligibility rule; the presolve shares it from here.
__all__ = ["Exclusion", "Key", "Variables", "eligibility_problem"]


@dataclass(frozen=True)
class Exclusion:
    """Why an applicant's wish (or fixed assignment) has no variable: the rule that forbids it, in words."""

    rule: str
    detail: str


@dataclass
class Variables:
    """Variables of one model, with the look-ups every rule needs."""

    model: cp_model.CpModel
    event: Event
    starts: dict[str, list[dt.datetime]] = field(default_factory=dict)
    placed: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    start_minute: dict[str, cp_model.IntVar] = field(default_factory=dict)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    start_index: dict[str, list[int]] = field(default_factory=dict)  # each start's place in candidate_starts
    start_minutes: dict[str, list[int]] = field(default_factory=dict)
    available_slots: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    excluded: dict[Key, Exclusion] = field(default_factory=dict)  # the first rule that forbids each wish
    forbidden_by: dict[Key, tuple[str, ...]] = field(
        default_factory=dict
    )  # every one, when they have a variable
    previous: Plan | None = None  # the published plan, when re-planning
    by_session_role: dict[tuple[str, Role], list[Key]] = field(default_factory=lambda: defaultdict(list))
    by_person: dict[str, list[Key]] = field(default_factory=lambda: defaultdict(list))
    left_out: dict[str, cp_model.LinearExprT] = field(default_factory=dict)  # see rules/left_out.py
    dominated: frozenset[str] = frozenset()  # people the dominance presolve gives no variable (`_Seats`)
    # The class of each person in one (`_Seats`), numbered: equal when the applicants are equal but for id, name,
    # e-mail address and row.
    classes: dict[str, int] = field(default_factory=dict)
    _slots_by_signature: dict[tuple[object, tuple[Window, ...], str], list[int]] = field(default_factory=dict)
    _local_times: dict[tuple[object, int], dt.datetime] = field(default_factory=dict)
    _clocks: dict[str, object] = field(default_factory=dict)  # see `_clock`
    _positions: dict[str, dict[dt.datetime, int]] = field(default_factory=dict)  # each start's index, by session
    _local_lists: dict[tuple[object, str], list[tuple[dt.datetime, list[int]]]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        model: cp_model.CpModel,
        event: Event,
        *,
        presolve: bool = False,
        forbidden: bool = False,
        previous: Plan | None = None,
        dominance: bool = True,
    ) -> Variables:
        """The variables of an event; `presolve` leaves out the starts that no plan can use (see `_presolve`) and,
        unless `dominance` is False, the people identical applicants before them dominate (see `_Seats`), both of
        which explanations keep so that their guarded rules can name the conflict; `forbidden` gives the wishes
        that a rule forbids a variable too (for explanations)."""
        variables = cls(model, event, previous=previous)
        variables._build_placement(presolve=presolve)
        variables._build_assignments(forbidden=forbidden, dominance=presolve and dominance and not forbidden)
        return variables

    @cached_property
    def origin(self) -> dt.datetime:
        """Minute 0 of the model's time axis: midnight before the first day, in UTC terms."""
        first = min((d.date for d in self.event.days), default=dt.date(2000, 1, 1))
        return self.event.localize(first, dt.time())

    def minute(self, when: dt.datetime) -> int:
        return int((when - self.origin).total_seconds() // 60)

    def _build_placement(self, *, presolve: bool = False) -> None:
        candidates = {s.id: candidate_starts(self.event, s) for s in self.event.sessions}
        kept = (
            self._presolve(candidates)
            if presolve
            else {k: list(range(len(v))) for k, v in candidates.items()}
        )
        for session in self.event.sessions:
            starts = [candidates[session.id][i] for i in kept[session.id]]
            self.starts[session.id] = starts
            self.start_index[session.id] = kept[session.id]
            literals = [self.model.new_bool_var(f"placed[{session.id},{i}]") for i in range(len(starts))]
            self.placed[session.id] = literals
            minutes = [self.minute(s) for s in starts]
            self.start_minutes[session.id] = minutes
            minutes = minutes or [0]
            start = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(minutes), f"start[{session.id}]"
            )
            if starts:
                self.model.add(start == sum(m * lit for m, lit in zip(minutes, literals, strict=True)))
            self.start_minute[session.id] = start

    def _presolve(self, candidates: dict[str, list[dt.datetime]]) -> dict[str, list[int]]:
        """The candidate starts (as indices) that some plan could use: a start is dropped when the session would
        overlap a session with one possible start, or start before a session it must follow can end, or end after
        a session that must follow it has to start. Repeated until nothing changes: every plan stays possible."""
        event = self.event
        length = {s.id: dt.timedelta(minutes=s.minutes) for s in event.sessions}
        # Sessions with one possible start, in time order; they never overlap each other (or no plan exists, and
        # keeping a few starts too many is harmless), so the last one to begin before a start's end is the only
        # one that can overlap it.
        fixed = sorted(
            (starts[0], starts[0] + length[sid]) for sid, starts in candidates.items() if len(starts) == 1
        )
        begins = [begin for begin, _ in fixed]
        kept = {}
        for sid, starts in candidates.items():
            kept[sid] = list(range(len(starts)))
            if len(starts) > 1:
                kept[sid] = [
                    i
                    for i, start in enumerate(starts)
                    if (before := bisect.bisect_left(begins, start + length[sid])) == 0
                    or fixed[before - 1][1] <= start
                ]
        followers: dict[str, list[str]] = defaultdict(list)
        for session in event.sessions:
            for other in session.after:
                followers[other].append(session.id)
        changed = True
        while changed:
            changed = False
            for session in event.sessions:
                sid, starts = session.id, candidates[session.id]
                if not kept[sid]:
                    continue
                earliest = max(
                    (candidates[o][kept[o][0]] + length[o] for o in session.after if kept[o]), default=None
                )
                latest = min((candidates[f][kept[f][-1]] for f in followers[sid] if kept[f]), default=None)
                keep = [
                    i
                    for i in kept[sid]
                    if (earliest is None or starts[i] >= earliest)
                    and (latest is None or starts[i] + length[sid] <= latest)
                ]
                if len(keep) < len(kept[sid]):
                    kept[sid], changed = keep, True
        if not all(kept.values()):
            # No placement exists: keep every start, so that the explanation names the conflicting rules.
            return {sid: list(range(len(starts))) for sid, starts in candidates.items()}
        return kept

    def _build_assignments(self, *, forbidden: bool = False, dominance: bool = False) -> None:
        """A variable per wish that may come true; with `dominance`, only for the people `_Seats` keeps."""
        sessions = self.event.session_by_id
        seats = _Seats(self) if dominance else None
        # The rules that forbid a wish read the person's class only (all but id, name, e-mail address and row):
        # which rules forbid it is worked out for the first of a class, and only their words for the others.
        forbidding: dict[tuple[object, ...], dict[tuple[str, Role], tuple[Rule, ...]]] = {}
        for applicant in self.event.applicants:
            kind = _kind(applicant)
            known = forbidding.setdefault(kind, {})
            wishes = [(i.session, i.role) for i in applicant.interests]
            wishes += [f for f in applicant.fixed if f not in wishes]
            allowed = []
            for session_id, role in wishes:
                key = (applicant.id, session_id, role)
                session = sessions[session_id]
                rules = known.get((session_id, role))
                exclusions = self.exclusions(applicant, session, role, FORBIDDING if rules is None else rules)
                if rules is None:
                    names = {e.rule for e in exclusions}
                    known[session_id, role] = tuple(rule for rule in FORBIDDING if rule.name in names)
                else:
                    self.slots(applicant, session)  # as the availability rule would: the model reads them
                    if len(exclusions) != len(rules):  # never: a rule that reads more than the class
                        exclusions = self.exclusions(applicant, session, role)
                if exclusions:
                    self.excluded[key] = exclusions[0]
                    # A role the session does not have is nothing to relax: it never gets a variable.
                    if not forbidden or session.role_count(role)[1] == 0:
                        continue
                    self.forbidden_by[key] = tuple(e.rule for e in exclusions)
                allowed.append(key)
            if seats is not None and not seats.keep(applicant, allowed, kind):
                continue
            for key in allowed:
                self.x[key] = self.model.new_bool_var(f"x[{key[0]},{key[1]},{key[2]}]")
                self.by_session_role[key[1], key[2]].append(key)
                self.by_person[applicant.id].append(key)
        if seats is not None:
            self.dominated = frozenset(seats.dropped)

    def exclusions(
        self, applicant: Applicant, session: Session, role: Role, rules: Sequence[Rule] = FORBIDDING
    ) -> list[Exclusion]:
        """Every rule (of `rules`) that forbids the wish, in rulebook order."""
        found = []
        for rule in rules:
            detail = rule.forbids(self, applicant, session, role)
            if detail is not None:
                found.append(Exclusion(rule.name, detail))
        return found

    def _exclusion(self, applicant: Applicant, session: Session, role: Role) -> Exclusion | None:
        """The first rule that forbids the wish, or None when it may come true."""
        exclusions = self.exclusions(applicant, session, role)
        return exclusions[0] if exclusions else None

    def slots(self, applicant: Applicant, session: Session) -> list[int]:
        """The indices of the session's starts at which the applicant is available, in their own time zone."""
        slots = self.available_slots.get((applicant.id, session.id))
        if slots is None:
            # Availability depends only on the clock and the windows: people who share both share their slots.
            zone = applicant.timezone or self.event.timezone
            signature = (self._clock(zone), applicant.available, session.id)
            slots = self._slots_by_signature.get(signature)
            if slots is None and not applicant.available:
                slots = list(range(len(self.starts[session.id])))
            elif slots is None:
                # A window covers a start by its local time of day alone, the same on every day of the event:
                # each time of day is tried once.
                length = dt.timedelta(minutes=session.minutes)
                slots = sorted(
                    index
                    for wall, indices in self._local_starts(zone, session.id)
                    if covers(applicant.available, wall, wall + length)
                    for index in indices
                )
                self._slots_by_signature[signature] = slots
            self.available_slots[applicant.id, session.id] = slots
        return slots

    def available_at(self, applicant: Applicant, session: Session, start: dt.datetime) -> bool:
        """Whether the applicant is available for the session starting at `start`, one of its possible starts."""
        positions = self._positions.get(session.id)
        if positions is None:
            positions = self._positions[session.id] = {when: i for i, when in enumerate(self.starts[session.id])}
        slots = self.slots(applicant, session)
        position = bisect.bisect_left(slots, positions[start])
        return position < len(slots) and slots[position] == positions[start]

    def _local_starts(self, zone: str, session: str) -> list[tuple[dt.datetime, list[int]]]:
        """The session's starts on the wall clock of `zone`, grouped by their time of day there: for each, the
        first such start and the indices of all. Thousands of people ask for the same few clocks and instants,
        so both the groups and the instants are converted once per clock (see `_clock`)."""
        clock = self._clock(zone)
        local = self._local_lists.get((clock, session))
        if local is None:
            tz = pytz.timezone(zone)
            groups: dict[tuple[int, int], tuple[dt.datetime, list[int]]] = {}
            for index, (start, minute) in enumerate(
                zip(self.starts[session], self.start_minutes[session], strict=True)
            ):
                wall = self._local_times.get((clock, minute))
                if wall is None:
                    wall = self._local_times[clock, minute] = start.astimezone(tz)
                groups.setdefault((wall.hour, wall.minute), (wall, []))[1].append(index)
            local = self._local_lists[clock, session] = list(groups.values())
        return local

    def _clock(self, zone: str) -> object:
        """Zones whose UTC offset is the same at every possible start show every start alike (during one event
        the world's zones fall into a few dozen such clocks): the offsets at the first and the last start of
        each date, or the zone itself when its offset changes within a date."""
        clock = self._clocks.get(zone)
        if clock is None:
            tz = pytz.timezone(zone)
            offsets = []
            for first, last in self._dates:
                offset = first.astimezone(tz).utcoffset()
                if last.astimezone(tz).utcoffset() != offset:
                    clock = zone
                    break
                offsets.append(offset)
            else:
                clock = tuple(offsets)
            self._clocks[zone] = clock
        return clock

    @cached_property
    def _dates(self) -> list[tuple[dt.datetime, dt.datetime]]:
        """The first and the last possible start of any session on each date, in time order."""
        spans: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}
        for start in (start for starts in self.starts.values() for start in starts):
            first, last = spans.get(start.date(), (start, start))
            spans[start.date()] = (min(first, start), max(last, start))
        return [spans[date] for date in sorted(spans)]

    def keys(self, session: str, role: Role) -> list[Key]:
        return self.by_session_role.get((session, role), [])

    def allowed(self, session: str, role: Role) -> list[Key]:
        """The keys of (session, role) that no rule forbids: all of them outside explanations."""
        return [k for k in self.keys(session, role) if k not in self.forbidden_by]

    def is_assigned(self, participant: str, session: str, role: Role) -> cp_model.IntVar:
        """The variable "the participant takes the role in the session" (KeyError when it has none)."""
        return self.x[participant, session, role]

    def fix(self, participant: str, session: str, role: Role, value: bool) -> None:
        """Hold an assignment at `value`, for tests and what-if questions."""
        self.model.add(self.is_assigned(participant, session, role) == int(value))

    def applicant(self, key: Key) -> Applicant:
        return self.event.applicant_by_id[key[0]]


class _Seats:
    """The dominance presolve: applicants identical in everything the model and the validator read (all but id,
    name, e-mail address and row) are interchangeable in every plan. Of such a class at most K people can ever
    hold a role, K being the number of places of the (session, role)s its members may have (the sum of each
    role's maximum count), so only the first K of the class in file order get variables; the others are left
    out in every plan, as when rules forbid all their wishes. Whoever has a fixed assignment, held a role in the
    previous plan or has withdrawn stays out of classes."""

    def __init__(self, variables: Variables) -> None:
        self.sessions = variables.event.session_by_id
        previous = variables.previous
        self.stable = {a.participant for a in previous.assignments} if previous else set()
        self.kept: dict[int, int] = defaultdict(int)  # by class: the members given variables so far
        self.dropped: list[str] = []
        self.classes = variables.classes
        self._class_of: dict[tuple[object, ...], int] = {}  # by `_kind`
        self._numbers: dict[tuple[object, ...], int] = {}  # by signature: equal signatures, one class

    def keep(self, applicant: Applicant, allowed: list[Key], kind: tuple[object, ...]) -> bool:
        """Whether the applicant, whose allowed wishes are `allowed` and whose `_kind` is `kind`, gets variables."""
        if applicant.fixed or applicant.withdrawn or applicant.id in self.stable or not allowed:
            return True
        number = self._class_of.get(kind)
        if number is None:
            signature = _CLASS_FIELDS(applicant)  # every field but id, name, e-mail address and row
            number = self._class_of[kind] = self._numbers.setdefault(signature, len(self._numbers))
        self.classes[applicant.id] = number
        places = sum(self.sessions[session].role_count(role)[1] for _, session, role in allowed)
        if self.kept[number] >= places:
            self.dropped.append(applicant.id)
            return False
        self.kept[number] += 1
        return True


# Every field of an applicant but id, name, e-mail address and row: what makes two of them interchangeable.
_CLASS_FIELDS = operator.attrgetter(
    *(f.name for f in fields(Applicant) if f.name not in ("id", "name", "email", "row"))
)


def _kind(applicant: Applicant) -> tuple[object, ...]:
    """A key that people of one class share when the loader gave them the same tuples (it gives identical cells
    one object): a tuple stands by its identity, not hashed again for every person. People of one class with
    equal but distinct tuples get different keys, and are only worked out separately."""
    return tuple(id(v) if type(v) is tuple else v for v in _CLASS_FIELDS(applicant))
