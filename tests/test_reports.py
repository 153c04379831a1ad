"""The quarterly report in Excel and PDF, and the student record: what a reader of the files sees."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clirun import talentdesk
from python_calamine import CalamineWorkbook

from db.actor import cli_actor
from reports import excel, pdf, quarterly, student
from reports.fonts import FontError, find
from tests.test_stats import EXPECTED, build


def _poppler(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    assert exe, f"{tool} (poppler-utils) is needed to check the PDF; .ci/run installs it"
    return subprocess.run([exe, *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def report(sqlite_db: Any) -> quarterly.QuarterlyReport:
    with sqlite_db.factory() as s:
        build(s)
    with sqlite_db.factory() as s:
        return quarterly.build(s, "2026Q3")


def test_excel_figures_read_back_by_a_second_reader(report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    path = excel.write_quarterly(report, tmp_path / "q.xlsx")
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names[0] == "概要"
    summary = {row[0]: row[1] for row in wb.get_sheet_by_name("概要").to_python() if row and row[0]}
    m = EXPECTED["mentoring"]
    assert summary["在读学生"] == m["active_students"]
    assert summary["缺产业导师的学生"] == m["missing"]["industry"]
    assert summary["本季度指导时长（小时）"] == m["session_hours"]
    assert summary["占比超出范围的学生"] == EXPECTED["curriculum"]["students_out_of_band"]
    assert summary["本季度认定学分"] == EXPECTED["transfers"]["credits_recognised"]
    assert summary["孵化企业"] == EXPECTED["competition"]["incubated_companies"]
    coverage = wb.get_sheet_by_name("三导师").to_python()
    assert coverage[2][:3] == ["学术导师", 3.0, 0.0] and coverage[3][:3] == ["产业导师", 2.0, 1.0]
    plans = wb.get_sheet_by_name("课程50-50").to_python()
    assert plans[2][:5] == ["P1", 6.0, 6.0, 0.5, "是"]
    missing = wb.get_sheet_by_name("缺导师学生").to_python()
    assert missing[0] == ["学号", "姓名", "培养方案", "缺少的导师", "自何时起"]
    assert sorted(r[0] for r in missing[1:]) == ["S1", "S2"]


def test_excel_is_formatted_for_people(report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(excel.write_quarterly(report, tmp_path / "q.xlsx"))
    assert wb["缺导师学生"].freeze_panes == "A2" and wb["缺导师学生"].auto_filter.ref
    assert wb["课程50-50"]["D3"].number_format == "0.0%"
    assert {len(ws._charts) for ws in (wb["三导师"], wb["课程50-50"], wb["创赛"])} == {1}
    assert wb["缺导师学生"].column_dimensions["D"].width >= 12  # 缺少的导师: five wide characters


def test_pdf_embeds_its_font_and_numbers_its_pages(report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    report.missing_roles = report.missing_roles * 60  # long enough to run over several pages
    path = pdf.write_quarterly(report, tmp_path / "q.pdf")
    fonts = _poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    assert not any("Helvetica" in line or "STSong" in line for line in fonts)
    pages = int(next(line.split()[-1] for line in _poppler("pdfinfo", str(path)).splitlines()
                      if line.startswith("Pages:")))
    assert pages >= 5
    text = _poppler("pdftotext", "-layout", str(path), "-")
    flat = "".join(text.split())
    assert f"第2页/共{pages}页" in flat and f"第{pages}页/共{pages}页" in flat
    assert "智湾人才培养管理台" in text and "三导师制" in text and "缺少的导师" in text
    # the missing-role table continues over pages with its header row repeated on each
    continued = [p for p in text.split("\f") if "S1" in p and "缺少的导师" in p]
    assert len(continued) >= 2


def test_a_font_that_cannot_be_embedded_is_refused_and_nothing_is_written(
        report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    otf = tmp_path / "NotoSansCJK-Regular.otf"
    otf.write_bytes(b"OTTO" + b"\0" * 64)
    with pytest.raises(FontError, match="TrueType"):
        pdf.write_quarterly(report, tmp_path / "q.pdf", font_path=otf)
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".talentdesk-*"))


def test_cancelling_leaves_no_file(report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(excel.Cancelled):
        excel.write_quarterly(report, tmp_path / "q.xlsx", progress=lambda done, total: done < 3)
    with pytest.raises(pdf.Cancelled):
        pdf.write_quarterly(report, tmp_path / "q.pdf", progress=lambda done, total: done < 3)
    assert list(tmp_path.iterdir()) == []


def test_student_record_pdf(sqlite_db: Any, tmp_path: Path) -> None:
    with sqlite_db.factory() as s:
        build(s)
    with sqlite_db.factory() as s:
        record = student.build(s, cli_actor(), "S1")
    assert [m.role for m in record.mentors].count("学术导师") == 2  # A then B: history kept
    assert (record.foundation_credits, record.industry_credits) == (4 + 5 + 1.5, 2 + 3 + 4)  # as of today
    path = student.write_pdf(record, tmp_path / "s1.pdf")
    text = _poppler("pdftotext", str(path), "-")
    for words in ("学生培养档案", "三导师及历史", "互认学分", "重庆大学", "X1 外校课"):
        assert words in text
    assert find().path.exists()


def test_report_command_line(sqlite_db: Any, tmp_path: Path) -> None:
    with sqlite_db.factory() as s:
        build(s)
    sqlite_db.engine.dispose()
    db = str(sqlite_db.target.sqlite_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return talentdesk(*args, "--db", db)

    ok = run("report", "quarterly", "--quarter", "2026Q3", "--xlsx", str(tmp_path / "q.xlsx"), "--pdf",
             str(tmp_path / "q.pdf"))
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "q.xlsx").stat().st_size > 0 and (tmp_path / "q.pdf").stat().st_size > 0
    assert run("report", "student", "S1", "--pdf", str(tmp_path / "s.pdf")).returncode == 0
    # typed as an import accepts it: full-width, with a stray space
    assert run("report", "student", "Ｓ１ ", "--pdf", str(tmp_path / "s2.pdf")).returncode == 0
    # no output named: the quarterly report in both formats, and the record, in the current folder,
    # under the names the desktop suggests
    here = tmp_path / "here"
    here.mkdir()
    said = ""
    for args in [("report", "quarterly", "--quarter", "2026q3"), ("report", "student", "S1")]:
        done = talentdesk(*args, "--db", db, cwd=here, env={"LANG": "zh_CN.UTF-8"})
        assert done.returncode == 0, done.stderr
        said += done.stdout
    assert (sorted(p.name for p in here.iterdir())
            == ["2026Q3 季度报告.pdf", "2026Q3 季度报告.xlsx", "学生培养档案 S1.pdf"])
    for written in here.iterdir():
        assert written.stat().st_size > 0 and written.name in said  # each file is named on stdout
    for args, words in [(("report", "quarterly", "--quarter", "2026Q5", "--pdf", str(tmp_path / "x.pdf")), "2026Q3"),
                        (("report", "student", "NOPE", "--pdf", str(tmp_path / "x.pdf")), "NOPE"),
                        (("report", "quarterly", "--quarter", "2026Q3", "--pdf", str(tmp_path / "no" / "x.pdf")),
                         "Cannot write")]:
        bad = run(*args)
        assert bad.returncode == 2 and words in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_cell_longer_than_a_page_is_shortened_not_fatal(report: quarterly.QuarterlyReport, tmp_path: Path) -> None:
    """At ten-year scale one partner company has hundreds of industry mentors: the PDF must still lay out."""
    report.ledger = [quarterly.PartnerRow("长安汽车", [f"导师{i}（{i}.5）" for i in range(900)], 1.0, [], [], [])]
    path = pdf.write_quarterly(report, tmp_path / "q.pdf")
    flat = "".join(_poppler("pdftotext", str(path), "-").split())
    assert "余略，完整内容见Excel报告" in flat


def test_no_header_or_date_breaks_across_lines_in_print(report: quarterly.QuarterlyReport, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Printed, the transfer decisions' two-character headers in 10 mm columns came out one character a
    line (成/绩, 结/果, 学/分, 类/别) and every decision date as '2026-07-2' over '0'; 已注册企业 broke in the
    funnel by track. No header, and no date or figure, may wrap in any table of the report."""
    import re

    tables: list[Any] = []
    original = pdf.table

    def recording(*args: Any, **kw: Any) -> Any:
        tables.append(original(*args, **kw))
        return tables[-1]

    monkeypatch.setattr(pdf, "table", recording)
    pdf.write_quarterly(report, tmp_path / "q.pdf")

    def paragraph(cell: Any) -> Any:  # laid out, a cell holds its paragraph in a tuple
        return cell[0] if isinstance(cell, (list, tuple)) else cell

    headers = {paragraph(c).text for t in tables for c in t._cellvalues[0]}
    assert {"成绩", "类别", "审核日期", "已注册企业"} <= headers
    broken = []
    for t in tables:
        for r, row in enumerate(t._cellvalues):
            for c, cell in enumerate(row):
                p = paragraph(cell)
                if r and not re.fullmatch(r"[\d.%-]+|[A-Za-z0-9][\w./-]*", p.text):
                    continue  # names and reasons may wrap; figures, dates and codes (YJ2026-0018) may not
                style = t._cellStyles[r][c]
                p.wrap(t._colWidths[c] - style.leftPadding - style.rightPadding, 10_000)
                if len(p.blPara.lines) > 1:
                    broken.append(p.text)
    assert not broken


def test_no_code_is_split_over_two_lines_in_the_partner_ledger(sqlite_demo_db: Any, tmp_path: Path) -> None:
    """The partner ledger lists a company's courses and projects by code: printed, CJK wrapping split them
    anywhere (IND24 over 4, YJ2026-00 over 90). Laid out by the real PDF, every code stays on one line."""
    import re

    with sqlite_demo_db.factory() as s:
        report = quarterly.build(s, "2026Q3")
    assert report.ledger
    path = pdf.write_quarterly(report, tmp_path / "q.pdf")
    text = _poppler("pdftotext", "-layout", str(path), "-")
    codes = re.findall(r"\bYJ\d{4}-\d{4}\b|\bIND\d{3}\b", text)
    broken = re.findall(r"\bYJ\d{0,4}(?:-\d{0,3})?(?![\d-])|\bIND\d{0,2}(?!\d)", text)
    assert len(codes) > 50 and broken == []
