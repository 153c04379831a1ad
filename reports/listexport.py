"""Export of a list page's rows to Excel (Qt-free).

The desktop's 导出 button writes the rows of the current query (search, filters and sort as shown)
with the list's own column headers: a frozen header row, an autofilter, column widths fitted to
the content, and text always stored as text (never as a formula).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from db.listing import ListRow, ListSpec, cell_text
from forms.xlsx import cell, header_cells, set_widths, text_width

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _value(spec: ListSpec, values: Sequence[Any], i: int) -> Any:
    """Numbers and dates stay typed (sortable in Excel); everything else is the text the list shows."""
    col, value = spec.columns[i], values[i]
    if value is None:
        return None
    if col.format is not None or isinstance(value, enum.Enum) or col.kind in ("bool", "json", "roles", "percent"):
        return cell_text(spec, values, i)
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return value
    return str(value)


def export_list(spec: ListSpec, rows: Sequence[ListRow], path: Path | str, title: str,
                progress: Callable[[int, int], bool | None] | None = None) -> Path:
    """Write ``rows`` of ``spec`` to ``path`` (.xlsx). ``progress(done, total)`` may return False
    to cancel (nothing is written then)."""
    path = Path(path)
    columns = spec.columns
    values = [[_value(spec, r.values, i) for i in range(len(columns))] for r in rows]
    headers = [c.label for c in columns]
    widths = []
    for i, h in enumerate(headers):
        sample = [row[i] for row in values[:2000]]
        shown = [v.isoformat() if isinstance(v, dt.date) else v for v in sample]
        widths.append(text_width([h, *shown], minimum=8, maximum=60))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_SHEET_BAD.sub(" ", title)[:31] or "Sheet1")
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(values), 1) + 1}"
    ws.append(header_cells(ws, headers))
    total = len(values)
    for n, row in enumerate(values, start=1):
        ws.append([cell(ws, v) for v in row])
        if progress is not None and n % 500 == 0 and progress(n, total) is False:
            raise InterruptedError
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if progress is not None:
        progress(total, total)
    return path
