"""Finding and registering an embeddable Chinese TrueType font for the PDF reports (Qt-free).

Every PDF embeds its font: the built-in STSong-Light CID font is never used, because PCs without
Asian font packs print it as boxes. reportlab reads TrueType outlines only (``.ttf`` and TrueType
collections ``.ttc``); CFF-outline fonts such as Noto Sans CJK (``.otf``) are refused with a clear
message naming the fix.

Order of choice: the font the user set (``--font``, the desktop's report-font setting, or
``TALENTDESK_REPORT_FONT``), then the usual Windows fonts (Microsoft YaHei, SimHei, SimSun), then
WenQuanYi on Linux.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from db.errors import TalentDeskError
from db.i18n import register, t

register(
    {
        "No usable Chinese font for the PDF. Set one with TALENTDESK_REPORT_FONT (or the report font in "
        "Settings) to a TrueType file such as C:\\Windows\\Fonts\\msyh.ttc or simhei.ttf; on Linux install "
        "fonts-wqy-microhei. Tried: {tried}": (
            "没有可用于 PDF 的中文字体。请用 TALENTDESK_REPORT_FONT（或“设置”中的报告字体）指定一个 TrueType 字体文件，"
            "如 C:\\Windows\\Fonts\\msyh.ttc 或 simhei.ttf；Linux 上请安装 fonts-wqy-microhei。已尝试：{tried}"
        ),
        "The report font {path} cannot be used: {reason}. Choose a TrueType font (.ttf or .ttc) such as "
        "Microsoft YaHei, SimHei or WenQuanYi; OpenType/CFF fonts such as Noto Sans CJK (.otf) cannot be "
        "embedded by the PDF library.": (
            "报告字体 {path} 无法使用：{reason}。请选择 TrueType 字体（.ttf 或 .ttc），如 微软雅黑、黑体 或 文泉驿；"
            "PDF 库无法嵌入 Noto Sans CJK 等 OpenType/CFF 字体（.otf）。"
        ),
        "The report font {path} has no Chinese characters.": "报告字体 {path} 不含中文字符。",
        "none": "无",
    }
)

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


def find(preferred: str | Path | None = None) -> ReportFont:
    """Register and return the report font; FontError names the fix when none is usable."""
    chosen = preferred or os.environ.get(ENV_VAR)
    if chosen:
        path = Path(chosen).expanduser()
        key = str(path)
        if key not in _registered:
            name = f"{FONT_NAME}-{len(_registered)}"
            pdfmetrics.registerFont(_load(path, name))  # the user's own choice: its error is the one shown
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
