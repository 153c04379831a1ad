"""The 报告 page: pick a quarter, build its report in the background, preview the PDF, print it,
open it in the system viewer, save the PDF and the Excel workbook, and issue (freeze) the quarter.

Administrators build any quarter and issue it; viewers may only preview, print and save issued
reports; mentors do not see the page (DESIGN.md section 7). The figures come from one data object,
reports.quarterly.QuarterlyReport: ``load()`` gives the frozen one once a quarter is issued, so a
reprint after later edits shows the same figures.

The PySide6 wheels carry no QtPdf, so pages are rasterised with pypdfium2, for the preview (only
the pages in view, cached) and for printing (at the printer's resolution, capped at 300 dpi).
pdfium is not thread-safe: it is only ever called on the UI thread.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPageSize, QPainter, QPaintEvent
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db.actor import unit_of_work
from db.errors import TalentDeskError
from reports import quarterly
from reports.files import atomic_output
from reports.quarterly import Quarter, QuarterlyReport

from ..context import AppContext
from ..plain import Label
from ..prompts import xlsx_filter
from .admin import FONT_KEY


class _Lazy:
    """A module imported on first use: PDFium's library and the Excel/PDF writers take over a
    second to load, which a start-up that may never open this page should not pay."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


pdfium = _Lazy("pypdfium2")
if TYPE_CHECKING:
    from reports import excel, pdf, student
else:
    excel = _Lazy("reports.excel")
    pdf = _Lazy("reports.pdf")
    student = _Lazy("reports.student")


def find_font(path: Any = None) -> Any:
    return importlib.import_module("reports.fonts").find(path)

Index = QModelIndex | QPersistentModelIndex
FIRST_YEAR = 2015  # the quarter list goes back to here (ten-year demo data starts around it)
PRINT_DPI_CAP = 300  # enough for text on paper; 1200 dpi A4 bitmaps would take half a gigabyte each


# --------------------------------------------------------------------------- quarters and access


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_completed_quarter(today: dt.date) -> Quarter:
    return quarterly.previous_quarter(quarter_of(today))


def quarters_until(today: dt.date, first_year: int = FIRST_YEAR) -> list[Quarter]:
    """The current quarter and every one before it back to ``first_year``, newest first."""
    q, out = quarter_of(today), []
    while q.year >= first_year:
        out.append(q)
        q = quarterly.previous_quarter(q)
    return out


@dataclass(frozen=True)
class IssuedInfo:
    quarter: str
    issued_at: str  # local time, to the minute
    issued_by: str | None


def issued_list(session: Any) -> list[IssuedInfo]:
    return [IssuedInfo(r.period, r.issued_at.strftime("%Y-%m-%d %H:%M"), r.issued_by)
            for r in quarterly.issued_reports(session)]


@dataclass
class BuiltReport:
    report: QuarterlyReport
    pdf: Path

    @property
    def quarter(self) -> str:
        return self.report.figures.quarter


def _cancelled(exc: BaseException) -> bool:
    return isinstance(exc, (pdf.Cancelled, excel.Cancelled))


# --------------------------------------------------------------------------- rendering PDF pages


def render_page(page: Any, scale: float) -> QImage:
    """One PDF page as a QImage (pdfium writes RGBX bytes with rev_byteorder; the image owns a copy)."""
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
    try:
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
        return image.copy()
    finally:
        bitmap.close()


class _PageCanvas(QWidget):
    """All pages stacked vertically; paints only those in view, from a small cache."""

    GAP = 14
    CACHE = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc: Any = None
        self.sizes: list[tuple[float, float]] = []  # points
        self.zoom = 1.0
        self.tops: list[int] = []
        self.cache: OrderedDict[tuple[int, float], QImage] = OrderedDict()
        self.setAutoFillBackground(False)

    def pixel_size(self, i: int) -> QSize:
        w, h = self.sizes[i]
        f = self.zoom * 96 / 72
        return QSize(round(w * f), round(h * f))

    def relayout(self) -> None:
        self.tops, y, width = [], self.GAP, 0
        for i in range(len(self.sizes)):
            self.tops.append(y)
            size = self.pixel_size(i)
            y += size.height() + self.GAP
            width = max(width, size.width())
        self.cache.clear()
        self.setFixedSize(width + 2 * self.GAP, y if self.sizes else 0)
        self.update()

    def page_rect(self, i: int) -> QRect:
        size = self.pixel_size(i)
        return QRect((self.width() - size.width()) // 2, self.tops[i], size.width(), size.height())

    def page_at(self, y: int) -> int:
        """0-based index of the page at height ``y``."""
        for i in range(len(self.tops) - 1, -1, -1):
            if self.tops[i] <= y:
                return i
        return 0

    def image(self, i: int) -> QImage:
        ratio = self.devicePixelRatioF()
        key = (i, self.zoom * ratio)
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        image = render_page(self.doc[i], self.zoom * 96 / 72 * ratio)
        image.setDevicePixelRatio(ratio)
        self.cache[key] = image
        while len(self.cache) > self.CACHE:
            self.cache.popitem(last=False)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#c9ced6"))
        if self.doc is None:
            return
        for i in range(len(self.sizes)):
            rect = self.page_rect(i)
            if not rect.intersects(event.rect()):
                continue
            painter.fillRect(rect.translated(2, 3), QColor("#9aa1ab"))  # a little shadow
            painter.drawImage(rect, self.image(i))


class PdfPreview(QWidget):
    """A PDF in a scrollable view, with page navigation and zoom."""

    pageChanged = Signal(int, int)  # noqa: N815 - Qt naming; current page (1-based), page count
    ZOOMS = (0.5, 0.67, 0.75, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = _PageCanvas()
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("pdfScroll")
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setStyleSheet("QScrollArea#pdfScroll { background: #c9ced6; border: 1px solid #dfe3e8; }")
        self.scroll_area.verticalScrollBar().valueChanged.connect(lambda _v: self._emit_page())

        self.prev_button = self._tool("◀", self.tr("Previous page"), lambda: self.go_to(self.current_page() - 1))
        self.next_button = self._tool("▶", self.tr("Next page"), lambda: self.go_to(self.current_page() + 1))
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("pageBox")
        self.page_box.setRange(0, 0)
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(lambda n: self.go_to(n) if n != self.current_page() else None)
        self.page_label = Label(self)
        self.zoom_out = self._tool("−", self.tr("Zoom out"), lambda: self.step_zoom(-1))
        self.zoom_in = self._tool("+", self.tr("Zoom in"), lambda: self.step_zoom(1))
        self.zoom_label = Label(self)
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_button = QPushButton(self.tr("Fit width"), self)
        self.fit_button.setObjectName("fitWidth")
        self.fit_button.clicked.connect(self.fit_width)
        self.caption = Label(self)
        self.caption.setProperty("role", "hint")
        # what to do while there is nothing to show (an empty grey area said nothing)
        self.placeholder = Label(self)
        self.placeholder.setObjectName("previewPlaceholder")
        self.placeholder.setProperty("role", "hint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("QLabel#previewPlaceholder { background: #ffffff; border: 1px solid #dfe3e8; "
                                       "padding: 24px; }")

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(self.caption, 1)
        for w in (self.prev_button, self.page_box, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_button):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.placeholder, 1)
        self._update_controls()

    def _tool(self, text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # ---------------------------------------------------------------- document

    def set_document(self, path: Path | None, caption: str = "") -> None:
        self.close_document()
        if path is not None:
            doc = pdfium.PdfDocument(str(path))
            self.canvas.doc = doc
            self.canvas.sizes = [doc[i].get_size() for i in range(len(doc))]
        self.caption.setText(caption)
        self.canvas.relayout()
        self.scroll_area.verticalScrollBar().setValue(0)
        self._update_controls()
        self._emit_page()

    def close_document(self) -> None:
        if self.canvas.doc is not None:
            self.canvas.cache.clear()
            self.canvas.doc.close()
        self.canvas.doc, self.canvas.sizes = None, []

    def page_count(self) -> int:
        return len(self.canvas.sizes)

    # ---------------------------------------------------------------- navigation and zoom

    def current_page(self) -> int:
        if not self.page_count():
            return 0
        bar = self.scroll_area.verticalScrollBar()
        return self.canvas.page_at(bar.value() + self.scroll_area.viewport().height() // 3) + 1

    def go_to(self, page: int) -> None:
        if not self.page_count():
            return
        page = min(max(page, 1), self.page_count())
        self.scroll_area.verticalScrollBar().setValue(self.canvas.tops[page - 1] - _PageCanvas.GAP // 2)
        self._emit_page()

    def set_zoom(self, zoom: float) -> None:
        page = self.current_page()
        self.canvas.zoom = min(max(zoom, 0.25), 4.0)
        self.canvas.relayout()
        self._update_controls()
        if page:
            self.go_to(page)

    def step_zoom(self, direction: int) -> None:
        z = self.canvas.zoom
        bigger = [x for x in self.ZOOMS if x > z + 1e-6]
        smaller = [x for x in self.ZOOMS if x < z - 1e-6]
        if direction > 0 and bigger:
            self.set_zoom(bigger[0])
        elif direction < 0 and smaller:
            self.set_zoom(smaller[-1])

    def fit_width(self) -> None:
        if not self.page_count():
            return
        width_pt = max(w for w, _h in self.canvas.sizes)
        available = self.scroll_area.viewport().width() - 2 * _PageCanvas.GAP - 4
        self.set_zoom(available / (width_pt * 96 / 72))

    def set_placeholder(self, text: str) -> None:
        """The sentence shown instead of the pages while there is no document."""
        self.placeholder.setText(text)

    def _update_controls(self) -> None:
        n = self.page_count()
        self.scroll_area.setVisible(n > 0)
        self.placeholder.setVisible(n == 0)
        for w in (self.prev_button, self.next_button, self.page_box, self.zoom_out, self.zoom_in, self.fit_button):
            w.setEnabled(n > 0)
        self.page_box.blockSignals(True)
        self.page_box.setRange(1 if n else 0, n)
        self.page_box.blockSignals(False)
        self.page_label.setText(self.tr("/ {n}").format(n=n))
        self.zoom_label.setText(f"{self.canvas.zoom * 100:.0f}%")

    def _emit_page(self) -> None:
        current = self.current_page()
        self.page_box.blockSignals(True)
        self.page_box.setValue(current)
        self.page_box.blockSignals(False)
        self.pageChanged.emit(current, self.page_count())


# --------------------------------------------------------------------------- printing


def pages_to_print(printer: QPrinter, total: int, current: int) -> list[int]:
    """0-based page indexes the print dialog asked for (all, a range, or the current page)."""
    rng = printer.printRange()
    if rng == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(total, printer.toPage() or total)
        pages = list(range(first - 1, last))
    elif rng == QPrinter.PrintRange.CurrentPage and current > 0:
        pages = [current - 1]
    else:
        pages = list(range(total))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def print_pdf(path: Path, printer: QPrinter, pages: Sequence[int],
              progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint ``pages`` of the PDF on ``printer``, each page scaled to the paper keeping its aspect.
    Returns the number of pages printed; ``progress`` returning False aborts the job."""
    printer.setFullPage(True)  # the PDF brings its own margins: print it at its size
    painter = QPainter()
    if not painter.begin(printer):
        raise TalentDeskError(QCoreApplication.translate("ReportsPage", "The printer could not be started."))
    doc = pdfium.PdfDocument(str(path))
    done = 0
    try:
        dpi = min(printer.resolution(), PRINT_DPI_CAP)
        target = painter.viewport()
        for n, i in enumerate(pages):
            if progress is not None and progress(n, len(pages)) is False:
                printer.abort()
                break
            if n:
                printer.newPage()
            page = doc[i]
            w_pt, h_pt = page.get_size()
            image = render_page(page, dpi / 72)
            scale = min(target.width() / w_pt, target.height() / h_pt)
            w, h = round(w_pt * scale), round(h_pt * scale)
            painter.drawImage(QRect(target.x() + (target.width() - w) // 2, target.y() + (target.height() - h) // 2,
                                    w, h), image)
            done += 1
    finally:
        painter.end()
        doc.close()
    return done


def exec_print_dialog(printer: QPrinter, page_count: int, parent: QWidget | None) -> bool:
    """The real, blocking print dialog (tests inject their own)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setMinMax(1, page_count)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintSelection, False)
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


# --------------------------------------------------------------------------- issued quarters


class IssuedModel(QAbstractTableModel):
    COLUMNS = ("quarter", "issued_at", "issued_by")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[IssuedInfo] = []

    def set_rows(self, rows: list[IssuedInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(row, self.COLUMNS[index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Quarter"), self.tr("Issued on"), self.tr("Issued by"))[section]
        return None


# --------------------------------------------------------------------------- the page


class ReportsPage(QWidget):
    """Build, preview, print, save and issue the quarterly report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today or dt.date.today()
        self.built: BuiltReport | None = None
        self.saved_pdf: Path | None = None
        self.issued: dict[str, IssuedInfo] = {}
        self._builds = 0
        self._workdir: Path | None = None  # scratch folder of built PDFs, made on the first build
        # swapped in tests: no dialog, no system viewer, a PDF printer
        self.print_dialog: Callable[[QPrinter, int, QWidget | None], bool] = exec_print_dialog
        self.make_printer: Callable[[], QPrinter] = lambda: QPrinter(QPrinter.PrinterMode.HighResolution)
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl

        self.quarter_box = QComboBox(self)
        self.quarter_box.setObjectName("quarterBox")
        self.quarter_box.setMinimumContentsLength(18)
        self.quarter_box.currentIndexChanged.connect(lambda _i: self._quarter_changed())
        self.build_button = self._button(self.tr("Build report"), "buildButton", self.build)
        self.build_button.setDefault(True)
        self.print_button = self._button(self.tr("Print…"), "printButton", self.print_report)
        self.open_button = self._button(self.tr("Open in PDF viewer"), "openButton", self.open_in_viewer)
        self.save_pdf_button = self._button(self.tr("Save PDF…"), "savePdfButton", self.save_pdf)
        self.save_xlsx_button = self._button(self.tr("Save Excel…"), "saveExcelButton", self.save_excel)
        self.issue_button = self._button(self.tr("Issue…"), "issueButton", self.issue)
        self.issue_button.setVisible(ctx.actor.is_admin)
        self.state = Label(self)
        self.state.setObjectName("reportState")
        self.state.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(Label(self.tr("Quarter"), self))
        top.addWidget(self.quarter_box)
        top.addWidget(self.build_button)
        top.addSpacing(12)
        for b in (self.print_button, self.open_button, self.save_pdf_button, self.save_xlsx_button):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.issue_button)

        self.issued_model = IssuedModel(self)
        self.issued_view = QTableView(self)
        self.issued_view.setObjectName("issuedView")
        self.issued_view.setModel(self.issued_model)
        self.issued_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issued_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issued_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.issued_view.verticalHeader().hide()
        self.issued_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.issued_view.horizontalHeader().setStretchLastSection(True)
        self.issued_view.doubleClicked.connect(self._open_issued)
        self.issued_view.activated.connect(self._open_issued)
        issued_heading = Label(self.tr("Issued reports"), self)
        issued_heading.setProperty("role", "heading")
        hint = Label(self.tr("An issued report is frozen: printing it again gives the same figures, whatever "
                              "was edited since. Double-click one to open it."), self)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(issued_heading)
        left_layout.addWidget(self.issued_view, 1)
        left_layout.addWidget(hint)

        self.preview = PdfPreview(self)
        self.preview.setObjectName("pdfPreview")
        self.preview.set_placeholder(
            self.tr("Choose a quarter and press Build report to see the report here, or double-click an issued "
                    "report on the left.") if ctx.actor.is_admin
            else self.tr("Double-click an issued report on the left to see it here."))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("reportsSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 900])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 1)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cleanup)
        self._update_actions()

    def _button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _c=False: slot())
        return button

    # ---------------------------------------------------------------- state

    def activate(self) -> None:
        """Read the issued quarters (a short list) each time the page is shown."""
        self.ctx.ops.read(issued_list, owner=self, then=self._show_issued, slot="issued")

    def _show_issued(self, issued: list[Any]) -> None:
        self.issued = {i.quarter: i for i in issued}
        self.issued_model.set_rows(issued)
        self._fill_quarters()

    def _fill_quarters(self) -> None:
        keep = self.selected_quarter()
        if self.ctx.actor.is_admin:
            quarters = [str(q) for q in quarters_until(self.today)]
            default = str(last_completed_quarter(self.today))
        else:  # viewers print issued reports only
            quarters = sorted(self.issued, reverse=True)
            default = quarters[0] if quarters else ""
        current = str(quarter_of(self.today))
        self.quarter_box.blockSignals(True)
        self.quarter_box.clear()
        for q in quarters:
            text = q
            if q in self.issued:
                text = self.tr("{quarter} · issued").format(quarter=q)
            elif q == current:
                text = self.tr("{quarter} · in progress").format(quarter=q)
            self.quarter_box.addItem(text, q)
        chosen = keep if keep in quarters else default
        self.quarter_box.setCurrentIndex(max(0, self.quarter_box.findData(chosen)))
        self.quarter_box.blockSignals(False)
        self._quarter_changed(clear=keep != self.selected_quarter())

    def selected_quarter(self) -> str:
        return str(self.quarter_box.currentData() or "")

    def select_quarter(self, quarter: str) -> None:
        index = self.quarter_box.findData(quarter)
        if index < 0:
            raise KeyError(quarter)
        self.quarter_box.setCurrentIndex(index)

    def _quarter_changed(self, clear: bool = True) -> None:
        if clear and self.built is not None and self.built.quarter != self.selected_quarter():
            self.built, self.saved_pdf = None, None
            self.preview.set_document(None)
        self._update_actions()

    def _update_actions(self) -> None:
        q = self.selected_quarter()
        has = self.built is not None
        self.build_button.setEnabled(bool(q))
        for b in (self.print_button, self.open_button, self.save_pdf_button, self.save_xlsx_button):
            b.setEnabled(has)
        ended = bool(q) and Quarter.parse(q).end < self.today
        self.issue_button.setEnabled(bool(q) and q not in self.issued and ended)
        if q and not ended:
            self.issue_button.setToolTip(self.tr("A quarter can be issued once it has ended."))
        elif q in self.issued:
            self.issue_button.setToolTip(self.tr("This quarter has been issued."))
        else:
            self.issue_button.setToolTip(self.tr("Freeze this quarter's figures for good."))
        if not q:
            text = self.tr("No report has been issued yet.") if not self.ctx.actor.is_admin else ""
        elif q in self.issued:
            info = self.issued[q]
            text = self.tr("{quarter}: issued on {date} by {user}. Its figures are frozen.").format(
                quarter=q, date=info.issued_at, user=info.issued_by)
        else:
            text = self.tr("{quarter}: not issued. The report shows today's data, which may still change.").format(
                quarter=q)
        if has:
            text += " " + self.tr("Preview: {n} pages.").format(n=self.preview.page_count())
        self.state.setText(text)
        self.state.setProperty("role", "ok" if q in self.issued else "hint")
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    def _font(self) -> str | None:
        return str(self.ctx.settings.value(FONT_KEY, "") or "").strip() or None

    # ---------------------------------------------------------------- build and preview

    def build(self) -> None:
        q = self.selected_quarter()
        if not q:
            return
        quarter = Quarter.parse(q)
        self._builds += 1
        out = self.workdir() / f"quarterly-{q}-{self._builds}.pdf"  # a new name: the old one may be open
        factory, actor, font = self.ctx.factory, self.ctx.actor, self._font()

        def work(task: Any) -> BuiltReport:
            find_font(font)  # a missing font is said at once, before the figures are computed
            task.progress(0, 8)
            with unit_of_work(factory, actor) as session:
                report = quarterly.load_for(session, actor, quarter)
            if task.cancelled():
                raise pdf.Cancelled
            try:
                pdf.write_quarterly(report, out, font, progress=lambda d, t: task.progress(1 + d, 1 + t))
            except pdf.Cancelled:
                out.unlink(missing_ok=True)  # cancelled after the last page was laid out
                raise
            return BuiltReport(report, out)

        self.state.setText(self.tr("Building the report for {quarter}…").format(quarter=q))
        self.ctx.tasks.run(work, parent=self, label=self.tr("Building the report for {quarter}…").format(quarter=q),
                           on_success=self._built, on_failure=self._failed)

    def _built(self, built: BuiltReport) -> None:
        if built.quarter != self.selected_quarter():
            self.select_quarter(built.quarter)
        self.built, self.saved_pdf = built, None
        f = built.report.figures
        caption = self.tr("Quarterly report {quarter} ({start} to {end})").format(
            quarter=f.quarter, start=f.period["start"], end=f.period["end"])
        self.preview.set_document(built.pdf, caption)
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        if _cancelled(exc):
            self._update_actions()
            self.state.setText(self.tr("Cancelled: nothing was written."))
            return
        self._update_actions()
        if isinstance(exc, OSError):
            self.ctx.prompts.error(self, self.tr("Reports"), self.tr("Cannot write {path}: {reason}").format(
                path=exc.filename or "", reason=exc.strerror or str(exc)))
            return
        self.ctx.tasks.show_error(self, exc)

    def _open_issued(self, index: QModelIndex) -> None:
        info = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(info, IssuedInfo):
            self.select_quarter(info.quarter)
            self.build()

    # ---------------------------------------------------------------- print, open, save

    def print_report(self) -> None:
        if self.built is None:
            return
        total = self.preview.page_count()
        printer = self.make_printer()
        printer.setDocName(self.tr("Quarterly report {quarter}").format(quarter=self.built.quarter))
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFromTo(1, total)
        if not self.print_dialog(printer, total, self):
            return
        pages = pages_to_print(printer, total, self.preview.current_page())
        dialog = QProgressDialog(self.tr("Printing…"), self.tr("Cancel"), 0, len(pages), self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)

        def progress(done: int, total_pages: int) -> bool:
            dialog.setValue(done)
            QCoreApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            printed = print_pdf(self.built.pdf, printer, pages, progress)
        except TalentDeskError as exc:
            self.ctx.prompts.error(self, self.tr("Print"), str(exc))
            return
        finally:
            dialog.reset()
            dialog.deleteLater()
        self.state.setText(self.tr("{n} pages sent to the printer.").format(n=printed))

    def open_in_viewer(self) -> None:
        if self.built is None:
            return
        path = self.saved_pdf or self.built.pdf
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self.ctx.prompts.error(self, self.tr("Reports"), self.tr(
                "No PDF viewer could open {path}. Save the PDF and open it yourself.").format(path=path))

    def _suggested(self, suffix: str) -> str:
        assert self.built is not None
        return self.tr("Quarterly report {quarter}").format(quarter=self.built.quarter) + suffix

    def save_pdf(self) -> None:
        if self.built is None:
            return
        chosen = self.ctx.prompts.save_file(self, self.tr("Save PDF"), self._suggested(".pdf"),
                                            self.tr("PDF documents (*.pdf)"))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            with atomic_output(path) as tmp:
                shutil.copyfile(self.built.pdf, tmp)
        except OSError as exc:
            self.ctx.prompts.error(self, self.tr("Save PDF"), self.tr("Cannot write {path}: {reason}").format(
                path=path, reason=exc.strerror or str(exc)))
            return
        self.saved_pdf = path
        self.state.setText(self.tr("Saved {path}").format(path=path))

    def save_excel(self) -> None:
        if self.built is None:
            return
        chosen = self.ctx.prompts.save_file(self, self.tr("Save Excel"), self._suggested(".xlsx"), xlsx_filter())
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        report = self.built.report

        def work(task: Any) -> Path:
            return excel.write_quarterly(report, path, progress=task.progress)

        self.ctx.tasks.run(work, parent=self, label=self.tr("Writing {path}…").format(path=path.name),
                           on_success=lambda p: self.state.setText(self.tr("Saved {path}").format(path=p)),
                           on_failure=self._failed)

    # ---------------------------------------------------------------- issue

    def issue(self) -> None:
        q = self.selected_quarter()
        if not q or q in self.issued or not self.ctx.actor.is_admin:
            return
        if not self.ctx.prompts.confirm(self, self.tr("Issue the report"), self.tr(
                "Issue the report for {quarter}? Its figures are frozen as they are now: later edits will not "
                "change it, every reprint shows the same figures, and it cannot be issued again.").format(quarter=q)):
            return
        factory, actor, quarter = self.ctx.factory, self.ctx.actor, Quarter.parse(q)

        def work(task: Any) -> str:
            with unit_of_work(factory, actor) as session:
                quarterly.issue(session, actor, quarter)
            return q

        def done(_q: str) -> None:
            self.activate()
            self.select_quarter(q)
            self.build()  # the preview now shows the frozen report

        self.ctx.tasks.run(work, parent=self, label=self.tr("Issuing the report for {quarter}…").format(quarter=q),
                           on_success=done, cancellable=False)

    # ---------------------------------------------------------------- clean-up

    def workdir(self) -> Path:
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="talentdesk-reports-"))
            weakref.finalize(self, shutil.rmtree, str(self._workdir), True)
        return self._workdir

    def cleanup(self) -> None:
        self.preview.close_document()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)


# --------------------------------------------------------------------------- the student record


def open_student_record(ctx: AppContext, student_no: str, parent: QWidget | None,
                        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl) -> None:
    """Ask where to save ``student_no``'s record PDF, write it in the background, then open it in
    the system viewer. For the student list and detail view (mentors may print their own mentees'
    records: reports.student.build checks access)."""
    caption = QCoreApplication.translate("ReportsPage", "Save the student record")
    suggested = QCoreApplication.translate("ReportsPage", "Student record {no}").format(no=student_no) + ".pdf"
    chosen = ctx.prompts.save_file(parent, caption, suggested,
                                   QCoreApplication.translate("ReportsPage", "PDF documents (*.pdf)"))
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    factory, actor = ctx.factory, ctx.actor
    font = str(ctx.settings.value(FONT_KEY, "") or "").strip() or None

    def work(task: Any) -> Path:
        find_font(font)
        with unit_of_work(factory, actor) as session:
            record = student.build(session, actor, student_no)
        return student.write_pdf(record, path, font)

    def done(written: Path) -> None:
        open_url(QUrl.fromLocalFile(str(written)))

    ctx.tasks.run(work, parent=parent, label=QCoreApplication.translate(
        "ReportsPage", "Writing the record of {no}…").format(no=student_no), on_success=done, cancellable=False)
