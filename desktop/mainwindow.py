"""The main window: a sidebar (a list view over a small model), one page per entry, a status bar
with the user, role and database, and the window's remembered geometry and layout."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.labels import label

from . import style
from .context import AppContext
from .listpage import ListPage
from .plain import Label
from .qttyping import QT_TRANSLATE_NOOP
from .tasks import BusyIndicator

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Entry:
    key: str
    title: str  # English source; translated in the "Sidebar" context
    roles: frozenset[str]  # role values that see the entry
    factory: Callable[[AppContext, QWidget], QWidget]



@dataclass(frozen=True)
class _Page:
    """A page built on its first visit: ``desktop.pages.<module>`` is imported then, not at start-up, so
    the first page paints without importing the others (and the Excel, PDF and import code they pull
    in). The bundle spec lists every desktop module as a hidden import, so PyInstaller carries them."""

    module: str
    name: str

    def load(self) -> Any:
        return importlib.import_module(f"{__package__}.pages.{self.module}")

    def __call__(self, ctx: AppContext, parent: QWidget) -> QWidget:
        page_class = getattr(self.load(), self.name)
        page: QWidget = page_class(ctx, parent)
        return page


def import_page_module(key: str) -> None:
    """Import the module of page ``key`` (unknown keys: the home page's) without building the page:
    start-up does it on the worker while the sign-in dialog is up."""
    entry = next((e for e in ENTRIES if e.key == key), ENTRIES[0])
    if isinstance(entry.factory, _Page):
        entry.factory.load()


ALL = frozenset({"admin", "mentor", "viewer"})
STAFF = frozenset({"admin", "viewer"})

ENTRIES: tuple[Entry, ...] = (
    Entry("home", QT_TRANSLATE_NOOP("Sidebar", "Home"), ALL, _Page("home", "HomePage")),
    Entry("students", QT_TRANSLATE_NOOP("Sidebar", "Students"), ALL, _Page("people", "StudentsPage")),
    Entry("mentors", QT_TRANSLATE_NOOP("Sidebar", "Mentors"), ALL, _Page("people", "MentorsPage")),
    Entry("mentoring", QT_TRANSLATE_NOOP("Sidebar", "Mentoring"), STAFF, _Page("mentoring", "MentoringPage")),
    Entry("curriculum", QT_TRANSLATE_NOOP("Sidebar", "Curriculum"), STAFF, _Page("curriculum", "CurriculumPage")),
    Entry("alliance", QT_TRANSLATE_NOOP("Sidebar", "Alliance"), STAFF, _Page("alliance", "AlliancePage")),
    Entry("competition", QT_TRANSLATE_NOOP("Sidebar", "Competition"), ALL, _Page("competition", "CompetitionPage")),
    Entry("reports", QT_TRANSLATE_NOOP("Sidebar", "Reports"), STAFF, _Page("reports", "ReportsPage")),
    Entry("admin", QT_TRANSLATE_NOOP("Sidebar", "Admin"), ALL, _Page("admin", "AdminPage")),
    Entry("help", QT_TRANSLATE_NOOP("Sidebar", "Help"), ALL, _Page("help", "HelpPage")),
)


def entries_for(role: str) -> list[Entry]:
    return [e for e in ENTRIES if role in e.roles]


class SidebarModel(QAbstractListModel):
    """The sidebar's entries for one role."""

    def __init__(self, entries: list[Entry], parent: Any = None) -> None:
        super().__init__(parent)
        self.entries = entries

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("Sidebar", entry.title)
        if role == KEY_ROLE:
            return entry.key
        if role == Qt.ItemDataRole.SizeHintRole:
            return QSize(0, 40)
        return None

    def titles(self) -> list[str]:
        return [QCoreApplication.translate("Sidebar", e.title) for e in self.entries]


class MainWindow(QMainWindow):
    """Builds pages lazily: a page is created and loaded the first time its entry is chosen."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("TalentDesk — AI Academy talent training"))
        style.fit_to_screen(self, 1280, 800)
        self.sidebar_model = SidebarModel(entries_for(ctx.actor.role.value), self)
        self.sidebar = QListView(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setModel(self.sidebar_model)
        self.sidebar.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sidebar.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.sidebar.selectionModel().currentChanged.connect(
            lambda cur, _prev: self.show_page(cur.data(KEY_ROLE)) if cur.isValid() else None)
        brand = Label(self.tr("TalentDesk"), self)
        brand.setObjectName("brand")
        side = QWidget(self)
        side.setObjectName("sidePanel")
        side.setFixedWidth(176)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.sidebar, 1)

        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.pages: dict[str, QWidget] = {}
        self.page_title = Label(self)
        self.page_title.setObjectName("pageTitle")
        content = QWidget(self)
        content.setObjectName("content")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(18, 12, 18, 12)
        self.read_only_banner = Label(self.tr(
            "This database is read-only: you can browse, search, print and export, but changes cannot be "
            "saved. To make changes, ask IT to make the database file (and its folder) writable."), self)
        self.read_only_banner.setObjectName("banner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setVisible(ctx.read_only)
        content_layout.addWidget(self.read_only_banner)
        content_layout.addWidget(self.page_title)
        content_layout.addWidget(self.stack, 1)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side)
        row.addWidget(content, 1)
        self.setCentralWidget(central)

        actor = ctx.actor
        self.user_label = Label(self.tr("Signed in as {user} ({role})").format(
            user=actor.display_name or actor.username, role=label(actor.role)), self)
        self.db_label = Label(self.tr("Database: {db}").format(db=ctx.target.display()), self)
        self.db_label.setObjectName("databaseLabel")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        # one busy indicator for every read and write running in the background (desktop/operations.py)
        self.busy = BusyIndicator(self)
        self.statusBar().addPermanentWidget(self.busy)
        ctx.tasks.busy = self.busy
        # 文件 → 注销: the next person signs in on this PC without the app being started again
        self.signed_out = False
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.setObjectName("fileMenu")
        self.sign_out_action = file_menu.addAction(self.tr("Sign out"))
        self.sign_out_action.setObjectName("signOut")
        self.sign_out_action.triggered.connect(lambda _c=False: self.sign_out())
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("Quit"))
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(lambda _c=False: self.close())
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        self.about_action = help_menu.addAction(self.tr("About TalentDesk"))
        self.about_action.triggered.connect(lambda _c=False: self.show_about())

        self._action(self.tr("Search"), QKeySequence.StandardKey.Find, self.focus_search)
        self._action(self.tr("New"), QKeySequence.StandardKey.New, self.new_record)
        self._action(self.tr("Refresh"), QKeySequence.StandardKey.Refresh, self.refresh_page)
        self.help_action = self._action(self.tr("Help"), QKeySequence.StandardKey.HelpContents, self.open_help)
        self.help_action.setShortcuts([QKeySequence(Qt.Key.Key_F1)])  # F1 on every platform, also offscreen
        self.help_action.setText(self.tr("View help"))
        help_menu.insertAction(self.about_action, self.help_action)
        help_menu.insertSeparator(self.about_action)

    def _action(self, text: str, keys: QKeySequence.StandardKey, slot: Callable[[], None]) -> QAction:
        act = QAction(text, self)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(lambda _c=False: slot())
        self.addAction(act)
        return act

    # ---------------------------------------------------------------- pages

    def start(self) -> None:
        """Restore the layout and open the first page (does I/O; call after constructing)."""
        self.restore_layout()
        last = str(self.ctx.settings.value("window/page", "home") or "home")
        keys = [e.key for e in self.sidebar_model.entries]
        self.select(last if last in keys else keys[0])

    def select(self, key: str) -> None:
        for row, entry in enumerate(self.sidebar_model.entries):
            if entry.key == key:
                self.sidebar.setCurrentIndex(self.sidebar_model.index(row))
                return
        raise KeyError(key)

    def page(self, key: str) -> QWidget:
        """The page of ``key``, created on first use."""
        if key not in self.pages:
            entry = next(e for e in self.sidebar_model.entries if e.key == key)
            page = entry.factory(self.ctx, self)
            page.setObjectName(f"page_{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def show_page(self, key: str) -> None:
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        entry = next(e for e in self.sidebar_model.entries if e.key == key)
        self.page_title.setText(QCoreApplication.translate("Sidebar", entry.title))
        activate = getattr(page, "activate", None)
        if activate is not None:
            activate()

    def current_key(self) -> str | None:
        page = self.stack.currentWidget()
        for key, p in self.pages.items():
            if p is page:
                return key
        return None

    def current_list(self) -> ListPage | None:
        page = self.stack.currentWidget()
        getter = getattr(page, "current_list", None)
        return getter() if getter is not None else None

    def show_records(self, page_key: str, list_name: str, filters: dict[str, Any]) -> ListPage | None:
        """Open ``page_key`` at its list ``list_name`` (its tab brought forward) showing exactly the rows
        ``filters`` select: where a figure on the home page leads."""
        self.select(page_key)
        page = self.page(page_key)
        lst = next((p for p in page.findChildren(ListPage) if p.spec.name == list_name), None)
        if lst is None:
            return None
        from PySide6.QtWidgets import QTabWidget

        widget: Any = lst
        while widget is not None and widget is not page:  # the tabs it sits in, outermost last
            parent = widget.parentWidget()
            tabs = parent.parentWidget() if parent is not None else None
            if isinstance(tabs, QTabWidget) and tabs.indexOf(widget) >= 0:
                tabs.setCurrentWidget(widget)
            widget = parent
        lst.show_filtered(filters)
        return lst

    def focus_search(self) -> None:
        lst = self.current_list()
        if lst is not None:
            lst.focus_search()
        elif (page := self.stack.currentWidget()) is not None and hasattr(page, "focus_search"):  # help's own search
            page.focus_search()

    def open_help(self) -> None:
        """F1: the help, at the section about the page the user was on."""
        from .help import section_for

        anchor = section_for(self.current_key(), self.ctx.actor.role.value)
        self.select("help")
        self.page("help").show_section(anchor)  # type: ignore[attr-defined]

    def new_record(self) -> None:
        """Ctrl+N: the page's main new action (a mentor's home: log a session), else its list's 新建."""
        action = getattr(self.stack.currentWidget(), "new_action", None)
        if action is not None:
            action()
            return
        lst = self.current_list()
        if lst is not None and lst.on_new is not None:
            lst.new_record()

    def refresh_page(self) -> None:
        page = self.stack.currentWidget()
        lst = self.current_list()
        if lst is not None and lst.model.loaded:
            lst.refresh()
        elif page is not None and hasattr(page, "activate"):
            page.activate()

    # ---------------------------------------------------------------- layout memory

    def restore_layout(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.ctx.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_layout(self) -> None:
        s = self.ctx.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        key = self.current_key()
        if key:
            s.setValue("window/page", key)
        for page in self.findChildren(ListPage):
            if page.model.loaded:
                page.save_layout()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    def sign_out(self) -> None:
        """Close the window and go back to the sign-in dialog (desktop.app runs it again); the sign-out is
        in the access log."""
        from db.auth import log_access

        username = self.ctx.actor.username
        # written in the background; a server gone away must not keep the person signed in
        self.ctx.ops.write(lambda session: log_access(session, username, "logout", None, None), owner=self,
                           failed=lambda _exc: None)
        self.signed_out = True
        self.close()

    def show_about(self) -> QWidget:
        """帮助 → 关于 TalentDesk: version, database, licences (window-modal, not blocking the caller)."""
        from .about import AboutDialog

        dialog = AboutDialog(self.ctx.target, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
