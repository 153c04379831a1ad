"""The dashboard of administrators and viewers (on the 首页 page): this quarter so far, from the same
figures as the quarterly report (reports.quarterly.load_summary: its figures without its lists): the headline figures
against their targets and the previous quarter as cards, and three charts drawn with QPainter
(mentor coverage by role, the 50/50 split per programme, the competition funnel).

The figures are computed off the UI thread, the first time the dashboard is shown and on Refresh.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.errors import TalentDeskError
from db.labels import label
from db.models import MentorRole
from reports import quarterly
from reports.quarterly import STAGES, Quarter, QuarterSummary
from reports.text import SummaryRow, summary_rows

from .context import AppContext
from .plain import Label, tip
from .qttyping import QT_TRANSLATE_NOOP

ACCENT = QColor("#2f5597")
LIGHT = QColor("#9dc3e6")
WARN = QColor("#e08a3c")
GRID = QColor("#e3e6ea")
TEXT = QColor("#374151")
HINT = QColor("#6b7280")


# The printed report is Chinese (reports.text.summary_rows labels its rows in Chinese); the cards on
# screen speak the user's language: the English source of each caption, translated back to the same
# Chinese on a Chinese desktop.
CAPTIONS = {
    "在读学生": QT_TRANSLATE_NOOP("FigureCard", "Active students"),
    "三导师齐全率": QT_TRANSLATE_NOOP("FigureCard", "Share with all three mentors"),
    "缺学术导师的学生": QT_TRANSLATE_NOOP("FigureCard", "Students without an academic mentor"),
    "缺产业导师的学生": QT_TRANSLATE_NOOP("FigureCard", "Students without an industry mentor"),
    "缺学业导师的学生": QT_TRANSLATE_NOOP("FigureCard", "Students without a study mentor"),
    "本季度指导次数": QT_TRANSLATE_NOOP("FigureCard", "Sessions this quarter"),
    "本季度指导时长（小时）": QT_TRANSLATE_NOOP("FigureCard", "Session hours this quarter"),
    "本季度未接受指导的学生": QT_TRANSLATE_NOOP("FigureCard", "Students without contact this quarter"),
    "逾期任务": QT_TRANSLATE_NOOP("FigureCard", "Overdue tasks"),
    "课程结构在范围内的培养方案": QT_TRANSLATE_NOOP("FigureCard", "Programmes within the 50/50 band"),
    "占比超出范围的学生": QT_TRANSLATE_NOOP("FigureCard", "Students out of band"),
    "学分互认申请": QT_TRANSLATE_NOOP("FigureCard", "Credit transfer requests"),
    "本季度认定学分": QT_TRANSLATE_NOOP("FigureCard", "Credits recognised this quarter"),
    "本赛季创赛项目": QT_TRANSLATE_NOOP("FigureCard", "Competition projects this season"),
    "孵化企业": QT_TRANSLATE_NOOP("FigureCard", "Incubated companies"),
}


def caption(label: str) -> str:
    """A summary row's caption in the user's language."""
    source = CAPTIONS.get(label)
    return QCoreApplication.translate("FigureCard", source) if source else label


# --------------------------------------------------------------------------- a small bar chart


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: QColor


class BarChart(QWidget):
    """Vertical bars: one group per category, series side by side or stacked; optionally each
    stack scaled to 100 % with a reference line (e.g. the 50 % target)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.stacked = False
        self.percent = False
        self.reference: float | None = None
        self.setMinimumSize(300, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(380, 230)

    def set_data(self, categories: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
                 percent: bool = False, reference: float | None = None) -> None:
        self.categories, self.series = list(categories), list(series)
        self.stacked, self.percent, self.reference = stacked or percent, percent, reference
        self.setToolTip(tip("\n".join(
            f"{c}: " + ", ".join(f"{s.name} {self._fmt(s.values[i])}" for s in self.series)
            for i, c in enumerate(self.categories))))
        self.update()

    # values as drawn: raw, or each stack's share when ``percent``
    def _drawn(self) -> list[list[float]]:
        raw = [[float(s.values[i]) for s in self.series] for i in range(len(self.categories))]
        if not self.percent:
            return raw
        return [[v / sum(row) if sum(row) else 0.0 for v in row] for row in raw]

    def _fmt(self, v: float) -> str:
        return f"{v:g}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v):,}"

    @staticmethod
    def _nice_max(v: float) -> float:
        if v <= 0:
            return 1.0
        exp: float = 10 ** math.floor(math.log10(v))
        for m in (1, 2, 2.5, 5, 10):
            if v <= m * exp:
                return m * exp
        return 10 * exp

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(10, 8, -10, -8)
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(TEXT)
        fm = QFontMetrics(title_font)
        p.drawText(QRectF(r.left(), r.top(), r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, self.title)
        top = r.top() + fm.height() + 4
        p.setFont(self.font())
        fm = QFontMetrics(self.font())
        # legend
        x = r.left()
        if len(self.series) > 1:
            for s in self.series:
                p.fillRect(QRectF(x, top + 3, 10, 10), s.color)
                p.setPen(TEXT)
                p.drawText(QPointF(x + 14, top + fm.ascent()), s.name)
                x += 14 + fm.horizontalAdvance(s.name) + 14
            top += fm.height() + 4
        if not self.categories:
            p.setPen(HINT)
            p.drawText(QRectF(r.left(), top, r.width(), r.bottom() - top), Qt.AlignmentFlag.AlignCenter, "—")
            return
        drawn = self._drawn()
        peak = max((sum(row) if self.stacked else max(row, default=0.0)) for row in drawn) if drawn else 0.0
        top_value = 1.0 if self.percent else self._nice_max(peak)
        label_h = fm.height() * 2 + 4  # category labels may take two lines
        axis_w = fm.horizontalAdvance("100%" if self.percent else f"{int(top_value):,}") + 8
        plot = QRectF(r.left() + axis_w, top + fm.height() // 2 + 2, r.width() - axis_w,
                      r.bottom() - label_h - top - fm.height() // 2 - 2)
        if plot.height() < 20:
            return
        # grid and axis labels
        for k in range(5):
            v = top_value * k / 4
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(HINT)
            text = f"{v * 100:.0f}%" if self.percent else self._fmt(v)
            p.drawText(QRectF(r.left(), y - fm.height() / 2, axis_w - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        n = len(self.categories)
        slot = plot.width() / n
        group_w = slot * 0.7
        bars = 1 if self.stacked else max(len(self.series), 1)
        bar_w = group_w / bars
        for i, cat in enumerate(self.categories):
            x0 = plot.left() + slot * i + (slot - group_w) / 2
            base = plot.bottom()
            for j, s in enumerate(self.series):
                value = drawn[i][j]
                h = plot.height() * value / top_value if top_value else 0
                if self.stacked:
                    rect = QRectF(x0, base - h, group_w, h)
                    base -= h
                else:
                    rect = QRectF(x0 + j * bar_w, plot.bottom() - h, bar_w - 2, h)
                p.fillRect(rect, s.color)
                raw = float(s.values[i])
                text = f"{value * 100:.0f}%" if self.percent else self._fmt(raw)
                if raw and (not self.stacked or rect.height() >= fm.height()):
                    inside = self.stacked
                    p.setPen((QColor("#ffffff") if s.color.lightness() < 150 else TEXT) if inside else TEXT)
                    box = rect if inside else QRectF(rect.left() - 10, rect.top() - fm.height() - 1,
                                                     rect.width() + 20, fm.height())
                    p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            p.setPen(TEXT)
            p.drawText(QRectF(plot.left() + slot * i, plot.bottom() + 3, slot, label_h),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, cat)
        if self.reference is not None:
            y = plot.bottom() - plot.height() * self.reference / top_value
            p.setPen(QPen(QColor("#b42318"), 1.5, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        p.setPen(QPen(QColor("#9aa1ab"), 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))


# --------------------------------------------------------------------------- a figure card


class FigureCard(QFrame):
    """A headline figure: caption, value, and its target and change against the previous quarter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.caption = Label(self)
        self.caption.setProperty("role", "hint")
        self.caption.setWordWrap(True)  # long English captions wrap instead of widening the grid past the window
        self.value = Label("–", self)
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold;")
        self.detail = Label(self)
        self.detail.setObjectName("detail")
        self.detail.setProperty("role", "hint")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(0)
        layout.addWidget(self.caption, 0, 0, 1, 2)
        layout.addWidget(self.value, 1, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(self.detail, 1, 1)
        layout.setColumnStretch(1, 1)

    def show_row(self, row: SummaryRow) -> None:
        self.caption.setText(caption(row.label))
        self.value.setText(row.text(row.value))
        parts = []
        if row.target is not None:
            if row.target and not row.percent and row.target > 0:
                parts.append(self.tr("target {target} ({share:.0f}%)").format(
                    target=row.text(row.target), share=100 * row.value / row.target))
            else:
                parts.append(self.tr("target {target}").format(target=row.text(row.target)))
        change = row.change_text()
        if change:
            parts.append(self.tr("vs last quarter {change}").format(change=change))
        self.detail.setText("\n".join(parts))
        warn = self.warn(row)
        colour = "#b54708" if warn else "#2f5597"
        self.value.setStyleSheet(f"font-size: 22px; font-weight: bold; color: {colour};")
        self.setProperty("warn", warn)

    @staticmethod
    def warn(row: SummaryRow) -> bool:
        """Off target: something that should be zero is not, or a rate is below its target."""
        if row.target is None:
            return False
        if row.target == 0:
            return row.value > 0
        return bool(row.percent and row.value < row.target)


# --------------------------------------------------------------------------- the dashboard


def current_quarter(today: dt.date) -> Quarter:
    """This quarter so far: its figures as of today, compared with the previous quarter's same days."""
    return Quarter(today.year, (today.month - 1) // 3 + 1, until=today)


class Dashboard(QWidget):
    """This quarter so far against targets; computed in the background from the report data object."""

    COLUMNS = 5

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: dt.date | None = None, *,
                 load_when_shown: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.load_when_shown = load_when_shown  # else its page says when (the home page: after its cards)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.report: QuarterSummary | None = None
        self.loaded = False
        self.heading = Label(self)
        self.heading.setProperty("role", "heading")
        self.stamp = Label(self)
        self.stamp.setProperty("role", "hint")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.stamp)
        head.addWidget(self.refresh_button)

        self.cards: list[FigureCard] = []
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.coverage = BarChart(self.tr("Mentor coverage by role (students, end of quarter)"), self)
        self.coverage.setObjectName("coverageChart")
        self.split = BarChart(self.tr("Foundation / industry credits per programme plan"), self)
        self.split.setObjectName("splitChart")
        self.funnel = BarChart(self.tr("Competition projects by stage"), self)
        self.funnel.setObjectName("funnelChart")
        charts = QHBoxLayout()
        charts.setSpacing(10)
        for chart in (self.coverage, self.split, self.funnel):
            frame = QFrame(self)
            frame.setProperty("role", "card")
            box = QVBoxLayout(frame)
            box.setContentsMargins(4, 4, 4, 4)
            box.addWidget(chart)
            charts.addWidget(frame, 1)

        body = QWidget()
        body.setObjectName("dashboardBody")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 6, 0)
        body_layout.setSpacing(10)
        body_layout.addLayout(self.grid)
        body_layout.addLayout(charts)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setStyleSheet("QScrollArea#dashboardScroll, QWidget#dashboardBody { background: transparent; }")
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self._set_heading()

    def _set_heading(self) -> None:
        q = current_quarter(self.today)
        self.heading.setText(self.tr("This quarter so far: {quarter}, against targets and the previous quarter")
                             .format(quarter=q))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.loaded and self.load_when_shown:
            self.refresh()

    def refresh(self) -> None:
        """Compute the current quarter's report on the worker thread, then show it."""
        self.loaded = True
        q = current_quarter(self.today)
        self.refresh_button.setEnabled(False)
        self.stamp.setText(self.tr("Computing…"))
        # the figures without the report's lists; a background read never blocks the window
        self.ctx.ops.read(lambda session: quarterly.load_summary(session, q), owner=self, then=self.show_report,
                          failed=self._failed, after=lambda: self.refresh_button.setEnabled(True), slot="summary")

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TalentDeskError | SQLAlchemyError):  # a file or the system: said in a box
            self.stamp.setText("")
            self.ctx.tasks.show_error(self, exc)
            return
        # beside 刷新, not in a box: the home page already says why in its own words
        self.stamp.setText(self.tr("Not updated: the database cannot be read."))

    def show_report(self, report: QuarterSummary) -> None:
        self.report = report
        self.refresh_button.setEnabled(True)
        self.stamp.setText(self.tr("Updated {time}").format(time=dt.datetime.now().strftime("%H:%M")))
        rows = summary_rows(report)
        while len(self.cards) < len(rows):
            card = FigureCard(self)
            n = len(self.cards)
            self.grid.addWidget(card, n // self.COLUMNS, n % self.COLUMNS)
            self.cards.append(card)
        for card, row in zip(self.cards, rows, strict=False):
            card.show_row(row)
        for c in range(self.COLUMNS):
            self.grid.setColumnStretch(c, 1)

        f = report.figures
        m = f.mentoring
        roles = list(MentorRole)
        self.coverage.set_data(
            [label(r) for r in roles],
            [Series(self.tr("Assigned"), [m.active_students - m.missing[r.value] for r in roles], ACCENT),
             Series(self.tr("Missing"), [m.missing[r.value] for r in roles], WARN)], stacked=True)
        plans = f.curriculum.programmes
        self.split.set_data(
            [p.code + ("" if p.in_band else " ⚠") for p in plans],
            [Series(self.tr("Foundation"), [p.foundation_credits for p in plans], ACCENT),
             Series(self.tr("Industry"), [p.industry_credits for p in plans], LIGHT)], percent=True, reference=0.5)
        comp = f.competition
        self.funnel.set_data([label(s) for s in STAGES],
                             [Series(self.tr("Projects"), [comp.by_stage[s.value] for s in STAGES], ACCENT)])
