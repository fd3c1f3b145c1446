"""Write the sample applicants of the default event: `applicants.xlsx`, next to this script.

About 180 people express interest in speaking, moderating or reporting in the sessions of `event.toml`:
delegates of member States, observers, regional and cross-regional organisations (igo), UN entities and
stakeholders of all ten groups. Every person, name, e-mail address and stakeholder organisation is fictional;
only the names of countries and intergovernmental organisations are real. The inputs, all in this folder:
`member_states.csv` (a copy of reference/unece_member_states.csv), `applicant_sources.toml` (the names, posts
and organisations to draw from) and `event.toml` (eligibility and speaker counts, for the self-check).

The data is seeded (random.Random(2020)): two runs write the same bytes. It is meant to be realistic:
people in the Americas or Central Asia are often not available at Geneva times, some objectives are declared
by only a few speakers, a few people have withdrawn. UN meeting practice shows too: member-State delegates and
stakeholders offer to co-chair a round table, three speakers make statements on behalf of groups, a few people
speak a language that is not interpreted, and the last few registered after the list of speakers closed
(`inscription_closes` in `event.toml`). A self-check refuses to write data a planner can't use.

    .venv/bin/python data/gcm2020-unece/make_applicants.py [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import itertools
import logging
import random
import tomllib
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytz
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
# A person is a row: the contract columns, plus "head" (heads of igo and UN entities may open the meeting).
Person = dict[str, Any]
EVENT_TZ = pytz.timezone("Europe/Zurich")
STAMP = dt.datetime(2020, 11, 10, 18)  # the eve of the meeting: the workbook's date, the same on every run

# fmt: off
COLUMNS = ("id", "name", "email", "organisation", "function", "category", "country", "subregion",
           "stakeholder_group", "gender", "level", "timezone", "available", "languages", "interests",
           "objectives", "submission_date", "submission_words", "fixed", "status", "registered_at",
           "on_behalf_of")
LEVELS = ("head_of_state", "head_of_government", "minister", "deputy_minister", "ambassador",
          "senior_official", "official", "other")  # protocol ranks, highest first
GROUPS = ("civil_society", "migrants_diaspora", "private_sector", "trade_union", "academia",
          "local_authority", "nhri", "youth", "faith_based", "other")  # the stakeholder groups
HIGH = LEVELS[:4]  # may speak in the opening (its min_level is deputy_minister)

# When each session takes place, Geneva time. The round tables are placed by the solver: these are the free
# windows it can use, so a person available for the whole window is available wherever the round table lands.
SESSION_TIMES = {
    "MSC1": ("2020-11-11", "10:00", "11:25"), "MSC2": ("2020-11-11", "11:35", "13:00"),
    "opening": ("2020-11-12", "10:00", "10:45"), "RT1": ("2020-11-12", "10:45", "12:45"),
    "RT2": ("2020-11-12", "13:30", "15:30"), "RT3": ("2020-11-13", "10:00", "12:15"),
    "RT4": ("2020-11-13", "13:00", "14:45"), "closing": ("2020-11-13", "14:45", "15:30"),
}
MSC, RTS = ("MSC1", "MSC2"), ("RT1", "RT2", "RT3", "RT4")
CLUSTERS = {"RT1": (2, 5, 6, 12, 18), "RT2": (4, 8, 9, 10, 11, 13, 21),
            "RT3": (14, 15, 16, 19, 20, 22), "RT4": (1, 3, 7, 17, 23)}
RT_OF = {objective: rt for rt, objectives in CLUSTERS.items() for objective in objectives}
RT_POPULARITY = {"RT1": 3, "RT2": 5, "RT3": 3, "RT4": 2}  # RT2 is the popular one, RT4 the least
OBJECTIVE_WEIGHT = {8: 6, 10: 6, 16: 6, 1: 2, 5: 2, 6: 2, 15: 2, 17: 2, 19: 2}  # the others weigh 1
RARE = (2, 12, 21, 22, 23, 7)  # never drawn at random: planted on 2-4 speakers of their round table
MODERATE = {"ambassador": 0.3, "senior_official": 0.12, "official": 0.05}  # a delegate's chance to moderate

POST_SOVIET = ("slavic", "caucasus", "central_asia")  # name regions where Russian is spoken; Ivanov, Ivanova
FRENCH = {"France", "Belgium", "Luxembourg", "Monaco", "Switzerland", "Canada"}
THE = {"Russian Federation", "Republic of Moldova", "Netherlands", "United Kingdom", "United States"}
ASCII = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "ß": "ss", "đ": "d", "æ": "ae", "ə": "a"})
# Stakeholders come more often from the subregions where labour migration and transit are most debated.
COUNTRY_WEIGHT = {"Central Asia": 3, "Eastern Europe and South Caucasus": 2, "Western Balkans": 2,
                  "North America": 2}
# Local availability windows of delegates and stakeholders, with weights. The last one crosses midnight and,
# from Europe, Asia or the East Coast, rules every session out. Institutions keep office hours.
WINDOWS = {"08:00-20:00": 50, "07:00-12:00; 14:00-22:00": 12, "": 14, "09:00-13:00": 4, "13:00-18:00": 3,
           "10:00-16:00": 4, "09:00-19:00": 5, "21:00-02:00": 2}
OFFICE_HOURS = ("08:00-20:00", "08:00-20:00", "", "07:00-19:00")
NO_COUNTRY_TZ = ("Europe/Brussels", "Europe/Vienna", "Europe/Berlin", "Europe/Zurich")  # regional networks
DEFAULTS = {"level": "other", "stakeholder_group": "", "fixed": "", "head": False, "status": "active",
            "on_behalf_of": ""}
# Who speaks for a group, by rule: real group names, fictional people. The EU delegation in Geneva speaks for the
# Union and its member States; an ambassador of a Central Asian State and one of a Nordic or Baltic State for theirs.
GROUP_STATEMENTS = (
    ("igo", ("European Union, European External Action Service",), "European Union and its member States"),
    ("member_state", ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"), "Central Asian States"),
    ("member_state", ("Denmark", "Estonia", "Finland", "Iceland", "Latvia", "Lithuania", "Norway", "Sweden"),
     "Nordic-Baltic Eight"),
)
CO_CHAIR_LEVELS = ("minister", "deputy_minister", "ambassador", "senior_official")  # a State's co-chair
GERMAN = ("Austria", "Germany", "Liechtenstein", "Switzerland")  # German is not interpreted: they speak their 2nd
OWN_LANGUAGE_ONLY = {"Italy": "it", "Portugal": "pt", "Spain": "es"}  # one stakeholder speaks only their own
LATE = 6  # the last registered: after the list of speakers closed
# fmt: on


def hhmm(text: str) -> int:
    hours, mins = text.strip().split(":")
    return int(hours) * 60 + int(mins)


def is_available(person: Person, session: str) -> bool:
    """Whether the session's whole window, in the person's local time, falls inside one of their windows."""
    if not person["available"]:
        return True
    day, start, end = SESSION_TIMES[session]
    tz = pytz.timezone(person["timezone"] or "Europe/Zurich")
    first = EVENT_TZ.localize(dt.datetime.fromisoformat(f"{day}T{start}")).astimezone(tz)
    begin = first.hour * 60 + first.minute
    finish = begin + hhmm(end) - hhmm(start)  # may pass midnight, local time
    for window in person["available"].split(";"):
        low, high = (hhmm(t) for t in window.split("-"))
        high += 1440 if high <= low else 0  # 21:00-02:00 crosses midnight
        if any(low + shift <= begin and finish <= high + shift for shift in (0, -1440)):
            return True
    return False


def is_eligible(person: Person, session: str, role: str, sessions: dict[str, Any]) -> bool:
    """The event's `eligible` and `min_level`; of igo and UN entities, only heads speak in the opening."""
    spec, category = sessions[session], person["category"]
    if category not in spec.get("eligible", [category]):
        return False
    if role != "speaker" or "min_level" not in spec:
        return True
    if category in ("member_state", "observer"):
        return LEVELS.index(person["level"]) <= LEVELS.index(spec["min_level"])
    return bool(person["head"])


def interests(person: Person) -> list[tuple[str, str]]:
    """The (session, role) pairs of a person's `interests` cell."""
    return [(item.split(":")[0], item.split(":")[1]) for item in person["interests"].split("; ") if item]


def in_country(pattern: str, country: str) -> str:
    """Fill {c} in an organisation's name: "Ministry of Interior of the Republic of Moldova"."""
    return pattern.format(c=f"the {country}" if country in THE and "of {c}" in pattern else country)


class Generator:
    """Draws every random choice from one seeded generator, always in the same order."""

    def __init__(self, states: dict[str, tuple[str, str]], sources: dict[str, Any]) -> None:
        self.rng = random.Random(2020)
        self.states = states  # country -> (subregion, capital's time zone)
        self.sources = sources
        # a country or time zone -> the region whose names its people bear
        self.region_of = {w: region for region, spec in sources["names"].items() for w in spec["where"]}
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def person(self, category: str, country: str, timezone: str = "", **fields: Any) -> Person:
        """A fictional person from `country` (or where `timezone` suggests): name, e-mail, gender, hours."""
        rng = self.rng
        subregion, capital_tz = self.states.get(country, ("", ""))
        # Someone in a capital gets its zone written out: a blank zone means the event's (Geneva), for everyone.
        timezone = timezone or capital_tz
        region = self.region_of.get(country) or self.region_of.get(timezone) or "west"
        gender = rng.choices(("f", "m", "x", ""), weights=(46, 46, 3, 5))[0]
        female = gender == "f" or (gender in ("x", "") and rng.random() < 0.5)
        names = self.sources["names"][region]
        name = ""
        while not name or name in self.names:
            last = rng.choice(names["family"].split())
            last += "a" if female and region in POST_SOVIET and last.endswith(("ov", "ev")) else ""
            name = f"{rng.choice(names['female' if female else 'male'].split())} {last}"
        self.names.add(name)
        ascii_name = unicodedata.normalize("NFKD", name.lower().translate(ASCII)).encode("ascii", "ignore")
        local = ascii_name.decode().replace(" ", ".")
        email, suffix = f"{local}@example.org", 1
        while email in self.emails:  # a namesake: firstname.lastname2@example.org
            suffix += 1
            email = f"{local}{suffix}@example.org"
        self.emails.add(email)
        if timezone == "Europe/Zurich" and rng.random() < 0.5:
            timezone = ""  # blank: the event's time zone
        if category in ("igo", "un_system", "observer"):
            available = rng.choice(OFFICE_HOURS)
        elif timezone == "America/Los_Angeles" and rng.random() < 0.5:
            available = "23:00-05:00"  # a night owl who follows the Geneva mornings from California
        else:
            available = rng.choices(list(WINDOWS), weights=list(WINDOWS.values()))[0]
        if region in POST_SOVIET:  # the first language is the language of intervention
            languages = rng.choice(("ru; en", "ru", "en; ru"))
        elif country in FRENCH:
            languages = rng.choice(("fr; en", "en; fr", "fr"))
        else:
            languages = rng.choice(("en", "en", "en; fr", "en; fr", "en; ru"))
        person = {"name": name, "email": email, "category": category, "country": country, "gender": gender}
        person.update(subregion=subregion, timezone=timezone, available=available, languages=languages)
        return {**DEFAULTS, **person, **fields}

    def round_tables(self, count: int) -> list[str]:
        """`count` distinct round tables, the popular ones more likely."""
        chosen: list[str] = []
        while len(chosen) < count:
            rt = self.rng.choices(RTS, weights=[RT_POPULARITY[rt] for rt in RTS])[0]
            chosen += [] if rt in chosen else [rt]
        return chosen

    def offer(self, items: list[str], item: str) -> None:
        """Add an offer to moderate or to report at a random rank, within the four interests a person has."""
        if len(items) == 4:
            items.remove([i for i in items if i.endswith(":speaker")][-1])  # the least wanted speaker role
        items.insert(self.rng.randint(0, len(items)), item)

    def with_interests(self, person: Person, items: list[str]) -> Person:
        """Store up to four ranked interests and 1-5 objectives, mostly of the round tables wanted."""
        items = list(dict.fromkeys(items))[:4]
        person["interests"] = "; ".join(items)
        rts = [item.split(":")[0] for item in items if item.startswith("RT") and item.endswith(":speaker")]
        pool = [o for rt in rts for o in CLUSTERS[rt] if o not in RARE]
        chosen: set[int] = set()
        for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4, 5)) if pool else 0):
            chosen.add(self.rng.choices(pool, [OBJECTIVE_WEIGHT.get(o, 1) for o in pool])[0])
        if chosen and len(chosen) < 5 and self.rng.random() < 0.15:  # an occasional off-cluster objective
            chosen.add(self.rng.choice([o for o in range(1, 24) if o not in RARE and o not in chosen]))
        person["objectives"] = "; ".join(str(o) for o in sorted(chosen))
        return person

    def member_states(self) -> list[Person]:
        """45 delegates of 38 States, from ministers to mission officials."""
        rng, people, spec = self.rng, [], self.sources["member_states"]
        countries = rng.sample(sorted(self.states), 38)
        countries += rng.sample(countries, 7)  # a second delegate for a few States
        levels = [level for level, count in spec["levels"].items() for _ in range(count)]
        for level, country in zip(levels, countries, strict=True):
            organisation, function = in_country(rng.choice(spec["posts"][level]), country).split("|")
            geneva = "Europe/Zurich" if organisation.startswith("Permanent Mission") else ""
            fields = {"level": level, "organisation": organisation, "function": function}
            person = self.person("member_state", country, geneva, **fields)
            opens = level in HIGH and rng.random() < 0.85
            # An organiser's decision: the first minister from a European capital opens the meeting.
            european_minister = level == "minister" and person["timezone"].startswith("Europe/")
            if european_minister and not any(p["fixed"] for p in people):
                person.update(fixed="opening:speaker", available="08:00-20:00")
                opens = True
            items = ["opening:speaker"] if opens else []
            count = rng.choice((0, 1, 1) if items else (1, 2, 3))  # ministers mostly come for the opening
            items += [f"{rt}:speaker" for rt in self.round_tables(count)]
            items += ["closing:speaker"] if level not in HIGH and rng.random() < 0.1 else []
            if rng.random() < MODERATE.get(level, 0):
                self.offer(items, f"{rng.choice((*RTS, 'closing'))}:moderator")
            people.append(self.with_interests(person, items))
        return people

    def stakeholders(self) -> list[Person]:
        """The quota of every stakeholder group; many want a consultation round table and a round table."""
        rng, people = self.rng, []
        countries = sorted(self.states)
        weights = [COUNTRY_WEIGHT.get(self.states[c][0], 1) for c in countries]
        groups = [group for group, spec in self.sources["stakeholders"].items() for _ in range(spec["quota"])]
        rng.shuffle(groups)
        moderate, report = itertools.cycle(MSC), itertools.cycle(MSC)  # which one gets the next offer
        for group in groups:
            spec = self.sources["stakeholders"][group]
            name, _, based = rng.choice(spec["organisations"]).partition("|")
            country = rng.choices(countries, weights)[0] if "{c}" in name else based
            timezone = "" if country else rng.choice(NO_COUNTRY_TZ)
            if country == "United States" and rng.random() < 0.4:
                timezone = "America/Los_Angeles"
            fields = {"organisation": in_country(name, country), "function": rng.choice(spec["functions"])}
            person = self.person("stakeholder", country, timezone, stakeholder_group=group, **fields)
            items = [f"{rng.choice(MSC)}:speaker"] if rng.random() < 0.6 else []
            items += [f"{rt}:speaker" for rt in self.round_tables(rng.choice((1, 1, 2, 2, 3)))]
            items += ["closing:speaker"] if rng.random() < 0.08 else []
            if rng.random() < 0.18:  # mostly in the consultation, which stakeholders run themselves
                session = rng.choice(("MSC",) * 8 + (*RTS, "closing"))
                session = self.consultation(person, moderate) if session == "MSC" else session
                self.offer(items, f"{session}:moderator")
            if rng.random() < 0.14:
                self.offer(items, f"{self.consultation(person, report)}:rapporteur")
            people.append(self.with_interests(person, items))
        return people

    def consultation(self, person: Person, turns: Iterator[str]) -> str:
        """Offers to moderate or report alternate between MSC1 and MSC2, unless the person can only attend one."""
        session = next(turns)
        return session if is_available(person, session) else next(turns)

    def institutions(self) -> list[Person]:
        """One person per post of an igo, UN entity or observer; the fixed ones keep office hours."""
        people = []
        for post in self.sources["institutions"]["posts"]:
            fields = {k: v for k, v in post.items() if k not in ("category", "timezone", "interests")}
            person = self.person(post["category"], "", post["timezone"], **fields)
            person["available"] = "08:00-20:00" if person["fixed"] else person["available"]
            people.append(self.with_interests(person, post["interests"].split("; ")))
        return people

    def finish(self, people: list[Person]) -> list[Person]:
        """Registration order, ids and times; withdrawals; the rare objectives; written submissions."""
        rng = self.rng
        rng.shuffle(people)
        start, end = dt.datetime(2020, 9, 15, 8), dt.datetime(2020, 10, 30, 18)
        step = (end - start) / len(people)
        for number, person in enumerate(people):
            person["id"] = f"P{number + 1:03d}"
            registered = start + step * number + rng.random() * step * 0.9  # increasing with the id
            person["registered_at"] = registered.replace(second=0, microsecond=0)
        for person in rng.sample([p for p in people if not p["fixed"]], 5):
            person["status"] = "withdrawn"
        self.plant_rare_objectives(people)
        # Most member States send a written submission, a few of them late; some stakeholders do too.
        states = [p for p in people if p["category"] == "member_state" and rng.random() < 0.8]
        others = [p for p in people if p["category"] == "stakeholder" and rng.random() < 0.2]
        late, too_long = rng.sample(states, 3), rng.sample(others, 3)
        for person in states + others:
            first = max(dt.date(2020, 10, 1), person["registered_at"].date())
            on_time = first + dt.timedelta(days=rng.randint(0, (dt.date(2020, 10, 31) - first).days))
            person["submission_date"] = dt.date(2020, 11, rng.randint(1, 6)) if person in late else on_time
            person["submission_words"] = rng.randrange(800, 4810, 10)
        for person in too_long:
            person["submission_words"] = rng.randrange(5200, 7800, 10)  # over the 5,000-word limit
        return people

    def plant_rare_objectives(self, people: list[Person]) -> None:
        """Give each rare objective to two speakers of its round table who can attend, maybe one who can't."""
        candidates = [p for p in people if p["status"] == "active" and not p["fixed"]]
        for objective in RARE:
            rt = RT_OF[objective]
            wanting = [p for p in candidates if (rt, "speaker") in interests(p)]
            pool = [p for p in wanting if p["objectives"].count(";") < 4]  # room for one more of at most 5
            free = [p for p in pool if is_available(p, rt)]
            busy = [p for p in pool if not is_available(p, rt)]
            chosen = self.rng.sample(free, 2)
            chosen += self.rng.sample(busy, min(len(busy), self.rng.choice((0, 1, 1))))
            for person in chosen:
                numbers = {int(o) for o in person["objectives"].split("; ")} | {objective}
                person["objectives"] = "; ".join(str(o) for o in sorted(numbers))
                candidates.remove(person)  # one rare objective each


def meeting_practice(people: list[Person], inscription_closes: dt.datetime) -> None:
    """Offers to co-chair, group statements, languages that are not interpreted, late registrations.

    Drawn from a generator of its own, after everything else, so that the people drawn before stay as they were.
    """
    rng = random.Random(2020_11_06)
    active = [p for p in people[:-LATE] if p["status"] == "active" and not p["fixed"]]  # and on the list
    for category, where, group in GROUP_STATEMENTS:
        speaker = next(
            p for p in active
            if p["category"] == category and (p["country"] in where or p["organisation"] in where)
            and (p["category"] != "member_state" or p["level"] == "ambassador")
        )  # fmt: skip
        speaker["on_behalf_of"] = group
    # Two member-State delegates and two stakeholders per round table offer to co-chair it: people who asked to
    # speak there (not for a group), can attend, and have room for one more wish.
    chosen = {p["id"] for p in people if p["on_behalf_of"]}
    for rt in RTS:
        for category in ("member_state", "stakeholder"):
            pool = [
                p for p in active
                if p["category"] == category and p["id"] not in chosen and (rt, "speaker") in interests(p)
                and is_available(p, rt) and len(interests(p)) < 4
                and (category == "stakeholder" or p["level"] in CO_CHAIR_LEVELS)
            ]  # fmt: skip
            for person in rng.sample(pool, 2):
                items = person["interests"].split("; ")
                items.insert(rng.randint(0, len(items)), f"{rt}:co_chair")
                person["interests"] = "; ".join(items)
                chosen.add(person["id"])
    for person in people:
        if person["country"] in GERMAN:
            person["languages"] = f"de; {person['languages']}"
    own = next(p for p in active if p["category"] == "stakeholder" and p["country"] in OWN_LANGUAGE_ONLY)
    own["languages"] = OWN_LANGUAGE_ONLY[own["country"]]
    # The last few registered between the day the list closed and the eve of the meeting, in id order.
    late = sorted(rng.sample(range(1, 4 * 24 * 60), LATE))
    for person, minutes in zip(people[-LATE:], late, strict=True):
        person["registered_at"] = inscription_closes + dt.timedelta(minutes=minutes)


def write(people: list[Person], out: Path) -> None:
    """One sheet named `applicants`; blank cells, never empty strings; dates and times as Excel values.

    The file's dates (its properties and each part in the zip) are STAMP, so that two runs write the same bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "applicants"
    sheet.append(COLUMNS)
    for person in people:
        sheet.append([person.get(column) or None for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet["U"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    workbook.properties.created = workbook.properties.modified = STAMP
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:  # not workbook.save, which stamps the time of the run
        ExcelWriter(workbook, archive).save()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(made) as parts, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts.infolist():
            stamped = zipfile.ZipInfo(part.filename, STAMP.timetuple()[:6])
            archive.writestr(stamped, parts.read(part), zipfile.ZIP_DEFLATED)


def self_check(people: list[Person], sessions: dict[str, Any], inscription_closes: dt.datetime) -> None:
    """Refuse data that a planner could not use, or that lost the properties this sample is meant to show."""
    problems: list[str] = []

    def require(ok: bool, problem: str) -> None:
        if not ok:
            problems.append(problem)

    count = {c: sum(p["category"] == c for p in people) for c in ("member_state", "stakeholder", "observer")}
    require(count["member_state"] >= 38 and count["stakeholder"] >= 95 and count["observer"] == 3, f"{count}")
    require(len({p["id"] for p in people}) == len({p["email"] for p in people}) == len(people), "duplicates")
    states = {p["country"] for p in people if p["category"] == "member_state"}
    require(len(states) >= 35, f"only {len(states)} member States")
    groups = {p["stakeholder_group"] for p in people if p["category"] == "stakeholder"}
    require(groups == set(GROUPS), f"stakeholder groups {sorted(groups)}")
    high = [p for p in people if p["category"] == "member_state" and p["level"] in HIGH]
    require(len(high) >= 8, f"only {len(high)} ministers and deputy ministers")
    active = [p for p in people if p["status"] == "active"]
    require(4 <= len(people) - len(active) <= 5, "4-5 people should have withdrawn")
    fixed = [p["fixed"] for p in people if p["fixed"]]
    require(2 <= fixed.count("opening:speaker") <= 3, f"fixed: {fixed}")
    for person in people:
        pairs = interests(person)
        speaks_in_rt = any(s in RTS and r == "speaker" for s, r in pairs)
        numbers = len(person["objectives"].split("; ")) if person["objectives"] else 0
        require(1 <= numbers <= 5 if speaks_in_rt else numbers == 0, f"{person['id']}: {numbers} objectives")
        ineligible = [f"{s}:{r}" for s, r in pairs if not is_eligible(person, s, r, sessions)]
        require(not ineligible, f"{person['id']} is not eligible for {ineligible}")
        if person["fixed"]:
            session, role = person["fixed"].split(":")
            ok = (session, role) in pairs and person in active and is_available(person, session)
            require(ok, f"{person['id']}'s fixed {person['fixed']} cannot hold")
    late = [p["id"] for p in people if p["registered_at"] > inscription_closes]
    require(late == [p["id"] for p in people[-LATE:]], f"registered after the list closed: {late}")
    groups_speaking = sorted(p["on_behalf_of"] for p in people if p["on_behalf_of"])
    require(groups_speaking == sorted(g for _, _, g in GROUP_STATEMENTS), f"group statements: {groups_speaking}")
    # Enough eligible, active, listed and available candidates for every role of every session.
    listed = [p for p in active if p["registered_at"] <= inscription_closes]
    for session, spec in sessions.items():
        needs = {"moderator": max(3, 2 * spec.get("moderators", 1)), "speaker": spec["speakers"][0] + 3}
        needs["rapporteur"] = 3 if spec.get("rapporteurs") else 0
        needs["co_chair"] = 2 * spec.get("co_chairs", 0)
        for role, need in needs.items():
            found = [p for p in listed if (session, role) in interests(p) and is_available(p, session)]
            require(len(found) >= need, f"{session}: {len(found)} {role} candidates, {need} needed")
            voices = sum(p["category"] == "stakeholder" for p in found)
            if session in RTS and role == "speaker":
                require(voices >= 5, f"{session}: only {voices} stakeholder speakers")
            if role == "co_chair" and need:  # a member State and a stakeholder, two of each to choose from
                states = sum(p["category"] == "member_state" for p in found)
                require(states >= 2 and voices >= 2, f"{session}: co-chairs from {states} States, {voices} others")
    # Every objective can be covered: two available speakers of its round table declare it; rare ones by <= 4.
    for objective, rt in sorted(RT_OF.items()):
        speakers = [p for p in active if (rt, "speaker") in interests(p)]
        declared = [p for p in speakers if str(objective) in p["objectives"].split("; ")]
        free = [p["id"] for p in declared if is_available(p, rt)]
        require(len(free) >= 2, f"objective {objective}: only {free} can speak in {rt}")
        if objective in RARE:
            require(len(declared) <= 4, f"objective {objective} should be rare, {len(declared)} declare it")
    if problems:
        raise SystemExit("applicants self-check failed:\n  " + "\n  ".join(problems))


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the fictional applicants of the default event.")
    parser.add_argument("--out", type=Path, default=HERE / "applicants.xlsx", help="default: %(default)s")
    args = parser.parse_args()
    with (HERE / "member_states.csv").open(encoding="utf-8") as handle:
        states = {row["country"]: (row["group"], row["capital_timezone"]) for row in csv.DictReader(handle)}
    sources = tomllib.loads((HERE / "applicant_sources.toml").read_text(encoding="utf-8"))
    event = tomllib.loads((HERE / "event.toml").read_text(encoding="utf-8"))
    sessions = {session["id"]: session for session in event["sessions"]}
    generator = Generator(states, sources)
    people = generator.member_states() + generator.stakeholders() + generator.institutions()
    people = generator.finish(people)
    meeting_practice(people, event["event"]["inscription_closes"])
    self_check(people, sessions, event["event"]["inscription_closes"])
    write(people, args.out)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("make_applicants").info("wrote %d applicants to %s", len(people), args.out)


if __name__ == "__main__":
    main()
