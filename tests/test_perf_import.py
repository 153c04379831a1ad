"""Imports read sheets with calamine (fast) and must see exactly what openpyxl (the reader the parsers
were written against) sees: the same header, the same row numbers and the same values, for every
kind of cell an administrator's workbook holds. Error cells (#N/A) send the file to openpyxl, so an
error is reported on its row instead of being imported as a blank."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from db.actor import cli_actor
from forms import importer, templates
from forms.importer import read_rows, run_import
from forms.specs import SPECS


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """read_rows through calamine (checked to be the reader used), then forced through openpyxl."""
    used: list[int] = []
    real = importer._read_calamine

    def spy(p: Path) -> Any:
        rows = real(p)
        used.append(len(rows))
        return rows

    with monkeypatch.context() as m:
        m.setattr(importer, "_read_calamine", spy)
        fast = read_rows(path)
    assert used, "calamine was not used"

    def refuse(_p: Path) -> Any:
        raise RuntimeError("calamine cannot read this")

    with monkeypatch.context() as m:
        m.setattr(importer, "_read_calamine", refuse)
        slow = read_rows(path)
    return _spaces_blank(fast), _spaces_blank(slow)


def _spaces_blank(read: Any) -> Any:
    """The one difference allowed: a cell of only spaces is empty to calamine and '  ' to openpyxl
    (every parser takes both as blank, parsers.is_blank)."""
    def cell(v: Any) -> Any:
        return None if isinstance(v, str) and not v.strip() else v

    header, rows = read
    return tuple(cell(v) for v in header), [(n, tuple(cell(v) for v in r)) for n, r in rows]


def _with_cached_formulas(path: Path) -> None:
    """openpyxl writes formulas without results; give two of them the results Excel would cache."""
    src = path.read_bytes()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(src)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>10+15</f><v />", b"<f>10+15</f><v>25</v>")
                data = data.replace(b'<c r="K3"><f>"A"&amp;"B"</f><v />',
                                    b'<c r="K3" t="str"><f>"A"&amp;"B"</f><v>AB</v>')
                assert b"<v>25</v>" in data and b"<v>AB</v>" in data
            zout.writestr(info, data)
    tmp.unlink()


def test_hostile_cells_read_the_same_through_calamine_and_openpyxl(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["学号", "姓名", "年级", "入学日期", "手机", "邮箱", "比例", "时间", "是否", "备注", "公式"])
    ws.append(["000123", "王伟", 2025, dt.date(2025, 9, 1), 13800138000, "a@b.cn", 0.35, dt.time(8, 30), True,
               "  ", "=10+15"])
    ws.append([123, "Ｗａｎｇ　Ｆａｎｇ", 2025.0, "2025/9/1", "13800138000", None, 0.5, dt.datetime(2025, 9, 1, 8, 30),
               False, "第一行\n第二行", '="A"&"B"'])
    ws.append([None] * 11)  # a blank row in the middle: row numbers must still match the sheet
    ws.append(["B2025001", "李娜", "2025", dt.datetime(2025, 9, 1), 13800138000.0, "x@y.cn", -0.0, 1.5, "是",
               "２０２５", 1e20])
    ws.append(["", "   ", None, None, None, None, None, None, None, None, None])  # blank once trimmed
    ws.append([None, None, None, None, None, None, None, None, None, None, "只有最后一列"])
    ws["D2"].number_format = "yyyy-mm-dd"
    ws["G2"].number_format = "0%"
    wb.save(tmp_path / "cells.xlsx")
    _with_cached_formulas(tmp_path / "cells.xlsx")
    fast, slow = _both(tmp_path / "cells.xlsx", monkeypatch)
    assert fast == slow
    header, rows = fast
    assert [n for n, _ in rows] == [2, 3, 5, 7]
    first = dict(zip(header, rows[0][1]))
    assert first["学号"] == "000123" and first["年级"] == 2025 and type(first["年级"]) is int
    assert first["手机"] == 13800138000 and type(first["手机"]) is int
    assert first["入学日期"] == dt.datetime(2025, 9, 1)
    assert first["公式"] == 25
    assert rows[1][1][10] == "AB"
    assert all(type(a) is type(b) for (_, ra), (_, rb) in zip(fast[1], slow[1]) for a, b in zip(ra, rb))


def test_a_sheet_starting_below_and_right_of_a1_keeps_its_row_numbers(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook()
    ws = wb.active
    ws["C1"] = "学号"
    ws["D1"] = "姓名"
    ws["C4"] = "B1"
    ws["D4"] = "王芳"
    wb.save(tmp_path / "offset.xlsx")
    fast, slow = _both(tmp_path / "offset.xlsx", monkeypatch)
    assert fast == slow
    assert fast[0][2:4] == ("学号", "姓名")
    assert fast[1] == [(4, (None, None, "B1", "王芳"))]


@pytest.mark.parametrize("kind", sorted(k for k, s in SPECS.items() if s.save is not None))
def test_every_import_template_reads_the_same(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = templates.write_template(kind, tmp_path / f"{kind}.xlsx")
    fast, slow = _both(path, monkeypatch)
    assert fast == slow


def test_an_error_cell_is_reported_not_imported_as_blank(db: Any, tmp_path: Path) -> None:
    from db.actor import unit_of_work
    from db.curriculum import save_programme

    with unit_of_work(db.factory, cli_actor()) as s:
        save_programme(s, cli_actor(), {"code": "AI", "name": "人工智能"})
    wb = Workbook()
    ws = wb.active
    ws.append(["学号", "姓名", "年级", "培养方案", "手机"])
    ws.append(["B2025001", "王伟", 2025, "AI", "#N/A"])  # openpyxl writes it as an error cell, like Excel
    wb.save(tmp_path / "error.xlsx")
    with zipfile.ZipFile(tmp_path / "error.xlsx") as zf:
        assert b't="e"' in zf.read("xl/worksheets/sheet1.xml")
    header, rows = read_rows(tmp_path / "error.xlsx")
    assert rows[0][1][4] == "#N/A"
    result = run_import(db.factory, cli_actor(), "students", tmp_path / "error.xlsx")
    assert not result.committed
    assert [(e.row, e.field) for e in result.errors] == [(2, "phone")]


def test_the_cycle_collector_is_back_as_it_was_after_an_import(db: Any, tmp_path: Path) -> None:
    """Imports hold the collector off while they run (importer.collector_paused); the application must
    get it back afterwards, whether the import committed, was refused or met an unreadable file."""
    import gc

    wb = Workbook()
    wb.active.append(["方案代码", "方案名称"])
    wb.active.append(["AI", "人工智能"])
    wb.save(tmp_path / "p.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    seen: list[bool] = []
    assert gc.isenabled()
    result = run_import(db.factory, cli_actor(), "programmes", tmp_path / "p.xlsx",
                        progress=lambda _done, _total: seen.append(gc.isenabled()))
    assert result.committed and seen and not any(seen)  # held off during the import
    assert gc.isenabled()
    assert run_import(db.factory, cli_actor(), "students", tmp_path / "p.xlsx").errors
    assert run_import(db.factory, cli_actor(), "students", tmp_path / "junk.xlsx").file_error
    assert gc.isenabled()
    gc.disable()
    try:
        with importer.collector_paused(), importer.collector_paused():
            pass
        assert not gc.isenabled()  # an application that turned it off keeps it off
    finally:
        gc.enable()
