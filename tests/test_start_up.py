"""Start-up as a person sees it: the sign-in dialog appears before the database is open (SQLAlchemy,
the models, the connection, an upgrade and the day's backup all happen on a worker while the user
types); Sign in pressed early is answered once the database is ready; the first-administrator form,
a database that cannot be opened and Cancel each behave as they did when the database was opened
first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from db.actor import unit_of_work
from db.auth import create_user
from db.models import Role

ROOT = Path(__file__).resolve().parents[1]


class Prompts:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, _parent: Any, _title: str, text: str) -> None:
        self.errors.append(text)


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    """run() reads and the main window writes the user's settings: keep them out of the real ones."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def _with_user(db: Any, admin: Any) -> None:
    with unit_of_work(db.factory, admin) as s:
        create_user(s, admin, "wang", "Wang-pass-2025", Role.ADMIN)


def _login_dialog() -> Any:
    from desktop.login import LoginDialog

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]
    return found[0] if found else None


def _main_window() -> Any:
    from desktop.mainwindow import MainWindow

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    return found[0] if found else None


class _Driver(QObject):
    """Polls the event loop run() is in: each step returns True when done (then the next runs).

    No closure refers back to the timer (a QObject caught in a reference cycle is destroyed by the
    cycle collector, at any moment, and PySide can crash doing that)."""

    def __init__(self, steps: list[Any], seen: dict[str, Any], timeout_ms: int = 20_000) -> None:
        super().__init__()
        self.steps, self.seen, self.left_ms = list(steps), seen, timeout_ms
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        self.left_ms -= 10
        if self.left_ms < 0:  # never hang the suite: give up and close whatever is open
            self.seen["timed_out"] = True
            for w in QApplication.topLevelWidgets():
                w.close()
            self.timer.stop()
            return
        while self.steps and self.steps[0]():
            self.steps.pop(0)
        if not self.steps:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()


def _drive(steps: list[Any], seen: dict[str, Any]) -> _Driver:
    return _Driver(steps, seen)


def test_the_app_modules_shown_before_sign_in_import_no_database_code() -> None:
    """What runs before the sign-in dialog paints: no SQLAlchemy, no models, no Alembic."""
    code = ("import sys, desktop.app, desktop.login, desktop.style; "
            "print(sorted(m.split('.')[0] for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', "
            "'db.models', 'db.auth', 'db.engine', 'psycopg'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout


def test_sign_in_pressed_while_the_database_opens_signs_in_once_it_is_ready(
        qapp: Any, sqlite_db: Any, admin: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from desktop import app as desktop_app

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    _with_user(sqlite_db, admin)
    seen: dict[str, Any] = {}
    opened_at_submit: list[bool] = []

    def type_and_press() -> bool:
        dialog = _login_dialog()
        if dialog is None:
            return False
        seen["dialog"] = True
        seen["status_while_opening"] = dialog.checking.text()
        opened_at_submit.append(dialog.opened is not None)
        dialog.username.setText("wang")
        dialog.password.setText("Wang-pass-2025")
        dialog.ok.click()
        return True

    def window_shown() -> bool:
        window = _main_window()
        if window is None:
            return False
        seen["user"] = window.ctx.actor.username
        seen["database"] = window.ctx.target.display()
        window.close()
        return True

    driver = _drive([type_and_press, window_shown], seen)
    prompts = Prompts()
    code = desktop_app.run(str(sqlite_db.target.sqlite_path), [], prompts=prompts)  # type: ignore[arg-type]
    driver.stop()
    assert not seen.get("timed_out") and code == 0 and prompts.errors == []
    assert opened_at_submit == [False]  # pressed before the database was open …
    assert seen["status_while_opening"] == "Opening the database…"
    assert seen["user"] == "wang" and seen["database"] == str(sqlite_db.target.sqlite_path)  # … and signed in


def test_a_new_database_is_created_behind_the_dialog_which_offers_the_first_administrator(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db import migrate
    from db.engine import make_engine, resolve
    from desktop import app as desktop_app

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    path = tmp_path / "new.db"
    seen: dict[str, Any] = {}

    def first_admin_form() -> bool:
        dialog = _login_dialog()
        if dialog is None or dialog.opened is None:
            return False
        seen["first_admin"] = dialog.first_admin
        seen["title"] = dialog.windowTitle()
        seen["busy"] = dialog.busy.isVisible()
        dialog.reject()
        return True

    driver = _drive([first_admin_form], seen)
    prompts = Prompts()
    code = desktop_app.run(str(path), [], prompts=prompts)  # type: ignore[arg-type]
    driver.stop()
    assert not seen.get("timed_out") and code == 0 and prompts.errors == []
    assert seen == {"first_admin": True, "title": "Create the first administrator", "busy": False}
    engine = make_engine(resolve(str(path)))
    try:
        assert not migrate.needs_upgrade(engine)  # created at head while the dialog was up
    finally:
        engine.dispose()


def test_a_database_that_cannot_be_opened_closes_the_dialog_with_the_reason(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import app as desktop_app

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    seen: dict[str, Any] = {}
    driver = _drive([], seen)
    prompts = Prompts()
    code = desktop_app.run("//fileserver/share/talentdesk.db", [], prompts=prompts)  # type: ignore[arg-type]
    driver.stop()
    assert code == 2 and len(prompts.errors) == 1 and "network" in prompts.errors[0]
    assert _login_dialog() is None


def test_cancel_while_the_database_opens_signs_nobody_in(
        qapp: Any, sqlite_db: Any, admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop import app as desktop_app

    monkeypatch.setenv("TALENTDESK_LANG", "en")
    _with_user(sqlite_db, admin)
    seen: dict[str, Any] = {}

    def type_press_and_cancel() -> bool:
        dialog = _login_dialog()
        if dialog is None:
            return False
        dialog.username.setText("wang")
        dialog.password.setText("Wang-pass-2025")
        dialog.ok.click()
        dialog.reject()
        return True

    driver = _drive([type_press_and_cancel], seen)
    prompts = Prompts()
    code = desktop_app.run(str(sqlite_db.target.sqlite_path), [], prompts=prompts)  # type: ignore[arg-type]
    driver.stop()
    assert not seen.get("timed_out") and code == 0 and prompts.errors == []
    assert _main_window() is None
