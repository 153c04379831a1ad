"""One small read-only table model for lists of typed lines (dataclasses), shared by the pages.

``cells(line)`` gives a row's values (formatted here: dates as ISO, floats to one decimal, enums by
their label); ``numeric`` columns are right-aligned; ``colour(line)`` may grey or flag a row;
``tooltip(line)`` explains it; ``LINE_ROLE`` hands the line itself back to the page.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from db.labels import label

from .plain import tip

Index = QModelIndex | QPersistentModelIndex
LINE_ROLE = Qt.ItemDataRole.UserRole + 1


def fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return label(value)
    return str(value)


class LinesModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], cells: Callable[[Any], Sequence[Any]], parent: Any = None,
                 numeric: Sequence[int] = (), colour: Callable[[Any], str | None] | None = None,
                 tooltip: Callable[[Any], str | None] | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.cells, self.numeric, self.colour, self.tooltip = cells, set(numeric), colour, tooltip
        self.lines: list[Any] = []

    def set_lines(self, lines: Sequence[Any]) -> None:
        self.beginResetModel()
        self.lines = list(lines)
        self.endResetModel()

    def line_at(self, row: int) -> Any:
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt(self.cells(line)[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.tooltip is not None and (text := self.tooltip(line)):
                return tip(text)
            text = fmt(self.cells(line)[index.column()])
            return tip(text) if len(text) > 24 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.colour is not None:
            c = self.colour(line)
            return QColor(c) if c else None
        if role == LINE_ROLE:
            return line
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None
