"""A student's mentors (current and former) shown under the student's record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from db.dashboard import MentorLine
from db.labels import label

Index = QModelIndex | QPersistentModelIndex


class MentorHistoryModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: list[MentorLine] = []
        self.today = dt.date.today()
        self.headers = [self.tr("Role"), self.tr("Mentor"), self.tr("Organisation"), self.tr("From"),
                        self.tr("Until"), self.tr("Reason")]

    def set_lines(self, lines: list[MentorLine]) -> None:
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
        if role == Qt.ItemDataRole.ForegroundRole and not line.active_on(self.today):
            return QColor("#6b7280")  # former mentors in grey
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return [label(line.role), f"{line.mentor_name}（{line.staff_no}）", line.organisation,
                line.start_on.isoformat(), line.end_on.isoformat() if line.end_on else "",
                line.end_reason or ""][index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class MentorHistory(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mentorHistory")
        heading = QLabel(self.tr("Mentors (current and former)"), self)
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
