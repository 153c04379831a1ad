"""Round-trip budgets per user action (issue #25, "Instant over the office network").

Several office PCs share one PostgreSQL server across a LAN: 0.3–1 ms a round trip wired, 2–5 ms over
Wi-Fi or a VPN, so what a click costs is counted in round trips. Each test drives the real desktop code
(pages and dialogs under pytest-qt, the task runner synchronous) on the scale-1 demo and counts, per action,
the SQL statements and, on PostgreSQL, the network round trips (tests/roundtrips.py: a counting proxy in
front of the test server, the admin's own login through TLS as in an office). The budgets:

    list first paint ≤ 4; sort, filter, scroll ≤ 2; student detail window ≤ 8; a page's or a tab's first
    visit ≤ 8; opening a record dialog ≤ 4; saving ≤ 4; sign-in ≤ 6.

PostgreSQL is held to its round trips, SQLite to its statements (SQLite has no network: its statements
are the same reads, and a statement costs at least one round trip on a server). An action that costs more
fails with its statements listed. Actions over budget today are held at today's count (``RATCHET``):
they may get cheaper, never dearer.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import PG_LOGIN_PASSWORD, make_admin_login, pg_server_url  # type: ignore[import-not-found]  # pytest's own instance
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from db.actor import Actor
from db.auth import authenticate, sign_in_to_server
from db.engine import DatabaseTarget, make_engine, resolve, session_factory
from tests.roundtrips import LISTS, Count, Proxy, counting

pytestmark = pytest.mark.gui

BUDGET = {
    "sign-in": 6,
    "list first paint": 4,
    "list sort": 2,
    "list filter": 2,
    "list scroll": 2,
    "student detail": 8,
    "first visit": 8,
    "open dialog": 4,
    "save": 4,
}

# Actions over their budget today, held at what they cost now — (PostgreSQL round trips, SQLite statements;
# None: that backend is within the budget) — until they are brought within it (issue #25). Lower a figure
# when an action gets cheaper; never raise one.
RATCHET: dict[str, tuple[int | None, int | None]] = {
    # budget 6; 9 is the floor with TLS + SCRAM here. The new connection itself is 7 (traced through the
    # proxy): the TCP handshake; SSLRequest; the TLS 1.3 ClientHello, answered by a HelloRetryRequest
    # (PostgreSQL before 18 takes the one curve of ssl_ecdh_curve, prime256v1 by default, and libpq's key
    # shares are X25519MLKEM768 and X25519); the second ClientHello; the client's Finished with the
    # StartupMessage (answered by the SCRAM mechanisms); SCRAM's client-first and client-final messages.
    # Then the one query every new connection runs (db.security.probe: whose login it is; it also answers
    # SQLAlchemy's first-connect questions, see db.pgdialect) and the sign-in's one statement (the account and
    # the server's access-log row of the sign-in), outside a transaction. PostgreSQL 18 (ssl_groups, X25519
    # first by default) saves the retry (8); its direct TLS negotiation (sslnegotiation=direct) the SSLRequest.
    "sign-in": (9, None),
}

MEASURED: dict[str, dict[str, tuple[int | None, int]]] = {}  # action -> backend -> (round trips, statements)


@dataclass
class Env:
    backend: str
    target: DatabaseTarget
    factory: sessionmaker[Session]
    actor: Actor
    proxy: Proxy | None = None
    login: str = ""
    password: str = ""


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="module")
def sqlite_env(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    path = tmp_path_factory.mktemp("roundtrips") / "demo.db"
    shutil.copyfile(demo_file, path)
    target = resolve(str(path))
    engine = make_engine(target)
    factory = session_factory(engine)
    actor = authenticate(factory, "admin", "talentdesk")
    yield Env("sqlite", target, factory, actor, login="admin", password="talentdesk")
    engine.dispose()


@pytest.fixture(scope="module")
def pg_env(pg_demo: str) -> Iterator[Env]:
    """The demo on PostgreSQL, signed in as an administrator's own login (as pg_db does), through a
    counting proxy: the connection is TLS end to end, as across an office network."""
    server = pg_server_url()
    assert server is not None
    name = f"td_rt_{uuid.uuid4().hex[:12]}"
    login = f"tdrt_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    proxy: Proxy | None = None
    engine: Engine | None = None
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_demo}"'))
        owner = resolve(make_url(server).set(drivername="postgresql+psycopg", database=name).render_as_string(False))
        make_admin_login(owner, login)
        proxy = Proxy.for_url(owner.url)
        target = DatabaseTarget(proxy.url(owner.url).update_query_dict({"sslmode": "require"}))
        actor, engine, factory = sign_in_to_server(target, login, PG_LOGIN_PASSWORD)
        yield Env("postgresql", target, factory, actor, proxy, login, PG_LOGIN_PASSWORD)
    finally:
        if engine is not None:
            engine.dispose()
        if proxy is not None:
            proxy.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request: pytest.FixtureRequest) -> Env:
    return request.getfixturevalue("sqlite_env" if request.param == "sqlite" else "pg_env")


def make_ctx(env: Env, tmp_path: Path) -> Any:
    from PySide6.QtCore import QSettings

    from desktop.context import AppContext
    from desktop.tasks import TaskRunner
    from tests.test_desktop import FakePrompts

    prompts = FakePrompts()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppContext(env.factory, env.actor, env.target, settings, prompts,  # type: ignore[arg-type]
                      TaskRunner(prompts, synchronous=True))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- counting and judging


class Judge:
    """Counts actions and collects those over their limit, to fail once with all of them listed."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.over: list[str] = []

    def measure(self, action: str, kind: str, fn: Callable[[], Any]) -> Any:
        with counting(self.env.proxy) as count:
            result = fn()
        self.judge(action, kind, count)
        return result

    def judge(self, action: str, kind: str, count: Count) -> None:
        pg = self.env.backend == "postgresql"
        figure = count.round_trips if pg else len(count.statements)
        assert figure is not None
        MEASURED.setdefault(action, {})[self.env.backend] = (count.round_trips, len(count.statements))
        ratchet = RATCHET.get(action, (None, None))[0 if pg else 1]
        limit = BUDGET[kind] if ratchet is None else ratchet
        if figure > limit:
            unit = "round trips" if pg else "statements"
            self.over.append(f"{action} ({kind}, budget {BUDGET[kind]}): {figure} {unit} > {limit}\n{count.report()}")

    def done(self) -> None:
        assert not self.over, "over the round-trip budget (issue #25):\n\n" + "\n\n".join(self.over)


@pytest.fixture(scope="module", autouse=True)
def _table(request: pytest.FixtureRequest) -> Iterator[None]:
    """With -s: the table of what every action cost."""
    yield
    if MEASURED and request.config.getoption("capture") == "no":
        print("\n| action | PG round trips | PG statements | SQLite statements |")
        for action, by in MEASURED.items():
            pg, lite = by.get("postgresql", (None, None)), by.get("sqlite", (None, None))
            print(f"| {action} | {pg[0]} | {pg[1]} | {lite[1]} |")


# --------------------------------------------------------------------------- the counter itself


def test_the_counter_counts_begin_the_query_and_rollback(pg_env: Env) -> None:
    """A session with one SELECT: psycopg's BEGIN, the SELECT and the ROLLBACK at close — three waits."""
    with pg_env.factory() as s:  # a connection in the pool: its handshake is not part of the count
        s.execute(text("SELECT 1"))
    with counting(pg_env.proxy) as count, pg_env.factory() as s:
        s.execute(text("SELECT 1"))
    assert (count.round_trips, count.statements) == (3, ["SELECT 1"]), count.report()
    with counting(pg_env.proxy) as count, pg_env.factory() as s:
        s.execute(text("SELECT 1"))
        s.execute(text("SELECT :x"), {"x": 2})  # the extended protocol: Parse … Sync in one message
        s.commit()
    assert count.round_trips == 4, count.report()


# --------------------------------------------------------------------------- sign-in


def test_sign_in(env: Env) -> None:
    judge = Judge(env)
    if env.backend == "postgresql":
        engines: list[Engine] = []

        def sign_in() -> None:
            _actor, engine, _factory = sign_in_to_server(env.target, env.login, env.password)
            engines.append(engine)

        judge.measure("sign-in", "sign-in", sign_in)
        for engine in engines:
            engine.dispose()
    else:
        judge.measure("sign-in", "sign-in", lambda: authenticate(env.factory, env.login, env.password))
    judge.done()


# --------------------------------------------------------------------------- lists


@pytest.mark.parametrize(("name", "sort_key", "typed"), LISTS)
def test_list(qtbot: Any, env: Env, tmp_path: Path, name: str, sort_key: str, typed: str) -> None:
    from PySide6.QtCore import Qt

    from desktop import mainwindow  # noqa: F401  (its pages register the list specs of every scheme)
    from desktop.listpage import ListPage

    judge = Judge(env)
    ctx = make_ctx(env, tmp_path)
    page = ListPage(ctx, name, title=name)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()

    def first_paint() -> None:
        page.activate()
        page.grab()

    judge.measure(f"{name}: list first paint", "list first paint", first_paint)
    assert page.model.rowCount() > 0
    spec = page.spec
    col = [c.key for c in spec.columns].index(sort_key)

    def sort() -> None:
        page.view.horizontalHeader().setSortIndicator(col, Qt.SortOrder.DescendingOrder)
        page.grab()

    judge.measure(f"{name}: sort by {sort_key}", "list sort", sort)

    def scroll() -> None:
        page.view.scrollToBottom()
        page.grab()

    judge.measure(f"{name}: scroll to the end", "list scroll", scroll)

    def search() -> None:
        page.search.setText(typed)
        page.apply_search()
        page.grab()

    judge.measure(f"{name}: filter “{typed}”", "list filter", search)
    judge.done()


# --------------------------------------------------------------------------- the student detail window


def _busiest_student(env: Env) -> int:
    from db.models import MentoringSession

    with env.factory() as s:
        sid = s.scalar(select(MentoringSession.student_id).group_by(MentoringSession.student_id)
                       .order_by(func.count().desc(), MentoringSession.student_id).limit(1))
    assert sid is not None
    return int(sid)


def test_student_detail_window(qtbot: Any, env: Env, tmp_path: Path) -> None:
    from desktop.studentdetail import StudentDetail

    judge = Judge(env)
    ctx = make_ctx(env, tmp_path)
    sid = _busiest_student(env)
    detail = StudentDetail(ctx, sid)
    qtbot.addWidget(detail)

    def open_it() -> None:
        assert detail.load()
        detail.show()
        detail.grab()

    judge.measure("student detail window", "student detail", open_it)
    # each other scheme's panel reads when its tab is first shown: a tab's first visit
    for key in list(detail.panels)[1:]:
        tab = detail.tabs.tabText(list(detail.panels).index(key))
        judge.measure(f"student detail → {tab}: first visit", "first visit", lambda key=key: detail.show_panel(key))
    assert len(detail.panels.built) == len(detail.panels) >= 4
    judge.done()


# --------------------------------------------------------------------------- pages and tabs


def test_every_page_and_tab_first_visit(qtbot: Any, env: Env, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QTabWidget

    from desktop.mainwindow import MainWindow

    judge = Judge(env)
    ctx = make_ctx(env, tmp_path)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()

    def start() -> None:
        w.start()  # the home page, the window's first
        w.grab()

    judge.measure("home: first visit", "first visit", start)
    for entry in w.sidebar_model.entries:
        key = entry.key
        if key != "home":
            def visit(key: str = key) -> None:
                w.select(key)
                w.grab()

            judge.measure(f"{key}: first visit", "first visit", visit)
        page = w.page(key)
        seen: set[tuple[int, int]] = set()
        while True:  # every tab, nested ones too (found once their outer tab was shown)
            todo = [(tw, i) for tw in page.findChildren(QTabWidget) for i in range(tw.count())
                    if (id(tw), i) not in seen]
            if not todo:
                break
            for tw, i in todo:
                seen.add((id(tw), i))
                if tw.currentIndex() == i:
                    continue  # shown with the page (or its outer tab)

                def visit_tab(tw: QTabWidget = tw, i: int = i) -> None:
                    tw.setCurrentIndex(i)
                    w.grab()

                judge.measure(f"{key} → {tw.tabText(i)}: first visit", "first visit", visit_tab)
    judge.done()


# --------------------------------------------------------------------------- record dialogs


def test_record_dialog_opens_and_saves(qtbot: Any, env: Env, tmp_path: Path) -> None:
    from db.models import Mentor, Student
    from desktop.recorddialog import RecordDialog

    judge = Judge(env)
    ctx = make_ctx(env, tmp_path)
    with env.factory() as s:
        sid = s.scalar(select(Student.id).order_by(Student.id).limit(1))
        mid = s.scalar(select(Mentor.id).order_by(Mentor.id).limit(1))
    for kind, record_id, field, value in (("students", sid, "phone", "13812345678"),
                                          ("mentors", mid, "phone", "13912345678")):
        dialog = RecordDialog(ctx, kind, record_id)
        qtbot.addWidget(dialog)

        def open_it(dialog: Any = dialog) -> None:
            assert dialog.load()
            dialog.show()
            dialog.grab()

        judge.measure(f"{kind}: open a record dialog", "open dialog", open_it)
        dialog.editors[field].line.setText(value)
        judge.measure(f"{kind}: save a record", "save", dialog.save)
        assert dialog.result() == dialog.DialogCode.Accepted, ctx.prompts.asked
    judge.done()
