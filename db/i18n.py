"""Translations for the Qt-free layers (db/, forms/ specs and import engine, reports/, the CLI).

The desktop translates its own strings with Qt (``self.tr``); messages that originate below it —
a rule a service enforces, an import row error — are written in English in the code, wrapped in
``t()``, and looked up here. The language is process-wide: the CLI picks it from the locale, the
desktop sets it to the language the user chose.

Keep the English text as the key; add every new message to ``ZH``. A test checks that every
``t("…")`` literal in the code base has a Chinese entry.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator
from contextlib import contextmanager

_language = "en"


def set_language(lang: str) -> None:
    global _language
    _language = "zh" if lang.lower().startswith("zh") else "en"


def language() -> str:
    return _language


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Write something in ``lang`` whatever the user's language (a mentor's logbook is Chinese)."""
    before = _language
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


def system_language() -> str:
    """'zh' when the user's locale is Chinese, else 'en'."""
    for var in ("TALENTDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - exotic locale strings
        loc = ""
    return "zh" if loc.lower().startswith(("zh", "chinese")) else "en"


def t(message: str, /, **kwargs: object) -> str:
    """Translate ``message`` into the current language, then format it with ``kwargs``."""
    text = ZH.get(message, message) if _language == "zh" else message
    return text.format(**kwargs) if kwargs else text


ZH: dict[str, str] = {}


def register(entries: dict[str, str]) -> None:
    """Modules register their Chinese messages next to the code that uses them."""
    ZH.update(entries)


register(
    {
        # errors common to every service
        "You do not have permission to do this.": "您没有执行此操作的权限。",
        "Only an administrator can do this.": "只有管理员可以执行此操作。",
        "A read-only account cannot change data.": "只读账号不能修改数据。",
        "You can only see the records of your own mentees.": "您只能查看自己指导学生的记录。",
        "You can only change the records of your current mentees.": "您只能修改当前指导学生的记录。",
        "{entity} was changed by {user} on another computer after you opened it. Reload it to see "
        "their change, or keep editing and save again to overwrite.": (
            "{entity}在您打开之后已被 {user} 在另一台电脑上修改。请重新加载查看对方的修改，"
            "或继续编辑后再次保存以覆盖。"
        ),
        "This record was changed on another computer after you opened it. Reload it to see the "
        "change.": "此记录在您打开之后已在另一台电脑上被修改。请重新加载以查看修改。",
        "{entity} {key} was not found.": "未找到{entity} {key}。",
        "{entity} {key} already exists.": "{entity} {key} 已存在。",
        "{field}: {reason}": "{field}：{reason}",
        # database location and engine
        "A SQLite database on a network drive or share ({path}) is not supported: file locking "
        "over SMB corrupts it. Put the database on this PC, or set up a shared PostgreSQL server "
        "(see README: Setting up a shared server) and point every PC at it with --db "
        "postgresql+psycopg://user@server/talentdesk.": (
            "不支持把 SQLite 数据库放在网络驱动器或共享文件夹上（{path}）：SMB 的文件锁会损坏数据库。"
            "请把数据库放在本机，或搭建共享的 PostgreSQL 服务器（见 README《搭建共享服务器》），"
            "并让每台电脑用 --db postgresql+psycopg://用户@服务器/talentdesk 连接。"
        ),
        "Cannot open the database {url}: {reason}": "无法打开数据库 {url}：{reason}",
        "The database {url} is newer than this version of TalentDesk (revision {revision}). "
        "Install the newer TalentDesk.": (
            "数据库 {url} 的版本比当前 TalentDesk 新（修订 {revision}），请安装新版 TalentDesk。"
        ),
        "The database has not been set up yet. Run: talentdesk init": "数据库尚未初始化。请运行：talentdesk init",
        "The database {db} is at revision {found}; this TalentDesk needs {head}. Ask IT to run talentdesk init with "
        "the database owner's login, then sign in again.": (
            "数据库 {db} 的修订为 {found}，本版 TalentDesk 需要 {head}。"
            "请联系 IT 用数据库所有者的登录名运行 talentdesk init，"
            "然后重新登录。"
        ),
    }
)
