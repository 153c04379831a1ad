"""Visiting students' transcripts for their home universities (Qt-free).

A visiting student (one with a home university) takes courses here; their home university recognises
them from this workbook: one row per passed course with course, term, hours, credits, score and
category (AGI前沿基础课 / 产业应用课 / 其他), the way an alliance transcript is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from db.alliance import VisitingLine
from db.i18n import t
from db.labels import label
from forms.xlsx import cell, header_cells, set_widths, text_width

TITLES = ("Student no.", "Name", "Home university", "Course code", "Course name", "Term", "Hours", "Credits",
          "Score", "Score on the 0–100 scale", "Category", "Passed on")


def write_visiting(lines: Sequence[VisitingLine], path: Path | str) -> Path:
    """Write the courses visiting students passed here to ``path`` (.xlsx)."""
    path = Path(path)
    rows = [[x.student_no, x.student_name, x.home_university, x.course_code, x.course_name, x.term, x.hours,
             x.credits, x.score_text or "", x.score, label(x.category), x.passed_on] for x in lines]
    headers = [t(title) for title in TITLES]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("Courses passed"))
    set_widths(ws, [text_width([h, *(r[i] if not hasattr(r[i], "isoformat") else "2026-01-31"
                                     for r in rows[:500])], 8, 40) for i, h in enumerate(headers)])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:L{max(len(rows), 1) + 1}"
    ws.append(header_cells(ws, headers))
    for row in rows:
        ws.append([cell(ws, v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
