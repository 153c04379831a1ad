"""The append-only audit log: every insert, update and delete flushed through a session is
recorded with who, when, entity, id and old -> new values.

It hangs on the ORM flush, so every service is covered without remembering to call anything; bulk
Core statements (the demo generator) bypass it and write one summary row themselves.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import JSON, Table, event, insert, inspect, select
from sqlalchemy.orm import Session, object_session

from .actor import actor_of
from .engine import connection_fact, server_audits
from .models import APPEND_ONLY, AuditAction, AuditLog, Base

if TYPE_CHECKING:
    import psycopg

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


WRITES = "records_written"  # session.info: how many records the session has inserted, changed or deleted


def writes(session: Session) -> int:
    """How many records this session has inserted, changed (a value really different) or deleted so
    far: an import compares it before and after a row to tell an updated record from an unchanged one."""
    return int(session.info.get(WRITES, 0))


def _count(session: Session, n: int) -> None:
    if n:
        session.info[WRITES] = writes(session) + n


@event.listens_for(Session, "after_flush")
def _record(session: Session, _ctx: object) -> None:
    # a person's own login on PostgreSQL: the server's triggers audit it, the rows are only counted
    audited = not server_audits(session)
    username = actor_of(session).username if audited else ""
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
    rows += session.info.pop(_DELETED, [])
    _count(session, len(rows))
    if rows and audited:
        session.connection().execute(insert(AuditLog), rows)


_DELETED = "audit_deleted"


@event.listens_for(Base, "after_delete", propagate=True)
def _deleted(_mapper: object, _connection: object, obj: Base) -> None:
    """Each row the flush deletes, as it goes: also an orphan a relationship dropped (a role taken from
    a mentor, a link taken from a rule), which never appears in ``session.deleted``."""
    session = object_session(obj)
    if session is None or isinstance(obj, APPEND_ONLY):
        return
    values = {k: [_plain(getattr(obj, k)), None] for k in _columns(obj)}
    session.info.setdefault(_DELETED, []).append(_row(actor_of(session).username, AuditAction.DELETE, obj, values))


@event.listens_for(Session, "before_flush")
def _forget_failed_flush(session: Session, _ctx: object, _instances: object) -> None:
    """Deletes collected by a flush that then failed were never made: not logged."""
    session.info.pop(_DELETED, None)


@event.listens_for(Session, "before_flush")
def _refuse_audit_edits(session: Session, _ctx: object, _instances: object) -> None:
    """Audit and access rows are append-only, whoever asks."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, APPEND_ONLY) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit and access logs are append-only")


def record_bulk(session: Session, action: AuditAction, entity: str, summary: dict[str, Any]) -> None:
    """One audit row for a bulk Core operation that bypasses the ORM flush (where the server audits,
    its triggers have recorded every row already)."""
    if server_audits(session):
        return
    session.execute(
        insert(AuditLog),
        [{"at": dt.datetime.now().replace(microsecond=0), "username": actor_of(session).username,
          "action": action, "entity": entity, "entity_id": None, "changes": summary}],
    )


def record_rows(session: Session, entity: str, rows: list[tuple[AuditAction, object, dict[str, list[Any]]]]) -> None:
    """Audit rows for records a bulk service wrote with Core statements (bypassing the ORM flush):
    one row per record, (action, id, {column: [old, new]}) with the values already made plain
    (``_plain``), exactly as the flush listener writes them."""
    _count(session, len(rows))
    if not rows or server_audits(session):  # where the server audits, its triggers wrote these rows
        return
    at = dt.datetime.now().replace(microsecond=0)
    username = actor_of(session).username
    insert_rows(session, cast(Table, AuditLog.__table__), [
        {"at": at, "username": username, "action": action, "entity": entity, "entity_id": str(ident),
         "changes": changes} for action, ident, changes in rows])


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows (each with the same keys), the values converted by the columns' own
    SQLAlchemy bind processors (enums, dates, JSON), so the table holds exactly what
    ``execute(insert(table), rows)`` writes, without its per-row overhead. On PostgreSQL the rows go
    through ``COPY`` (one stream instead of one statement per row: ~5x faster for 10,000 students),
    elsewhere through the driver's executemany. Not audited: callers write their audit rows with
    ``record_rows``."""
    if not rows:
        return
    conn = session.connection()
    keys = list(rows[0])
    # COPY is refused under row-level security: a person's own login on a secured server INSERTs
    if conn.dialect.driver == "psycopg" and not connection_fact(conn, "server_audits"):
        processors = [table.c[k].type._cached_bind_processor(conn.dialect) for k in keys]
        preparer = conn.dialect.identifier_preparer
        sql = (f"COPY {preparer.format_table(table)} ({', '.join(preparer.quote(table.c[k].name) for k in keys)}) "
               "FROM STDIN")
        values = _processed(rows, keys, processors, [table.c[k].type for k in keys])
        raw = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)  # the driver, checked above
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)
        return
    execute_many(session, insert(table), rows, column_keys=keys)


def execute_many(session: Session, statement: Any, rows: list[dict[str, Any]],
                 column_keys: list[str] | None = None) -> int:
    """Run one INSERT or UPDATE for many parameter sets (each a dict with the same keys: bind names)
    through the driver's executemany, each value converted by its bind parameter's processor, as
    ``session.execute(statement, rows)`` would; returns the number of rows the statement matched."""
    if not rows:
        return 0
    conn = session.connection()
    compiled = statement.compile(dialect=conn.dialect, column_keys=column_keys)
    names = list(compiled.positiontup) if compiled.positional and compiled.positiontup else list(compiled.binds)
    binds = [compiled.binds[n] for n in names]
    values = _processed(rows, [b.key for b in binds],
                        [b.type._cached_bind_processor(conn.dialect) for b in binds], [b.type for b in binds])
    params: list[Any] = values if compiled.positional else [dict(zip(names, v)) for v in values]
    result = conn.exec_driver_sql(compiled.string, params)
    return result.rowcount


def _processed(rows: list[dict[str, Any]], keys: list[str], processors: list[Any],
               types: list[Any]) -> list[tuple[Any, ...]]:
    """The rows as tuples in ``keys`` order, each value through its processor. A column's processor
    runs once per distinct value (a date, an enum, the same timestamp on every row), not once per
    row: the processors are pure functions of the value, and 30,000 calls of SQLite's date
    formatting were a tenth of a 10,000-student import. JSON values (dicts) are processed each."""
    columns = [[row[k] for row in rows] for k in keys]
    for i, process in enumerate(processors):
        if process is None:
            continue
        column = columns[i]
        if isinstance(types[i], JSON):
            columns[i] = [process(v) for v in column]
            continue
        memo: dict[tuple[type, Any], Any] = {}
        out = []
        for v in column:
            key = (v.__class__, v)  # 1, 1.0 and True are equal, but not processed alike
            try:
                out.append(memo[key])
            except KeyError:
                out.append(memo.setdefault(key, process(v)))
        columns[i] = out
    return list(zip(*columns))


def history(session: Session, entity: str, entity_id: object) -> list[AuditLog]:
    return list(session.scalars(
        select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == str(entity_id))
        .order_by(AuditLog.id)))
