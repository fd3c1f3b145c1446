"""Load an event folder into a checked `Event`, or raise `InputError` listing every problem found."""

from __future__ import annotations

import csv
from pathlib import Path

from scheduler.domain import Event
from scheduler.load.applicants import MemberState, read_applicants
from scheduler.load.event_toml import read_event_toml
from scheduler.load.problems import InputError, Problem

__all__ = ["InputError", "Problem", "load_event"]


def load_event(folder: Path | str) -> Event:
    """Read `event.toml`, the applicants and the optional `objectives.csv` and `member_states.csv` of a folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            [Problem(str(folder), "no such event folder", "give the folder that holds event.toml")]
        )
    problems: list[Problem] = []
    objectives = _read_objectives(folder / "objectives.csv", problems)
    states = _read_member_states(folder / "member_states.csv", problems)
    spec, toml_problems = read_event_toml(folder / "event.toml", set(objectives) if objectives else None)
    problems += toml_problems
    if any(p.file == "event.toml" and p.row is None and "TOML" in p.message for p in toml_problems):
        raise InputError(problems)
    applicants, applicant_problems = read_applicants(
        folder, spec, set(objectives) if objectives else None, states
    )
    problems += applicant_problems
    if problems:
        raise InputError(problems)
    return Event(
        id=spec.id,
        title=spec.title,
        timezone=spec.timezone,
        organiser_name=spec.organiser_name,
        organiser_email=spec.organiser_email,
        uid_domain=spec.uid_domain,
        days=tuple(sorted(spec.days, key=lambda d: (d.date, d.start))),
        breaks=tuple(sorted(spec.breaks, key=lambda b: (b.date, b.start))),
        sessions=tuple(spec.sessions),
        applicants=tuple(applicants),
        languages=spec.languages,
        public_link=spec.public_link,
        speaker_link=spec.speaker_link,
        tech_check_minutes=spec.tech_check_minutes,
        submission_deadline=spec.submission_deadline,
        submission_word_limit=spec.submission_word_limit,
        objective_titles=objectives,
        rules=spec.rules,
    )


def _read_objectives(path: Path, problems: list[Problem]) -> dict[int, str]:
    """Objective number -> short label; empty when the event has no objectives.csv (any number is accepted)."""
    if not path.exists():
        return {}
    titles: dict[int, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                number = int(row.get("objective") or "")
            except ValueError:
                problems.append(
                    Problem(
                        path.name,
                        f"objective {row.get('objective')!r} is not a number",
                        row=row_number,
                        column="objective",
                    )
                )
                continue
            titles[number] = (row.get("short_label") or row.get("title") or f"Objective {number}").strip()
    return titles


def _read_member_states(path: Path, problems: list[Problem]) -> dict[str, MemberState] | None:
    """The member States that may send delegations, when the event lists them; None accepts any country."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "country" not in rows[0]:
        problems.append(Problem(path.name, 'needs a "country" column', row=1))
        return None
    return {
        row["country"].strip(): MemberState(
            row["country"].strip(),
            (row.get("group") or "").strip(),
            (row.get("capital_timezone") or "").strip(),
        )
        for row in rows
    }
