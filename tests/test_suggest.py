"""`scheduler suggest`: substitutes for a person who drops out, on a tiny event and through the command line on the
default event."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from scheduler import release
from scheduler.domain import Category, Event, Plan, Role
from scheduler.suggest import CannotSuggest, Suggestions, suggest
from scheduler.validate import check, objective, penalties
from tests.factories import GENERATED, event, person, session
from tests.test_cli import DEFAULT_EVENT, run

# --- a tiny event ----------------------------------------------------------------------------------------------


def tiny() -> Event:
    """M1 is fixed as moderator; A asked only to moderate, B to speak and then to moderate; X may not moderate
    (the session is for stakeholders); three speakers fill the panel."""
    return event(
        [session(eligible=(Category.STAKEHOLDER,))],
        [
            person("M1", "S1:moderator", fixed=(("S1", Role.MODERATOR),)),
            person("A1", "S1:moderator"),
            person("B1", "S1:speaker; S1:moderator"),
            person("S2"),
            person("S3"),
            person("X1", "S1:moderator", category=Category.MEMBER_STATE, country="Austria"),
        ],
    )


@pytest.fixture(scope="module")
def published() -> Plan:
    plan = release.plan(tiny(), generated_at=GENERATED, time_limit=20)
    assert plan.assigned("S1", Role.MODERATOR) == ["M1"]
    assert sorted(plan.assigned("S1", Role.SPEAKER)) == ["B1", "S2", "S3"]
    return plan


@pytest.fixture(scope="module")
def found(published: Plan) -> Suggestions:
    return suggest(tiny(), published, "M1", time_limit=20)


def without_m1() -> Event:
    ev = tiny()
    return replace(
        ev,
        applicants=tuple(replace(a, withdrawn=True, fixed=()) if a.id == "M1" else a for a in ev.applicants),
    )


def test_suggest_ranks_who_asked_for_the_role(found: Suggestions) -> None:
    (role,) = found.roles
    assert (role.session, role.role, role.tried) == ("S1", Role.MODERATOR, 2)
    assert [s.participant for s in role.suggestions] == ["A1", "B1"]  # X1 is not eligible
    first, second = role.suggestions
    assert (first.cost_delta, first.choice, first.replan_choice, first.changes) == (0, 1, True, ())
    assert second.cost_delta > 0
    assert second.choice == 2
    assert [(c.kind, c.participant) for c in second.changes] == [("moved", "B1")]
    assert second.reason.startswith("their 2nd choice; interest_rank +10")
    assert "1 other change" in second.reason


def test_each_suggestion_is_a_checked_replan_with_the_substitute(found: Suggestions, published: Plan) -> None:
    ev = without_m1()
    replan = found.replan.as_plan(ev)
    base = objective(ev, penalties(ev, replan, published), found.replan.report.weights)
    for s in found.roles[0].suggestions:
        plan = s.solution.as_plan(ev)
        assert check(ev, plan) == []
        assert plan.assigned("S1", Role.MODERATOR) == [s.participant]
        assert "M1" not in {a.participant for a in plan.assignments}
        recount = objective(ev, penalties(ev, plan, published), s.solution.report.weights)
        assert recount - base == s.cost_delta


def test_the_replan_picks_the_cheapest_suggestion(found: Suggestions, published: Plan) -> None:
    replan = release.plan(without_m1(), previous=published, generated_at=GENERATED, time_limit=20)
    (chosen,) = replan.assigned("S1", Role.MODERATOR)
    cheapest = min(s.cost_delta for s in found.roles[0].suggestions)
    assert chosen in {s.participant for s in found.roles[0].suggestions if s.cost_delta == cheapest}


def test_top_limits_the_suggestions(published: Plan) -> None:
    (role,) = suggest(tiny(), published, "M1", top=1, time_limit=20).roles
    assert [s.participant for s in role.suggestions] == ["A1"]
    assert role.tried == 2


def test_unknown_participant_is_refused(published: Plan) -> None:
    with pytest.raises(CannotSuggest, match="no applicant has the id 'm1'") as raised:
        suggest(tiny(), published, "m1")
    assert "did you mean M1" in raised.value.hint


def test_participant_without_a_role_is_refused(published: Plan) -> None:
    with pytest.raises(CannotSuggest, match="A1 Person A1 holds no role in the published plan") as raised:
        suggest(tiny(), published, "A1")
    assert "waiting list" in raised.value.hint


# --- the command line on the default event ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suggest") / "out"
    done = run("plan", DEFAULT_EVENT, "--out", folder)
    assert done.returncode == 0, done.stderr
    return folder


def moderator_of(out: Path, session: str) -> str:
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    (sid,) = [s for s in data["sessions"] if s["id"] == session]
    return str(sid["moderators"][0])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_suggest_json_changes_nothing_in_out(out: Path) -> None:
    before = snapshot(out)
    leaver = moderator_of(out, "RT1")
    done = run("suggest", DEFAULT_EVENT, "--out", out, "--replace", leaver, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert 1 <= len(rows) <= 5
    assert {(r["session"], r["role"], r["replaces"]) for r in rows} == {("RT1", "moderator", leaver)}
    assert all({"participant", "session", "role", "cost_delta", "changes", "reason"} <= set(r) for r in rows)
    deltas = [r["cost_delta"] for r in rows]
    assert deltas == sorted(deltas)
    assert snapshot(out) == before


def test_suggest_prints_a_table(out: Path) -> None:
    leaver = moderator_of(out, "RT1")
    done = run("suggest", DEFAULT_EVENT, "--out", out, "--replace", leaver, "--top", "2")
    assert done.returncode == 0, done.stderr
    assert f"{leaver} " in done.stdout
    assert "Substitutes for moderator of RT1: the best 2 of" in done.stdout
    assert "(the re-plan's choice)" in done.stdout


def test_plan_after_the_withdrawal_picks_a_cheapest_suggestion(out: Path, tmp_path: Path) -> None:
    leaver = moderator_of(out, "RT2")
    done = run("suggest", DEFAULT_EVENT, "--out", out, "--replace", leaver, "--json", "--top", "50")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    cheapest = {r["participant"] for r in rows if r["cost_delta"] == rows[0]["cost_delta"]}

    folder = tmp_path / "event"
    shutil.copytree(DEFAULT_EVENT, folder)
    book = openpyxl.load_workbook(folder / "applicants.xlsx")
    sheet = book["applicants"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("id")].value == leaver:
            row[header.index("status")].value = "withdrawn"
            row[header.index("fixed")].value = None
    book.save(folder / "applicants.xlsx")
    replanned = tmp_path / "out"
    shutil.copytree(out, replanned)
    done = run("plan", folder, "--out", replanned)
    assert done.returncode == 0, done.stderr
    moderator = moderator_of(replanned, "RT2")
    assert moderator != leaver
    assert moderator in cheapest


@pytest.mark.parametrize(
    ("replace_id", "message"),
    [
        ("P9999", "no applicant has the id 'P9999'"),
        ("", "no applicant has the id ''"),
    ],
)
def test_suggest_unknown_participant_exits_2(out: Path, replace_id: str, message: str) -> None:
    done = run("suggest", DEFAULT_EVENT, "--out", out, "--replace", replace_id)
    assert done.returncode == 2
    assert message in done.stderr
    assert "hint:" in done.stderr
    assert "Traceback" not in done.stderr


def test_suggest_participant_without_a_role_exits_2(out: Path) -> None:
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    waiting = data["unassigned"][0]["participant"]
    done = run("suggest", DEFAULT_EVENT, "--out", out, "--replace", waiting)
    assert done.returncode == 2
    assert f"{waiting} " in done.stderr
    assert "holds no role in the published plan (version 1)" in done.stderr
    assert "Traceback" not in done.stderr


def test_suggest_without_a_published_plan_exits_2(tmp_path: Path) -> None:
    done = run("suggest", DEFAULT_EVENT, "--out", tmp_path / "none", "--replace", "P017")
    assert done.returncode == 2
    assert "plan.json: file not found" in done.stderr
    assert "hint: suggest works from the published plan; run `scheduler plan" in done.stderr
    assert not (tmp_path / "none").exists()
