"""The three-mentor scheme's panels of a student's detail view: the three mentors with history, and
the one timeline of sessions and tasks across them. Registered in ``desktop.studentpanels``.

Actions follow the actor: an administrator assigns, reassigns and ends assignments and may log for any
current mentor; a mentor logs sessions and gives, receives and reviews assignments for a current mentee
(their own entries only); a former mentor and a viewer read. The services check all of it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import dashboard, mentoring
from db.labels import label
from db.mentoring import AssignmentLine, TimelineEntry
from db.models import MentorRole, TaskStatus

from . import mentoringdialogs as dialogs
from .context import AppContext
from .plain import Label, tip
from .qttyping import QT_TRANSLATE_NOOP
from .studentdetail import MentorHistoryModel

Index = QModelIndex | QPersistentModelIndex


def _button(parent: QWidget, text: str, name: str, slot: Any) -> QPushButton:
    b = QPushButton(text, parent)
    b.setObjectName(name)
    b.clicked.connect(lambda _c=False: slot())
    return b


class RoleCard(QFrame):
    """One role: the current mentor (organisation, since when) or a warning that it is missing."""

    def __init__(self, role: MentorRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.setObjectName(f"role_{role.value}")
        self.setProperty("role", "card")
        self.title = Label(label(role), self)
        self.title.setProperty("role", "hint")
        self.name = Label("–", self)
        self.name.setObjectName("mentorName")
        self.name.setProperty("role", "heading")
        self.detail = Label("", self)
        self.detail.setProperty("role", "hint")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.name)
        layout.addWidget(self.detail)

    def show_line(self, line: AssignmentLine | None) -> None:
        if line is None:
            self.name.setText(self.tr("Missing"))
            self.name.setProperty("role", "warn")
            self.detail.setText(self.tr("No mentor in this role today"))
        else:
            self.name.setText(f"{line.mentor_name}（{line.staff_no}）")
            self.name.setProperty("role", "heading")
            text = self.tr("{org} · since {start}").format(org=line.organisation, start=line.start_on)
            if line.capacity_override:
                text += "\n" + self.tr("Over capacity by override: {reason}").format(reason=line.override_reason or "")
            self.detail.setText(text)
        self.name.style().unpolish(self.name)
        self.name.style().polish(self.name)


class ThreeMentorPanel(QWidget):
    """The three roles today, the history (current and former), and the administrator's actions."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.setObjectName("threeMentorPanel")
        self.lines: list[AssignmentLine] = []
        self.student_label = ""
        cards = QHBoxLayout()
        self.cards = {role: RoleCard(role, self) for role in MentorRole}
        for card in self.cards.values():
            cards.addWidget(card, 1)
        heading = Label(self.tr("History (current and former)"), self)
        heading.setProperty("role", "heading")
        self.model = MentorHistoryModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("history")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(cards)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        self.buttons: dict[str, QPushButton] = {}
        if ctx.actor.is_admin:
            row = QHBoxLayout()
            self.buttons["assign"] = _button(self, self.tr("Assign a missing role…"), "assignButton", self.assign)
            self.buttons["reassign"] = _button(self, self.tr("Reassign…"), "reassignButton", self.reassign)
            self.buttons["end"] = _button(self, self.tr("End assignment…"), "endButton", self.end)
            for b in self.buttons.values():
                row.addWidget(b)
            row.addStretch(1)
            layout.addLayout(row)
            self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.load()

    def load(self) -> None:
        actor, student_id = self.ctx.actor, self.student_id

        def read(session: Session) -> tuple[list[AssignmentLine], str]:
            return (mentoring.assignment_history(session, actor, student_id),
                    dashboard.record(session, actor, "students", student_id).title)

        self.ctx.ops.read(read, owner=self, then=lambda got: self._show(*got), slot="history")

    def _show(self, lines: list[AssignmentLine], student_label: str) -> None:
        self.lines, self.student_label = lines, student_label
        current = mentoring.current_mentors(self.lines)
        for role, card in self.cards.items():
            card.show_line(current.get(role))
        self.model.set_lines(self.lines)
        self._enable()

    def _selected(self) -> AssignmentLine | None:
        index = self.view.currentIndex()
        return self.lines[index.row()] if index.isValid() and index.row() < len(self.lines) else None

    def _enable(self) -> None:
        if not self.buttons:
            return
        current = mentoring.current_mentors(self.lines)
        chosen = self._selected()
        today = dt.date.today()
        ongoing = chosen is not None and (chosen.end_on is None or chosen.end_on > today)
        self.buttons["assign"].setEnabled(len(current) < len(MentorRole))
        self.buttons["reassign"].setEnabled(ongoing)
        self.buttons["end"].setEnabled(ongoing)

    def missing_roles(self) -> list[MentorRole]:
        current = mentoring.current_mentors(self.lines)
        return [r for r in MentorRole if r not in current]

    def assign(self, role: MentorRole | None = None) -> bool:
        missing = self.missing_roles()
        role = role or (missing[0] if missing else None)
        if role is None:
            return False
        dialog = dialogs.AssignDialog(self.ctx, self.student_id, role, self.student_label, self)
        return self._done(dialogs.open_dialog(dialog, dialog.load))

    def reassign(self) -> bool:
        chosen = self._selected()
        if chosen is None:
            return False
        dialog = dialogs.ReassignDialog(self.ctx, self.student_id, chosen, self)
        return self._done(dialogs.open_dialog(dialog, dialog.load))

    def end(self) -> bool:
        chosen = self._selected()
        if chosen is None:
            return False
        return self._done(dialogs.run(dialogs.EndAssignmentDialog(self.ctx, chosen, self,
                                                                  student_id=self.student_id)))

    def _done(self, saved: bool) -> bool:
        if saved:
            self.load()
        return saved


# --------------------------------------------------------------------------- the timeline


class TimelineModel(QAbstractTableModel):
    COLUMNS = (
        QT_TRANSLATE_NOOP("TimelineModel", "Date"),
        QT_TRANSLATE_NOOP("TimelineModel", "Type"),
        QT_TRANSLATE_NOOP("TimelineModel", "Mentor"),
        QT_TRANSLATE_NOOP("TimelineModel", "Topic / task"),
        QT_TRANSLATE_NOOP("TimelineModel", "Details"),
        QT_TRANSLATE_NOOP("TimelineModel", "Status"),
        QT_TRANSLATE_NOOP("TimelineModel", "Notes / feedback"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[TimelineEntry] = []

    def set_entries(self, entries: list[TimelineEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def _status(self, e: TimelineEntry) -> str:
        if e.kind == "session":
            return ""
        if e.cancelled_on is not None:
            return self.tr("Cancelled on {date}").format(date=e.cancelled_on)
        # an overdue task says whose lateness it is: the student's (not handed in by the due date) or the
        # mentor's (handed in, the review is late)
        text = dialogs.overdue_status(e.status) if e.overdue else label(e.status)
        if e.status is TaskStatus.REVIEWED and e.score is not None:
            text += self.tr(" · score {score:g}").format(score=e.score)
        if e.submitted_on is not None and e.due_on is not None and e.submitted_on > e.due_on:
            text += self.tr(" · handed in late")
        return text

    def _details(self, e: TimelineEntry) -> str:
        if e.kind == "session":
            return self.tr("{minutes} min, {kind}").format(minutes=e.minutes, kind=label(e.session_kind))
        return self.tr("due {due}").format(due=e.due_on)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and e.overdue and index.column() == 5:
            return QColor("#b42318")
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(e.cancel_reason or e.notes or e.feedback or None)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        who = f"{e.mentor_name}（{label(e.role)}）" if e.role else e.mentor_name
        kind = self.tr("Session") if e.kind == "session" else self.tr("Assignment")
        said = e.cancel_reason or (e.feedback if e.kind == "task" and e.feedback else e.notes) or ""
        return [e.day.isoformat(), kind, who, e.title, self._details(e), self._status(e),
                " ".join(said.split())][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            from PySide6.QtCore import QCoreApplication

            return QCoreApplication.translate("TimelineModel", self.COLUMNS[section])
        return None


class TimelinePanel(QWidget):
    """Sessions and tasks from all three mentors, newest first, and the mentor's actions on them."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.setObjectName("timelinePanel")
        self.current: list[AssignmentLine] = []
        self.model = TimelineModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("timeline")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for i, w in enumerate((90, 70, 150, 200, 120, 180)):  # the status: 待评阅（评阅逾期） · 逾期提交
            self.view.setColumnWidth(i, w)
        self.summary = Label(self)
        self.summary.setProperty("role", "hint")
        # which entries: all, the signed-in mentor's own, sessions only, tasks only
        self.entry_filter = QComboBox(self)
        self.entry_filter.setObjectName("timelineFilter")
        self.entry_filter.addItem(self.tr("All entries"), "all")
        if ctx.actor.is_mentor:
            self.entry_filter.addItem(self.tr("My entries"), "mine")
        self.entry_filter.addItem(self.tr("Sessions only"), "session")
        self.entry_filter.addItem(self.tr("Assignments only"), "task")
        self.entry_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.entries: list[TimelineEntry] = []
        self._kept: tuple[str, int] | None = None
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.entry_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.buttons: dict[str, QPushButton] = {}
        if not ctx.actor.is_viewer:
            row = QHBoxLayout()
            for key, text, slot in (("session", self.tr("Log session…"), self.log_session),
                                    ("task", self.tr("Give assignment…"), self.give_task),
                                    ("submit", self.tr("Record submission…"), self.record_submission),
                                    ("review", self.tr("Review…"), self.review),
                                    ("edit", self.tr("Edit…"), self.edit),
                                    ("move", self.tr("Move to another mentee…"), self.move_entry),
                                    ("cancel", self.tr("Cancel assignment…"), self.cancel_task),
                                    ("delete", self.tr("Delete…"), self.delete)):
                self.buttons[key] = _button(self, text, f"{key}Button", slot)
                row.addWidget(self.buttons[key])
            row.addStretch(1)
            layout.addLayout(row)
            self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
            self.view.activated.connect(lambda _i: self.edit())
        self.load()

    def load(self) -> None:
        actor, student_id = self.ctx.actor, self.student_id

        def read(session: Session) -> tuple[list[TimelineEntry], list[AssignmentLine]]:
            return (mentoring.timeline(session, actor, student_id),
                    mentoring.assignment_history(session, actor, student_id))

        self.ctx.ops.read(read, owner=self, then=lambda got: self._show(*got), slot="timeline")

    def _show(self, entries: list[TimelineEntry], lines: list[AssignmentLine]) -> None:
        self.current = list(mentoring.current_mentors(lines).values())
        self.entries = entries
        self._apply_filter()
        sessions = [e for e in entries if e.kind == "session"]
        tasks = [e for e in entries if e.kind == "task"]
        self.summary.setText(self.tr("{s} sessions ({h:.1f} hours), {t} assignments, {o} overdue").format(
            s=len(sessions), h=sum(e.minutes or 0 for e in sessions) / 60, t=len(tasks),
            o=sum(1 for e in tasks if e.overdue)))
        self._enable()

    def _apply_filter(self) -> None:
        """Show the entries the filter asks for, the selected one still selected when it is shown."""
        chosen = self.selected()
        kept = (chosen.kind, chosen.id) if chosen is not None else self._kept
        wanted = self.entry_filter.currentData()
        shown = [e for e in self.entries if wanted == "all" or e.kind == wanted
                 or (wanted == "mine" and e.mentor_id == self.ctx.actor.mentor_id)]
        self.model.set_entries(shown)
        self._kept = kept  # also when the filter hides it: shown again, it is selected again
        for row, e in enumerate(shown):
            if (e.kind, e.id) == kept:
                self.view.selectRow(row)
                break
        self._enable()

    def can_log(self) -> bool:
        """An administrator, or a mentor who is one of the student's current mentors."""
        if self.ctx.actor.is_admin:
            return bool(self.current)
        return any(a.mentor_id == self.ctx.actor.mentor_id for a in self.current)

    def selected(self) -> TimelineEntry | None:
        index = self.view.currentIndex()
        return self.model.entries[index.row()] if index.isValid() else None

    def _enable(self) -> None:
        if not self.buttons:
            return
        e = self.selected()
        task = e is not None and e.kind == "task" and e.editable and e.cancelled_on is None
        self.buttons["session"].setEnabled(self.can_log())
        self.buttons["task"].setEnabled(self.can_log())
        self.buttons["submit"].setEnabled(task and e is not None and e.status is TaskStatus.ASSIGNED)
        self.buttons["review"].setEnabled(task and e is not None and e.status is not TaskStatus.ASSIGNED)
        self.buttons["edit"].setEnabled(e is not None and e.editable)
        self.buttons["cancel"].setEnabled(task and e is not None and e.status is not TaskStatus.REVIEWED)
        self.buttons["delete"].setEnabled(e is not None and e.editable)
        self.buttons["move"].setEnabled(e is not None and e.editable)

    def _done(self, saved: bool, row: int | None = None) -> bool:
        """After an action the entry stays selected; one that left the timeline (deleted, moved) leaves the
        selection on the entry that took its place."""
        if saved:
            self.load()
            if row is not None and row >= 0 and not self.view.currentIndex().isValid() and self.model.rowCount():
                self.view.selectRow(min(row, self.model.rowCount() - 1))
        return saved

    def _say_frozen(self, title: str, text: str, frozen: list[str]) -> None:
        if frozen:
            self.ctx.prompts.info(self, title, text.format(quarters="、".join(frozen)))

    def log_session(self) -> bool:
        return self._done(dialogs.run(dialogs.SessionDialog(self.ctx, self.student_id, self, mentors=self.current)))

    def give_task(self) -> bool:
        return self._done(dialogs.run(dialogs.TaskDialog(self.ctx, self.student_id, self, mentors=self.current)))

    def record_submission(self) -> bool:
        e = self.selected()
        if e is None or e.kind != "task":
            return False
        return self._done(dialogs.run(dialogs.SubmissionDialog(self.ctx, e, self)))

    def review(self) -> bool:
        e = self.selected()
        if e is None or e.kind != "task":
            return False
        return self._done(dialogs.run(dialogs.ReviewDialog(self.ctx, e, self)))

    def delete(self) -> bool:
        e = self.selected()
        if e is None or not e.editable:
            return False
        row = self.view.currentIndex().row()
        dialog = dialogs.DeleteEntryDialog(self.ctx, e, self)
        if not dialogs.run(dialog):
            return False
        self._say_frozen(self.tr("Deleted"), self.tr(
            "Deleted. The issued report of {quarters} keeps counting it: an issued quarter's figures never "
            "change."), dialog.result_value.frozen if dialog.result_value is not None else [])
        return self._done(True, row)

    def move_entry(self) -> bool:
        """The entry was logged for the wrong student: to the right one (it then leaves this timeline)."""
        e = self.selected()
        if e is None or not e.editable:
            return False
        row = self.view.currentIndex().row()
        dialog = dialogs.MoveEntryDialog(self.ctx, e, self)
        if not dialogs.run(dialog):
            return False
        self._say_frozen(self.tr("Moved"), self.tr(
            "Moved. The issued report of {quarters} keeps counting it as it was: an issued quarter's figures "
            "never change."), dialog.result_value or [])
        return self._done(True, row)

    def cancel_task(self) -> bool:
        e = self.selected()
        if e is None or e.kind != "task" or not e.editable:
            return False
        return self._done(dialogs.run(dialogs.CancelTaskDialog(self.ctx, e, self)))

    def edit(self) -> bool:
        e = self.selected()
        if e is None or not e.editable:
            return False
        if e.kind == "session":
            return self._done(dialogs.run(dialogs.SessionDialog(self.ctx, self.student_id, self, entry=e)))
        return self._done(dialogs.run(dialogs.TaskDialog(self.ctx, self.student_id, self, entry=e)))

