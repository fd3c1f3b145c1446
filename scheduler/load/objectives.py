"""The objectives an event's sessions and applicants may name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# The input contract defines the applicants' `objectives` as GCM objective numbers: without an objectives.csv of
# its own, an event uses the GCM's 23 (the list `scheduler init` writes into a new event).
GCM_OBJECTIVES = Path(str(resources.files("scheduler").joinpath("templates", "objectives.csv")))


@dataclass(frozen=True)
class KnownObjectives:
    titles: dict[int, str]  # number -> short label
    from_event: bool  # read from the event's objectives.csv, not the GCM default
    translations: dict[str, dict[int, str]] = field(default_factory=dict)  # language -> number -> label

    def unknown(self, numbers: Iterable[int]) -> tuple[str, str] | None:
        """A message and a hint for the numbers that are not objectives of the event; None when all are."""
        outside = [n for n in numbers if n not in self.titles]
        if not outside:
            return None
        listed = ", ".join(map(str, outside))
        valid = (
            f"valid objectives are {min(self.titles)}-{max(self.titles)}" if self.titles else "it lists none"
        )
        if self.from_event:
            return f"objectives.csv has no objective {listed}", valid
        return (
            f"the GCM has no objective {listed}",
            f"{valid}; for others put an objectives.csv in the event folder",
        )
