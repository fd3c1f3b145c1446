"""`scheduler import SOURCE --suggest-mapping`: a commented mapping file to start from, for the organiser to confirm.

Headers are matched to our columns by name similarity (with the words form tools use: "Affiliation" for
organisation, "Timestamp" for registered_at); columns named like "First choice", "Second choice" become the
ranked `interests`; every distinct answer of a column with a closed set of values is listed with our closest value
(or an empty one to fill in), and with the event's sessions, answers like "Round table 2 – speaker" too.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scheduler.domain import Role
from scheduler.load import InputError
from scheduler.load.applicants import CATEGORY_WORDS, COLUMNS, GENDER_WORDS, read_sheet
from scheduler.load.encoding import decode
from scheduler.load.limits import EVENT_TOML, read_limited

from .mapping import LIST_COLUMNS, VALID, answer_key

# Words form tools and organisers use for our columns, besides the column's own name.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("full name", "name", "participant", "your name", "name and surname"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "organisation": ("organisation", "organization", "affiliation", "institution", "entity", "delegation"),
    "function": ("function", "position", "job title", "title", "post"),
    "category": (
        "category",
        "type of organisation",
        "type of organization",
        "registering as",
        "i represent",
        "participant type",
        "type of participant",
    ),
    "country": ("country", "member state", "state"),
    "subregion": ("subregion", "region"),
    "stakeholder_group": (
        "stakeholder group",
        "constituency",
        "type of stakeholder",
        "major group",
        "sector",
    ),
    "gender": ("gender", "sex"),
    "level": ("level", "rank", "level of representation"),
    "timezone": ("time zone", "timezone"),
    "available": ("availability", "available", "available hours"),
    "languages": ("languages", "language", "working languages"),
    "interests": ("interests", "sessions", "i would like to", "interest"),
    "objectives": ("objectives", "gcm objectives", "objectives addressed"),
    "submission_date": ("submission date", "written submission"),
    "submission_words": ("word count", "words", "submission words"),
    "status": ("status", "registration status", "registration state", "state of registration"),
    "registered_at": (
        "timestamp",
        "registered at",
        "registration date",
        "submitted",
        "date submitted",
        "created",
    ),
}
# Headers of the form tool's own numbering: ids are given by the import, so these are left out.
TOOL_IDS = re.compile(r"^(id|(submission|response|registration|entry|participant) (id|number|no))$")
CHOICE = re.compile(
    r"\b(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|choice|preference|priority)\b", re.I
)
ORDER = ("first", "1st", "second", "2nd", "third", "3rd", "fourth", "4th", "fifth", "5th")
# Words in an answer, and the value of ours they point to, checked before spelling similarity.
HINT_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "category": (
        ("civil society", "stakeholder"), ("ngo", "stakeholder"), ("academ", "stakeholder"),
        ("private", "stakeholder"), ("union", "stakeholder"), ("youth", "stakeholder"),
        ("migrant", "stakeholder"), ("diaspora", "stakeholder"), ("local", "stakeholder"),
        ("human rights", "stakeholder"), ("faith", "stakeholder"), ("stakeholder", "stakeholder"),
        ("united nations", "un_system"), ("un ", "un_system"), ("un system", "un_system"),
        ("intergovernmental", "igo"), ("regional organi", "igo"), ("platform", "igo"),
        ("observer", "observer"), ("government", "member_state"), ("member state", "member_state"),
        ("ministry", "member_state"), ("permanent mission", "member_state"),
    ),
    "stakeholder_group": (
        ("civil society", "civil_society"), ("ngo", "civil_society"), ("migrant", "migrants_diaspora"),
        ("diaspora", "migrants_diaspora"), ("private", "private_sector"), ("business", "private_sector"),
        ("employer", "private_sector"), ("union", "trade_union"), ("worker", "trade_union"),
        ("academ", "academia"), ("universit", "academia"), ("research", "academia"),
        ("local", "local_authority"), ("city", "local_authority"), ("municipal", "local_authority"),
        ("human rights", "nhri"), ("ombuds", "nhri"), ("youth", "youth"), ("young", "youth"),
        ("faith", "faith_based"), ("relig", "faith_based"),
    ),
    "gender": (("prefer not", ""), ("not stated", ""), ("female", "f"), ("woman", "f"), ("male", "m"), ("man", "m"), ("non-binary", "x"), ("other", "x")),
    "status": (("withdr", "withdrawn"), ("cancel", "withdrawn"), ("reject", "withdrawn"), ("declin", "withdrawn"),
               ("active", "active"), ("complete", "active"), ("confirm", "active"), ("accept", "active")),
    "level": (("head of state", "head_of_state"), ("president", "head_of_state"),
              ("head of government", "head_of_government"), ("prime minister", "head_of_government"),
              ("deputy minister", "deputy_minister"), ("vice-minister", "deputy_minister"),
              ("state secretary", "deputy_minister"), ("minister", "minister"), ("ambassador", "ambassador"),
              ("permanent representative", "ambassador"), ("director", "senior_official"),
              ("senior", "senior_official"), ("official", "official"), ("officer", "official")),
    "languages": (("english", "en"), ("french", "fr"), ("français", "fr"), ("russian", "ru"),
                  ("русский", "ru"), ("spanish", "es"), ("arabic", "ar"), ("chinese", "zh"), ("german", "de")),
}  # fmt: skip
# Words of an answer and the role they name; co-chairs only where the roles include them.
ROLE_WORDS = tuple((word, role) for word, role in (
    ("co-chair", "co_chair"), ("chair", "co_chair"), ("moderat", "moderator"), ("rapporteur", "rapporteur"),
    ("speak", "speaker"), ("panel", "speaker"),
) if role in {r.value for r in Role})  # fmt: skip
MAX_ANSWERS = 200  # distinct answers listed per column: a free-text column is not a list of choices


def suggest_mapping(source: Path, event: Path | None = None) -> str:
    """A mapping file for the export `source`, as TOML with comments; the event's sessions help map interests."""
    table, problems = read_sheet(source)
    if table is None or problems:
        raise InputError(problems)
    titles = table.titles
    numbering = [t for t in titles if TOOL_IDS.match(answer_key(t))]
    columns = _match_headers([t for t in titles if t and t not in numbering])
    choices = [t for t in titles if t and CHOICE.search(t) and t not in columns.values()]
    choices.sort(key=lambda t: next((i for i, w in enumerate(ORDER) if w in t.lower()), len(ORDER)))
    derive = {"interests": choices} if len(choices) >= 2 and "interests" not in columns else {}

    def cells(header: str) -> list[Any]:
        index = titles.index(header)
        return [v[index] for _, v in table.rows if index < len(v) and v[index] not in (None, "")]

    lists = {ours: sep for ours, header in columns.items() if (sep := _separator(ours, cells(header)))}
    sessions = _sessions(event)
    lines = [
        f"# Mapping of {source.name} to the applicants sheet, suggested by `scheduler import --suggest-mapping`.",
        "# Check every line: the matches are guesses by name similarity. See docs/import.md.",
        "",
        "[columns]                 # our column = the export's column header",
    ]
    for ours in COLUMNS:
        if ours in columns:
            lines.append(f"{ours} = {_quote(columns[ours])}")
    for title in numbering:
        lines.append(f"# {_quote(title)} is the form tool's numbering: not needed, the import gives the ids")
    unmatched = [
        t for t in titles if t and t not in columns.values() and t not in choices and t not in numbering
    ]
    for title in unmatched:
        lines.append(f"# ? = {_quote(title)}   # not matched: map it to one of our columns, or leave it out")
    for ours in COLUMNS:
        if ours not in columns and ours not in derive and ours != "id":
            lines.append(f'# {ours} = ""   # no export column found')
    if lists:
        lines += ["", "[lists]                   # separators of multi-answer cells, by our column"]
        lines += [f"{ours} = {_quote(sep)}" for ours, sep in lists.items()]
    if derive:
        lines += ["", "[derive]                  # our column built from several export columns, in order"]
        lines.append(f"interests = [{', '.join(_quote(c) for c in choices)}]")
    for ours in [*VALID, "languages", "interests"]:
        headers = derive.get(ours) or ([columns[ours]] if ours in columns else [])
        answers = _distinct(headers, cells, lists.get(ours))
        if not answers or len(answers) > MAX_ANSWERS:
            continue
        lines += ["", f"[values.{ours}]" + " " * max(1, 18 - len(ours)) + "# the export's answer = our value"]
        for answer in answers:
            value = _closest(ours, answer, sessions)
            comment = (
                _expected(ours, sessions) if value is None else "blank: not stated" if not value else "check"
            )
            lines.append(f"{_quote(answer)} = {_quote(value or '')}   # {comment}")
    return "\n".join(lines) + "\n"


def _match_headers(titles: list[str]) -> dict[str, str]:
    """Our column -> the export header most like one of its names; each header used once, best pairs first."""
    scored = []
    for ours in COLUMNS:
        names = (ours.replace("_", " "), *SYNONYMS.get(ours, ()))
        for title in titles:
            text = answer_key(re.sub(r"[^\w\s-]", " ", title))
            best = max(difflib.SequenceMatcher(None, text, n).ratio() for n in names)
            if any(text == n or text.startswith(n + " ") for n in names):
                best = max(best, 0.95)
            elif any(len(n) >= 6 and re.search(rf"\b{re.escape(n)}\b", text) for n in names):
                best = max(best, 0.9)
            if best >= 0.75:
                scored.append((best, ours, title))
    matched: dict[str, str] = {}
    for _, ours, title in sorted(scored, key=lambda s: (-s[0], COLUMNS.index(s[1]), titles.index(s[2]))):
        if ours not in matched and title not in matched.values():
            matched[ours] = title
    return {ours: matched[ours] for ours in COLUMNS if ours in matched}


def _separator(ours: str, values: list[Any]) -> str:
    """The separator of multi-answer cells of a list column: ";" (Microsoft Forms, Indico) or "," (Google)."""
    if ours not in LIST_COLUMNS:
        return ""
    texts = [str(v) for v in values]
    for separator in (";", ","):
        if any(separator in t for t in texts):
            return separator
    return ""


def _distinct(headers: list[str], cells: Any, separator: str | None) -> list[str]:
    seen: dict[str, str] = {}
    for header in headers:
        for value in cells(header):
            parts = str(value).split(separator) if separator else [str(value)]
            for part in (" ".join(p.split()) for p in parts):
                if part:
                    seen.setdefault(answer_key(part), part)
    return list(seen.values())


def _closest(ours: str, answer: str, sessions: list[tuple[str, str]]) -> str | None:
    """Our value closest to an answer; None when nothing is close ("" is a value: gender not stated)."""
    text = answer_key(answer)
    if ours == "interests":
        return _interest(text, sessions)
    valid = VALID.get(ours, ())
    words = text.replace("_", " ")
    if words.replace(" ", "_") in valid:
        return words.replace(" ", "_")
    synonym = (
        {**CATEGORY_WORDS, **GENDER_WORDS}.get(words.replace(" ", "_"))
        if ours in ("category", "gender")
        else None
    )
    if synonym:
        return synonym
    for word, value in HINT_WORDS.get(ours, ()):
        if re.search(r"\b" + re.escape(word.strip()), words + " "):
            return value
    close = difflib.get_close_matches(words, [v.replace("_", " ") for v in valid], n=1, cutoff=0.6)
    return close[0].replace(" ", "_") if close else None


def _interest(text: str, sessions: list[tuple[str, str]]) -> str | None:
    """SESSION:ROLE for an answer like "Round table 2 – speaker", from the words and the sessions' titles."""
    role = next((r for word, r in ROLE_WORDS if word in text), None)
    if role is None or not sessions:
        return None
    rest = text
    for word, _ in ROLE_WORDS:
        rest = rest.replace(word, " ")
    rest = " ".join(re.sub(r"[^\w\s]", " ", rest).split())
    numbers = set(re.findall(r"\d+", rest))

    def score(session: tuple[str, str]) -> float:
        sid, title = answer_key(session[0]), answer_key(session[1])
        if rest == sid:
            return 2.0
        head = title.split(":")[0]
        same_number = numbers == set(re.findall(r"\d+", head)) if numbers else True
        return difflib.SequenceMatcher(None, rest, head).ratio() + (0.5 if same_number else -0.5)

    best = max(sessions, key=score)
    return f"{best[0]}:{role}" if score(best) >= 1.0 else None


def _sessions(event: Path | None) -> list[tuple[str, str]]:
    """The (id, title) of each session of the event; none when there is no readable event.toml."""
    if event is None:
        return []
    try:
        data = tomllib.loads(decode(read_limited(event / "event.toml", EVENT_TOML))[0])
    except (OSError, ValueError):  # a suggestion without the sessions is still a start
        return []
    sessions = data.get("sessions")
    if not isinstance(sessions, list):
        return []
    return [(str(s["id"]), str(s.get("title", ""))) for s in sessions if isinstance(s, dict) and "id" in s]


def _expected(ours: str, sessions: Iterable[tuple[str, str]]) -> str:
    if ours == "interests":
        ids = ", ".join(s for s, _ in sessions) or "the session ids of event.toml"
        return f"TODO: SESSION:ROLE, SESSION one of {ids}"
    if ours == "languages":
        return "TODO: a language code such as en, fr, ru"
    return "TODO: one of " + ", ".join(v for v in VALID[ours] if v)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m[0]):04x}", escaped) + '"'
