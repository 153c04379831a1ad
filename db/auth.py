"""Users, passwords and sign-in: the app's own (one PC's SQLite file) and a person's own login on a
shared PostgreSQL server. Who is acting is db.actor; what they may do is db.permissions.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from .engine import DatabaseTarget

from .actor import SYSTEM, Actor, cli_actor
from .engine import owner_connection, server_audits, server_logins
from .errors import PermissionDenied, ValidationError
from .i18n import t
from .models import AccessLog, Role, User
from .permissions import require_admin

MIN_PASSWORD = 8
LOCK_AFTER = 5  # failed sign-ins in a row that lock an account …
LOCK_MINUTES = 15  # … for this long
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def command_line_actor(factory: sessionmaker[Session]) -> Actor:
    """Who the command line acts as. On SQLite: the local administrator (whoever holds the file holds the
    data). On a secured PostgreSQL server: the login in the URL, as the server knows it: IT's owner login
    is an administrator; a person's login is that person, refused by the server what their role may not do."""
    with factory() as session:
        if not server_logins(session):
            return cli_actor()
        login = session.scalar(select(func.session_user())) or ""
        if owner_connection(session):
            return Actor(username=login, role=Role.ADMIN, display_name=login)
        user = session.scalar(select(User).where(User.username == login))
        if user is None or not user.active:
            raise PermissionDenied(t("The database login {login} is not an active TalentDesk user.", login=login))
        return actor_for(user)


def sign_in_to_server(target: DatabaseTarget, username: str, password: str,
                      ) -> tuple[Actor, Engine, sessionmaker[Session]]:
    """Sign in to a PostgreSQL server as the person: their own login, their password checked by the
    server (a wrong one, a disabled account: PermissionDenied). Returns who they are and the engine and
    sessions that act as them from now on; nothing of the URL's own user or password is used."""
    from .engine import make_engine, reading, session_factory

    username = username.strip()
    url = target.url.set(username=username, password=password)
    engine = make_engine(type(target)(url))
    factory = session_factory(engine)
    try:
        # outside a transaction (no BEGIN, no COMMIT): one read, and one write that is all or nothing alone
        with reading(factory)() as session:
            session.info["actor"] = SYSTEM
            who = select(User).where(User.username == func.session_user())
            logged = server_audits(session)
            if logged:  # the account and, for an active one, the server's access-log row of the sign-in: one statement
                row = session.execute(who.add_columns(case((User.active, _log_access_call("login"))))).first()
                user = row[0] if row is not None else None
            else:
                user = session.scalar(who)
            if user is None or not user.active:
                raise PermissionDenied(t("The database login {login} is not an active TalentDesk user.",
                                         login=username))
            if not logged:
                log_access(session, user.username, "login")
                session.commit()
            actor = actor_for(user)
    except BaseException:
        engine.dispose()
        raise
    return actor, engine, factory


def is_owner(factory: sessionmaker[Session]) -> bool:
    """The connection is the database owner's (IT's login): SQLite's file, or PostgreSQL's owner."""
    with factory() as session:
        return owner_connection(session)


# --------------------------------------------------------------------------- passwords and users


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(t("The password must have at least {n} characters.", n=MIN_PASSWORD),
                              {"password": t("The password must have at least {n} characters.", n=MIN_PASSWORD)})
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def log_access(session: Session, username: str | None, action: str, entity: str | None = None,
               entity_id: object = None, detail: str | None = None) -> None:
    if session.info.get("read_only"):  # a read-only database records nothing, reading included
        return
    if server_audits(session):  # a person's own login may not write the log: the server does, naming them
        session.execute(select(_log_access_call(action, entity, entity_id, detail)))
        return
    session.add(AccessLog(username=username, action=action, entity=entity,
                          entity_id=None if entity_id is None else str(entity_id), detail=detail))


def _log_access_call(action: str, entity: str | None = None, entity_id: object = None,
                     detail: str | None = None) -> Any:
    """The server's access-log row for a person's own login (``server_audits``), as an SQL expression: it
    writes the row, naming the login, wherever a statement evaluates it."""
    return func.talentdesk_log_access(action, entity, None if entity_id is None else str(entity_id), detail)


def failure_delay(failures: int) -> float:
    """Seconds a failed sign-in waits before it answers: 0.5, 1, 2, then 3 s (it grows, but stays short)."""
    return min(0.5 * 2.0 ** (max(failures, 1) - 1), 3.0)


_dummy_hash: str | None = None


def _spend_a_verify(password: str) -> None:
    """Hash work for an unknown user name, so the answer takes as long as for a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password")
    verify_password(_dummy_hash, password)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def authenticate(factory: sessionmaker[Session], username: str, password: str, *,
                 sleep: Callable[[float], None] | None = None,
                 now: Callable[[], dt.datetime] | None = None) -> Actor:
    """Check a sign-in; every attempt is written to the access log.

    A failed attempt is counted on the account and answered after a short delay that grows with
    each failure in a row (``failure_delay``); the ``LOCK_AFTER``-th failure in a row locks the
    account for ``LOCK_MINUTES`` minutes, during which even the right password is refused. A
    successful sign-in resets the count. ``sleep`` and ``now`` are injectable for tests.
    """
    sleep = sleep or time.sleep
    clock = now or _now
    username = username.strip()
    delay = 0.0
    try:
        with factory() as session:
            session.info["actor"] = SYSTEM
            # FOR UPDATE: two PCs failing at once on PostgreSQL count two failures, not one
            user = session.scalar(select(User).where(func.lower(User.username) == username.lower())
                                  .with_for_update())
            at = clock()
            if user is None:
                _spend_a_verify(password)
                log_access(session, username, "login_failed")
                session.commit()
                delay = failure_delay(1)
                raise PermissionDenied(t("Wrong user name or password."))
            if user.locked_until is not None and user.locked_until > at:
                log_access(session, user.username, "login_locked")
                session.commit()
                delay = failure_delay(LOCK_AFTER)
                raise PermissionDenied(_locked_message(user.locked_until))
            if not user.active and server_logins(session):
                # the server refuses a disabled login before any password is checked (NOLOGIN)
                log_access(session, user.username, "login_refused")
                session.commit()
                raise PermissionDenied(t("This account is disabled. Ask an administrator."))
            if not _current_password_holds(session, user, password):
                # a lock that ran out starts a new series of failures
                failures = (0 if user.locked_until is not None else user.failed_logins) + 1
                locked = at + dt.timedelta(minutes=LOCK_MINUTES) if failures >= LOCK_AFTER else None
                # a plain UPDATE: counting a failure is not an edit of the account (no version bump,
                # so an administrator's open dialog on this user does not turn stale)
                if not session.info.get("read_only"):
                    session.execute(update(User).where(User.id == user.id)
                                    .values(failed_logins=failures, locked_until=locked)
                                    .execution_options(synchronize_session=False))
                log_access(session, user.username, "login_failed",
                           detail=f"{failures} in a row" + (f", locked until {locked.isoformat()}" if locked else ""))
                session.commit()
                delay = failure_delay(failures)
                if locked is not None:
                    raise PermissionDenied(_locked_message(locked))
                raise PermissionDenied(t("Wrong user name or password."))
            if not user.active:
                log_access(session, user.username, "login_refused")
                session.commit()
                raise PermissionDenied(t("This account is disabled. Ask an administrator."))
            # A plain UPDATE, as for a failure: signing in is not an edit of the account (no version
            # bump, so an administrator's dialog open on this user still saves; the access log, not
            # the audit log, records sign-ins)
            values: dict[str, object] = {"last_login_at": at}
            if not server_logins(session) and _hasher.check_needs_rehash(user.password_hash):
                values["password_hash"] = _hasher.hash(password)
            if user.failed_logins or user.locked_until is not None:
                values.update(failed_logins=0, locked_until=None)
            if not session.info.get("read_only"):
                session.execute(update(User).where(User.id == user.id).values(**values)
                                .execution_options(synchronize_session=False))
            log_access(session, user.username, "login")
            session.commit()
            return actor_for(user)
    finally:
        if delay:
            sleep(delay)  # after the transaction: a slow answer holds no lock


def _locked_message(until: dt.datetime) -> str:
    return t("Too many failed sign-ins: this account is locked until {time}. Try again then, or ask an "
             "administrator to reset the password.", time=until.strftime("%H:%M"))


def actor_for(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, user_id=user.id, mentor_id=user.mentor_id,
                 display_name=user.display_name or user.username,
                 must_change_password=bool(user.must_change_password))


def create_user(session: Session, actor: Actor, username: str, password: str, role: Role,
                display_name: str | None = None, mentor_id: int | None = None,
                must_change_password: bool | None = None) -> User:
    """A new account. When a signed-in administrator chose the password for someone else, its owner
    must replace it at the first sign-in (``must_change_password`` overrides that default)."""
    require_admin(actor)
    username = username.strip()
    if not username:
        raise ValidationError(t("The user name is required."), {"username": t("The user name is required.")})
    if role is Role.MENTOR and mentor_id is None:
        raise ValidationError(t("A mentor account must be linked to a mentor record."),
                              {"mentor": t("A mentor account must be linked to a mentor record.")})
    from .records import ensure_unique

    ensure_unique(session, User, "username", username, label=t("User"))
    if role is Role.MENTOR:
        _one_account_per_mentor(session, mentor_id)
    must_change = actor.user_id is not None if must_change_password is None else must_change_password
    if server_logins(session):  # a login role of the server, which checks the password from now on
        _check_password(password)
        new_id = session.scalar(select(func.talentdesk_create_user(
            username, _verifier(session, username, password), role.value,
            mentor_id if role is Role.MENTOR else None, display_name or username, must_change)))
        user = session.get(User, new_id)
        assert user is not None
        _audit_on_owner(session, "insert", user, {
            "username": [None, username], "display_name": [None, user.display_name], "role": [None, role.value],
            "mentor_id": [None, user.mentor_id], "active": [None, True]})
        return user
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                role=role, mentor_id=mentor_id if role is Role.MENTOR else None, active=True,
                must_change_password=(actor.user_id is not None if must_change_password is None
                                      else must_change_password))
    session.add(user)
    session.flush()
    return user


def _one_account_per_mentor(session: Session, mentor_id: int | None, user_id: int | None = None) -> None:
    """A mentor record has at most one account (users.mentor_id is unique): say which one it has, in the
    person's words, instead of the database's unique-constraint error."""
    if mentor_id is None:
        return
    stmt = select(User.username).where(User.mentor_id == mentor_id)
    if user_id is not None:
        stmt = stmt.where(User.id != user_id)
    other = session.scalar(stmt)
    if other is not None:
        message = t("This mentor already has the account {user}: a mentor has one account.", user=other)
        raise ValidationError(message, {"mentor": message})


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)) or 0


def update_user(session: Session, actor: Actor, user_id: int, expected_version: int, *, role: Role | None = None,
                display_name: str | None = None, mentor_id: int | None = None, active: bool | None = None,
                password: str | None = None) -> User:
    require_admin(actor)
    from .records import get_for_update

    user = get_for_update(session, User, user_id, expected_version)
    demoting = (role is not None and role is not Role.ADMIN) or active is False
    if user.role is Role.ADMIN and user.active and demoting and _active_admins(session) <= 1:
        raise ValidationError(t("You cannot disable or demote the last active administrator."))
    new_role = role or user.role
    new_mentor = mentor_id if mentor_id is not None else user.mentor_id
    if new_role is Role.MENTOR and new_mentor is None:
        raise ValidationError(t("A mentor account must be linked to a mentor record."),
                              {"mentor": t("A mentor account must be linked to a mentor record.")})
    if new_role is Role.MENTOR and new_mentor != user.mentor_id:
        _one_account_per_mentor(session, new_mentor, user.id)
    if server_logins(session):  # the login role changes with the account, through the server's functions
        if display_name is not None and display_name != user.display_name:
            user.display_name = display_name
            session.flush()
        changes: dict[str, list[Any]] = {}
        if new_role is not user.role or (new_role is Role.MENTOR and new_mentor != user.mentor_id):
            session.execute(select(func.talentdesk_set_role(user.username, new_role.value,
                                                            new_mentor if new_role is Role.MENTOR else None)))
            changes["role"] = [user.role.value, new_role.value]
        if active is not None and active != user.active:
            session.execute(select(func.talentdesk_set_active(user.username, active)))
            changes["active"] = [user.active, active]
        if password:
            _server_password(session, user.username, password, own=actor.user_id == user.id)
        session.refresh(user)
        if changes:
            _audit_on_owner(session, "update", user, changes)
        return user
    user.role = new_role
    user.mentor_id = new_mentor if new_role is Role.MENTOR else None
    if display_name is not None:
        user.display_name = display_name
    if active is not None:
        user.active = active
    if password:
        _set_password(user, password, by=actor)
    session.flush()
    return user


def _check_password(password: str) -> None:
    hash_password(password)  # the length rule, and nothing stored


def _verifier(session: Session, username: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made by libpq on this side: the password itself never
    reaches the server, its logs or pg_stat_activity."""
    pgconn = session.connection().connection.dbapi_connection.pgconn  # type: ignore[union-attr]
    verifier: bytes = pgconn.encrypt_password(password.encode(), username.encode(), b"scram-sha-256")
    return verifier.decode()


def _server_password(session: Session, username: str, password: str, own: bool = False) -> None:
    """A new password for ``username``'s login. Set by someone else, its owner must replace it at the next
    sign-in (the server decides that from the login asking); ``own`` says the person is changing their
    own on IT's connection, where the server cannot tell."""
    _check_password(password)
    session.execute(select(func.talentdesk_set_password(username, _verifier(session, username, password))))
    if own and owner_connection(session):
        session.execute(update(User).where(User.username == username).values(must_change_password=False)
                        .execution_options(synchronize_session=False))


def _audit_on_owner(session: Session, action: str, user: User, changes: dict[str, list[Any]]) -> None:
    """An account changed through the server's functions, on IT's connection: the server's triggers leave
    the owner's changes to the app, and the app's flush never saw these, so the row is written here."""
    if not owner_connection(session):
        return
    from .audit import record_rows
    from .models import AuditAction

    record_rows(session, "users", [(AuditAction(action), user.id, changes)])


def _set_password(user: User, password: str, by: Actor) -> None:
    """A password set by an administrator for someone else: the owner must replace it at the next
    sign-in; any lock from failed sign-ins is lifted."""
    user.password_hash = hash_password(password)
    user.must_change_password = by.user_id != user.id
    user.failed_logins = 0
    user.locked_until = None


def reset_password(session: Session, actor: Actor, user_id: int, password: str) -> User:
    """An administrator resets a user's password (a forgotten one, a locked account)."""
    require_admin(actor)
    from .records import get

    user = get(session, User, user_id, t("User"))
    if server_logins(session):
        _server_password(session, user.username, password)
        session.refresh(user)
        return user
    _set_password(user, password, by=actor)
    session.flush()
    return user


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """Any signed-in user, viewers included, may change their own password."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not _current_password_holds(session, user, current):
        raise ValidationError(t("The current password is wrong."), {"current": t("The current password is wrong.")})
    if new == current:
        msg = t("The new password must differ from the current one.")
        raise ValidationError(msg, {"new": msg})
    if server_logins(session):
        _server_password(session, user.username, new, own=True)
        session.refresh(user)
        return
    user.password_hash = hash_password(new)
    user.must_change_password = False
    session.flush()


def _current_password_holds(session: Session, user: User, current: str) -> bool:
    """The password typed is the user's: checked against the stored hash, or on a secured server by
    signing in with it once more (only the server knows it)."""
    if not server_logins(session):
        return verify_password(user.password_hash, current)
    import psycopg

    url = session.get_bind().engine.url.set(drivername="postgresql", username=user.username, password=current)
    try:
        psycopg.connect(url.render_as_string(hide_password=False), connect_timeout=10).close()
    except psycopg.OperationalError:
        return False
    return True


def own_language(session: Session, actor: Actor) -> str | None:
    """The language the person chose (saved with their account, so it follows them to any PC)."""
    if not actor.user_id:
        return None
    value = session.scalar(select(User.language).where(User.id == actor.user_id))
    return value if value in ("zh", "en") else None


def set_own_language(session: Session, actor: Actor, language: str) -> None:
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is not None:
        user.language = language
        session.flush()


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def user_label() -> str:
    return t("User")


