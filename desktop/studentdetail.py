"""A student's detail window (the record, then one tab per registered panel), and the mentor-history
table the record dialog also shows."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import dashboard, failures
from db.actor import unit_of_work
from db.auth import log_access
from db.dashboard import MentorLine
from db.errors import TalentDeskError
from db.labels import label

from . import style
from .context import AppContext
from .linesmodel import LinesModel
from .plain import Label
from .studentpanels import StudentPanel, panels_for

Index = QModelIndex | QPersistentModelIndex

class _Panels(Mapping[str, QWidget]):
    """The detail window's panels by key, in tab order; a panel is built (and reads) on first access —
    when its tab is first shown, or when code asks for it."""

    def __init__(self, window: StudentDetail) -> None:
        self.window = window
        self.pages: dict[str, tuple[StudentPanel, QWidget]] = {}
        self.built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        if key not in self.built:
            if key not in self.pages:
                raise KeyError(key)
            self.built[key] = self.window._build(key)
        return self.built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


class MentorHistoryModel(LinesModel):
    def __init__(self, parent: Any = None) -> None:
        today = dt.date.today()
        super().__init__([], self._cells, parent,
                         colour=lambda line: None if line.active_on(today) else "#6b7280")  # former: grey
        self.today = today
        self.headers = [self.tr("Role"), self.tr("Mentor"), self.tr("Organisation"), self.tr("From"),
                        self.tr("Until"), self.tr("Reason")]

    @staticmethod
    def _cells(line: MentorLine) -> list[Any]:
        return [line.role, f"{line.mentor_name}（{line.staff_no}）", line.organisation, line.start_on, line.end_on,
                line.end_reason or ""]


class MentorHistory(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mentorHistory")
        heading = Label(self.tr("Mentors (current and former)"), self)
        heading.setProperty("role", "heading")
        self.model = MentorHistoryModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setMinimumHeight(120)
        self.view.setMaximumHeight(170)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.view)

    def set_lines(self, lines: list[MentorLine]) -> None:
        self.model.set_lines(lines)


# --------------------------------------------------------------------------- the detail window


class StudentDetail(QDialog):
    """Everything about one student: the basic record on top, then one tab per panel registered in
    ``desktop.studentpanels`` for the actor's role, in their order (the three mentors and the
    timeline first, then courses and balance, recognised credits, projects …).

    The constructor builds nothing that reads; ``load()`` reads the record (an access-log line, PIPL)
    and builds the panels, each of which reads through its scheme's services."""

    FIELDS = ("student_no", "name", "cohort", "programme", "gender", "status", "home_university", "enrolled_on",
              "phone", "email")

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.setObjectName("studentDetail")
        self.setWindowTitle(self.tr("Student"))
        style.fit_to_screen(self, 1040, 720)
        self.changed = False
        self.heading = Label(self)
        self.heading.setObjectName("detailHeading")
        self.heading.setProperty("role", "heading")
        self.facts: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        from forms.specs import STUDENTS

        for i, key in enumerate(self.FIELDS):
            caption = Label(STUDENTS.field(key).label + "：", self)
            caption.setProperty("role", "hint")
            value = Label("", self)
            value.setObjectName(f"fact_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            grid.addWidget(caption, i // 5, (i % 5) * 2, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(value, i // 5, (i % 5) * 2 + 1)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        self.edit_button: QPushButton | None = None
        if ctx.actor.is_admin:
            self.edit_button = QPushButton(self.tr("Edit record…"), self)
            self.edit_button.setObjectName("editRecord")
            self.edit_button.clicked.connect(lambda _c=False: self.edit_record())
            top.addWidget(self.edit_button)
        if ctx.actor.is_admin:  # who changed what about this student (the audit log, searched for them)
            history = QPushButton(self.tr("Change history…"), self)
            history.setObjectName("changeHistory")
            history.clicked.connect(lambda _c=False: self.change_history())
            top.addWidget(history)
        # the student's record as a PDF to print and sign (mentors: their own mentees; `report student`)
        self.print_button = QPushButton(self.tr("Print record (PDF)…"), self)
        self.print_button.setObjectName("printRecord")
        self.print_button.clicked.connect(lambda _c=False: self.print_record())
        top.addWidget(self.print_button)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("panels")
        self.panels = _Panels(self)  # key -> the scheme's panel, built when its tab is first shown
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)

    def load(self) -> bool:
        """Read the record and build the first tab's panel. Every other panel reads when its tab is first
        shown: opening a student costs the record and one panel's reads, not all five schemes' (each a
        few round trips to the server, issue #25)."""
        if not self._load_record(log=True):  # said already (the runner may answer before the window opens)
            return False
        for panel in panels_for(self.ctx.actor.role.value):
            page = QWidget(self.tabs)
            page.setObjectName(f"tab_{panel.key}")
            box = QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            self.panels.pages[panel.key] = (panel, page)
            self.tabs.addTab(page, QCoreApplication.translate("StudentPanels", panel.title))
        self.tabs.currentChanged.connect(self._tab_shown)
        self._tab_shown(self.tabs.currentIndex())
        return True

    def _tab_shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        key = next((k for k, (_p, w) in self.panels.pages.items() if w is page), None)
        if key is not None:
            self.panels[key]  # noqa: B018  (built on first access)

    def show_panel(self, key: str) -> QWidget:
        """Bring ``key``'s tab forward (its panel built if it was not yet); returns the panel."""
        self.tabs.setCurrentWidget(self.panels.pages[key][1])
        return self.panels[key]

    def _build(self, key: str) -> QWidget:
        panel, page = self.panels.pages[key]
        try:
            widget = panel.factory(self.ctx, self.student_id, page)
        except Exception as exc:  # one scheme's panel failing must not close the others
            reason = exc
            if isinstance(exc, TalentDeskError) or type(exc).__module__.startswith("sqlalchemy"):
                reason = failures.said(exc)  # the database's sentence, not the driver's text
            widget = Label(self.tr("This panel cannot be shown: {error}").format(error=reason), page)
            widget.setWordWrap(True)
            widget.setProperty("role", "error")
        widget.setObjectName(widget.objectName() or f"panel_{panel.key}")
        layout = page.layout()
        assert layout is not None  # every page was given its QVBoxLayout when the tabs were made
        layout.addWidget(widget)
        return widget

    def _load_record(self, log: bool = False) -> bool:
        actor, student_id = self.ctx.actor, self.student_id

        def read(session: Session) -> dashboard.RecordSnapshot:
            snap = dashboard.record(session, actor, "students", student_id)
            if log:  # the access-log line, written with the reads
                log_access(session, actor.username, "view_student", "student", snap.id, snap.values.get("student_no"))
            return snap

        return self.ctx.ops.open(read, window=self, then=self._show_record, log=log)

    def _show_record(self, snap: Any) -> None:
        self.setWindowTitle(self.tr("Student: {name}").format(name=snap.title))
        self.heading.setText(snap.title)
        for key, value in self.facts.items():
            raw = snap.values.get(key)
            value.setText(label(raw) if isinstance(raw, enum.Enum) else "" if raw is None else str(raw))

    def print_record(self, path: str | None = None) -> None:
        """Write the student's record (the content of `talentdesk report student`) to a PDF, off the UI
        thread, and say where."""
        from .prompts import pdf_filter

        no = self.facts["student_no"].text()
        caption = self.tr("Print record (PDF)…").rstrip("…")
        path = path or self.ctx.prompts.save_file(self, caption, self.tr("Student record {no}").format(no=no) + ".pdf",
                                                  pdf_filter())
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        factory, actor = self.ctx.factory, self.ctx.actor

        def work(_task: Any) -> str:
            from reports import student

            with unit_of_work(factory, actor) as session:
                record = student.build(session, actor, no)
            student.write_pdf(record, path)
            return path

        self.ctx.tasks.run(work, parent=self, label=caption,
                           on_success=lambda p: self.ctx.prompts.info(
                               self, caption, self.tr("The record is written to {path}.").format(path=p)))

    def change_history(self, show: bool = True) -> QDialog:
        """The audit log's entries about this student and everything of theirs (sessions, tasks,
        enrolments, assignments, requests, deleted ones too), newest first, in a window of its own."""
        from .listpage import history_window

        return history_window(self.ctx, self, self.heading.text(), search=self.facts["student_no"].text(),
                              show=show)  # type: ignore[return-value]

    def edit_record(self) -> bool:
        from .recorddialog import open_record

        if open_record(self.ctx, "students", self.student_id, self):
            self.changed = True
            self._load_record()
            return True
        return False


def open_student(ctx: AppContext, student_id: int, parent: QWidget | None) -> bool:
    """Open a student's detail window modally; True when the record was changed."""
    dialog = StudentDetail(ctx, student_id, parent)
    if not dialog.load():
        return False
    dialog.exec()
    return dialog.changed
