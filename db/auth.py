"""Users, passwords, sign-in and the permission checks every service makes.

Permissions are enforced here, below the UI: a mentor who calls a service for a student who is not
(and never was) their mentee gets ``PermissionDenied`` whatever the screen offered, and a viewer
cannot write.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, sessionmaker

from .errors import PermissionDenied, ValidationError
from .i18n import register, t
from .models import AccessLog, MentorAssignment, Role, User

register(
    {
        "Wrong user name or password.": "用户名或密码错误。",
        "This account is disabled. Ask an administrator.": "此账号已停用，请联系管理员。",
        "The password must have at least {n} characters.": "密码至少需要 {n} 个字符。",
        "A mentor account must be linked to a mentor record.": "导师账号必须关联一位导师。",
        "The current password is wrong.": "当前密码不正确。",
        "The user name is required.": "用户名为必填项。",
        "You cannot disable or demote the last active administrator.": "不能停用或降级最后一位在用的管理员。",
    }
)

MIN_PASSWORD = 8
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the command line (an administrator on this PC)."""

    username: str
    role: Role
    user_id: int | None = None
    mentor_id: int | None = None
    display_name: str = ""

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


# --------------------------------------------------------------------------- sessions


@contextmanager
def unit_of_work(factory: sessionmaker[Session], actor: Actor) -> Iterator[Session]:
    """One transaction on behalf of ``actor``: committed on success, rolled back on any error."""
    with factory() as session:
        session.info["actor"] = actor
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def actor_of(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else SYSTEM


# --------------------------------------------------------------------------- permission checks


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(t("Only an administrator can do this."))


def require_write(actor: Actor) -> None:
    if actor.is_viewer:
        raise PermissionDenied(t("A read-only account cannot change data."))


def mentee_filter(actor: Actor, student_id_col: ColumnElement[int], current_only: bool = False,
                  on: dt.date | None = None) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the actor's mentees (current, or current and former)."""
    cond = [MentorAssignment.mentor_id == actor.mentor_id, MentorAssignment.student_id == student_id_col]
    if current_only:
        day = on or dt.date.today()
        cond += [MentorAssignment.start_on <= day,
                 (MentorAssignment.end_on.is_(None)) | (MentorAssignment.end_on > day)]
    return exists().where(*cond)


def scope_students(stmt: Select, actor: Actor, student_id_col: ColumnElement[int]) -> Select:
    """Apply the read scope: administrators and viewers see all, mentors their own mentees."""
    if actor.is_mentor:
        return stmt.where(mentee_filter(actor, student_id_col))
    return stmt


def check_student_access(session: Session, actor: Actor, student_id: int, write: bool = False) -> None:
    """Raise PermissionDenied unless the actor may read (or write) this student's records."""
    if actor.is_admin:
        return
    if actor.is_viewer:
        if write:
            raise PermissionDenied(t("A read-only account cannot change data."))
        return
    from .models import Student  # local: keeps this module's import light

    ok = session.scalar(
        select(func.count()).select_from(Student).where(
            Student.id == student_id, mentee_filter(actor, Student.id, current_only=write)
        )
    )
    if not ok:
        if write:
            raise PermissionDenied(t("You can only change the records of your current mentees."))
        raise PermissionDenied(t("You can only see the records of your own mentees."))


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
    session.add(AccessLog(username=username, action=action, entity=entity,
                          entity_id=None if entity_id is None else str(entity_id), detail=detail))


def authenticate(factory: sessionmaker[Session], username: str, password: str) -> Actor:
    """Check a sign-in; every attempt is written to the access log."""
    username = username.strip()
    with factory() as session:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        if user is None or not verify_password(user.password_hash, password):
            log_access(session, username, "login_failed")
            session.commit()
            raise PermissionDenied(t("Wrong user name or password."))
        if not user.active:
            log_access(session, user.username, "login_refused")
            session.commit()
            raise PermissionDenied(t("This account is disabled. Ask an administrator."))
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.last_login_at = dt.datetime.now().replace(microsecond=0)
        session.info["actor"] = SYSTEM
        log_access(session, user.username, "login")
        session.commit()
        return actor_for(user)


def actor_for(user: User) -> Actor:
    return Actor(username=user.username, role=user.role, user_id=user.id, mentor_id=user.mentor_id,
                 display_name=user.display_name or user.username)


def create_user(session: Session, actor: Actor, username: str, password: str, role: Role,
                display_name: str | None = None, mentor_id: int | None = None) -> User:
    require_admin(actor)
    username = username.strip()
    if not username:
        raise ValidationError(t("The user name is required."), {"username": t("The user name is required.")})
    if role is Role.MENTOR and mentor_id is None:
        raise ValidationError(t("A mentor account must be linked to a mentor record."),
                              {"mentor": t("A mentor account must be linked to a mentor record.")})
    from .records import ensure_unique

    ensure_unique(session, User, "username", username, label=t("User"))
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                role=role, mentor_id=mentor_id if role is Role.MENTOR else None, active=True)
    session.add(user)
    session.flush()
    return user


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
    user.role = new_role
    user.mentor_id = new_mentor if new_role is Role.MENTOR else None
    if display_name is not None:
        user.display_name = display_name
    if active is not None:
        user.active = active
    if password:
        user.password_hash = hash_password(password)
    session.flush()
    return user


def change_own_password(session: Session, actor: Actor, current: str, new: str) -> None:
    """Any signed-in user, viewers included, may change their own password."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or not verify_password(user.password_hash, current):
        raise ValidationError(t("The current password is wrong."), {"current": t("The current password is wrong.")})
    user.password_hash = hash_password(new)
    session.flush()


def set_own_language(session: Session, actor: Actor, language: str) -> None:
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is not None:
        user.language = language
        session.flush()


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def user_label() -> str:
    return t("User")


register({"User": "用户"})
