"""Errors the Qt-free layers raise; each carries a message ready to show a user."""

from __future__ import annotations

from .i18n import t


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


class UnknownReference(ValidationError):
    """A value names a record that does not exist (an unknown student number, course code, season …).
    Unlike a rule broken by a combination of values, it does not depend on the row's other cells: an
    import reports it even on a row whose other cells could not be read."""


def invalid(key: str, message: str, kind: type[ValidationError] = ValidationError) -> ValidationError:
    """``message`` about field ``key``, as a form or an import shows it beside that field."""
    return kind(t("{field}: {reason}", field=key, reason=message), {key: message})


def unknown(key: str, message: str) -> ValidationError:
    """``invalid``, for a value naming no record (an UnknownReference)."""
    return invalid(key, message, UnknownReference)


class RuleViolation(TalentDeskError):
    """A rule of DESIGN.md section 2 would be broken (capacity, one mentor per role …)."""


class ConflictError(TalentDeskError):
    """Someone else saved the record after it was loaded (optimistic locking)."""


class BackupError(TalentDeskError):
    pass


class DatabaseUnavailable(TalentDeskError):
    """The database could not carry out the work: the server cannot be reached, the disk is full, another
    program holds the file, the file cannot be written … (``db/failures.py`` turns the driver's error into
    this, with a sentence saying what happened and what to do). The work in progress was rolled back as a
    whole: nothing of it was written. ``kind`` is one of ``db.failures.KINDS``."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind
