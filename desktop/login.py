"""Sign-in dialog; on an empty database it says so and can create the first administrator; a user
whose password an administrator set chooses a new one here before the main window opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from db.auth import (
    MIN_PASSWORD,
    SYSTEM,
    Actor,
    authenticate,
    change_own_password,
    count_users,
    create_user,
    unit_of_work,
)
from db.errors import PermissionDenied, TalentDeskError, ValidationError
from db.models import Role

from .tasks import BusyIndicator, TaskContext, TaskRunner


class LoginDialog(QDialog):
    """User name and password; Enter signs in; the error is shown in the dialog, not a message box.

    ``actor`` holds who signed in after ``exec()`` returned Accepted. ``check_users()`` (I/O) switches
    to the first-administrator form when the database has no users yet.

    Checking a password runs on a worker thread (``runner``): argon2 takes a moment and a failed
    sign-in is answered only after a growing delay, during which the dialog stays responsive (a busy
    bar runs, Sign in is disabled, Cancel works). Tests pass a synchronous runner.
    """

    def __init__(self, factory: sessionmaker[Session], database: str, parent: QWidget | None = None,
                 runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
        self.runner = runner or TaskRunner(parent=self)
        self.working = False  # a sign-in or password change is being checked on the worker
        self._closed = False  # cancelled: an answer still coming from the worker is ignored
        self.actor: Actor | None = None
        self.first_admin = False
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in to TalentDesk"))
        self.setMinimumWidth(400)
        title = QLabel(self.tr("TalentDesk talent training desk"), self)
        title.setProperty("role", "heading")
        self.notice = QLabel(self)
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
        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.busy = BusyIndicator(self)
        self.busy.setToolTip(self.tr("Checking…"))
        self.checking = QLabel(self.tr("Checking…"), self)
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
        db_label = QLabel(self.tr("Database: {db}").format(db=database), self)
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

    def check_users(self) -> None:
        with self.factory() as session:
            empty = count_users(session) == 0
        if empty:
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

        def work(_task: TaskContext) -> None:
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
        first_admin = self.first_admin
        if first_admin and password != self.password2.text():
            self._fail(self.tr("The two passwords differ."))
            return
        factory = self.factory

        def work(_task: TaskContext) -> Actor:
            if first_admin:
                with unit_of_work(factory, SYSTEM) as session:
                    create_user(session, SYSTEM, name, password, Role.ADMIN)
            return authenticate(factory, name, password)

        def signed_in(actor: Actor) -> None:
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
        super().reject()
