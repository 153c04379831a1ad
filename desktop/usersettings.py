"""Settings that follow the person, not the PC (DESIGN section 7): on a shared office PC the next person
to sign in does not get the last one's language, last page or column layouts.

``PersonalSettings`` wraps the PC's QSettings: a key that belongs to a person (the language, the last
page, a list's column layout) is stored under ``users/<user name>/``; the others (the window's place on
this screen, the report font file on this PC) stay the PC's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

PERSONAL_PREFIXES = ("ui/language", "window/page", "lists/")


class PersonalSettings:
    """The QSettings interface the app uses (value, setValue, remove, sync), per person where it matters."""

    def __init__(self, settings: QSettings, username: str) -> None:
        self.settings, self.username = settings, username

    def _key(self, key: str) -> str:
        if key.startswith(PERSONAL_PREFIXES):
            return f"users/{self.username}/{key}"
        return key

    def value(self, key: str, default: Any = None, type: Any = None) -> Any:  # noqa: A002 - QSettings' name
        if type is not None:
            return self.settings.value(self._key(key), default, type)
        return self.settings.value(self._key(key), default)

    def setValue(self, key: str, value: Any) -> None:  # noqa: N802 - QSettings' name
        self.settings.setValue(self._key(key), value)

    def remove(self, key: str) -> None:
        self.settings.remove(self._key(key))

    def contains(self, key: str) -> bool:
        return self.settings.contains(self._key(key))

    def sync(self) -> None:
        self.settings.sync()
