"""The in-app help: one HTML file per language beside this module, with its screenshots in images/.

Qt-free on purpose: the Help page (desktop.pages.help), the screenshot script and the tests all read
the same facts from here — which file a language uses, its sections (``<h2><a name="…">``), the
images it shows and the internal links it makes. Files are found relative to this package, so a
PyInstaller bundle or a pip install that carries ``desktop/help/**`` as data works the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HELP_DIR = Path(__file__).resolve().parent
IMAGES_DIR = HELP_DIR / "images"

# language (db.i18n.language(): "zh" or "en") → the suffix of its file and of its screenshots
LANGUAGES = {"zh": "zh_CN", "en": "en"}

# the sections, in order; each help file has exactly these anchors (tests/test_help.py checks it)
SECTIONS = (
    "first-start",  # 首次启动与第一个管理员
    "import",  # 从 Excel 导入名单
    "mentoring",  # 分配导师与覆盖队列
    "mentor-desk",  # 导师登录后做什么
    "transfers",  # 学分互认审批
    "competition",  # 创赛季与评审
    "reports",  # 季度报告的签发与打印
    "backup",  # 备份与恢复
    "server",  # 迁移到共享 PostgreSQL 服务器
)

# the section F1 opens from each sidebar page (a mentor's home is their desk)
PAGE_SECTIONS = {
    "home": "first-start",
    "students": "import",
    "mentors": "import",
    "mentoring": "mentoring",
    "curriculum": "import",
    "alliance": "transfers",
    "competition": "competition",
    "reports": "reports",
    "admin": "backup",
}


def section_for(page_key: str | None, role: str = "admin") -> str | None:
    """The anchor F1 should show for a sidebar page (None: the top of the help)."""
    if page_key == "home" and role == "mentor":
        return "mentor-desk"
    return PAGE_SECTIONS.get(page_key or "")


def help_file(language: str) -> Path:
    """The help file of a UI language; English for anything that is not Chinese."""
    return HELP_DIR / f"help_{LANGUAGES.get(language, 'en')}.html"


def image_name(shot: str, language: str) -> str:
    """The file name of a screenshot in one language, as the help refers to it (under images/)."""
    return f"{shot}_{LANGUAGES[language]}.png"


@dataclass
class HelpDocument:
    """What a help file contains: (anchor, title) of each section, images and internal links."""

    sections: list[tuple[str, str]] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # every <a name>, sections and sub-sections
    images: list[str] = field(default_factory=list)  # src attributes, relative to HELP_DIR
    links: list[str] = field(default_factory=list)  # href="#…" targets, without the '#'


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = HelpDocument()
        self._in_h2 = False
        self._h2_anchor: str | None = None
        self._h2_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h2":
            self._in_h2, self._h2_anchor, self._h2_text = True, None, []
        elif tag == "a":
            if a.get("name"):
                self.doc.anchors.append(a["name"])
                if self._in_h2 and self._h2_anchor is None:
                    self._h2_anchor = a["name"]
            href = a.get("href", "")
            if href.startswith("#"):
                self.doc.links.append(href[1:])
        elif tag == "img" and a.get("src"):
            self.doc.images.append(a["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._in_h2:
            self._in_h2 = False
            if self._h2_anchor:
                self.doc.sections.append((self._h2_anchor, " ".join("".join(self._h2_text).split())))

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self._h2_text.append(data)


def parse(html: str) -> HelpDocument:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.doc


def load(language: str) -> HelpDocument:
    return parse(help_file(language).read_text(encoding="utf-8"))
