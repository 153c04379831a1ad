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
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import curriculum, dashboard, lookups, people
from db.auth import log_access
from db.errors import ConflictError, ValidationError
from db.labels import label
from forms.specs import SPECS, EntitySpec, Field, parse_values

from .context import AppContext
from .operations import sentence
from .plain import Label, tip
from .studentdetail import MentorHistory

T = TypeVar("T")

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


VALUE_ROLE = Qt.ItemDataRole.UserRole


class FieldEditor:
    """The editor widget of one Field, and its error line.

    ``choices`` ((value, label) rows of ``db.lookups``) turn a reference field into a picker: an
    editable combo box listing the records as "CODE 名称", filtering as one types (code or name,
    anywhere in the label), that still takes any typed text. ``raw()`` gives the parser what the import
    would receive: the chosen row's value, or the text as typed. ``search`` (text -> rows) does the same
    for a large set (students, projects): a line edit whose completer asks for the matching rows as one
    types, a moment after the last key.
    """

    def __init__(self, field: Field, parent: QWidget, choices: Sequence[tuple[str, str]] | None = None,
                 search: Callable[[str], list[tuple[str, str]]] | None = None) -> None:
        self.field = field
        self.error = Label(parent)
        self.error.setObjectName(f"error_{field.key}")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.checks: list[tuple[QCheckBox, Any]] = []
        self.combo: QComboBox | None = None
        self.line: QLineEdit | None = None
        self.picker: QComboBox | None = None  # a reference field's choices (self.line is its text)
        self.text: QPlainTextEdit | None = None  # a multi-line note
        self.search_timer: QTimer | None = None  # a large set's completer: asks a moment after the last key
        self._combo_values: list[Any] = []
        self._by_label: dict[str, str] = {}  # a picker row's label (or bare name) -> its value
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
        elif field.multiline:
            self.text = QPlainTextEdit(parent)
            self.text.setTabChangesFocus(True)
            self.text.setMinimumHeight(84)
            if field.hint:
                self.text.setPlaceholderText(field.hint)
            self.widget = self.text
        elif choices is not None:
            self.picker = self._make_picker(field, parent, choices)
            self.line = self.picker.lineEdit()
            self.widget = self.picker
        else:
            self.line = QLineEdit(parent)
            if field.hint:
                self.line.setPlaceholderText(field.hint)
            self.widget = self.line
            if search is not None:
                self._attach_search(self.line, search, field.multi)
        self.widget.setObjectName(f"field_{field.key}")
        if field.hint:
            self.widget.setToolTip(field.hint)
        if self.picker is not None and field.ref.endswith("organisations"):
            tip = QCoreApplication.translate("FieldEditor", "A name not in the list adds a new organisation.")
            self.widget.setToolTip(f"{field.hint}\n{tip}" if field.hint else tip)

    def _make_picker(self, field: Field, parent: QWidget, choices: Sequence[tuple[str, str]]) -> QComboBox:
        box = QComboBox(parent)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Enter keeps typed text out of the list
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(18)
        box.setMaxVisibleItems(14)
        model = QStandardItemModel(0, 1, box)
        names: dict[str, list[str]] = {}
        for value, text in choices:
            item = QStandardItem(text)
            item.setData(value, VALUE_ROLE)
            item.setToolTip(tip(text))
            model.appendRow(item)
            self._by_label[text] = value
            if text.startswith(value + " "):
                names.setdefault(text[len(value) + 1:], []).append(value)
        for name, values in names.items():  # typing a programme's full name picks it, when only one has it
            if len(values) == 1 and name not in self._by_label:
                self._by_label[name] = values[0]
        box.setModel(model)
        box.setCurrentIndex(-1)
        completer = QCompleter(model, box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        box.setCompleter(completer)
        for view in (box.view(), completer.popup()):  # rows a mouse can hit, as tall as a table's
            assert view is not None
            view.setStyleSheet("QAbstractItemView::item { padding: 3px 4px; }")
        line = box.lineEdit()
        assert line is not None  # an editable combo box
        if field.hint and not field.required:  # an optional field's hint says when to fill it in: keep it
            line.setPlaceholderText(field.hint)
        elif names:  # rows read "CODE 名称"
            line.setPlaceholderText(QCoreApplication.translate("FieldEditor", "Choose, or type a code or name"))
        else:
            line.setPlaceholderText(QCoreApplication.translate("FieldEditor", "Choose, or type a name"))
        line.setClearButtonEnabled(True)
        return box
    def _attach_search(self, line: QLineEdit, search: Callable[[str], list[tuple[str, str]]], multi: str = "") -> None:
        model = QStandardItemModel(0, 1, line)
        completer = ListCompleter(model, line, multi) if multi else QCompleter(model, line)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setMaxVisibleItems(12)
        popup = completer.popup()
        assert popup is not None
        popup.setStyleSheet("QAbstractItemView::item { padding: 3px 4px; }")
        line.setCompleter(completer)
        if not line.placeholderText():
            line.setPlaceholderText(QCoreApplication.translate("FieldEditor", "Type a code or name to search"))
        timer = QTimer(line)
        timer.setSingleShot(True)
        timer.setInterval(200)  # one query after the last key, not one per key

        def fetch() -> None:
            # a list field searches for the entry being typed (after the last separator)
            text = (completer.entry(line.text()) if isinstance(completer, ListCompleter) else line.text()).strip()
            rows = search(text) if text else []
            model.clear()
            for value, label_text in rows:
                item = QStandardItem(label_text)
                item.setData(value, VALUE_ROLE)
                model.appendRow(item)
                self._by_label[label_text] = value
            if rows and line.hasFocus():
                completer.setCompletionPrefix(line.text() if isinstance(completer, ListCompleter) else text)
                completer.complete()

        timer.timeout.connect(fetch)
        line.textEdited.connect(lambda _text: timer.start())
        self.search_timer = timer

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
        if self.text is not None:
            return self.text.toPlainText()
        assert self.line is not None
        text = self.line.text()
        if self._by_label:
            key = text.strip()
            if key in self._by_label:
                return self._by_label[key]
        return text

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
        elif self.text is not None:
            self.text.setPlainText(_text(value))
        elif self.picker is not None:
            text = _text(value)
            index = self.picker.findData(text, VALUE_ROLE) if text else -1
            self.picker.setCurrentIndex(index)  # the row's "CODE 名称", or the stored text as it is
            if index < 0:
                self.picker.setEditText(text)
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
        if self.picker is not None:
            self.picker.setEnabled(enabled)
        if self.text is not None:
            self.text.setReadOnly(not enabled)
        if self.line is not None:
            self.line.setReadOnly(not enabled)


class ListCompleter(QCompleter):
    """The completer of a field naming several records (a project's members "S1、S2、S3", a rule's
    external courses "MA201+MA305"): it searches for the entry the cursor is in, and choosing a row
    replaces just that entry with the record's value (and a separator after the last one, ready for the
    next). The other entries stay as they are."""

    def __init__(self, model: QStandardItemModel, line: QLineEdit, separator: str) -> None:
        super().__init__(model, line)
        self.line = line
        self.separator = separator
        self.cursor: int | None = None  # where the cursor was at the last edit (the popup moves it)
        # what separates entries when typed by hand: the parsers' separators (forms.kinds_*)
        chars = "、,，;；\n" + ("+＋ " if separator == "+" else "")
        self._split = re.compile(f"[{re.escape(chars)}]")
        line.textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self.cursor = self.line.cursorPosition()

    def _bounds(self, text: str) -> tuple[int, int]:
        """Where the entry holding the cursor starts and ends in ``text``."""
        at = len(text) if self.cursor is None else min(self.cursor, len(text))
        start = 0
        for sep in self._split.finditer(text, 0, at):
            start = sep.end()
        after = self._split.search(text, at)
        return start, after.start() if after is not None else len(text)

    def entry(self, text: str) -> str:
        start, end = self._bounds(text)
        return text[start:end]

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt's name
        return [self.entry(path).strip()]

    def pathFromIndex(self, index: Any) -> str:  # noqa: N802 - Qt's name
        # the text as typed (the prefix being completed), not the box's: highlighting a row already
        # put that row's value in the box, and choosing it must not add it a second time
        text = self.completionPrefix()
        start, end = self._bounds(text)
        value = index.data(VALUE_ROLE) or index.data()
        return f"{text[:start]}{value}{text[end:] if end < len(text) else self.separator}"


def ref_choices(ctx: AppContext, fields: Sequence[Field]) -> dict[str, list[tuple[str, str]]]:
    """The choices of every reference among ``fields``, read in one short session when a dialog opens
    (a few hundred rows at most: db.lookups offers only the small sets). A field whose choices cannot
    be read stays a plain text box: the picker is a convenience, never a reason not to open."""
    refs = sorted({f.ref for f in fields if f.ref in lookups.READERS})
    if not refs:
        return {}
    actor = ctx.actor
    return ctx.ops.now(lambda session: {ref: lookups.choices(session, actor, ref) for ref in refs}, owner=None,
                       failed=lambda _exc: None) or {}  # the server went away: the fields stay plain text


def ref_search(ctx: AppContext, ref: str, within: Callable[[], Any] | None = None
               ) -> Callable[[str], list[tuple[str, str]]]:
    """Rows of a large set matching typed text (db.lookups.search: an indexed LIMIT query, a few ms on
    twenty thousand students), narrowed by ``within()`` (another field's value) when given; nothing
    when they cannot be read."""

    actor = ctx.actor

    def run(text: str) -> list[tuple[str, str]]:
        narrow = within() if within is not None else None
        return ctx.ops.now(lambda session: lookups.search(session, actor, ref, text,
                                                          within=str(narrow) if narrow else None),
                           owner=None, failed=lambda _exc: None) or []  # a convenience: the typed text still saves

    return run


# the audit log's table of each record kind a RecordDialog edits (the kinds not listed are named so)
RECORD_TABLES = {"programme-courses": "programme_courses", "external-courses": "external_courses",
                 "mentor-assignments": "mentor_assignments"}


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

        self.banner = Label(self)
        self.banner.setObjectName("banner")
        self.banner.setProperty("role", "error")
        self.banner.setWordWrap(True)
        self.banner.hide()

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(4)
        self.editors: dict[str, FieldEditor] = {}
        enabled_keys = {f.key for f in self.spec.fields if not read_only and (editable is None or f.key in editable)}
        choices = ref_choices(ctx, [f for f in self.spec.fields if f.key in enabled_keys])
        for f in self.spec.fields:
            enabled = f.key in enabled_keys
            narrow = (lambda key=f.within: self.editors[key].raw()) if f.within else None
            ed = FieldEditor(f, self, (choices.get(f.ref) or None) if enabled else None,
                             ref_search(ctx, f.ref, narrow) if enabled and f.ref in lookups.SEARCHERS else None)
            self.editors[f.key] = ed
            caption = f.label + (" *" if f.required else "")
            form.addRow(caption, ed.widget)
            form.addRow("", ed.error)
            ed.set_enabled(f.key in enabled_keys)

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
            note = Label(self.tr("Fields marked * are required."), self)
            note.setProperty("role", "hint")
            layout.addWidget(note)
        if record_id is not None and ctx.actor.is_admin:  # who changed this record, and what
            history = self.buttons.addButton(self.tr("Change history…"), QDialogButtonBox.ButtonRole.HelpRole)
            history.setObjectName("changeHistory")
            history.clicked.connect(lambda _c=False: self.change_history())
        layout.addWidget(self.buttons)

    def change_history(self, show: bool = True) -> QWidget:
        from .listpage import history_window

        table = RECORD_TABLES.get(self.kind, self.kind)
        return history_window(self.ctx, self, self.windowTitle(), record=(table, self.record_id or 0), show=show)

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
        """Read the record into the form, off the UI thread; False (and a message) when it cannot be read."""
        if self.record_id is None:
            return True
        actor, kind, record_id, with_history = self.ctx.actor, self.kind, self.record_id, self.history is not None

        def read(session: Session) -> tuple[Any, list[Any]]:
            snap = dashboard.record(session, actor, kind, record_id)
            mentors = dashboard.student_mentors(session, actor, snap.id) if with_history else []
            if kind == "students":  # the access-log line the PIPL asks for, written with the reads
                log_access(session, actor.username, "view_student", "student", snap.id, snap.values.get("student_no"))
            return snap, mentors

        return self.read_record(read, lambda got: self._fill(*got), log=kind == "students")

    def read_record(self, read: Callable[[Session], T], fill: Callable[[T], Any], log: bool = False) -> bool:
        """Read what the dialog shows with ``read`` in the background and ``fill`` the form with it. When it
        cannot be read the person is told and the dialog closes; False when that is already known (the
        runner may answer before the dialog opens). Save stays off until the form holds the record: saved
        empty, an edit would overwrite it."""
        self._saving(True)

        def filled(got: T) -> None:
            fill(got)
            self._saving(False)

        return self.ctx.ops.open(read, window=self, then=filled, log=log)

    def _fill(self, snap: Any, mentors: list[Any]) -> None:
        self.version = snap.version
        for key, ed in self.editors.items():
            ed.set_value(snap.values.get(key))
            ed.set_error(None)
        if self.history is not None:
            self.history.set_lines(mentors)
        self._set_title(snap.title)
        self.banner.hide()

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
        actor = self.ctx.actor

        def write(session: Session) -> int:
            obj, _created = service(session, actor, values, **kwargs)
            return int(obj.id)

        self.commit(write, self._saved)

    def commit(self, write: Callable[[Session], T], then: Callable[[T], Any]) -> None:
        """Save: ``write`` as one unit of work in the background, ``then`` with its result; a refusal is
        said in the dialog (``save_failed``), what was typed kept."""
        self._saving(True)
        self.ctx.ops.write(write, owner=self, then=then, failed=self.save_failed,
                           after=lambda: self._saving(False), label=self.tr("Saving…"))

    def _saving(self, busy: bool) -> None:
        """While a save runs its button is off: a second press must not save twice."""
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(not busy)

    def _saved(self, record_id: int) -> None:
        self.saved_id = record_id
        self.accept()

    def save_failed(self, exc: BaseException) -> None:
        """Why the save was refused, said in the dialog; what was typed stays."""
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors, str(exc))
        elif isinstance(exc, ConflictError):
            self._conflict(str(exc))
        else:
            self.show_errors({}, sentence(exc))

    def _conflict(self, message: str) -> None:
        """The one answer to "saved on another computer after this was opened", for every record dialog:
        Reload (see their change) or Keep editing (the next save overwrites it, on purpose)."""
        choice = self.ctx.prompts.choose(self, self.tr("Changed on another computer"), message,
                                         [self.tr("Reload"), self.tr("Keep editing")])
        if choice == 0:
            self.load()
            return
        # Keep editing: the next save names the version now stored, so it overwrites on purpose.
        failed: list[BaseException] = []

        def said(exc: BaseException) -> None:
            failed.append(exc)
            self.show_errors({}, sentence(exc))

        version = self.ctx.ops.now(self.current_version, owner=self, failed=said)
        if failed:
            return
        self.version = version
        self.show_errors({}, self.tr("Saving again will overwrite the other change."))

    def current_version(self, session: Session) -> int | None:
        """The version of the record as stored now (a dialog whose record another service reads says how)."""
        if self.record_id is None:
            return None
        return dashboard.record(session, self.ctx.actor, self.kind, self.record_id).version


def open_record(ctx: AppContext, kind: str, record_id: int | None, parent: QWidget | None, *,
                read_only: bool = False, editable: frozenset[str] | None = None) -> int | None:
    """Open the dialog modally; the saved record's id when something was saved (else None): a list
    shows and selects a new record with it."""
    dialog = RecordDialog(ctx, kind, record_id, read_only=read_only, editable=editable, parent=parent)
    if not dialog.load():
        return None
    if dialog.exec() == QDialog.DialogCode.Accepted and not read_only:
        return dialog.saved_id or record_id or -1
    return None
