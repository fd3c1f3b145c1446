"""Intake: registration exports of any form tool into the event's applicants sheet (`scheduler import`)."""

from scheduler.intake.importer import Report, import_registrations
from scheduler.intake.suggest import suggest_mapping

__all__ = ["Report", "import_registrations", "suggest_mapping"]
