"""psycopg 3 as TalentDesk connects to PostgreSQL: SQLAlchemy's own dialect, minus the round trips of its
first connection (issue #25).

A new engine's first connection asks the server what SQLAlchemy's dialect needs to know — its version,
``standard_conforming_strings``, the default schema and transaction isolation level, whether hstore is
installed — with a statement each and a transaction around them: nine round trips, 20–45 ms over Wi-Fi
or a VPN, at every sign-in. psycopg already holds the first two (the server sends them while the
connection is made: ``connection.info``) and the one query every new connection runs anyway
(``db.security.probe``, from ``db.engine``'s "connect" listener, which runs before the dialect's set-up)
reads the other two with its own; TalentDesk has no hstore column (``use_native_hstore=False``). So the
set-up reads nothing more. Registered as ``postgresql+talentdesk`` (SQLAlchemy's documented registry for
a dialect of one's own), which ``db.engine.make_engine`` uses for every psycopg URL; its name and driver
stay ``postgresql`` and ``psycopg``.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

# what the probe of a new connection said (db.engine._pg_connect), by its psycopg connection, for the
# set-up that follows it on an engine's first connection; keys as db.security.probe names them
PROBED: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()
SCHEMA = "default_schema"
ISOLATION = "default_isolation"


class PsycopgDialect(PGDialect_psycopg):
    """``PGDialect_psycopg`` whose first-connect set-up takes what psycopg and the connection's probe
    already know, instead of asking the server again. Anything they do not say is asked as before."""

    supports_statement_cache = True  # as its base: compiles the same SQL, caches it the same
    _probed: dict[str, Any] | None = None

    def initialize(self, connection: Any) -> None:
        self._probed = PROBED.pop(connection.connection.dbapi_connection, None)
        try:
            super().initialize(connection)  # type: ignore[no-untyped-call]
        finally:
            self._probed = None

    def _get_server_version_info(self, connection: Any) -> tuple[int, ...]:
        number = connection.connection.dbapi_connection.info.server_version  # e.g. 150018: 15.18
        if not number:
            return super()._get_server_version_info(connection)  # type: ignore[no-untyped-call,no-any-return]
        if number >= 100000:  # PostgreSQL 10 and later: major * 10000 + minor
            return (number // 10000, number % 10000)
        return (number // 10000, number // 100 % 100, number % 100)

    def _set_backslash_escapes(self, connection: Any) -> None:
        value = connection.connection.dbapi_connection.info.parameter_status("standard_conforming_strings")
        if value is None:
            super()._set_backslash_escapes(connection)  # type: ignore[no-untyped-call]
            return
        self._backslash_escapes = value == "off"

    def _get_default_schema_name(self, connection: Any) -> str:
        schema = (self._probed or {}).get(SCHEMA)
        return schema if schema else super()._get_default_schema_name(connection)  # type: ignore[no-untyped-call,no-any-return]

    def get_default_isolation_level(self, dbapi_conn: Any) -> Any:
        level = (self._probed or {}).get(ISOLATION)
        return str(level).upper() if level else super().get_default_isolation_level(dbapi_conn)  # type: ignore[no-untyped-call]


dialect = PsycopgDialect
