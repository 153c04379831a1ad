"""Small helpers every service uses: load-for-update with an optimistic-lock check, uniqueness
checks that speak the user's language, and applying a dict of parsed values to a record."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .errors import ConflictError, NotFound, ValidationError
from .i18n import t
from .models import Base

M = TypeVar("M", bound=Base)


def get(session: Session, model: type[M], ident: Any, label: str) -> M:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(t("{entity} {key} was not found.", entity=label, key=ident))
    return obj


def conflict() -> ConflictError:
    return ConflictError(
        t("This record was changed on another computer after you opened it. Reload it to see the change.")
    )


def get_for_update(session: Session, model: type[M], ident: Any, expected_version: int | None,
                   label: str | None = None) -> M:
    """Load a record that a dialog opened at ``expected_version``; refuse if it moved on since."""
    obj = session.get(model, ident, populate_existing=True)
    if obj is None:
        raise NotFound(t("{entity} {key} was not found.", entity=label or model.__tablename__, key=ident))
    if expected_version is not None and getattr(obj, "version", None) != expected_version:
        raise conflict()
    return obj


SQLITE_BUSY_SNAPSHOT = 517  # a WAL reader tried to write after another connection committed


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a ConflictError.

    On PostgreSQL the race shows as an UPDATE that matched no row (StaleDataError). On SQLite a
    transaction that read a record and then writes after another PC committed fails with
    SQLITE_BUSY_SNAPSHOT instead: the same lost race, so the same message.
    """
    try:
        session.flush()
    except StaleDataError as exc:
        raise conflict() from exc
    except OperationalError as exc:
        if getattr(exc.orig, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
            raise conflict() from exc
        raise


def ensure_unique(session: Session, model: type[M], field: str, value: Any, *, label: str,
                  exclude_id: Any = None, field_label: str | None = None) -> None:
    col = getattr(model, field)
    if isinstance(value, str) and value.lower() != value.upper():
        cond = func.lower(col) == value.lower()  # letters: 'ai-eng' and 'AI-ENG' are the same code
    else:
        cond = col == value  # digits only (a student number): the unique index answers at once
    stmt = select(model.id).where(cond)  # type: ignore[attr-defined]
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)  # type: ignore[attr-defined]
    if session.scalar(stmt.limit(1)) is not None:
        msg = t("{entity} {key} already exists.", entity=label, key=value)
        raise ValidationError(msg, {field: msg})


def apply(obj: Base, values: dict[str, Any]) -> bool:
    """Set attributes; return whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def record_to_save(session: Session, model: type[M], key: str, data: dict[str, Any], *, record_id: Any,
                   expected_version: int | None, upsert: bool, label: str) -> M | None:
    """The record a create-or-update save changes, or None when it creates one.

    A dialog names the record (``record_id``), checked against the version it opened; an import
    (``upsert``) finds it by its natural ``key``. Either way the key the values carry must stay
    unique (letters compared case-insensitively), excluding the record itself.
    """
    obj: M | None = None
    if record_id is not None:
        obj = get_for_update(session, model, record_id, expected_version, label)
    elif upsert and data.get(key):
        obj = session.scalar(select(model).where(getattr(model, key) == data[key]))
    if key in data:
        ensure_unique(session, model, key, data[key], label=label,
                      exclude_id=obj.id if obj is not None else None)  # type: ignore[attr-defined]
    return obj


def create_or_apply(session: Session, model: type[M], obj: M | None, data: dict[str, Any]) -> tuple[M, bool]:
    """Add a new ``model(**data)`` when ``obj`` is None, else apply ``data`` to it; (record, created)."""
    if obj is None:
        obj = model(**data)
        session.add(obj)
        return obj, True
    apply(obj, data)
    return obj, False
