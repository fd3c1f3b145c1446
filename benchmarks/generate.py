"""Seeded benchmark instances: event folders written to the input contract (`event.toml`, `applicants.csv`,
`objectives.csv`, `member_states.csv`), from a few sessions and dozens of applicants up to 200 sessions and
20,000 applicants.

Every person and organisation is fictional (e-mail addresses at example.org); country names and time zones are
real. The distributions follow the default event (`data/gcm2020-unece`): time zones across the UNECE region and
beyond it, popular and unpopular sessions, about a fifth of the applicants willing to moderate, one to five
declared objectives per person, a few withdrawn people and a few fixed assignments, most sessions at fixed times
and some placed by the solver.

Every instance is feasible by construction. For each session the generator plants "anchors": distinct active
people, eligible and available whenever the session can take place, who asked for the roles the session needs,
enough stakeholders among its speakers, and between them every objective of the session. The anchors in their
planted roles, with the sessions at their reference times, form a witness plan (`witness.json`, not an input of
the planner); `generate` checks it with the project's validator before it returns, so an instance that could
have no plan is never written.

    .venv/bin/python -m benchmarks.generate S M --out benchmarks/instances
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import math
import random
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.load.applicants import COLUMNS  # the input contract's columns, as the loader reads them

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVENT = ROOT / "data" / "gcm2020-unece"
INSTANCES = Path(__file__).resolve().parent / "instances"
EVENT_TZ = "Europe/Zurich"
FIRST_DAY = dt.date(2020, 11, 9)  # a Monday; only weekdays are used


@dataclass(frozen=True)
class Size:
    """The shape of an instance: how many applicants and sessions, and how many sessions the solver places."""

    name: str
    applicants: int
    sessions: int
    placed_by_solver: int
    seed: int
    day: tuple[str, str] = ("09:00", "17:30")  # the daily window, Geneva time
    lunch: tuple[str, str] = ("12:30", "13:30")
    panel: int = (
        0  # when set, every session has exactly this many speakers (2 minutes each) and all are planted
    )
    xlsx: bool = False  # the applicants as an Excel workbook (as organisers keep them) instead of a CSV file


SIZES: dict[str, Size] = {
    "TINY": Size("TINY", 30, 3, 1, seed=1, day=("10:00", "15:30"), lunch=("12:45", "13:30")),
    "S": Size("S", 180, 8, 3, seed=2020, day=("10:00", "15:30"), lunch=("12:45", "13:30")),
    "M": Size("M", 1_500, 20, 5, seed=2021),
    "L": Size("L", 6_000, 60, 12, seed=2022),
    "XL": Size("XL", 20_000, 200, 30, seed=2023),
    # The end-to-end race against a plain PuLP + CBC script (`benchmarks/plain.py`): 40 sessions over five long
    # days, half of them placed by the solver, the applicants in a workbook.
    "E2E": Size("E2E", 5_000, 40, 20, seed=2025, xlsx=True),
    # Not a solver benchmark: 10,000 people hold a role in the planted plan, to time the writing of outputs.
    "W10K": Size("W10K", 12_000, 200, 0, seed=2024, panel=49),
}

# The four clusters of GCM objectives, as for the International Migration Review Forum.
CLUSTERS: tuple[tuple[int, ...], ...] = (
    (2, 5, 6, 12, 18),
    (4, 8, 9, 10, 11, 13, 21),
    (14, 15, 16, 19, 20, 22),
    (1, 3, 7, 17, 23),
)
OBJECTIVE_WEIGHT = {8: 6, 10: 6, 16: 6, 1: 2, 5: 2, 6: 2, 15: 2, 17: 2, 19: 2}  # the others weigh 1
CATEGORIES = {"member_state": 24, "observer": 1, "igo": 5, "un_system": 6, "stakeholder": 64}
LEVELS = {"minister": 4, "deputy_minister": 6, "ambassador": 14, "senior_official": 40, "official": 36}
GROUPS = {
    "civil_society": 20,
    "migrants_diaspora": 14,
    "private_sector": 8,
    "trade_union": 9,
    "academia": 14,
    "local_authority": 10,
    "nhri": 8,
    "youth": 10,
    "faith_based": 6,
    "other": 5,
}
# Local availability windows with weights; blank is any time. The last one crosses midnight.
WINDOWS = {
    "08:00-20:00": 50,
    "07:00-12:00; 14:00-22:00": 12,
    "": 14,
    "09:00-13:00": 4,
    "13:00-18:00": 3,
    "10:00-16:00": 4,
    "09:00-19:00": 5,
    "21:00-02:00": 2,
}
OFFICE_HOURS = {"08:00-20:00": 3, "": 1, "07:00-19:00": 1, "09:00-18:00": 1}
# Where stakeholders from outside the UNECE region connect from, with weights.
BEYOND = {
    "Africa/Nairobi": 3,
    "Africa/Lagos": 2,
    "Africa/Cairo": 2,
    "Asia/Kolkata": 2,
    "Asia/Bangkok": 2,
    "Asia/Manila": 2,
    "Asia/Tokyo": 1,
    "America/Mexico_City": 2,
    "America/Sao_Paulo": 2,
    "Australia/Sydney": 1,
}
INSTITUTION_TZ = {
    "Europe/Zurich": 6,
    "Europe/Vienna": 2,
    "Europe/Brussels": 3,
    "Europe/Rome": 1,
    "America/New_York": 3,
    "Asia/Bangkok": 1,
    "Africa/Nairobi": 1,
}
ANCHOR_TZ = (
    "Europe/Zurich",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Vienna",
    "Europe/Rome",
    "Europe/Paris",
)
ASCII = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "ß": "ss", "đ": "d", "æ": "ae"})
FEMALE = [
    "Anna",
    "Sofia",
    "Léa",
    "Marta",
    "Ingrid",
    "Elena",
    "Clara",
    "Eva",
    "Laura",
    "Chiara",
    "Inês",
    "Zuzana",
    "Ioana",
    "Olga",
    "Nino",
    "Aigerim",
    "Ayşe",
    "Noa",
    "Emily",
    "Amina",
    "Grace",
]
MALE = [
    "Lukas",
    "Pierre",
    "Jan",
    "Tomás",
    "Matteo",
    "Johan",
    "Piotr",
    "Nikos",
    "Pedro",
    "Henrik",
    "Dmitry",
    "Giorgi",
    "Timur",
    "Emre",
    "Eitan",
    "David",
    "Kwame",
    "Arjun",
    "Rafael",
    "Kenji",
]
FAMILY = [
    "Müller",
    "Dubois",
    "Novak",
    "Rossi",
    "Jansen",
    "Horváth",
    "Popescu",
    "Nielsen",
    "Murphy",
    "García",
    "Ivanov",
    "Petrova",
    "Beridze",
    "Hakobyan",
    "Karimov",
    "Yılmaz",
    "Cohen",
    "Johnson",
    "Tremblay",
    "Okafor",
    "Sharma",
    "Santos",
    "Tanaka",
    "Kovačević",
    "Hoxha",
    "Lindqvist",
]


@dataclass
class SessionSpec:
    id: str
    title: str
    kind: str
    minutes: int
    speakers: tuple[int, int]
    segments: dict[str, int]
    moderators: int = 1
    rapporteurs: int = 0
    objectives: tuple[int, ...] = ()
    eligible: tuple[str, ...] = ()  # empty: every category
    min_stakeholder_speakers: int = 0
    min_level: str = ""
    after: list[str] = field(default_factory=list)
    popularity: float = 1.0
    start: dt.datetime | None = None  # the reference time, Geneva wall clock
    fixed: bool = True

    def allows(self, category: str) -> bool:
        return not self.eligible or category in self.eligible

    def fit(self) -> int:
        """Speakers the time budget allows."""
        fixed = sum(v for k, v in self.segments.items() if k != "intervention")
        return (self.minutes - fixed) // self.segments["intervention"]


Person = dict[str, Any]


def _hhmm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class Generator:
    """Draws every random choice from one seeded generator, always in the same order."""

    def __init__(self, size: Size, states: list[dict[str, str]]) -> None:
        self.size = size
        self.rng = random.Random(size.seed)
        self.states = states
        self.days: list[dt.date] = []

    # --- sessions -------------------------------------------------------------------------------------------

    def sessions(self) -> list[SessionSpec]:
        """Consultations, the opening, round tables and side events, the closing; in reference order."""
        rng, count = self.rng, self.size.sessions
        tiny = count < 5
        consultations = 0 if tiny else max(2, round(count * 0.08))
        middle = count - consultations - 2
        side_events = 0 if count < 20 else round(middle * 0.25)
        roundtables = middle - side_events
        specs: list[SessionSpec] = []
        for number in range(1, consultations + 1):
            specs.append(
                SessionSpec(
                    f"MSC{number}",
                    f"Multi-Stakeholder Consultation {number}",
                    "consultation",
                    85,
                    (4, 8),
                    {"opening": 5, "intervention": 5, "discussion": 25, "report": 5, "closing": 5},
                    rapporteurs=1,
                    eligible=("stakeholder",),
                    min_stakeholder_speakers=4,
                    popularity=rng.lognormvariate(0, 0.5),
                )
            )
        specs.append(
            SessionSpec(
                "opening",
                "Opening segment",
                "opening",
                45,
                (2, 4) if tiny else (3, 5),
                {"opening": 5, "intervention": 7, "discussion": 0, "closing": 5},
                eligible=("member_state", "observer", "igo", "un_system"),
                min_level="deputy_minister",
                popularity=3.0,
            )
        )
        middle_specs = []
        for number in range(1, roundtables + 1):
            cluster = CLUSTERS[(number - 1) % len(CLUSTERS)]
            if number <= len(CLUSTERS):
                objectives = cluster
            else:
                objectives = tuple(sorted(rng.sample(cluster, rng.randint(3, len(cluster)))))
            minutes = rng.choice((90, 105, 105, 120, 120))
            high = rng.choice((12, 12, 14))
            tight = rng.random() < 0.15  # the time budget allows fewer speakers than the panel's maximum
            if tiny:
                objectives, minutes, high, tight = cluster[:3], 90, 6, False
            discussion = 40 if tight else max(15, minutes - 15 - 5 * high)
            middle_specs.append(
                SessionSpec(
                    f"RT{number}",
                    f"Round table {number}: objectives {', '.join(map(str, objectives))}",
                    "roundtable",
                    minutes,
                    (3, high) if tiny else (6, high),
                    {"opening": 5, "intervention": 5, "discussion": discussion, "closing": 5},
                    objectives=objectives,
                    min_stakeholder_speakers=2 if tiny else 3,
                    popularity=rng.lognormvariate(0, 0.9),
                )
            )
        for number in range(1, side_events + 1):
            middle_specs.append(
                SessionSpec(
                    f"SE{number}",
                    f"Side event {number}",
                    "other",
                    60,
                    (3, 6),
                    {"opening": 5, "intervention": 6, "discussion": 10, "closing": 5},
                    min_stakeholder_speakers=1,
                    popularity=rng.lognormvariate(-0.5, 1.0),
                )
            )
        rng.shuffle(middle_specs)
        specs += middle_specs
        specs.append(
            SessionSpec(
                "closing",
                "Closing session",
                "closing",
                45,
                (1, 3) if tiny else (2, 4),
                {"opening": 5, "intervention": 7, "discussion": 0, "closing": 5},
                popularity=0.8,
            )
        )
        if self.size.panel:
            for spec in specs:
                spec.speakers = (self.size.panel, self.size.panel)
                spec.segments = {"opening": 5, "intervention": 2, "discussion": 10, "closing": 5}
                spec.segments |= {"report": 5} if spec.rapporteurs else {}
                spec.minutes = sum(spec.segments.values()) - 2 + 2 * self.size.panel
        return specs

    def layout(self, specs: list[SessionSpec]) -> None:
        """Give every session a reference time (one after the other, weekdays, around lunch, with some idle
        time between them), then let the solver place some of the round tables and side events."""
        rng = self.rng
        day_start, day_end = (_hhmm(t) for t in self.size.day)
        lunch_start, lunch_end = (_hhmm(t) for t in self.size.lunch)
        date = FIRST_DAY
        self.days = [date]
        cursor = dt.datetime.combine(date, day_start)
        for spec in specs:
            while True:
                end = cursor + dt.timedelta(minutes=spec.minutes)
                lunch = (
                    dt.datetime.combine(cursor.date(), lunch_start),
                    dt.datetime.combine(cursor.date(), lunch_end),
                )
                if cursor < lunch[1] and lunch[0] < end:
                    cursor = lunch[1]
                    continue
                if end > dt.datetime.combine(cursor.date(), day_end):
                    date = self._next_weekday(cursor.date())
                    self.days.append(date)
                    cursor = dt.datetime.combine(date, day_start)
                    continue
                break
            spec.start = cursor
            idle = rng.choices((0, 15, 30, 45), weights=(50, 30, 15, 5))[0]
            cursor = self._on_grid(end + dt.timedelta(minutes=idle), day_start)
        # Sessions the solver places: round tables and side events after the first few sessions.
        movable = [s for s in specs if s.kind in ("roundtable", "other")]
        chosen = rng.sample(movable, min(self.size.placed_by_solver, len(movable)))
        order = {s.id: i for i, s in enumerate(specs)}
        previous: SessionSpec | None = None
        for spec in sorted(chosen, key=lambda s: order[s.id]):
            spec.fixed = False
            spec.after = ["opening"]
            if previous is not None and rng.random() < 0.5:
                spec.after.append(previous.id)  # as the reference order has them: the instance stays feasible
            previous = spec
        last = specs[-1]
        if previous is not None and rng.random() < 0.5:
            last.after = [previous.id]

    @staticmethod
    def _next_weekday(date: dt.date) -> dt.date:
        date += dt.timedelta(days=1)
        while date.weekday() >= 5:
            date += dt.timedelta(days=1)
        return date

    @staticmethod
    def _on_grid(when: dt.datetime, day_start: dt.time) -> dt.datetime:
        """Round up to the solver's 15-minute grid counted from the day's start."""
        origin = dt.datetime.combine(when.date(), day_start)
        steps = math.ceil((when - origin).total_seconds() / 900)
        return origin + dt.timedelta(minutes=15 * max(steps, 0))

    # --- people ---------------------------------------------------------------------------------------------

    def person(self, category: str, *, anchor: bool = False) -> Person:
        """A fictional person of a category: where they connect from, when, in which languages."""
        rng = self.rng
        gender = rng.choices(("f", "m", "x", ""), weights=(46, 46, 3, 5))[0]
        female = gender == "f" or (gender in ("x", "") and rng.random() < 0.5)
        person: Person = {
            "name": f"{rng.choice(FEMALE if female else MALE)} {rng.choice(FAMILY)}",
            "category": category,
            "gender": gender,
            "level": "other",
            "country": "",
            "subregion": "",
            "stakeholder_group": "",
            "organisation": "",
            "function": "",
            "status": "active",
            "fixed": "",
            "submission_date": "",
            "submission_words": "",
            "anchor": anchor,
        }
        if category == "member_state":
            state = rng.choice(self.states)
            level = rng.choices(list(LEVELS), weights=list(LEVELS.values()))[0]
            person.update(
                country=state["country"],
                subregion=state["group"],
                level=level,
                organisation=f"Ministry of Interior of {state['country']}",
                function=level.replace("_", " ").capitalize(),
                timezone=state["capital_timezone"],
            )
            if level in ("ambassador", "official") and rng.random() < 0.5:
                person["timezone"] = "Europe/Zurich"  # a delegate of the mission in Geneva
                person["organisation"] = f"Permanent Mission of {state['country']} in Geneva"
            if rng.random() < 0.8:
                day = dt.date(2020, 10, 1) + dt.timedelta(days=rng.randint(0, 36))
                person.update(submission_date=day.isoformat(), submission_words=rng.randrange(800, 4810, 10))
        elif category == "stakeholder":
            group = rng.choices(list(GROUPS), weights=list(GROUPS.values()))[0]
            person.update(
                stakeholder_group=group, organisation=f"Fictional {group.replace('_', ' ')} network"
            )
            if rng.random() < 0.1:
                person["timezone"] = rng.choices(list(BEYOND), weights=list(BEYOND.values()))[0]
                person["subregion"] = "Beyond the region"
            else:
                state = rng.choice(self.states)
                person.update(
                    country=state["country"], subregion=state["group"], timezone=state["capital_timezone"]
                )
            if rng.random() < 0.15:
                day = dt.date(2020, 10, 1) + dt.timedelta(days=rng.randint(0, 30))
                person.update(submission_date=day.isoformat(), submission_words=rng.randrange(800, 7800, 10))
        else:
            person["timezone"] = rng.choices(list(INSTITUTION_TZ), weights=list(INSTITUTION_TZ.values()))[0]
            person["organisation"] = f"Fictional {category.replace('_', ' ')} office"
            if category == "observer":
                person["level"] = rng.choice(("ambassador", "senior_official", "official"))
        if category in ("igo", "un_system", "observer"):
            person["available"] = rng.choices(list(OFFICE_HOURS), weights=list(OFFICE_HOURS.values()))[0]
        elif person["timezone"] == "America/Los_Angeles" and rng.random() < 0.5:
            person["available"] = "23:00-05:00"  # follows the Geneva mornings at night
        else:
            person["available"] = rng.choices(list(WINDOWS), weights=list(WINDOWS.values()))[0]
        if anchor:
            person["timezone"] = rng.choice(ANCHOR_TZ)
            person["available"] = rng.choice(("", "07:00-21:00"))
        russian = person["subregion"] in ("Central Asia", "Eastern Europe and South Caucasus")
        person["languages"] = rng.choice(
            ("ru; en", "ru", "en; ru") if russian else ("en", "en", "en; fr", "fr; en")
        )
        return person

    def objectives(self, wanted: Sequence[SessionSpec]) -> list[int]:
        """1-5 objectives, mostly of the round tables the person wants to speak in."""
        rng = self.rng
        pool = [o for s in wanted for o in s.objectives] or list(range(1, 24))
        chosen: set[int] = set()
        target = rng.choice((1, 2, 2, 3, 3, 4, 5))
        while len(chosen) < min(target, len(set(pool))):
            chosen.add(rng.choices(pool, [OBJECTIVE_WEIGHT.get(o, 1) for o in pool])[0])
        if len(chosen) < 5 and rng.random() < 0.15:  # an occasional objective of another cluster
            chosen.add(rng.randint(1, 23))
        return sorted(chosen)

    def interests(
        self, person: Person, specs: list[SessionSpec], must: tuple[str, str] | None = None
    ) -> None:
        """1-4 ranked SESSION:ROLE interests, popular sessions more likely; sometimes an offer to moderate."""
        rng = self.rng
        category = person["category"]
        eligible = [s for s in specs if s.allows(category) and s.speakers[1] > 0]
        if rng.random() < 0.05:
            eligible = specs  # some ask for what they cannot have
        count = min(len(eligible), rng.choices((1, 2, 3, 4), weights=(30, 35, 22, 13))[0])
        chosen: list[SessionSpec] = []
        while len(chosen) < count:
            spec = rng.choices(eligible, [s.popularity for s in eligible])[0]
            if spec not in chosen:
                chosen.append(spec)
        items = [f"{s.id}:speaker" for s in chosen]
        if rng.random() < 0.2:  # about a fifth are willing to moderate
            spec = rng.choices(eligible, [s.popularity for s in eligible])[0]
            self._offer(items, f"{spec.id}:moderator")
        reporting = [s for s in eligible if s.rapporteurs]
        if reporting and category == "stakeholder" and rng.random() < 0.06:
            self._offer(items, f"{rng.choice(reporting).id}:rapporteur")
        if must is not None:
            item = f"{must[0]}:{must[1]}"
            if item in items:
                items.remove(item)
            self._offer(items, item)
        items = list(dict.fromkeys(items))
        person["interests"] = "; ".join(items)
        by_id = {s.id: s for s in specs}
        person["wanted"] = [by_id[i.split(":")[0]] for i in items if i.endswith(":speaker")]
        person["objectives"] = self.objectives(person["wanted"])

    def _offer(self, items: list[str], item: str) -> None:
        if item in items:
            return
        if len(items) >= 4:
            items.pop()
        items.insert(self.rng.randint(0, len(items)), item)

    def anchors(self, specs: list[SessionSpec]) -> list[Person]:
        """Distinct people who, in their planted roles, staff every session: the witness of feasibility."""
        rng, people = self.rng, []
        for spec in specs:
            plan: list[tuple[str, str]] = []  # (role, category)
            for _ in range(spec.moderators):
                plan.append(("moderator", self._anchor_category(spec, "moderator")))
            for _ in range(spec.rapporteurs):
                plan.append(("rapporteur", "stakeholder"))
            speakers = min(
                max(spec.speakers[0], spec.min_stakeholder_speakers) + 1, spec.speakers[1], spec.fit()
            )
            voices = min(
                spec.min_stakeholder_speakers + (1 if spec.min_stakeholder_speakers else 0), speakers
            )
            for number in range(speakers):
                category = "stakeholder" if number < voices else self._anchor_category(spec, "speaker")
                plan.append(("speaker", category))
            speaker_people: list[Person] = []
            for role, category in plan:
                person = self.person(category, anchor=True)
                if spec.min_level and category in ("member_state", "observer") and role == "speaker":
                    person["level"] = rng.choice(("minister", "deputy_minister"))
                person["planted"] = (spec.id, role)
                self.interests(person, specs, must=(spec.id, role))
                people.append(person)
                if role == "speaker":
                    speaker_people.append(person)
            # Between them, the planted speakers declare every objective of the session (most of them twice).
            for index, objective in enumerate(spec.objectives):
                for offset in (0, 1):
                    holder = speaker_people[(index * 2 + offset) % len(speaker_people)]
                    mine = set(holder["objectives"])
                    if objective in mine:
                        continue
                    if len(mine) >= 5:
                        removable = [o for o in mine if o not in spec.objectives]
                        if not removable:
                            continue
                        mine.discard(removable[0])
                    holder["objectives"] = sorted(mine | {objective})
            for objective in spec.objectives:
                assert any(objective in p["objectives"] for p in speaker_people), (spec.id, objective)
        return people

    def _anchor_category(self, spec: SessionSpec, role: str) -> str:
        if spec.eligible == ("stakeholder",):
            return "stakeholder"
        if spec.min_level and role == "speaker":
            return self.rng.choices(("member_state", "igo", "un_system"), weights=(6, 2, 2))[0]
        options = [c for c in CATEGORIES if spec.allows(c) and c != "observer"]
        return self.rng.choices(options, [CATEGORIES[c] for c in options])[0]

    def people(self, specs: list[SessionSpec]) -> list[Person]:
        rng = self.rng
        people = self.anchors(specs)
        while len(people) < self.size.applicants:
            category = rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0]
            person = self.person(category)
            self.interests(person, specs)
            people.append(person)
        rng.shuffle(people)
        start, end = dt.datetime(2020, 9, 15, 8), dt.datetime(2020, 10, 30, 18)
        step = (end - start) / len(people)
        width = max(3, len(str(len(people))))
        for number, person in enumerate(people):
            person["id"] = f"P{number + 1:0{width}d}"
            local = unicodedata.normalize("NFKD", person["name"].lower().replace(" ", "."))
            ascii_local = local.translate(ASCII).encode("ascii", "ignore").decode()
            person["email"] = f"{ascii_local}.{person['id'].lower()}@example.org"
            registered = start + step * number + step * 0.9 * rng.random()
            person["registered_at"] = registered.replace(second=0, microsecond=0).isoformat(sep=" ")
        free = [p for p in people if not p["anchor"]]
        for person in rng.sample(free, round(len(people) * 0.03)):
            person["status"] = "withdrawn"
        # Organisers' decisions: some planted people of fixed sessions are fixed in their role.
        by_id = {s.id: s for s in specs}
        for person in people:
            if not person["anchor"]:
                continue
            session, role = person["planted"]
            spec = by_id[session]
            fixed_share = 0.5 if spec.kind == "opening" and role == "speaker" else 0.06
            if spec.fixed and rng.random() < fixed_share:
                person["fixed"] = f"{session}:{role}"
        return people

    # --- writing --------------------------------------------------------------------------------------------

    def event_toml(self, specs: list[SessionSpec]) -> str:
        size = self.size
        lines = [
            f"# A generated benchmark instance ({size.name}: {size.sessions} sessions, {size.applicants} applicants,",
            f"# seed {size.seed}), written by benchmarks/generate.py. Every person is fictional. Times are Geneva time.",
            "",
            "[event]",
            f'id = "bench-{size.name.lower()}"',
            f'title = "Benchmark event {size.name}: a regional review with {size.sessions} sessions"',
            f'timezone = "{EVENT_TZ}"',
            'organiser = { name = "Benchmark Secretariat", email = "secretariat@example.org" }',
            f'uid_domain = "bench-{size.name.lower()}.example.org"',
            'languages = ["en", "fr", "ru"]',
            'public_link = "https://webtv.example.org/bench"',
            'speaker_link = "https://meet.example.org/j/bench?pwd=x"',
            "tech_check_minutes = 30",
            "submission_deadline = 2020-10-31",
            "submission_word_limit = 5000",
            "",
        ]
        for date in self.days:
            lines += [
                "[[days]]",
                f"date = {date}",
                f"start = {size.day[0]}:00",
                f"end = {size.day[1]}:00",
                "",
            ]
        for date in self.days:
            lines += [
                "[[breaks]]",
                f"date = {date}",
                f"start = {size.lunch[0]}:00",
                f"end = {size.lunch[1]}:00",
                'title = "Lunch break"',
                "",
            ]
        for spec in specs:
            lines += ["[[sessions]]", f'id = "{spec.id}"', f'title = "{spec.title}"', f'kind = "{spec.kind}"']
            if spec.fixed:
                assert spec.start is not None
                lines += [f"date = {spec.start.date()}", f"start = {spec.start:%H:%M}:00"]
            lines.append(f"minutes = {spec.minutes}")
            if spec.after:
                lines.append("after = [" + ", ".join(f'"{a}"' for a in spec.after) + "]")
            if spec.objectives:
                lines.append("objectives = [" + ", ".join(map(str, spec.objectives)) + "]")
            lines += [
                f"moderators = {spec.moderators}",
                f"speakers = [{spec.speakers[0]}, {spec.speakers[1]}]",
            ]
            if spec.rapporteurs:
                lines.append(f"rapporteurs = {spec.rapporteurs}")
            if spec.eligible:
                lines.append("eligible = [" + ", ".join(f'"{c}"' for c in spec.eligible) + "]")
            if spec.min_stakeholder_speakers:
                lines.append(f"min_stakeholder_speakers = {spec.min_stakeholder_speakers}")
            if spec.min_level:
                lines.append(f'min_level = "{spec.min_level}"')
            lines.append("segments = { " + ", ".join(f"{k} = {v}" for k, v in spec.segments.items()) + " }")
            lines.append("")
        lines += [
            "[rules]",
            "max_roles_per_person = 1",
            "max_same_subregion = 2",
            "max_same_stakeholder_group = 2",
            "",
        ]
        return "\n".join(lines)


def _cell(person: Person, column: str) -> str:
    value = person.get(column, "")
    if column == "objectives":
        return "; ".join(map(str, value))
    return str(value)


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    """The applicants as a spreadsheet program saves them: text in shared strings, whole numbers as numbers."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(2020, 10, 1)})  # the same bytes for the same seed
    sheet = book.add_worksheet("applicants")
    sheet.write_row(0, 0, COLUMNS)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value.isdigit() and len(value) < 10:
                sheet.write_number(number, column, int(value))
            elif value:
                sheet.write_string(number, column, value)
    book.close()


def _read_states() -> list[dict[str, str]]:
    with (DEFAULT_EVENT / "member_states.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def generate(size: Size | str, out: Path | str = INSTANCES, *, check: bool = True) -> Path:
    """Write the instance of `size` into `out/<name>/` (replacing it) and return that folder."""
    size = SIZES[size] if isinstance(size, str) else size
    folder = Path(out) / size.name
    generator = Generator(size, _read_states())
    specs = generator.sessions()
    generator.layout(specs)
    people = generator.people(specs)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "event.toml").write_text(generator.event_toml(specs), encoding="utf-8")
    rows = [[_cell(person, c) for c in COLUMNS] for person in sorted(people, key=lambda p: p["id"])]
    if size.xlsx:
        _write_xlsx(folder / "applicants.xlsx", rows)
    else:
        with (folder / "applicants.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
    shutil.copy(DEFAULT_EVENT / "objectives.csv", folder / "objectives.csv")
    shutil.copy(DEFAULT_EVENT / "member_states.csv", folder / "member_states.csv")
    witness = {
        "placements": {s.id: s.start.isoformat() for s in specs if s.start is not None},
        "assignments": sorted((p["id"], *p["planted"]) for p in people if p["anchor"]),
    }
    # Not an input of the planner: the planted plan, which proves the instance feasible.
    (folder / "witness.json").write_text(json.dumps(witness, indent=1), encoding="utf-8")
    if check:
        _check_witness(folder, witness)
    log.info(
        "wrote %s: %d sessions (%d placed by the solver), %d applicants, %d days",
        folder,
        len(specs),
        sum(not s.fixed for s in specs),
        len(people),
        len(generator.days),
    )
    return folder


# The default event with its applicants repeated, to time the planner at scale: `scheduler plan` end to end.
REPEATED = {"GCM100K": 100_000}


def repeat_default_event(name: str = "GCM100K", out: Path | str = INSTANCES) -> Path:
    """Write the default event with its applicants repeated to `REPEATED[name]` rows into `out/<name>/`
    (replacing it) and return that folder.

    Row n is a copy of the default event's row (n - 1) mod 180 with a new id (P000001...) and e-mail address
    (p000001@example.org); everything else is copied, cell by cell with its type, except the fixed assignments,
    which only the first copy keeps (a fixed assignment repeated 556 times would ask a session for hundreds of
    moderators). event.toml, objectives.csv and member_states.csv are copied.
    """
    import openpyxl
    import xlsxwriter

    count = REPEATED[name]
    folder = Path(out) / name
    source = openpyxl.load_workbook(DEFAULT_EVENT / "applicants.xlsx", read_only=True)
    sheet = source.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c) for c in next(rows)]
    originals = [row for row in rows if any(c is not None for c in row)]
    source.close()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for file in ("event.toml", "objectives.csv", "member_states.csv"):
        shutil.copy(DEFAULT_EVENT / file, folder / file)
    book = xlsxwriter.Workbook(str(folder / "applicants.xlsx"), {"strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(2020, 10, 1)})  # the same bytes on every run
    formats = {
        "submission_date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "registered_at": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    out_sheet = book.add_worksheet("applicants")
    out_sheet.write_row(0, 0, header)
    replaced = {header.index("id"), header.index("email")}
    fixed = header.index("fixed")
    for number in range(1, count + 1):
        original = originals[(number - 1) % len(originals)]
        pid = f"P{number:06d}"
        out_sheet.write_string(number, header.index("id"), pid)
        out_sheet.write_string(number, header.index("email"), f"{pid.lower()}@example.org")
        for column, value in enumerate(original):
            if value is None or column in replaced or (column == fixed and number > len(originals)):
                continue
            if isinstance(value, dt.datetime):
                out_sheet.write_datetime(number, column, value, formats[header[column]])
            elif isinstance(value, int | float):
                out_sheet.write_number(number, column, value)
            else:
                out_sheet.write_string(number, column, str(value))
    book.close()
    log.info("wrote %s: the default event with %d applicants", folder, count)
    return folder


def _check_witness(folder: Path, witness: dict[str, Any]) -> None:
    """Load the folder as the planner would and check the planted plan with the project's validator."""
    from benchmarks.common import witness_plan
    from scheduler.load import load_event
    from scheduler.validate import check

    event = load_event(folder)
    violations = check(event, witness_plan(event, witness))
    if violations:
        raise RuntimeError(f"{folder}: the planted plan breaks hard rules: {violations[:5]}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write seeded benchmark instances (event folders).")
    names = [*SIZES, *REPEATED]
    parser.add_argument("sizes", nargs="+", choices=names, metavar="SIZE", help=", ".join(names))
    parser.add_argument("--out", type=Path, default=INSTANCES, help="default: %(default)s")
    parser.add_argument(
        "--no-check", action="store_true", help="skip the feasibility check of the witness plan"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name in args.sizes:
        if name in REPEATED:
            repeat_default_event(name, args.out)
        else:
            generate(name, args.out, check=not args.no_check)


if __name__ == "__main__":
    main()
