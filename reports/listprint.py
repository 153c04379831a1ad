"""Any list as it is shown, printed (Qt-free): A4 landscape, the list's Chinese headers repeated on every
page, the search and filters named under the title, 第 X 页 / 共 Y 页 — the 打印 of every list page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from db.listing import ListRow, ListSpec, cell_text

from . import pdf
from .fonts import find
from .text import ACADEMY

WIDTH_MM = 297 - 36  # A4 landscape less the margins


def write_list_pdf(spec: ListSpec, rows: Sequence[ListRow], path: Path | str, title: str, criteria: str = "",
                   on_page: Callable[[int], None] | None = None, academy: str = ACADEMY) -> Path:
    """``rows`` of ``spec`` (the list as searched, filtered and sorted) as a print-ready PDF."""
    font = find(None)
    st = pdf.styles(font)
    columns = spec.columns
    total = sum(c.width for c in columns) or 1
    widths = [max(10.0, WIDTH_MM * c.width / total) for c in columns]
    scale = WIDTH_MM / sum(widths)
    widths = [w * scale for w in widths]
    numeric = tuple(i for i, c in enumerate(columns) if c.kind in ("int", "float"))
    story = [Paragraph(st.text(title), st.h1),
             Paragraph(st.text(f"{criteria + ' · ' if criteria else ''}共 {len(rows)} 条 · 打印于 "
                               f"{dt.datetime.now():%Y-%m-%d %H:%M}"), st.small), Spacer(1, 2 * mm),
             pdf.table(st, [c.label for c in columns],
                       [[cell_text(spec, r.values, i) for i in range(len(columns))] for r in rows] or
                       [["—", *[""] * (len(columns) - 1)]], widths, numeric)]
    return pdf.build_pdf(Path(path), font, f"{academy} · {title}", title, story, st=st, cover=False, landscape=True,
                         on_page=on_page)
