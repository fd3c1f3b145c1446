"""The plan store: plan.json says its format, and reading it checks the format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scheduler import release
from scheduler.store import FORMAT, PlanFileError, read_plan, write_plan
from scheduler.views import build_view
from tests import factories
from tests.test_cli import DEFAULT_EVENT, run


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    event = factories.basic()
    path = tmp_path_factory.mktemp("store") / "plan.json"
    write_plan(build_view(event, release.plan(event, generated_at=factories.GENERATED)), path)
    return path


def rewritten(source: Path, target: Path, **keys: object) -> Path:
    """A copy of plan.json `source` with `keys` set (a value of None removes the key)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    for key, value in keys.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_plan_json_says_its_format(written: Path) -> None:
    assert json.loads(written.read_text(encoding="utf-8"))["format"] == FORMAT == 1


def test_a_plan_json_of_an_earlier_release_without_a_format_is_read(written: Path, tmp_path: Path) -> None:
    earlier = rewritten(written, tmp_path / "plan.json", format=None)
    assert read_plan(earlier) == read_plan(written)


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (2, "format 2 was written by a newer release of scheduler; this one reads format 1 and earlier"),
        ("1", "key 'format' is \"1\", not a format number of plan.json"),
        (0, "key 'format' is 0, not a format number of plan.json"),
    ],
)
def test_a_plan_json_in_another_format_is_refused(
    written: Path, tmp_path: Path, number: object, said: str
) -> None:
    other = rewritten(written, tmp_path / "plan.json", format=number)
    with pytest.raises(PlanFileError) as refused:
        read_plan(other)
    assert str(refused.value).startswith(f"{other}: ")
    assert said in str(refused.value)
    assert "(hint: " in str(refused.value)


def test_export_of_a_plan_json_from_a_newer_release_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    newer = tmp_path / "plan.json"
    newer.write_text(json.dumps({"format": 2, "event": "gcm2020-unece"}), encoding="utf-8")

    done = run("export", newer, "--event", DEFAULT_EVENT, "--out", out)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "format 2 was written by a newer release of scheduler" in " ".join(done.stderr.split())
    assert not out.exists() or not any(out.iterdir())
