"""Who is acting, and the sessions that act on their behalf.

Every service takes the ``Actor`` it works for; ``unit_of_work`` is one transaction on their behalf
(the audit log names them), ``viewing`` reads that leave an access-log line, ``actor_of`` who a session
acts for. Kept apart from sign-in (db.auth) and the permission checks (db.permissions), which both use it.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from .engine import begin_write, reading
from .models import Role


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the command line (an administrator on this PC)."""

    username: str
    role: Role
    user_id: int | None = None
    mentor_id: int | None = None
    display_name: str = ""
    must_change_password: bool = False  # an administrator set the password: replace it before anything else

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_mentor(self) -> bool:
        return self.role is Role.MENTOR

    @property
    def is_viewer(self) -> bool:
        return self.role is Role.VIEWER


def cli_actor() -> Actor:
    """The command line runs with the rights of whoever can reach the database file or server."""
    try:
        who = getpass.getuser()
    except Exception:  # pragma: no cover - no login name on some service accounts
        who = "unknown"
    return Actor(username=f"cli:{who}", role=Role.ADMIN, display_name=f"cli:{who}")


SYSTEM = Actor(username="system", role=Role.ADMIN, display_name="system")


@contextmanager
def unit_of_work(factory: sessionmaker[Session], actor: Actor) -> Iterator[Session]:
    """One transaction on behalf of ``actor``: committed on success, rolled back on any error."""
    with factory() as session:
        session.info["actor"] = actor
        begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def viewing(factory: sessionmaker[Session], actor: Actor) -> Iterator[Session]:
    """Reads on behalf of ``actor`` that leave a line in the access log (opening a student's record).

    On PostgreSQL outside a transaction (``db.engine.reading``): the log line is one statement, all or
    nothing by itself, so the BEGIN and COMMIT a unit of work would wrap around it are two round trips for
    nothing over the office network (issue #25). On SQLite a unit of work (its write lock taken at BEGIN)."""
    reader = reading(factory)
    if reader is factory:
        with unit_of_work(factory, actor) as session:
            yield session
        return
    with reader() as session:
        session.info["actor"] = actor
        yield session
        session.commit()  # writes a log line added through the ORM (IT's owner login); otherwise nothing to send


def actor_of(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else SYSTEM
