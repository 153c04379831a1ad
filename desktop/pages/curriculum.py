"""The 课程 page: the 50/50 curriculum.

Tabs: programmes (each with a balance gauge) beside the selected programme's plan editor (live
balance; every change shows the balance before → after first; an administrator can simulate
changes without saving); courses (category filter); enrolments; and the balance of every cohort
and student, exportable to Excel. The student detail view shows ``curriculum_panel`` (listed in
desktop.studentpanels). Every figure comes from db.curriculum / db.balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import curriculum, dashboard
from db.actor import unit_of_work
from db.curriculum import (
    AddCourse,
    Balance,
    ChangeCourse,
    CohortBalance,
    PlanChange,
    PlanDetail,
    PlanLine,
    RemoveCourse,
    StudentBalance,
    StudentCurriculum,
    WhatIf,
)
from db.labels import label
from db.listing import ListRow
from db.models import CourseCategory
from forms.specs import parse_values

from ..context import AppContext
from ..linesmodel import LinesModel
from ..listpage import ListPage
from ..operations import sentence
from ..plain import Label
from ..prompts import xlsx_filter
from ..qttyping import QT_TRANSLATE_NOOP
from ..recorddialog import RecordDialog, open_record
from ..tablemodel import ROW_ROLE
from ..tasks import TaskContext

Index = QModelIndex | QPersistentModelIndex

OK_COLOUR = QColor("#1a7f37")
WARN_COLOUR = QColor("#b54708")
BAND_COLOUR = QColor("#d8efdf")
TRACK_COLOUR = QColor("#e9edf2")
GHOST_COLOUR = QColor("#2f5597")


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def band_text(b: Balance) -> str:
    return QCoreApplication.translate("Curriculum", "{lo:.0f}%–{hi:.0f}%").format(
        lo=(b.target_share - b.tolerance) * 100, hi=(b.target_share + b.tolerance) * 100)


def verdict(b: Balance) -> str:
    if b.share is None:
        return QCoreApplication.translate("Curriculum", "no credits yet")
    if b.in_band:
        return QCoreApplication.translate("Curriculum", "within the band")
    return QCoreApplication.translate("Curriculum", "outside the band")


def balance_line(b: Balance) -> str:
    """Foundation 41.5 credits · industry 31 credits · share 57.2% (band 45%–55%, outside the band)."""
    return QCoreApplication.translate(
        "Curriculum", "Foundation {f:g} credits · industry {i:g} credits · foundation share {share} "
        "(band {band}, {verdict})").format(f=b.foundation, i=b.industry, share=percent(b.share),
                                           band=band_text(b), verdict=verdict(b))


def what_if_text(w: WhatIf) -> str:
    """Before → after, one figure a line (the confirmation shown before saving a change)."""
    b, a = w.before, w.after
    lines = [
        w.label,
        QCoreApplication.translate("Curriculum", "Foundation credits: {before:g} → {after:g}").format(
            before=b.foundation, after=a.foundation),
        QCoreApplication.translate("Curriculum", "Industry credits: {before:g} → {after:g}").format(
            before=b.industry, after=a.industry),
        QCoreApplication.translate("Curriculum", "Foundation share: {before} → {after} (band {band})").format(
            before=percent(b.share), after=percent(a.share), band=band_text(a)),
        QCoreApplication.translate("Curriculum", "Balance: {before} → {after}").format(
            before=verdict(b), after=verdict(a)),
    ]
    if w.leaves_band:
        lines.append(QCoreApplication.translate("Curriculum",
                                                "Warning: this change takes the balance out of the band."))
    elif w.enters_band:
        lines.append(QCoreApplication.translate("Curriculum", "This change brings the balance back into the band."))
    lines.extend(w.notes)
    return "\n".join(lines)


# --------------------------------------------------------------------------- the gauge


def paint_gauge(painter: QPainter, rect: QRectF, share: float | None, target: float, tolerance: float,
                after: float | None = None) -> None:
    """A 0–100 % track with the band shaded, the target marked and the share as a bar; a what-if's
    'after' share as a hollow marker."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(TRACK_COLOUR)
    painter.drawRoundedRect(rect, 3, 3)
    x = rect.left()
    w = rect.width()
    lo, hi = max(0.0, target - tolerance), min(1.0, target + tolerance)
    painter.setBrush(BAND_COLOUR)
    painter.drawRect(QRectF(x + lo * w, rect.top(), (hi - lo) * w, rect.height()))
    if share is not None:
        inside = abs(share - target) <= tolerance + 1e-9
        colour = OK_COLOUR if inside else WARN_COLOUR
        painter.setBrush(colour)
        bar = QRectF(x, rect.top() + rect.height() * 0.3, max(2.0, share * w), rect.height() * 0.4)
        painter.drawRoundedRect(bar, 2, 2)
        painter.drawRect(QRectF(x + share * w - 1.5, rect.top(), 3, rect.height()))
    painter.setPen(QPen(QColor("#243447"), 1, Qt.PenStyle.DashLine))
    painter.drawLine(int(x + target * w), int(rect.top()), int(x + target * w), int(rect.bottom()))
    if after is not None:
        inside = abs(after - target) <= tolerance + 1e-9
        painter.setPen(QPen(OK_COLOUR if inside else WARN_COLOUR, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        cx = x + after * w
        painter.drawEllipse(QRectF(cx - 5, rect.center().y() - 5, 10, 10))
    painter.restore()


class BalanceGauge(QWidget):
    """A share against its band, with an optional what-if marker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("balanceGauge")
        self.balance: Balance | None = None
        self.after: float | None = None
        self.setMinimumHeight(22)

    def sizeHint(self) -> QSize:
        return QSize(260, 24)

    def set_balance(self, balance: Balance | None, after: float | None = None) -> None:
        self.balance, self.after = balance, after
        self.setToolTip(balance_line(balance) if balance is not None else "")
        self.update()

    def paintEvent(self, _event: Any) -> None:
        if self.balance is None:
            return
        painter = QPainter(self)
        b = self.balance
        paint_gauge(painter, QRectF(self.rect()).adjusted(1, 2, -1, -2), b.share, b.target_share, b.tolerance,
                    self.after)
        painter.end()


class GaugeDelegate(QStyledItemDelegate):
    """Paints the share column of the programmes list as a gauge with the percentage beside it."""

    def __init__(self, share_col: int, target_col: int, tolerance_col: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.cols = (share_col, target_col, tolerance_col)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: ListRow | None = index.data(ROW_ROLE)
        if row is None:
            super().paint(painter, option, index)
            return
        share, target, tolerance = (row.values[c] for c in self.cols)
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        if style is not None:
            option.text = ""
            style.drawControl(style.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        rect = QRectF(option.rect).adjusted(4, 6, -4, -6)
        text_w = 52.0
        paint_gauge(painter, QRectF(rect.left(), rect.top(), rect.width() - text_w, rect.height()),
                    share, float(target), float(tolerance))
        painter.save()
        painter.setPen(option.palette.text().color())
        painter.drawText(QRectF(rect.right() - text_w + 4, option.rect.top(), text_w - 4, option.rect.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), percent(share))
        painter.restore()


# --------------------------------------------------------------------------- the plan editor


class PlanModel(LinesModel):
    """The courses of one programme's plan."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], self._cells, parent, numeric=(3, 5))
        self.headers = [self.tr("Code"), self.tr("Course"), self.tr("Category"), self.tr("Credits"),
                        self.tr("Required"), self.tr("Term")]

    def _cells(self, line: PlanLine) -> list[Any]:
        return [line.course_code, line.course_name, line.category, f"{line.credits:g}",
                self.tr("Yes") if line.required else self.tr("No"),
                "" if line.recommended_term is None else str(line.recommended_term)]


class PlanPanel(QWidget):
    """One programme's plan: its courses and live balance; add and remove show before → after."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programme_id: int | None = None
        self.balance: PlanDetail | None = None
        self.preview: WhatIf | None = None
        self.heading = Label(self.tr("Select a programme to see its plan."), self)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.gauge = BalanceGauge(self)
        self.summary = Label(self)
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
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for i, width in enumerate((72, 0, 58, 48, 48, 70)):
            if width:
                self.view.setColumnWidth(i, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.gauge)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.whatif = Label(self)
        self.whatif.setObjectName("whatIf")
        self.whatif.setWordWrap(True)
        self.whatif.setProperty("role", "hint")
        self.whatif.hide()
        layout.addWidget(self.whatif)
        self.course_box: QComboBox | None = None
        if ctx.actor.is_admin:
            self.course_box = QComboBox(self)
            self.course_box.setObjectName("courseChoice")
            self.course_box.setMinimumContentsLength(16)
            self.course_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.course_box.currentIndexChanged.connect(lambda _i: self.preview_add())
            self.required = QCheckBox(self.tr("Required"), self)
            self.required.setChecked(True)
            self.add_button = QPushButton(self.tr("Add to plan"), self)
            self.add_button.setObjectName("addCourse")
            self.add_button.clicked.connect(self.add_course)
            self.remove_button = QPushButton(self.tr("Remove from plan"), self)
            self.remove_button.setObjectName("removeCourse")
            self.remove_button.clicked.connect(self.remove_course)
            self.simulate_button = QPushButton(self.tr("What-if…"), self)
            self.simulate_button.setObjectName("simulate")
            self.simulate_button.setToolTip(self.tr("Try changes to this plan and see the balance, without saving"))
            self.simulate_button.clicked.connect(self.simulate)
            row = QHBoxLayout()
            row.addWidget(self.course_box, 1)
            row.addWidget(self.required)
            row.addWidget(self.add_button)
            layout.addLayout(row)
            row2 = QHBoxLayout()
            row2.addWidget(self.remove_button)
            row2.addStretch(1)
            row2.addWidget(self.simulate_button)
            layout.addLayout(row2)
            self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self.preview_remove())
        self.setEnabled(False)

    def show_programme(self, programme_id: int | None) -> None:
        self.programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        self.preview = None
        self.whatif.hide()
        if self.programme_id is None:
            self.ctx.ops.forget(self, "plan")  # a plan asked for a moment ago is not shown now
            self.balance = None
            self.model.set_lines([])
            self.gauge.set_balance(None)
            self.summary.clear()
            self.heading.setText(self.tr("Select a programme to see its plan."))
            self.setEnabled(False)
            return
        actor, programme_id, with_choices = self.ctx.actor, self.programme_id, self.course_box is not None

        def read(session: Session) -> tuple[Any, list[Any]]:
            return (curriculum.plan_detail(session, actor, programme_id),
                    dashboard.course_choices(session, actor) if with_choices else [])

        self.ctx.ops.read(read, owner=self, then=lambda got: self._show_plan(*got), slot="plan")

    def _show_plan(self, b: Any, choices: list[Any]) -> None:
        self.balance = b
        self.setEnabled(True)
        self.heading.setText(self.tr("Plan of {code} {name}").format(code=b.code, name=b.name))
        self.model.set_lines(b.lines)
        self.gauge.set_balance(b.balance)
        self._show_summary(b.balance)
        if self.course_box is not None:
            in_plan = {line.course_code for line in b.lines}
            self.course_box.blockSignals(True)
            self.course_box.clear()
            self.course_box.addItem(self.tr("Choose a course to add…"), None)
            for c in choices:
                if c.code not in in_plan:
                    self.course_box.addItem(f"{c.code} {c.name}", c.code)
                    self.course_box.setItemData(self.course_box.count() - 1, c.id, Qt.ItemDataRole.UserRole + 1)
            self.course_box.blockSignals(False)

    def _show_summary(self, b: Balance) -> None:
        self.summary.setText(balance_line(b) + " · " + self.tr("other {o:g} credits").format(o=b.other))
        self.summary.setProperty("role", "ok" if b.in_band else ("warn" if b.share is not None else ""))
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    # ---------------------------------------------------------------- live what-if

    def _what_if(self, changes: Sequence[PlanChange], then: Callable[[WhatIf], Any]) -> None:
        """The plan's balance before → after ``changes``, computed in the background, to ``then``."""
        if self.programme_id is None:
            return
        actor, programme_id, changes = self.ctx.actor, self.programme_id, list(changes)
        self.ctx.ops.read(lambda session: curriculum.plan_what_if(session, actor, programme_id, changes), owner=self,
                          then=then, slot="what-if")

    def _show_preview(self, action: str, w: WhatIf | None) -> None:
        self.preview = w
        if w is None or self.balance is None:
            self.whatif.hide()
            self.gauge.set_balance(self.balance.balance if self.balance else None)
            return
        self.gauge.set_balance(w.before, w.after.share)
        self.whatif.setText(self.tr("What-if — {action}: foundation share {before} → {after} ({verdict})").format(
            action=action, before=percent(w.before.share), after=percent(w.after.share), verdict=verdict(w.after)))
        self.whatif.setProperty("role", "warn" if w.after.share is not None and not w.after.in_band else "ok")
        self.whatif.style().unpolish(self.whatif)
        self.whatif.style().polish(self.whatif)
        self.whatif.show()

    def _chosen_course(self) -> tuple[int, str] | None:
        if self.course_box is None or not self.course_box.currentData():
            return None
        return self.course_box.currentData(Qt.ItemDataRole.UserRole + 1), self.course_box.currentData()

    def preview_add(self) -> None:
        chosen = self._chosen_course()
        if chosen is None:
            self._show_preview("", None)
            return
        action = self.tr("add {code}").format(code=chosen[1])
        self._what_if([AddCourse(chosen[0])], lambda w: self._show_preview(action, w))

    def preview_remove(self) -> None:
        line = self._current_line()
        if line is None:
            return
        action = self.tr("remove {code}").format(code=line.course_code)
        self._what_if([RemoveCourse(line.course_id)], lambda w: self._show_preview(action, w))

    def _current_line(self) -> PlanLine | None:
        index = self.view.currentIndex()
        return self.model.lines[index.row()] if index.isValid() and index.row() < len(self.model.lines) else None

    # ---------------------------------------------------------------- changes (before → after first)

    def add_course(self) -> None:
        chosen = self._chosen_course()
        if self.balance is None or chosen is None:
            return
        self._what_if([AddCourse(chosen[0])], lambda w: self._confirm_add(chosen, w))

    def _confirm_add(self, chosen: tuple[int, str], w: WhatIf) -> None:
        if self.balance is None:
            return
        text = self.tr("Add {code} to the plan?").format(code=chosen[1]) + "\n\n" + what_if_text(w)
        if not self.ctx.prompts.confirm(self, self.tr("Programme plan"), text):
            return
        values = {"programme": self.balance.code, "course": chosen[1], "required": self.required.isChecked()}
        actor = self.ctx.actor
        self.ctx.ops.write(lambda session: curriculum.save_programme_course(session, actor, values), owner=self,
                           then=self._plan_changed, failed=self._plan_refused, label=self.tr("Programme plan"))

    def remove_course(self) -> None:
        line = self._current_line()
        if line is None:
            return
        self._what_if([RemoveCourse(line.course_id)], lambda w: self._confirm_remove(line, w))

    def _confirm_remove(self, line: PlanLine, w: WhatIf) -> None:
        text = self.tr("Remove {code} {name} from this plan?").format(code=line.course_code, name=line.course_name)
        if not self.ctx.prompts.confirm(self, self.tr("Programme plan"), text + "\n\n" + what_if_text(w)):
            return
        actor = self.ctx.actor
        self.ctx.ops.write(
            lambda session: curriculum.remove_programme_course(session, actor, line.link_id, line.link_version),
            owner=self, then=self._plan_changed, failed=self._plan_refused, label=self.tr("Programme plan"))

    def _plan_changed(self, _result: Any = None) -> None:
        self.reload()
        self.changed()

    def _plan_refused(self, exc: BaseException) -> None:
        """Said, and the plan read again: another PC may have changed it (a conflict)."""
        self.ctx.prompts.error(self, self.tr("Programme plan"), sentence(exc))
        self._plan_changed()

    def changed(self) -> None:
        """Called after the plan changed (the page refreshes the programmes' gauges)."""
        if self.on_changed is not None:
            self.on_changed()

    on_changed: Callable[[], None] | None = None

    def simulate(self) -> None:
        if self.programme_id is None:
            return
        dialog = WhatIfDialog(self.ctx, self.programme_id, self)
        if dialog.load():
            dialog.exec()
            if dialog.applied:  # the changes tried were made: the plan and the gauges show them
                self.reload()
                self.changed()


# --------------------------------------------------------------------------- what-if simulator


class WhatIfDialog(QDialog):
    """Try changes to a plan — add or remove courses, change a course's credits or category — and
    see the balance before → after. Nothing is saved until an administrator applies the changes tried
    (one unit of work, every row audited)."""

    def __init__(self, ctx: AppContext, programme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.programme_id = ctx, programme_id
        self.changes: list[PlanChange] = []
        self.detail: PlanDetail | None = None
        self.courses: list[dashboard.Choice] = []
        self.setObjectName("whatIfDialog")
        self.setWindowTitle(self.tr("What-if: plan balance"))
        self.setMinimumWidth(640)
        note = Label(self.tr("Nothing is saved until you apply the changes: try them and compare the balance "
                             "before and after."), self)
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        self.course = QComboBox(self)
        self.course.setObjectName("simCourse")
        self.course.setMinimumContentsLength(18)
        self.course.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        add = QPushButton(self.tr("Add"), self)
        add.setObjectName("simAdd")
        add.clicked.connect(lambda: self._stage(AddCourse(self._course_id())))
        remove = QPushButton(self.tr("Remove"), self)
        remove.setObjectName("simRemove")
        remove.clicked.connect(lambda: self._stage(RemoveCourse(self._course_id())))
        self.credits = QDoubleSpinBox(self)
        self.credits.setObjectName("simCredits")
        self.credits.setRange(0.5, 60)
        self.credits.setSingleStep(0.5)
        self.credits.setDecimals(1)
        self.category = QComboBox(self)
        self.category.setObjectName("simCategory")
        for cat in CourseCategory:
            self.category.addItem(label(cat), cat.value)
        change = QPushButton(self.tr("Change"), self)
        change.setObjectName("simChange")
        change.clicked.connect(lambda: self._stage(ChangeCourse(self._course_id(), self.credits.value(),
                                                                self.chosen_category())))
        self.course.currentIndexChanged.connect(lambda _i: self._course_picked())
        for button in (add, remove, change):
            button.setAutoDefault(False)
        grid = QGridLayout()
        grid.addWidget(Label(self.tr("Course"), self), 0, 0)
        grid.addWidget(self.course, 0, 1, 1, 3)
        grid.addWidget(add, 0, 4)
        grid.addWidget(remove, 0, 5)
        grid.addWidget(Label(self.tr("Credits"), self), 1, 0)
        grid.addWidget(self.credits, 1, 1)
        grid.addWidget(Label(self.tr("Category"), self), 1, 2)
        grid.addWidget(self.category, 1, 3)
        grid.addWidget(change, 1, 4, 1, 2)
        grid.setColumnStretch(1, 1)
        self.staged_model = QStringListModel(self)
        self.staged = QListView(self)
        self.staged.setModel(self.staged_model)
        self.staged.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.staged.setObjectName("simChanges")
        self.staged.setMaximumHeight(110)
        reset = QPushButton(self.tr("Start again"), self)
        reset.setObjectName("simReset")
        reset.clicked.connect(self.reset)
        self.table = Label(self)
        self.table.setObjectName("simTable")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.gauge = BalanceGauge(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.apply_button = buttons.addButton(self.tr("Apply to the plan…"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.apply_button.setObjectName("simApply")
        self.apply_button.setAutoDefault(False)
        self.apply_button.setEnabled(False)
        self.apply_button.setVisible(ctx.actor.is_admin)
        self.apply_button.clicked.connect(self.apply)
        self.applied = False
        layout = QVBoxLayout(self)
        self.heading = Label(self)
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(Label(self.tr("Changes tried"), self))
        layout.addWidget(self.staged)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(reset)
        layout.addLayout(row)
        layout.addWidget(self.gauge)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.what_if: WhatIf | None = None  # the balance before → after of the changes tried

    def load(self) -> bool:
        actor, programme_id = self.ctx.actor, self.programme_id

        def read(session: Session) -> tuple[Any, Any, Any]:
            return (curriculum.plan_detail(session, actor, programme_id), dashboard.course_choices(session, actor),
                    curriculum.course_facts(session, actor))

        return self.ctx.ops.open(read, window=self, then=lambda got: self._show(*got))

    def _show(self, detail: Any, courses: Any, course_info: Any) -> None:
        self.detail, self.courses, self.course_info = detail, courses, course_info
        self.heading.setText(self.tr("What-if for {code} {name}").format(code=self.detail.code,
                                                                         name=self.detail.name))
        in_plan = {line.course_id for line in self.detail.lines}
        self.course.blockSignals(True)
        for c in self.courses:
            mark = self.tr(" (in plan)") if c.id in in_plan else ""
            self.course.addItem(f"{c.code} {c.name}{mark}", c.id)
        self.course.blockSignals(False)
        self._course_picked()
        self.recompute()

    def _course_id(self) -> int:
        return int(self.course.currentData())

    def chosen_category(self) -> CourseCategory:
        return CourseCategory(self.category.currentData())

    def _course_picked(self) -> None:
        info = self.course_info.get(self.course.currentData()) if self.course.currentData() is not None else None
        if info is not None:
            self.credits.setValue(info[1])
            self.category.setCurrentIndex(list(CourseCategory).index(info[0]))

    def _stage(self, change: PlanChange) -> None:
        self.changes.append(change)
        code = self.course.currentText().split(" ")[0]
        if isinstance(change, AddCourse):
            text = self.tr("Add {code}").format(code=code)
        elif isinstance(change, RemoveCourse):
            text = self.tr("Remove {code}").format(code=code)
        else:
            text = self.tr("Change {code}: {credits:g} credits, {category}").format(
                code=code, credits=change.credits or 0, category=label(change.category))
        self.staged_model.setStringList([*self.staged_model.stringList(), text])
        self.recompute()

    def reset(self) -> None:
        self.changes.clear()
        self.staged_model.setStringList([])
        self.recompute()

    def apply(self) -> None:
        """Make the changes tried, after showing the balance before → after (computed again now: another
        PC may have changed the plan meanwhile) and, for a course's credits or category, that every plan
        with the course changes."""
        if not self.changes or not self.ctx.actor.is_admin:
            return
        self.recompute(then=self._confirm_apply)

    def _confirm_apply(self) -> None:
        if self.what_if is None:
            return
        text = self.tr("Make these changes to the plan?") + "\n\n" + "\n".join(self.staged_model.stringList())
        text += "\n\n" + what_if_text(self.what_if)
        if any(isinstance(c, ChangeCourse) for c in self.changes):
            text += "\n\n" + self.tr("A course's new credits or category apply in every plan that has the course.")
        if not self.ctx.prompts.confirm(self, self.windowTitle(), text):
            return
        actor, programme_id, changes = self.ctx.actor, self.programme_id, list(self.changes)
        self.ctx.ops.write(lambda session: curriculum.apply_plan_changes(session, actor, programme_id, changes),
                           owner=self, then=self._applied, label=self.windowTitle())

    def _applied(self, _result: Any) -> None:
        self.applied = True
        self.ctx.prompts.info(self, self.windowTitle(), self.tr("The changes were made to the plan."))
        self.accept()

    def recompute(self, then: Callable[[], Any] | None = None) -> None:
        """The balance before → after the changes tried, computed in the background; ``then`` once shown."""
        actor, programme_id, changes = self.ctx.actor, self.programme_id, list(self.changes)

        def show(w: WhatIf) -> None:
            self._show_what_if(w)
            if then is not None:
                then()

        self.ctx.ops.read(lambda session: curriculum.plan_what_if(session, actor, programme_id, changes), owner=self,
                          then=show, slot="what-if")

    def _show_what_if(self, w: WhatIf) -> None:
        self.what_if = w
        self.apply_button.setEnabled(bool(self.changes))
        self.gauge.set_balance(w.before, w.after.share if self.changes else None)
        self.table.setText(before_after_html(w))


def before_after_html(w: WhatIf) -> str:
    """A small Before | After table for a label (rich text)."""
    b, a = w.before, w.after

    def cell(text: str, warn: bool = False, bold: bool = False) -> str:
        style = "color:#b54708;" if warn else ""
        style += "font-weight:bold;" if bold else ""
        return f'<td style="padding:3px 14px;{style}" align="right">{text}</td>'

    rows = [
        (QCoreApplication.translate("Curriculum", "Foundation credits"), f"{b.foundation:g}", f"{a.foundation:g}",
         False),
        (QCoreApplication.translate("Curriculum", "Industry credits"), f"{b.industry:g}", f"{a.industry:g}", False),
        (QCoreApplication.translate("Curriculum", "Other credits"), f"{b.other:g}", f"{a.other:g}", False),
        (QCoreApplication.translate("Curriculum", "Foundation share"), percent(b.share), percent(a.share), False),
        (QCoreApplication.translate("Curriculum", "Balance"), verdict(b), verdict(a), True),
    ]
    before_title = QCoreApplication.translate("Curriculum", "Before")
    after_title = QCoreApplication.translate("Curriculum", "After")
    html = ['<table cellspacing="0" style="border-collapse:collapse">',
            f'<tr><th></th><th style="padding:3px 14px" align="right">{before_title}</th>'
            f'<th style="padding:3px 14px" align="right">{after_title}</th></tr>']
    for name, before, after, is_verdict in rows:
        warn_b = is_verdict and b.share is not None and not b.in_band
        warn_a = is_verdict and a.share is not None and not a.in_band
        html.append(f'<tr><td style="padding:3px 14px 3px 0">{name}</td>{cell(before, warn_b)}'
                    f'{cell(after, warn_a, before != after)}</tr>')
    html.append("</table>")
    return "".join(html)


# --------------------------------------------------------------------------- course and enrolment dialogs


class CourseDialog(RecordDialog):
    """The course dialog; changing credits or category first shows every affected plan before → after."""

    def __init__(self, ctx: AppContext, record_id: int | None, *, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "courses", record_id, read_only=read_only, parent=parent)
        self.loaded: dict[str, Any] = {}

    def _fill(self, snap: Any, mentors: list[Any]) -> None:
        super()._fill(snap, mentors)
        self.loaded = {"credits": self._parsed().get("credits"), "category": self._parsed().get("category")}

    def _parsed(self) -> dict[str, Any]:
        return parse_values(self.spec, self.raw_values())[0]

    def save(self) -> None:
        if self.read_only or self.record_id is None:
            super().save()
            return
        values, errors = parse_values(self.spec, self.raw_values())
        credits, category = values.get("credits"), values.get("category")
        if not errors and (credits, category) != (self.loaded.get("credits"), self.loaded.get("category")) \
                and credits is not None and credits > 0:
            actor, record_id = self.ctx.actor, self.record_id
            self.ctx.ops.read(lambda session: curriculum.course_what_if(session, actor, record_id, credits, category),
                              owner=self, then=self._confirm_save, failed=self.save_failed)
            return
        super().save()

    def _confirm_save(self, results: list[Any]) -> None:
        """Every plan with the course, before → after its new credits or category; saved once confirmed."""
        results = [w for w in results if w.changed]
        if results:
            text = self.tr("This course is in {n} plan(s). Their balance before → after:").format(
                n=len(results)) + "\n\n" + "\n\n".join(what_if_text(w) for w in results)
            if not self.ctx.prompts.confirm(self, self.windowTitle(), text + "\n\n" + self.tr("Save?")):
                return
        super().save()


class EnrolmentDialog(RecordDialog):
    """New or edit an enrolment: the student's balance before → after is shown before saving."""

    def __init__(self, ctx: AppContext, record_id: int | None, *, read_only: bool = False,
                 parent: QWidget | None = None, on: dt.date | None = None) -> None:
        super().__init__(ctx, "enrolments", record_id, read_only=read_only, parent=parent)
        self.on = on or dt.date.today()
        self.warnings: tuple[str, ...] = ()

    def load(self) -> bool:
        if self.record_id is None:
            return True
        actor, record_id = self.ctx.actor, self.record_id
        return self.read_record(lambda session: curriculum.enrolment_record(session, actor, record_id), self._show)

    def _show(self, snap: Any) -> None:
        self.version = snap.version
        for key, ed in self.editors.items():
            ed.set_value(snap.values.get(key))
            ed.set_error(None)
        self._set_title(snap.title)

    def current_version(self, session: Session) -> int | None:
        if self.record_id is None:
            return None
        return curriculum.enrolment_record(session, self.ctx.actor, self.record_id).version

    def save(self) -> None:
        if self.read_only:
            self.reject()
            return
        values, errors = parse_values(self.spec, self.raw_values())
        if errors:
            self.show_errors(errors)
            return
        actor, on, record_id = self.ctx.actor, self.on, self.record_id
        self.ctx.ops.read(lambda session: curriculum.enrolment_what_if(session, actor, values, on=on,
                                                                        enrolment_id=record_id),
                          owner=self, then=lambda w: self._confirm_save(values, w), failed=self.save_failed)

    def _confirm_save(self, values: dict[str, Any], w: Any) -> None:
        """The student's balance before → after; saved once confirmed."""
        text = self.tr("The student's earned credits as of {day}, before → after:").format(
            day=self.on.isoformat()) + "\n\n" + what_if_text(w) + "\n\n" + self.tr("Save?")
        if not self.ctx.prompts.confirm(self, self.windowTitle(), text):
            return
        actor, record_id, version = self.ctx.actor, self.record_id, self.version

        def write(session: Session) -> tuple[int, tuple[str, ...]]:
            saved = curriculum.save_enrolment(session, actor, values, enrolment_id=record_id, expected_version=version)
            return int(saved.enrolment.id), tuple(saved.warnings)

        self.commit(write, self._enrolment_saved)

    def _enrolment_saved(self, saved: tuple[int, tuple[str, ...]]) -> None:
        self.saved_id, self.warnings = saved
        self.accept()


def open_dialog(dialog: RecordDialog) -> bool:
    if not dialog.load():
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted and not dialog.read_only


# --------------------------------------------------------------------------- balance tables


class RowsModel(QAbstractTableModel):
    """A read-only table of typed rows: column titles, a cell function, and a sort key per column
    (sorted in Python, then layoutChanged — fast enough for 20,000 rows)."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]],
                 warn: Callable[[Any], bool] | None = None, numeric: Sequence[int] = (),
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.warn = warn
        self.numeric = set(numeric)

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = self._sorted(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](row)
        if role == Qt.ItemDataRole.ForegroundRole and self.warn is not None and self.warn(row):
            return WARN_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Curriculum", self.columns[section][0])
        return None

    sort_column: int | None = None
    sort_order = Qt.SortOrder.AscendingOrder

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self.sort_column is None:
            return rows
        key = self.columns[self.sort_column][2]
        present = [r for r in rows if key(r) is not None]
        missing = [r for r in rows if key(r) is None]
        present.sort(key=key, reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        return present + missing

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.rows = self._sorted(self.rows)
        self.layoutChanged.emit()


def _balance_columns(get: Callable[[Any], Balance]) -> list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]]:
    return [
        (QT_TRANSLATE_NOOP("Curriculum", "Foundation credits"), lambda r: f"{get(r).foundation:g}",
         lambda r: get(r).foundation),
        (QT_TRANSLATE_NOOP("Curriculum", "Industry credits"), lambda r: f"{get(r).industry:g}",
         lambda r: get(r).industry),
        (QT_TRANSLATE_NOOP("Curriculum", "Foundation share"), lambda r: percent(get(r).share),
         lambda r: get(r).share),
        (QT_TRANSLATE_NOOP("Curriculum", "Band"), lambda r: band_text(get(r)), lambda r: get(r).target_share),
        (QT_TRANSLATE_NOOP("Curriculum", "In band"), lambda r: verdict(get(r)), lambda r: get(r).in_band),
    ]


COHORT_COLUMNS = [
    (QT_TRANSLATE_NOOP("Curriculum", "Programme"), lambda c: c.programme_code, lambda c: c.programme_code),
    (QT_TRANSLATE_NOOP("Curriculum", "Programme name"), lambda c: c.programme_name, lambda c: c.programme_name),
    (QT_TRANSLATE_NOOP("Curriculum", "Cohort"), lambda c: str(c.cohort), lambda c: c.cohort),
    (QT_TRANSLATE_NOOP("Curriculum", "Students"), lambda c: str(c.students), lambda c: c.students),
    *_balance_columns(lambda c: c.balance),
]

STUDENT_COLUMNS = [
    (QT_TRANSLATE_NOOP("Curriculum", "Student no."), lambda s: s.student_no, lambda s: s.student_no),
    (QT_TRANSLATE_NOOP("Curriculum", "Name"), lambda s: s.name, lambda s: s.name),
    (QT_TRANSLATE_NOOP("Curriculum", "Programme"), lambda s: s.programme_code, lambda s: s.programme_code),
    (QT_TRANSLATE_NOOP("Curriculum", "Cohort"), lambda s: str(s.cohort), lambda s: s.cohort),
    (QT_TRANSLATE_NOOP("Curriculum", "Status"), lambda s: label(s.status), lambda s: s.status.value),
    *_balance_columns(lambda s: s.balance),
    (QT_TRANSLATE_NOOP("Curriculum", "Judged"),
     lambda s: (QCoreApplication.translate("Curriculum", "Yes") if s.balance.judged
                else QCoreApplication.translate("Curriculum", "not yet (< 10)")),
     lambda s: s.balance.judged),
]


class BalanceTab(QWidget):
    """Cohort and student balance as of a day, with the out-of-band students, and the export of the
    three balance tables (plans, cohorts, students) to Excel."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded = False
        self.cohorts: list[CohortBalance] = []
        self.students: list[StudentBalance] = []
        self.day = QDateEdit(self)
        self.day.setObjectName("balanceDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setDate(QDate.currentDate())
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.only_out = QCheckBox(self.tr("Only students out of band (≥ 10 credits)"), self)
        self.only_out.setObjectName("onlyOutOfBand")
        self.only_out.toggled.connect(lambda _c: self._fill_students())
        self.active_only = QCheckBox(self.tr("Active students only"), self)
        self.active_only.setObjectName("activeOnly")
        self.active_only.setChecked(True)
        self.active_only.toggled.connect(lambda _c: self.reload())
        self.search = QLineEdit(self)
        self.search.setObjectName("studentSearch")
        self.search.setPlaceholderText(self.tr("Student no. or name…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._fill_students())
        self.summary = Label(self)
        self.summary.setObjectName("balanceSummary")
        self.summary.setWordWrap(True)
        export = QPushButton(self.tr("Export balance tables…"), self)
        export.setObjectName("exportBalances")
        export.clicked.connect(lambda: self.export())
        top = QHBoxLayout()
        top.addWidget(Label(self.tr("As of"), self))
        top.addWidget(self.day)
        top.addWidget(self.active_only)
        top.addStretch(1)
        top.addWidget(export)
        self.cohort_model = RowsModel(COHORT_COLUMNS, warn=lambda c: c.balance.share is not None
                                      and not c.balance.in_band, numeric=(2, 3, 4, 5, 6), parent=self)
        self.cohort_view = self._table(self.cohort_model, "cohortTable")
        self.student_model = RowsModel(STUDENT_COLUMNS, warn=lambda s: s.out_of_band, numeric=(3, 5, 6, 7),
                                       parent=self)
        self.student_view = self._table(self.student_model, "studentBalanceTable")
        self.student_view.activated.connect(lambda i: self.open_student(i.row()))  # a row leads to its student
        cohort_box = QWidget(self)
        cl = QVBoxLayout(cohort_box)
        cl.setContentsMargins(0, 0, 0, 0)
        heading = Label(self.tr("Cohorts: credits passed by each cohort's students"), self)
        heading.setProperty("role", "heading")
        cl.addWidget(heading)
        cl.addWidget(self.cohort_view)
        student_box = QWidget(self)
        sl = QVBoxLayout(student_box)
        sl.setContentsMargins(0, 0, 0, 0)
        heading2 = Label(self.tr("Students: earned credits (recognised credits included)"), self)
        heading2.setProperty("role", "heading")
        row = QHBoxLayout()
        row.addWidget(heading2)
        row.addStretch(1)
        row.addWidget(self.search)
        row.addWidget(self.only_out)
        sl.addLayout(row)
        sl.addWidget(self.summary)
        sl.addWidget(self.student_view)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(cohort_box)
        split.addWidget(student_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def _table(self, model: RowsModel, name: str) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(26)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        view.horizontalHeader().setStretchLastSection(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, w in enumerate((90, 200, 60, 60, 90, 90, 90, 90, 90)):
            if i < model.columnCount():
                view.setColumnWidth(i, w)
        return view

    def on(self) -> dt.date:
        d = self.day.date()
        return dt.date(d.year(), d.month(), d.day())

    def activate(self) -> None:
        if not self.loaded:
            self.reload()

    def reload(self) -> None:
        actor, on, active_only = self.ctx.actor, self.on(), self.active_only.isChecked()
        self.ctx.ops.read(lambda session: curriculum.balance_tables(session, actor, on, active_only=active_only),
                          owner=self, then=self._show, slot="balance")

    def _show(self, tables: Any) -> None:
        self.cohorts, self.students = tables.cohorts, tables.students
        self.loaded = True
        self.cohort_model.set_rows(self.cohorts)
        self._fill_students()

    def open_student(self, row: int) -> bool:
        from ..studentdetail import open_student

        items = getattr(self.student_model, "items", None) or getattr(self.student_model, "rows", [])
        if not 0 <= row < len(items):
            return False
        open_student(self.ctx, items[row].student_id, self)
        return True

    def _fill_students(self) -> None:
        rows = self.students
        if self.only_out.isChecked():
            rows = [s for s in rows if s.out_of_band]
        text = self.search.text().strip()
        if text:
            rows = [s for s in rows if text in s.student_no or text in s.name]
        self.student_model.set_rows(rows)
        judged = sum(1 for s in self.students if s.balance.judged)
        out = sum(1 for s in self.students if s.out_of_band)
        self.summary.setText(self.tr("{n} students; {judged} with at least 10 credits, of whom {out} are out of "
                                     "band. Showing {shown}.").format(n=len(self.students), judged=judged, out=out,
                                                                      shown=len(rows)))
        self.summary.setProperty("role", "warn" if out else "ok")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    def export(self, path: str | None = None) -> None:
        from reports.balance_export import export_balances

        caption = self.tr("Export balance tables")
        on = self.on()
        path = path or self.ctx.prompts.save_file(self, caption, self.tr("balance-{day}.xlsx").format(
            day=on.strftime("%Y%m%d")), xlsx_filter())
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        factory, actor, active = self.ctx.factory, self.ctx.actor, self.active_only.isChecked()

        def work(task: TaskContext) -> str:
            from db.auth import log_access

            with unit_of_work(factory, actor) as session:
                t = curriculum.balance_tables(session, actor, on, active_only=active)
                export_balances(path, on, t.plans, t.cohorts, t.students, progress=task.progress)
                log_access(session, actor.username, "export", "balances", None, f"{len(t.students)} students")
            return path

        def done(p: str) -> None:
            self.ctx.prompts.info(self, caption, self.tr("Saved the balance tables to {path}.").format(path=p))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, InterruptedError):
                self.ctx.tasks.show_error(self, exc)

        self.ctx.tasks.run(work, parent=self, label=self.tr("Exporting the balance tables…"), on_success=done,
                           on_failure=failed)


# --------------------------------------------------------------------------- the page


class CurriculumPage(QWidget):
    """Programmes and plans, courses, enrolments, and the balance of cohorts and students."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.programmes = ListPage(
            ctx, "programme_balances", title=self.tr("Programmes"),
            on_new=(lambda: open_record(ctx, "programmes", None, self)) if admin else None,
            on_open=lambda row: self._open("programmes", row), import_kind="programmes" if admin else None,
            exportable=True, parent=self,
            # the figures open the records behind them (the count is the list's)
            links={"students": lambda row: ("students", "students", {"programme": row.id, "status": "active"}),
                   "courses": lambda row: ("curriculum", "courses", {"programme": row.id})})
        cols = [c.key for c in self.programmes.spec.columns]
        self.gauges = GaugeDelegate(cols.index("share"), cols.index("target_share"), cols.index("tolerance"),
                                    self.programmes.view)
        self.programmes.view.setItemDelegateForColumn(cols.index("share"), self.gauges)
        self.plan = PlanPanel(ctx, self)
        self.plan.on_changed = self._plan_changed
        if admin:
            self.programmes.add_button(self.tr("Import plans…"), "importPlans", self.import_plans)
        self.programmes.selectionChanged.connect(
            lambda row: self.plan.show_programme(row.id if row is not None else None))
        self.programmes.model.modelReset.connect(self._programmes_reset)
        split = QSplitter(self)
        split.setObjectName("planSplitter")
        split.addWidget(self.programmes)
        split.addWidget(self.plan)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 560])
        self.courses = ListPage(
            ctx, "courses", title=self.tr("Courses"),
            on_new=(lambda: open_record(ctx, "courses", None, self)) if admin else None,
            on_open=self._open_course, import_kind="courses" if admin else None,
            exportable=True, parent=self)
        self.enrolments = ListPage(
            ctx, "enrolments", title=self.tr("Enrolments"),
            on_new=(lambda: open_dialog(EnrolmentDialog(ctx, None, parent=self))) if admin else None,
            on_open=lambda row: open_dialog(EnrolmentDialog(ctx, row.id, read_only=not admin, parent=self)),
            import_kind="enrolments" if admin else None, exportable=True, parent=self)
        if admin:
            self.enrolments.add_button(self.tr("Delete"), "deleteEnrolment", self.delete_enrolment)
        self.balance = BalanceTab(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, self.tr("Programmes and plans"))
        self.tabs.addTab(self.courses, self.tr("Courses"))
        self.tabs.addTab(self.enrolments, self.tr("Enrolments"))
        self.tabs.addTab(self.balance, self.tr("Cohort and student balance"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._keep_programme: int | None = None

    def _open(self, kind: str, row: ListRow) -> int | None:
        return open_record(self.ctx, kind, row.id, self, read_only=not self.ctx.actor.is_admin)

    def _open_course(self, row: ListRow) -> bool:
        saved = open_dialog(CourseDialog(self.ctx, row.id, read_only=not self.ctx.actor.is_admin, parent=self))
        if saved:
            self.programmes.refresh()
        return saved

    def _programmes_reset(self) -> None:
        keep = self._keep_programme
        self._keep_programme = None
        if keep is not None:
            model = self.programmes.model
            for r in range(model.rowCount()):
                row = model.row_at(r)
                if row is not None and row.id == keep:
                    self.programmes.view.selectRow(r)
                    return
        self.plan.show_programme(None)

    def _plan_changed(self) -> None:
        """A plan changed: refresh the programmes' gauges, keeping the programme selected."""
        self._keep_programme = self.plan.programme_id
        self.programmes.refresh()

    def import_plans(self) -> None:
        from ..importexport import ImportFlow

        ImportFlow(self.ctx, "programme-courses", self, on_done=self._plan_changed).start()

    def delete_enrolment(self) -> None:
        row = self.enrolments.current_row()
        if row is None:
            return
        values = dict(zip([c.key for c in self.enrolments.spec.columns], row.values))
        text = self.tr("Delete the enrolment of {student} {name} in {course} ({term})?").format(
            student=values["student_no"], name=values["name"], course=values["course_code"], term=values["term"])
        if not self.ctx.prompts.confirm(self, self.tr("Enrolments"), text):
            return
        actor = self.ctx.actor
        self.ctx.ops.write(lambda session: curriculum.remove_enrolment(session, actor, row.id, row.version),
                           owner=self, after=self.enrolments.refresh, label=self.tr("Enrolments"))

    def activate(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is self.balance:
            self.balance.activate()
        else:
            lst = self.current_list()
            if lst is not None:
                lst.activate()

    def current_list(self) -> ListPage | None:
        return {0: self.programmes, 1: self.courses, 2: self.enrolments}.get(self.tabs.currentIndex())


# --------------------------------------------------------------------------- the student detail panel


class EnrolmentLinesModel(LinesModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([], self._cells, parent, colour=lambda e: None if e.passed else "#6b7280")
        self.headers = [self.tr("Term"), self.tr("Course"), self.tr("Category"), self.tr("Credits"),
                        self.tr("Score"), self.tr("Counts from"), self.tr("In plan")]

    def _cells(self, e: curriculum.EnrolmentLine) -> list[Any]:
        return [e.term, f"{e.course_code} {e.course_name}", e.category, f"{e.credits:g}", e.score_text or "",
                e.counts_from.isoformat() if e.counts_from
                else self.tr("not passed") if e.score_text else self.tr("in progress"),
                self.tr("Yes") if e.in_plan else self.tr("No (outside the plan)")]


class StudentRecognisedModel(LinesModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([], self._cells, parent)
        self.headers = [self.tr("University"), self.tr("External course"), self.tr("Term"),
                        self.tr("Original score"), self.tr("Credits"), self.tr("Counts as"), self.tr("Decided on")]

    @staticmethod
    def _cells(r: curriculum.RecognisedLine) -> list[Any]:
        counts = label(r.category) + (f"（{r.local_course}）" if r.local_course else "")
        return [r.university, f"{r.external_code} {r.external_name}", r.term, r.score_text, f"{r.credits:g}",
                counts, r.decided_on]


class CurriculumPanel(QWidget):
    """A student's credits by category, share and band (with an out-of-band warning), their
    enrolments and their recognised credits with the source university, course, term and score."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None,
                 on: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.on = on or dt.date.today()
        self.setObjectName("curriculumPanel")
        self.data: StudentCurriculum | None = None
        self.heading = Label(self.tr("Courses and balance"), self)
        self.heading.setProperty("role", "heading")
        self.gauge = BalanceGauge(self)
        self.summary = Label(self)
        self.summary.setObjectName("studentBalance")
        self.summary.setWordWrap(True)
        self.warning = Label(self)
        self.warning.setObjectName("outOfBand")
        self.warning.setProperty("role", "warn")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.enrolments = EnrolmentLinesModel(self)
        self.recognised = StudentRecognisedModel(self)
        self.recognised_heading = Label(self.tr("Recognised credits (alliance universities)"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.gauge)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self._table(self.enrolments, "enrolmentLines", 180), 3)
        layout.addWidget(self.recognised_heading)
        recognised = self._table(self.recognised, "recognisedLines", 90)
        recognised.setMaximumHeight(170)
        layout.addWidget(recognised, 1)

    def _table(self, model: QAbstractTableModel, name: str, height: int) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().hide()
        view.setMinimumHeight(height)
        view.setAlternatingRowColors(True)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return view

    def load(self) -> None:
        actor, student_id, on = self.ctx.actor, self.student_id, self.on
        self.ctx.ops.read(lambda session: curriculum.student_curriculum(session, actor, student_id, on), owner=self,
                          then=self._show, failed=lambda exc: self.summary.setText(sentence(exc)), slot="curriculum")

    def _show(self, d: Any) -> None:
        self.data = d
        b = d.balance.balance
        self.gauge.set_balance(b)
        self.summary.setText(self.tr("As of {day}: {line} · other {o:g} credits").format(
            day=self.on.isoformat(), line=balance_line(b), o=b.other))
        if d.balance.out_of_band:
            self.warning.setText(self.tr("Out of band: the foundation share {share} is outside {programme}'s band "
                                         "{band}.").format(share=percent(b.share), programme=d.balance.programme_code,
                                                           band=band_text(b)))
            self.warning.show()
        elif not b.judged:
            self.warning.setText(self.tr("Not judged yet: {n:g} foundation and industry credits, fewer than 10.")
                                 .format(n=b.credits.counted))
            self.warning.setProperty("role", "hint")
            self.warning.show()
        else:
            self.warning.hide()
        self.enrolments.set_lines(d.enrolments)
        self.recognised.set_lines(d.recognised)
        total = sum(r.credits for r in d.recognised)
        self.recognised_heading.setText(self.tr("Recognised credits (alliance universities): {n:g} credits")
                                        .format(n=total))


def curriculum_panel(ctx: AppContext, student_id: int, parent: QWidget) -> QWidget:
    panel = CurriculumPanel(ctx, student_id, parent)
    panel.load()
    return panel

