"""The vocabulary of the planner: an event, its applicants, and a plan.

Plain frozen dataclasses, no I/O and no solver: `load/` builds an `Event`, `solve/` turns it into a `Plan`,
`validate.py` checks a plan, `views.py` and `export/` show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import pytz


class Role(StrEnum):
    """What a person does in a session."""

    SPEAKER = "speaker"
    MODERATOR = "moderator"
    RAPPORTEUR = "rapporteur"
    CO_CHAIR = "co_chair"  # last, so that plans without co-chairs keep their order


class Category(StrEnum):
    """Who an applicant speaks for; the order is the protocol order of interventions."""

    MEMBER_STATE = "member_state"
    OBSERVER = "observer"
    IGO = "igo"
    UN_SYSTEM = "un_system"
    STAKEHOLDER = "stakeholder"


class SessionKind(StrEnum):
    CONSULTATION = "consultation"
    OPENING = "opening"
    ROUNDTABLE = "roundtable"
    CLOSING = "closing"
    OTHER = "other"


# Protocol rank, highest first: interventions of member States follow this order.
LEVELS: tuple[str, ...] = (
    "head_of_state",
    "head_of_government",
    "minister",
    "deputy_minister",
    "ambassador",
    "senior_official",
    "official",
    "other",
)
STAKEHOLDER_GROUPS: tuple[str, ...] = (
    "civil_society",
    "migrants_diaspora",
    "private_sector",
    "trade_union",
    "academia",
    "local_authority",
    "nhri",
    "youth",
    "faith_based",
    "other",
)
GENDERS: tuple[str, ...] = ("f", "m", "x", "")
# An organiser's text in other languages: (language, text) pairs, sorted by language.
Translations = tuple[tuple[str, str], ...]
CATEGORY_ORDER: dict[Category, int] = {c: i for i, c in enumerate(Category)}


@dataclass(frozen=True, order=True)
class Window:
    """A local time-of-day window in minutes after midnight; `end` may exceed 1440 when it crosses midnight."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Day:
    """A window of the event's calendar in which sessions may take place."""

    date: dt.date
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Break:
    date: dt.date
    start: dt.time
    end: dt.time
    title: str = "Break"
    title_translations: Translations = ()


@dataclass(frozen=True)
class Segments:
    """Minutes of each part of a session's running order; `report` is the rapporteur's summary (optional),
    `group_statement` a statement on behalf of a group (None: as long as an intervention), `reply` the time kept
    for rights of reply before the closing."""

    opening: int
    intervention: int
    discussion: int
    closing: int
    report: int = 0
    group_statement: int | None = None
    reply: int = 0

    def fixed_minutes(self) -> int:
        """Minutes that do not depend on the number of speakers."""
        return self.opening + self.discussion + self.report + self.reply + self.closing

    @property
    def group_minutes(self) -> int:
        """Minutes of a statement on behalf of a group."""
        return self.intervention if self.group_statement is None else self.group_statement

    def statement_minutes(self, applicant: Applicant) -> int:
        """Minutes of the applicant's statement: a group statement's, or an intervention's."""
        return self.group_minutes if applicant.on_behalf_of else self.intervention


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    kind: SessionKind
    minutes: int
    date: dt.date | None = None
    start: dt.time | None = None
    after: tuple[str, ...] = ()
    objectives: tuple[int, ...] = ()
    moderators: int = 1
    speakers: tuple[int, int] = (0, 0)
    rapporteurs: int = 0
    eligible: tuple[Category, ...] = tuple(Category)
    min_stakeholder_speakers: int = 0
    min_level: str | None = None  # protocol rank required of member-State and observer speakers
    segments: Segments | None = None
    description: str = ""
    title_translations: Translations = ()
    description_translations: Translations = ()
    co_chairs: int = 0
    co_chairs_differ_in: str = ""  # an applicants column whose values the co-chairs may not share
    languages: tuple[str, ...] = ()  # interpreted in the session; empty: the event's languages
    speaker_link: str = ""  # empty: the event's

    @property
    def is_fixed(self) -> bool:
        return self.date is not None and self.start is not None

    def role_count(self, role: Role) -> tuple[int, int]:
        """The (min, max) number of people the session needs in `role`."""
        if role is Role.SPEAKER:
            return self.speakers
        if role is Role.MODERATOR:
            return (self.moderators, self.moderators)
        if role is Role.CO_CHAIR:
            return (self.co_chairs, self.co_chairs)
        return (self.rapporteurs, self.rapporteurs)

    @property
    def speaker_capacity(self) -> int:
        """The most speakers the session can have: its maximum, or fewer when its segments leave time for fewer
        interventions (the `time_budget` rule)."""
        if self.segments is None:
            return self.speakers[1]
        fit = (self.minutes - self.segments.fixed_minutes()) // self.segments.intervention
        return min(self.speakers[1], fit)


@dataclass(frozen=True)
class Interest:
    session: str
    role: Role
    rank: int  # 1 = most wanted


@dataclass(frozen=True)
class Applicant:
    id: str
    name: str
    email: str
    category: Category
    organisation: str = ""
    function: str = ""
    country: str = ""
    subregion: str = ""
    stakeholder_group: str = ""
    gender: str = ""
    level: str = "other"
    timezone: str = ""  # blank: the event's time zone
    available: tuple[Window, ...] = ()  # empty: any time
    languages: tuple[str, ...] = ()
    interests: tuple[Interest, ...] = ()
    objectives: tuple[int, ...] = ()
    submission_date: dt.date | None = None
    submission_words: int | None = None
    fixed: tuple[tuple[str, Role], ...] = ()
    withdrawn: bool = False
    registered_at: dt.datetime | None = None
    correspondence_language: str = ""  # blank: the first of `languages` the event offers (scheduler.i18n)
    on_behalf_of: str = ""  # the group a statement is made for, e.g. "European Union and its member States"
    row: int = 0  # the row of the applicants sheet, for messages

    @property
    def level_rank(self) -> int:
        return LEVELS.index(self.level)

    @property
    def is_delegate(self) -> bool:
        """Whether the applicant speaks for a State (a member State or an observer): their level of
        representation then counts (a session's `min_level`, `level_of_representation`, the protocol order)."""
        return self.category in (Category.MEMBER_STATE, Category.OBSERVER)

    @property
    def wishes_a_role(self) -> bool:
        """Whether the applicant is active and wants a role: they asked for at least one (session, role), or the
        organisers fixed one. These are the people the `unassigned` rule counts and the waiting list explains."""
        return not self.withdrawn and bool(self.interests or self.fixed)

    def interest_rank(self, session: str, role: Role) -> int | None:
        for interest in self.interests:
            if interest.session == session and interest.role is role:
                return interest.rank
        return None


@dataclass(frozen=True)
class Rules:
    """Switches and weights of the rules; every weight is the cost of one unit of the rule's penalty."""

    max_roles_per_person: int = 1
    max_same_subregion: int = 2
    max_same_stakeholder_group: int = 2
    slot_minutes: int = 15
    weight_interest_rank: int = 10
    weight_unassigned: int = 100
    weight_written_submission: int = 20
    weight_level: int = 5
    weight_gender_balance: int = 30
    weight_subregion_spread: int = 30
    weight_stakeholder_group_spread: int = 20
    weight_early_placement: int = 0  # 0: met after the solve (solve/rules/early_placement.py)
    weight_stability: int | None = None  # None: larger than any ordinary gain, computed per event
    speaking_order: str = "inscription"  # within a protocol tier: by registered_at, or "lots" (a seeded draw)


@dataclass(frozen=True)
class Event:
    id: str
    title: str
    timezone: str
    organiser_name: str
    organiser_email: str
    uid_domain: str
    days: tuple[Day, ...]
    sessions: tuple[Session, ...]
    applicants: tuple[Applicant, ...]
    breaks: tuple[Break, ...] = ()
    languages: tuple[str, ...] = ("en",)
    public_link: str = ""
    speaker_link: str = ""
    publish_speakers: bool = False  # speakers' and moderators' names on the public page (site/)
    tech_check_minutes: int = 30
    submission_deadline: dt.date | None = None
    submission_word_limit: int = 5000
    inscription_closes: dt.datetime | None = None  # naive, in the event's zone, as `registered_at`
    objective_titles: dict[int, str] = field(default_factory=dict, compare=False, hash=False)
    # language -> objective -> short label, from the `short_label_<lang>` and `title_<lang>` columns
    objective_translations: dict[str, dict[int, str]] = field(default_factory=dict, compare=False, hash=False)
    title_translations: Translations = ()
    rules: Rules = Rules()

    @property
    def tz(self) -> dt.tzinfo:
        return pytz.timezone(self.timezone)

    @cached_property
    def session_by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def applicant_by_id(self) -> dict[str, Applicant]:
        return {a.id: a for a in self.applicants}

    def session_languages(self, session: Session) -> tuple[str, ...]:
        """The languages interpreted in a session: its own, else the event's."""
        return session.languages or self.languages

    def speaks(self, applicant: Applicant) -> tuple[str, ...]:
        """The languages a person speaks in: theirs, or the event's first when they gave none."""
        return applicant.languages or self.languages[:1]

    def language_in(self, applicant: Applicant, session: Session) -> str:
        """The language the person speaks in the session: the first of theirs that it interprets ("" if none)."""
        interpreted = self.session_languages(session)
        for code in self.speaks(applicant):  # a loop, not next() over a generator: called for every wish
            if code in interpreted:
                return code
        return ""

    def registered_late(self, applicant: Applicant) -> bool:
        """Whether the person's wishes were registered after the inscription closed."""
        closes, registered = self.inscription_closes, applicant.registered_at
        return closes is not None and registered is not None and registered > closes

    def localize(self, date: dt.date, time: dt.time) -> dt.datetime:
        """An aware datetime for a date and wall-clock time in the event's time zone (DST-aware)."""
        return pytz.timezone(self.timezone).localize(dt.datetime.combine(date, time))


# --- the plan -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    participant: str
    session: str
    role: Role
    sequence: int = 0  # calendar SEQUENCE of this person's invitation to this session
    fingerprint: str = ""  # digest of what the invitation says: a new one raises the SEQUENCE


@dataclass(frozen=True)
class Placement:
    """When a session takes place, as aware datetimes in the event's time zone."""

    session: str
    start: dt.datetime
    end: dt.datetime
    sequence: int = 0  # calendar SEQUENCE of the public session event
    fingerprint: str = ""  # digest of what the public session event says


@dataclass(frozen=True)
class RunningItem:
    session: str
    start: dt.datetime
    end: dt.datetime
    segment: str  # opening | group_statement | intervention | discussion | report | reply | closing
    participant: str | None
    role: Role | None
    language: str = ""  # the language the participant speaks in (scheduler.domain.Event.language_in)


@dataclass(frozen=True)
class Unassigned:
    participant: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One difference versus the previously published plan."""

    kind: str  # added | removed | moved | retimed
    session: str
    participant: str | None = None
    role: Role | None = None
    before: str = ""
    after: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Cancellation:
    """A published invitation that no longer holds; it is sent as METHOD:CANCEL."""

    participant: str
    session: str
    role: Role
    start: dt.datetime
    end: dt.datetime
    sequence: int


@dataclass(frozen=True)
class SolverReport:
    status: str  # optimal | feasible
    objective: int
    bound: int
    seconds: float  # CP-SAT deterministic time: reproducible, roughly seconds on a current machine
    wall_seconds: float = field(default=0.0, compare=False)
    costs: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    weights: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def gap(self) -> float:
        """How much lower the cost of the best plan could still be, as a share of this plan's: 0 when optimal."""
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float, bound: float) -> float:
    """The distance from a minimised objective down to its best bound, as a share of the objective (at least 1,
    so that a zero objective gives no division by zero)."""
    return max(0.0, objective - bound) / max(1.0, abs(objective))


@dataclass(frozen=True)
class Plan:
    event: str
    version: int
    generated_at: dt.datetime
    placements: tuple[Placement, ...]
    assignments: tuple[Assignment, ...]
    running_order: tuple[RunningItem, ...] = ()
    unassigned: tuple[Unassigned, ...] = ()
    changes: tuple[Change, ...] = ()
    cancellations: tuple[Cancellation, ...] = ()
    solver: SolverReport | None = None

    def placement(self, session: str) -> Placement:
        for p in self.placements:
            if p.session == session:
                return p
        raise KeyError(session)

    def assigned(self, session: str, role: Role | None = None) -> list[str]:
        return [
            a.participant
            for a in self.assignments
            if a.session == session and (role is None or a.role is role)
        ]
