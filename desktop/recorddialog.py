"""One dialog for every entity, rendered from the field specs of ``forms.specs``.

Each field gets an editor that fits it (a line edit, a combo box of the enumeration's words, a row
of checkboxes for a list of roles) and an error line under it. Saving parses with the same parsers
the Excel import uses, then calls the entity's service in one unit of work; the service's
``ValidationError`` lands on the matching fields, and a ``ConflictError`` (someone saved the record
after it was opened) offers Reload or Keep editing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import curriculum, dashboard, people
from db.auth import Actor, log_access, unit_of_work
from db.errors import ConflictError, TalentDeskError, ValidationError
from db.labels import label
from forms.specs import SPECS, EntitySpec, Field, parse_values

from .context import AppContext
from .studentdetail import MentorHistory

# kind -> (service, keyword naming the record being edited)
SaveFn = Callable[..., Any]
SERVICES: dict[str, tuple[SaveFn, str]] = {
    "students": (people.save_student, "student_id"),
    "mentors": (people.save_mentor, "mentor_id"),
    "programmes": (curriculum.save_programme, "programme_id"),
    "courses": (curriculum.save_course, "course_id"),
}

# A mentor may edit these fields of their own profile (db.people.save_mentor keeps only them).
OWN_PROFILE_KEYS = frozenset({"title", "phone", "email"})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return label(value)
    return str(value)


class FieldEditor:
    """The editor widget of one Field, and its error line."""

    def __init__(self, field: Field, parent: QWidget) -> None:
        self.field = field
        self.error = QLabel(parent)
        self.error.setObjectName(f"error_{field.key}")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.checks: list[tuple[QCheckBox, Any]] = []
        self.combo: QComboBox | None = None
        self.line: QLineEdit | None = None
        self._combo_values: list[Any] = []
        multi = self._multi_values()
        if multi:
            self.widget = QWidget(parent)
            row = QHBoxLayout(self.widget)
            row.setContentsMargins(0, 0, 0, 0)
            for word, value in multi:
                box = QCheckBox(label(value) if isinstance(value, enum.Enum) else word, self.widget)
                box.setObjectName(f"field_{field.key}_{getattr(value, 'value', word)}")
                box.setProperty("word", word)
                self.checks.append((box, value))
                row.addWidget(box)
            row.addStretch(1)
        elif field.choices:
            self.combo = QComboBox(parent)
            self.combo.addItem("")  # blank: optional, or not chosen yet
            self._combo_values.append(None)
            for word in field.choices:
                try:
                    value = field.parse(word)
                except ValueError:
                    value = word
                self.combo.addItem(label(value) if isinstance(value, enum.Enum) else word, word)
                self._combo_values.append(value)
            self.widget = self.combo
        else:
            self.line = QLineEdit(parent)
            if field.hint:
                self.line.setPlaceholderText(field.hint)
            self.widget = self.line
        self.widget.setObjectName(f"field_{field.key}")
        if field.hint:
            self.widget.setToolTip(field.hint)

    def _multi_values(self) -> list[tuple[str, Any]]:
        """For a field holding a list (mentor roles): each choice word and the value it parses to."""
        if not self.field.choices:
            return []
        try:
            first = self.field.parse(self.field.choices[0])
        except ValueError:
            return []
        if not isinstance(first, list):
            return []
        return [(w, self.field.parse(w)[0]) for w in self.field.choices]

    def raw(self) -> Any:
        if self.checks:
            return "、".join(box.property("word") for box, _v in self.checks if box.isChecked())
        if self.combo is not None:
            return self.combo.currentData() or ""
        assert self.line is not None
        return self.line.text()

    def set_value(self, value: Any) -> None:
        if self.checks:
            chosen = set(value or [])
            for box, v in self.checks:
                box.setChecked(v in chosen)
        elif self.combo is not None:
            index = 0
            for i, v in enumerate(self._combo_values):
                if v is not None and v == value:
                    index = i
            self.combo.setCurrentIndex(index)
        else:
            assert self.line is not None
            self.line.setText(_text(value))

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.widget.setProperty("invalid", bool(message))
        self.widget.style().unpolish(self.widget)
        self.widget.style().polish(self.widget)

    def set_enabled(self, enabled: bool) -> None:
        for box, _v in self.checks:
            box.setEnabled(enabled)
        if self.combo is not None:
            self.combo.setEnabled(enabled)
        if self.line is not None:
            self.line.setReadOnly(not enabled)


class RecordDialog(QDialog):
    """Create, edit or (read-only) view one record of ``kind``.

    The constructor builds the form only; ``load()`` reads the record (and, for a student, writes
    the access-log line the PIPL asks for). ``saved_id`` holds the id after a successful save.
    """

    def __init__(self, ctx: AppContext, kind: str, record_id: int | None = None, *, read_only: bool = False,
                 editable: frozenset[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.record_id = ctx, kind, record_id
        self.spec: EntitySpec = SPECS[kind]
        self.read_only = read_only
        self.editable = editable
        self.version: int | None = None
        self.saved_id: int | None = None
        self.setObjectName(f"record_{kind}")
        self.setMinimumWidth(460)
        self._set_title("")

        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setProperty("role", "error")
        self.banner.setWordWrap(True)
        self.banner.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(4)
        self.editors: dict[str, FieldEditor] = {}
        for f in self.spec.fields:
            ed = FieldEditor(f, self)
            self.editors[f.key] = ed
            caption = f.label + (" *" if f.required else "")
            form.addRow(caption, ed.widget)
            form.addRow("", ed.error)
            enabled = not read_only and (editable is None or f.key in editable)
            ed.set_enabled(enabled)

        buttons = QDialogButtonBox.StandardButton.Close if read_only else (
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = QDialogButtonBox(buttons, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.history: MentorHistory | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        if kind == "students" and record_id is not None:
            self.history = MentorHistory(self)
            layout.addWidget(self.history)
            self.setMinimumWidth(620)
        if not read_only:
            note = QLabel(self.tr("Fields marked * are required."), self)
            note.setProperty("role", "hint")
            layout.addWidget(note)
        layout.addWidget(self.buttons)

    def _set_title(self, name: str) -> None:
        if self.record_id is None:
            text = self.tr("New {entity}").format(entity=self.spec.label)
        elif self.read_only:
            text = self.tr("{entity}: {name}").format(entity=self.spec.label, name=name)
        else:
            text = self.tr("Edit {entity}: {name}").format(entity=self.spec.label, name=name)
        self.setWindowTitle(text)

    # ---------------------------------------------------------------- loading

    def load(self) -> bool:
        """Read the record into the form; False (and a message) when it cannot be read."""
        if self.record_id is None:
            return True
        try:
            with unit_of_work(self.ctx.factory, self.ctx.actor) as session:
                snap = dashboard.record(session, self.ctx.actor, self.kind, self.record_id)
                mentors = dashboard.student_mentors(session, self.ctx.actor, snap.id) if self.history else []
                if self.kind == "students":
                    log_access(session, self.ctx.actor.username, "view_student", "student", snap.id,
                               snap.values.get("student_no"))
        except TalentDeskError as exc:
            self.ctx.prompts.error(self.parentWidget(), self.windowTitle(), str(exc))
            return False
        self.version = snap.version
        for key, ed in self.editors.items():
            ed.set_value(snap.values.get(key))
            ed.set_error(None)
        if self.history is not None:
            self.history.set_lines(mentors)
        self._set_title(snap.title)
        self.banner.hide()
        return True

    # ---------------------------------------------------------------- saving

    def raw_values(self) -> dict[str, Any]:
        return {key: ed.raw() for key, ed in self.editors.items()}

    def show_errors(self, errors: dict[str, str], message: str | None = None) -> None:
        unplaced = []
        for key, ed in self.editors.items():
            ed.set_error(errors.get(key))
        for key, msg in errors.items():
            if key not in self.editors:
                unplaced.append(msg)
        text = "\n".join(x for x in [message if (unplaced or not errors) else None, *unplaced] if x)
        if errors and not unplaced:
            text = self.tr("Please correct the fields marked below.")
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        for key in self.editors:
            if key in errors:
                self.editors[key].widget.setFocus()
                break

    def save(self) -> None:
        if self.read_only:
            self.reject()
            return
        values, errors = parse_values(self.spec, self.raw_values())
        if self.editable is not None:
            values = {k: v for k, v in values.items() if k in self.editable}
            errors = {k: v for k, v in errors.items() if k in self.editable}
        if errors:
            self.show_errors(errors)
            return
        service, id_kw = SERVICES[self.kind]
        kwargs: dict[str, Any] = {}
        if self.record_id is not None:
            kwargs = {id_kw: self.record_id, "expected_version": self.version}
        try:
            with unit_of_work(self.ctx.factory, self.ctx.actor) as session:
                obj, _created = service(session, self.ctx.actor, values, **kwargs)
                self.saved_id = obj.id
        except ValidationError as exc:
            self.show_errors(exc.errors, str(exc))
            return
        except ConflictError as exc:
            self._conflict(str(exc))
            return
        except TalentDeskError as exc:
            self.show_errors({}, str(exc))
            return
        self.accept()

    def _conflict(self, message: str) -> None:
        choice = self.ctx.prompts.choose(self, self.tr("Changed on another computer"), message,
                                         [self.tr("Reload"), self.tr("Keep editing")])
        if choice == 0:
            self.load()
            return
        # Keep editing: the next save names the version now stored, so it overwrites on purpose.
        try:
            with self.ctx.factory() as session:
                self.version = _current_version(session, self.ctx.actor, self.kind, self.record_id)
        except TalentDeskError as exc:
            self.show_errors({}, str(exc))
            return
        self.show_errors({}, self.tr("Saving again will overwrite the other change."))


def _current_version(session: Session, actor: Actor, kind: str, record_id: int | None) -> int | None:
    if record_id is None:
        return None
    return dashboard.record(session, actor, kind, record_id).version


def open_record(ctx: AppContext, kind: str, record_id: int | None, parent: QWidget | None, *,
                read_only: bool = False, editable: frozenset[str] | None = None) -> bool:
    """Open the dialog modally; True when something was saved."""
    dialog = RecordDialog(ctx, kind, record_id, read_only=read_only, editable=editable, parent=parent)
    if not dialog.load():
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted and not read_only
