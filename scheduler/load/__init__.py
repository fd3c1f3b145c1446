"""Load an event folder into a checked `Event`, or raise `InputError` listing every problem found."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scheduler.domain import Event
from scheduler.load.applicants import MemberState, read_applicants
from scheduler.load.encoding import decode
from scheduler.load.event_toml import read_event_toml
from scheduler.load.limits import REFERENCE, FileRefused, read_limited
from scheduler.load.objectives import GCM_OBJECTIVES, KnownObjectives
from scheduler.load.problems import InputError, Problem, control_character, shown

__all__ = ["InputError", "Problem", "load_event"]


def load_event(folder: Path | str) -> Event:
    """Read `event.toml`, the applicants and the optional `objectives.csv` and `member_states.csv` of a folder.

    Every file is checked even when another has problems, so that one run lists everything to fix.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            [Problem(shown(folder, 200), "no such event folder", "give the folder that holds event.toml")]
        )
    reference: list[Problem] = []
    objectives = _read_objectives(folder / "objectives.csv", reference)
    states = _read_member_states(folder / "member_states.csv", reference)
    spec, problems = read_event_toml(folder / "event.toml", objectives)
    applicants, applicant_problems = read_applicants(folder, spec, objectives, states)
    problems += reference + applicant_problems
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
        publish_speakers=spec.publish_speakers,
        tech_check_minutes=spec.tech_check_minutes,
        submission_deadline=spec.submission_deadline,
        submission_word_limit=spec.submission_word_limit,
        inscription_closes=spec.inscription_closes,
        objective_titles=objectives.titles,
        objective_translations=objectives.translations,
        title_translations=spec.title_translations,
        rules=spec.rules,
    )


def _read_objectives(path: Path, problems: list[Problem]) -> KnownObjectives:
    """The event's objectives.csv or, when it has none, the GCM's 23 objectives."""
    from_event = path.exists()
    rows = _read_reference(path if from_event else GCM_OBJECTIVES, "objective", problems)
    titles: dict[int, str] = {}
    translations: dict[str, dict[int, str]] = {}
    for row_number, row in rows:
        text = (row.get("objective") or "").strip()
        if not text.isdigit():
            problems.append(
                Problem(
                    path.name,
                    f'"{shown(text)}" is not an objective number',
                    "objectives are whole numbers like 1, 2, 3",
                    row=row_number,
                    column="objective",
                )
            )
            continue
        number = int(text)
        titles[number] = (row.get("short_label") or row.get("title") or f"Objective {number}").strip()
        # short_label_fr, else title_fr: the label of the objective in that language
        for column in sorted(c for c in row if isinstance(c, str)):
            language = column.removeprefix("short_label_").removeprefix("title_")
            text = (row.get(f"short_label_{language}") or row.get(f"title_{language}") or "").strip()
            if language != column and text:
                translations.setdefault(language, {})[number] = text
    if from_event and not titles and not problems:
        problems.append(
            Problem(
                path.name,
                "lists no objectives",
                "add one row per objective, or delete the file to use the GCM's 23",
            )
        )
    return KnownObjectives(titles, from_event, translations)


def _read_member_states(path: Path, problems: list[Problem]) -> dict[str, MemberState] | None:
    """The member States that may send delegations, when the event lists them; None accepts any country.

    A State's `group` is its delegates' default subregion. Other columns (the sample's `capital_timezone`) are
    reference only: a delegate without a time zone connects at event time, wherever the capital is.
    """
    if not path.exists():
        return None
    return {
        row["country"].strip(): MemberState(row["country"].strip(), (row.get("group") or "").strip())
        for _, row in _read_reference(path, "country", problems)
        if (row.get("country") or "").strip()
    }


def _read_reference(path: Path, key: str, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """The numbered rows of a small CSV reference table that must have a `key` column; none if absent."""
    if not path.exists():
        return []
    try:
        text, complaint, line = decode(read_limited(path, REFERENCE))
    except FileRefused as error:
        problems.append(Problem(path.name, error.message, error.hint))
        return []
    except OSError as error:
        problems.append(Problem(path.name, f"cannot be read ({shown(error.strerror)})"))
        return []
    if complaint:
        problems.append(Problem(path.name, complaint, "save it as CSV UTF-8", row=line))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(enumerate(reader, start=2))
    if key not in (reader.fieldnames or []):
        problems.append(
            Problem(path.name, f'needs a "{key}" column', f'name the first column "{key}"', row=1)
        )
        return []
    for row_number, row in rows:
        for column, value in row.items():
            # Titles and labels go into every invitation and mail, where a control character breaks the file.
            where = control_character(value) if isinstance(value, str) else ""
            if where and isinstance(column, str):
                problems.append(
                    Problem(
                        path.name,
                        f'"{shown(value)}" holds a control character ({where})',
                        "delete it: retype the text, or paste it as plain text",
                        row=row_number,
                        column=shown(column, 30),
                    )
                )
    return rows
