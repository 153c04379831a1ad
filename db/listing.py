"""The list pages' queries: one ``ListSpec`` per page, searched, filtered, sorted and paged in SQL.

The desktop's table models hold a ``ListQuery`` and ask for ``count()`` and pages of rows; they never
build a query themselves. Rows carry only the columns a list shows (column selects, not entities).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import FromClause, Join
from sqlalchemy.sql.util import find_tables

from .actor import Actor
from .errors import PermissionDenied
from .i18n import t
from .labels import change_text, entity_label, label
from .models import (
    AccessLog,
    AuditAction,
    AuditLog,
    Base,
    Course,
    CourseCategory,
    Mentor,
    MentorAssignment,
    MentorQualification,
    MentorRole,
    Organisation,
    Programme,
    ProgrammeCourse,
    Role,
    Student,
    StudentStatus,
    User,
    assignment_active_on,
    local_today,
)
from .permissions import mentee_filter
from .sqltyping import AnySelect, ColumnExpr


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # English; shown through t()
    expr: ColumnExpr
    kind: str = "text"  # text | int | float | date | datetime | enum | bool | percent | json
    width: int = 110
    format: Callable[..., str] | None = None  # a cell's text, when the kinds above do not fit
    # the key of another column of the list whose value ``format`` receives too: format(value, other)
    # (the audit log tells a change in the words of the record's entity)
    context: str = ""

    @property
    def label(self) -> str:
        return t(self.title)


@dataclass(frozen=True)
class Filter:
    key: str
    title: str
    options: Callable[[Session], list[tuple[Any, str]]]  # (value, label)
    apply: Callable[[AnySelect, Any], AnySelect]

    @property
    def label(self) -> str:
        return t(self.title)


@dataclass(frozen=True)
class ListSpec:
    name: str
    columns: tuple[Column, ...]
    id_expr: ColumnExpr
    base: Callable[[Actor], AnySelect]  # FROM/JOIN and scope, without columns
    search: tuple[ColumnExpr, ...]
    filters: tuple[Filter, ...] = ()
    default_sort: str = ""
    default_descending: bool = False
    version_expr: ColumnExpr | None = None
    # Big lists (hundreds of thousands of rows): a FROM without the joins, for counting when no search
    # or filter is applied (one row per id, so count(*) is exact) …
    count_base: Callable[[Actor], AnySelect] | None = None
    # … and the search of one word (a LIKE pattern) as a semi-join on the tables that hold the text,
    # instead of OR-ing LIKEs over every joined row (it may use only the columns of count_base)
    search_where: Callable[[str], ColumnElement[bool]] | None = None
    # … and the same search in the form that counts fastest (every match is read, not a page's worth),
    # when it differs (see in_ids)
    count_search_where: Callable[[str], ColumnElement[bool]] | None = None
    # … and, per sort key whose column lives in a joined table, (that table, its join condition with
    # the listed table): the page's ids are found by reading that table in index order first and only
    # the page's ids are joined to everything else (big lists only, i.e. with count_base)
    sort_drivers: tuple[tuple[str, FromClause | type[Base], ColumnElement[bool]], ...] = ()
    # rows of a page made readable with a query or two for the whole page (the audit log's ids in its
    # changes named), after they are read
    enrich: Callable[[Session, list[ListRow]], list[ListRow]] | None = None

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass
class ListQuery:
    search: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort_key: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class ListRow:
    id: Any
    version: int | None
    values: tuple[Any, ...]


class _Matches(FunctionElement[bool]):
    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition (LIKE), not a value to compare with true
    name = "td_matches"


@compiles(_Matches)
def _matches_default(element: _Matches, compiler: Any, **kw: Any) -> str:
    expr, like = element.clauses.clauses
    return str(compiler.process(expr.ilike(like, escape="\\"), **kw))


@compiles(_Matches, "sqlite")
def _matches_sqlite(element: _Matches, compiler: Any, **kw: Any) -> str:
    expr, like = element.clauses.clauses
    return str(compiler.process(expr.like(like, escape="\\"), **kw))


def matches(expr: ColumnExpr, like: str) -> ColumnElement[bool]:
    """``expr`` matches the LIKE pattern ``like`` (escaped with ``\\``) ignoring case: ILIKE on
    PostgreSQL; on SQLite a plain LIKE, which ignores ASCII case already (and SQLite's lower() folds
    nothing else), so the search does not call lower() twice on every row of a 20,000-row table.
    A pattern without any letter that has case (Chinese, digits) is a plain LIKE on every backend: it
    matches the same rows, and PostgreSQL's ILIKE folds every row's text first (about 8× slower)."""
    if like.lower() == like.upper():
        return expr.like(like, escape="\\")
    return _Matches(expr, like)


class _InIds(FunctionElement[bool]):
    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True
    name = "td_in_ids"


@compiles(_InIds)
def _in_ids_default(element: _InIds, compiler: Any, **kw: Any) -> str:
    col, ids = element.clauses.clauses
    return str(compiler.process(col.in_(ids), **kw))


@compiles(_InIds, "postgresql")
def _in_ids_postgresql(element: _InIds, compiler: Any, **kw: Any) -> str:
    col, ids = element.clauses.clauses
    return f"{compiler.process(col, **kw)} = ANY(ARRAY({compiler.process(ids, asfrom=False, **kw)}))"


def in_ids(col: Any, ids: AnySelect) -> ColumnElement[bool]:
    """``col IN (ids)``, for a big table's indexed column and a few ids found in a small table. On
    PostgreSQL ``col = ANY(ARRAY(ids))``: the ids become one array computed first, so an OR of two
    such conditions is read through both indexes (a BitmapOr) instead of every row of the big table
    being tested against two hashed subqueries (500,000 sessions counted in ~30 ms instead of ~110).
    Used for counting only: a page read in index order tests few rows, which a hashed IN tests faster."""
    return _InIds(col, ids.scalar_subquery())


def _where(spec: ListSpec, actor: Actor, query: ListQuery, stmt: AnySelect, counting: bool = False) -> AnySelect:
    text = query.search.strip()
    if text:
        words = text.split()
        search_where = (spec.count_search_where or spec.search_where) if counting else spec.search_where
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{escaped}%"
            if search_where is not None:
                stmt = stmt.where(search_where(like))
            else:
                stmt = stmt.where(or_(*[matches(expr, like) for expr in spec.search]))
    for f in spec.filters:
        value = query.filters.get(f.key)
        if value is not None and value != "":
            stmt = f.apply(stmt, value)
    return stmt


def count(session: Session, actor: Actor, spec: ListSpec, query: ListQuery) -> int:
    filtered = any(v is not None and v != "" for v in query.filters.values())
    if spec.count_base is not None and not filtered and (spec.search_where is not None or not query.search.strip()):
        stmt = _where(spec, actor, query, spec.count_base(actor).with_only_columns(func.count()), counting=True)
        return int(session.scalar(stmt) or 0)
    stmt = _where(spec, actor, query, spec.base(actor).with_only_columns(func.count(spec.id_expr.distinct())))
    return int(session.scalar(stmt) or 0)


def contains(session: Session, actor: Actor, spec: ListSpec, query: ListQuery, record_id: Any) -> bool:
    """Whether the list as searched and filtered shows record ``record_id`` (a record just saved)."""
    stmt = _where(spec, actor, query, spec.base(actor).where(spec.id_expr == record_id).with_only_columns(spec.id_expr))
    return session.scalar(stmt.limit(1)) is not None


class DrivingJoin(Join):
    """An inner join whose left side the database should read first: SQLite's planner never reorders
    a ``CROSS JOIN``, so walking the left table's index gives the rows already in order and a LIMIT
    stops early; PostgreSQL (where ``CROSS JOIN … ON`` is not valid) plans the same join itself."""

    inherit_cache = True


@compiles(DrivingJoin, "sqlite")
def _driving_join_sqlite(join: DrivingJoin, compiler: Any, **kw: Any) -> str:
    kw.pop("asfrom", None)
    linter = kw.pop("from_linter", None)
    if linter:
        linter.edges.update((a, b) for a in join.left._from_objects for b in join.right._from_objects)
    return (join.left._compiler_dispatch(compiler, asfrom=True, from_linter=linter, **kw) + " CROSS JOIN "
            + join.right._compiler_dispatch(compiler, asfrom=True, from_linter=linter, **kw) + " ON "
            + _on(join)._compiler_dispatch(compiler, from_linter=linter, **kw))


def _on(join: Join) -> ColumnElement[bool]:
    assert join.onclause is not None  # a DrivingJoin is always made with its ON condition
    return join.onclause


_OUTER_JOINED: dict[tuple[int, Any], frozenset[FromClause]] = {}  # see _outer_joined


def _outer_joined(stmt: AnySelect, spec: ListSpec) -> frozenset[FromClause]:
    """The tables (and aliases) on the optional side of an outer join in ``stmt``'s FROM (``spec``'s base
    query). Remembered per list and statement structure (its cache key, not its parameter values):
    ``get_final_froms`` compiles the whole statement to find its FROM list, which cost more than reading
    a page, and every page of a list asks it again of the same base query."""
    cache_key = stmt._generate_cache_key()
    if cache_key is None:
        return frozenset(_find_outer_joined(stmt))
    memo = (id(spec), cache_key.key)
    known = _OUTER_JOINED.get(memo)
    if known is None:
        known = frozenset(_find_outer_joined(stmt))
        if len(_OUTER_JOINED) >= 512:  # a few per list and scope: never grows without bound
            _OUTER_JOINED.clear()
        _OUTER_JOINED[memo] = known
    return known


def _find_outer_joined(stmt: AnySelect) -> set[FromClause]:
    out: set[FromClause] = set()

    def walk(f: Any) -> None:
        if isinstance(f, Join):
            walk(f.left)
            walk(f.right)
            if f.isouter:
                out.update(find_tables(f.right, include_aliases=True))
                if f.full:
                    out.update(find_tables(f.left, include_aliases=True))

    for f in stmt.get_final_froms():
        walk(f)
    return out


def _never_null(expr: ColumnExpr, base: AnySelect, spec: ListSpec) -> bool:
    """``expr`` is a NOT NULL column of a table every row of ``base`` (``spec``'s) joins (not outer-joined)."""
    col = getattr(expr, "expression", expr)
    return (isinstance(col, ColumnClause) and getattr(col, "nullable", True) is False
            and col.table is not None and col.table not in _outer_joined(base, spec))


def _order(spec: ListSpec, query: ListQuery, base: AnySelect,
           reverse: bool = False) -> tuple[str, list[ColumnExpr]]:
    """The list's ORDER BY: the sort column, then the id so that the order is total. ``reverse`` gives
    that exact order backwards (NULLs move to the other end with the direction)."""
    key = query.sort_key or spec.default_sort or spec.columns[0].key
    descending = query.descending if query.sort_key else spec.default_descending
    descending ^= reverse
    expr = spec.column(key).expr
    if _never_null(expr, base, spec):
        # no NULLS FIRST/LAST on a column that holds no NULL: the same order, and PostgreSQL (whose
        # default puts NULLs last ascending, first descending) can then read it from the column's index
        order = expr.desc() if descending else expr.asc()
    else:
        order = expr.desc().nulls_last() if descending else expr.asc().nulls_first()
    return key, [order, spec.id_expr.desc() if descending else spec.id_expr]


def _page_ids(spec: ListSpec, actor: Actor, query: ListQuery, key: str) -> AnySelect:
    """A big list's page as ids only, from as few tables as the sort, search and filters need."""
    assert spec.count_base is not None
    filtered = any(v is not None and v != "" for v in query.filters.values())
    searched = bool(query.search.strip())
    if filtered or (searched and spec.search_where is None):
        stmt = spec.base(actor)  # filters and plain searches may name any joined table
    else:
        stmt = spec.count_base(actor)
        listed = spec.id_expr.expression.table
        driver = next(((table, on) for k, table, on in spec.sort_drivers if k == key), None)
        if driver is not None:
            # select_from keeps the listed table once: the join hides the bare FROM it repeats. A
            # search leaves the join order to the planner: the matches may be few, found by index
            join = Join(listed, driver[0], driver[1]) if searched else DrivingJoin(driver[0], listed, driver[1])
            stmt = stmt.select_from(join)
        elif not set(find_tables(spec.column(key).expr.expression, check_columns=True,
                                 include_aliases=True)) <= {listed}:
            stmt = spec.base(actor)
    return _where(spec, actor, query, stmt.with_only_columns(spec.id_expr)).correlate(None)


def fetch(session: Session, actor: Actor, spec: ListSpec, query: ListQuery, offset: int = 0,
          limit: int | None = 200, total: int | None = None) -> list[ListRow]:
    """Rows ``offset`` … ``offset + limit`` of the list in its order (``limit=None``: all of them, in one
    statement; the export reads the whole list so). Given ``total`` (the list's count),
    a page nearer the end is read from the end, in the reversed order: OFFSET makes the database step
    over every row before the page, so the last page of 500,000 sessions costs as little as the first,
    and no page costs more than the middle one."""
    cols = _row_columns(spec)
    base = spec.base(actor)
    key, order = _order(spec, query, base)
    page_order, skip, take = order, offset, limit
    if limit is not None and total is not None and offset > total - offset - limit:
        _, page_order = _order(spec, query, base, reverse=True)
        skip, take = max(0, total - offset - limit), min(limit, total - offset)
        if take <= 0:
            return []
    if spec.count_base is not None:
        # a big list: sort and page the ids in as few tables as possible, then read the page's rows
        ids = _page_ids(spec, actor, query, key)
        if limit is not None:
            ids = ids.order_by(*page_order).offset(skip).limit(take)
        stmt = base.with_only_columns(*cols).where(spec.id_expr.in_(ids)).order_by(*order)
    else:
        stmt = _where(spec, actor, query, base.with_only_columns(*cols)).order_by(*page_order)
        if limit is not None:
            stmt = stmt.offset(skip).limit(take)
    rows = [_list_row(spec, r) for r in session.execute(stmt)]
    if spec.count_base is None and page_order is not order:
        rows.reverse()
    return spec.enrich(session, rows) if spec.enrich is not None and rows else rows


def first_page(session: Session, actor: Actor, spec: ListSpec, query: ListQuery, limit: int = 200
               ) -> tuple[int, list[ListRow]]:
    """The list's count and its first ``limit`` rows (what a list shows first, after a search, a sort or a
    filter). A small list (no ``count_base``) is read and sorted whole by the database for any page: its count
    comes with the page, from a window over the same rows (one statement: no second pass over the joins, no
    second round trip) when the database works out every row of it for the first page anyway: sorted by a
    computed value (the no-contact list by each row's last session, the workload by free places). Otherwise (a
    column's order, which an index may give, the LIMIT stopping early; the window would also work out every
    row's columns, the audit log's record names among them, where the page works out 200) and for a big list
    (its lean count statement), it is counted, then paged."""
    base = spec.base(actor)
    key, order = _order(spec, query, base)
    sort = getattr(spec.column(key).expr, "expression", spec.column(key).expr)
    if spec.count_base is not None or (isinstance(sort, ColumnClause) and sort.table is not None):
        total = count(session, actor, spec, query)
        return total, fetch(session, actor, spec, query, 0, limit, total=total) if total else []
    stmt = (_where(spec, actor, query, base.with_only_columns(*_row_columns(spec), func.count().over()))
            .order_by(*order).limit(limit))
    found = session.execute(stmt).all()
    if not found:
        return 0, []
    rows = [_list_row(spec, r[:-1]) for r in found]
    return int(found[0][-1]), spec.enrich(session, rows) if spec.enrich is not None else rows


def _row_columns(spec: ListSpec) -> list[ColumnExpr]:
    """What a list reads for a row: its id, its version (the id again when it has none), its columns."""
    version = spec.version_expr if spec.version_expr is not None else spec.id_expr
    return [spec.id_expr, version, *(c.expr for c in spec.columns)]


def _list_row(spec: ListSpec, r: Sequence[Any]) -> ListRow:
    return ListRow(r[0], r[1] if spec.version_expr is not None else None, tuple(r[2:]))


def cell_text(spec: ListSpec, values: Sequence[Any], index: int) -> str:
    """The text of cell ``index`` of a row's ``values`` (what the desktop's table models show and the
    Excel export writes), with its column's context when it has one."""
    col = spec.columns[index]
    if col.context:
        keys = [c.key for c in spec.columns]
        return display(col, values[index], values[keys.index(col.context)])
    return display(col, values[index])


def display(col: Column, value: Any, context: Any = None) -> str:
    """A cell's text; ``context``: the value of the column ``col.context`` names in the same row."""
    if col.format is not None:
        return col.format(value, context) if col.context else col.format(value)
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return label(value)
    if col.kind == "bool":
        return t("Yes") if value else t("No")
    if col.kind == "percent":
        return f"{value * 100:.1f}%"
    if col.kind == "float":
        return f"{value:g}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if col.kind == "roles" and isinstance(value, str):
        return "、".join(label(MentorRole(v)) for v in value.split(",") if v)
    return str(value)


def _enum_options(enum_cls: type[enum.Enum]) -> Callable[[Session], list[tuple[Any, str]]]:
    return lambda _s: [(m, label(m)) for m in enum_cls]


def _programme_options(session: Session) -> list[tuple[Any, str]]:
    return [(pid, f"{code} {name}") for pid, code, name in
            session.execute(select(Programme.id, Programme.code, Programme.name).order_by(Programme.code))]


def _cohort_options(session: Session) -> list[tuple[Any, str]]:
    return [(c, str(c)) for (c,) in session.execute(select(Student.cohort).distinct().order_by(Student.cohort.desc()))]


# --------------------------------------------------------------------------- students

_home = aliased(Organisation)
_today_mentors = (
    select(func.count(MentorAssignment.id))
    .where(MentorAssignment.student_id == Student.id, assignment_active_on(local_today()))
    .correlate(Student)
    .scalar_subquery()
)


def _students_base(actor: Actor) -> AnySelect:
    stmt = select(Student.id).select_from(Student).join(Programme, Student.programme_id == Programme.id).outerjoin(
        _home, Student.home_university_id == _home.id)
    if actor.is_mentor:
        stmt = stmt.where(mentee_filter(actor, Student.id))
    return stmt


STUDENTS = ListSpec(
    name="students",
    columns=(
        Column("student_no", "Student no.", Student.student_no, width=110),
        Column("name", "Name", Student.name, width=90),
        Column("cohort", "Cohort", Student.cohort, "int", 60),
        Column("programme", "Programme", Programme.name, width=200),
        Column("gender", "Gender", Student.gender, "enum", 50),
        Column("status", "Status", Student.status, "enum", 70),
        Column("home_university", "Home university", _home.name, width=140),
        Column("enrolled_on", "Enrolled on", Student.enrolled_on, "date", 90),
        Column("mentors", "Mentors now", _today_mentors, "int", 80),
        Column("phone", "Mobile", Student.phone, width=110),
    ),
    id_expr=Student.id,
    version_expr=Student.version,
    base=_students_base,
    search=(Student.student_no, Student.name, Student.phone, Student.email, Programme.code, Programme.name),
    filters=(
        Filter("status", "Status", _enum_options(StudentStatus), lambda s, v: s.where(Student.status == v)),
        Filter("cohort", "Cohort", _cohort_options, lambda s, v: s.where(Student.cohort == v)),
        Filter("programme", "Programme", _programme_options, lambda s, v: s.where(Student.programme_id == v)),
    ),
    default_sort="student_no",
)


# --------------------------------------------------------------------------- mentors

_roles = (
    select(func.aggregate_strings(MentorQualification.role, ","))
    .where(MentorQualification.mentor_id == Mentor.id)
    .correlate(Mentor)
    .scalar_subquery()
)
_capacity = (
    select(func.sum(MentorQualification.capacity))
    .where(MentorQualification.mentor_id == Mentor.id)
    .correlate(Mentor)
    .scalar_subquery()
)
# students a mentor holds today (DESIGN section 6's "active on day d", as the capacity rule counts them:
# an assignment ending next month still counts, one starting next month not yet)
_load = (
    select(func.count(MentorAssignment.id))
    .where(MentorAssignment.mentor_id == Mentor.id, assignment_active_on(local_today()))
    .correlate(Mentor)
    .scalar_subquery()
)


def _mentors_base(actor: Actor) -> AnySelect:
    stmt = select(Mentor.id).select_from(Mentor).join(Organisation, Mentor.organisation_id == Organisation.id)
    if actor.is_mentor:
        stmt = stmt.where(Mentor.id == actor.mentor_id)
    return stmt


def _role_filter(stmt: AnySelect, role: MentorRole) -> AnySelect:
    return stmt.where(Mentor.qualifications.any(MentorQualification.role == role))


MENTORS = ListSpec(
    name="mentors",
    columns=(
        Column("staff_no", "Staff no.", Mentor.staff_no, width=90),
        Column("name", "Name", Mentor.name, width=80),
        Column("organisation", "Organisation", Organisation.name, width=180),
        Column("title", "Title", Mentor.title, width=100),
        Column("roles", "Roles", _roles, "roles", 160),
        Column("capacity", "Capacity", _capacity, "int", 70),
        Column("load", "Active mentees", _load, "int", 90),
        Column("active", "Enabled", Mentor.active, "bool", 50),
        Column("phone", "Mobile", Mentor.phone, width=110),
    ),
    id_expr=Mentor.id,
    version_expr=Mentor.version,
    base=_mentors_base,
    search=(Mentor.staff_no, Mentor.name, Organisation.name, Mentor.title, Mentor.phone),
    filters=(Filter("role", "Roles", _enum_options(MentorRole), _role_filter),
             Filter("active", "Enabled", lambda _s: [(True, t("Yes")), (False, t("No"))],
                    lambda s, v: s.where(Mentor.active == v))),
    default_sort="staff_no",
)


# --------------------------------------------------------------------------- programmes and courses

# a programme's courses in its plan, and its active students (the students list filtered by the
# programme and 在读 shows exactly these)
PLAN_COURSES = (
    select(func.count(ProgrammeCourse.id)).where(ProgrammeCourse.programme_id == Programme.id)
    .correlate(Programme).scalar_subquery()
)
ACTIVE_STUDENTS = (
    select(func.count(Student.id)).where(Student.programme_id == Programme.id, Student.status == StudentStatus.ACTIVE)
    .correlate(Programme).scalar_subquery()
)
_plan_count, _student_count = PLAN_COURSES, ACTIVE_STUDENTS


def _admin_or_viewer(actor: Actor, stmt: AnySelect) -> AnySelect:
    return stmt.where(false()) if actor.is_mentor else stmt


PROGRAMMES = ListSpec(
    name="programmes",
    columns=(
        Column("code", "Code", Programme.code, width=90),
        Column("name", "Programme name", Programme.name, width=240),
        Column("target_share", "Target share", Programme.target_share, "percent", 100),
        Column("tolerance", "Tolerance", Programme.tolerance, "percent", 70),
        Column("transfer_cap", "Recognised credit cap", Programme.transfer_cap, "float", 110),
        Column("courses", "No. of courses", _plan_count, "int", 70),
        Column("students", "No. of students", _student_count, "int", 70),
    ),
    id_expr=Programme.id,
    version_expr=Programme.version,
    base=lambda actor: _admin_or_viewer(actor, select(Programme.id).select_from(Programme)),
    search=(Programme.code, Programme.name),
    default_sort="code",
)

_provider = aliased(Organisation)
_partner = aliased(Organisation)
_in_plans = (
    select(func.count(ProgrammeCourse.id)).where(ProgrammeCourse.course_id == Course.id)
    .correlate(Course).scalar_subquery()
)

COURSES = ListSpec(
    name="courses",
    columns=(
        Column("code", "Code", Course.code, width=90),
        Column("name", "Course name", Course.name, width=220),
        Column("credits", "Credits", Course.credits, "float", 60),
        Column("category", "Category", Course.category, "enum", 70),
        Column("hours", "Hours", Course.hours, "int", 60),
        Column("provider", "Taught by", _provider.name, width=160),
        Column("partner", "Co-building company", _partner.name, width=160),
        Column("plans", "In plans", _in_plans, "int", 80),
    ),
    id_expr=Course.id,
    version_expr=Course.version,
    base=lambda actor: _admin_or_viewer(
        actor,
        select(Course.id).select_from(Course)
        .outerjoin(_provider, Course.provider_id == _provider.id)
        .outerjoin(_partner, Course.partner_id == _partner.id),
    ),
    search=(Course.code, Course.name, _provider.name, _partner.name),
    filters=(
        Filter("category", "Category", _enum_options(CourseCategory), lambda s, v: s.where(Course.category == v)),
        Filter("programme", "Programme", _programme_options,
               lambda s, v: s.where(Course.id.in_(select(ProgrammeCourse.course_id)
                                                 .where(ProgrammeCourse.programme_id == v)))),
    ),
    default_sort="code",
)


# --------------------------------------------------------------------------- users and logs (administrators)


def _admin_only(actor: Actor, stmt: AnySelect) -> AnySelect:
    if not actor.is_admin:
        raise PermissionDenied(t("Only an administrator can do this."))
    return stmt


_linked = aliased(Mentor)


# The logs store what happened as a key; the lists show it in words (a key not listed shows as stored)
AUDIT_ACTIONS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}
ACCESS_ACTIONS = {"login": "Signed in", "logout": "Signed out", "login_failed": "Wrong password",
                  "login_locked": "Refused: account locked", "login_refused": "Refused: account disabled",
                  "view_student": "Opened a student",
                  "export": "Exported", "import": "Imported", "report_student": "Printed a student's record"}


def _action_text(names: dict[str, str]) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        key = getattr(value, "value", value)
        return "" if key is None else t(names[key]) if key in names else str(key)
    return text


def _lock_text(until: dt.datetime | None) -> str:
    """A lock that has run out is no lock: the column stays empty (the next sign-in clears it)."""
    if until is None or until <= dt.datetime.now():
        return ""
    return until.strftime("%Y-%m-%d %H:%M")


USERS = ListSpec(
    name="users",
    columns=(
        Column("username", "User name", User.username, width=110),
        Column("display_name", "Display name", User.display_name, width=110),
        Column("role", "Role", User.role, "enum", 90),
        Column("mentor", "Linked mentor", _linked.name, width=100),
        Column("active", "Enabled", User.active, "bool", 50),
        Column("last_login_at", "Last sign-in", User.last_login_at, "datetime", 130),
        Column("locked_until", "Locked until", User.locked_until, "datetime", 130, format=_lock_text),
    ),
    id_expr=User.id,
    version_expr=User.version,
    base=lambda actor: _admin_only(actor, select(User.id).select_from(User).outerjoin(
        _linked, User.mentor_id == _linked.id)),
    search=(User.username, User.display_name, _linked.name),
    filters=(Filter("role", "Role", _enum_options(Role), lambda s, v: s.where(User.role == v)),),
    default_sort="username",
)

# --------------------------------------------------------------------------- periods (date-range filters)

PERIODS = (("7d", "Last 7 days"), ("30d", "Last 30 days"), ("this_q", "This quarter"),
           ("last_q", "Last quarter"), ("this_y", "This year"), ("last_y", "Last year"))


def period_bounds(key: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days [start, end) a period filter means, counted from ``today``."""
    day = today or dt.date.today()
    q_start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if key == "7d":
        return day - dt.timedelta(days=6), day + dt.timedelta(days=1)
    if key == "30d":
        return day - dt.timedelta(days=29), day + dt.timedelta(days=1)
    if key == "this_q":
        return q_start, day + dt.timedelta(days=1)
    if key == "last_q":
        prev = q_start - dt.timedelta(days=1)
        return dt.date(prev.year, (prev.month - 1) // 3 * 3 + 1, 1), q_start
    if key == "this_y":
        return dt.date(day.year, 1, 1), day + dt.timedelta(days=1)
    if key == "last_y":
        return dt.date(day.year - 1, 1, 1), dt.date(day.year, 1, 1)
    raise ValueError(key)


def period_filter(col: Any, datetimes: bool = False) -> Filter:
    """A 时间范围 filter on ``col`` (a date, or with ``datetimes`` a timestamp column)."""
    def apply(stmt: AnySelect, key: Any) -> AnySelect:
        start, end = period_bounds(str(key))
        if datetimes:
            return stmt.where(col >= dt.datetime.combine(start, dt.time()), col < dt.datetime.combine(end, dt.time()))
        return stmt.where(col >= start, col < end)
    return Filter("period", "Period", lambda _s: [(k, t(title)) for k, title in PERIODS], apply)


# --------------------------------------------------------------------------- the audit log in people's words

# tables whose records belong to one student (their student_id), and to one mentor (their mentor_id)
_STUDENT_TABLES = ("mentoring_sessions", "tasks", "enrolments", "mentor_assignments", "transfer_requests")
_MENTOR_TABLES = ("mentoring_sessions", "tasks", "mentor_assignments", "mentor_qualifications")


def _owner_id(owner: str, tables: Sequence[str]) -> ColumnElement[Any]:
    """The student (``owner`` "student_id") or mentor ("mentor_id") an audit row's record belongs to:
    from the record itself while it exists, else from the values the row logged (a deleted record's
    old values, a new one's new values)."""
    from .models import Base

    rid = cast(AuditLog.entity_id, Integer)
    # correlate(AuditLog): nested inside another subquery, these would otherwise read audit_log afresh
    live = case(*((AuditLog.entity == name, select(Base.metadata.tables[name].c[owner]).where(
        Base.metadata.tables[name].c.id == rid).correlate(AuditLog).scalar_subquery()) for name in tables),
        else_=None)
    return func.coalesce(live, AuditLog.changes[(owner, 0)].as_integer(), AuditLog.changes[(owner, 1)].as_integer())


def _person(model: Any, no: Any, pid: ColumnElement[Any]) -> ColumnElement[Any]:
    return select(model.name + "（" + no + "）").where(model.id == pid).correlate(AuditLog).scalar_subquery()


def _record_label() -> ColumnElement[Any]:
    """The audit row's record as people name it: 王梓涵（2025010001） for a student or anything of theirs
    (a session, a task, an enrolment …), 陈建国（HW0001） for a mentor; otherwise its number."""
    rid = cast(AuditLog.entity_id, Integer)
    return case(
        (AuditLog.entity == "students", _person(Student, Student.student_no, rid)),
        (AuditLog.entity == "mentors", _person(Mentor, Mentor.staff_no, rid)),
        (AuditLog.entity.in_(_STUDENT_TABLES), _person(Student, Student.student_no,
                                                       _owner_id("student_id", _STUDENT_TABLES))),
        (AuditLog.entity == "mentor_qualifications", _person(Mentor, Mentor.staff_no,
                                                             _owner_id("mentor_id", ("mentor_qualifications",)))),
        else_=None)


def _audit_search(like: str) -> ColumnElement[bool]:
    """A word of the audit log's search: the user, the record's number, or a student's or mentor's
    number or name — then every change to that person's record and to what belongs to them (sessions,
    tasks, enrolments, assignments, requests), deleted records included."""
    students = select(Student.id).where(or_(matches(Student.student_no, like), matches(Student.name, like)))
    mentors = select(Mentor.id).where(or_(matches(Mentor.staff_no, like), matches(Mentor.name, like)))
    # the record's number compared as text: an AND does not stop PostgreSQL from casting another
    # table's composite key ("3/5") to a number first
    return or_(
        matches(AuditLog.username, like), matches(AuditLog.entity_id, like),
        and_(AuditLog.entity == "students",
             AuditLog.entity_id.in_(students.with_only_columns(cast(Student.id, String)))),
        and_(AuditLog.entity == "mentors", AuditLog.entity_id.in_(mentors.with_only_columns(cast(Mentor.id, String)))),
        and_(AuditLog.entity.in_(_STUDENT_TABLES), _owner_id("student_id", _STUDENT_TABLES).in_(students)),
        and_(AuditLog.entity.in_(_MENTOR_TABLES), _owner_id("mentor_id", _MENTOR_TABLES).in_(mentors)),
    )


def _name_ids(session: Session, rows: list[ListRow]) -> list[ListRow]:
    """The students and mentors an audit row's changes name by id (学生：#2000) named as people name
    them (学生：王梓涵（2025010001）): two queries for the page, whatever its size."""
    changes_at = [c.key for c in AUDIT.columns].index("changes")
    wanted: dict[str, set[int]] = {"student_id": set(), "mentor_id": set()}
    for row in rows:
        changes = row.values[changes_at]
        if isinstance(changes, dict):
            for key, ids in wanted.items():
                pair = changes.get(key)
                if isinstance(pair, list):
                    ids.update(v for v in pair if isinstance(v, int))
    names: dict[str, dict[int, str]] = {"student_id": {}, "mentor_id": {}}
    for key, model, no in (("student_id", Student, Student.student_no), ("mentor_id", Mentor, Mentor.staff_no)):
        id_list = sorted(wanted[key])
        for chunk in (id_list[i:i + 900] for i in range(0, len(id_list), 900)):
            names[key].update((i, f"{name}（{code}）") for i, name, code in session.execute(
                select(model.id, model.name, no).where(model.id.in_(chunk))))
    if not any(names.values()):
        return rows
    out = []
    for row in rows:
        changes = row.values[changes_at]
        if isinstance(changes, dict) and any(k in changes for k in names):
            changes = {k: ([names[k].get(v, v) if isinstance(v, int) else v for v in pair]
                           if k in names and isinstance(pair, list) else pair) for k, pair in changes.items()}
            values = list(row.values)
            values[changes_at] = changes
            row = ListRow(row.id, row.version, tuple(values))
        out.append(row)
    return out


AUDIT = ListSpec(
    name="audit",
    columns=(
        Column("at", "Time", AuditLog.at, "datetime", 130),
        Column("username", "User", AuditLog.username, width=90),
        Column("action", "Action", AuditLog.action, "text", 60, format=_action_text(AUDIT_ACTIONS)),
        Column("entity", "Entity", AuditLog.entity, width=120, format=entity_label),
        Column("entity_id", "Record", func.coalesce(_record_label(), "#" + AuditLog.entity_id), width=150),
        Column("changes", "Changes", AuditLog.changes, "json", 500, format=change_text, context="entity"),
    ),
    id_expr=AuditLog.id,
    base=lambda actor: _admin_only(actor, select(AuditLog.id).select_from(AuditLog)),
    search=(AuditLog.username, AuditLog.entity, AuditLog.entity_id),
    search_where=_audit_search,
    enrich=_name_ids,
    filters=(
        Filter("action", "Action", lambda _s: [(a.value, t(AUDIT_ACTIONS[a.value])) for a in AuditAction],
               lambda s, v: s.where(AuditLog.action == v)),
        Filter("entity", "Entity", lambda session: [(e, entity_label(e)) for (e,) in session.execute(
            select(AuditLog.entity).distinct().order_by(AuditLog.entity))],
            lambda s, v: s.where(AuditLog.entity == v)),
        period_filter(AuditLog.at, datetimes=True),
        # one record's entries, (table, id): a record dialog's 修改历史 (no options: set, never chosen)
        Filter("record", "Record", lambda _s: [],
               lambda s, v: s.where(AuditLog.entity == v[0], AuditLog.entity_id == str(v[1]))),
    ),
    default_sort="at",
    default_descending=True,
)

ACCESS = ListSpec(
    name="access",
    columns=(
        Column("at", "Time", AccessLog.at, "datetime", 130),
        Column("username", "User", AccessLog.username, width=100),
        Column("action", "Action", AccessLog.action, width=130, format=_action_text(ACCESS_ACTIONS)),
        Column("entity", "Entity", AccessLog.entity, width=90, format=entity_label),
        Column("entity_id", "Record", AccessLog.entity_id, width=70),
        Column("detail", "Detail", AccessLog.detail, width=300),
    ),
    id_expr=AccessLog.id,
    base=lambda actor: _admin_only(actor, select(AccessLog.id).select_from(AccessLog)),
    search=(AccessLog.username, AccessLog.action, AccessLog.entity_id, AccessLog.detail),
    filters=(period_filter(AccessLog.at, datetimes=True),),
    default_sort="at",
    default_descending=True,
)

def export_rows(session: Session, actor: Actor, spec: ListSpec, query: ListQuery) -> Sequence[ListRow]:
    """Every row of the current query (for Excel export), in its order, read in one statement: pages
    of OFFSET … LIMIT made each page step over all the rows before it (300,000 enrolments: 14 s)."""
    return fetch(session, actor, spec, query, 0, None)

