"""The quarterly report as an Excel workbook (openpyxl, Qt-free).

A summary sheet and one sheet per scheme, Chinese headers, frozen header rows, filters, fitted
column widths, number formats (percentages, one decimal), native Excel charts for the funnel, the
50/50 split and mentor coverage. Text is always written as text (forms/xlsx.py). The file is
written beside its destination and renamed into place, so a failure never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db.models import MentorRole
from forms import xlsx

from .files import atomic_output
from .quarterly import STAGES, QuarterlyReport
from .text import ACADEMY, CATEGORY_ZH, ROLE_ZH, STAGE_ZH, STATUS_ZH, summary_rows

PERCENT = "0.0%"
ONE_DECIMAL = "0.0"
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12, color="2F5597")

Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    pass


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    """``ws.cell``: a plain cell, never a MergedCell (these sheets merge no cells)."""
    return cast(Cell, ws.cell(row=row, column=column))


def _title(ws: Worksheet, row: int, text: str, font: Font = SECTION_FONT) -> int:
    c = _cell(ws, row, 1)
    xlsx.set_value(c, text)
    c.font = font
    return row + 1


def _table(ws: Worksheet, row: int, headers: Sequence[str], rows: Sequence[Sequence[Any]],
           formats: dict[int, str] | None = None, autofilter: bool = False) -> int:
    """Write a header row and data rows from ``row``; returns the next free row."""
    for col, head in enumerate(headers, 1):
        c = _cell(ws, row, col)
        xlsx.set_value(c, head)
        c.font = xlsx.HEADER_FONT
        c.fill = xlsx.HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = row + 1
    for r, values in enumerate(rows, first):
        for col, value in enumerate(values, 1):
            c = _cell(ws, r, col)
            xlsx.set_value(c, value)
            if formats and col in formats and isinstance(value, (int, float)):
                c.number_format = formats[col]
    last = first + len(rows) - 1
    if autofilter:
        ws.auto_filter.ref = f"A{row}:{get_column_letter(len(headers))}{max(last, row + 1)}"
    return max(last, row) + 2


def _fit(ws: Worksheet, minimum: int = 8, maximum: int = 50, titled: bool = True) -> None:
    """Fit column widths to their contents (a sheet's title in A1 does not widen column A)."""
    widths: dict[int, list[Any]] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and not (titled and c.row == 1 and c.column == 1):
                widths.setdefault(c.column, []).append(c.value if not isinstance(c.value, float)
                                                       else f"{c.value:.1f}")
    for col, values in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = xlsx.text_width(values, minimum, maximum)


def _list_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                formats: dict[int, str] | None = None) -> Worksheet:
    """A sheet that is one long list: header in row 1, frozen, filtered."""
    ws: Worksheet = wb.create_sheet(title)
    _table(ws, 1, headers, rows, formats, autofilter=True)
    ws.freeze_panes = "A2"
    _fit(ws, titled=False)
    return ws


def _bar_chart(title: str, y_title: str, stacked: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.height, chart.width = 7.5, 16
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    return chart


def write_quarterly(report: QuarterlyReport, path: Path | str, progress: Progress | None = None) -> Path:
    """Write the report; ``progress(done, total)`` may return False to cancel (nothing is written)."""
    path = Path(path)
    f = report.figures
    steps = 7

    def step(n: int) -> None:
        if progress is not None and progress(n, steps) is False:
            raise Cancelled

    wb = Workbook()
    # ---- summary
    ws = cast(Worksheet, wb.active)  # a new workbook's one sheet
    ws.title = "概要"
    row = _title(ws, 1, f"{ACADEMY} 季度报告 {f.quarter}（{f.period['start']} 至 {f.period['end']}）", TITLE_FONT)
    if report.issued_at:
        row = _title(ws, row, f"已于 {report.issued_at} 由 {report.issued_by or ''} 发布；校验和 {report.checksum}",
                     Font(italic=True, color="6B7280"))
    row += 1
    summary = summary_rows(report)
    row = _table(ws, row, ["指标", "本季度", "目标", "上季度", "变化"],
                 [[r.label, r.value, r.target, r.previous, r.change] for r in summary],
                 {2: "General", 4: "General", 5: "+0.##;-0.##;0"})
    for r_index, r in enumerate(summary, start=row - len(summary) - 1):
        if r.percent:
            for col in (2, 3, 4, 5):
                ws.cell(row=r_index, column=col).number_format = PERCENT if col != 5 else "+0.0%;-0.0%;0.0%"
        elif r.decimal:
            for col in (2, 4):
                ws.cell(row=r_index, column=col).number_format = ONE_DECIMAL
    ws.freeze_panes = "A4" if report.issued_at else "A3"
    _fit(ws)
    ws.column_dimensions["A"].width = 30
    step(1)

    # ---- mentoring
    m = f.mentoring
    ws = wb.create_sheet("三导师")
    row = _title(ws, 1, "三导师制覆盖（季度末）", TITLE_FONT)
    cov_first = row + 1
    row = _table(ws, row, ["导师类型", "已配备", "缺", "本季度指导次数"],
                 [[ROLE_ZH[r], m.active_students - m.missing[r.value], m.missing[r.value], m.sessions[r.value]]
                  for r in MentorRole])
    chart = _bar_chart("三导师覆盖", "学生数", stacked=True)
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=cov_first - 1, max_row=cov_first + 2),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=cov_first, max_row=cov_first + 2))
    ws.add_chart(chart, "F2")
    row = _table(ws, row, ["指标", "数值"], [
        ["在读学生", m.active_students], ["三导师齐全", m.fully_mentored],
        ["指导时长（小时）", m.session_hours], ["本季度未接受指导的学生", m.students_without_contact],
        ["本季度布置任务", m.assignments["given"]], ["本季度评阅任务", m.assignments["reviewed"]],
        ["逾期任务（季度末）", m.assignments["overdue"]]], {2: "#,##0.0"})
    _fit(ws)
    _list_sheet(wb, "缺导师学生", ["学号", "姓名", "培养方案", "缺少的导师", "自何时起"],
                [[r.student_no, r.name, r.programme, ROLE_ZH[MentorRole(r.role)], r.since or ""]
                 for r in report.missing_roles])
    _list_sheet(wb, "超额导师", ["工号", "姓名", "单位", "导师类型", "在指导", "上限", "其中超额批准"],
                [[r.staff_no, r.name, r.organisation, ROLE_ZH[MentorRole(r.role)], r.load, r.capacity, r.overridden]
                 for r in report.over_capacity])
    step(2)

    # ---- curriculum
    c = f.curriculum
    ws = wb.create_sheet("课程50-50")
    row = _title(ws, 1, "培养方案课程结构（基础课 : 产业课）", TITLE_FONT)
    first = row + 1
    row = _table(ws, row, ["方案代码", "基础课学分", "产业课学分", "基础课占比", "是否在范围内"],
                 [[p.code, p.foundation_credits, p.industry_credits, p.foundation_share, "是" if p.in_band else "否"]
                  for p in c.programmes], {2: ONE_DECIMAL, 3: ONE_DECIMAL, 4: PERCENT})
    if c.programmes:
        chart = _bar_chart("基础课与产业课学分", "学分", stacked=True)
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=first - 1, max_row=first + len(c.programmes) - 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=first + len(c.programmes) - 1))
        ws.add_chart(chart, "G2")
    _table(ws, row, ["指标", "数值"], [["占比超出范围的在读学生（≥10 学分）", c.students_out_of_band]])
    _fit(ws)
    _list_sheet(wb, "超出范围学生",
                ["学号", "姓名", "培养方案", "基础课学分", "产业课学分", "基础课占比", "目标", "容差"],
                [[r.student_no, r.name, r.programme, r.foundation_credits, r.industry_credits, r.foundation_share,
                  r.target_share, r.tolerance] for r in report.students_out_of_band],
                {4: ONE_DECIMAL, 5: ONE_DECIMAL, 6: PERCENT, 7: PERCENT, 8: PERCENT})
    step(3)

    # ---- transfers
    tr = f.transfers
    ws = wb.create_sheet("学分互认")
    row = _title(ws, 1, "本季度学分互认申请", TITLE_FONT)
    row = _table(ws, row, ["指标", "数值"],
                 [["提交申请", tr.submitted], ["通过", tr.approved], ["驳回", tr.rejected],
                  ["待审（季度末）", tr.pending], ["本季度认定学分", tr.credits_recognised]],
                 {2: "#,##0.0"})
    _fit(ws)
    _list_sheet(wb, "互认决定",
                ["学号", "姓名", "高校", "外校课程", "学期", "成绩", "结果", "认定学分", "类别", "申请日期",
                 "审核日期", "理由"],
                [[r.student_no, r.name, r.university, r.course, r.term, r.score,
                  STATUS_ZH.get(r.status, r.status),
                  r.credits, CATEGORY_ZH.get(r.category, "") if r.category else "", r.submitted_on, r.decided_on or "",
                  r.reason or ""] for r in report.transfer_decisions], {8: ONE_DECIMAL})
    step(4)

    # ---- competition
    comp = f.competition
    ws = wb.create_sheet("创赛")
    row = _title(ws, 1, f"{comp.season} 创赛项目漏斗"
                        f"（目标 {comp.target_projects} 个项目、{comp.target_companies} 家企业）", TITLE_FONT)
    first = row + 1
    row = _table(ws, row, ["阶段", "项目数"], [[STAGE_ZH[s], comp.by_stage[s.value]] for s in STAGES])
    chart = _bar_chart("项目漏斗", "项目数")
    chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=first + len(STAGES) - 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=first + len(STAGES) - 1))
    chart.legend = None
    ws.add_chart(chart, "E2")
    row = _table(ws, row, ["指标", "数值", "目标"],
                 [["本赛季项目", comp.projects, comp.target_projects],
                  ["孵化企业（截至季度末）", comp.incubated_companies, comp.target_companies]])
    if report.funnel:
        _table(ws, row, ["赛道", *[STAGE_ZH[s] for s in STAGES], "合计"],
               [[r.track, *[r.by_stage.get(s.value, 0) for s in STAGES], r.total] for r in report.funnel])
    _fit(ws)
    _list_sheet(wb, "孵化企业", ["企业名称", "统一社会信用代码", "来源项目", "注册日期", "融资额(万元)", "员工数"],
                [[r.name, r.uscc, r.project, r.registered_on, r.funding, r.employees] for r in report.companies],
                {5: "#,##0.0"})
    step(5)

    # ---- partner ledger
    _list_sheet(wb, "合作企业",
                ["企业", "产业导师（本季度指导小时）", "导师指导小时合计", "共建课程", "支持项目", "孵化企业"],
                [[r.organisation, "、".join(r.industry_mentors), r.mentor_hours, "、".join(r.courses),
                  "、".join(r.projects), "、".join(r.companies)] for r in report.ledger], {3: ONE_DECIMAL})
    step(6)

    with atomic_output(path) as tmp:
        wb.save(tmp)
        step(steps)  # a cancel even now leaves the destination as it was
    return path

