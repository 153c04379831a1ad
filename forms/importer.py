"""The Excel import engine (Qt-free): every row validated, every error reported, all rows committed in
one transaction or none.

1. The file is checked before it is parsed: it must be an xlsx (a zip), not password-protected (an
   encrypted xlsx is an OLE container), and its declared uncompressed size and compression ratios
   must be sane, so a zip bomb is refused before it can exhaust memory; no part may declare a
   DOCTYPE (entity expansion), and a sheet over the row limit is refused from its streamed XML.
   Only then does calamine read the sheet (openpyxl, through defusedxml, for sheets with error cells).
2. Headers are recognised by Chinese label or English key, in any order, with full-width characters,
   spaces and a trailing * tolerated; unknown columns are ignored and reported.
3. Every row is parsed with the entity's field specs, checked for duplicates within the file, and
   then saved through the scheme's service inside a savepoint, so that the service's own rules run
   and every failing row is reported — not only the first.
4. Any error, a dry run or a cancel rolls the whole transaction back: the database is exactly as it
   was. Otherwise the transaction commits once.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.exc import DBAPIError, IntegrityError, PendingRollbackError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from db import failures
from db.actor import Actor
from db.audit import writes
from db.auth import log_access
from db.engine import begin_write
from db.errors import DatabaseUnavailable, TalentDeskError, UnknownReference, ValidationError
from db.i18n import language, t
from db.labels import label as enum_label
from db.records import IMPORT_ROW

from . import parsers, xlsx
from .specs import PENDING_KINDS, SPECS, EntitySpec, parse_values

MAX_FILE_MB = 50
MAX_UNPACKED_MB = 400
MAX_RATIO = 200
MAX_ROWS = 100_000  # rows per file; bigger rosters are split (keeps a hostile file under ~150 MB)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Discard(Exception):
    """Rolls back the savepoint of a row that is only being checked."""


class ImportFileError(TalentDeskError):
    """The file itself cannot be imported (not an xlsx, damaged, encrypted, too large …)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (headers are row 1)
    column: str  # column letter, or "" for a whole-row error
    header: str  # the column's header as written in the file (or the field's label)
    field: str  # field key
    value: Any
    reason: str
    sheet: str = ""  # a workbook of several sheets (a logbook): the sheet's name

    def __str__(self) -> str:
        if not self.column and not self.header:
            text = t("Row {row}: {reason}", row=self.row, reason=self.reason)
        else:
            col = f"{self.column} ({self.header})" if self.column else self.header
            if self.value is None or self.value == "":
                text = t("Row {row}, column {column}: {reason}", row=self.row, column=col, reason=self.reason)
            else:
                text = t("Row {row}, column {column}: {reason} (value: {value})", row=self.row, column=col,
                         reason=self.reason, value=self.value)
        return t("Sheet {sheet}, {error}", sheet=self.sheet, error=text) if self.sheet else text


@dataclass
class ImportResult:
    kind: str
    path: Path
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows that matched their record as it was
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    cancelled: bool = False
    file_error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.errors and not self.cancelled

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run


def spec_for(kind: str) -> EntitySpec:
    if kind in SPECS and SPECS[kind].save is not None:
        return SPECS[kind]
    if kind in PENDING_KINDS:
        raise ImportFileError(t("Importing {kind} arrives with its scheme; it is not available in this version yet.",
                                kind=kind))
    raise ImportFileError(t("Unknown import kind {kind}. Choose one of: {kinds}.", kind=kind,
                            kinds=", ".join(SPECS)))


# --------------------------------------------------------------------------- file checks


def check_file(path: Path) -> None:
    """Refuse anything that is not a sane xlsx before a parser touches it."""
    if path.is_dir():
        raise ImportFileError(t("{path} is a folder: name the Excel file in it.", path=path))
    if not path.is_file():
        raise ImportFileError(t("The file {path} does not exist.", path=path))
    size = path.stat().st_size
    if size > MAX_FILE_MB * 1024 * 1024:
        raise ImportFileError(t("{path} is too large ({size} MB; at most {limit} MB).", path=path.name,
                                size=round(size / 1048576, 1), limit=MAX_FILE_MB))
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise ImportFileError(t("{path} is password-protected or in the old .xls format: remove the password "
                                "and save it as .xlsx (Excel: File > Save As > Excel Workbook).", path=path.name))
    if not zipfile.is_zipfile(path):
        raise ImportFileError(t("{path} is not an Excel .xlsx file.", path=path.name))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise ImportFileError(t("{path} is not an Excel .xlsx file.", path=path.name))
            total = 0
            for info in infos:
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1 << 20:
                    raise ImportFileError(t("{path} is refused: a part of it is compressed {ratio}:1, which only a "
                                            "zip bomb does.", path=path.name,
                                            ratio=int(info.file_size / info.compress_size)))
            if total > MAX_UNPACKED_MB * 1024 * 1024 or len(infos) > 10_000:
                raise ImportFileError(t("{path} is refused: it would unpack to {size} MB (at most {limit} MB).",
                                        path=path.name, size=round(total / 1048576), limit=MAX_UNPACKED_MB))
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares_a_doctype(zf, info):
                    raise ImportFileError(t("{path} is refused: its part {part} declares a DOCTYPE (XML entities), "
                                            "which Excel never writes and an entity-expansion attack needs.",
                                            path=path.name, part=info.filename))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(t("{path} is damaged and cannot be read: {reason}", path=path.name, reason=exc)) from exc


def _declares_a_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the XML part's prolog (everything before its root element) holds a DOCTYPE.

    Only the prolog is read (at most 1 MB of it, decompressed as a stream), so this costs nothing on
    real workbooks; whichever reader parses the file afterwards never meets an entity declaration.
    """
    seen = b""
    with zf.open(info) as fh:
        while len(seen) < 1 << 20:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            seen += chunk
            root = _ROOT_ELEMENT.search(seen)
            if root is not None:
                return b"<!DOCTYPE" in seen[:root.start()].upper()
    return b"<!DOCTYPE" in seen.upper()


_ROOT_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _header_key(value: Any) -> str:
    s = parsers.clean(value).lower()
    for suffix in ("*", "（必填）", "(必填)", "(required)"):
        s = s.removesuffix(suffix)
    return s.replace(" ", "").replace("_", "").strip()


def match_headers(spec: EntitySpec, header: tuple[Any, ...]) -> tuple[dict[str, int], list[RowError], list[str]]:
    """Map field key -> column index. Returns (mapping, errors, ignored headers)."""
    names: dict[str, str] = {}
    for f in spec.fields:
        for alias in (f.key, f.zh, f.en):
            names[_header_key(alias)] = f.key
    mapping: dict[str, int] = {}
    errors: list[RowError] = []
    ignored: list[str] = []
    for idx, raw in enumerate(header):
        if parsers.is_blank(raw):
            continue
        key = names.get(_header_key(raw))
        if key is None:
            ignored.append(parsers.clean(raw))
            continue
        if key in mapping:
            f = spec.field(key)
            errors.append(RowError(1, get_column_letter(idx + 1), parsers.clean(raw), key, None,
                                   t("Column {column} appears twice (columns {first} and {second}).",
                                     column=f.zh if language() == "zh" else f.key,
                                     first=get_column_letter(mapping[key] + 1), second=get_column_letter(idx + 1))))
            continue
        mapping[key] = idx
    for f in spec.fields:
        if f.required and f.key not in mapping:
            errors.append(RowError(1, "", "", f.key, None,
                                   t("Required column {column} is missing.", column=f"{f.zh} / {f.key}")))
    return mapping, errors, ignored


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _first_sheet(path: Path) -> str:
    """The zip member of the workbook's first sheet (the one imported), or "" if it cannot be told."""
    from defusedxml import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
    try:
        with zipfile.ZipFile(path) as zf:
            book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            sheet = book.find("m:sheets/m:sheet", ns)
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            rid = sheet.get(f"{{{ns['r']}}}id") if sheet is not None else None
            for rel in rels.findall("p:Relationship", ns):
                if rel.get("Id") == rid:
                    target = rel.get("Target", "")
                    member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                    return member if member in zf.namelist() else ""
    except Exception:  # noqa: BLE001 - a missing part, or defusedxml refusing a bomb: openpyxl reports it next
        return ""
    return ""


def _count_row_tags(path: Path, member: str) -> int:
    """Rows in a worksheet's XML, counted while streaming it out of the zip (constant memory)."""
    if not member:
        return 0
    count, tail = 0, b""
    with zipfile.ZipFile(path) as zf, zf.open(member.lstrip("/")) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += len(_ROW_TAG.findall(data))
            # keep a short tail so a tag split between chunks is counted once, in the next round
            cut = max(data.rfind(b"<"), len(data) - 64)
            count -= len(_ROW_TAG.findall(data[cut:]))
            tail = data[cut:]
        count += len(_ROW_TAG.findall(tail))
    return count


def _scan_sheet(path: Path, member: str) -> tuple[int, bool]:
    """(at least as many as the sheet's rows, whether it holds error cells such as #N/A), streamed
    out of the zip in constant memory. Counting the bytes ``row`` is a few ms even for 100,000 rows
    (every row element holds it at least once); the exact tag count is needed only above the limit."""
    if not member:
        return 0, False
    rows, errors, tail = 0, False, b""
    with zipfile.ZipFile(path) as zf, zf.open(member.lstrip("/")) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk  # a word split between chunks is whole here, and never counted twice
            rows += data.count(b"row")
            errors = errors or b't="e"' in data or b"t='e'" in data
            tail = data[-4:]
            rows -= tail.count(b"row")
    return rows + tail.count(b"row"), errors


_DATE = dt.date
_DATETIME = dt.datetime


def _as_openpyxl(row: list[Any]) -> tuple[Any, ...]:
    """A calamine row as openpyxl gives it (what the parsers and their tests were written against):
    an empty cell is None (calamine: ''), a whole number an int (calamine: always float; openpyxl
    reads the XML "2025" as int), a date cell a datetime (calamine: a date when it has no time)."""
    out = []
    for v in row:
        kind = type(v)
        if kind is str:
            if not v:
                v = None
        elif kind is float:
            if v.is_integer() and -1e15 < v < 1e15:
                v = int(v)
        elif kind is _DATE:
            v = _DATETIME(v.year, v.month, v.day)
        out.append(v)
    return tuple(out)


def _read_calamine(path: Path) -> list[tuple[Any, ...]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        # skip_empty_area=False: rows and columns start at A1, as the sheet numbers them
        return [_as_openpyxl(r) for r in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    finally:
        book.close()


def _read_openpyxl(path: Path) -> Any:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from wb.worksheets[0].iter_rows(values_only=True)
    finally:
        wb.close()


def read_rows(path: Path) -> tuple[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]]]:
    """The header row and the non-blank data rows (with their row numbers) of the first sheet.

    The sheet is read with calamine (Rust; about ten times faster than openpyxl's XML parsing, and
    the values normalised to what openpyxl gives). openpyxl reads it instead when the sheet holds
    error cells (#N/A, #DIV/0! …), which calamine reads as empty and openpyxl as their text: an
    error must be reported, never imported as a blank.
    """
    check_file(path)
    # Refuse a huge sheet before any reader sees it (both keep every row they have read), counting
    # its rows while streaming the XML out of the zip in constant memory
    member = _first_sheet(path)
    rows_in_sheet, has_errors = _scan_sheet(path, member)
    if rows_in_sheet > MAX_ROWS + 1:
        rows_in_sheet = _count_row_tags(path, member)
    if rows_in_sheet > MAX_ROWS + 1:
        raise ImportFileError(t("The file has {rows} rows; at most {limit} can be imported at once.",
                                rows=rows_in_sheet - 1, limit=MAX_ROWS))
    it: Any = None
    if member and not has_errors:
        try:
            it = iter(_read_calamine(path))
        except Exception:  # noqa: BLE001 - what calamine cannot read, openpyxl reads or explains below
            it = None
    if it is None:
        it = _read_openpyxl(path)
    try:
        header: tuple[Any, ...] | None = None
        rows: list[tuple[int, tuple[Any, ...]]] = []
        for number, row in enumerate(it, start=1):
            if header is None:
                if number == 1:
                    if row is None or all(parsers.is_blank(v) for v in row):
                        raise ImportFileError(t("The sheet is empty: the first row must hold the column headers."))
                    header = tuple(row)
                continue
            if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            rows.append((number, tuple(row)))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(t("The file has {rows} rows; at most {limit} can be imported at once.",
                                        rows=f"> {MAX_ROWS}", limit=MAX_ROWS))
        if header is None:
            raise ImportFileError(t("The sheet is empty: the first row must hold the column headers."))
        return header, rows
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(t("{path} is damaged and cannot be read: {reason}", path=path.name,
                                reason=str(exc) or type(exc).__name__)) from exc


# --------------------------------------------------------------------------- the import


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while an import runs (then back as it was).

    An import builds a few objects per cell and keeps them all until it commits: 10,000 rows are
    several hundred thousand live objects, none of them in a reference cycle, which the collector
    would otherwise walk again and again as they pile up (a quarter of a 10,000-student import,
    three full passes of ~0.1 s each). Nested and concurrent imports share one pause.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _display(value: Any) -> Any:
    if isinstance(value, str):
        return parsers.clean(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():  # an Excel date cell: 2025-10-12
        return value.date()
    return value


@collector_paused()  # a contextmanager is also a decorator (a fresh pause per call)
def run_import(
    factory: sessionmaker[Session],
    actor: Actor,
    kind: str,
    path: Path | str,
    dry_run: bool = False,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import ``path`` as ``kind``. Never raises for bad input: problems are in the result."""
    started = time.perf_counter()
    path = Path(path)
    try:
        spec_for(kind)
        header, rows = read_rows(path)
    except ImportFileError as exc:
        result = ImportResult(kind=kind, path=path, dry_run=dry_run, file_error=str(exc))
        result.seconds = time.perf_counter() - started
        return result
    return import_rows(factory, actor, kind, header, rows, path, dry_run=dry_run, progress=progress,
                       cancel=cancel, started=started)


@collector_paused()  # a contextmanager is also a decorator (a fresh pause per call)
def import_rows(
    factory: sessionmaker[Session],
    actor: Actor,
    kind: str,
    header: tuple[Any, ...],
    rows: list[tuple[int, tuple[Any, ...]]],
    path: Path | str = "rows",
    dry_run: bool = False,
    progress: Callable[[int, int], object] | None = None,
    cancel: Callable[[], bool] | None = None,
    started: float | None = None,
) -> ImportResult:
    """Import rows already read from a sheet (``read_rows``' header and numbered rows) as ``kind``:
    the second half of ``run_import``, also used directly by the import fuzzing tests."""
    started = time.perf_counter() if started is None else started
    result = ImportResult(kind=kind, path=Path(path), dry_run=dry_run)
    try:
        spec = spec_for(kind)
    except ImportFileError as exc:
        result.file_error = str(exc)
        return result
    result.rows = len(rows)
    sheet = parse_sheet(spec, header, rows, result)
    if sheet is not None:
        import_sheets(factory, actor, [sheet], result, progress=progress, cancel=cancel)
    result.seconds = time.perf_counter() - started
    return result


@dataclass
class ParsedSheet:
    """One sheet's rows parsed for ``spec``: the good ones, the ones with unreadable cells (whose
    references are still checked), and how to name a cell of the sheet in a message."""

    spec: EntitySpec
    parsed: list[tuple[int, dict[str, Any], dict[str, Any]]]
    partial: list[tuple[int, dict[str, Any], dict[str, Any], set[str]]]
    err: Callable[[int, str, Any, str], RowError]


def parse_sheet(spec: EntitySpec, header: tuple[Any, ...], rows: list[tuple[int, tuple[Any, ...]]],
                result: ImportResult, sheet: str = "") -> ParsedSheet | None:
    """Match the headers and parse every row of one sheet; problems go to ``result``. None when the
    sheet cannot be imported at all (a required column missing, no data rows)."""
    mapping, header_errors, ignored = match_headers(spec, header)
    if ignored:
        result.notices.append(t("Ignored column(s) not used by this import: {columns}", columns="、".join(ignored)))
    if header_errors:
        result.errors += [replace(e, sheet=sheet) for e in header_errors]
        return None
    if not rows:
        result.errors.append(RowError(2, "", "", "", None, t("The file has no data rows under the headers."), sheet))
        return None

    headers = {key: parsers.clean(header[idx]) for key, idx in mapping.items()}
    letters = {key: get_column_letter(idx + 1) for key, idx in mapping.items()}
    present = set(mapping)

    def err(row: int, key: str, value: Any, reason: str) -> RowError:
        if key in letters:
            return RowError(row, letters[key], headers[key], key, _display(value), reason, sheet)
        # a field the file cannot hold (a project's stage-change reason): the row's error, not a
        # "column reason" the user will look for in vain
        label = spec.field(key).label if key in {f.key for f in spec.fields} else ""
        return RowError(row, "", label, key, _display(value), reason, sheet)

    parsed: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    partial: list[tuple[int, dict[str, Any], dict[str, Any], set[str]]] = []
    seen: dict[tuple[Any, ...], int] = {}
    occurrences: dict[tuple[Any, ...], int] = {}
    for number, row in rows:
        raw = {key: (row[idx] if idx < len(row) else None) for key, idx in mapping.items()}
        values, errors = parse_values(spec, raw, present)
        # a blank cell is a value not given, as an absent column is: a record being created gets the
        # default, one being updated keeps what it has (a roster re-imported with an empty 学籍状态 or
        # 手机 must not reactivate a graduate or erase a phone number; the app's dialogs clear a value)
        values = {key: value for key, value in values.items() if value is not None}
        for key, reason in errors.items():
            result.errors.append(err(number, key, raw.get(key), reason))
        if errors:
            partial.append((number, values, raw, set(errors)))
            continue
        natural = tuple(str(values.get(k)).lower() for k in spec.key)
        if spec.repeatable:
            values["occurrence"] = occurrences[natural] = occurrences.get(natural, -1) + 1
        elif natural in seen:
            key_text = " / ".join(enum_label(v) if isinstance(v, enum.Enum) else str(v)
                                  for v in map(values.get, spec.key))
            result.errors.append(err(number, spec.key[-1], values.get(spec.key[-1]),
                                     t("Duplicate of row {row}: {key} appears twice in the file.",
                                       row=seen[natural], key=key_text)))
            continue
        seen[natural] = number
        parsed.append((number, values, raw))
    if spec.order is not None:
        order = spec.order
        parsed.sort(key=lambda item: order(item[1]))
    return ParsedSheet(spec, parsed, partial, err)


def import_sheets(factory: sessionmaker[Session], actor: Actor, sheets: list[ParsedSheet], result: ImportResult,
                  progress: Callable[[int, int], object] | None = None, cancel: Callable[[], bool] | None = None,
                  what: str | None = None) -> None:
    """Save the parsed rows of ``sheets`` through their services in one transaction, committed only
    when every row of every sheet passed (and not a dry run); the counts and refusals go to ``result``."""
    try:
        with factory() as session:
            session.info["actor"] = actor
            begin_write(session)
            for sheet in sheets:
                _save_sheet(session, actor, sheet, result, progress, cancel)
            if result.errors or result.cancelled or result.dry_run:
                session.rollback()
            else:
                log_access(session, actor.username, "import", what or result.kind, None,
                           f"{result.path.name}: +{result.created} ~{result.updated}")
                session.commit()
    except SQLAlchemyError as exc:  # not one of the failures db.failures names: still said, still whole
        raise failures.generic(exc) from exc
    if result.cancelled:
        result.notices.append(t("Import cancelled: nothing was written."))
    result.errors.sort(key=lambda e: (e.sheet, e.row, e.column))


def _save_sheet(session: Session, actor: Actor, sheet: ParsedSheet, result: ImportResult,
                progress: Callable[[int, int], object] | None, cancel: Callable[[], bool] | None) -> None:
    spec, parsed, partial, err = sheet.spec, sheet.parsed, sheet.partial, sheet.err
    assert spec.save is not None
    total = len(parsed)

    def refused(number: int, values: dict[str, Any], raw: dict[str, Any], exc: TalentDeskError) -> None:
        if isinstance(exc, ValidationError) and exc.errors:
            for key, reason in exc.errors.items():
                result.errors.append(err(number, key, raw.get(key, values.get(key)), reason))
        else:
            result.errors.append(err(number, "", None, str(exc)))

    if spec.save_many is not None and parsed and not (cancel is not None and cancel()):
        # the bulk twin of spec.save: the same checks in a few statements. If it cannot finish
        # (a permission refusal, a race with another PC …) its savepoint is rolled back and the
        # rows go through spec.save one by one below, which reports each row's own problem.
        try:
            with session.begin_nested():
                outcomes = spec.save_many(session, actor, [values for _, values, _ in parsed])
                if any(o.error is not None for o in outcomes):
                    raise _Discard
        except _Discard:
            for (number, values, raw), outcome in zip(parsed, outcomes, strict=True):
                if outcome.error is not None:
                    refused(number, values, raw, outcome.error)
            parsed = []
        except (SQLAlchemyError, TalentDeskError) as exc:
            if _fatal(exc):
                raise
            # a row's own problem: the rows go through spec.save one by one below
        else:
            for (number, _values, _raw), outcome in zip(parsed, outcomes, strict=True):
                for notice in outcome.notices:
                    result.notices.append(t("Row {row}: {reason}", row=number, reason=notice))
            result.created += sum(1 for o in outcomes if o.created)
            result.updated += sum(1 for o in outcomes if not o.created and o.changed)
            result.unchanged += sum(1 for o in outcomes if not o.created and not o.changed)
            parsed = []
            if progress is not None:
                progress(total, total)
            if cancel is not None and cancel():  # pressed while the batch was being written
                result.cancelled = True
    for i, (number, values, raw) in enumerate(parsed):
        if cancel is not None and i % 50 == 0 and cancel():
            result.cancelled = True
            break
        before = writes(session)
        session.info[IMPORT_ROW] = number
        try:
            with session.begin_nested():
                _, created = spec.save(session, actor, values)
        except DatabaseUnavailable:
            raise  # the database failed, not the row: the whole import stops, nothing written
        except IntegrityError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
            result.errors.append(err(number, "", None, t("Conflicts with data already in the database: {reason}",
                                                         reason=reason)))
            continue
        except TalentDeskError as exc:
            refused(number, values, raw, exc)
            continue
        # a save may leave warnings (allowed but flagged, e.g. an enrolment outside the plan)
        for notice in session.info.pop("import_notices", None) or ():
            result.notices.append(t("Row {row}: {reason}", row=number, reason=notice))
        if created:
            result.created += 1
        elif writes(session) > before:
            result.updated += 1
        else:
            result.unchanged += 1
        if progress is not None and (i % 100 == 0 or i == total - 1):
            progress(i + 1, total)
    if spec.finish is not None and not result.cancelled:
        rows_by_number = {number: (values, raw) for number, values, raw in parsed}
        for row_no, error in spec.finish(session):
            values, raw = rows_by_number.get(row_no or 0, ({}, {}))
            refused(row_no or 0, values, raw, error)
    # Rows that failed to parse still get their references checked (an unknown programme …),
    # so one round of corrections fixes everything; whatever they wrote is rolled back by the caller.
    # Only references: a rule on several values is judged without the unreadable one (a pass
    # date "needs a passing score" when the score was 'abc'), which would blame a good cell.
    for number, values, raw, bad in partial:
        if result.cancelled:
            break
        try:
            with session.begin_nested():
                spec.save(session, actor, values)
                raise _Discard
        except UnknownReference as exc:
            for key, reason in exc.errors.items():
                if key not in bad and key in values:
                    result.errors.append(err(number, key, raw.get(key, values.get(key)), reason))
        except Exception as exc:  # noqa: BLE001 - incomplete rows are expected to fail further on
            if _fatal(exc):
                raise


def _fatal(exc: BaseException) -> bool:
    """The database failed (or lost the transaction), not the row: the import cannot go on."""
    if isinstance(exc, DatabaseUnavailable | PendingRollbackError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def write_error_report(result: ImportResult, path: Path | str) -> Path:
    """An .xlsx listing every rejected row with column, value and reason."""
    path = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("Errors"))
    ws.freeze_panes = "A2"
    sheets = any(e.sheet for e in result.errors)  # a logbook: which sheet the row is on
    titles = [*([t("Sheet")] if sheets else []), t("Row"), t("Column"), t("Field"), t("Value"), t("Problem")]
    ws.append(xlsx.header_cells(ws, titles))
    data: list[list[object]] = []
    if result.file_error:
        data.append([*([""] if sheets else []), "", "", "", "", result.file_error])
    for e in result.errors:
        value = "" if e.value is None else e.value
        if not isinstance(value, (int, float, str)):
            value = str(value)
        data.append([*([e.sheet] if sheets else []), e.row, e.column, e.header or e.field, value, e.reason])
    last = len(titles) - 1
    for row in data:
        ws.append([xlsx.cell(ws, v, alignment=xlsx.WRAP) if i == last else xlsx.cell(ws, v)
                   for i, v in enumerate(row)])
    xlsx.set_widths(ws, [*([12] if sheets else []), 6, 6, 16, 24, 70])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(len(data) + 1, 2)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def default_error_report_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}.errors.xlsx")


__all__ = ["ImportFileError", "ImportResult", "RowError", "check_file", "default_error_report_path",
           "import_rows", "read_rows", "run_import", "spec_for", "write_error_report"]
