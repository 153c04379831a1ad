"""The three-mentor dialogs: assign (with suggestions), bulk assign, reassign and end an assignment
(administrators); log a session, give or edit an assignment, record its submission, review it (the
mentor, or an administrator).

Every dialog renders fields of ``forms.mentoring`` with the record dialog's editors, parses with the
import's parsers and saves through ``db.mentoring`` in one unit of work, so the rule a service enforces
shows the same words here as in an import error report, on the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import coverage, mentoring
from db.errors import ValidationError
from db.labels import label
from db.mentoring import AssignmentLine, Suggestion, TimelineEntry
from db.models import Mentor, MentorRole, SessionKind, Student, TaskStatus
from forms import mentoring as forms
from forms.specs import EntitySpec, parse_values

from .context import AppContext
from .operations import sentence
from .plain import Label, tip
from .recorddialog import FieldEditor

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A small read-only table of already formatted rows, each with the object it stands for."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.items: list[Any] = []
        self.warn: list[bool] = []

    def set_rows(self, rows: list[list[str]], items: list[Any], warn: list[bool] | None = None) -> None:
        self.beginResetModel()
        self.rows, self.items = rows, items
        self.warn = warn or [False] * len(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(str(self.rows[index.row()][index.column()] or ""))
        if role == Qt.ItemDataRole.ForegroundRole and self.warn[index.row()]:
            from PySide6.QtGui import QColor

            return QColor("#b42318")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def table_view(model: QAbstractTableModel, parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def selected_item(view: QTableView) -> Any:
    index = view.currentIndex()
    model = view.model()
    if not index.isValid() or not isinstance(model, RowsModel):
        return None
    return model.items[index.row()]


def overdue_status(status: TaskStatus | None) -> str:
    """An overdue task's state in words that say whose lateness it is: the student's (未提交（已逾期）) or
    the reviewing mentor's (待评阅（评阅逾期）); DESIGN section 6's overdue figure counts both."""
    if status is TaskStatus.ASSIGNED:
        return QCoreApplication.translate("TaskStatus", "Not handed in (overdue)")
    return QCoreApplication.translate("TaskStatus", "To review (review overdue)")


def about(ctx: AppContext, student_id: int) -> str:
    """" — 王梓涵（2025010001）": the student a dialog is about, for its title (so a session logged for the
    wrong student is noticed before it is saved)."""
    actor = ctx.actor
    caption = ctx.ops.now(lambda session: mentoring.student_caption(session, actor, student_id), owner=None,
                          failed=lambda _exc: None)  # the dialog still opens; saving says what is wrong
    return "" if caption is None else " — " + caption


class FormDialog(QDialog):
    """Fields of a form spec, an optional widget above them, Save/Cancel, errors on the fields.

    ``values()`` reads the form (and any other widget the save needs) on the UI thread; ``save(session,
    values)`` then runs in one unit of work with the signed-in actor off it (``ctx.ops``), so it reads no
    widget: only ``values`` and the dialog's plain attributes. A ValidationError lands on its fields (or in
    the banner when the field is not on the form), any other refusal in the banner.
    """

    def __init__(self, ctx: AppContext, spec: EntitySpec, title: str, parent: QWidget | None = None, *,
                 intro: str = "", extra: QWidget | None = None, values: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.spec = ctx, spec
        self.setObjectName(f"dialog_{spec.kind}")
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.result_value: Any = None
        self.banner = Label(self)
        self.banner.setObjectName("banner")
        self.banner.setProperty("role", "error")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        if intro:
            self.intro = Label(intro, self)
            self.intro.setObjectName("intro")
            self.intro.setWordWrap(True)
            layout.addWidget(self.intro)
        if extra is not None:
            layout.addWidget(extra, 1)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(4)
        self.form = form
        self.editors: dict[str, FieldEditor] = {}
        for f in spec.fields:
            ed = FieldEditor(f, self)
            self.editors[f.key] = ed
            form.addRow(f.label + (" *" if f.required else ""), ed.widget)
            form.addRow("", ed.error)
            if values and f.key in values:
                ed.set_value(values[f.key])
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # Enter saves wherever the focus is (after Tab has passed 保存 onto 取消 too): 保存 is the default
        # button and no button takes the default over by having the focus
        for button in self.buttons.buttons():
            cast(QPushButton, button).setAutoDefault(False)  # a button box's buttons are push buttons
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        layout.addWidget(self.buttons)

    def save(self, session: Session, values: dict[str, Any]) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        return parse_values(self.spec, {k: ed.raw() for k, ed in self.editors.items()})

    def show_errors(self, errors: dict[str, str], message: str = "") -> None:
        for key, ed in self.editors.items():
            ed.set_error(errors.get(key))
        elsewhere = [m for k, m in errors.items() if k not in self.editors]
        text = "\n".join(elsewhere) if elsewhere else (message if not errors else "")
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def submit(self) -> None:
        values, errors = self.values()
        if errors:
            self.show_errors(errors)
            return
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)  # while it saves: a second press must not save twice
        self.ctx.ops.write(lambda session: self.save(session, values), owner=self, then=self._saved,
                           failed=self._refused, after=lambda: save.setEnabled(True),
                           label=self.tr("Saving…"))

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors, str(exc))
        else:  # a conflict, a refusal, a rule, the database: the sentence as it is
            self.show_errors({}, sentence(exc))


def run(dialog: QDialog) -> bool:
    """Show modally; True when saved."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def my_current_lines(ctx: AppContext, student_id: int | None, name: str, parent: QWidget,
                     caption: str) -> list[AssignmentLine] | None:
    """The signed-in mentor's current assignments to ``student_id`` (what a session or task they log for
    the student is by), or None after saying why there is none: no student chosen, or a former mentee."""
    if student_id is None:
        ctx.prompts.info(parent, caption, QCoreApplication.translate("MentorDeskView",
                                                                     "Choose a mentee in the list first."))
        return None
    actor = ctx.actor
    lines = ctx.ops.now(lambda session: mentoring.assignment_history(session, actor, student_id), owner=parent,
                        failed=lambda exc: ctx.prompts.error(parent, caption, sentence(exc)))
    if lines is None:
        return None
    mine = [a for a in mentoring.current_mentors(lines).values() if a.mentor_id == ctx.actor.mentor_id]
    if not mine:
        ctx.prompts.error(parent, caption, QCoreApplication.translate(
            "MentorDeskView", "{name} is a former mentee: their records are read-only.").format(name=name))
        return None
    return mine


# --------------------------------------------------------------------------- sessions and tasks


def _mentor_picker(ctx: AppContext, entry: TimelineEntry | None, mentors: Sequence[AssignmentLine]
                   ) -> tuple[QComboBox, QWidget, QFormLayout]:
    """Which mentor a session or task is by: the entry's own when editing; otherwise the student's
    current mentors (a mentor only ever sees themselves)."""
    box = QComboBox()
    box.setObjectName("mentorBox")
    if entry is not None:
        box.addItem(entry.mentor_name, entry.staff_no)
    else:
        for a in mentors:
            if not ctx.actor.is_mentor or a.mentor_id == ctx.actor.mentor_id:
                box.addItem(f"{a.mentor_name}（{label(a.role)}）", a.staff_no)
    box.setEnabled(box.count() > 1)
    holder = QWidget()
    row = QFormLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    return box, holder, row


class SessionDialog(FormDialog):
    """Log (or correct) a session. A mentor logs as themselves; an administrator chooses which of the
    student's current mentors held it."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None, *,
                 entry: TimelineEntry | None = None, mentors: Sequence[AssignmentLine] = ()) -> None:
        self.student_id, self.entry = student_id, entry
        self.mentor_box, holder, row = _mentor_picker(ctx, entry, mentors)
        # a new session is face to face unless the mentor says otherwise (the service's default too), so
        # the form never saves one that reads as having no kind
        values: dict[str, Any] = {"date": dt.date.today(), "minutes": 60, "kind": SessionKind.IN_PERSON}
        if entry is not None:
            values = {"date": entry.day, "minutes": entry.minutes, "kind": entry.session_kind, "topic": entry.title,
                      "notes": entry.notes}
        title = self.tr("Log a mentoring session") if entry is None else self.tr("Edit mentoring session")
        super().__init__(ctx, forms.SESSION_FORM, title + about(ctx, student_id), parent, extra=holder,
                         values=values)
        row.addRow(self.tr("Mentor"), self.mentor_box)
        self.confirmed_twice = False
        # a new session: the same meeting for other mentees too (a group session), and 复制上次
        self.others: QListView | None = None
        self.others_model = QStandardItemModel(self)
        if entry is None:
            copy = QPushButton(self.tr("Copy last session"), self)
            copy.setObjectName("copyLast")
            copy.clicked.connect(lambda _c=False: self.copy_last())
            row.addRow("", copy)
            self.others = QListView(self)
            self.others.setModel(self.others_model)
            self.others.setObjectName("groupMentees")
            self.others.setMaximumHeight(110)
            self.others_label = Label(self.tr("Also for (a group session)"), self)
            row.addRow(self.others_label, self.others)
            self.mentor_box.currentIndexChanged.connect(lambda _i: self._load_others())
            self._load_others()

    def _load_others(self) -> None:
        """The mentor's other current mentees, unticked, for a meeting held with several of them."""
        assert self.others is not None
        self.others_model.clear()
        staff_no, actor = self.mentor_box.currentData() or "", self.ctx.actor
        self.ctx.ops.read(lambda session: mentoring.mentees_on(session, actor, staff_no, dt.date.today())
                          if staff_no else [], owner=self, then=self._show_others,
                          failed=lambda _exc: self._show_others([]), slot="others")

    def _show_others(self, mentees: list[Any]) -> None:
        assert self.others is not None
        self.others_model.clear()
        for m in mentees:
            if m.student_id == self.student_id:
                continue
            item = QStandardItem(f"{m.name}（{m.student_no}）")
            item.setData(m.student_no, Qt.ItemDataRole.UserRole)
            item.setEditable(False)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.others_model.appendRow(item)
        shown = self.others_model.rowCount() > 0
        self.others.setVisible(shown)
        self.others_label.setVisible(shown)

    def chosen_others(self) -> list[str]:
        items = (self.others_model.item(i) for i in range(self.others_model.rowCount()))
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def copy_last(self) -> None:
        """Fill minutes, kind, topic and notes from the mentor's last session with this student (the
        date stays today's)."""
        actor, staff_no, student_id = self.ctx.actor, self.mentor_box.currentData() or "", self.student_id

        def read(session: Session) -> dict[str, Any] | None:
            last = mentoring.last_session(session, actor, staff_no, student_id)
            return None if last is None else {"minutes": last.minutes, "kind": last.kind, "topic": last.topic,
                                              "notes": last.notes}

        self.ctx.ops.read(read, owner=self, then=self._copy, failed=lambda exc: self.show_errors({}, sentence(exc)),
                          slot="copy")

    def _copy(self, values: dict[str, Any] | None) -> None:
        if values is None:
            self.show_errors({}, self.tr("No earlier session with this student to copy."))
            return
        for key, value in values.items():
            self.editors[key].set_value(value)
        self.show_errors({})

    def submit(self) -> None:
        """A session like one already logged (same mentor, day, minutes and topic) is saved only once the
        mentor confirms it is a second meeting: a warning, not a refusal."""
        values, errors = self.values()
        if errors or self.confirmed_twice:
            super().submit()
            return
        exclude = self.entry.id if self.entry is not None else None
        student_id = self.student_id
        self.ctx.ops.read(lambda session: mentoring.same_session(
            session, values["staff_no"], student_id, values["date"], values.get("minutes"), values.get("topic"),
            exclude_id=exclude), owner=self, then=self._checked_twice,
            failed=lambda _exc: self._checked_twice(False))  # saving says what is wrong

    def _checked_twice(self, twice: bool) -> None:
        if twice:
            if not self.ctx.prompts.confirm(self, self.windowTitle(), self.tr(
                    "A session with the same mentor, date, minutes and topic is already logged for this student. "
                    "Save this one as a second meeting?")):
                return
            self.confirmed_twice = True
        super().submit()

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        values, errors = super().values()
        return {**values, "staff_no": self.mentor_box.currentData() or "", "others": self.chosen_others()}, errors

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        student = session.get(Student, self.student_id)
        assert student is not None
        others = values.pop("others")
        v = {**values, "student_no": student.student_no}
        if others:  # one meeting, several mentees: all of them or none
            return [s.id for s in mentoring.save_group_session(session, self.ctx.actor, v,
                                                               [student.student_no, *others])][0]
        kw: dict[str, Any] = {}
        if self.entry is not None:
            kw = {"session_id": self.entry.id, "expected_version": self.entry.version}
        obj, _created = mentoring.save_session(session, self.ctx.actor, v, **kw)
        return obj.id


class TaskDialog(FormDialog):
    """Give an assignment (title, description, due date), or edit one."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None, *,
                 entry: TimelineEntry | None = None, mentors: Sequence[AssignmentLine] = ()) -> None:
        self.student_id, self.entry = student_id, entry
        self.mentor_box, holder, row = _mentor_picker(ctx, entry, mentors)
        today = dt.date.today()
        values: dict[str, Any] = {"assigned_on": today, "due_on": today + dt.timedelta(days=14)}
        if entry is not None:
            values = {"title": entry.title, "description": entry.notes, "assigned_on": entry.day,
                      "due_on": entry.due_on}
        title = self.tr("Give an assignment") if entry is None else self.tr("Edit assignment")
        super().__init__(ctx, forms.TASK_FORM, title + about(ctx, student_id), parent, extra=holder, values=values)
        row.addRow(self.tr("Mentor"), self.mentor_box)

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        values, errors = super().values()
        return {**values, "staff_no": self.mentor_box.currentData() or ""}, errors

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        student = session.get(Student, self.student_id)
        assert student is not None
        v = {**values, "student_no": student.student_no}
        kw: dict[str, Any] = {}
        if self.entry is not None:
            e = self.entry
            v.update(status=e.status, submitted_on=e.submitted_on, reviewed_on=e.reviewed_on, score=e.score,
                     feedback=e.feedback)
            kw = {"task_id": e.id, "expected_version": e.version}
        obj, _created = mentoring.save_task(session, self.ctx.actor, v, **kw)
        return obj.id


class SubmissionDialog(FormDialog):
    def __init__(self, ctx: AppContext, entry: TimelineEntry, parent: QWidget | None = None) -> None:
        self.entry = entry
        super().__init__(ctx, forms.SUBMISSION_FORM, self.tr("Record submission") + about(ctx, entry.student_id),
                         parent,
                         intro=self.tr("{title} (due {due})").format(title=entry.title, due=entry.due_on),
                         values={"submitted_on": entry.submitted_on or dt.date.today()})

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        return mentoring.record_submission(session, self.ctx.actor, self.entry.id, values["submitted_on"],
                                           self.entry.version).id


class ReviewDialog(FormDialog):
    def __init__(self, ctx: AppContext, entry: TimelineEntry, parent: QWidget | None = None) -> None:
        self.entry = entry
        intro = self.tr("{title}: submitted on {date}").format(title=entry.title, date=entry.submitted_on or "–")
        super().__init__(ctx, forms.REVIEW_FORM, self.tr("Review") + about(ctx, entry.student_id), parent, intro=intro,
                         values={"reviewed_on": entry.reviewed_on or dt.date.today(), "score": entry.score,
                                 "feedback": entry.feedback})

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        return mentoring.review_task(session, self.ctx.actor, self.entry.id, values["reviewed_on"], values.get("score"),
                                     values.get("feedback"), self.entry.version).id


# --------------------------------------------------------------------------- assignments (administrators)


class SuggestionPicker(QWidget):
    """Qualified mentors for a role: those mentoring the student's programme first, then the most free
    places; a box adds the mentors at capacity (choosing one needs an override reason)."""

    def __init__(self, ctx: AppContext, student_id: int, role: MentorRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id, self.role = ctx, student_id, role
        self.model = RowsModel([self.tr("Staff no."), self.tr("Mentor"), self.tr("Organisation"),
                                self.tr("Current mentees"), self.tr("Free places"),
                                self.tr("Mentees in this programme")], self)
        self.view = table_view(self.model, self, "suggestions")
        self.view.setMinimumHeight(170)
        # a hundred mentors: found by typing (number, name or organisation), sorted by any column
        self.found: list[Suggestion] = []
        self.sort_column, self.sort_descending = -1, False
        self.filter = QLineEdit(self)
        self.filter.setObjectName("suggestionFilter")
        self.filter.setPlaceholderText(self.tr("Type a staff no., name or organisation…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _t: self._show())
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort_by)
        self.show_full = QCheckBox(self.tr("Also show mentors at capacity"), self)
        self.show_full.setObjectName("showFull")
        self.show_full.toggled.connect(lambda _on: self.load())
        heading = Label(self.tr("Suggested mentors"), self)
        heading.setProperty("role", "heading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.show_full)

    def load(self, role: MentorRole | None = None) -> None:
        if role is not None:
            self.role = role
        actor, student_id, role, full = self.ctx.actor, self.student_id, self.role, self.show_full.isChecked()
        self.ctx.ops.read(lambda session: mentoring.suggest_mentors(session, actor, student_id, role, include_full=full,
                                                                    limit=None),
                          owner=self, then=self._found, slot="suggestions")

    def _found(self, found: list[Suggestion]) -> None:
        self.found = found
        self._show()

    _KEYS = (lambda s: s.staff_no, lambda s: s.name, lambda s: s.organisation, lambda s: s.load,
             lambda s: s.free, lambda s: s.same_programme)

    def _sort_by(self, column: int) -> None:
        self.sort_descending = not self.sort_descending if column == self.sort_column else column >= 3
        self.sort_column = column
        self.view.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if self.sort_descending else Qt.SortOrder.AscendingOrder)
        self._show()

    def _show(self) -> None:
        """The suggestions matching the typed text, in the order chosen (the service's by default); the
        chosen mentor stays chosen while they are shown."""
        chosen = self.chosen()
        text = self.filter.text().strip().lower()
        shown = [s for s in self.found if not text or text in f"{s.staff_no} {s.name} {s.organisation}".lower()]
        if self.sort_column >= 0:
            shown.sort(key=self._KEYS[self.sort_column], reverse=self.sort_descending)
        rows = [[s.staff_no, s.name, s.organisation, str(s.load), str(s.free), str(s.same_programme)] for s in shown]
        self.model.set_rows(rows, list(shown), [s.free <= 0 for s in shown])
        if shown:
            index = next((i for i, s in enumerate(shown) if chosen is not None and s.mentor_id == chosen.mentor_id), 0)
            self.view.selectRow(index)

    def chosen(self) -> Suggestion | None:
        item = selected_item(self.view)
        return item if isinstance(item, Suggestion) else None


class _MentorPickDialog(FormDialog):
    """A form whose mentor is picked from a SuggestionPicker (``self.picker``) above the fields."""

    picker: SuggestionPicker

    def load(self) -> bool:
        """The suggestions, read in the background (a failure is said; the dialog stays for another try)."""
        self.picker.load()
        return True

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        values, errors = super().values()
        chosen = self.picker.chosen()
        if chosen is None:
            errors = {**errors, "mentor": self.tr("Choose a mentor from the list.")}
        return {**values, "mentor_id": chosen.mentor_id if chosen is not None else None}, errors

    def chosen_mentor(self, session: Session, values: dict[str, Any]) -> Mentor:
        """The picked mentor (``values()`` refused to go on without one), loaded in ``session``."""
        mentor = session.get(Mentor, values["mentor_id"])
        assert mentor is not None
        return mentor


class AssignDialog(_MentorPickDialog):
    """Give a student a mentor in a role: the suggestions list, a start date, an override reason."""

    def __init__(self, ctx: AppContext, student_id: int, role: MentorRole, student_label: str,
                 parent: QWidget | None = None) -> None:
        self.student_id, self.role = student_id, role
        self.picker = SuggestionPicker(ctx, student_id, role)
        super().__init__(ctx, forms.ASSIGN_FORM, "", parent, intro=" ", extra=self.picker,
                         values={"start": dt.date.today()})
        self.setWindowTitle(self.tr("Assign {role}: {student}").format(role=label(role), student=student_label))
        self.intro.setText(self.tr("Choose a mentor for {student} as {role}. The administrator confirms; "
                                   "nothing is assigned automatically.").format(student=student_label,
                                                                               role=label(role)))
        self.setMinimumWidth(640)

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        mentor = self.chosen_mentor(session, values)
        student = session.get(Student, self.student_id)
        assert student is not None
        return mentoring.assign(session, self.ctx.actor, student, mentor, self.role, values["start"],
                                override_reason=values.get("override_reason")).id


class ReassignDialog(_MentorPickDialog):
    """Hand a current assignment's role to another mentor from a date, with a reason."""

    def __init__(self, ctx: AppContext, student_id: int, current: AssignmentLine,
                 parent: QWidget | None = None) -> None:
        self.current = current
        self.picker = SuggestionPicker(ctx, student_id, current.role)
        super().__init__(ctx, forms.REASSIGN_FORM,
                         self.tr("Reassign {role}").format(role=label(current.role)) + about(ctx, student_id), parent,
                         intro=" ", extra=self.picker, values={"start": dt.date.today()})
        self.intro.setText(self.tr("{mentor} holds this role since {start}. The new mentor takes over on the start "
                                   "date; the current assignment ends that day with the reason given.")
                           .format(mentor=current.mentor_name, start=current.start_on))
        self.setMinimumWidth(640)

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        mentor = self.chosen_mentor(session, values)
        return mentoring.reassign(session, self.ctx.actor, self.current.id, mentor, values["start"], values["reason"],
                                  override_reason=values.get("override_reason"),
                                  expected_version=self.current.version).id


class DeleteEntryDialog(FormDialog):
    """Delete a session or task logged by mistake, with a reason (the audit log keeps both)."""

    def __init__(self, ctx: AppContext, entry: TimelineEntry, parent: QWidget | None = None) -> None:
        self.entry = entry
        what = self.tr("session") if entry.kind == "session" else self.tr("assignment")
        super().__init__(ctx, forms.DELETE_FORM,
                         self.tr("Delete {what}").format(what=what) + about(ctx, entry.student_id),
                         parent, intro=" ")
        self.intro.setText(self.tr("Delete the {what} of {date} “{title}” by {mentor}? It then counts in no figure "
                                   "and no record; the audit log keeps it with your reason.")
                           .format(what=what, date=entry.day, title=entry.title, mentor=entry.mentor_name))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Delete"))

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        return mentoring.delete_entry(session, self.ctx.actor, self.entry.kind, self.entry.id, values["reason"],
                                      self.entry.version)


class MoveEntryDialog(QDialog):
    """Move a session or task logged for the wrong student to another of the mentor's mentees that day."""

    def __init__(self, ctx: AppContext, entry: TimelineEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.entry = ctx, entry
        self.setObjectName("moveEntryDialog")
        what = self.tr("session") if entry.kind == "session" else self.tr("assignment")
        self.setWindowTitle(self.tr("Move {what}").format(what=what) + about(ctx, entry.student_id))
        self.setMinimumWidth(440)
        self.result_value: list[str] | None = None
        intro = Label(self.tr("Move the {what} of {date} “{title}” by {mentor} to:").format(
            what=what, date=entry.day, title=entry.title, mentor=entry.mentor_name), self)
        intro.setWordWrap(True)
        self.student = QComboBox(self)
        self.student.setObjectName("moveTo")
        actor = ctx.actor
        mentees = ctx.ops.now(lambda session: mentoring.mentees_on(session, actor, entry.staff_no, entry.day),
                              owner=parent, failed=lambda _exc: None) or []  # none to offer: the banner says so
        for m in mentees:
            if m.student_id != entry.student_id:
                self.student.addItem(f"{m.name}（{m.student_no}）", m.student_no)
        self.banner = Label(self)
        self.banner.setProperty("role", "error")
        self.banner.setWordWrap(True)
        self.banner.setVisible(self.student.count() == 0)
        self.banner.setText(self.tr("{mentor} had no other mentee on {date}.").format(mentor=entry.mentor_name,
                                                                                     date=entry.day))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Move"))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.student.count() > 0)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(intro)
        layout.addWidget(self.student)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        actor, entry, student_no = self.ctx.actor, self.entry, self.student.currentData() or ""
        self.ctx.ops.write(lambda session: mentoring.move_entry(session, actor, entry.kind, entry.id, student_no,
                                                                entry.version),
                           owner=self, then=self._moved, failed=self._refused, label=self.tr("Saving…"))

    def _moved(self, result: list[str]) -> None:
        self.result_value = result
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.banner.setText(sentence(exc))
        self.banner.show()


class CancelTaskDialog(FormDialog):
    """Cancel a task no longer wanted: it stays on the record as cancelled and is overdue on no day."""

    def __init__(self, ctx: AppContext, entry: TimelineEntry, parent: QWidget | None = None) -> None:
        self.entry = entry
        super().__init__(ctx, forms.CANCEL_FORM, self.tr("Cancel assignment") + about(ctx, entry.student_id), parent,
                         intro=" ")
        self.intro.setText(self.tr("Cancel “{title}” (due {due})? It stays on the record as cancelled and is no "
                                   "longer overdue.").format(title=entry.title, due=entry.due_on))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Cancel assignment"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Keep it"))

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        return mentoring.cancel_task(session, self.ctx.actor, self.entry.id, values["reason"], self.entry.version).id


class EndAssignmentDialog(FormDialog):
    def __init__(self, ctx: AppContext, current: AssignmentLine, parent: QWidget | None = None, *,
                 student_id: int | None = None) -> None:
        self.current = current
        title = self.tr("End assignment") + (about(ctx, student_id) if student_id is not None else "")
        super().__init__(ctx, forms.END_FORM, title, parent, intro=" ",
                         values={"end": dt.date.today()})
        self.intro.setText(self.tr("{mentor} as {role} since {start}. The end date is the first day the mentor no "
                                   "longer holds the role.").format(mentor=current.mentor_name,
                                                                    role=label(current.role), start=current.start_on))

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        return mentoring.end_assignment(session, self.ctx.actor, self.current.id, values["end"], values["reason"],
                                        self.current.version).id


class BulkAssignDialog(FormDialog):
    """Many students → one mentor in one role, within the mentor's free places (or with an override)."""

    def __init__(self, ctx: AppContext, role: MentorRole, students: Sequence[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        self.role, self.students = role, list(students)
        holder = QWidget()
        self.model = RowsModel([QCoreApplication.translate("BulkAssignDialog", "Staff no."),
                                QCoreApplication.translate("BulkAssignDialog", "Mentor"),
                                QCoreApplication.translate("BulkAssignDialog", "Current mentees"),
                                QCoreApplication.translate("BulkAssignDialog", "Free places")], holder)
        self.view = table_view(self.model, holder, "mentors")
        self.view.setMinimumHeight(170)
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)
        super().__init__(ctx, forms.ASSIGN_FORM, self.tr("Assign one mentor to {n} students").format(n=len(students)),
                         parent, intro=" ", extra=holder, values={"start": dt.date.today()})
        names = "、".join(s for _i, s in self.students[:8]) + ("…" if len(self.students) > 8 else "")
        self.intro.setText(self.tr("{role} for: {names}").format(role=label(role), names=names))
        self.setMinimumWidth(640)

    def load(self) -> bool:
        actor, role = self.ctx.actor, self.role
        return self.ctx.ops.open(lambda session: [w for w in coverage.workload(session, actor) if w.role is role],
                                 window=self, then=self._show_mentors)

    def _show_mentors(self, rows: list[Any]) -> None:
        rows.sort(key=lambda w: (-w.free, w.staff_no))
        self.model.set_rows([[w.staff_no, w.name, str(w.load), str(w.free)] for w in rows], rows,
                            [w.free < len(self.students) for w in rows])
        if rows:
            self.view.selectRow(0)

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        values, errors = super().values()
        chosen = selected_item(self.view)
        if chosen is None:
            errors = {**errors, "mentor": self.tr("Choose a mentor from the list.")}
        return {**values, "mentor_id": chosen.mentor_id if chosen is not None else None}, errors

    def save(self, session: Session, values: dict[str, Any]) -> Any:
        mentor = session.get(Mentor, values["mentor_id"])
        assert mentor is not None
        made = mentoring.bulk_assign(session, self.ctx.actor, [i for i, _s in self.students], mentor, self.role,
                                     values["start"], override_reason=values.get("override_reason"))
        return len(made)


def open_dialog(dialog: FormDialog, loader: Callable[[], bool] | None = None) -> bool:
    if loader is not None and not loader():
        return False
    return run(dialog)
