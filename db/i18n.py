"""Translations for the Qt-free layers (db/, forms/, reports/, the command line): GNU gettext.

The desktop translates its own strings with Qt (``self.tr``, desktop/translations); messages that
originate below it — a rule a service enforces, an import row error, a report's heading — are written in
English in the code, wrapped in ``t("…")`` (or ``tc("context", "…")`` where one English word means
different things: 'Submitted' is 已提交 for a task and 已报名 for a project), and looked up in the
catalogue ``db/locale/zh_CN.po``: a standard gettext file, edited with Poedit or any text editor, and
compiled to ``zh_CN.mo`` (what this module reads, with the standard library's gettext) by
``python -m db.locale.update``. A string defined away from the ``t()`` that shows it (a column title, a
progress label) is marked ``N_("…")`` where it is written. The language is process-wide: the CLI picks
it from the locale, the desktop sets it to the language the user chose.

tests/test_i18n.py fails when a message is untranslated or the catalogue is stale.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from gettext import GNUTranslations
from pathlib import Path

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


CATALOGUE = Path(__file__).with_name("locale") / "zh_CN.mo"


@cache
def _chinese() -> GNUTranslations:
    with open(CATALOGUE, "rb") as fh:  # committed beside its .po (a missing one is a packaging bug: said)
        return GNUTranslations(fh)


def t(message: str, /, **kwargs: object) -> str:
    """Translate ``message`` into the current language, then format it with ``kwargs``."""
    text = _chinese().gettext(message) if _language == "zh" else message
    return text.format(**kwargs) if kwargs else text


def tc(context: str, message: str, /, **kwargs: object) -> str:
    """``t`` for a message whose translation depends on ``context`` (gettext's msgctxt); a message the
    catalogue has no entry for in that context is looked up without one."""
    if _language == "zh":
        catalogue = _chinese()
        text = catalogue.pgettext(context, message)
        if text == message:
            text = catalogue.gettext(message)
    else:
        text = message
    return text.format(**kwargs) if kwargs else text


def N_(message: str, /) -> str:  # noqa: N802  (gettext's name for it)
    """Mark ``message`` for the catalogue where it is written; it is translated where it is shown."""
    return message
