"""GUI tests of the 报告 page and the administrators' dashboard (pytest-qt, offscreen). The data is
test_stats.build's small academy, whose 2026Q3 figures are worked out by hand there (EXPECTED).
No dialog ever blocks: prompts, the print dialog, the printer and the system viewer are injected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from PySide6.QtCore import QUrl
from PySide6.QtPrintSupport import QPrinter
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from db.actor import Actor, unit_of_work
from db.errors import PermissionDenied
from db.models import Role, Student
from reports import quarterly
from tests.test_desktop import make_ctx
from tests.test_stats import EXPECTED, build

pytestmark = pytest.mark.gui

TODAY = dt.date(2026, 11, 5)  # 2026Q3 is the last completed quarter
VIEWER = Actor(username="leader", role=Role.VIEWER, display_name="学院领导")


@pytest.fixture
@filled_once
def academy(sqlite_db: Any) -> Any:
    with sqlite_db.factory() as s:
        build(s)
    return sqlite_db


def reports_page(qtbot: Any, db: Any, actor: Actor, tmp_path: Path, ctx: Any = None) -> Any:
    from desktop.pages.reports import ReportsPage

    ctx = ctx or make_ctx(db, actor, tmp_path)
    page = ReportsPage(ctx, today=TODAY)
    qtbot.addWidget(page, before_close_func=lambda w: w.cleanup())
    page.resize(1200, 800)
    page.show()
    page.activate()
    return page


def pdf_pages(path: Path) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def pdf_text(path: Path, page: int) -> str:
    doc = pdfium.PdfDocument(str(path))
    try:
        return doc[page].get_textpage().get_text_range()
    finally:
        doc.close()


def summary_sheet(path: Path) -> dict[str, Any]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("概要").to_python()
    return {row[0]: row[1] for row in rows if row and row[0]}


class CancellingRunner:
    """Runs work inline like the synchronous TaskRunner, pressing Cancel once progress reaches ``at``."""

    def __init__(self, real: Any, at: int) -> None:
        self.real, self.at = real, at
        self.prompts = real.prompts

    def run(self, fn: Callable[[Any], Any], *, parent: Any, label: str, on_success: Any = None,
            on_failure: Any = None, cancellable: bool = True) -> Any:
        from desktop.tasks import TaskContext

        ctx = TaskContext()
        ctx.on_progress = lambda done, total: ctx.cancel() if done >= self.at else None
        try:
            result = fn(ctx)
        except Exception as exc:
            (on_failure or (lambda e: self.real.show_error(parent, e)))(exc)
        else:
            if on_success is not None:
                on_success(result)
        return ctx

    def show_error(self, parent: Any, exc: BaseException) -> None:
        self.real.show_error(parent, exc)


# --------------------------------------------------------------------------- build, preview, save, open


def test_build_previews_every_page_and_saves_the_same_report(qtbot: Any, academy: Any, admin: Actor,
                                                             tmp_path: Path) -> None:
    page = reports_page(qtbot, academy, admin, tmp_path)
    assert page.selected_quarter() == "2026Q3"  # the last completed quarter by default
    assert not page.print_button.isEnabled() and not page.save_xlsx_button.isEnabled()
    page.build()
    assert page.ctx.prompts.asked == []
    assert page.built is not None and page.built.report.figures.to_dict() == EXPECTED

    page.ctx.prompts.file = str(tmp_path / "out" / "季度报告")  # no suffix typed: .pdf is added
    page.save_pdf()
    saved = tmp_path / "out" / "季度报告.pdf"
    n = pdf_pages(saved)
    assert n > 3 and page.preview.page_count() == n and page.preview.page_box.maximum() == n
    assert "2026Q3" in pdf_text(saved, 0)
    page.preview.go_to(n)
    assert page.preview.current_page() == n and page.preview.page_box.value() == n
    page.preview.step_zoom(1)
    assert page.preview.canvas.zoom > 1.0 and page.preview.current_page() == n
    assert not page.preview.canvas.grab().isNull()  # renders the pages in view

    page.ctx.prompts.file = str(tmp_path / "q3.xlsx")
    page.save_excel()
    summary = summary_sheet(tmp_path / "q3.xlsx")
    assert summary["在读学生"] == EXPECTED["mentoring"]["active_students"]
    assert summary["孵化企业"] == EXPECTED["competition"]["incubated_companies"]

    opened: list[QUrl] = []
    page.open_url = lambda url: opened.append(url) or True
    page.open_in_viewer()
    assert [Path(u.toLocalFile()) for u in opened] == [saved]  # the saved file, not the scratch copy

    page.select_quarter("2026Q2")  # another quarter: the preview no longer stands for it
    assert page.built is None and page.preview.page_count() == 0 and not page.print_button.isEnabled()


@pytest.mark.parametrize("at", [1, 4, 8])  # while computing, mid-layout, after the last page was laid out
def test_cancel_leaves_no_file(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path, at: int) -> None:
    page = reports_page(qtbot, academy, admin, tmp_path)
    real = page.ctx.tasks
    page.ctx.tasks = CancellingRunner(real, at)
    page.build()
    assert page.built is None and page.preview.page_count() == 0
    assert list(page.workdir().iterdir()) == []
    assert page.ctx.prompts.asked == []  # a cancel is not an error
    assert "nothing was written" in page.state.text()

    page.ctx.tasks = real
    page.build()
    page.ctx.tasks = CancellingRunner(real, 3)
    page.ctx.prompts.file = str(tmp_path / "cancelled.xlsx")
    page.save_excel()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == []


def test_an_unusable_font_is_said_clearly(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    bad = tmp_path / "notafont.ttf"
    bad.write_text("not a font")
    page = reports_page(qtbot, academy, admin, tmp_path)
    page.ctx.settings.setValue("reports/font", str(bad))
    page.build()
    assert page.built is None
    [(kind, text)] = page.ctx.prompts.asked
    assert kind == "error" and "notafont.ttf cannot be used" in text and "TrueType" in text


# --------------------------------------------------------------------------- issue and freeze


def test_issue_then_edit_then_reprint_gives_the_same_figures(qtbot: Any, db: Any, admin: Actor,
                                                            tmp_path: Path) -> None:
    with db.factory() as s:
        build(s)
    page = reports_page(qtbot, db, admin, tmp_path)
    assert page.issue_button.isVisible() and page.issue_button.isEnabled()
    page.ctx.prompts.confirm_answer = False
    page.issue()
    assert page.issued == {} and page.issue_button.isEnabled()  # declined: nothing issued

    page.ctx.prompts.confirm_answer = True
    page.issue()
    kind, question = page.ctx.prompts.asked[-1]
    assert kind == "confirm" and "2026Q3" in question and "frozen" in question
    assert list(page.issued) == ["2026Q3"] and page.issued["2026Q3"].issued_by == admin.username
    assert page.issued_model.rowCount() == 1 and not page.issue_button.isEnabled()
    assert page.built is not None and page.built.report.checksum  # the preview shows the frozen report
    assert "issued" in page.quarter_box.currentText()

    with db.factory() as s:  # a later edit moves the live figures …
        s.scalar(select(Student).where(Student.student_no == "S3")).enrolled_on = dt.date(2026, 1, 1)
        s.commit()
        assert quarterly.compute(s, "2026Q3").mentoring.active_students == 4

    page.build()  # … but the reprint is the issued report
    assert page.built.report.figures.to_dict() == EXPECTED
    page.ctx.prompts.file = str(tmp_path / "reprint.pdf")
    page.save_pdf()
    assert "已于" in pdf_text(tmp_path / "reprint.pdf", 0)  # the cover says when it was issued
    page.ctx.prompts.file = str(tmp_path / "reprint.xlsx")
    page.save_excel()
    assert summary_sheet(tmp_path / "reprint.xlsx")["在读学生"] == 3
    assert [kind for kind, _ in page.ctx.prompts.asked] == ["confirm", "confirm"]  # no error along the way


def test_a_viewer_prints_issued_reports_only(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.mainwindow import entries_for

    assert "reports" in [e.key for e in entries_for("viewer")]
    assert "reports" not in [e.key for e in entries_for("mentor")]

    page = reports_page(qtbot, academy, VIEWER, tmp_path)
    assert not page.issue_button.isVisible()
    assert page.quarter_box.count() == 0 and not page.build_button.isEnabled()
    page.issue()  # not offered, and refused anyway
    with academy.factory() as s:
        assert quarterly.issued(s, "2026Q3") is None
        with pytest.raises(PermissionDenied):
            quarterly.issue(s, VIEWER, "2026Q3")
        with pytest.raises(PermissionDenied, match="not been issued"):
            quarterly.load_for(s, VIEWER, quarterly.Quarter.parse("2026Q3"))

    with unit_of_work(academy.factory, admin) as s:
        quarterly.issue(s, admin, "2026Q3")
    page.activate()
    assert [page.quarter_box.itemData(i) for i in range(page.quarter_box.count())] == ["2026Q3"]
    page.build()
    assert page.built is not None and page.built.report.issued_by == admin.username
    assert page.print_button.isEnabled() and page.save_pdf_button.isEnabled()


# --------------------------------------------------------------------------- printing


def test_printing_follows_the_chosen_page_range(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    page = reports_page(qtbot, academy, admin, tmp_path)
    page.build()
    n = page.preview.page_count()
    asked: list[int] = []

    def printer_to(path: Path) -> Callable[[], QPrinter]:
        def make() -> QPrinter:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(path))
            return printer
        return make

    def choose_pages(first: int, last: int) -> Callable[[QPrinter, int, Any], bool]:
        def dialog(printer: QPrinter, count: int, parent: Any) -> bool:
            asked.append(count)
            if first:
                printer.setPrintRange(QPrinter.PrintRange.PageRange)
                printer.setFromTo(first, last)
            return True
        return dialog

    page.make_printer, page.print_dialog = printer_to(tmp_path / "range.pdf"), choose_pages(2, 3)
    page.print_report()
    assert pdf_pages(tmp_path / "range.pdf") == 2
    printed = pdfium.PdfDocument(str(tmp_path / "range.pdf"))
    width, height = printed[0].get_size()
    printed.close()
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 in points

    page.make_printer, page.print_dialog = printer_to(tmp_path / "all.pdf"), choose_pages(0, 0)
    page.print_report()
    assert pdf_pages(tmp_path / "all.pdf") == n and asked == [n, n]

    page.make_printer = printer_to(tmp_path / "cancelled.pdf")
    page.print_dialog = lambda printer, count, parent: False  # the user closed the dialog
    page.print_report()
    assert not (tmp_path / "cancelled.pdf").exists()


# --------------------------------------------------------------------------- the dashboard


def test_dashboard_shows_the_report_figures_and_charts(qtbot: Any, academy: Any, admin: Actor,
                                                       tmp_path: Path) -> None:
    from desktop.dashboard import Dashboard
    from reports.text import summary_rows

    ctx = make_ctx(academy, admin, tmp_path)
    # the last day of 2026Q3: the quarter so far is the whole of it (a day inside it counts up to that
    # day, compared with the same days of 2026Q2: test_mentoring's dashboard test)
    board = Dashboard(ctx, today=dt.date(2026, 9, 30))
    qtbot.addWidget(board)
    board.resize(1200, 700)
    assert board.report is None
    board.show()  # computed the first time it is shown
    assert board.report is not None and board.report.figures.to_dict() == EXPECTED
    rows = summary_rows(board.report)
    cards = {c.caption.text(): c for c in board.cards}
    assert len(cards) == len(rows)
    assert cards["Active students"].value.text() == "3"
    assert cards["Share with all three mentors"].value.text() == "33.3%"
    assert cards["Students without an industry mentor"].property("warn") is True
    assert "20" in cards["Incubated companies"].detail.text()  # its target
    assert board.coverage.series[1].values == [0, 1, 1]  # missing academic, industry, study
    assert board.split.categories[:2] == ["P1", "P2"] and board.split.percent
    assert list(board.funnel.series[0].values) == [1, 1, 0, 0, 0, 0, 0, 1]
    for chart in (board.coverage, board.split, board.funnel):
        assert not chart.grab().isNull()

    with academy.factory() as s:  # Refresh reads the data again
        s.scalar(select(Student).where(Student.student_no == "S3")).enrolled_on = dt.date(2026, 1, 1)
        s.commit()
    board.refresh_button.click()
    assert {c.caption.text(): c for c in board.cards}["Active students"].value.text() == "4"


def test_home_page_of_administrators_and_viewers_has_the_dashboard(qtbot: Any, academy: Any, admin: Actor,
                                                                   tmp_path: Path) -> None:
    from desktop.dashboard import Dashboard
    from desktop.pages.home import HomePage

    for actor in (admin, VIEWER):
        home = HomePage(make_ctx(academy, actor, tmp_path))
        qtbot.addWidget(home)
        assert home.findChild(Dashboard) is not None


# --------------------------------------------------------------------------- the student record


def test_student_record_is_written_then_opened(qtbot: Any, academy: Any, admin: Actor, tmp_path: Path) -> None:
    from desktop.pages.reports import open_student_record

    ctx = make_ctx(academy, admin, tmp_path)
    opened: list[QUrl] = []
    ctx.prompts.file = str(tmp_path / "S1")
    open_student_record(ctx, "S1", None, open_url=lambda url: opened.append(url) or True)
    assert ctx.prompts.asked == []
    assert [Path(u.toLocalFile()) for u in opened] == [tmp_path / "S1.pdf"]
    assert "S1" in pdf_text(tmp_path / "S1.pdf", 0)

    ctx.prompts.file = str(tmp_path / "nobody.pdf")
    open_student_record(ctx, "S99", None, open_url=lambda url: opened.append(url) or True)
    assert ctx.prompts.asked == [("error", "Student S99 does not exist.")]
    assert not (tmp_path / "nobody.pdf").exists() and len(opened) == 1
