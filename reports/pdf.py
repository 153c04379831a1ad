"""Print-ready PDF reports with reportlab (Qt-free): the quarterly report and the student record.

A4; an embedded TrueType Chinese font (reports/fonts.py) — never the non-embedded STSong-Light CID
font; CJK line wrapping; tables that break across pages with their header row repeated; a page
header and a "第 X 页 / 共 Y 页" footer on every page but the cover; charts labelled in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from db.models import MentorRole

from .files import atomic_output
from .fonts import MISSING_MARK, ReportFont, find, runs, shortest
from .quarterly import STAGES, QuarterlyReport
from .text import ACADEMY, CATEGORY_ZH, ROLE_ZH, STAGE_ZH, STATUS_ZH, summary_rows

ACCENT = colors.HexColor("#2F5597")
GREY = colors.HexColor("#6B7280")
LIGHT = colors.HexColor("#EEF2F8")
MAX_LIST_ROWS = 300  # longer lists are in the Excel workbook; the PDF says so

Progress = Callable[[int, int], bool | None]


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    words: ParagraphStyle  # a cell of codes and names wrapped at spaces only (IND230 and YJ2026-0056 kept whole)
    # text that had characters no installed font has (printed as 〓), with those characters
    missing: dict[str, str] = field(default_factory=dict)

    def text(self, value: Any, record: bool = True) -> str:
        """``value`` as Paragraph markup: escaped, and every character in a font that has it (the report
        font, else a fallback font such as HanaMinB for CJK Extension B); a character no font has is
        printed as 〓 and remembered in ``missing``."""
        raw = "" if value is None else str(value)
        out = []
        for font, chunk in runs(raw, self.font):
            if font is None:
                if record:
                    self.missing[raw] = "".join(dict.fromkeys(self.missing.get(raw, "") + chunk))
                out.append(MISSING_MARK * len(chunk))
            elif font == self.font:
                out.append(_esc(chunk))
            else:
                out.append(f'<font name="{font}">{_esc(chunk)}</font>')
        return "".join(out)

    def missing_note(self) -> list[Flowable]:
        """A closing note naming what could not be printed (nothing when every character was)."""
        if not self.missing:
            return []
        items = "；".join(f"{self.text(text, record=False)}（{'、'.join(f'U+{ord(c):04X}' for c in chars)}）"
                         for text, chars in shortest(self.missing).items())
        return [Spacer(1, 4 * mm), Paragraph(
            f"注：本机没有任何字体含有以下文字中的部分字符，已印为 {MISSING_MARK}：{items}。请安装含该字符的 TrueType "
            "字体（如 Windows 的 SimSun-ExtB，Linux 的 fonts-hanazono），或用 TALENTDESK_REPORT_FALLBACK_FONTS "
            "指定字体文件后重新生成。", self.small)]


def styles(font: ReportFont) -> Styles:
    name = font.name
    base: dict[str, Any] = dict(fontName=name, wordWrap="CJK")
    return Styles(
        font=name,
        title=ParagraphStyle("title", fontSize=26, leading=34, alignment=TA_CENTER, textColor=ACCENT, **base),
        subtitle=ParagraphStyle("subtitle", fontSize=15, leading=22, alignment=TA_CENTER, **base),
        h1=ParagraphStyle("h1", fontSize=16, leading=22, spaceBefore=6, spaceAfter=8, textColor=ACCENT, **base),
        h2=ParagraphStyle("h2", fontSize=12, leading=17, spaceBefore=8, spaceAfter=4, **base),
        body=ParagraphStyle("body", fontSize=10, leading=15, **base),
        small=ParagraphStyle("small", fontSize=8.5, leading=12, textColor=GREY, **base),
        cell=ParagraphStyle("cell", fontSize=8.5, leading=11, **base),
        head=ParagraphStyle("head", fontSize=8.5, leading=11, textColor=colors.white, **base),
        # Western wrapping: a line breaks at a space, a word wider than the column still splits
        words=ParagraphStyle("words", fontName=name, fontSize=8.5, leading=11),
    )


def _esc(value: Any) -> str:
    s = "" if value is None else str(value)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MAX_CELL_LINES = 30  # a cell taller than a page cannot be laid out; the Excel report has it whole


def _cap(value: Any, width_mm: float) -> Any:
    """Shorten text that would wrap to more than MAX_CELL_LINES lines in a column ``width_mm`` wide
    (8.5 pt CJK characters are about 3 mm wide)."""
    limit = max(20, int(width_mm / 3.2) * MAX_CELL_LINES)
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…（余略，完整内容见 Excel 报告）"
    return value


def table(st: Styles, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float],
          numeric: Sequence[int] = (), whole_words: Sequence[int] = ()) -> LongTable:
    """A table that breaks across pages and repeats its header row; cells wrap CJK text, except the columns
    ``whole_words``: lists of codes (IND230 山地城市低空巡检、 YJ2026-0056 …, a space after each 、), which break
    at spaces only, so that no code is split over two lines."""
    data = [[Paragraph(st.text(h), st.head) for h in headers]]
    for row in rows:
        data.append([Paragraph(st.text(_cap(v, w)), st.words if c in whole_words else st.cell)
                     for c, (v, w) in enumerate(zip(row, widths))])
    t = LongTable(data, colWidths=[w * mm for w in widths], repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), st.font),  # the table's own default would reference Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#C9D2E3")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        # 3 pt a side (reportlab's default is 6): a two-character header (成绩, 类别) fits a 10 mm column
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for col in numeric:
        style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    t.setStyle(TableStyle(style))
    return t


def bar_chart(st: Styles, title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
              width: float = 170, height: float = 70, stacked: bool = False) -> Drawing:
    """A bar chart labelled in Chinese with the embedded font."""
    d = Drawing(width * mm, height * mm, initialFontName=st.font)
    d.add(String(0, height * mm - 10, title, fontName=st.font, fontSize=10, fillColor=ACCENT))
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 14 * mm  # type: ignore[assignment]  # reportlab stubs: int, takes any number
    chart.width, chart.height = (width - 50) * mm, (height - 26) * mm  # type: ignore[assignment]  # likewise
    chart.data = [list(values) for _name, values in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = st.font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = st.font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max((sum(v) if stacked else max(v)) for v in zip(*chart.data)) if chart.data and chart.data[0] else 0
    chart.valueAxis.valueMax = max(1, top * 1.15)
    palette = [ACCENT, colors.HexColor("#E07B39"), colors.HexColor("#7A9A01"), colors.HexColor("#9B59B6")]
    for i in range(len(series)):
        chart.bars[i].fillColor = palette[i % len(palette)]
        chart.bars[i].strokeColor = None
    if stacked:
        chart.categoryAxis.style = "stacked"
    # a whole number as one (130), a fraction with its decimal (41.5 credits, never "41")
    chart.barLabelFormat = (lambda v: f"{v:g}") if not stacked else None
    chart.barLabels.fontName = st.font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    d.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.fontName = st.font
        legend.fontSize = 8
        legend.x, legend.y = (width - 32) * mm, (height - 20) * mm  # type: ignore[assignment]  # likewise
        legend.colorNamePairs = [(palette[i % len(palette)], name) for i, (name, _v) in enumerate(series)]
        d.add(legend)
    return d


def _numbered_canvas(font: str, header: str, cover: bool = True, landscape: bool = False) -> type[pdfcanvas.Canvas]:
    class NumberedCanvas(pdfcanvas.Canvas):
        """Draws the header and "第 X 页 / 共 Y 页" once the page count is known (pages after the cover)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # every text object starts in the embedded font: no non-embedded Helvetica reference
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's API
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if number > 1 or not cover:
                    self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            w, h = (A4[1], A4[0]) if landscape else A4
            self.saveState()
            self.setFillColor(GREY)
            x = 18 * mm
            for run_font, chunk in runs(header, font):  # a rare character of a name, from a fallback font
                if run_font is None:
                    run_font, chunk = font, MISSING_MARK * len(chunk)
                self.setFont(run_font, 8.5)
                self.drawString(x, h - 12 * mm, chunk)
                x += pdfmetrics.stringWidth(chunk, run_font, 8.5)
            self.setFont(font, 8.5)
            self.setStrokeColor(colors.HexColor("#C9D2E3"))
            self.line(18 * mm, h - 14 * mm, w - 18 * mm, h - 14 * mm)
            self.drawCentredString(w / 2, 10 * mm, f"第 {number} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


class _Doc(BaseDocTemplate):
    """Calls ``on_page`` after each page is laid out, so a long layout can be cancelled."""

    on_page: Callable[[int], None] | None = None

    def afterPage(self) -> None:  # noqa: N802 - reportlab's API
        if self.on_page is not None:
            self.on_page(self.page)


def build_pdf(path: Path, font: ReportFont, header: str, title: str, story: list[Flowable],
              author: str = ACADEMY, on_page: Callable[[int], None] | None = None,
              on_done: Callable[[], None] | None = None, st: Styles | None = None,
              missing: dict[str, str] | None = None, cover: bool = True, landscape: bool = False) -> Path:
    """Lay ``story`` out on A4 (first page: the cover, unless ``cover`` is False: then every page has the
    header and its number) and write it atomically; ``on_page`` may raise
    to cancel, and then no file is left behind. With the document's ``st``, text that could not be
    printed (no installed font has some of its characters) is named in a closing note and in
    ``missing``, which the caller shows the person."""
    if st is not None:
        st.text(header)  # the page header is drawn in runs of fonts too: its missing characters count
        story = [*story, *st.missing_note()]
        if missing is not None:
            missing.update(shortest(st.missing))
    with atomic_output(path) as tmp:
        doc = _Doc(str(tmp), pagesize=(A4[1], A4[0]) if landscape else A4, leftMargin=18 * mm, rightMargin=18 * mm,
                              topMargin=20 * mm,
                              bottomMargin=18 * mm, title=title, author=author, creator="TalentDesk",
                              initialFontName=font.name)
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.on_page = on_page
        doc.addPageTemplates([PageTemplate(id="cover", frames=[frame]), PageTemplate(id="body", frames=[frame])])
        doc.build(story, canvasmaker=_numbered_canvas(font.name, header, cover, landscape))
        if on_done is not None:
            on_done()  # may still cancel: the destination is only replaced after this
    return path


def cover(st: Styles, title: str, subtitle: str, lines: Sequence[str]) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 60 * mm), Paragraph(ACADEMY, st.title), Spacer(1, 8 * mm),
                           Paragraph(st.text(title), st.subtitle), Spacer(1, 4 * mm),
                           Paragraph(st.text(subtitle), st.subtitle), Spacer(1, 30 * mm)]
    out += [Paragraph(st.text(line), ParagraphStyle("c", parent=st.body, alignment=TA_CENTER)) for line in lines]
    out += [NextPageTemplate("body"), PageBreak()]
    return out


def _capped(st: Styles, rows: list[Any]) -> tuple[list[Any], list[Flowable]]:
    if len(rows) <= MAX_LIST_ROWS:
        return rows, []
    note = Paragraph(f"共 {len(rows)} 行，此处列出前 {MAX_LIST_ROWS} 行；完整名单见 Excel 报告。", st.small)
    return rows[:MAX_LIST_ROWS], [note]


# --------------------------------------------------------------------------- the quarterly report


def write_quarterly(report: QuarterlyReport, path: Path | str, font_path: str | Path | None = None,
                    progress: Progress | None = None, missing: dict[str, str] | None = None) -> Path:
    path = Path(path)
    font = find(font_path)
    st = styles(font)
    f = report.figures
    steps = 7

    def step(n: int) -> None:
        if progress is not None and progress(n, steps) is False:
            raise Cancelled

    issued = (f"已于 {report.issued_at} 由 {report.issued_by or ''} 发布（数据已冻结）" if report.issued_at
              else f"生成于 {dt.datetime.now():%Y-%m-%d %H:%M}（未发布：数据可能仍会变化）")
    story = cover(st, "人才培养季度报告", f"{f.quarter}（{f.period['start']} 至 {f.period['end']}）",
                   [issued] + ([f"校验和 {report.checksum[:16]}…"] if report.checksum else []))
    step(1)

    # summary
    story.append(Paragraph("一、概要：本季度与目标、上季度对比", st.h1))
    rows = [[r.label, r.text(r.value), r.text(r.target), r.text(r.previous), r.change_text()]
            for r in summary_rows(report)]
    story.append(table(st, ["指标", "本季度", "目标", "上季度", "变化"], rows, [64, 28, 26, 28, 28], (1, 2, 3, 4)))
    if report.previous is None:
        story.append(Paragraph("无上季度数据可对比。", st.small))
    step(2)

    # mentoring
    m = f.mentoring
    story += [PageBreak(), Paragraph("二、三导师制", st.h1)]
    story.append(table(st, ["导师类型", "已配备", "缺", "本季度指导次数"],
                       [[ROLE_ZH[r], m.active_students - m.missing[r.value], m.missing[r.value], m.sessions[r.value]]
                        for r in MentorRole], [50, 35, 35, 40], (1, 2, 3)))
    story.append(Spacer(1, 4 * mm))
    story.append(bar_chart(st, "三导师覆盖（季度末，学生数）", [ROLE_ZH[r] for r in MentorRole],
                           [("已配备", [m.active_students - m.missing[r.value] for r in MentorRole]),
                            ("缺", [m.missing[r.value] for r in MentorRole])], stacked=True))
    story.append(Paragraph(
        f"在读学生 {m.active_students} 人，三导师齐全 {m.fully_mentored} 人；本季度指导 {sum(m.sessions.values())} 次，"
        f"共 {m.session_hours:,.1f} 小时；{m.students_without_contact} 名在读学生本季度未接受指导。任务：布置 "
        f"{m.assignments['given']}，评阅 {m.assignments['reviewed']}，"
        f"季度末逾期 {m.assignments['overdue']}。", st.body))
    missing_rows, note = _capped(st, report.missing_roles)
    story.append(Paragraph(f"缺少导师的学生（{len(report.missing_roles)} 人次）", st.h2))
    story.append(table(st, ["学号", "姓名", "培养方案", "缺少的导师", "自何时起"],
                       [[r.student_no, r.name, r.programme, ROLE_ZH[MentorRole(r.role)], r.since or ""]
                        for r in missing_rows], [32, 26, 40, 36, 30]))
    story += note
    if report.over_capacity:
        story.append(Paragraph(f"超出指导上限的导师（{len(report.over_capacity)}）", st.h2))
        story.append(table(st, ["工号", "姓名", "单位", "导师类型", "在指导", "上限", "超额批准"],
                           [[r.staff_no, r.name, r.organisation, ROLE_ZH[MentorRole(r.role)], r.load, r.capacity,
                             r.overridden] for r in report.over_capacity], [22, 20, 44, 24, 18, 16, 20], (4, 5, 6)))
    step(3)

    # curriculum
    c = f.curriculum
    story += [PageBreak(), Paragraph("三、课程 50/50", st.h1)]
    story.append(table(st, ["培养方案", "基础课学分", "产业课学分", "基础课占比", "是否在范围内"],
                       [[p.code, f"{p.foundation_credits:g}", f"{p.industry_credits:g}",
                         f"{p.foundation_share * 100:.1f}%", "是" if p.in_band else "否"] for p in c.programmes],
                       [40, 30, 30, 30, 30], (1, 2, 3)))
    if c.programmes:
        story.append(Spacer(1, 4 * mm))
        story.append(bar_chart(st, "培养方案课程结构（学分）", [p.code for p in c.programmes],
                               [("基础课", [p.foundation_credits for p in c.programmes]),
                                ("产业课", [p.industry_credits for p in c.programmes])]))
    story.append(Paragraph(f"基础课占比超出所在方案范围的在读学生（已修满 10 学分以上）：{c.students_out_of_band} 人。",
                           st.body))
    band, note = _capped(st, report.students_out_of_band)
    if band:
        story.append(table(st, ["学号", "姓名", "培养方案", "基础课", "产业课", "基础课占比", "目标范围"],
                           [[r.student_no, r.name, r.programme, f"{r.foundation_credits:g}",
                             f"{r.industry_credits:g}", f"{r.foundation_share * 100:.1f}%",
                             f"{(r.target_share - r.tolerance) * 100:.0f}%–{(r.target_share + r.tolerance) * 100:.0f}%"]
                            for r in band], [28, 22, 28, 20, 20, 24, 32], (3, 4, 5)))
        story += note
    step(4)

    # transfers
    tr = f.transfers
    story += [PageBreak(), Paragraph("四、学分互认", st.h1)]
    story.append(Paragraph(f"本季度提交申请 {tr.submitted} 件：通过 {tr.approved}，驳回 {tr.rejected}，季度末待审 "
                           f"{tr.pending}；本季度认定学分 {tr.credits_recognised:g}。", st.body))
    decisions, note = _capped(st, report.transfer_decisions)
    if decisions:
        story.append(Paragraph("本季度审核决定", st.h2))
        story.append(table(st, ["学号", "姓名", "高校", "外校课程", "成绩", "结果", "学分", "类别", "审核日期", "理由"],
                           [[r.student_no, r.name, r.university, r.course, r.score, STATUS_ZH.get(r.status, r.status),
                             "" if r.credits is None else f"{r.credits:g}", CATEGORY_ZH.get(r.category or "", ""),
                             r.decided_on or "", r.reason or ""] for r in decisions],
                           [19, 13, 22, 28, 10, 10, 10, 10, 20, 32], (4, 6)))
        story += note
    step(5)

    # competition
    comp = f.competition
    story += [PageBreak(), Paragraph(f"五、{comp.season} 创赛与孵化", st.h1)]
    # the two figures answer different questions (DESIGN section 6): say which, so that 0 companies by the
    # quarter's end beside a bar of 20 已注册企业 (registered since) reads as what it is
    story.append(Paragraph(f"本赛季项目 {comp.projects} 个（目标 {comp.target_projects}），截至季度末"
                           f"（{f.period['end']}）注册的孵化企业 {comp.incubated_companies} 家"
                           f"（目标 {comp.target_companies}）。下图按各项目当前所处阶段统计，"
                           f"含季度末之后的进展。", st.body))
    story.append(bar_chart(st, "项目漏斗（按当前阶段）", [STAGE_ZH[s] for s in STAGES],
                           [("项目数", [comp.by_stage[s.value] for s in STAGES])]))
    if report.funnel:
        story.append(Paragraph("按赛道", st.h2))
        story.append(table(st, ["赛道", *[STAGE_ZH[s] for s in STAGES], "合计"],
                           [[r.track, *[r.by_stage.get(s.value, 0) for s in STAGES], r.total] for r in report.funnel],
                           # 已注册企业 (five characters) needs 18 mm to stay on one line
                           [24] + [max(16, 3.6 * len(STAGE_ZH[s])) for s in STAGES] + [16],
                           tuple(range(1, len(STAGES) + 2))))
    if report.companies:
        story.append(Paragraph("孵化企业", st.h2))
        story.append(table(st, ["企业名称", "统一社会信用代码", "来源项目", "注册日期", "融资(万元)", "员工"],
                           [[r.name, r.uscc, r.project, r.registered_on, "" if r.funding is None else f"{r.funding:g}",
                             r.employees or ""] for r in report.companies], [44, 38, 24, 22, 22, 16], (4, 5)))
    step(6)

    # partner ledger
    if report.ledger:
        story += [PageBreak(), Paragraph("六、合作企业台账", st.h1)]
        story.append(table(st, ["企业", "产业导师（本季度指导小时）", "共建课程", "支持项目", "孵化企业"],
                           [[r.organisation, "、".join(r.industry_mentors) or "—", "、 ".join(r.courses) or "—",
                             f"{len(r.projects)} 个" + (f"： {'、 '.join(p.split(' ', 1)[0] for p in r.projects[:8])}"
                                                       + ("…" if len(r.projects) > 8 else "") if r.projects else ""),
                             "、".join(r.companies) or "—"] for r in report.ledger], [28, 50, 36, 36, 24],
                           whole_words=(2, 3)))
    header = f"{ACADEMY} · 人才培养季度报告 {f.quarter}"
    build_pdf(path, font, header, f"{ACADEMY} 季度报告 {f.quarter}", story, on_page=lambda _n: step(6),
              on_done=lambda: step(steps), st=st, missing=missing)
    return path



