"""`rosters/<session>.csv`: the people with a role in each session (name, e-mail, role), for the platform host
to import as panellists. Private, like the invitations: see docs/privacy.md."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scheduler.domain import Role
from scheduler.export.cells import FORMULA_TRIGGERS
from scheduler.views import PlanView, SessionView

HEADER = ("name", "email", "role")


def safe(text: str) -> str:
    """Text a spreadsheet program opening the file will not run as a formula: quoted with a leading apostrophe
    when it starts like one, as the workbooks quote such cells."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def roster(session: SessionView) -> bytes:
    """The roster of one session, UTF-8 with CRLF line ends: the co-chairs, moderators, speakers (in speaking
    order) and rapporteurs, each once."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    roles = (
        [(p, Role.CO_CHAIR) for p in session.co_chairs]
        + [(p, Role.MODERATOR) for p in session.moderators]
        + [(p, Role.SPEAKER) for p in session.speakers]
        + [(p, Role.RAPPORTEUR) for p in session.rapporteurs]
    )
    for person, role in roles:
        writer.writerow((safe(person.name), safe(person.email), role.value))
    return out.getvalue().encode("utf-8")


def write_rosters(view: PlanView, folder: Path) -> None:
    """One roster per placed session in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for session in view.sessions:
        (folder / f"{session.id}.csv").write_bytes(roster(session))
