"""The 50/50 balance tables (plans, cohorts, students) written to one Excel workbook (Qt-free).

One sheet per level with the same columns at each: foundation credits, industry credits, the
foundation share (a number formatted as a percentage, so it sorts and sums in Excel), the band and
whether the share is in it. Text is always written as text (forms.xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from db.balance import ProgrammeBalance
from db.curriculum import Balance, CohortBalance, StudentBalance
from db.i18n import t
from db.labels import label
from forms.xlsx import cell, header_cells, set_widths, text_width

PERCENT = "0.0%"


def _band(b: Balance) -> str:
    return f"{(b.target_share - b.tolerance) * 100:.0f}%–{(b.target_share + b.tolerance) * 100:.0f}%"


def _yes(flag: bool) -> str:
    return t("Yes") if flag else t("No")


def _balance_cells(b: Balance) -> list[Any]:
    return [b.foundation, b.industry, b.other, b.share, _band(b), _yes(b.in_band)]


BALANCE_HEADERS = ("Foundation credits", "Industry credits", "Other credits", "Foundation share", "Band", "In band")


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: list[list[Any]], share_col: int) -> None:
    ws = wb.create_sheet(title)
    labels = [t(h) for h in headers]
    set_widths(ws, [text_width([h, *[r[i] for r in rows[:500]]], minimum=8, maximum=40)
                    for i, h in enumerate(labels)])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(labels))}{max(len(rows), 1) + 1}"
    ws.append(header_cells(ws, labels))
    for row in rows:
        ws.append([cell(ws, v, number_format=PERCENT) if i == share_col and v is not None else cell(ws, v)
                   for i, v in enumerate(row)])


def export_balances(path: Path | str, on: dt.date, plans: Sequence[tuple[ProgrammeBalance, Balance]],
                    cohorts: Sequence[CohortBalance], students: Sequence[StudentBalance],
                    progress: Callable[[int, int], bool | None] | None = None) -> Path:
    """Write the three balance tables to ``path``: one sheet each (plans, cohorts, students)."""
    path = Path(path)
    wb = Workbook(write_only=True)
    _sheet(wb, t("Plans"), ("Code", "Programme name", *BALANCE_HEADERS),
           [[p.code, p.name, *_balance_cells(b)] for p, b in plans], 5)
    _sheet(wb, t("Cohorts"), ("Programme", "Programme name", "Cohort", "Students", *BALANCE_HEADERS),
           [[c.programme_code, c.programme_name, c.cohort, c.students, *_balance_cells(c.balance)]
            for c in cohorts], 7)
    if progress is not None and progress(1, 3) is False:
        raise InterruptedError
    _sheet(wb, t("Students"), ("Student no.", "Name", "Programme", "Cohort", "Status", *BALANCE_HEADERS,
                               "Judged (≥ 10 credits)"),
           [[s.student_no, s.name, s.programme_code, s.cohort, label(s.status), *_balance_cells(s.balance),
             _yes(s.balance.judged)] for s in students], 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if progress is not None:
        progress(3, 3)
    return path
