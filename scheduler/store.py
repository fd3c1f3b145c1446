"""The plan store: `plan.json`, the published plan, written byte-stable and read back for re-planning, `export`
and `send`. Each file says which layout it has (`format`); reading checks it, so that a file written by a newer
release is refused with a clear message instead of being misread."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from enum import Enum
from pathlib import Path
from typing import Any

from scheduler import __version__
from scheduler.domain import (
    Assignment,
    Cancellation,
    Change,
    Event,
    Placement,
    Plan,
    Role,
    RunningItem,
    SolverReport,
    Unassigned,
)
from scheduler.load.limits import PLAN_JSON, FileRefused, read_limited
from scheduler.views import ItemView, PlanView

FORMAT = 1  # raised when the file's layout changes incompatibly; files without the key, from earlier releases, are 1
# What describes the run that made a plan rather than the plan itself: set aside when a re-plan is compared with
# the published plan. `changes` are versus the version before, so a re-plan that changes nothing lists none.
RUN_KEYS = frozenset(
    {"version", "generated_at", "status", "objective", "bound", "seconds", "costs", "weights", "changes"}
)


def to_json(view: PlanView) -> str:
    """The plan as JSON text: keys in a fixed order, times ISO 8601 with the event's UTC offset."""
    plan = view.plan
    solver = plan.solver or SolverReport("feasible", 0, 0, 0.0)
    data: dict[str, Any] = {
        "format": FORMAT,
        "event": plan.event,
        "version": plan.version,
        "generated_at": _iso(plan.generated_at),
        "input_digest": input_digest(view.event),
        "status": solver.status,
        "objective": solver.objective,
        "bound": solver.bound,
        "seconds": solver.seconds,
        "costs": solver.costs,
        "weights": solver.weights,
        "sessions": [
            {
                "id": s.id,
                "title": s.session.title,
                "kind": s.session.kind.value,
                "start": _iso(s.start),
                "end": _iso(s.end),
                "sequence": s.sequence,
                "fingerprint": plan.placement(s.id).fingerprint,
                "objectives": list(s.session.objectives),
                "co_chairs": [p.id for p in s.co_chairs],
                "moderators": [p.id for p in s.moderators],
                "rapporteurs": [p.id for p in s.rapporteurs],
                "speakers": [p.id for p in s.speakers],
                "running_order": [_item(i) for i in s.items],
            }
            for s in view.sessions
        ],
        "assignments": [
            {
                "participant": a.participant,
                "session": a.session,
                "role": a.role.value,
                "start": _iso(view.session(a.session).start),
                "end": _iso(view.session(a.session).end),
                "sequence": a.sequence,
                "fingerprint": a.fingerprint,
            }
            for a in plan.assignments
        ],
        "unassigned": [{"participant": u.participant, "reason": u.reason} for u in plan.unassigned],
        "changes": [
            {
                "kind": c.kind,
                "session": c.session,
                "participant": c.participant,
                "role": c.role.value if c.role else None,
                "before": c.before,
                "after": c.after,
                "reason": c.reason,
            }
            for c in plan.changes
        ],
        "cancellations": [
            {
                "participant": c.participant,
                "session": c.session,
                "role": c.role.value,
                "start": _iso(c.start.astimezone(view.event.tz)),
                "end": _iso(c.end.astimezone(view.event.tz)),
                "sequence": c.sequence,
            }
            for c in plan.cancellations
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _item(item: ItemView) -> dict[str, object]:
    """A running-order item; one with a participant says the language they speak in, and a group statement on
    whose behalf it is made."""
    data: dict[str, object] = {
        "start": _iso(item.start),
        "end": _iso(item.end),
        "segment": item.segment,
        "participant": item.person.id if item.person else None,
        "role": item.role.value if item.role else None,
    }
    if item.person is not None:
        data["language"] = item.language
    if item.segment == "group_statement" and item.person is not None:
        data["on_behalf_of"] = item.person.on_behalf_of
    return data


def write_plan(view: PlanView, path: Path) -> None:
    """Write the plan's plan.json (see `to_json`) to `path`."""
    path.write_text(to_json(view), encoding="utf-8")


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def input_digest(event: Event) -> str:
    """A digest of the event as loaded (every key, row and column, in order) and of the scheduler release that
    writes the outputs: two plans with the same plan content and the same digest have the same outputs."""
    last = _DIGESTS.get(id(event))
    if last is not None and last[0] is event:  # a run digests its event more than once (seconds at 100,000 rows)
        return last[1]
    text = json.dumps([__version__, _Canonical()(event)], ensure_ascii=False, separators=(",", ":"))
    digest = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    _DIGESTS.clear()
    _DIGESTS[id(event)] = (event, digest)
    return digest


_DIGESTS: dict[int, tuple[Event, str]] = {}  # the last event digested (kept, so that its id is not reused)
_PLAIN = (str, int, float, bool, type(None))
_FIELDS: dict[type, tuple[str, ...]] = {}  # the field names of each type met, empty for a type not a dataclass


class _Canonical:
    """Values as JSON-ready data that is the same on every run (no object addresses, no set order). The loader
    gives identical cells one object (the wishes, windows and languages of 100,000 applicants are a few
    hundred tuples), so each object is converted once: its data then stands wherever the object does."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[object, object]] = {}  # by id: the object (kept alive) and its data

    def __call__(self, value: object) -> object:
        kind = type(value)
        if kind in _PLAIN:  # most values: checked first (an enum's type is never one of these)
            return value
        done = self._done.get(id(value))
        if done is not None:
            return done[1]
        data = self._convert(kind, value)
        self._done[id(value)] = (value, data)
        return data

    def _convert(self, kind: type, value: object) -> object:
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = (
                tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()
            )
        if names:  # most fields are plain: they are not looked up in `_done`
            return {
                name: field if type(field := getattr(value, name)) in _PLAIN else self(field) for name in names
            }
        if isinstance(value, Enum):
            return value.value
        if value is None or isinstance(value, str | int | float):
            return value
        if isinstance(value, dt.date | dt.time):  # a datetime is a date
            return value.isoformat()
        if isinstance(value, dict):
            return [[self(k), self(v)] for k, v in value.items()]
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        if isinstance(value, set | frozenset):
            return sorted(json.dumps(self(v), sort_keys=True) for v in value)
        return repr(value)


def unchanged_since(text: str, published: Path) -> int | None:
    """The version of the plan published in `published` (a plan.json) when the re-plan `text` (its plan.json)
    holds the same plan made from the same input, whatever the version, time and solver report; else None (also
    when there is no published plan, or it cannot be read)."""
    try:
        old = json.loads(published.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    new = json.loads(text)
    if not isinstance(old, dict) or not isinstance(old.get("version"), int):
        return None
    same = {k: v for k, v in old.items() if k not in RUN_KEYS} == {
        k: v for k, v in new.items() if k not in RUN_KEYS
    }
    return old["version"] if same else None


class PlanFileError(ValueError):
    """plan.json cannot be read; the message says which file and why."""


def check_plan_of(path: Path, plan: Plan, event: Event) -> None:
    """PlanFileError unless the plan is of this event."""
    if plan.event != event.id:
        raise PlanFileError(f"{path} is a plan of event {plan.event!r}, not {event.id!r}")


def check_plan_matches(path: Path, plan: Plan, event: Event) -> None:
    """PlanFileError unless the plan is of this event and names only its sessions and people, as exporting it
    needs (a re-plan instead copes with sessions and people that are gone)."""
    check_plan_of(path, plan, event)
    sessions = {p.session for p in plan.placements} | {a.session for a in plan.assignments}
    people = {a.participant for a in plan.assignments} | {u.participant for u in plan.unassigned}
    unknown = sorted(sessions - set(event.session_by_id)) + sorted(people - set(event.applicant_by_id))
    if unknown:
        listed = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise PlanFileError(
            f"{path} names {listed}, which the event folder does not have: it was made from another version of "
            "the event (hint: export with the event folder the plan was made from, or re-plan with scheduler plan)"
        )


def read_plan(path: Path) -> Plan:
    """A plan from plan.json, as written by `to_json` of this release or an earlier one; PlanFileError when it
    cannot be read, or was written in a newer format."""
    try:
        data = json.loads(read_limited(path, PLAN_JSON).decode("utf-8"))
        _check_format(path, data)
        return _plan(data)
    except FileNotFoundError:
        raise PlanFileError(f"{path}: file not found") from None
    except FileRefused as error:
        raise PlanFileError(f"{path}: {error.message} (hint: {error.hint})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlanFileError(f"{path}: not valid JSON ({error})") from None
    except (KeyError, TypeError, ValueError) as error:
        raise PlanFileError(
            f"{path}: not a plan written by scheduler ({type(error).__name__}: {error})"
        ) from None


def _check_format(path: Path, data: object) -> None:
    """PlanFileError unless `data` is a plan.json object in a format this release reads."""
    if not isinstance(data, dict):
        raise PlanFileError(f"{path}: not a plan written by scheduler (a JSON object was expected)")
    number = data.get("format", 1)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise PlanFileError(
            f"{path}: key 'format' is {json.dumps(number)}, not a format number of plan.json "
            "(hint: use a plan.json written by scheduler)"
        )
    if number > FORMAT:
        raise PlanFileError(
            f"{path}: plan.json format {number} was written by a newer release of scheduler; this one reads "
            f"format {FORMAT} and earlier (hint: upgrade scheduler, or plan again with this release)"
        )


def _plan(data: dict[str, Any]) -> Plan:
    time = dt.datetime.fromisoformat
    sessions = data["sessions"]
    placements = tuple(
        Placement(
            s["id"], time(s["start"]), time(s["end"]), int(s.get("sequence", 0)), s.get("fingerprint", "")
        )
        for s in sessions
    )
    order = tuple(
        RunningItem(
            s["id"],
            time(i["start"]),
            time(i["end"]),
            i["segment"],
            i["participant"],
            Role(i["role"]) if i["role"] else None,
            str(i.get("language", "")),
        )
        for s in sessions
        for i in s["running_order"]
    )
    return Plan(
        event=data["event"],
        version=int(data["version"]),
        generated_at=time(data["generated_at"]),
        placements=placements,
        assignments=tuple(
            Assignment(
                a["participant"],
                a["session"],
                Role(a["role"]),
                int(a.get("sequence", 0)),
                a.get("fingerprint", ""),
            )
            for a in data["assignments"]
        ),
        running_order=order,
        unassigned=tuple(Unassigned(u["participant"], u["reason"]) for u in data.get("unassigned", [])),
        changes=tuple(
            Change(
                c["kind"],
                c["session"],
                c.get("participant"),
                Role(c["role"]) if c.get("role") else None,
                c.get("before", ""),
                c.get("after", ""),
                c.get("reason", ""),
            )
            for c in data.get("changes", [])
        ),
        cancellations=tuple(
            Cancellation(
                c["participant"],
                c["session"],
                Role(c["role"]),
                time(c["start"]),
                time(c["end"]),
                int(c["sequence"]),
            )
            for c in data.get("cancellations", [])
        ),
        solver=SolverReport(
            data["status"],
            int(data["objective"]),
            int(data["bound"]),
            float(data["seconds"]),
            costs=dict(data.get("costs", {})),
            weights=dict(data.get("weights", {})),
        ),
    )
