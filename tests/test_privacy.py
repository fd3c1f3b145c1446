"""Outputs that hold personal data are marked private: version control ignores them, and docs/privacy.md says
which outputs may be shared."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from scheduler import release
from scheduler.export.outputs import write_outputs
from scheduler.views import build_view
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
PRIVACY = ROOT / "docs" / "privacy.md"


def ignored(path: str) -> bool:
    done = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path], check=False)
    assert done.returncode in {0, 1}, f"git check-ignore failed on {path}"
    return done.returncode == 0


def test_outputs_and_sent_logs_are_ignored_by_git() -> None:
    for path in ("out/plan.json", "out/mail/P1_S1.eml", "out.sent.jsonl", "my-event/results.sent.jsonl",
                 "out.sent.json", ".out.lock", "out.sent.jsonl.lock"):
        assert ignored(path), path


def test_event_data_and_sources_are_not_ignored() -> None:
    for path in ("data/gcm2020-unece/applicants.xlsx", "scheduler/cli.py", "docs/privacy.md"):
        assert not ignored(path), path


def test_privacy_page_names_every_output(tmp_path: Path) -> None:
    """Every file or folder directly in OUT, and each calendar folder, has its row in docs/privacy.md; an event in
    three languages, for the outputs written once per language (`list-of-speakers.<lang>.xlsx`)."""
    event = f.event(
        [f.session("S1")], [f.person("M1", "S1:moderator"), f.person("P1", "S1:speaker")], languages=("en", "fr", "ru")
    )
    write_outputs(build_view(event, release.plan(event, generated_at=f.GENERATED)), tmp_path)
    written = {p.name for p in tmp_path.iterdir()} | {f"calendar/{p.name}" for p in (tmp_path / "calendar").iterdir()}
    written.discard("calendar")
    assert "list-of-speakers.ru.xlsx" in written
    first_cells = re.findall(r"^\| ([^|]+) \|", PRIVACY.read_text(encoding="utf-8"), re.MULTILINE)
    named = {name.rstrip("/").split("/<")[0] for cell in first_cells for name in re.findall(r"`([^`]+)`", cell)}
    # A name with a placeholder in it, `<lang>`, stands for every name written in its place.
    patterns = [re.compile(re.sub(r"<\w+>", r"\\w+", re.escape(name))) for name in named]
    missing = {name for name in written if not any(p.fullmatch(name) for p in patterns)}
    assert not missing, f"docs/privacy.md does not say whether these hold personal data: {sorted(missing)}"
