"""A warning on the administrators' home page naming records that break the rules (db.integrity):
data written behind the app's back is shown to the person who can repair it, instead of crashing a
page later. The check runs quietly in the background each time the home page is shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from db import integrity
from db.integrity import Finding

from .context import AppContext
from .plain import Label

STYLE = """
QFrame#integrityBanner { background: #fffaeb; border: 1px solid #fec84b; border-radius: 6px; }
QFrame#integrityBanner QLabel { color: #7a2e0e; background: transparent; }
QFrame#integrityBanner QScrollArea { border: none; background: transparent; }
"""


class IntegrityBanner(QFrame):
    """Hidden while the data obeys the rules; otherwise a heading and one line per finding."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.findings: list[Finding] = []
        self.setObjectName("integrityBanner")
        self.setStyleSheet(STYLE)
        self.heading = Label(self)
        self.heading.setObjectName("integrityHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.details = Label(self)
        self.details.setObjectName("integrityDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.details)
        scroll.setMaximumHeight(130)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.heading)
        layout.addWidget(scroll)
        self.hide()

    def refresh(self) -> None:
        """Run the check off the UI thread (administrators only; nothing modal)."""
        if not self.ctx.actor.is_admin:
            return
        actor = self.ctx.actor
        self.ctx.ops.read(lambda session: integrity.check(session, actor), owner=self, then=self.show_findings,
                          failed=self._failed, slot="check")

    def _failed(self, exc: BaseException) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from db.errors import DatabaseUnavailable

        if isinstance(exc, DatabaseUnavailable | SQLAlchemyError):
            # the database could not be asked: not a rule broken. The page says so where its figures are.
            self.findings = []
            self.hide()
            return
        self.heading.setText(self.tr("The data check could not run: {error}").format(error=exc))
        self.details.setText("")
        self.show()

    def show_findings(self, findings: Any) -> None:
        self.findings = list(findings)
        if not self.findings:
            self.hide()
            return
        self.heading.setText(self.tr(
            "The database holds records that break TalentDesk's rules (written outside the app?). "
            "Please repair them:"))
        self.details.setText("\n".join("• " + f.message for f in self.findings))
        self.show()
