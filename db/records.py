"""Small helpers every service uses: load-for-update with an optimistic-lock check, uniqueness
checks that speak the user's language, and applying a dict of parsed values to a record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast, overload

from sqlalchemy import Table, bindparam, func, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.interfaces import ORMOption

from .audit import _AS_IS, _plain, execute_many, insert_rows, record_rows
from .errors import ConflictError, NotFound, TalentDeskError, ValidationError
from .i18n import t
from .models import AuditAction, Base, _now

M = TypeVar("M", bound=Base)


def get(session: Session, model: type[M], ident: Any, label: str) -> M:
    obj = session.get(model, ident)
    if obj is None:
        raise NotFound(t("{entity} {key} was not found.", entity=label, key=ident))
    return obj


def conflict() -> ConflictError:
    return ConflictError(
        t("This record was changed on another computer after you opened it. Reload it to see the change.")
    )


def get_for_update(session: Session, model: type[M], ident: Any, expected_version: int | None,
                   label: str | None = None, options: Sequence[ORMOption] = ()) -> M:
    """Load a record that a dialog opened at ``expected_version``; refuse if it moved on since.
    ``options`` (loader options) load what the save will look at in the same statement."""
    obj = session.get(model, ident, populate_existing=True, options=options)
    if obj is None:
        raise NotFound(t("{entity} {key} was not found.", entity=label or model.__tablename__, key=ident))
    if expected_version is not None and getattr(obj, "version", None) != expected_version:
        raise conflict()
    return obj


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-lock race into a ConflictError.

    On PostgreSQL the race shows as an UPDATE that matched no row (StaleDataError). (On SQLite a
    transaction that read a record and then writes after another program committed fails with
    SQLITE_BUSY_SNAPSHOT instead, which ``db.failures`` turns into the same ConflictError.)
    """
    try:
        session.flush()
    except StaleDataError as exc:
        raise conflict() from exc


def ensure_unique(session: Session, model: type[M], field: str, value: Any, *, label: str,
                  exclude_id: Any = None, field_label: str | None = None) -> None:
    col = getattr(model, field)
    if isinstance(value, str) and value.lower() != value.upper():
        cond = func.lower(col) == value.lower()  # letters: 'ai-eng' and 'AI-ENG' are the same code
    else:
        cond = col == value  # digits only (a student number): the unique index answers at once
    stmt = select(model.id).where(cond)  # type: ignore[attr-defined]
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)  # type: ignore[attr-defined]
    if session.scalar(stmt.limit(1)) is not None:
        msg = t("{entity} {key} already exists.", entity=label, key=value)
        raise ValidationError(msg, {field: msg})


@overload
def by_key(session: Session, what: type[M], column: Any, value: str) -> M | None: ...
@overload
def by_key(session: Session, what: Any, column: Any, value: str) -> Any: ...
def by_key(session: Session, what: Any, column: Any, value: str) -> Any:
    """The ``what`` (an entity or a column) of the record whose natural key ``column`` is ``value``, or
    None. Exactly first (the unique index answers); a key with letters then in any letter case, since
    ``ensure_unique`` keeps such keys unique whatever their case: a number typed as ``js00005`` names
    the mentor JS00005, as a course code typed in lower case names its course."""
    value = value.strip()
    found = session.scalar(select(what).where(column == value))
    if found is None and value.lower() != value.upper():
        found = session.scalar(select(what).where(func.lower(column) == value.lower()).limit(1))
    return found


def by_keys(session: Session, column: Any, values: Iterable[str], *what: Any) -> dict[str, Any]:
    """``by_key`` for many values at once: the rows (``column`` and ``what``, columns of its table) whose
    natural key is each value (as ``by_key`` finds it), keyed by the value as given; values naming no
    record are left out. One query per 900 values, and one more per 900 lettered values that did not
    match exactly."""
    wanted = {value: value.strip() for value in values}
    exact: dict[str, Any] = {}
    for chunk in chunks(sorted(set(wanted.values()))):
        exact.update((row[0], row) for row in session.execute(select(column, *what).where(column.in_(chunk))))
    lowered = {v.lower() for v in wanted.values() if v not in exact and v.lower() != v.upper()}
    folded: dict[str, Any] = {}
    for chunk in chunks(sorted(lowered)):
        folding = func.lower(column)
        for row in session.execute(select(column, *what, folding.label("_folded")).where(folding.in_(chunk))):
            folded.setdefault(row._folded, row)
    found: dict[str, Any] = {}
    for value, key in wanted.items():
        hit = exact.get(key)
        if hit is None:
            hit = folded.get(key.lower())
        if hit is not None:
            found[value] = hit
    return found


def apply(obj: Base, values: dict[str, Any]) -> bool:
    """Set attributes; return whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def record_to_save(session: Session, model: type[M], key: str, data: dict[str, Any], *, record_id: Any,
                   expected_version: int | None, upsert: bool, label: str,
                   options: Sequence[ORMOption] = ()) -> M | None:
    """The record a create-or-update save changes, or None when it creates one.

    A dialog names the record (``record_id``), checked against the version it opened; an import
    (``upsert``) finds it by its natural ``key``. Either way the key the values carry must stay
    unique (letters compared case-insensitively), excluding the record itself. ``options`` (loader
    options) load the record's references with it, in the same statement (see ``unchanged_reference``).
    """
    obj: M | None = None
    if record_id is not None:
        obj = get_for_update(session, model, record_id, expected_version, label, options)
    elif upsert and data.get(key):
        obj = session.scalars(select(model).where(getattr(model, key) == data[key]).options(*options)).unique().first()
    if key in data and (obj is None or getattr(obj, key) != data[key]):  # an unchanged key is still unique
        ensure_unique(session, model, key, data[key], label=label,
                      exclude_id=obj.id if obj is not None else None)  # type: ignore[attr-defined]
    return obj


def create_or_apply(session: Session, model: type[M], obj: M | None, data: dict[str, Any]) -> tuple[M, bool]:
    """Add a new ``model(**data)`` when ``obj`` is None, else apply ``data`` to it; (record, created)."""
    if obj is None:
        obj = model(**data)
        session.add(obj)
        return obj, True
    apply(obj, data)
    return obj, False


IMPORT_ROW = "import_row"  # session.info: the number of the file's row being imported (set by the import engine)


def set_links(session: Session, model: type[M], owner: str, owner_id: int, other: str, wanted: Iterable[int]) -> bool:
    """Make the link rows of ``model`` (a two-column link table: ``owner`` -> ``other``) for
    ``owner_id`` exactly ``wanted``, through the ORM so that each link added or taken off is audited and
    the links kept are not touched. Returns whether anything changed."""
    wanted = list(dict.fromkeys(wanted))
    have = {getattr(link, other): link for link in session.scalars(
        select(model).where(getattr(model, owner) == owner_id))}
    changed = False
    for key, link in have.items():
        if key not in wanted:
            session.delete(link)
            changed = True
    for key in wanted:
        if key not in have:
            session.add(model(**{owner: owner_id, other: key}))
            changed = True
    return changed


# --------------------------------------------------------------------------- bulk saves (imports)


@dataclass(frozen=True)
class RowOutcome:
    """What a bulk save did with one row: created or updated it, or refused it with ``error``."""

    created: bool = False
    error: TalentDeskError | None = None
    changed: bool = True  # False: the row matched the record as it was (an import says "unchanged")
    notices: tuple[str, ...] = ()  # allowed but flagged (an enrolment outside the plan): said beside the row


_CHUNK = 900  # bound parameters per IN (…) list: well under SQLite's and psycopg's limits
_STAMPS = ("version", "created_at", "updated_at")


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def new_ids(session: Session, table: Any, count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table``, as the database would number them, in one statement: on
    PostgreSQL taken from the id's sequence (so no other computer inserting at the same time can get
    them), on SQLite the next ones above the largest id (SQLite has one writer at a time: a writer that
    committed after this read makes this transaction's write fail, never collide)."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        return sorted(session.scalars(select(func.nextval(sequence)).select_from(func.generate_series(1, count))))
    before = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(before + 1, before + count + 1))


def insert_reading_ids(session: Session, table: Any, rows: list[dict[str, Any]],
                       key: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    """Insert ``rows`` with ids from ``new_ids``; the ids keyed by the values of ``key`` (columns unique
    together). No RETURNING: SQLite would then insert row by row."""
    ids = new_ids(session, table, len(rows))
    insert_rows(session, table, [{**row, "id": rid} for row, rid in zip(rows, ids, strict=True)])
    return {tuple(row[k] for k in key): rid for row, rid in zip(rows, ids, strict=True)}


def save_many(session: Session, model: type[Base], key: str, datas: list[dict[str, Any]],
              outcomes: list[RowOutcome | None], *, label: str,
              check_new: Callable[[dict[str, Any]], TalentDeskError | None] | None = None,
              check_existing: Callable[[dict[str, Any], Any], TalentDeskError | None] | None = None,
              ) -> list[RowOutcome]:
    """``record_to_save(..., upsert=True)`` + ``create_or_apply`` + ``flush`` for many rows at once (the
    bulk import path of a service), with the same checks and messages, in a handful of statements.

    ``datas`` hold column values (references already resolved by the service); ``outcomes`` the
    refusals the service already made (None where a row is fine so far). Existing records are read by
    their natural ``key`` (one query per 900 keys), a key differing only in letter case from another
    record's is refused as ``ensure_unique`` refuses it, and ``check_new`` refuses what a new record
    lacks; ``check_existing`` (data, the record's current columns and version) what a change to an
    existing record may not do. When any row is refused nothing is written and the outcomes say why
    (the caller rolls back); otherwise ``write_many`` writes them.
    Keys are expected to be unique within ``datas`` (the import engine refuses duplicates first).
    """
    table = cast(Table, model.__table__)
    col = table.c[key]
    wanted = [d[key] for i, d in enumerate(datas) if outcomes[i] is None and d.get(key)]
    existing: dict[Any, Any] = {}
    for chunk in chunks(wanted):
        existing.update((r._mapping[key], r) for r in session.execute(current_columns(model).where(col.in_(chunk))))
    # keys with letters are unique whatever their case (ensure_unique): one pass over the others
    lettered = {k.lower(): k for k in wanted if k.lower() != k.upper()}
    clashes: set[str] = set()
    # no index serves lower(key): each IN (…) query reads the whole table, so past one chunk a single
    # read of every key is cheaper than one per chunk
    lowered = select(table.c.id, func.lower(col))
    queries = ([lowered] if len(lettered) > _CHUNK else
               [lowered.where(func.lower(col).in_(chunk)) for chunk in chunks(sorted(lettered))])
    for query in queries:
        for rid, low in session.execute(query):
            if low in lettered:
                own = existing.get(lettered[low])
                if own is None or own.id != rid:
                    clashes.add(low)
    for i, data in enumerate(datas):
        value = data.get(key)
        if outcomes[i] is not None:
            continue
        if value and value.lower() in clashes and value.lower() != value.upper():
            msg = t("{entity} {key} already exists.", entity=label, key=value)
            outcomes[i] = RowOutcome(error=ValidationError(msg, {key: msg}))
        elif check_new is not None and value not in existing:
            error = check_new(data)
            if error is not None:
                outcomes[i] = RowOutcome(error=error)
        elif check_existing is not None and value in existing:
            error = check_existing(data, existing[value])
            if error is not None:
                outcomes[i] = RowOutcome(error=error)
    if any(o is not None for o in outcomes):
        return [o or RowOutcome(created=d.get(key) not in existing) for o, d in zip(outcomes, datas)]
    changed = write_many(session, model, datas, [existing.get(d.get(key)) for d in datas])
    return [RowOutcome(created=d.get(key) not in existing, changed=c) for d, c in zip(datas, changed, strict=True)]


def current_columns(model: type[Base]) -> Any:
    """A SELECT of what ``write_many`` compares a row with: the record's columns and its version."""
    table = cast(Table, model.__table__)
    return select(*(table.c[c.key] for c in inspect(model).column_attrs if c.key not in _STAMPS), table.c.version)


def write_many(session: Session, model: type[Base], datas: list[dict[str, Any]], olds: list[Any]) -> list[bool]:
    """Write many rows checked by a bulk service, as ``create_or_apply`` + ``flush`` writes each: a row
    whose ``olds`` entry is None is inserted (with the columns' defaults, version 1 and timestamps), the
    others (rows of ``current_columns``) updated in what differs (version + 1, checked against the version
    read: a lost race is a ConflictError); one audit row per record, as the flush listener writes it.
    Returns, per row, whether it was written (False: it matched the record as it was)."""
    table = cast(Table, model.__table__)
    columns = [c.key for c in inspect(model).column_attrs if c.key not in _STAMPS]
    now = _now()
    audit: list[tuple[AuditAction, object, dict[str, list[Any]]]] = []
    # every new row gets every column (the column's default where the row has none, as the ORM gives
    # it), so one INSERT serves them all
    blank = {c: _default(table.c[c]) for c in columns if c != "id"}
    inserts = [{**blank, **d, "version": 1, "created_at": now, "updated_at": now}
               for d, old in zip(datas, olds, strict=True) if old is None]
    if inserts:
        ids = new_ids(session, table, len(inserts))
        for p, rid in zip(inserts, ids, strict=True):
            p["id"] = rid
            audit.append((AuditAction.INSERT, rid, {
                k: [None, v if v.__class__ in _AS_IS else _plain(v)] for k in columns if (v := p[k]) is not None}))
        insert_rows(session, table, inserts)
    # changed records, one executemany per set of changed columns
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    written = [True] * len(datas)
    for i, (d, old) in enumerate(zip(datas, olds, strict=True)):
        if old is None:
            continue
        changed = tuple(k for k in columns if k in d and d[k] != getattr(old, k))
        if not changed:
            written[i] = False
            continue
        groups.setdefault(changed, []).append({**{k: d[k] for k in changed}, "_id": old.id,
                                               "_version": old.version, "_new_version": old.version + 1})
        plain = {k: [_plain(getattr(old, k)), _plain(d[k])] for k in changed
                 if _plain(getattr(old, k)) != _plain(d[k])}
        if plain:
            audit.append((AuditAction.UPDATE, old.id, plain))
    for changed, params in groups.items():
        statement = (update(table).where(table.c.id == bindparam("_id"), table.c.version == bindparam("_version"))
                     .values({**{k: bindparam(k) for k in changed}, "version": bindparam("_new_version"),
                              "updated_at": bindparam("_now")}))
        if execute_many(session, statement, [{**p, "_now": now} for p in params]) != len(params):
            raise conflict()
    record_rows(session, model.__tablename__, audit)
    # the ORM may hold some of these records from earlier in the session: let it reload them
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model):
            session.expire(obj)
    return written


def _default(column: Any) -> Any:
    """The value the ORM gives a column a new record leaves unset: its scalar default, else NULL."""
    default = column.default
    return default.arg if default is not None and default.is_scalar else None
