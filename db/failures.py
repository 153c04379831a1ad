"""What the database says when it cannot do the work, turned into one sentence a person can act on.

Every statement TalentDesk runs goes through an engine from ``db.engine.make_engine``, which hooks
``on_error`` into SQLAlchemy's ``handle_error`` event. There, and nowhere else:

- a failure of the environment (server unreachable or gone, disk full, file locked by another program,
  read-only file or server, disk I/O error or damaged file) becomes ``DatabaseUnavailable`` with a
  translated sentence saying what happened and what to do; a refused privilege on the server becomes
  ``PermissionDenied``; SQLite's "another connection committed since you read" (SQLITE_BUSY_SNAPSHOT)
  becomes ``ConflictError``, the same lost race PostgreSQL reports as a stale row. All are
  ``TalentDeskError``: every place that shows a service's refusal shows these too. Errors of the
  program (no such table, a syntax error, a constraint) pass unchanged.
- a SQLite transaction the database rolled back on its own is detected. On SQLITE_FULL, SQLITE_IOERR
  and a few others SQLite rolls the *whole* transaction back; SQLAlchemy, which issued the BEGIN, still
  believes one is open, so a caller that carried on (a savepoint per import row, say) would run each
  later statement in autocommit mode and half-write its work. The connection is therefore invalidated
  at once: every later statement of that unit of work fails ("Can't reconnect until invalid
  transaction is rolled back") until the caller rolls back, so nothing after the failure can commit.

The driver's own text is kept as the exception's ``__cause__`` for logs, never shown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import ExceptionContext

from .errors import ConflictError, DatabaseUnavailable, PermissionDenied, TalentDeskError, ValidationError
from .i18n import t

KINDS = ("unreachable", "disk_full", "busy", "read_only", "damaged")


def _unreachable() -> DatabaseUnavailable:
    return DatabaseUnavailable(t("The database server cannot be reached. Check this computer's network "
                                 "connection, or ask IT whether the server is running, then try again. "
                                 "Nothing was saved."), "unreachable")


def _message(kind: str, server: bool = False) -> DatabaseUnavailable:
    if kind == "unreachable":
        return _unreachable()
    if kind == "disk_full":
        text = (t("The database server has run out of disk space. Ask IT to free space on the server, then "
                  "try again. Nothing was saved.") if server else
                t("The disk holding the database is full. Free some space on it, then try again. Nothing "
                  "was saved."))
    elif kind == "busy":
        text = t("The database is busy: another program is writing to it (an import, a backup or another "
                 "TalentDesk window). Try again in a moment. Nothing was saved.")
    elif kind == "read_only":
        text = t("The database cannot be written: the file or its folder is read-only, or the server accepts "
                 "no changes. You can still browse, search, print and export. Nothing was saved.")
    else:
        text = t("The database file could not be read or written (a disk error, or the file is damaged). "
                 "Close TalentDesk and check the disk; if the error comes back, restore the latest backup. "
                 "Nothing was saved.")
    return DatabaseUnavailable(text, kind)


# SQLite primary result codes (sqlite3.h)
_SQLITE = {5: "busy", 6: "busy", 8: "read_only", 10: "damaged", 11: "damaged", 13: "disk_full",
           14: "damaged", 26: "damaged"}
SQLITE_BUSY_SNAPSHOT = 517  # a WAL reader tried to write after another connection committed


def _sqlite_kind(orig: BaseException) -> str | None:
    code = getattr(orig, "sqlite_errorcode", None)
    if code is None:  # Python < 3.11: the message only
        text = str(orig).lower()
        for needle, kind in (("locked", "busy"), ("busy", "busy"), ("readonly", "read_only"),
                             ("disk is full", "disk_full"), ("disk i/o", "damaged"), ("malformed", "damaged"),
                             ("not a database", "damaged")):
            if needle in text:
                return kind
        return None
    if code == SQLITE_BUSY_SNAPSHOT:
        return "snapshot"
    if code == 14 and "unable to open" not in str(orig).lower():
        return None
    return _SQLITE.get(code & 0xFF)


def _pg_kind(orig: BaseException, is_disconnect: bool) -> str | None:
    state = getattr(orig, "sqlstate", None) or ""
    if state == "42501":
        return "denied"
    if state == "42710":
        return "login_taken"
    if state in ("28P01", "28000"):
        return "sign_in"
    if state == "53100" or state.startswith("53"):
        return "disk_full"
    if state == "25006":
        return "read_only"
    if state in ("55P03", "40P01", "40001", "57014"):
        return "busy"
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return "unreachable"
    if is_disconnect:
        return "unreachable"
    if type(orig).__name__ == "OperationalError" and not state:
        # libpq failed before the server answered: refused, timed out, no route, name not known …
        text = str(orig).lower()
        if "password authentication failed" in text or "no password supplied" in text:
            return "sign_in"
        if "does not support ssl" in text or "no pg_hba.conf entry" in text and "no encryption" in text:
            return "tls"
        if "not permitted to log in" in text:
            return "disabled"
        return "unreachable"
    return None


def _lost_transaction(ctx: ExceptionContext) -> bool:
    """SQLite rolled the transaction back on its own while SQLAlchemy believes it is still open."""
    conn = ctx.connection
    if conn is None or conn.invalidated or not conn.in_transaction():
        return False
    try:
        dbapi = conn.connection.dbapi_connection
    except Exception:  # noqa: BLE001 - a connection already closed has no transaction to lose
        return False
    return dbapi is not None and getattr(dbapi, "in_transaction", True) is False


def translate(orig: BaseException, backend: str, is_disconnect: bool = False) -> TalentDeskError | None:
    """The TalentDesk error for the driver's ``orig``, or None when it is not the environment's fault."""
    kind = _sqlite_kind(orig) if backend == "sqlite" else _pg_kind(orig, is_disconnect)
    if kind is None:
        return None
    if kind == "snapshot":
        return ConflictError(t("This record was changed on another computer after you opened it. Reload it "
                               "to see the change."))
    if kind == "denied":
        return PermissionDenied(t("Your database login may not do this. Ask an administrator."))
    if kind == "sign_in":
        return PermissionDenied(t("The database server refused the user name or password."))
    if kind == "login_taken":
        return ValidationError(t("The database server already has a login of that name that is not a TalentDesk "
                                 "user. Choose another user name."),
                               {"username": t("The database server already has a login of that name that is not "
                                              "a TalentDesk user. Choose another user name.")})
    if kind == "disabled":
        return PermissionDenied(t("This account is disabled. Ask an administrator."))
    if kind == "tls":
        return DatabaseUnavailable(t(
            "The database server does not accept encrypted connections, and TalentDesk sends no student data "
            "over the network unencrypted. Ask IT to turn on TLS on the server (ssl = on, hostssl lines in "
            "pg_hba.conf: README, Setting up a shared server)."), "unreachable")
    return _message(kind, server=backend != "sqlite")


def on_error(ctx: ExceptionContext) -> Any:
    """SQLAlchemy's ``handle_error`` hook (see the module's docstring)."""
    if ctx.is_pre_ping:  # the pool replaces a dead connection quietly: nothing to say yet
        return None
    backend = ctx.dialect.name
    if backend == "sqlite" and _lost_transaction(ctx):
        ctx.is_disconnect = True  # invalidate this connection: nothing more runs in the lost transaction
        ctx.invalidate_pool_on_disconnect = False
    orig = ctx.original_exception
    return translate(orig, backend, bool(ctx.is_disconnect))


def generic(exc: BaseException) -> DatabaseUnavailable:
    """Any other database error that reached a person: a sentence, with a short detail for IT."""
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return DatabaseUnavailable(
        t("The database reported an error and the work was not finished. Nothing was saved. Try again; if it "
          "happens again, tell IT: {detail}", detail=(detail[0] if detail else type(exc).__name__)[:200]),
        "damaged")


def said(exc: BaseException) -> TalentDeskError:
    """What to tell the person about ``exc`` raised by a unit of work: the TalentDesk error itself, or a
    database error no rule above names, as ``generic``. Anything else is a bug and is re-raised."""
    if isinstance(exc, TalentDeskError):
        return exc
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        return generic(exc)
    raise exc


__all__ = ["KINDS", "SQLITE_BUSY_SNAPSHOT", "generic", "on_error", "said", "translate"]
