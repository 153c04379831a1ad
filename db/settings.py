"""Academy-wide settings kept in the database (one row per key, a small JSON object), shared by every PC:
the one way to read and write them (the no-contact threshold, the academy's name …)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .models import Setting
from .records import flush


def read(session: Session, key: str, field: str) -> Any:
    """The ``field`` of setting ``key``, or None when it was never set."""
    row = session.get(Setting, key)
    return row.value.get(field) if row is not None and isinstance(row.value, dict) else None


def write(session: Session, key: str, value: dict[str, Any]) -> None:
    """Set ``key`` to ``value`` (the caller has checked who may and what is allowed)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    flush(session)
