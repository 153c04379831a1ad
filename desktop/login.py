"""Sign-in dialog; on an empty database it says so and can create the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from db.auth import SYSTEM, Actor, authenticate, count_users, create_user, unit_of_work
from db.errors import PermissionDenied, TalentDeskError, ValidationError
from db.models import Role


class LoginDialog(QDialog):
    """User name and password; Enter signs in; the error is shown in the dialog, not a message box.

    ``actor`` holds who signed in after ``exec()`` returned Accepted. ``check_users()`` (I/O) switches
    to the first-administrator form when the database has no users yet.
    """

    def __init__(self, factory: sessionmaker[Session], database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.factory = factory
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
        self.form = QFormLayout()
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Password again"), self.password2)
        self.form.setRowVisible(self.password2, False)
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

    def submit(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        if not name:
            self._fail(self.tr("Enter your user name."))
            self.username.setFocus()
            return
        try:
            if self.first_admin:
                if password != self.password2.text():
                    self._fail(self.tr("The two passwords differ."))
                    return
                with unit_of_work(self.factory, SYSTEM) as session:
                    create_user(session, SYSTEM, name, password, Role.ADMIN)
            self.actor = authenticate(self.factory, name, password)
        except ValidationError as exc:
            self._fail(next(iter(exc.errors.values()), str(exc)))
            return
        except (PermissionDenied, TalentDeskError) as exc:
            self._fail(str(exc))
            return
        self.accept()
