"""scheduler: plans virtual multi-stakeholder meetings and writes what organisers, speakers and moderators need."""

__version__ = "0.1.0"
