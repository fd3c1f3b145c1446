"""Read .ics files with ical.js (Thunderbird's parser) through node: an independent check of our exporters.

icalendar parses leniently, so reading our own files back with it proves little; ical.js is what Thunderbird
uses. The harness is tests/js/parse_ics.mjs, pinned by tests/js/package-lock.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

JS_DIR = Path(__file__).parent / "js"
SCRIPT = JS_DIR / "parse_ics.mjs"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not on PATH: the ical.js checks need Node.js and npm")
    return found


def ensure_ical_js() -> None:
    """Install the pinned packages (ical.js, axe-core) into tests/js/node_modules if one is not there (a fresh
    clone, or one installed before a package was added)."""
    if all((JS_DIR / "node_modules" / name / "package.json").is_file() for name in ("ical.js", "axe-core")):
        return
    done = subprocess.run(
        [_tool("npm"), "ci", "--no-audit", "--no-fund"],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm ci in {JS_DIR} failed:\n{done.stdout}{done.stderr}")


def parse_with_ical_js(paths: list[Path]) -> dict[str, Any]:
    """Parse the files with ical.js and return its reading: {"files": [{"path", "method", "events": [...]}]}.

    Raises RuntimeError with ical.js's message when a file does not parse.
    """
    ensure_ical_js()
    done = subprocess.run(
        [_tool("node"), str(SCRIPT), *(str(path) for path in paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"node exited with {done.returncode}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result
