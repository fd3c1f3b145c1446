"""Substitutes for a person who drops out of a published plan, ranked (`scheduler suggest`).

For each role the person holds in the published plan, every other applicant who asked for that (session, role) and
whom no rule keeps out of it (eligibility, availability, withdrawn...) is tried: the event is re-planned exactly as
`scheduler plan` would re-plan it after the person withdraws (against the published plan, stability included), with
the candidate fixed in the role. Each such re-plan is a complete plan, checked by the validator like any other.

They are ranked by `cost_delta`: the candidate's re-plan objective minus the objective of the plain re-plan (the
person withdrawn, nobody fixed). 0 means "as good as what `plan` would do"; the re-plan's own choice is among the
cheapest. Ties are broken by the number of other changes to the published plan, then by id.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from scheduler.domain import Applicant, Change, Event, Plan, Role
from scheduler.release import compare
from scheduler.rulebook import SOFT
from scheduler.solve import NoPlan, Solution, solve
from scheduler.solve.model import build
from scheduler.validate import Penalty, penalty_items

TOP = 5
# The rules a suggestion's reason names by their difference; stability is said as the number of other changes.
WORDED = tuple(name for name in SOFT if name not in ("stability", "interest_rank"))

ProgressFn = Callable[[int, int, str], None]  # (done, total, what is being tried)


class CannotSuggest(ValueError):
    """The question cannot be answered from this input; the message says why, `hint` what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Suggestion:
    """One substitute: a complete, checked re-plan with them in the role."""

    participant: str
    session: str
    role: Role
    cost_delta: int  # objective of this re-plan minus the plain re-plan's
    objective: int
    choice: int | None  # the rank of this wish among theirs (1 = first choice)
    changes: tuple[
        Change, ...
    ]  # other changes to the published plan (not the leaver's, not the substitute's)
    reason: str
    replan_choice: bool  # the plain re-plan puts this person in the role too
    solution: Solution


@dataclass(frozen=True)
class RoleSuggestions:
    """The best substitutes for one role of the leaver, cheapest first, and who could not take it."""

    session: str
    role: Role
    tried: int
    suggestions: tuple[Suggestion, ...]  # the best `top`
    impossible: tuple[str, ...]  # candidates with whom no plan satisfies every hard rule


@dataclass(frozen=True)
class Suggestions:
    participant: str
    version: int  # of the published plan
    replan: Solution  # the plain re-plan with the participant withdrawn
    replan_changes: tuple[Change, ...]
    roles: tuple[RoleSuggestions, ...]


def suggest(
    event: Event,
    published: Plan,
    participant: str,
    *,
    top: int = TOP,
    time_limit: float = 10.0,
    progress: ProgressFn | None = None,
) -> Suggestions:
    """The best `top` substitutes for each role `participant` holds in the `published` plan (see the module).
    CannotSuggest when the participant is unknown or holds no role; NoPlan when no plan exists without them."""
    roles = roles_of(event, published, participant)
    leaver = event.applicant_by_id[participant]
    # The leaver as `plan` would see them after the organisers mark them withdrawn (and clear their fixed cell).
    without = _with_applicant(event, replace(leaver, withdrawn=True, fixed=()))
    steps = [
        (session, role, key[0])
        for session, role in roles
        for key in _candidates(without, published, session, role)
    ]
    total = len(steps) + 1
    if progress:
        progress(0, total, f"re-planning without {participant}")
    replan = solve(without, previous=published, time_limit=time_limit)
    replan_changes = tuple(
        compare(without, published, list(replan.placements), list(replan.assignments), replan.reasons)[2]
    )
    baseline_items = penalty_items(without, replan.as_plan(without), published)
    found: dict[tuple[str, Role], list[Suggestion]] = {key: [] for key in roles}
    impossible: dict[tuple[str, Role], list[str]] = {key: [] for key in roles}
    for done, (session, role, candidate) in enumerate(steps, start=1):
        if progress:
            progress(done, total, f"trying {candidate} as {role} of {session}")
        applicant = without.applicant_by_id[candidate]
        fixed = replace(applicant, fixed=(*applicant.fixed, (session, role)))
        trial = _with_applicant(without, fixed)
        try:
            solution = solve(trial, previous=published, time_limit=time_limit)
        except NoPlan:
            impossible[session, role].append(candidate)
            continue
        found[session, role].append(
            _suggestion(
                without, published, participant, applicant, session, role, solution, replan, baseline_items
            )
        )
    if progress:
        progress(total, total, "done")
    ranked = []
    for session, role in roles:
        best = sorted(
            found[session, role],
            key=lambda s: (s.cost_delta, len(s.changes), not s.replan_choice, s.participant),
        )
        ranked.append(
            RoleSuggestions(
                session,
                role,
                len(found[session, role]) + len(impossible[session, role]),
                tuple(best[:top]),
                tuple(impossible[session, role]),
            )
        )
    return Suggestions(participant, published.version, replan, replan_changes, tuple(ranked))


def roles_of(event: Event, published: Plan, participant: str) -> list[tuple[str, Role]]:
    """The (session, role) pairs `participant` holds in the published plan; CannotSuggest when the id is unknown
    or they hold none."""
    leaver = event.applicant_by_id.get(participant)
    if leaver is None:
        ids = {pid.casefold(): pid for pid in event.applicant_by_id}
        close = [ids[participant.casefold()]] if participant.casefold() in ids else []
        close = close or difflib.get_close_matches(participant, list(event.applicant_by_id), n=1, cutoff=0.5)
        raise CannotSuggest(
            f"no applicant has the id {participant!r}",
            f"did you mean {close[0]}? The ids are in the id column of the applicants sheet"
            if close
            else "the ids are in the id column of the applicants sheet",
        )
    roles = [(a.session, a.role) for a in published.assignments if a.participant == participant]
    if not roles:
        waiting = {u.participant: u.reason for u in published.unassigned}.get(participant)
        raise CannotSuggest(
            f"{participant} {leaver.name} holds no role in the published plan (version {published.version}): "
            "there is nothing to replace",
            "check the id; "
            + (f"they are on the waiting list: {waiting}" if waiting else "or plan again first"),
        )
    return roles


def change_words(change: Change) -> str:
    """A change to the published plan in words, e.g. "P160 added: MSC1 speaker (replaces P017)"."""
    what = {
        "added": change.after,
        "removed": change.before,
        "moved": f"{change.before} -> {change.after}",
        "retimed": f"{change.before} -> {change.after}",
    }[change.kind]
    who = change.participant or change.session
    return f"{who} {change.kind}: {what}" + (f" ({change.reason})" if change.reason else "")


def as_json(event: Event, found: Suggestions) -> list[dict[str, Any]]:
    """The suggestions of every role, best first within each, as `scheduler suggest --json` prints them."""
    people = event.applicant_by_id
    return [
        {
            "participant": s.participant,
            "name": people[s.participant].name,
            "session": s.session,
            "role": s.role.value,
            "replaces": found.participant,
            "rank": number,
            "cost_delta": s.cost_delta,
            "objective": s.objective,
            "changes": len(s.changes),
            "change_list": [change_words(c) for c in s.changes],
            "choice": s.choice,
            "reason": s.reason,
            "replan_choice": s.replan_choice,
            "status": s.solution.report.status,
        }
        for role in found.roles
        for number, s in enumerate(role.suggestions, start=1)
    ]


def _with_applicant(event: Event, applicant: Applicant) -> Event:
    return replace(
        event, applicants=tuple(applicant if a.id == applicant.id else a for a in event.applicants)
    )


def _candidates(event: Event, published: Plan, session: str, role: Role) -> list[tuple[str, str, Role]]:
    """Who may take the role: they asked for it, and no rule keeps them out of it (the model gives their wish a
    variable); those who already hold it in the published plan are not substitutes."""
    holding = {a.participant for a in published.assignments if (a.session, a.role) == (session, role)}
    keys = build(event, previous=published).variables.keys(session, role)
    return sorted(k for k in keys if k[0] not in holding)


def _suggestion(
    event: Event,
    published: Plan,
    leaver: str,
    applicant: Applicant,
    session: str,
    role: Role,
    solution: Solution,
    replan: Solution,
    baseline_items: list[Penalty],
) -> Suggestion:
    changes = compare(
        event, published, list(solution.placements), list(solution.assignments), solution.reasons
    )[2]
    # The substitution itself is not counted: the leaver's removal and the substitute's arrival. A substitute who
    # moves from another role is: their old place changes too.
    others = tuple(
        c
        for c in changes
        if c.participant != leaver and not (c.participant == applicant.id and c.kind == "added")
    )
    delta = solution.report.objective - replan.report.objective
    choice = applicant.interest_rank(session, role)
    in_replan = any(
        (a.participant, a.session, a.role) == (applicant.id, session, role) for a in replan.assignments
    )
    reason = _reason(
        event, published, applicant, session, role, solution, replan, baseline_items, choice, len(others)
    )
    return Suggestion(applicant.id, session, role, delta, solution.report.objective, choice, others, reason,
                      in_replan, solution)  # fmt: skip


def _reason(
    event: Event,
    published: Plan,
    applicant: Applicant,
    session: str,
    role: Role,
    solution: Solution,
    replan: Solution,
    baseline_items: list[Penalty],
    choice: int | None,
    other_changes: int,
) -> str:
    """Why this substitute costs what it costs, in words: the rank of the wish, the objectives they bring to the
    session, each soft rule that fares better or worse than in the plain re-plan (with what it is about), and the
    number of other changes."""
    words = [f"their {_ordinal(choice)} choice" if choice else "fixed by the organisers"]
    objectives = sorted(set(applicant.objectives) & set(event.session_by_id[session].objectives))
    if role is Role.SPEAKER and objectives:
        words.append(
            f"declares objective{'s' if len(objectives) > 1 else ''} {', '.join(map(str, objectives))}"
        )
    new, old = solution.report, replan.report
    items = penalty_items(event, solution.as_plan(event), published)
    for name in ("interest_rank", *WORDED):
        cost = new.costs.get(name, 0) * new.weights.get(name, 0) - old.costs.get(name, 0) * old.weights.get(
            name, 0
        )
        if not cost:
            continue
        about = [i.detail for i in items if i.rule == name and i not in baseline_items]
        if cost < 0:
            about = [i.detail for i in baseline_items if i.rule == name and i not in items]
        shown = f" ({'; '.join(about[:2])}{'; ...' if len(about) > 2 else ''})" if about else ""
        words.append(f"{name} {cost:+,}{shown}")
    if other_changes:
        words.append(f"{other_changes} other change{'s' if other_changes > 1 else ''}")
    if solution.report.status != "optimal":
        words.append("not proven optimal in the time limit")
    return "; ".join(words)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
