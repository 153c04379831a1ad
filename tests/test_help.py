"""The in-app help: both languages have every section, every picture and link resolves, the Help
page opens for every role, its search finds and moves, F1 opens it at the page's section, and the
screenshot script produces exactly the pictures the help shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from db.actor import Actor
from db.models import Role
from desktop import help as content
from tests.test_desktop import make_ctx, seeded, window  # noqa: F401  (fixture)

pytestmark = pytest.mark.gui

LANGS = sorted(content.LANGUAGES)


@pytest.mark.parametrize("language", LANGS)
def test_sections_are_the_topics_in_order(language: str) -> None:
    doc = content.load(language)
    assert [a for a, _t in doc.sections] == list(content.SECTIONS)
    assert all(title.strip() for _a, title in doc.sections)
    assert len(set(doc.anchors)) == len(doc.anchors), "an anchor is defined twice"


def test_chinese_titles_name_the_topics() -> None:
    titles = dict(content.load("zh").sections)
    for anchor, word in (("first-start", "管理员"), ("import", "Excel"), ("mentoring", "覆盖队列"),
                         ("mentor-desk", "导师"), ("transfers", "学分互认"), ("competition", "评审"),
                         ("reports", "季度报告"), ("backup", "备份"), ("server", "PostgreSQL")):
        assert word in titles[anchor]


@pytest.mark.parametrize("language", LANGS)
def test_images_exist_and_links_resolve(language: str) -> None:
    doc = content.load(language)
    assert doc.images, "the help shows screenshots"
    for src in doc.images:
        path = content.HELP_DIR / src
        assert path.is_file(), f"{src} is missing"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        suffix = content.LANGUAGES[language]
        assert src.endswith(f"_{suffix}.png"), f"{src}: the {language} help shows its own language's screenshots"
    assert doc.links, "sections link to each other"
    for target in doc.links:
        assert target in doc.anchors, f"#{target} points nowhere"


def test_screenshot_script_makes_exactly_the_images_the_help_uses() -> None:
    from desktop.help import make_screenshots

    names = make_screenshots.shot_names()
    assert len(names) == len(set(names))
    for language in LANGS:
        used = {Path(src).name for src in content.load(language).images}
        made = {content.image_name(n, language) for n in names}
        assert used == made, f"{language}: used but not made {used - made}, made but not used {made - used}"
    on_disk = {p.name for p in content.IMAGES_DIR.glob("*.png")}
    assert on_disk == {content.image_name(n, lang) for n in names for lang in LANGS}


def test_both_languages_describe_the_same_commands() -> None:
    """The server steps are the same in both languages (a command changed in one is changed in both)."""
    def commands(language: str) -> list[str]:
        text = content.help_file(language).read_text(encoding="utf-8")
        return sorted(set(re.findall(r"talentdesk (?:init|demo|backup|restore|import|template|report)\b", text)) |
                      set(re.findall(r"pg_dump|pg_restore|TALENTDESK_DB|pg_hba\.conf|CREATE (?:USER|DATABASE)", text)))

    assert commands("zh") == commands("en")
    assert "TALENTDESK_DB" in commands("zh") and "pg_dump" in commands("zh")


def _actor(role: str, seeded_db: Any) -> Actor:
    if role == "mentor":
        return Actor(username="m1", role=Role.MENTOR, mentor_id=seeded_db.mentor_id, display_name="陈建国")
    if role == "viewer":
        return Actor(username="leader", role=Role.VIEWER, display_name="学院领导")
    return Actor(username="admin", role=Role.ADMIN, display_name="admin")


@pytest.mark.parametrize("role", ["admin", "mentor", "viewer"])
def test_help_page_opens_for_every_role(qtbot: Any, seeded: Any, tmp_path: Path, role: str) -> None:  # noqa: F811
    w = window(qtbot, make_ctx(seeded, _actor(role, seeded), tmp_path))
    assert "help" in [e.key for e in w.sidebar_model.entries]
    w.select("help")
    page = w.page("help")
    assert w.current_key() == "help" and w.page_title.text() == "Help"
    assert page.sections() == list(content.SECTIONS)
    assert page.sections_model.rowCount() == len(content.SECTIONS)
    assert "Moving to a shared PostgreSQL server" in page.browser.toPlainText()
    assert page.file.name == "help_en.html"  # the tests run in English


def test_search_highlights_and_moves_to_the_next_match(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.select("help")
    page = w.page("help")
    page.search.setText("TALENTDESK_DB")
    assert page.browser.extraSelections(), "matches are highlighted"
    n = len(page.browser.extraSelections())
    assert n >= 2 and page.matches.text() == f"{n} matches"
    positions = []
    for _ in range(n + 1):
        assert page.find_next()
        cursor = page.browser.textCursor()
        assert cursor.selectedText() == "TALENTDESK_DB"
        positions.append(cursor.position())
    assert positions[:n] == sorted(positions[:n]), "each Next moves further down"
    assert positions[n] == positions[0], "after the last match it starts again at the top"
    page.find_next(backward=True)
    assert page.browser.textCursor().position() == positions[n - 1]
    page.search.setText("no such words anywhere")
    assert not page.browser.extraSelections() and page.matches.text() == "Not found"
    assert not page.find_next()


def test_contents_and_links_scroll_to_their_section(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    from PySide6.QtCore import QUrl

    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.resize(1280, 800)
    w.show()
    w.select("help")
    page = w.page("help")
    qtbot.waitExposed(w)
    bar = page.browser.verticalScrollBar()
    page.contents.setCurrentIndex(page.sections_model.index(len(content.SECTIONS) - 1, 0))  # the last: far down
    far = bar.value()
    assert far > 0
    page.contents.setCurrentIndex(page.sections_model.index(0, 0))
    assert bar.value() < far
    source = page.browser.source()
    page.browser.setSource(source.resolved(QUrl("#server")))  # what clicking <a href="#server"> does
    assert page.browser.source().path() == source.path(), "a link between sections stays in the help"
    assert abs(bar.value() - far) < 40


def test_f1_opens_help_at_the_current_page_section(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.show()
    qtbot.waitExposed(w)
    w.select("mentoring")
    # the offscreen platform never activates a window, so shortcuts cannot be typed: find the action F1
    # is bound to (in the whole window) and trigger it, as test_desktop does for Ctrl+F
    f1 = [a for a in w.actions() if QKeySequence(Qt.Key.Key_F1) in a.shortcuts()]
    assert len(f1) == 1 and f1[0].shortcutContext() == Qt.ShortcutContext.WindowShortcut
    f1[0].trigger()
    assert w.current_key() == "help"
    page = w.page("help")
    assert page.contents.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == "mentoring"
    w.select("reports")
    w.open_help()
    assert page.contents.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == "reports"


def test_f1_sends_a_mentor_from_home_to_the_mentor_section() -> None:
    assert content.section_for("home", "mentor") == "mentor-desk"
    assert content.section_for("home", "admin") == "first-start"
    assert content.section_for("help", "admin") is None
    for key in ("home", "students", "mentors", "mentoring", "curriculum", "alliance", "competition", "reports",
                "admin"):
        assert content.section_for(key) in content.SECTIONS


def test_chinese_help_page_loads_the_chinese_file(qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    from db.i18n import set_language

    set_language("zh")
    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    w.select("help")
    page = w.page("help")
    assert page.file.name == "help_zh_CN.html"
    assert page.sections_model.index(0, 0).data() == "首次启动与第一个管理员"
    page.search.setText("超额指派理由")
    assert page.find_next() and page.browser.textCursor().selectedText() == "超额指派理由"


def test_the_help_menu_opens_the_help(qtbot: Any, tmp_path: Path, seeded: Any, admin: Any) -> None:  # noqa: F811
    """帮助 → 查看帮助 (F1) sits above 关于 TalentDesk and opens the Help page."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QMenu

    w = window(qtbot, make_ctx(seeded, admin, tmp_path))
    menu = w.findChild(QMenu, "helpMenu")
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert actions[:2] == [w.help_action, w.about_action]
    assert QKeySequence(Qt.Key.Key_F1) in w.help_action.shortcuts()
    w.select("students")
    w.help_action.trigger()
    assert w.current_key() == "help"
