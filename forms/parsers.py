"""Parsers and validators for what administrators actually type (Qt-free).

Each parser takes a raw cell or text-box value and returns a Python value, ``None`` for blank, or
raises ``ValueError`` with a translated message saying what is wrong. Full-width digits, letters and
punctuation, stray spaces and the Chinese words of DESIGN.md section 5 are accepted.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from db.i18n import t
from db.labels import chinese, english

_WIDE_ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
               for c in range(r[0], r[1] + 1)}
_ZERO_WIDTH: dict[int, str | None] = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00a0\u3000"), " ")
# invisible control characters (a NUL that PostgreSQL refuses, a \x01 that no xlsx can hold) are dropped;
# tab, line feed and carriage return stay whitespace
_ZERO_WIDTH.update(dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]))


def clean(value: Any, fold: bool = True) -> str:
    """NFKC-normalise (full-width -> half-width), drop zero-width and control characters, trim spaces.
    ``fold=False`` (free text: names, topics, feedback) keeps the characters as typed but for
    full-width letters and digits (Ｚｈａｎｇ, ２０２５: an input method left in full-width mode): Chinese
    prose is written with full-width punctuation (，（）：), which NFKC would turn into ASCII."""
    kind = type(value)
    if kind is str and not fold:
        text: str = value.translate(_ZERO_WIDTH).translate(_WIDE_ALNUM)
        return " ".join(text.split()) if "\n" not in text else text.strip()
    if kind is str:
        # Most cells are already clean: printable (so nothing for _ZERO_WIDTH to drop, no tab or line
        # feed, no space but " ") and already NFKC (always so when ASCII). They only need their spaces
        # trimmed, which is what the full path below would give them, at a tenth of its cost.
        if value.isprintable() and (value.isascii() or unicodedata.is_normalized("NFKC", value)):
            if value[:1] == " " or value[-1:] == " " or "  " in value:
                return " ".join(value.split())
            return cast(str, value)  # kind is str
    elif kind is int or kind is float:
        return str(value)  # ASCII digits, sign, point, "e", "inf" or "nan": nothing to normalise
    elif value is None:
        return ""
    elif kind is dt.datetime and value.time() == dt.time():
        value = value.date()  # an Excel date cell: the 2025-10-12 the user sees, not 2025-10-12 00:00:00
    text = unicodedata.normalize("NFKC", str(value)).translate(_ZERO_WIDTH)
    return " ".join(text.split()) if "\n" not in text else text.strip()


def is_blank(value: Any) -> bool:
    return value is None or clean(value) == ""


def text(max_len: int = 200, fold: bool = False) -> Callable[[Any], str | None]:
    """Free text, kept as typed but for surrounding spaces and invisible characters (``fold``: also
    full-width letters and digits made half-width, as for identifiers)."""
    def parse(value: Any) -> str | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed into a text column, e.g. a student number
        s = clean(value, fold)
        if not s:
            return None
        if len(s) > max_len:
            raise ValueError(t("Too long: at most {n} characters.", n=max_len))
        return s

    return parse


def code(max_len: int = 40) -> Callable[[Any], str | None]:
    """An identifier (student number, staff number, course code): no inner spaces, upper-cased letters
    kept as typed."""
    base = text(max_len, fold=True)

    def parse(value: Any) -> str | None:
        s = base(value)
        return s.replace(" ", "") if s else s

    return parse


def _without_separators(cleaned: str) -> str:
    return cleaned.replace(",", "").replace("，", "")


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int | None]:
    def parse(value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool):
            raise ValueError(t("{value} is not a whole number.", value=value))
        if isinstance(value, (int, float)):  # never blank
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(t("{value} is not a whole number.", value=value))
            n = int(value)
        else:
            cleaned = clean(value)
            if not cleaned:
                return None
            try:
                f = float(_without_separators(cleaned))
            except ValueError:
                raise ValueError(t("{value} is not a whole number.", value=cleaned)) from None
            if not f.is_integer():
                raise ValueError(t("{value} is not a whole number.", value=cleaned))
            n = int(f)
        _bounds(n, minimum, maximum)
        return n

    return parse


def number(minimum: float | None = None, maximum: float | None = None, percent_ok: bool = False
           ) -> Callable[[Any], float | None]:
    def parse(value: Any) -> float | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(t("{value} is not a number.", value=value))
        if isinstance(value, (int, float)):
            f = float(value)
        else:
            s = _without_separators(clean(value))
            pct = percent_ok and s.endswith("%")
            try:
                f = float(s[:-1] if pct else s) / (100 if pct else 1)
            except ValueError:
                raise ValueError(t("{value} is not a number.", value=clean(value))) from None
        if f != f or f in (float("inf"), float("-inf")):
            raise ValueError(t("{value} is not a number.", value=clean(value)))
        _bounds(f, minimum, maximum)
        return f

    return parse


def _bounds(n: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and n < minimum:
        raise ValueError(t("Must be at least {n}.", n=minimum))
    if maximum is not None and n > maximum:
        raise ValueError(t("Must be at most {n}.", n=maximum))


_WHOLE_NUMBER = integer()


def year(value: Any) -> int | None:
    n = _WHOLE_NUMBER(value)
    if n is not None and not 1990 <= n <= 2100:
        raise ValueError(t("{value} is not a year.", value=clean(value)))
    return n


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(1990, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(2100, 12, 31) - _EXCEL_EPOCH).days
_DATE_RES = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def date(value: Any) -> dt.date | None:
    """Excel dates, Excel serial numbers, 2025-09-01, 2025/9/1, 2025.9.1, 2025年9月1日, 20250901."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel's serial day numbers, limited to 1990–2100: a bare 2025 is a year typed in the wrong
        # column, not 17 July 1905
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(t("{value} is not a date: write it like 2025-09-01, 2025/9/1 or 2025年9月1日.",
                           value=value))
    cleaned = clean(value)
    if not cleaned:
        return None
    s = re.sub(r"[T ]?\d{1,2}:\d{2}(:\d{2})?$", "", cleaned.replace(" ", ""))  # a time part typed after the date
    for rx in _DATE_RES:
        m = rx.match(s)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueError(t("{value} is not a date: write it like 2025-09-01, 2025/9/1 or 2025年9月1日.",
                       value=cleaned))


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "必修", "对"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "选修", "不"}


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    cleaned = clean(value)
    if not cleaned:
        return None
    s = cleaned.lower()
    if s in _YES:
        return True
    if s in _NO:
        return False
    raise ValueError(t("{value} is not yes or no (是/否).", value=cleaned))


def choice(enum_cls: type[enum.Enum], extra: Mapping[str, enum.Enum] | None = None
           ) -> Callable[[Any], enum.Enum | None]:
    """An enumeration by its Chinese word (with or without 导师), English key or English name."""
    table: dict[str, enum.Enum] = {}
    for member in enum_cls:
        zh = chinese(member)
        for word in (member.value, member.name, english(member), zh, zh.removesuffix("导师")):
            table[clean(word).lower()] = member
    for word, member in (extra or {}).items():
        table[clean(word).lower()] = member

    def parse(value: Any) -> enum.Enum | None:
        cleaned = clean(value)
        if not cleaned:
            return None
        member = table.get(cleaned.lower())
        if member is not None:
            return member
        raise ValueError(t("{value} is not one of: {choices}.", value=cleaned,
                           choices="、".join(choice_words(enum_cls))))

    parse.enum_cls = enum_cls  # type: ignore[attr-defined]
    return parse


def choice_words(enum_cls: Iterable[enum.Enum]) -> list[str]:
    """The words a template offers in its drop-down list (Chinese)."""
    return [chinese(m) for m in enum_cls]


def split_list(value: Any) -> list[str]:
    """Several values in one cell, separated by 、 , ; / or spaces."""
    s = clean(value)
    return [p for p in re.split(r"[、,;/\s]+", s) if p]


def choice_list(enum_cls: type[enum.Enum], extra: Mapping[str, enum.Enum] | None = None
                ) -> Callable[[Any], list[enum.Enum] | None]:
    one = choice(enum_cls, extra)

    def parse(value: Any) -> list[enum.Enum] | None:
        if is_blank(value):
            return None
        out: list[enum.Enum] = []
        for part in split_list(value):
            member = one(part)
            if member is not None and member not in out:
                out.append(member)
        return out

    return parse


def code_list(value: Any) -> list[str] | None:
    if is_blank(value):
        return None
    return [p.replace(" ", "") for p in split_list(value)]


# --------------------------------------------------------------------------- validators

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def mobile(value: Any) -> str | None:
    s = clean(value)
    if isinstance(value, float) and value.is_integer():
        s = str(int(value))
    if not s:
        return None
    digits = re.sub(r"[\s\-()]", "", s)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise ValueError(t("{value} is not a mainland mobile number (11 digits starting with 1).", value=s))
    return digits


def email(value: Any) -> str | None:
    s = clean(value).replace(" ", "")
    if not s:
        return None
    if not _EMAIL.match(s):
        raise ValueError(t("{value} is not an e-mail address.", value=s))
    return s.lower()


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def uscc(value: Any) -> str | None:
    """A unified social credit code (统一社会信用代码), check character verified."""
    s = clean(value).replace(" ", "").upper()
    if not s:
        return None
    if len(s) != 18:
        raise ValueError(t("{value} is not a unified social credit code: it must have 18 characters.", value=s))
    for ch in s:
        if ch not in USCC_CHARS:
            raise ValueError(t("{value} is not a unified social credit code: {char} is not allowed.",
                               value=s, char=ch))
    expected = uscc_check_char(s[:17])
    if s[17] != expected:
        raise ValueError(t("{value} is not a unified social credit code: the check character should be "
                           "{expected}.", value=s, expected=expected))
    return s


GRADE_SCORES = {"优": 95.0, "优秀": 95.0, "良": 85.0, "良好": 85.0, "中": 75.0, "中等": 75.0,
                "及格": 65.0, "合格": 65.0, "不及格": 50.0, "不合格": 50.0}


def score(value: Any) -> tuple[str, float] | None:
    """A score as entered and its value on 0–100: numbers 0–100, or 优/良/中/及格/不及格
    (mapped to 95/85/75/65/50; the text is what decides pass or fail)."""
    if is_blank(value):
        return None
    s = clean(value).replace(" ", "")
    if s in GRADE_SCORES:
        return s, GRADE_SCORES[s]
    try:
        f = float(s)
    except ValueError:
        raise ValueError(t("{value} is not a score: give 0–100 or 优/良/中/及格/不及格.", value=s)) from None
    if not 0 <= f <= 100:
        raise ValueError(t("{value} is not a score: give 0–100 or 优/良/中/及格/不及格.", value=s))
    return (str(int(f)) if f.is_integer() else str(f)), f


def chain(*parsers: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        for p in parsers:
            value = p(value)
            if value is None:
                return None
        return value

    return parse
