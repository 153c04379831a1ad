"""Words and summary lines shared by the Excel and PDF renderers and the dashboard (Qt-free).

Reports are written in Chinese whatever the UI language: they go to the academy's leadership and
partner companies.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.labels import chinese
from db.models import CourseCategory, MentorRole, Stage, TransferStatus

from .quarterly import QuarterlyFigures, QuarterlyReport, QuarterSummary

ROLE_ZH = {r: chinese(r) for r in MentorRole}
STAGE_ZH = {s: chinese(s) for s in Stage}
CATEGORY_ZH = {c.value: chinese(c) for c in CourseCategory}
STATUS_ZH = {s.value: chinese(s) for s in TransferStatus}
ACADEMY = "智湾人才培养管理台"


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: float | int
    target: float | int | None = None
    previous: float | int | None = None
    percent: bool = False
    decimal: bool = False

    @property
    def change(self) -> float | int | None:
        if self.previous is None:
            return None
        diff = self.value - self.previous
        return round(diff, 6) if isinstance(diff, float) else diff

    def text(self, value: float | int | None) -> str:
        if value is None:
            return ""
        if self.percent:
            return f"{value * 100:.1f}%"
        if self.decimal:
            return f"{value:,.1f}"
        return f"{value:,}" if isinstance(value, int) else f"{value:g}"

    def change_text(self) -> str:
        """The change as a difference; a rate's in percentage points (51% → 72% is "+21.0 个百分点",
        never "+21.0%", which would be a relative change)."""
        change = self.change
        if change is None:
            return ""
        if change == 0:
            return "—"
        sign = "+" if change > 0 else "−"
        if self.percent:
            return f"{sign}{abs(change) * 100:.1f} 个百分点"
        return sign + self.text(abs(change))


def _values(f: QuarterlyFigures) -> list[tuple[str, float | int, float | int | None, bool, bool]]:
    m, c, t, comp = f.mentoring, f.curriculum, f.transfers, f.competition
    coverage = m.fully_mentored / m.active_students if m.active_students else 0.0
    sessions = sum(m.sessions.values())
    in_band = sum(1 for p in c.programmes if p.in_band)
    return [
        ("在读学生", m.active_students, None, False, False),
        ("三导师齐全率", coverage, 1.0, True, False),
        ("缺学术导师的学生", m.missing["academic"], 0, False, False),
        ("缺产业导师的学生", m.missing["industry"], 0, False, False),
        ("缺学业导师的学生", m.missing["study"], 0, False, False),
        ("本季度指导次数", sessions, None, False, False),
        ("本季度指导时长（小时）", m.session_hours, None, False, True),
        ("本季度未接受指导的学生", m.students_without_contact, 0, False, False),
        ("逾期任务", m.assignments["overdue"], 0, False, False),
        ("课程结构在范围内的培养方案", in_band, len(c.programmes), False, False),
        ("占比超出范围的学生", c.students_out_of_band, 0, False, False),
        ("学分互认申请", t.submitted, None, False, False),
        ("本季度认定学分", t.credits_recognised, None, False, True),
        ("本赛季创赛项目", comp.projects, comp.target_projects, False, False),
        ("孵化企业", comp.incubated_companies, comp.target_companies, False, False),
    ]


def summary_rows(report: QuarterlyReport | QuarterSummary) -> list[SummaryRow]:
    """The headline figures against their targets and the previous quarter."""
    previous = {label: value for label, value, *_ in _values(report.previous)} if report.previous else {}
    return [SummaryRow(label, value, target, previous.get(label), percent, decimal)
            for label, value, target, percent, decimal in _values(report.figures)]
