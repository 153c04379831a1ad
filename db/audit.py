"""The append-only audit log: every insert, update and delete flushed through a session is
recorded with who, when, entity, id and old -> new values.

It hangs on the ORM flush, so every service is covered without remembering to call anything; bulk
Core statements (the demo generator) bypass it and write one summary row themselves.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Table, event, insert, inspect, select
from sqlalchemy.orm import Session

from .auth import actor_of
from .models import APPEND_ONLY, AuditAction, AuditLog, Base

_SKIP_COLUMNS = {"version", "created_at", "updated_at", "password_hash"}


_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # the common case, first (an enum is also a str)
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _key(obj: Base) -> str | None:
    state = inspect(obj)
    ident = state.identity or state.mapper.primary_key_from_instance(obj)
    if not ident or all(v is None for v in ident):
        return None
    return "/".join(str(v) for v in ident)


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in _SKIP_COLUMNS]


def _row(username: str, action: AuditAction, obj: Base, changes: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "at": dt.datetime.now().replace(microsecond=0),
        "username": username,
        "action": action,
        "entity": obj.__tablename__,
        "entity_id": _key(obj),
        "changes": changes,
    }


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx: object) -> None:
    username = actor_of(session).username
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, APPEND_ONLY) or not isinstance(obj, Base):
            continue
        values = {k: [None, _plain(getattr(obj, k))] for k in _columns(obj) if getattr(obj, k) is not None}
        rows.append(_row(username, AuditAction.INSERT, obj, values))
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) or not isinstance(obj, Base):
            continue
        state = inspect(obj)
        changes: dict[str, Any] = {}
        for key in _columns(obj):
            hist = state.attrs[key].history
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if _plain(old) != _plain(new):
                    changes[key] = [_plain(old), _plain(new)]
        if changes:
            rows.append(_row(username, AuditAction.UPDATE, obj, changes))
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY) or not isinstance(obj, Base):
            continue
        values = {k: [_plain(getattr(obj, k)), None] for k in _columns(obj)}
        rows.append(_row(username, AuditAction.DELETE, obj, values))
    if rows:
        session.connection().execute(insert(AuditLog), rows)


@event.listens_for(Session, "before_flush")
def _refuse_audit_edits(session: Session, _ctx: object, _instances: object) -> None:
    """Audit and access rows are append-only, whoever asks."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit and access logs are append-only")


def record_bulk(session: Session, action: AuditAction, entity: str, summary: dict[str, Any]) -> None:
    """One audit row for a bulk Core operation that bypasses the ORM flush."""
    session.execute(
        insert(AuditLog),
        [{"at": dt.datetime.now().replace(microsecond=0), "username": actor_of(session).username,
          "action": action, "entity": entity, "entity_id": None, "changes": summary}],
    )


def record_rows(session: Session, entity: str, rows: list[tuple[AuditAction, object, dict[str, Any]]]) -> None:
    """Audit rows for records a bulk service wrote with Core statements (bypassing the ORM flush):
    one row per record, (action, id, {column: [old, new]}), exactly as the flush listener writes them."""
    if not rows:
        return
    at = dt.datetime.now().replace(microsecond=0)
    username = actor_of(session).username
    insert_rows(session, AuditLog.__table__, [
        {"at": at, "username": username, "action": action, "entity": entity, "entity_id": str(ident),
         "changes": {k: [old if type(old) in _AS_IS else _plain(old), new if type(new) in _AS_IS else _plain(new)]
                     for k, (old, new) in changes.items()}}  # _plain inlined for the common types: 10,000s of rows
        for action, ident, changes in rows])


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows (each with the same keys) through the driver's executemany, the values
    converted by the columns' own SQLAlchemy bind processors (enums, dates, JSON), so the table holds
    exactly what ``execute(insert(table), rows)`` writes, without its per-row overhead (a third of a
    10,000-student import). Not audited: callers write their audit rows with ``record_rows``."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    names = list(compiled.positiontup) if compiled.positional and compiled.positiontup else keys
    columns = [compiled.binds[n].key if n in compiled.binds else n for n in names]
    processors = [(i, p) for i, p in enumerate(table.c[c].type._cached_bind_processor(dialect) for c in columns)
                  if p is not None]
    params: list[Any] = []
    for row in rows:
        values = [row[c] for c in columns]
        for i, process in processors:
            values[i] = process(values[i])
        params.append(tuple(values) if compiled.positional else dict(zip(names, values)))
    conn.exec_driver_sql(compiled.string, params)


def history(session: Session, entity: str, entity_id: object) -> list[AuditLog]:
    return list(session.scalars(
        select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == str(entity_id))
        .order_by(AuditLog.id)))
