"""A table model that asks the database: counts and pages of rows of one ``db.listing`` spec.

The model holds a ``ListQuery`` (search, filters, sort) and a small window cache of pages. Sorting
and filtering happen in SQL (``ORDER BY`` / ``WHERE``); the view only ever asks for the rows it
shows, so a list of 20,000 students opens as fast as one of 20.

With ``ops`` (desktop/operations.py, set by the list page) a refresh — the count and the first page, one
session — runs off the UI thread; the rows shown until the answer arrives are the previous query's (their
pages are read with the query they were counted with, ``_shown``). A page further down is read when it
scrolls into view: one round trip.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db import failures, listing
from db.actor import Actor
from db.engine import reading
from db.errors import TalentDeskError
from db.listing import ListQuery, ListRow, ListSpec

from .plain import tip

if TYPE_CHECKING:
    from .operations import Operations

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's primary key
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the ListRow
SORT_ROLE = Qt.ItemDataRole.UserRole + 3  # the raw value

_NUMERIC = {"int", "float", "percent"}
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel):
    """Rows of ``spec`` for ``actor``, fetched lazily in pages of ``page_size``."""

    countChanged = Signal(int)
    failed = Signal(str)  # why the rows cannot be read ("" once they can again)

    def __init__(self, factory: sessionmaker[Session], actor: Actor, spec: ListSpec, page_size: int = 200,
                 max_pages: int = 50, parent: Any = None) -> None:
        super().__init__(parent)
        self.factory, self.actor, self.spec = factory, actor, spec
        self.page_size, self.max_pages = page_size, max_pages
        self._query = ListQuery()
        self._shown = ListQuery()  # the query of the rows shown (``_query`` once its refresh has arrived)
        self.ops: Operations | None = None  # set with ``owner`` by the page: refreshes in the background
        self.owner: QWidget | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[ListRow]] = OrderedDict()
        self.loaded = False
        self._asked = False  # a refresh was started (its answer may not be here yet: ``loaded``)
        self.error: str | None = None

    # ---------------------------------------------------------------- query

    @property
    def query(self) -> ListQuery:
        return self._query

    def set_query(self, query: ListQuery) -> None:
        self._query = query
        self.refresh()

    def set_search(self, text: str) -> None:
        self._query.search = text
        self.refresh()

    def set_filter(self, key: str, value: Any) -> None:
        if value is None or value == "":
            self._query.filters.pop(key, None)
        else:
            self._query.filters[key] = value
        self.refresh()

    def refresh(self, then: Callable[[], Any] | None = None) -> None:
        """Count again and read the first page (after a search, a sort or a change), then ``then()``. When
        the database cannot answer, the list is empty and ``failed`` says why (an empty table must not pass
        for "no records"); ``then()`` runs all the same."""
        self._asked = True
        query = ListQuery(self._query.search, dict(self._query.filters), self._query.sort_key,
                          self._query.descending)
        actor, spec, size = self.actor, self.spec, self.page_size

        def read(session: Session) -> tuple[int, list[ListRow]]:
            return listing.first_page(session, actor, spec, query, size)

        def arrived(got: tuple[int, list[ListRow]]) -> None:
            self._reset(query, *got)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self._reset(query, 0, [], exc)
            if then is not None:
                then()

        if self.ops is not None and self.owner is not None:
            self.ops.read(read, owner=self.owner, then=arrived, failed=lambda exc: failed(exc), slot=f"list {id(self)}")
            return
        try:
            with reading(self.factory)() as session:  # writes nothing: no BEGIN/ROLLBACK round trips
                got = read(session)
        except (TalentDeskError, SQLAlchemyError) as exc:
            failed(exc)
            return
        arrived(got)

    def _reset(self, query: ListQuery, count: int, first: list[ListRow], exc: BaseException | None = None) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._shown, self._count = query, count
        if first:
            self._pages[0] = first
        if exc is not None:
            self._fail(exc)
        else:
            self._set_error(None)
        self.loaded = True
        self.endResetModel()
        self.countChanged.emit(self._count)

    def _fail(self, exc: BaseException) -> None:
        self._set_error(str(failures.said(exc)))

    def _set_error(self, message: str | None) -> None:
        if message != self.error:
            self.error = message
            self.failed.emit(message or "")

    def invalidate(self) -> None:
        """Mark cached rows stale (a record changed) without losing the row count or selection."""
        self._pages.clear()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, self.columnCount() - 1))

    # ---------------------------------------------------------------- rows

    def row_at(self, row: int) -> ListRow | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            try:
                with reading(self.factory)() as session:  # writes nothing: no BEGIN/ROLLBACK round trips
                    page = listing.fetch(session, self.actor, self.spec, self._shown, page_no * self.page_size,
                                         self.page_size, total=self._count)
            except (TalentDeskError, SQLAlchemyError) as exc:  # asked from data(): say it, never raise
                self._fail(exc)
                return None
            self._set_error(None)
            self._pages[page_no] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = row - page_no * self.page_size
        return page[offset] if offset < len(page) else None

    def row_of_id(self, row_id: Any) -> int:
        """The row showing ``row_id`` among the cached pages (-1 if not cached)."""
        for page_no, page in self._pages.items():
            for i, r in enumerate(page):
                if r.id == row_id:
                    return page_no * self.page_size + i
        return -1

    # ---------------------------------------------------------------- Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.spec.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.kind in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, ID_ROLE, ROW_ROLE, SORT_ROLE):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return row.values[index.column()]
        text = listing.cell_text(self.spec, row.values, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip(text) if len(text) > 30 else None
        return text

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.spec.columns[section].label
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL: the query's sort key and direction; the first page is fetched afresh."""
        if not 0 <= column < len(self.spec.columns):
            return
        key, descending = self.spec.columns[column].key, order == Qt.SortOrder.DescendingOrder
        self._query.sort_key, self._query.descending = key, descending
        if not self.loaded:
            if self._asked:  # a first read is on its way in the old order: read again (the newest answer is shown)
                self.refresh()
            # else the list's first read (ListPage.activate, after restoring the saved column layout, which sorts)
            # counts and fetches in this order: one read, not two
            return
        # the order changes, not the rows: keep the count, forget the cached pages
        self._shown = ListQuery(self._shown.search, dict(self._shown.filters), key, descending)
        self.beginResetModel()
        self._pages.clear()
        self.endResetModel()
