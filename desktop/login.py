"""Sign-in dialog; on an empty database it says so and can create the first administrator; a user
whose password an administrator set chooses a new one here before the main window opens.

At start-up the dialog is shown before the database is open (``open_database``): the user types
while a worker connects, upgrades and counts the users; Sign in pressed before that is answered when
the database is ready. This module imports neither SQLAlchemy nor the models at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import PermissionDenied, TalentDeskError, ValidationError

from .plain import Label
from .tasks import BusyIndicator, TaskContext, TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from db.actor import Actor

    from .app import OpenedDatabase


class LoginDialog(QDialog):
    """User name and password; Enter signs in; the error is shown in the dialog, not a message box.

    ``actor`` holds who signed in after ``exec()`` returned Accepted. ``check_users()`` (I/O) switches
    to the first-administrator form when the database has no users yet.

    Checking a password runs on a worker thread (``runner``): argon2 takes a moment and a failed
    sign-in is answered only after a growing delay, during which the dialog stays responsive (a busy
    bar runs, Sign in is disabled, Cancel works). Tests pass a synchronous runner.
    """

    def __init__(self, factory: sessionmaker[Session] | None, database: str, parent: QWidget | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.factory = factory  # None until open_database's worker has opened it
        self.opened: OpenedDatabase | None = None
        self.open_error: BaseException | None = None  # the database could not be opened: run() says why
        self._submit_when_open = False  # Sign in pressed before the database was ready
        self._open_later: Callable[[], Any] | None = None  # open_database's start, run after the first paint
        self._open_timer = QTimer(self)  # a child: never holds the dialog alive from outside
        self._open_timer.setSingleShot(True)
        self._open_timer.timeout.connect(self._begin_opening)
        self.runner = runner or TaskRunner(parent=self)
        self.working = False  # a sign-in or password change is being checked on the worker
        self._closed = False  # cancelled: an answer still coming from the worker is ignored
        self.actor: Actor | None = None
        self.first_admin = False
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in to TalentDesk"))
        self.setMinimumWidth(400)
        title = Label(self.tr("TalentDesk talent training desk"), self)
        title.setProperty("role", "heading")
        self.notice = Label(self)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = Label(self)
        self.error.setObjectName("loginError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.busy = BusyIndicator(self)
        self.busy.setToolTip(self.tr("Checking…"))
        self.checking = Label(self.tr("Checking…"), self)
        self.checking.setProperty("role", "hint")
        self.checking.hide()
        self.form = QFormLayout()
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.password2)
        self.form.setRowVisible(self.password2, False)
        # shown only when an administrator set the password: the user must choose a new one
        self.new_password = QLineEdit(self)
        self.new_password.setObjectName("newPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password2 = QLineEdit(self)
        self.new_password2.setObjectName("newPassword2")
        self.new_password2.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.addRow(self.tr("New password"), self.new_password)
        self.form.addRow(self.tr("New password again"), self.new_password2)
        self.form.setRowVisible(self.new_password, False)
        self.form.setRowVisible(self.new_password2, False)
        self.pending: Actor | None = None  # signed in, but must change the password first
        self._old_password = ""
        # while open_database runs the location is not resolved yet: "…" keeps the line (no jump)
        self.db_label = db_label = Label(self.tr("Database: {db}").format(db=database or "…"), self)
        db_label.setProperty("role", "hint")
        db_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = QPushButton(self.tr("Sign in"), self)
        self.ok.setObjectName("signIn")
        self.ok.setDefault(True)
        self.buttons.addButton(self.ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.notice)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.checking)
        busy_row.addWidget(self.busy)
        busy_row.addStretch(1)
        layout.addLayout(busy_row)
        layout.addWidget(db_label)
        layout.addWidget(self.buttons)

    def open_database(self, work: Callable[[TaskContext], OpenedDatabase], runner: TaskRunner,
                      warm_up: Callable[[TaskContext], None] | None = None) -> None:
        """Open the database with ``work`` on ``runner``'s worker once the dialog has been painted, then
        run ``warm_up`` there (module imports for the main window) while the user types on."""
        self.checking.setText(self.tr("Opening the database…"))
        self.checking.show()
        self.busy.start()

        def opened(result: OpenedDatabase) -> None:
            self.opened = result
            if self._closed:
                return  # cancelled meanwhile: run() disposes of the engine
            self.busy.stop()
            self.checking.setText(self.tr("Checking…"))
            self.factory = result.factory
            self.db_label.setText(self.tr("Database: {db}").format(db=result.target.display()))
            if not result.has_users:
                self._first_admin_form()
            if warm_up is not None:  # an import error there surfaces again, and is shown, after sign-in
                runner.run(warm_up, parent=None, label="", quiet=True, on_failure=lambda _exc: None)
            queued, self._submit_when_open = self._submit_when_open, False
            self._finish()
            if queued and result.has_users:
                self.submit()

        def failed(exc: BaseException) -> None:
            self.open_error = exc
            if not self._closed:
                self.busy.stop()
                self.reject()

        self._open_later = lambda: runner.run(work, parent=None, label="", quiet=True, on_success=opened,
                                              on_failure=failed)
        # The imports on the worker hold Python's lock much of the time: let the dialog paint first
        # (paintEvent starts the timer at once; 200 ms is the fallback should no paint come).
        self._open_timer.start(200)

    def _begin_opening(self) -> None:
        start, self._open_later = self._open_later, None  # also breaks the dialog <-> closure cycle
        self._open_timer.stop()
        if start is not None:
            start()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._open_later is not None:
            self._open_timer.start(0)

    def check_users(self) -> None:
        from db.auth import count_users

        assert self.factory is not None
        with self.factory() as session:
            empty = count_users(session) == 0
        if empty:
            self._first_admin_form()

    def _first_admin_form(self) -> None:
        self.first_admin = True
        self.setWindowTitle(self.tr("Create the first administrator"))
        self.notice.setText(self.tr(
            "This database has no users yet. Create the first administrator here, or run "
            "talentdesk init --admin NAME on this PC."))
        self.notice.show()
        self.form.setRowVisible(self.password2, True)
        self.ok.setText(self.tr("Create and sign in"))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()

    def _ask_new_password(self, actor: Actor, password: str) -> None:
        """Switch to choosing a new password: the one typed was set by an administrator."""
        from db.auth import MIN_PASSWORD

        self.pending, self._old_password = actor, password
        self.setWindowTitle(self.tr("Choose a new password"))
        self.notice.setText(self.tr(
            "An administrator set your password. Choose a new one of at least {n} characters before you "
            "continue.").format(n=MIN_PASSWORD))
        self.notice.show()
        self.error.hide()
        for widget in (self.username, self.password, self.password2):
            self.form.setRowVisible(widget, False)
        self.form.setRowVisible(self.new_password, True)
        self.form.setRowVisible(self.new_password2, True)
        self.ok.setText(self.tr("Change password and sign in"))
        self.new_password.setFocus()

    def _submit_new_password(self) -> None:
        assert self.pending is not None
        new = self.new_password.text()
        if new != self.new_password2.text():
            self._fail_new(self.tr("The two passwords differ."))
            return
        factory, actor, old = self.factory, self.pending, self._old_password
        assert factory is not None

        def work(_task: TaskContext) -> None:
            from db.actor import unit_of_work
            from db.auth import change_own_password

            with unit_of_work(factory, actor) as session:
                change_own_password(session, actor, old, new)

        self._start(work, self._password_changed, self._fail_new)

    def _password_changed(self, _result: Any) -> None:
        assert self.pending is not None
        self.actor = replace(self.pending, must_change_password=False)
        self._old_password = ""
        self.accept()

    def _fail_new(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.new_password.selectAll()
        self.new_password.setFocus()

    def submit(self) -> None:
        if self.working:
            return  # Enter pressed again while the last attempt is being checked
        if self.pending is not None:
            self._submit_new_password()
            return
        name, password = self.username.text().strip(), self.password.text()
        if not name:
            self._fail(self.tr("Enter your user name."))
            self.username.setFocus()
            return
        if self.factory is None:  # still opening: answered when the database is ready
            self._submit_when_open = True
            self.working = True
            self.ok.setEnabled(False)
            self.error.hide()
            self.checking.show()
            return
        first_admin = self.first_admin
        if first_admin and password != self.password2.text():
            self._fail(self.tr("The two passwords differ."))
            return
        factory = self.factory
        opened = self.opened

        def work(_task: TaskContext) -> Any:
            from db import migrate
            from db.actor import SYSTEM, unit_of_work
            from db.auth import authenticate, create_user, sign_in_to_server
            from db.models import Role

            if opened is not None and opened.server:  # the server checks the password: its login is theirs
                actor, engine, own = sign_in_to_server(opened.target, name, password)
                try:
                    migrate.require_head(engine, opened.target)
                except BaseException:
                    engine.dispose()
                    raise
                return actor, engine, own
            if first_admin:
                with unit_of_work(factory, SYSTEM) as session:
                    create_user(session, SYSTEM, name, password, Role.ADMIN)
            return authenticate(factory, name, password)

        def signed_in(result: Any) -> None:
            if isinstance(result, tuple):
                actor, engine, own = result
                assert self.opened is not None
                self.opened.engine.dispose()  # the URL's own connection is never used
                self.opened = replace(self.opened, engine=engine, factory=own)
                self.factory = own
            else:
                actor = result
            if actor.must_change_password:
                self._ask_new_password(actor, password)
                return
            self.actor = actor
            self.accept()

        self._start(work, signed_in, self._fail)

    def _start(self, work: Callable[[TaskContext], Any], on_success: Callable[[Any], None],
               show_error: Callable[[str], None]) -> None:
        """Check on the worker; the answer (or its error, shown by ``show_error``) comes back here."""
        self.working = True
        self.ok.setEnabled(False)
        self.error.hide()
        self.checking.show()

        def done(result: Any) -> None:
            self._finish()
            if self._closed:
                return  # cancelled while the check ran: sign nobody in
            on_success(result)

        def failed(exc: BaseException) -> None:
            self._finish()
            if self._closed:
                return
            if isinstance(exc, ValidationError):
                show_error(next(iter(exc.errors.values()), str(exc)))
            elif isinstance(exc, (PermissionDenied, TalentDeskError)):
                show_error(str(exc))
            else:  # a server gone away, a locked file …
                show_error(self.tr("Cannot sign in: {error}").format(error=exc))

        self.runner.run(work, parent=self, label="", quiet=True, busy=self.busy,
                        on_success=done, on_failure=failed)

    def _finish(self) -> None:
        self.working = False
        self.checking.hide()
        self.ok.setEnabled(True)

    def reject(self) -> None:
        self._closed = True  # a check still running on the worker is ignored when it answers
        self._open_later = None
        self._open_timer.stop()
        super().reject()
