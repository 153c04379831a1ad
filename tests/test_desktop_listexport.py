"""The list export behind every page's 导出 button (Qt-free: reports/listexport.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from db import listing, lists
from db.actor import Actor, unit_of_work
from db.curriculum import save_programme
from db.i18n import set_language
from db.listing import ListQuery
from db.people import save_student
from reports.listexport import export_list


def test_export_is_chinese_safe_and_filterable(sqlite_db: Any, admin: Actor, tmp_path: Path) -> None:
    with unit_of_work(sqlite_db.factory, admin) as s:
        save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})
        save_student(s, admin, {"student_no": "S001", "name": "=HYPERLINK(\"x\")", "cohort": 2025, "programme": "P1"})
        save_student(s, admin, {"student_no": "S002", "name": "欧阳娜娜", "cohort": 2024, "programme": "P1"})
    set_language("zh")
    spec = lists.SPECS["students"]
    with sqlite_db.factory() as s:
        rows = listing.export_rows(s, admin, spec, ListQuery(sort_key="cohort"))
    path = export_list(spec, rows, tmp_path / "out.xlsx", "学生名单")
    wb = load_workbook(path)
    ws = wb["学生名单"]
    values = list(ws.values)
    assert values[0][:3] == ("学号", "姓名", "年级")
    assert [r[0] for r in values[1:]] == ["S002", "S001"]  # the query's order
    assert ws.cell(3, 2).data_type == "s" and ws.cell(3, 2).value.startswith("=")  # text, never a formula
    assert values[1][2] == 2024  # numbers stay numbers
    assert values[1][5] == "在读"  # enums as the list shows them
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:J3"
    assert ws.column_dimensions["D"].width >= 14  # fitted to 人工智能工程
