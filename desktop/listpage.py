"""The one list page every scheme uses: search and filters on top, a SQL-backed table, a row count,
and the actions 新建 / 编辑 / 导入 / 导出 where the role allows them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import listing, lists
from db.listing import ListQuery, ListRow

from .context import AppContext
from .operations import sentence
from .plain import Label
from .tablemodel import ListTableModel

Link = tuple[str, str, dict[str, Any]]  # (page key, list name, filters): MainWindow.show_records' arguments

SEARCH_DELAY_MS = 250


class WrappingBar(QWidget):
    """A toolbar of two groups (search and filters; the count and the buttons) side by side when the
    page is wide enough, the second group under the first when it is not.

    A list with four filters and five buttons needs ~1,040 px in one row: beside the sidebar that
    pinned the main window's minimum width at ~1,250 px (more with Windows' wider UI font or at 125 %
    scaling), wider than a 1366x768 screen's room for it. The bar's minimum width is that of its wider
    group, so the window can shrink and the toolbar takes a second row instead.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toolbar")
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(8)
        self.first = QHBoxLayout()
        self.first.setSpacing(8)
        self.second = QHBoxLayout()
        self.second.setSpacing(8)
        self.second.addStretch(1)  # on a row of its own the count and buttons stay on the right
        self.box.addLayout(self.first, 1)
        self.box.addLayout(self.second)

    def wrapped(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def one_row_width(self) -> int:
        return self.first.sizeHint().width() + self.box.spacing() + self.second.sizeHint().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        first, second = self.first.minimumSize(), self.second.minimumSize()
        height = (first.height() + self.box.spacing() + second.height() if self.wrapped()
                  else max(first.height(), second.height()))
        return QSize(max(first.width(), second.width()), height)

    def _decide(self, width: int) -> None:
        wrap = width < self.one_row_width()
        if wrap != self.wrapped():
            self.box.setDirection(QBoxLayout.Direction.TopToBottom if wrap else QBoxLayout.Direction.LeftToRight)
            self.updateGeometry()  # one row's height, or two

    def refit(self) -> None:
        """Decide again at the present width: called when what the groups hold changed size without a
        resize (the count filled in, a button added). The decision depends on
        the width only, so it settles at once."""
        for group in (self.first, self.second):
            group.invalidate()  # a row caches its size hint until its next layout pass
        self._decide(self.width())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._decide(event.size().width())
        super().resizeEvent(event)


class ListPage(QWidget):
    """A searchable, sortable list of one ``db.listing`` spec.

    ``on_new()`` and ``on_open(row)`` open the record dialog and return True (or the saved record's id)
    when something was saved (the list then refreshes). Without ``on_new`` there is no 新建 button; ``import_kind``
    adds 导入, ``exportable`` adds 导出. The constructor does no I/O: ``activate()`` (called when the
    page is first shown) counts and fetches.
    """

    selectionChanged = Signal(object)  # ListRow | None

    def __init__(self, ctx: AppContext, spec_name: str, *, title: str = "",
                 on_new: Callable[[], bool | int | None] | None = None,
                 on_open: Callable[[ListRow], bool | int | None] | None = None,
                 import_kind: str | None = None, exportable: bool = False,
                 links: dict[str, Callable[[ListRow], Link]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = lists.SPECS[spec_name]
        self.title = title
        self.on_new, self.on_open = on_new, on_open
        # a figure in a column (a programme's students) opens the records behind it: column key -> where
        self.links = links or {}
        self.import_kind = import_kind
        self.setObjectName(f"list_{spec_name}")
        self.model = ListTableModel(ctx.factory, ctx.actor, self.spec, parent=self)
        self.model.ops, self.model.owner = ctx.ops, self  # its count and first page read in the background
        self._filters_loaded = False
        self._filters_reading = False  # their choices asked for, not yet arrived
        # what waits for the filters' choices: a page's starting filter, a figure's records (activate's preset)
        self._presets: list[Callable[[], Any]] = []
        self._thens: list[Callable[[], Any]] = []

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_then_results)
        self.search.installEventFilter(self)  # ↓ goes from the search box into the results

        self.toolbar = WrappingBar(self)
        top = self.toolbar.first
        top.addWidget(self.search)
        self.filter_boxes: dict[str, QComboBox] = {}
        self._filter_values: dict[str, list[Any]] = {}
        for f in self.spec.filters:
            box = QComboBox(self)
            box.setObjectName(f"filter_{f.key}")
            box.setToolTip(f.label)
            box.addItem(self.tr("All: {label}").format(label=f.label))
            box.setMinimumContentsLength(8)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.currentIndexChanged.connect(lambda i, key=f.key: self._filter_changed(key, i))
            self.filter_boxes[f.key] = box
            top.addWidget(box)
        top.addStretch(1)
        actions = self.toolbar.second
        self.count_label = Label(self)
        self.count_label.setObjectName("countLabel")
        actions.addWidget(self.count_label)

        self.new_button = self._button(self.tr("New"), "newButton", self.new_record) if on_new else None
        self.open_button = self._button(self.tr("Edit") if ctx.can_write else self.tr("Open"), "openButton",
                                        self.open_current) if on_open else None
        self.import_button: QPushButton | None = None
        if import_kind and ctx.actor.is_admin:
            self.import_button = QPushButton(self.tr("Import…"), self)
            self.import_button.setObjectName("importButton")
            menu = QMenu(self.import_button)
            menu.addAction(self.tr("Import from an Excel file…"), self.import_file)
            menu.addAction(self.tr("Save an empty import template…"), self.save_template)
            self.import_button.setMenu(menu)
        self.export_button = self._button(self.tr("Export…"), "exportButton", self.export) if exportable else None
        # 打印: the list as shown, A4 landscape, opened in the PDF viewer to print from
        self.print_button = self._button(self.tr("Print…"), "printButton", self.print_list) if exportable else None
        if self.export_button is not None and import_kind and not ctx.actor.is_mentor:
            # an import KIND's list also exports every record in the import's own columns (codes, keys):
            # edited in Excel and imported back, the file changes only what was edited
            menu = QMenu(self.export_button)
            menu.addAction(self.tr("Export this list (as shown)…"), self.export)
            menu.addAction(self.tr("Export every record for re-import…"), self.export_records)
            self.export_button.setMenu(menu)
        self.extra_buttons = QHBoxLayout()
        for b in (self.new_button, self.open_button, self.import_button, self.export_button, self.print_button):
            if b is not None:
                actions.addWidget(b)
        actions.addLayout(self.extra_buttons)

        self.view = QTableView(self)
        self.view.setObjectName("table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # show the order the query starts with (Qt's own default indicator would claim descending)
        default_key = self.spec.default_sort or self.spec.columns[0].key
        header.setSortIndicator(
            [c.key for c in self.spec.columns].index(default_key),
            Qt.SortOrder.DescendingOrder if self.spec.default_descending else Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self.model.sort)
        for i, col in enumerate(self.spec.columns):
            self.view.setColumnWidth(i, col.width)
        self.view.activated.connect(lambda _i: self.open_current())
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.selectionChanged.emit(self.model.row_at(cur.row()) if cur.isValid() else None))
        self.model.countChanged.connect(self._show_count)

        # when the database cannot answer: said above the (empty) table, with a way to try again
        self.load_error = QFrame(self)
        self.load_error.setObjectName("loadError")
        self.load_error_text = Label(self.load_error)
        self.load_error_text.setObjectName("banner")
        self.load_error_text.setWordWrap(True)
        retry = QPushButton(self.tr("Try again"), self.load_error)
        retry.setObjectName("retryButton")
        retry.clicked.connect(lambda _checked=False: self.retry())
        row = QHBoxLayout(self.load_error)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.load_error_text, 1)
        row.addWidget(retry, 0, Qt.AlignmentFlag.AlignTop)
        self.load_error.hide()
        self.model.failed.connect(self._show_load_error)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.load_error)
        layout.addWidget(self.view, 1)

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def add_button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        b = self._button(text, name, slot)
        self.extra_buttons.addWidget(b)
        self.toolbar.refit()
        return b

    # ---------------------------------------------------------------- loading

    def activate(self, preset: Callable[[], None] | None = None, then: Callable[[], Any] | None = None) -> None:
        """First show: fill the filters, restore the column layout, count and fetch, all read in the background
        (the filters' choices, then the count and first page). ``preset`` runs once the filters are filled,
        before the count: a page's own starting filter (``preset_filter``) or a figure's records; ``then`` once
        the list shows its rows."""
        if not self._filters_loaded:
            if preset is not None and preset not in self._presets:  # a page shown twice before they arrive
                self._presets.append(preset)
            if then is not None:
                self._thens.append(then)
            if self._filters_reading:
                return  # asked already: this preset runs with the others when they arrive
            self._filters_reading = True
            filters = self.spec.filters
            self.ctx.ops.read(lambda session: {f.key: f.options(session) for f in filters}, owner=self,
                              then=self._fill_filters, slot="filters", after=self._filters_answered,
                              failed=lambda exc: self._show_load_error(sentence(exc)))  # said like a list
            return
        if self.model.loaded and preset is None:
            if then is not None:
                then()
            return
        if preset is not None:
            preset()
        self.model.refresh(then)

    def _filters_answered(self) -> None:
        self._filters_reading = False  # whatever the answer: 重试 asks again, the presets waiting for it

    def _fill_filters(self, options_by_key: dict[str, list[tuple[Any, str]]]) -> None:
        for f in self.spec.filters:
            options = options_by_key[f.key]
            box = self.filter_boxes[f.key]
            box.setVisible(bool(options))  # a filter set from outside (a record's history), not chosen
            box.blockSignals(True)
            for _value, label in options:
                box.addItem(label)
            box.blockSignals(False)
            self._filter_values[f.key] = [v for v, _l in options]
        self._filters_loaded = True
        self._show_load_error("")
        state = self.ctx.settings.value(self._header_key())
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.view.horizontalHeader().restoreState(state)
        presets, thens = self._presets, self._thens
        self._presets, self._thens = [], []
        for preset in presets:
            preset()

        def shown() -> None:
            for then in thens:
                then()

        self.model.refresh(shown)

    def filter_values(self, key: str) -> list[Any]:
        """The values of filter ``key``'s choices, in their order (empty until the filters are filled)."""
        return list(self._filter_values.get(key, []))

    def preset_filter(self, key: str, index: int) -> None:
        """Choose the ``index``-th choice (1: the first; 0: all) of filter ``key`` without reading the list
        again (for ``activate``'s ``preset``: the count that follows reads it once)."""
        box = self.filter_boxes[key]
        values = self._filter_values.get(key, [])
        if not 0 <= index <= len(values):
            return
        box.blockSignals(True)
        box.setCurrentIndex(index)
        box.blockSignals(False)
        if index:
            self.model.query.filters[key] = values[index - 1]
        else:
            self.model.query.filters.pop(key, None)

    def retry(self) -> None:
        """Read again after a failure (the server is back, the other program finished writing)."""
        if self._filters_loaded:
            self.model.refresh()
        else:
            self.activate()

    def _show_load_error(self, message: str) -> None:
        if message:
            self.load_error_text.setText(self.tr("The list cannot be shown: {reason}").format(reason=message))
            self.count_label.setText("—")
        self.load_error.setVisible(bool(message))

    def _header_key(self) -> str:
        return f"lists/{self.spec.name}/header"

    def save_layout(self) -> None:
        self.ctx.settings.setValue(self._header_key(), self.view.horizontalHeader().saveState())

    def refresh(self, then: Callable[[], Any] | None = None) -> None:
        """Read the list again (in the background); ``then()`` once it shows the answer."""
        self.model.refresh(then)

    # ---------------------------------------------------------------- search, filters, count

    def show_filtered(self, filters: dict[str, Any], then: Callable[[], Any] | None = None) -> None:
        """Show exactly the rows ``filters`` select (a figure's records, opened from the home page): no
        search, each filter of the list set to the value given (by value or its key), the others cleared."""
        self.activate(preset=lambda: self._set_filters(filters), then=then)

    def _set_filters(self, filters: dict[str, Any]) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        query = self.model.query
        query.search = ""
        query.filters.clear()
        for key, box in self.filter_boxes.items():
            values = self._filter_values.get(key, [])
            wanted = filters.get(key)
            index = next((i + 1 for i, v in enumerate(values)
                          if wanted is not None and (v == wanted or getattr(v, "value", None) == wanted)), 0)
            box.blockSignals(True)
            box.setCurrentIndex(index)
            box.blockSignals(False)
            if index:
                query.filters[key] = values[index - 1]
            elif wanted is not None and not values:  # a filter with no choices: its value as given
                query.filters[key] = wanted

    def apply_search(self) -> None:
        self._search_timer.stop()
        if self.search.text() != self.model.query.search:
            self.model.set_search(self.search.text())
            self._show_first_rows()

    def _filter_changed(self, key: str, index: int) -> None:
        values = self._filter_values.get(key, [])
        self.model.set_filter(key, values[index - 1] if 0 < index <= len(values) else None)
        self._show_first_rows()

    def _show_first_rows(self) -> None:
        """Other rows than before: show the first of them. The view would otherwise keep its scroll
        position (say the end of the list), where the rows shown can straddle two pages of the model: two
        fetches, a round trip each, for a search's first paint (issue #25)."""
        self.view.scrollToTop()

    def _show_count(self, n: int) -> None:
        if self.model.error:  # not "0 in total": nothing could be counted
            self.count_label.setText("—")
            self.toolbar.refit()
            return
        self.count_label.setText(self.tr("{n} in total").format(n=f"{n:,}"))  # 49,161 as on the home page
        self.toolbar.refit()

    def _search_then_results(self) -> None:
        """Enter in the search box: search now, then the first result is selected and has the focus (Enter
        again opens it)."""
        self.apply_search()
        self._into_results()

    def _into_results(self) -> None:
        if self.model.rowCount() > 0:
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not self.view.currentIndex().isValid():
                self.view.selectRow(0)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self._into_results()
            return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---------------------------------------------------------------- actions

    def current_row(self) -> ListRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def new_record(self) -> None:
        """新建: save through the page's dialog, then say 已保存 and select the new record — also when the
        list's search or filters would hide it (they are cleared, and the person told why)."""
        if self.on_new is None:
            return
        saved = self.on_new()
        if not saved:
            return
        self._say(self.tr("Saved."))
        if isinstance(saved, bool) or not isinstance(saved, int):
            self.refresh()
            return
        self.refresh(then=lambda: self._show_new(saved))

    def _show_new(self, saved: int) -> None:
        """Select the record just saved: clear the search and filters first when they hide it."""
        query, actor, spec = self.model.query, self.ctx.actor, self.spec
        shown = self.ctx.ops.now(lambda session: listing.contains(session, actor, spec, query, saved), owner=self,
                                 failed=lambda _exc: None)  # the list says itself why it cannot be read
        if shown is False and (query.search or any(v is not None for v in query.filters.values())):
            self.ctx.prompts.info(self, self.title or self.tr("Saved."), self.tr(
                "Saved. The new record did not match the search or filters, so they were cleared to show it."))
            self.show_filtered({}, then=lambda: self.select_id(saved))
            return
        self.select_id(saved)  # the first page came with the count: the new record is selected when it is there

    def select_id(self, record_id: Any) -> bool:
        """Select the row of ``record_id`` if the list shows it (in the pages read so far)."""
        row = self.model.row_of_id(record_id)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _say(self, text: str) -> None:
        bar = getattr(self.window(), "statusBar", None)
        if bar is not None:
            bar().showMessage(text, 5000)

    def open_current(self) -> None:
        row = self.current_row()
        if row is None:
            return
        index = self.view.currentIndex()
        key = self.spec.columns[index.column()].key if index.isValid() else None
        link = self.links.get(key) if key is not None else None
        show = getattr(self.window(), "show_records", None)
        if link is not None and show is not None:  # the figure's records, filtered, on their own page
            show(*link(row))
            return
        if self.on_open is None:
            return
        if self.on_open(row):
            current = self.view.currentIndex().row()
            self.refresh(then=lambda: self.select_row(current))

    def select_row(self, row: int) -> None:
        """Select row ``row`` again after the list was read again (the record worked on keeps its place)."""
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)

    def import_file(self) -> None:
        from .importexport import ImportFlow

        if self.import_kind:
            ImportFlow(self.ctx, self.import_kind, self, on_done=self.refresh).start()

    def save_template(self) -> None:
        from .importexport import save_template

        if self.import_kind:
            save_template(self.ctx, self.import_kind, self)

    def export(self) -> None:
        from .importexport import export_list

        export_list(self.ctx, self.spec, self.model.query, self.title or self.spec.name, self)

    def print_list(self, path: str | None = None) -> None:
        """Print the list as searched, filtered and sorted: an A4-landscape PDF with the list's headers on
        every page (reports.listprint), opened in the PDF viewer for its print preview and printing; with
        ``path`` it is only written there."""
        import tempfile

        from db.academy import academy_name
        from reports.listprint import write_list_pdf

        title = self.title or self.spec.name
        target = path or str(Path(tempfile.mkdtemp(prefix="talentdesk-print-")) / f"{title}.pdf")
        factory, actor, spec = self.ctx.factory, self.ctx.actor, self.spec
        query = ListQuery(self.model.query.search, dict(self.model.query.filters), self.model.query.sort_key,
                          self.model.query.descending)
        criteria = "；".join([*([self.tr("Search: {text}").format(text=query.search)] if query.search else []),
                             *(self.filter_boxes[k].currentText() for k, v in query.filters.items()
                               if v is not None and k in self.filter_boxes)])

        def work(task: Any) -> str:
            with factory() as session:
                rows = listing.export_rows(session, actor, spec, query)
                academy = academy_name(session)

            def page(_n: int) -> None:
                if task.cancelled():
                    raise InterruptedError
            write_list_pdf(spec, rows, target, title, criteria, on_page=page, academy=academy)
            return target

        def done(written: str) -> None:
            if path is None:
                from PySide6.QtCore import QUrl
                from PySide6.QtGui import QDesktopServices

                QDesktopServices.openUrl(QUrl.fromLocalFile(written))
            self._say(self.tr("Ready to print: {path}").format(path=written))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, InterruptedError):
                self.ctx.tasks.show_error(self, exc)

        self.ctx.tasks.run(work, parent=self, label=self.tr("Preparing the print…"), on_success=done,
                           on_failure=failed)

    def export_records(self) -> None:
        from .importexport import export_records

        if self.import_kind:
            export_records(self.ctx, self.import_kind, self.title or self.spec.name, self)


def history_window(ctx: AppContext, parent: QWidget, title: str, search: str = "",
                   record: tuple[str, int] | None = None, show: bool = True) -> QWidget:
    """修改历史: the audit log's entries about a student (``search``: their number, which finds what
    belongs to them too) or about one record (``record``: its table and id), in a window of its own."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    dialog = QDialog(parent)
    dialog.setObjectName("changeHistoryDialog")
    dialog.setWindowTitle(QCoreApplication.translate("ListPage", "Change history — {name}").format(name=title))
    dialog.resize(1000, 560)
    page = ListPage(ctx, "audit", title=QCoreApplication.translate("ListPage", "Change history"), exportable=True,
                    parent=dialog)
    page.activate()
    if record is not None:
        page.show_filtered({"record": record})
    else:
        page.search.setText(search)
        page.apply_search()
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    close.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(page, 1)
    layout.addWidget(close)
    dialog.page = page  # type: ignore[attr-defined]
    if show:
        dialog.exec()
    return dialog
