"""Hypothesis fuzzing of every import KIND (issue 9): random rows — random text, full-width
characters, control characters, formulas, huge numbers, empty cells, wrong types, mixed with valid
values so that rows reach the services — never raise, and an import that does not commit leaves the
database exactly as it was (every table's row count and version sum unchanged).

The rows go straight to ``forms.importer.import_rows`` (the half of ``run_import`` after the file is
read), so no xlsx is written per example. Each backend runs 500 examples per KIND (PostgreSQL's types
are the stricter: lengths, integer ranges, NUL characters).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from conftest import filled_once  # type: ignore[import-not-found]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer
from suiteprofile import scaled

from db.actor import cli_actor
from db.models import Base
from forms.importer import ImportResult, import_rows
from forms.specs import SPECS

EXAMPLES = scaled(500, 16)  # per KIND, on each backend (suiteprofile: 500 in CI)

# dependency order; the specs' own template examples plus the rows they refer to form the baseline
ORDER = ["programmes", "courses", "programme-courses", "universities", "external-courses", "equivalences",
         "students", "mentors", "mentor-assignments", "sessions", "assignments", "transfers", "enrolments",
         "projects", "companies"]
EXTRA: dict[str, list[dict[str, Any]]] = {
    "students": [{"student_no": "2025010002", "name": "李子轩", "cohort": 2025, "programme": "AI-ENG"}],
    "mentors": [{"staff_no": "CQU0001", "name": "周敏", "organisation": "重庆大学", "roles": "学术、学业"}],
    "mentor-assignments": [{"student_no": "2025010001", "staff_no": "CQU0001", "role": "学术", "start": "2025-09-15"}],
}

# the key field of a KIND that a new value may take (so rows create records, not only update them)
FRESH_KEY = {"students": "student_no", "mentors": "staff_no", "programmes": "code", "courses": "code",
             "universities": "code", "external-courses": "code", "sessions": "topic", "assignments": "title",
             "projects": "code"}

FORMULAS = ["=cmd|' /C calc'!A0", "=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x","点我")',
            "=WEBSERVICE(\"http://x\")"]
INVISIBLE = ["\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85", "\u200b", "\ufeff", "\u3000", "\x00\x00"]
FULL_WIDTH = "０１２３４５６７８９ＡＢＣＸＹＺａｂｃ－／．，、：（）　年月日％＋＝＠"


def _pool() -> list[Any]:
    values: set[str] = set()
    for spec in SPECS.values():
        for ex in (*spec.examples, *EXTRA.get(spec.kind, [])):
            values.update(str(v) for v in ex.values() if v not in (None, ""))
    values.update(["2025/9/1", "2025年9月1日", "2025-2026-1", "优", "不及格", "是", "否", "学术、产业、学业", "0.5",
                   "50%", "１３８１２３４５６７８", "ＡＩ－ＥＮＧ", "2025０1０001", "已评阅", "通过", "驳回", "待审"])
    return sorted(values)


POOL = _pool()

cells = st.one_of(
    st.sampled_from(POOL),
    st.sampled_from([None, "", " ", "\u3000", "\t"]),
    st.text(max_size=40),  # any unicode, control characters included
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=6),  # nothing but control characters
    st.text(alphabet=FULL_WIDTH, max_size=20),
    st.sampled_from(FORMULAS),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**20, 1e308, -1e-308, 0.1 + 0.2]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.times(),
    st.text(min_size=200, max_size=400),  # too long for any column
    # a valid value with an invisible character inside (a NUL PostgreSQL refuses, a \x01 no xlsx holds)
    st.builds(lambda v, c, i: v[:i] + c + v[i:], st.sampled_from(POOL),
              st.sampled_from(INVISIBLE),
              st.integers(0, 3)),
)


def _fingerprint_sql() -> str:
    parts = []
    for table in Base.metadata.sorted_tables:
        parts.append(f"(SELECT count(*) FROM {table.name})")
        if "version" in table.c and isinstance(table.c.version.type, Integer):
            parts.append(f"(SELECT coalesce(sum(version), 0) FROM {table.name})")
    return "SELECT " + ", ".join(parts)


FINGERPRINT = _fingerprint_sql()


def _fingerprint(session: Any) -> tuple[Any, ...]:
    """Row count and version sum of every table: any insert, update or delete changes it."""
    return tuple(session.connection().exec_driver_sql(FINGERPRINT).one())


def _baseline(db: Any, order: list[str] = ORDER) -> None:
    admin = cli_actor()
    for kind in order:
        spec = SPECS[kind]
        header = tuple(f.key for f in spec.fields)
        rows = [(i + 2, tuple(ex.get(k) for k in header))
                for i, ex in enumerate((*spec.examples, *EXTRA.get(kind, [])))]
        result = import_rows(db.factory, admin, kind, header, rows)
        assert result.committed, (kind, [str(e) for e in result.errors], result.file_error)


@st.composite
def sheets(draw: st.DrawFn, kind: str) -> tuple[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]], bool]:
    """A header (keys or Chinese/English labels, any order, maybe an unknown or missing column) and
    1–4 rows: the template example with a new natural key, and a few cells (none to all) replaced by
    something hostile. Few draws per example keep 500 examples a KIND fast."""
    spec = SPECS[kind]
    fields = list(draw(st.permutations(spec.fields)))
    if draw(st.integers(0, 9)) == 0:  # sometimes a column is missing
        del fields[draw(st.integers(0, len(fields) - 1))]
    style = draw(st.sampled_from(["key", "zh", "en", "zh*", "mixed"]))
    header: list[Any] = []
    for i, f in enumerate(fields):
        s = style if style != "mixed" else ("key", "zh", "en", "zh*")[i % 4]
        header.append({"key": f.key, "zh": f.zh, "en": f.en, "zh*": f" {f.zh}* "}[s])
    if draw(st.integers(0, 9)) == 0:  # an extra column: unknown, or a hostile header
        header.append(draw(cells))
    example = dict(spec.examples[0])
    fresh = FRESH_KEY.get(kind)
    rows = []
    for number in range(2, 2 + draw(st.sampled_from([1, 1, 1, 2, 3, 4]))):
        suffix = draw(st.sampled_from(["", "", "1", "2", "X9", "０７"])) if fresh else ""  # "": an update
        row: list[Any] = [f"{example[f.key]}{suffix}" if f.key == fresh else example.get(f.key) for f in fields]
        row += [None] * (len(header) - len(row))
        if draw(st.integers(0, 3)) == 0:  # otherwise valid text with invisible characters inside
            for i, value in enumerate(row):
                if isinstance(value, str) and value:
                    at = draw(st.integers(0, len(value)))
                    row[i] = value[:at] + draw(st.sampled_from(INVISIBLE)) + value[at:]
        hostile = draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3, len(row)]))
        for _ in range(hostile):
            row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        if draw(st.integers(0, 9)) == 0:  # a short or a long row
            row = row[: draw(st.integers(0, len(row)))] + [draw(cells) for _ in range(draw(st.integers(0, 2)))]
        rows.append((number, tuple(row)))
    return tuple(header), rows, draw(st.integers(0, 3)) == 0


@pytest.fixture
@filled_once
def baselined(db: Any) -> Any:
    """The database with every KIND's template examples imported (``_baseline``): imported once per test
    process and backend, each test fuzzing its own copy."""
    _baseline(db)
    return db


def _fuzz(db: Any, kind: str, examples: int) -> Counter[str]:
    """``examples`` random sheets of ``kind`` imported into ``db``, which holds the baseline."""
    admin = cli_actor()
    outcome: Counter[str] = Counter()
    with db.factory() as s:
        last = [_fingerprint(s)]

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(sheets(kind))
    def run(sheet: tuple[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]], bool]) -> None:
        header, rows, dry_run = sheet
        before = last[0]  # nothing else writes between two examples
        result = import_rows(db.factory, admin, kind, header, rows, "fuzz.xlsx", dry_run=dry_run)
        assert isinstance(result, ImportResult)
        for e in result.errors:  # every message can be shown
            assert str(e)
        assert result.file_error is None, f"a database error reached the user: {result.file_error}"
        with db.factory() as s:
            after = last[0] = _fingerprint(s)
        if result.committed:
            assert result.created + result.updated + result.unchanged == len(rows)
            outcome["committed"] += 1
        else:
            assert after == before, "an import that did not commit changed the database"
            outcome["dry run" if result.ok else "rejected"] += 1

    run()
    return outcome


@pytest.mark.parametrize("kind", ORDER)
def test_random_rows_never_crash_nor_half_commit(baselined: Any, kind: str) -> None:
    db = baselined
    outcome = _fuzz(db, kind, EXAMPLES)
    total = sum(outcome.values())
    assert total >= EXAMPLES
    print(f"\nimport fuzz {kind} on {db.backend}: {total} examples, 0 unhandled exceptions, 0 partial commits "
          f"({outcome['rejected']} rejected, {outcome['dry run']} dry runs, {outcome['committed']} committed)")


def test_the_template_examples_import_with_enrolments_before_transfers(db: Any) -> None:
    """Someone trying the templates' examples imports the courses' results before the credit requests;
    the transfer example must not then be refused for counting AGI101 twice (it was: 'approved')."""
    order = [k for k in ORDER if k != "transfers"]
    order.insert(order.index("enrolments") + 1, "transfers")
    _baseline(db, order)


def test_every_kind_is_fuzzed() -> None:
    assert sorted(ORDER) == sorted(SPECS)

