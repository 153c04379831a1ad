"""Writing cells safely with openpyxl (Qt-free): every workbook TalentDesk writes goes through here —
import templates, exports and error reports (forms/) and the Excel reports (reports/).

Text a user typed is always written as text: openpyxl turns any string that starts with '=' into a
formula, which would let a student's name run code in whoever opens the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2F5597")
REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
ERROR_FILL = PatternFill("solid", fgColor="FDE9E7")
WRAP = Alignment(wrap_text=True, vertical="top")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def set_value(cell: Cell, value: Any) -> None:
    """Set a cell; strings are always stored as text, never as formulas.

    Text that a spreadsheet could take for a formula (``= + - @``) is also marked quote-prefixed, as
    if typed with a leading apostrophe: it stays text even when someone edits the cell in Excel.
    Control characters no xlsx can hold (from data written behind the app's back) are dropped."""
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value


def cell(ws: Worksheet, value: Any, **style: Any) -> Cell:
    """A write-only cell holding ``value`` safely, with optional font/fill/alignment/number_format."""
    c = WriteOnlyCell(ws)
    set_value(c, value)
    for key, val in style.items():
        setattr(c, key, val)
    return c


def header_cells(ws: Worksheet, titles: list[str], required: list[bool] | None = None) -> list[Cell]:
    out = []
    for i, title in enumerate(titles):
        fill = REQUIRED_FILL if required and required[i] else HEADER_FILL
        out.append(cell(ws, title, font=HEADER_FONT, fill=fill))
    return out


def set_widths(ws: Worksheet, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def text_width(values: list[Any], minimum: int = 8, maximum: int = 60) -> int:
    """A column width fitting its longest value; CJK characters count double."""
    best = minimum
    for v in values:
        s = "" if v is None else str(v)
        w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in s) + 2
        best = max(best, w)
    return min(best, maximum)
