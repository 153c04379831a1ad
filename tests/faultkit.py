"""Faults made real for the tests: a SQLite disk that is full (PRAGMA max_page_count, no slack left
in the pages a write touches) and a snapshot of a database to compare before and after."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event, inspect, text


def snapshot(engine: Any) -> dict[str, int]:
    """Row counts of every table (the audit and access logs included) and the sum of every version:
    an insert, a delete or an update of any record changes it. One statement, the tables and their
    columns read from the database each time (reflecting every table's columns separately cost more
    than the counting: the fault sweeps take dozens of snapshots)."""
    with engine.connect() as conn:
        versioned = _versioned(conn)
        parts: list[tuple[str, str]] = []
        for name in inspect(conn).get_table_names():
            if name == "_slack":  # the tests' own filler (FullDisk)
                continue
            if name == "audit_log":  # FullDisk's own filler rows (username 'zz') are not the work's
                parts.append((name, "(SELECT count(*) FROM audit_log WHERE username IS NULL OR username <> 'zz')"))
                continue
            parts.append((name, f'(SELECT count(*) FROM "{name}")'))
            if name in versioned:
                parts.append((name + ".version", f'(SELECT coalesce(sum(version), 0) FROM "{name}")'))
        row = conn.execute(text("SELECT " + ", ".join(sql for _, sql in parts))).one()
    return {key: int(value) for (key, _), value in zip(parts, row)}


def _versioned(conn: Any) -> set[str]:
    """The tables that have a version column (one catalogue query, not a reflection of every table)."""
    if conn.dialect.name == "sqlite":
        return set(conn.exec_driver_sql("SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
                                        "WHERE m.type = 'table' AND p.name = 'version'").scalars())
    return set(conn.execute(text("SELECT table_name FROM information_schema.columns WHERE table_schema = "
                                 "current_schema() AND column_name = 'version'")).scalars())


class FullDisk:
    """A SQLite disk with room for ``pages`` more pages than the file has now (every new connection)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.limit: int | None = None
        event.listen(engine, "connect", self._cap)

    def _cap(self, dbapi: Any, _record: Any) -> None:
        if self.limit is not None:
            dbapi.execute(f"PRAGMA max_page_count={self.limit}")

    def room(self, pages: int | None) -> None:
        """Leave ``pages`` free pages, and no slack in the pages every write of TalentDesk touches: the
        audit log's last page is filled up by a scratch row (the audit log takes a row with every change),
        so even a one-field edit needs a new page."""
        self.engine.dispose()
        if pages is None:
            self.limit = None
            return
        path = self.engine.url.database
        raw = sqlite3.connect(path, isolation_level=None)
        try:
            raw.execute("CREATE TABLE IF NOT EXISTS _slack (pad BLOB)")
            used = raw.execute("PRAGMA page_count").fetchone()[0]
            raw.execute(f"PRAGMA max_page_count={used}")
            for size in (4000, 1000, 250, 60, 12, 1):
                while True:
                    try:
                        raw.execute("INSERT INTO _slack VALUES (zeroblob(?))", (size,))
                    except sqlite3.OperationalError:
                        break
            while True:  # the audit log's last page and its indexes' pages: full too
                try:
                    raw.execute("INSERT INTO audit_log (at, username, action, entity, entity_id) "
                                "VALUES ('2000-01-01 00:00:00', 'zz', 'insert', 'zz', 'zz')")
                except sqlite3.OperationalError:
                    break
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            used = raw.execute("PRAGMA page_count").fetchone()[0]
        finally:
            raw.close()
        self.limit = used + pages

    def close(self) -> None:
        self.room(None)
        event.remove(self.engine, "connect", self._cap)
