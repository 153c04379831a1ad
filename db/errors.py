"""Errors the Qt-free layers raise; each carries a message ready to show a user."""

from __future__ import annotations


class TalentDeskError(Exception):
    """Base class: ``str(err)`` is a complete, translated sentence for the user."""


class DatabaseLocationError(TalentDeskError):
    """The database cannot live where it was asked to (e.g. SQLite on a network share)."""


class DatabaseError(TalentDeskError):
    """The database cannot be opened, is not set up, or is of an unknown revision."""


class PermissionDenied(TalentDeskError):
    """The signed-in user may not do this; raised by the services, whatever the UI showed."""


class NotFound(TalentDeskError):
    pass


class ValidationError(TalentDeskError):
    """Bad values; ``errors`` maps field key -> message."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class RuleViolation(TalentDeskError):
    """A rule of DESIGN.md section 2 would be broken (capacity, one mentor per role …)."""


class ConflictError(TalentDeskError):
    """Someone else saved the record after it was loaded (optimistic locking)."""


class BackupError(TalentDeskError):
    pass
