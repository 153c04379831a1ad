"""Sign-in hardening (issue 9): failed sign-ins are answered after a growing delay, five in a row
lock the account for 15 minutes, a success resets the count, and a password an administrator set
must be replaced by its owner at the next sign-in (the desktop login asks for it before the main
window). The clock and the sleep are injected: no test waits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from sqlalchemy import func, select

from db.actor import Actor, unit_of_work
from db.auth import (
    LOCK_AFTER,
    LOCK_MINUTES,
    MIN_PASSWORD,
    authenticate,
    change_own_password,
    create_user,
    failure_delay,
    reset_password,
    update_user,
)
from db.errors import PermissionDenied, ValidationError
from db.models import AccessLog, AuditLog, Role, User

T0 = dt.datetime(2026, 11, 16, 9, 0, 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self.slept: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def _sign_in(db: Any, clock: Clock, name: str, password: str):  # type: ignore[no-untyped-def]
    return authenticate(db.factory, name, password, sleep=clock.sleep, now=clock)


def _user(db: Any, name: str) -> User:
    with db.factory() as s:
        user = s.scalar(select(User).where(User.username == name))
        assert user is not None
        s.expunge(user)
        return user


@pytest.fixture
@filled_once
def viewer(sqlite_db: Any, admin: Any) -> Any:
    """The app's own sign-in rules (counted failures, locks, forced changes) on one PC's SQLite file. On a
    shared server the server checks the password with each person's own login: tests/test_server_security.py
    (and auth_delay slows guessing there, README's IT guide)."""
    db = sqlite_db
    with unit_of_work(db.factory, admin) as s:
        create_user(s, admin, "wang", "Wang-pass-2025", Role.VIEWER)
    return db


def test_five_failures_in_a_row_lock_the_account_for_15_minutes(viewer: Any) -> None:
    db, clock = viewer, Clock()
    for n in range(1, LOCK_AFTER):
        with pytest.raises(PermissionDenied, match="Wrong user name or password"):
            _sign_in(db, clock, "wang", f"guess-{n}")
        assert _user(db, "wang").failed_logins == n
    # each failure waits a little longer (never long)
    assert clock.slept == sorted(clock.slept) and clock.slept[0] < clock.slept[-1] <= 3.0
    with pytest.raises(PermissionDenied, match="locked until 09:15"):
        _sign_in(db, clock, "wang", "guess-5")
    user = _user(db, "wang")
    assert (user.failed_logins, user.locked_until) == (LOCK_AFTER, T0 + dt.timedelta(minutes=LOCK_MINUTES))
    # while locked, even the right password is refused
    clock.now = T0 + dt.timedelta(minutes=14, seconds=59)
    with pytest.raises(PermissionDenied, match="locked"):
        _sign_in(db, clock, "wang", "Wang-pass-2025")
    # 15 minutes on, the right password works and the count starts again
    clock.now = T0 + dt.timedelta(minutes=LOCK_MINUTES)
    assert _sign_in(db, clock, "wang", "Wang-pass-2025").username == "wang"
    user = _user(db, "wang")
    assert (user.failed_logins, user.locked_until) == (0, None)
    with db.factory() as s:
        actions = s.scalars(select(AccessLog.action).where(AccessLog.username == "wang").order_by(AccessLog.id)).all()
    assert actions == ["login_failed"] * LOCK_AFTER + ["login_locked", "login"]
    print(f"\nsign-in: locked after {LOCK_AFTER} failures for {LOCK_MINUTES} min; delays {clock.slept} s")


def test_a_success_resets_the_count_and_an_expired_lock_starts_a_new_series(viewer: Any) -> None:
    db, clock = viewer, Clock()
    for _ in range(LOCK_AFTER - 1):
        with pytest.raises(PermissionDenied):
            _sign_in(db, clock, "wang", "nope-nope")
    _sign_in(db, clock, "wang", "Wang-pass-2025")
    assert _user(db, "wang").failed_logins == 0
    for _ in range(LOCK_AFTER - 1):  # four more are not five in a row
        with pytest.raises(PermissionDenied, match="Wrong"):
            _sign_in(db, clock, "wang", "nope-nope")
    for _ in range(1):
        with pytest.raises(PermissionDenied, match="locked"):
            _sign_in(db, clock, "wang", "nope-nope")
    clock.now += dt.timedelta(minutes=LOCK_MINUTES + 1)
    with pytest.raises(PermissionDenied, match="Wrong"):  # after the lock: failure 1 of a new series
        _sign_in(db, clock, "wang", "nope-nope")
    user = _user(db, "wang")
    assert (user.failed_logins, user.locked_until) == (1, None)


def test_unknown_user_is_answered_like_a_wrong_password(viewer: Any) -> None:
    db, clock = viewer, Clock()
    with pytest.raises(PermissionDenied, match="Wrong user name or password"):
        _sign_in(db, clock, "nobody", "whatever-1")
    assert clock.slept == [0.5]


def test_counting_failures_does_not_make_an_open_user_dialog_stale(viewer: Any, admin: Any) -> None:
    db, clock = viewer, Clock()
    before = _user(db, "wang").version
    with pytest.raises(PermissionDenied):
        _sign_in(db, clock, "wang", "nope-nope")
    assert _user(db, "wang").version == before
    with unit_of_work(db.factory, admin) as s:  # an administrator's edit opened before still saves
        update_user(s, admin, _user(db, "wang").id, before, display_name="王老师")


def test_signing_in_does_not_make_an_open_user_dialog_stale(viewer: Any, admin: Any) -> None:
    """A mentor signing in on one PC while an administrator edits that account on another: the
    sign-in records its time (and clears a failure count) but is not an edit, so the
    administrator's save goes through and the audit log gets no row for it (the access log has it)."""
    db, clock = viewer, Clock()
    with pytest.raises(PermissionDenied):
        _sign_in(db, clock, "wang", "nope-nope")
    before = _user(db, "wang")
    with db.factory() as s:
        audit_rows = s.scalar(select(func.count()).select_from(AuditLog))
    clock.now += dt.timedelta(minutes=1)
    _sign_in(db, clock, "wang", "Wang-pass-2025")
    after = _user(db, "wang")
    assert (after.last_login_at, after.failed_logins, after.version) == (clock.now, 0, before.version)
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) == audit_rows
        assert s.scalars(select(AccessLog.action).order_by(AccessLog.id.desc()).limit(1)).one() == "login"
    with unit_of_work(db.factory, admin) as s:
        update_user(s, admin, after.id, before.version, display_name="王老师")
    assert _user(db, "wang").display_name == "王老师"


def test_reset_password_unlocks_and_forces_a_change_at_next_sign_in(viewer: Any, admin: Any) -> None:
    db, clock = viewer, Clock()
    with unit_of_work(db.factory, admin) as s:
        create_user(s, admin, "boss", "Boss-pass-2025", Role.ADMIN)
    boss = authenticate(db.factory, "boss", "Boss-pass-2025")
    assert not boss.must_change_password  # the command line set it for an administrator on this PC
    for _ in range(LOCK_AFTER):
        with pytest.raises(PermissionDenied):
            _sign_in(db, clock, "wang", "nope-nope")
    wang_id = _user(db, "wang").id
    someone = Actor(username="li", role=Role.VIEWER, user_id=wang_id + 1000)
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        with unit_of_work(db.factory, someone) as s:
            reset_password(s, someone, wang_id, "Temp-pass-1")
    with pytest.raises(ValidationError, match=f"at least {MIN_PASSWORD}"):
        with unit_of_work(db.factory, boss) as s:
            reset_password(s, boss, wang_id, "short")
    with unit_of_work(db.factory, boss) as s:
        reset_password(s, boss, wang_id, "Temp-pass-1")
    user = _user(db, "wang")
    assert (user.failed_logins, user.locked_until, user.must_change_password) == (0, None, True)
    actor = _sign_in(db, clock, "wang", "Temp-pass-1")  # the lock is lifted
    assert actor.must_change_password
    with pytest.raises(ValidationError, match="differ from the current"):
        with unit_of_work(db.factory, actor) as s:
            change_own_password(s, actor, "Temp-pass-1", "Temp-pass-1")
    with pytest.raises(ValidationError, match=f"at least {MIN_PASSWORD}"):
        with unit_of_work(db.factory, actor) as s:
            change_own_password(s, actor, "Temp-pass-1", "1234567")
    with unit_of_work(db.factory, actor) as s:
        change_own_password(s, actor, "Temp-pass-1", "Wang-new-2026")
    assert not _sign_in(db, clock, "wang", "Wang-new-2026").must_change_password


def test_a_password_an_administrator_chose_must_be_changed(viewer: Any, admin: Any) -> None:
    """Through the users dialog's service: a new account, and a new password for someone else."""
    db = viewer
    with unit_of_work(db.factory, admin) as s:
        create_user(s, admin, "boss", "Boss-pass-2025", Role.ADMIN)
    boss = authenticate(db.factory, "boss", "Boss-pass-2025")
    with unit_of_work(db.factory, boss) as s:
        create_user(s, boss, "li", "Li-first-2025", Role.VIEWER)
    assert authenticate(db.factory, "li", "Li-first-2025").must_change_password
    with unit_of_work(db.factory, boss) as s:  # an administrator changing their own keeps it
        me = s.get(User, boss.user_id)
        update_user(s, boss, me.id, me.version, password="Boss-new-2026")
    assert not authenticate(db.factory, "boss", "Boss-new-2026").must_change_password


@pytest.mark.gui
def test_login_asks_for_a_new_password_before_the_main_window(qtbot: Any, sqlite_db: Any, admin: Any) -> None:
    from desktop.login import LoginDialog
    from desktop.tasks import TaskRunner

    db = sqlite_db
    with unit_of_work(db.factory, admin) as s:
        user = create_user(s, admin, "wang", "Wang-pass-2025", Role.VIEWER)
        reset_password(s, admin, user.id, "Temp-pass-1")
    dialog = LoginDialog(db.factory, db.target.display(), runner=TaskRunner(synchronous=True))
    qtbot.addWidget(dialog)
    dialog.check_users()
    dialog.show()
    dialog.username.setText("wang")
    dialog.password.setText("Temp-pass-1")
    dialog.submit()
    assert dialog.actor is None and dialog.result() == 0  # not signed in yet
    assert dialog.new_password.isVisible() and not dialog.password.isVisible()
    dialog.new_password.setText("Wang-new-2026")
    dialog.new_password2.setText("Wang-new-20267")
    dialog.submit()
    assert dialog.actor is None and "differ" in dialog.error.text()
    dialog.new_password2.setText("Wang-new-2026")
    dialog.submit()
    assert dialog.actor is not None and not dialog.actor.must_change_password
    assert dialog.result() == dialog.DialogCode.Accepted
    assert not authenticate(db.factory, "wang", "Wang-new-2026").must_change_password


@pytest.mark.gui
def test_a_failed_sign_in_waits_off_the_ui_thread_and_cancel_signs_nobody_in(
        qtbot: Any, sqlite_db: Any, admin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The growing delay after a wrong password must not freeze the window: the delay is slept on the
    worker thread, the dialog keeps its event loop running meanwhile, shows the error when the answer
    comes, and a Cancel pressed during a check means nobody is signed in even if the password was right."""
    import threading
    import time
    import types

    from PySide6.QtCore import QTimer

    from db import auth
    from desktop.login import LoginDialog

    sleepers: list[str] = []

    def recorded_sleep(seconds: float) -> None:
        sleepers.append(threading.current_thread().name)
        time.sleep(seconds)

    monkeypatch.setattr(auth, "time", types.SimpleNamespace(sleep=recorded_sleep))
    db = sqlite_db
    with unit_of_work(db.factory, admin) as s:
        create_user(s, admin, "wang", "Wang-pass-2025", Role.VIEWER)
    dialog = LoginDialog(db.factory, db.target.display())  # the real, threaded runner
    qtbot.addWidget(dialog)
    dialog.check_users()
    dialog.show()
    dialog.username.setText("wang")
    dialog.password.setText("wrong-password")
    ticks: list[float] = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    started = time.monotonic()
    dialog.submit()
    assert time.monotonic() - started < failure_delay(1)  # submit did not wait for the answer
    assert dialog.working and not dialog.ok.isEnabled() and dialog.busy.isVisible() and dialog.checking.isVisible()
    dialog.submit()  # Enter pressed again while the first attempt is checked: ignored
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=10_000)
    assert time.monotonic() - started >= failure_delay(1) * 0.9  # the delay did happen …
    assert sleepers and threading.main_thread().name not in sleepers  # … on the worker, not the UI thread
    assert ticks  # and the UI thread's event loop kept running meanwhile
    assert dialog.actor is None and dialog.ok.isEnabled() and not dialog.busy.isVisible() and dialog.checking.isHidden()
    assert "wrong" in dialog.error.text().lower() or "错误" in dialog.error.text()
    with db.factory() as s:  # one failure counted, not two
        assert s.scalar(select(User.failed_logins).where(User.username == "wang")) == 1

    dialog.password.setText("Wang-pass-2025")
    dialog.submit()
    dialog.reject()  # the user gives up while the right password is being checked
    dialog.runner.wait(10_000)
    qtbot.wait(50)  # the worker's answer is delivered through the event loop
    assert dialog.actor is None and dialog.result() == dialog.DialogCode.Rejected


def test_the_users_list_shows_only_locks_still_in_force() -> None:
    from db.listing import USERS, display

    column = USERS.column("locked_until")
    now = dt.datetime.now().replace(microsecond=0)
    assert display(column, None) == ""
    assert display(column, now - dt.timedelta(minutes=1)) == ""  # ran out: the account signs in again
    later = now + dt.timedelta(minutes=14)
    assert display(column, later) == later.strftime("%Y-%m-%d %H:%M")


def test_production_password_hashing_is_argon2id_at_full_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite hashes cheaply (conftest); what ships is argon2id with at least the library's
    recommended cost (RFC 9106's second choice: 64 MiB, 3 passes), so a stolen database stays expensive."""
    from argon2 import Type
    from conftest import SHIPPED_HASHER

    from db import auth

    monkeypatch.setattr(auth, "_hasher", SHIPPED_HASHER[0])  # the hasher the app runs with, not the suite's
    monkeypatch.setattr(auth, "_dummy_hash", None)
    hasher = auth._hasher
    assert hasher.type is Type.ID
    assert hasher.memory_cost >= 64 * 1024 and hasher.time_cost >= 3
    stored = auth.hash_password("Wang-pass-2025")
    assert stored.startswith("$argon2id$") and "m=65536" in stored
    assert auth.verify_password(stored, "Wang-pass-2025") and not auth.verify_password(stored, "wrong-pass")
