"""The 系统 page: users, audit and access logs, backups, settings and one's own password."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import backup, dashboard
from db.academy import academy_name, set_academy_name
from db.auth import change_own_password, create_user, set_own_language, update_user
from db.engine import ENV_VAR
from db.errors import ValidationError
from db.i18n import language
from db.labels import label
from db.listing import ListRow
from db.models import Role

from ..context import AppContext
from ..listpage import ListPage
from ..operations import sentence
from ..plain import Label
from ..tasks import TaskContext

Index = QModelIndex | QPersistentModelIndex

LANGUAGE_KEY = "ui/language"
FONT_KEY = "reports/font"


def _error_label(parent: QWidget, name: str) -> QLabel:
    lab = Label(parent)
    lab.setObjectName(name)
    lab.setProperty("role", "error")
    lab.setWordWrap(True)
    lab.hide()
    return lab


def _show(lab: QLabel, text: str | None) -> None:
    lab.setText(text or "")
    lab.setVisible(bool(text))


# --------------------------------------------------------------------------- users


class UserDialog(QDialog):
    """Create a user, or change a user's role, display name, linked mentor, status or password."""

    def __init__(self, ctx: AppContext, user_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user_id = ctx, user_id
        self.version: int | None = None
        self.setObjectName("userDialog")
        self.setWindowTitle(self.tr("New user") if user_id is None else self.tr("Edit user"))
        self.setMinimumWidth(420)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for r in Role:
            self.role.addItem(label(r), r.value)
        # least privilege: a new account can read and change nothing until someone says otherwise
        self.role.setCurrentIndex(self.role.findData(Role.VIEWER.value))
        self.mentor = QComboBox(self)
        self.mentor.setObjectName("mentor")
        self.active = QCheckBox(self.tr("Account enabled"), self)
        self.active.setChecked(True)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2 = QLineEdit(self)
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        if user_id is not None:
            self.username.setReadOnly(True)
            self.password.setPlaceholderText(self.tr("leave empty to keep the password"))
        self.errors = {k: _error_label(self, f"error_{k}") for k in ("username", "mentor", "password", "form")}
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow("", self.errors["username"])
        form.addRow(self.tr("Display name"), self.display_name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Linked mentor"), self.mentor)
        form.addRow("", self.errors["mentor"])
        if user_id is not None:
            form.addRow("", self.active)
        else:  # a new account is enabled; an unplaced child widget would sit on top of the first label
            self.active.hide()
        form.addRow(self.tr("Password") if user_id is None else self.tr("New password"), self.password)
        form.addRow(self.tr("Password again"), self.password2)
        form.addRow("", self.errors["password"])
        self.role.currentIndexChanged.connect(self._role_changed)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors["form"])
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _role_changed(self) -> None:
        self.mentor.setEnabled(self.role.currentData() == Role.MENTOR.value)

    def load(self) -> bool:
        """Read the mentors to choose from (and the account) off the UI thread; False when refused."""
        actor, user_id = self.ctx.actor, self.user_id

        def read(session: Session) -> tuple[list[Any], Any]:
            return (dashboard.mentor_choices(session, actor),
                    dashboard.record(session, actor, "users", user_id) if user_id else None)

        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)  # until the form holds the account: saved empty, an edit would overwrite it

        def filled(got: tuple[list[Any], Any]) -> None:
            self._show_user(*got)
            save.setEnabled(True)

        return self.ctx.ops.open(read, window=self, then=filled)

    def _show_user(self, mentors: list[Any], snap: Any) -> None:
        self.mentor.addItem("", None)
        for m in mentors:
            self.mentor.addItem(f"{m.code} {m.name}", m.id)
        if snap is not None:
            self.version = snap.version
            v = snap.values
            self.username.setText(v["username"])
            self.display_name.setText(v["display_name"] or "")
            self.role.setCurrentIndex(self.role.findData(v["role"].value))
            index = self.mentor.findData(v["mentor_id"]) if v["mentor_id"] is not None else 0
            self.mentor.setCurrentIndex(max(index, 0))
            self.active.setChecked(bool(v["active"]))
        self._role_changed()

    def save(self) -> None:
        for lab in self.errors.values():
            _show(lab, None)
        if self.password.text() != self.password2.text():
            _show(self.errors["password"], self.tr("The two passwords differ."))
            return
        role = Role(self.role.currentData())
        mentor_id = self.mentor.currentData() if role is Role.MENTOR else None
        actor, user_id, version = self.ctx.actor, self.user_id, self.version
        username, password = self.username.text(), self.password.text()
        display_name, active = self.display_name.text().strip() or None, self.active.isChecked()

        def write(session: Session) -> None:  # hashing the password takes a moment: off the UI thread
            if user_id is None:
                create_user(session, actor, username, password, role, display_name, mentor_id)
            else:
                assert version is not None
                update_user(session, actor, user_id, version, role=role, display_name=display_name,
                            mentor_id=mentor_id, active=active, password=password or None)

        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)  # a second press must not save twice
        self.ctx.ops.write(write, owner=self, then=lambda _r: self.accept(), failed=self._refused,
                           after=lambda: save.setEnabled(True), label=self.tr("Saving…"))

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            placed = False
            for key, msg in exc.errors.items():
                if key in self.errors:
                    _show(self.errors[key], msg)
                    placed = True
            if not placed:
                _show(self.errors["form"], str(exc))
            return
        _show(self.errors["form"], sentence(exc))


def open_user(ctx: AppContext, user_id: int | None, parent: QWidget) -> bool:
    dialog = UserDialog(ctx, user_id, parent)
    return dialog.load() and dialog.exec() == QDialog.DialogCode.Accepted


# --------------------------------------------------------------------------- own password


class PasswordPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current = QLineEdit(self)
        self.current.setObjectName("currentPassword")
        self.new = QLineEdit(self)
        self.new.setObjectName("newPassword")
        self.new2 = QLineEdit(self)
        self.new2.setObjectName("newPassword2")
        for e in (self.current, self.new, self.new2):
            e.setEchoMode(QLineEdit.EchoMode.Password)
            e.setMaximumWidth(280)
        self.message = Label(self)
        self.message.setObjectName("passwordMessage")
        self.message.setWordWrap(True)
        button = QPushButton(self.tr("Change password"), self)
        button.setObjectName("changePassword")
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # not a bar across the page
        button.clicked.connect(self.change)
        self.new2.returnPressed.connect(self.change)
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.current)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.new2)
        form.addRow("", button)
        form.addRow("", self.message)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

    def _say(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "ok" if ok else "error")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def change(self) -> None:
        if self.new.text() != self.new2.text():
            self._say(self.tr("The two new passwords differ."), False)
            return
        actor, current, new = self.ctx.actor, self.current.text(), self.new.text()
        self.ctx.ops.write(lambda session: change_own_password(session, actor, current, new), owner=self,
                           then=self._changed, failed=self._refused, label=self.tr("Changing the password…"))

    def _changed(self, _result: Any) -> None:
        for e in (self.current, self.new, self.new2):
            e.clear()
        self._say(self.tr("Your password was changed."), True)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._say(next(iter(exc.errors.values()), str(exc)), False)
        else:
            self._say(sentence(exc), False)


# --------------------------------------------------------------------------- settings


class SettingsPanel(QWidget):
    """Where the database is (and how to change it), the language, the report font."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        db_label = Label(ctx.target.display(), self)
        db_label.setObjectName("databaseLocation")
        db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        db_label.setWordWrap(True)
        how = Label(self.tr("To use another database, start TalentDesk with --db PATH-OR-URL, or set the "
                             "environment variable {var} (a file path, or postgresql+psycopg://user@server/talentdesk "
                             "for a shared server). A database on a network share is not supported.")
                     .format(var=ENV_VAR), self)
        how.setWordWrap(True)
        how.setProperty("role", "hint")
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem("简体中文", "zh")
        self.language.addItem("English", "en")
        self.language.setMaximumWidth(240)
        current = str(ctx.settings.value(LANGUAGE_KEY, "") or "") or language()
        self.language.setCurrentIndex(max(self.language.findData(current), 0))
        self.language.currentIndexChanged.connect(self.language_changed)
        self.lang_note = Label(self)
        self.lang_note.setProperty("role", "hint")
        self.font_path = QLineEdit(str(ctx.settings.value(FONT_KEY, "") or ""), self)
        self.font_path.setObjectName("reportFont")
        self.font_path.setPlaceholderText(self.tr("built-in font"))
        self.font_path.editingFinished.connect(lambda: ctx.settings.setValue(FONT_KEY, self.font_path.text().strip()))
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self.choose_font)
        font_row = QHBoxLayout()
        font_row.addWidget(self.font_path, 1)
        font_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Database"), db_label)
        form.addRow("", how)
        if ctx.actor.is_admin:  # the academy's name, printed on the records it signs and stamps
            self.academy = QLineEdit(self)
            self.academy.setObjectName("academyName")
            self.academy.setMaxLength(60)
            save = QPushButton(self.tr("Save"), self)
            save.setObjectName("saveAcademy")
            save.clicked.connect(lambda _c=False: self.save_academy())
            self.academy_note = Label(self)
            self.academy_note.setProperty("role", "hint")
            row = QHBoxLayout()
            row.addWidget(self.academy, 1)
            row.addWidget(save)
            form.addRow(self.tr("Academy name"), row)
            form.addRow("", self.academy_note)
            ctx.ops.read(academy_name, owner=self, then=self.academy.setText,
                         failed=lambda exc: self.academy_note.setText(sentence(exc)), slot="academy")
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.lang_note)
        form.addRow(self.tr("Report font file"), font_row)
        box = QWidget(self)
        box.setMaximumWidth(780)
        box.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)

    def save_academy(self) -> None:
        actor, name = self.ctx.actor, self.academy.text()
        self.ctx.ops.write(lambda session: set_academy_name(session, actor, name), owner=self,
                           then=self._academy_saved, failed=lambda exc: self.academy_note.setText(sentence(exc)))

    def _academy_saved(self, name: str) -> None:
        self.academy.setText(name)
        self.academy_note.setText(self.tr("Saved. Student records print it in their header."))

    def language_changed(self) -> None:
        lang = self.language.currentData()
        self.ctx.settings.setValue(LANGUAGE_KEY, lang)
        actor = self.ctx.actor
        # the per-person setting on the server; the per-PC one above is what the next start uses if it fails
        self.ctx.ops.write(lambda session: set_own_language(session, actor, lang), owner=self,
                           failed=lambda _exc: None)
        self.lang_note.setText(self.tr("The new language takes effect when TalentDesk is started again."))

    def choose_font(self) -> None:
        path = self.ctx.prompts.open_file(self, self.tr("Report font file"), self.tr("Fonts (*.ttf *.otf *.ttc)"))
        if path:
            self.font_path.setText(path)
            self.ctx.settings.setValue(FONT_KEY, path)


# --------------------------------------------------------------------------- backups


class BackupModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.paths: list[Path] = []
        self.headers = [self.tr("File"), self.tr("Made on"), self.tr("Size")]

    def set_paths(self, paths: list[Path]) -> None:
        self.beginResetModel()
        self.paths = paths
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.paths)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        p = self.paths[index.row()]
        try:
            st = p.stat()
        except OSError:
            return p.name if index.column() == 0 else ""
        return [p.name, dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M"),
                f"{st.st_size / 1_048_576:.1f} MB"][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class BackupsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.model = BackupModel(self)
        if ctx.target.sqlite_path is None:
            note = Label(self.tr("This PC uses a shared PostgreSQL server. Back it up on the server with its "
                                  "own tools: pg_dump -Fc -f talentdesk.dump {db} (restore with pg_restore).")
                          .format(db=ctx.target.url.database or "talentdesk"), self)
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            return
        note = Label(self.tr("TalentDesk backs the database up once a day on start and before every upgrade; "
                              "the last 14 of each kind are kept."), self)
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        # where they are, and a way there (a copy to a USB stick or a network drive is made from there)
        self.folder = backup.backups_dir(ctx.target)
        where = Label(self.tr("Backups are kept in {folder}").format(folder=self.folder), self)
        where.setObjectName("backupFolder")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.view = QTableView(self)
        self.view.setObjectName("backupTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setColumnWidth(0, 380)
        self.view.setColumnWidth(1, 140)
        now = QPushButton(self.tr("Back up now"), self)
        now.setObjectName("backupNow")
        now.clicked.connect(self.backup_now)
        restore = QPushButton(self.tr("Restore…"), self)
        restore.setObjectName("restore")
        restore.clicked.connect(self.restore_selected)
        show = QPushButton(self.tr("Open the folder"), self)
        show.setObjectName("openBackupFolder")
        show.clicked.connect(self.open_folder)
        row = QHBoxLayout()
        row.addWidget(now)
        row.addWidget(restore)
        row.addWidget(show)
        row.addStretch(1)
        layout.addWidget(note)
        layout.addWidget(where)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)

    def activate(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.model.set_paths(backup.list_backups(self.ctx.target))

    def open_folder(self) -> bool:
        """The backups folder in the file manager (made first if no backup has been taken yet)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.ctx.prompts.error(self, self.tr("Backups"), str(exc))
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def backup_now(self) -> None:
        target = self.ctx.target

        def work(task: TaskContext) -> Any:
            return backup.backup(target, progress=task.progress)

        def done(info: Any) -> None:
            self.reload()
            self.ctx.prompts.info(self, self.tr("Backup"), self.tr("Backup written to {path}.").format(path=info.path))

        self.ctx.tasks.run(work, parent=self, label=self.tr("Backing up the database…"), on_success=done)

    def restore_selected(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            self.ctx.prompts.info(self, self.tr("Restore"), self.tr("Select a backup in the list first."))
            return
        path = self.model.paths[index.row()]
        text = self.tr("Replace the current database with the backup {name}? Everything changed since that backup "
                       "is lost (a safety copy of the current database is made first). TalentDesk must be "
                       "restarted afterwards.").format(name=path.name)
        if not self.ctx.prompts.confirm(self, self.tr("Restore"), text):
            return
        target = self.ctx.target

        def work(_task: TaskContext) -> Any:
            return backup.restore(target, path)

        def done(_result: Any) -> None:
            self.reload()
            self.ctx.prompts.info(self, self.tr("Restore"), self.tr("The backup was restored. Please restart "
                                                                    "TalentDesk now."))

        self.ctx.tasks.run(work, parent=self, label=self.tr("Restoring…"), on_success=done, cancellable=False)


# --------------------------------------------------------------------------- the page


class AdminPage(QWidget):
    """Administrators: users, logs, backups, settings, password. Others: password and settings."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.lists: dict[int, ListPage] = {}
        self.backups: BackupsPanel | None = None
        if ctx.actor.is_admin:
            users = ListPage(ctx, "users", title=self.tr("Users"), on_new=lambda: open_user(ctx, None, self),
                             on_open=self._open_user, parent=self)
            audit = ListPage(ctx, "audit", title=self.tr("Audit log"), exportable=True, parent=self)
            access = ListPage(ctx, "access", title=self.tr("Access log"), exportable=True, parent=self)
            for page, title in ((users, self.tr("Users")), (audit, self.tr("Audit log")),
                                (access, self.tr("Access log"))):
                self.lists[self.tabs.addTab(page, title)] = page
            self.backups = BackupsPanel(ctx, self)
            self.tabs.addTab(self.backups, self.tr("Backups"))
        self.tabs.addTab(PasswordPanel(ctx, self), self.tr("My password"))
        self.tabs.addTab(SettingsPanel(ctx, self), self.tr("Settings"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _open_user(self, row: ListRow) -> bool:
        return open_user(self.ctx, row.id, self)

    def activate(self) -> None:
        page = self.current_list()
        if page is not None:
            page.activate()
        elif self.tabs.currentWidget() is self.backups and self.backups is not None:
            self.backups.activate()

    def current_list(self) -> ListPage | None:
        return self.lists.get(self.tabs.currentIndex())
