"""The 首页 page: headline figures and alerts (administrators, viewers); a mentor's mentees."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from db import dashboard, failures
from db.errors import TalentDeskError
from db.labels import label
from db.models import MentorRole

from ..context import AppContext
from ..dashboard import Dashboard
from ..listpage import ListPage
from ..plain import Label


class Card(QFrame):
    """A big number with a caption; one that leads to its records says so and opens them on a click."""

    clicked = Signal()

    def __init__(self, caption: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "card")
        self.value = Label("–", self)
        self.value.setObjectName("value")
        self.value.setProperty("role", "figure")
        self.caption = Label(caption, self)
        self.caption.setProperty("role", "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def make_clickable(self, hint: str) -> None:
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(hint)

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def set_value(self, value: int, warn: bool = False) -> None:
        self.value.setText(f"{value:,}")  # 1,938 as the dashboard tiles below write it
        self.value.setProperty("role", "figureWarn" if warn else "figure")
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)


# where each figure of the home page leads: (page, list, filters) — the list's count is the figure
BEHIND: dict[str, tuple[str, str, dict[str, Any]]] = {
    "active_students": ("students", "students", {"status": "active"}),
    "mentors": ("mentors", "mentors", {"active": True}),
    "programmes": ("curriculum", "programme_balances", {}),
    "courses": ("curriculum", "courses", {}),
    "missing_academic": ("mentoring", "missing_roles", {"role": "academic"}),
    "missing_industry": ("mentoring", "missing_roles", {"role": "industry"}),
    "missing_study": ("mentoring", "missing_roles", {"role": "study"}),
    "pending_transfers": ("alliance", "transfers", {"status": "pending"}),
}


class HomePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cards: dict[str, Card] = {}
        self.mentees: ListPage | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        name = ctx.actor.display_name or ctx.actor.username
        greeting = Label(self.tr("Welcome, {name}").format(name=name), self)
        greeting.setProperty("role", "heading")
        layout.addWidget(greeting)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.desk: Any = None
        if ctx.actor.is_mentor:
            from .mentordesk import MentorDeskView  # the mentor's home (three-mentor scheme)

            self.desk = MentorDeskView(ctx, self)
            layout.addWidget(self.desk, 1)
            self.cards = self.desk.cards
            self.mentees = self.desk.mentees
            self.new_action = self.desk.new_action  # Ctrl+N: log a session
            return
        from ..integritybanner import IntegrityBanner  # rule-breaking data, for administrators

        self.integrity = IntegrityBanner(ctx, self)
        layout.addWidget(self.integrity)
        captions = [
            ("active_students", self.tr("Active students")),
            ("mentors", self.tr("Active mentors")),
            ("programmes", self.tr("Programmes")),
            ("courses", self.tr("Courses")),
            ("missing_academic", self.tr("Students without an academic mentor")),
            ("missing_industry", self.tr("Students without an industry mentor")),
            ("missing_study", self.tr("Students without a study mentor")),
            ("out_of_band", self.tr("Programme plans outside the 50/50 band")),
        ]
        for i, (key, caption) in enumerate(captions):
            card = Card(caption, f"card_{key}", self)
            self.cards[key] = card
            grid.addWidget(card, i // 4, i % 4)
            if key in BEHIND:
                card.make_clickable(self.tr("Click to see these records"))
                card.clicked.connect(lambda k=key: self.open_behind(k))
        layout.addLayout(grid)
        self.alerts = Label(self)
        self.alerts.setObjectName("alerts")
        self.alerts.setWordWrap(True)
        self.alerts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the alert that has a list of its own: its records one click away, beside the alerts (the
        # dashboard below needs the height)
        self.pending_button = QPushButton(self)
        self.pending_button.setObjectName("pendingTransfers")
        self.pending_button.clicked.connect(lambda _c=False: self.open_behind("pending_transfers"))
        self.pending_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.alerts, 1)
        row.addWidget(self.pending_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row)
        self.dashboard = Dashboard(ctx, self, load_when_shown=False)  # this quarter against targets; read in activate()
        layout.addWidget(self.dashboard, 1)

    def activate(self) -> None:
        """Figures are read each time the page is shown, on the worker thread: the page paints at once (with "–"
        on its cards) and the figures fill in as they are counted, quickest first (the runner reads one at a
        time): the cards (about 0.05 s at ten-year scale), then this quarter against the previous one (0.4 s),
        then the data check, which reads every record (0.4 s)."""
        if self.desk is not None:
            try:
                self.desk.activate()
            except TalentDeskError as exc:
                self.ctx.prompts.error(self, self.tr("Home"), str(exc))
            return
        actor = self.ctx.actor
        self.ctx.ops.read(lambda session: dashboard.dashboard(session, actor), owner=self, then=self.show_figures,
                          failed=self._failed, slot="figures")
        self.dashboard.refresh()  # the whole page as one: the figures below follow the cards' edits too
        self.integrity.refresh()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TalentDeskError | SQLAlchemyError):
            self.ctx.tasks.show_error(self, exc)
            return
        # said where the figures would be, not in a box on every visit: the cards keep "–"
        self.alerts.setProperty("role", "error")
        self.alerts.setText(self.tr("The figures cannot be shown: {reason}").format(reason=failures.said(exc)))
        self.alerts.style().polish(self.alerts)

    def open_behind(self, key: str) -> Any:
        """The records behind a figure: its list, filtered so that its count is the figure."""
        page, list_name, filters = BEHIND[key]
        window = self.window()
        show = getattr(window, "show_records", None)
        return show(page, list_name, filters) if show is not None else None

    def show_figures(self, d: Any) -> None:
        self.cards["active_students"].set_value(d.active_students)
        self.cards["mentors"].set_value(d.mentors)
        self.cards["programmes"].set_value(d.programmes)
        self.cards["courses"].set_value(d.courses)
        for role in MentorRole:
            self.cards[f"missing_{role.value}"].set_value(d.missing[role], warn=d.missing[role] > 0)
        self.cards["out_of_band"].set_value(d.programmes_out_of_band, warn=d.programmes_out_of_band > 0)
        alerts = []
        for role in MentorRole:
            if d.missing[role]:
                alerts.append(self.tr("Active students with no {role} today: {n}.").format(
                    n=d.missing[role], role=label(role)))
        if d.programmes_out_of_band:
            alerts.append(self.tr("Programme plans outside their foundation/industry band: {n}.").format(
                n=d.programmes_out_of_band))
        if d.pending_transfers:
            alerts.append(self.tr("Credit transfer requests waiting for a decision: {n}.")
                          .format(n=d.pending_transfers))
        self.pending_button.setText(self.tr("Review the {n} pending transfer requests").format(n=d.pending_transfers))
        self.pending_button.setVisible(bool(d.pending_transfers))
        if d.overdue_tasks:
            alerts.append(self.tr("Mentoring tasks overdue today: {n}.").format(n=d.overdue_tasks))
        self.alerts.setProperty("role", None)
        self.alerts.style().polish(self.alerts)
        self.alerts.setText("\n".join("• " + a for a in alerts) if alerts else self.tr("Nothing needs attention."))

    def current_list(self) -> ListPage | None:
        return self.mentees
