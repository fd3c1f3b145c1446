"""The registry the rule modules fill as they are imported: each registers one object per rule, by name."""

from __future__ import annotations

from typing import TypeVar

from scheduler.solve.rules.base import Rule

REGISTRY: dict[str, Rule] = {}
R = TypeVar("R", bound=type[Rule])


def register(cls: R) -> R:
    """Class decorator: register the rule's one instance under its name."""
    if cls.name in REGISTRY:
        raise RuntimeError(f"rule {cls.name} is registered twice")
    REGISTRY[cls.name] = cls()
    return cls
