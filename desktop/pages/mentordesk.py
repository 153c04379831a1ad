"""A mentor's home after signing in: my mentees (former ones read-only), sessions due (no session from
me in the last N days), tasks to review and overdue tasks; log a session or give an assignment for the
selected mentee, open a mentee's detail window (three mentors and the shared timeline)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from db import menteelist, mentoring  # noqa: F401  (menteelist registers the mentees list)
from db.labels import label
from db.listing import ListRow
from db.mentoring import MentorDesk

from .. import mentoringdialogs as dialogs
from ..context import AppContext
from ..listpage import ListPage
from ..plain import Label
from ..studentdetail import open_student
from .home import Card


class MentorDeskView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mentorDesk")
        self.data: MentorDesk | None = None
        self.cards: dict[str, Card] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, (key, caption) in enumerate((
                ("current", self.tr("My current mentees")), ("former", self.tr("Former mentees")),
                ("due", self.tr("Sessions due")), ("review", self.tr("Tasks to review")),
                ("overdue", self.tr("Overdue tasks")))):
            self.cards[key] = Card(caption, f"card_{key}", self)
            grid.addWidget(self.cards[key], 0, i)
        grid.setColumnStretch(5, 1)

        # per mentee: the role, current or former, the last session and how many days ago, the sessions
        # this month, the open tasks (db.menteelist)
        self.mentees = ListPage(ctx, "mentees", title=self.tr("My mentees"), on_open=self._open_row, parent=self)
        self.mentees.add_button(self.tr("Log session…"), "logSession", self.log_session)
        self.mentees.add_button(self.tr("Give assignment…"), "giveTask", self.give_task)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self._heading(self.tr("My mentees (former ones read-only)")))
        lv.addWidget(self.mentees, 1)

        self.due_model = dialogs.RowsModel([self.tr("Student"), self.tr("Role"), self.tr("Last session")], self)
        self.due_view = dialogs.table_view(self.due_model, self, "sessionsDue")
        self.due_view.activated.connect(lambda i: self._open_item(self.due_model.items[i.row()].student_id))
        self.review_model = dialogs.RowsModel([self.tr("Student"), self.tr("Task"), self.tr("Submitted"),
                                               self.tr("Due")], self)
        self.review_view = dialogs.table_view(self.review_model, self, "toReview")
        # a task waiting for review opens the review itself (the student's record is one click further)
        self.review_view.activated.connect(lambda i: self.review(self.review_model.items[i.row()]))
        self.overdue_model = dialogs.RowsModel([self.tr("Student"), self.tr("Task"), self.tr("Due"),
                                                self.tr("Status")], self)
        self.overdue_view = dialogs.table_view(self.overdue_model, self, "overdue")
        self.overdue_view.activated.connect(lambda i: self._open_item(self.overdue_model.items[i.row()].student_id))
        bottom = QWidget(self)
        bv = QVBoxLayout(bottom)
        bv.setContentsMargins(0, 0, 0, 0)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        self.due_heading = self._heading(self.tr("Sessions due"))
        for heading, view in ((self.due_heading, self.due_view),
                              (self._heading(self.tr("Tasks to review")), self.review_view),
                              (self._heading(self.tr("Overdue tasks")), self.overdue_view)):
            column = QVBoxLayout()
            column.addWidget(heading)
            column.addWidget(view, 1)
            columns.addLayout(column, 1)
        bv.addLayout(columns, 1)
        # each panel within its third of the width: the long column (the student, the task) takes what is
        # left and elides, instead of a horizontal scroll bar at 1280×800
        # (the student and the task share it: a task title cut to one character said nothing)
        for view, long_columns in ((self.due_view, (0,)), (self.review_view, (0, 1)), (self.overdue_view, (0, 1))):
            view.horizontalHeader().setStretchLastSection(False)
            for long_column in long_columns:
                view.horizontalHeader().setSectionResizeMode(long_column, QHeaderView.ResizeMode.Stretch)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
        hint = Label(self.tr("Double-click a line to open the student's mentors and timeline."), self)
        hint.setProperty("role", "hint")
        bv.addWidget(hint)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("deskSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)  # as much height for the three panels as for the mentees
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addLayout(grid)
        layout.addLayout(row)
        layout.addWidget(split, 1)

    def _heading(self, text: str) -> QLabel:
        heading = Label(text, self)
        heading.setProperty("role", "heading")
        return heading

    def activate(self) -> None:
        actor = self.ctx.actor
        self.ctx.ops.read(lambda session: mentoring.mentor_desk(session, actor), owner=self, then=self._show,
                          slot="desk")

    def _show(self, d: mentoring.MentorDesk) -> None:
        self.data = d
        self.cards["current"].set_value(len(d.mentees))
        self.cards["former"].set_value(d.former)
        self.cards["due"].set_value(len(d.sessions_due), warn=bool(d.sessions_due))
        self.cards["review"].set_value(len(d.to_review), warn=bool(d.to_review))
        self.cards["overdue"].set_value(len(d.overdue), warn=bool(d.overdue))
        self.due_heading.setText(self.tr("Sessions due (no session in {n} days)").format(n=d.no_contact_days))
        never = self.tr("never")
        self.due_model.set_rows([[f"{m.name}（{m.student_no}）", label(m.role),
                                  m.last_session.isoformat() if m.last_session else never] for m in d.sessions_due],
                                list(d.sessions_due))
        self.review_model.set_rows([[f"{x.student_name}（{x.student_no}）", x.title,
                                     x.submitted_on.isoformat() if x.submitted_on else "", x.due_on.isoformat()]
                                    for x in d.to_review], list(d.to_review))
        self.overdue_model.set_rows([[f"{x.student_name}（{x.student_no}）", x.title, x.due_on.isoformat(),
                                      dialogs.overdue_status(x.status)] for x in d.overdue], list(d.overdue),
                                    [True] * len(d.overdue))
        if self.mentees.model.loaded:
            current = self.mentees.view.currentIndex().row()  # keep the mentee the mentor was working on
            self.mentees.refresh(then=lambda: self.mentees.select_row(current))
        else:
            self.mentees.activate()

    # ---------------------------------------------------------------- actions

    def _open_row(self, row: ListRow) -> bool:
        return self._open_item(row.id)

    def _open_item(self, student_id: int) -> bool:
        open_student(self.ctx, student_id, self)
        self.activate()  # the mentor may have logged or reviewed in the detail window
        return False

    def _my_line(self) -> tuple[int, list[mentoring.AssignmentLine]] | None:
        row = self.mentees.current_row()
        mine = dialogs.my_current_lines(self.ctx, row.id if row is not None else None,
                                        str(row.values[1]) if row is not None else "", self, self.tr("My mentees"))
        return None if row is None or mine is None else (row.id, mine)

    def review(self, item: mentoring.TaskLine) -> bool:
        """Review a submitted task straight from the home list; the list then keeps its place."""
        entry = mentoring.TimelineEntry(
            "task", item.task_id, item.version, item.assigned_on, self.ctx.actor.mentor_id or 0, "", "", None,
            item.title, due_on=item.due_on, status=item.status, submitted_on=item.submitted_on,
            student_id=item.student_id)
        row = self.review_view.currentIndex().row()
        saved = dialogs.run(dialogs.ReviewDialog(self.ctx, entry, self))
        if saved:
            self.activate()
            if self.review_model.rowCount():
                self.review_view.selectRow(min(max(row, 0), self.review_model.rowCount() - 1))
        return saved

    def new_action(self) -> bool:
        """Ctrl+N on the mentor's home: log a session with the mentee selected."""
        return self.log_session()

    def log_session(self) -> bool:
        found = self._my_line()
        if found is None:
            return False
        saved = dialogs.run(dialogs.SessionDialog(self.ctx, found[0], self, mentors=found[1]))
        if saved:
            self.activate()
        return saved

    def give_task(self) -> bool:
        found = self._my_line()
        if found is None:
            return False
        saved = dialogs.run(dialogs.TaskDialog(self.ctx, found[0], self, mentors=found[1]))
        if saved:
            self.activate()
        return saved

