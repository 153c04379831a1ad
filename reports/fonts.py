"""Finding and registering an embeddable Chinese TrueType font for the PDF reports (Qt-free).

Every PDF embeds its font: the built-in STSong-Light CID font is never used, because PCs without
Asian font packs print it as boxes. reportlab reads TrueType outlines only (``.ttf`` and TrueType
collections ``.ttc``); CFF-outline fonts such as Noto Sans CJK (``.otf``) are refused with a clear
message naming the fix.

Order of choice: the font the user set (``--font``, the desktop's report-font setting, or
``TALENTDESK_REPORT_FONT``), then the usual Windows fonts (Microsoft YaHei, SimHei, SimSun), then
WenQuanYi on Linux.

No character is dropped: where the report font has no glyph (a rare character of a name, 𠀾 or 𪚥,
from CJK Extension B), ``runs`` takes it from a fallback font (``fallbacks``); where no installed font
has it, the report prints 〓 and says which text could not be printed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from db.errors import TalentDeskError
from db.i18n import t


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16BE surrogate pairs.
    reportlab 4/5 writes ``<%04X>`` of the code point (``<2003E>``), which PDF readers reject: the
    glyph prints, but copying or searching the text (pdftotext, a reader's Find) loses a rare character
    of a name such as 𠀾. Same CMap otherwise."""
    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper() if code >= 0 else "0000"

    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
             f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
             "<00> <%02X>" % (len(subset) - 1), "endcodespacerange", f"{len(subset)} beginbfchar"]
    lines += ["<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # used by TTFont's subset writer, looked up at each call

ENV_VAR = "TALENTDESK_REPORT_FONT"
FONT_NAME = "TalentDeskCJK"
PROBE = "智湾人才培养管理台第页共"


class FontError(TalentDeskError):
    pass


@dataclass(frozen=True)
class ReportFont:
    name: str  # the name registered with reportlab
    path: Path


def candidates() -> list[Path]:
    paths: list[Path] = []
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        paths += [windir / n for n in ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc", "simsun.ttf",
                                        "Deng.ttf")]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            paths.append(Path(local) / "Microsoft" / "Windows" / "Fonts" / "msyh.ttc")
    elif sys.platform == "darwin":  # pragma: no cover
        paths += [Path("/System/Library/Fonts/STHeiti Medium.ttc"), Path("/Library/Fonts/Arial Unicode.ttf")]
    for root in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
        paths += [Path(root) / rel for rel in ("truetype/wqy/wqy-microhei.ttc", "truetype/wqy/wqy-zenhei.ttc",
                                               "wqy-microhei/wqy-microhei.ttc", "wenquanyi/wqy-microhei.ttc")]
    return paths


def _load(path: Path, name: str) -> TTFont:
    try:
        font = TTFont(name, str(path), subfontIndex=0)  # the first face of a collection (.ttc)
    except (TTFError, OSError, ValueError, KeyError) as exc:
        raise FontError(t("The report font {path} cannot be used: {reason}. Choose a TrueType font (.ttf or .ttc) "
                          "such as Microsoft YaHei, SimHei or WenQuanYi; OpenType/CFF fonts such as Noto Sans CJK "
                          "(.otf) cannot be embedded by the PDF library.", path=path, reason=exc)) from exc
    if any(ord(ch) not in font.face.charToGlyph for ch in PROBE):
        raise FontError(t("The report font {path} has no Chinese characters.", path=path))
    return font


_registered: dict[str, ReportFont] = {}
_glyphs: dict[str, dict[int, int]] = {}  # registered name -> the font's character map

FALLBACK_ENV_VAR = "TALENTDESK_REPORT_FALLBACK_FONTS"  # more TrueType files, separated by os.pathsep
MISSING_MARK = "〓"  # printed where no font has the character (the typesetter's mark for a missing glyph)


def fallback_candidates() -> list[Path]:
    """Fonts for the characters the main report font lacks, rare characters of names (生僻字) above all:
    CJK Extension B and beyond. The user's own first, then SimSun-ExtB / MingLiU-ExtB on Windows,
    HanaMin (Debian's fonts-hanazono) on Linux."""
    paths = [Path(p).expanduser() for p in os.environ.get(FALLBACK_ENV_VAR, "").split(os.pathsep) if p.strip()]
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        paths += [windir / n for n in ("simsunb.ttf", "mingliub.ttc", "simsun.ttc")]
    for root in ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts")):
        paths += [Path(root) / rel for rel in ("truetype/hanazono/HanaMinA.ttf", "truetype/hanazono/HanaMinB.ttf",
                                               "hanazono/HanaMinA.ttf", "hanazono/HanaMinB.ttf")]
    return paths


_fallbacks: list[str] | None = None


def fallbacks() -> list[str]:
    """The fallback fonts that load, registered with reportlab (once per process, when first needed)."""
    global _fallbacks
    if _fallbacks is None:
        _fallbacks = []
        for path in fallback_candidates():
            if not path.is_file() or str(path) in _registered:
                continue
            name = f"{FONT_NAME}-fallback-{len(_fallbacks)}"
            try:
                font = TTFont(name, str(path), subfontIndex=0)
            except (TTFError, OSError, ValueError, KeyError):
                continue
            pdfmetrics.registerFont(font)
            _glyphs[name] = font.face.charToGlyph
            _fallbacks.append(name)
    return _fallbacks


def shortest(missing: dict[str, str]) -> dict[str, str]:
    """The texts of ``missing`` that do not contain another of them: a name is said once, not again for
    the page header and the cover line that quote it."""
    return {text: chars for text, chars in missing.items()
            if not any(other != text and other in text for other in missing)}


def runs(text: str, main: str) -> list[tuple[str | None, str]]:
    """``text`` cut into runs of one font each: ``main`` where it has the character, else the first
    fallback that has it, else None (no font has it)."""
    glyphs = _glyphs.get(main)
    out: list[tuple[str | None, str]] = []
    for ch in text:
        font: str | None = main
        if glyphs is not None and ord(ch) not in glyphs and not ch.isspace():
            font = next((f for f in fallbacks() if ord(ch) in _glyphs[f]), None)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def find(preferred: str | Path | None = None) -> ReportFont:
    """Register and return the report font; FontError names the fix when none is usable."""
    chosen = preferred or os.environ.get(ENV_VAR)
    if chosen:
        path = Path(chosen).expanduser()
        key = str(path)
        if key not in _registered:
            name = f"{FONT_NAME}-{len(_registered)}"
            font = _load(path, name)  # the user's own choice: its error is the one shown
            pdfmetrics.registerFont(font)
            _glyphs[name] = font.face.charToGlyph
            _registered[key] = ReportFont(name, path)
        return _registered[key]
    tried = []
    for path in candidates():
        if not path.is_file():
            continue
        tried.append(str(path))
        try:
            return find(path)
        except FontError:
            continue
    raise FontError(t("No usable Chinese font for the PDF. Set one with TALENTDESK_REPORT_FONT (or the report font "
                      "in Settings) to a TrueType file such as C:\\Windows\\Fonts\\msyh.ttc or simhei.ttf; on Linux "
                      "install fonts-wqy-microhei. Tried: {tried}", tried="; ".join(tried) or t("none")))
