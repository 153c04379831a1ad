"""The 课程 page: programmes with their plans (foundation vs industry credits), and courses."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import curriculum, dashboard
from db.auth import unit_of_work
from db.curriculum import PlanDetail, PlanLine
from db.errors import ConflictError, TalentDeskError
from db.labels import label
from db.listing import ListRow

from ..context import AppContext
from ..listpage import ListPage
from ..recorddialog import open_record

Index = QModelIndex | QPersistentModelIndex


class PlanModel(QAbstractTableModel):
    """The courses of one programme's plan."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[PlanLine] = []
        self.headers = [self.tr("Code"), self.tr("Course"), self.tr("Category"), self.tr("Credits"),
                        self.tr("Required")]

    def set_lines(self, lines: list[PlanLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [line.course_code, line.course_name, label(line.category), f"{line.credits:g}",
                self.tr("Yes") if line.required else self.tr("No")][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class PlanPanel(QWidget):
    """One programme's plan: its courses, the foundation/industry balance, add and remove."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programme_id: int | None = None
        self.balance: PlanDetail | None = None
        self.heading = QLabel(self.tr("Select a programme to see its plan."), self)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.model = PlanModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("planTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        for i in range(self.model.columnCount()):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.course_box: QComboBox | None = None
        if ctx.actor.is_admin:
            self.course_box = QComboBox(self)
            self.course_box.setObjectName("courseChoice")
            self.course_box.setMinimumContentsLength(16)
            self.required = QCheckBox(self.tr("Required"), self)
            self.required.setChecked(True)
            self.add_button = QPushButton(self.tr("Add to plan"), self)
            self.add_button.setObjectName("addCourse")
            self.add_button.clicked.connect(self.add_course)
            self.remove_button = QPushButton(self.tr("Remove from plan"), self)
            self.remove_button.setObjectName("removeCourse")
            self.remove_button.clicked.connect(self.remove_course)
            row = QHBoxLayout()
            row.addWidget(self.course_box, 1)
            row.addWidget(self.required)
            row.addWidget(self.add_button)
            row.addWidget(self.remove_button)
            layout.addLayout(row)
        self.setEnabled(False)

    def show_programme(self, programme_id: int | None) -> None:
        self.programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        if self.programme_id is None:
            self.model.set_lines([])
            self.setEnabled(False)
            return
        try:
            with self.ctx.factory() as session:
                self.balance = curriculum.plan_detail(session, self.ctx.actor, self.programme_id)
                choices = dashboard.course_choices(session, self.ctx.actor) if self.course_box else []
        except TalentDeskError as exc:
            self.ctx.prompts.error(self, self.tr("Programme plan"), str(exc))
            return
        b = self.balance
        self.setEnabled(True)
        self.heading.setText(self.tr("Plan of {code} {name}").format(code=b.code, name=b.name))
        self.model.set_lines(b.lines)
        if b.share is None:
            share = self.tr("no foundation or industry courses yet")
        else:
            verdict = self.tr("within the band") if b.in_band else self.tr("outside the band")
            share = self.tr("foundation share {share:.1f}% (target {target:.0f}% ± {tol:.0f} points, {verdict})").format(
                share=b.share * 100, target=b.balance.target_share * 100, tol=b.balance.tolerance * 100, verdict=verdict)
        self.summary.setText(self.tr("Foundation {f:g} credits · industry {i:g} credits · other {o:g} credits; {share}")
                             .format(f=b.balance.foundation, i=b.balance.industry, o=b.balance.other, share=share))
        self.summary.setProperty("role", "ok" if b.in_band else ("warn" if b.share is not None else ""))
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        if self.course_box is not None:
            in_plan = {line.course_code for line in b.lines}
            self.course_box.clear()
            for c in choices:
                if c.code not in in_plan:
                    self.course_box.addItem(f"{c.code} {c.name}", c.code)

    def add_course(self) -> None:
        if self.balance is None or self.course_box is None or not self.course_box.currentData():
            return
        values = {"programme": self.balance.code, "course": self.course_box.currentData(),
                  "required": self.required.isChecked()}
        try:
            with unit_of_work(self.ctx.factory, self.ctx.actor) as session:
                curriculum.save_programme_course(session, self.ctx.actor, values)
        except TalentDeskError as exc:
            self.ctx.prompts.error(self, self.tr("Programme plan"), str(exc))
        self.reload()

    def remove_course(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        line = self.model.lines[index.row()]
        text = self.tr("Remove {code} {name} from this plan?").format(code=line.course_code, name=line.course_name)
        if not self.ctx.prompts.confirm(self, self.tr("Programme plan"), text):
            return
        try:
            with unit_of_work(self.ctx.factory, self.ctx.actor) as session:
                curriculum.remove_programme_course(session, self.ctx.actor, line.link_id, line.link_version)
        except ConflictError as exc:
            self.ctx.prompts.error(self, self.tr("Programme plan"), str(exc))
        except TalentDeskError as exc:
            self.ctx.prompts.error(self, self.tr("Programme plan"), str(exc))
        self.reload()


class CurriculumPage(QWidget):
    """Two tabs: programmes (with the selected programme's plan) and courses."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.programmes = ListPage(
            ctx, "programmes", title=self.tr("Programmes"),
            on_new=(lambda: open_record(ctx, "programmes", None, self)) if admin else None,
            on_open=lambda row: self._open("programmes", row), import_kind="programmes" if admin else None,
            exportable=True, parent=self)
        self.plan = PlanPanel(ctx, self)
        self.programmes.selectionChanged.connect(
            lambda row: self.plan.show_programme(row.id if row is not None else None))
        self.programmes.model.modelReset.connect(lambda: self.plan.show_programme(None))
        split = QSplitter(self)
        split.setObjectName("planSplitter")
        split.addWidget(self.programmes)
        split.addWidget(self.plan)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.courses = ListPage(
            ctx, "courses", title=self.tr("Courses"),
            on_new=(lambda: open_record(ctx, "courses", None, self)) if admin else None,
            on_open=lambda row: self._open("courses", row), import_kind="courses" if admin else None,
            exportable=True, parent=self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, self.tr("Programmes and plans"))
        self.tabs.addTab(self.courses, self.tr("Courses"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _open(self, kind: str, row: ListRow) -> bool:
        return open_record(self.ctx, kind, row.id, self, read_only=not self.ctx.actor.is_admin)

    def activate(self) -> None:
        self.current_list().activate()

    def current_list(self) -> ListPage:
        return self.programmes if self.tabs.currentIndex() == 0 else self.courses
