"""The obvious hand-written planner, the yardstick of the end-to-end race: `python -m benchmarks.plain EVENT_DIR OUT`.

What a Python user writes in an afternoon: pandas reads the applicants' workbook, `tomllib` the event, PuLP states
the hard rules (interest_only, eligibility with `min_level`, withdrawn, fixed, one role per person, availability
in the person's own time zone, session_roles, time_budget, objective_coverage, stakeholder_voice, placement on the
event's grid inside day windows and outside breaks, no overlap, `after`), CBC solves with wishes by rank as the
objective, and only `OUT/plan.json` is written. It imports nothing of `scheduler`, so that its time is its own.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pulp

LEVELS = [
    "head_of_state",
    "head_of_government",
    "minister",
    "deputy_minister",
    "ambassador",
    "senior_official",
    "official",
    "other",
]


def _cell(value: object) -> str:
    return "" if pd.isna(value) else str(value).strip()  # type: ignore[call-overload]


def _minutes(text: str) -> int:
    hours, minutes = text.strip().split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _windows(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(";"):
        if part.strip():
            begin, end = (_minutes(t) for t in part.split("-"))
            out.append((begin, end if end > begin else end + 24 * 60))  # a window crossing midnight
    return out


def _available(windows: list[tuple[int, int]], zone: ZoneInfo, start: dt.datetime, length: int) -> bool:
    if not windows:
        return True
    local = start.astimezone(zone)
    begin = local.hour * 60 + local.minute
    return any(b + shift <= begin and begin + length <= e + shift for b, e in windows for shift in (0, -1440))


def _starts(event: dict, session: dict, zone: ZoneInfo) -> list[dt.datetime]:
    if "date" in session:
        return [dt.datetime.combine(session["date"], session["start"], zone)]
    step = event.get("rules", {}).get("slot_minutes", 15)
    out = []
    for day in event["days"]:
        wall = dt.datetime.combine(day["date"], day["start"])
        day_end = dt.datetime.combine(day["date"], day["end"])
        pauses = [
            (dt.datetime.combine(b["date"], b["start"]), dt.datetime.combine(b["date"], b["end"]))
            for b in event.get("breaks", [])
            if b["date"] == day["date"]
        ]
        while wall + dt.timedelta(minutes=session["minutes"]) <= day_end:
            end = wall + dt.timedelta(minutes=session["minutes"])
            if not any(wall < pause_end and pause_start < end for pause_start, pause_end in pauses):
                out.append(wall.replace(tzinfo=zone))
            wall += dt.timedelta(minutes=step)
    return out


def plan(folder: Path, out: Path) -> None:
    """Read the event folder, solve the hard rules with CBC and write `out/plan.json`."""
    event = tomllib.loads((folder / "event.toml").read_text(encoding="utf-8"))
    zone = ZoneInfo(event["event"]["timezone"])
    people = pd.read_excel(folder / "applicants.xlsx", dtype=str)
    sessions = {s["id"]: s for s in event["sessions"]}
    max_roles = event.get("rules", {}).get("max_roles_per_person", 1)
    assert max_roles == 1, "this script handles one role per person"

    starts = {sid: _starts(event, s, zone) for sid, s in sessions.items()}
    problem = pulp.LpProblem("plain", pulp.LpMaximize)
    y = {
        (sid, i): pulp.LpVariable(f"y_{sid}_{i}", cat="Binary")
        for sid in sessions
        for i in range(len(starts[sid]))
    }
    x: dict[tuple[str, str, str], pulp.LpVariable] = {}
    gain: dict[tuple[str, str, str], int] = {}
    info: dict[str, dict[str, object]] = {}
    for row in people.itertuples(index=False):
        pid, category, status = _cell(row.id), _cell(row.category), _cell(row.status) or "active"
        if status == "withdrawn":
            continue
        level = _cell(row.level)
        objectives = {int(o) for o in _cell(row.objectives).replace(",", ";").split(";") if o.strip()}
        info[pid] = {"category": category, "objectives": objectives}
        wishes = [w.strip() for w in _cell(row.interests).split(";") if w.strip()]
        fixed = _cell(row.fixed)
        person_zone = ZoneInfo(_cell(row.timezone) or event["event"]["timezone"])
        windows = _windows(_cell(row.available))
        for rank, wish in enumerate([fixed, *wishes] if fixed else wishes):
            sid, role = wish.split(":")
            session = sessions[sid]
            if (pid, sid, role) in x:
                continue
            if category not in session.get("eligible", [category]):
                continue
            delegate = category in ("member_state", "observer")
            low_level = level in LEVELS and LEVELS.index(level) > LEVELS.index(
                session.get("min_level", level)
            )
            if role == "speaker" and delegate and low_level:
                continue
            fits = [
                i
                for i, start in enumerate(starts[sid])
                if _available(windows, person_zone, start, session["minutes"])
            ]
            if not fits:
                continue
            var = pulp.LpVariable(f"x_{pid}_{sid}_{role}", cat="Binary")
            x[pid, sid, role] = var
            gain[pid, sid, role] = 100 - 10 * rank
            if fixed and rank == 0:
                problem += var == 1
            if len(fits) < len(starts[sid]):  # availability: only at the starts the person can make
                problem += var <= pulp.lpSum(y[sid, i] for i in fits)

    by_person: dict[str, list[pulp.LpVariable]] = defaultdict(list)
    by_session: dict[tuple[str, str], list[tuple[str, pulp.LpVariable]]] = defaultdict(list)
    for (pid, sid, role), var in x.items():
        by_person[pid].append(var)
        by_session[sid, role].append((pid, var))
    problem += pulp.lpSum(gain[k] * v for k, v in x.items())
    for variables in by_person.values():
        problem += pulp.lpSum(variables) <= max_roles
    for sid, session in sessions.items():
        problem += pulp.lpSum(y[sid, i] for i in range(len(starts[sid]))) == 1
        speakers = by_session[sid, "speaker"]
        low, high = session["speakers"]
        segments = session.get("segments")
        if segments:
            fixed_minutes = sum(v for k, v in segments.items() if k != "intervention")
            if segments.get("intervention"):
                high = min(high, (session["minutes"] - fixed_minutes) // segments["intervention"])
        problem += pulp.lpSum(v for _, v in speakers) >= low
        problem += pulp.lpSum(v for _, v in speakers) <= high
        problem += pulp.lpSum(v for _, v in by_session[sid, "moderator"]) == session.get("moderators", 0)
        problem += pulp.lpSum(v for _, v in by_session[sid, "rapporteur"]) == session.get("rapporteurs", 0)
        for objective in session.get("objectives", []):
            problem += pulp.lpSum(v for p, v in speakers if objective in info[p]["objectives"]) >= 1  # type: ignore[operator]
        voice = session.get("min_stakeholder_speakers", 0)
        if voice:
            problem += pulp.lpSum(v for p, v in speakers if info[p]["category"] == "stakeholder") >= voice
        for other in session.get("after", []):
            problem += pulp.lpSum(
                int(t.timestamp() // 60) * y[sid, i] for i, t in enumerate(starts[sid])
            ) >= pulp.lpSum(
                (int(t.timestamp() // 60) + sessions[other]["minutes"]) * y[other, i]
                for i, t in enumerate(starts[other])
            )
    # No overlap: at every possible start, at most one session is running.
    checkpoints = sorted({t for ts in starts.values() for t in ts})
    for point in checkpoints:
        running = [
            y[sid, i]
            for sid, ts in starts.items()
            for i, t in enumerate(ts)
            if t <= point < t + dt.timedelta(minutes=sessions[sid]["minutes"])
        ]
        if len(running) > 1:
            problem += pulp.lpSum(running) <= 1

    problem.solve(pulp.PULP_CBC_CMD(msg=False, threads=1))
    if pulp.LpStatus[problem.status] != "Optimal":
        sys.exit(f"no plan: {pulp.LpStatus[problem.status]}")
    placed = {sid: next(t for i, t in enumerate(ts) if y[sid, i].value() > 0.5) for sid, ts in starts.items()}
    result = {
        "event": event["event"]["id"],
        "objective": pulp.value(problem.objective),
        "sessions": [
            {
                "id": sid,
                "start": placed[sid].isoformat(),
                "end": (placed[sid] + dt.timedelta(minutes=sessions[sid]["minutes"])).isoformat(),
            }
            for sid in sessions
        ],
        "assignments": [
            {"participant": pid, "session": sid, "role": role}
            for (pid, sid, role), var in sorted(x.items())
            if var.value() > 0.5
        ],
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    plan(Path(sys.argv[1]), Path(sys.argv[2]))
