"""One calm look: a font that renders Chinese on every platform, a muted sidebar, even spacing."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOptionHeader, QWidget

# First installed family wins; each renders Simplified Chinese (never boxes).
CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
                "WenQuanYi Micro Hei", "SimHei"]

ACCENT = "#2f5597"
RESOURCES = (Path(__file__).parent / "resources").as_posix()

STYLESHEET = f"""
QWidget#sidePanel {{ background: #243447; }}
QLabel#brand {{ color: #ffffff; font-size: 15px; font-weight: bold; padding: 18px 14px 14px 16px; }}
QListView#sidebar {{ background: #243447; color: #d7dee8; border: none; outline: 0; font-size: 14px; }}
QListView#sidebar::item {{ padding-left: 16px; border-left: 3px solid transparent; }}
QListView#sidebar::item:hover {{ background: #2e4259; }}
QListView#sidebar::item:selected {{ background: #34506e; color: #ffffff; border-left: 3px solid #8fb4e3; }}
QWidget#content {{ background: #f6f7f9; }}
QLabel#pageTitle {{ font-size: 18px; font-weight: bold; color: #243447; padding-bottom: 6px; }}
QLabel[role="heading"] {{ font-size: 15px; font-weight: bold; color: #243447; padding: 4px 0; }}
QLabel[role="hint"] {{ color: #6b7280; }}
QLabel[role="error"] {{ color: #b42318; }}
QLabel[role="ok"] {{ color: #1a7f37; }}
QLabel[role="warn"] {{ color: #b54708; }}
QLabel#banner {{ background: #fdecea; border: 1px solid #f5c2bd; border-radius: 4px; padding: 6px; }}
QFrame[role="card"] {{ background: #ffffff; border: 1px solid #e3e6ea; border-radius: 6px; }}
QLabel[role="figure"] {{ font-size: 26px; font-weight: bold; color: {ACCENT}; }}
QLabel[role="figureWarn"] {{ font-size: 26px; font-weight: bold; color: #b54708; }}
QLabel#alerts {{ background: #ffffff; border: 1px solid #e3e6ea; border-radius: 6px; padding: 10px; }}
QTableView {{ background: #ffffff; alternate-background-color: #f7f9fc; gridline-color: #e6e9ee;
             selection-background-color: #d6e4f5; selection-color: #111111; border: 1px solid #dfe3e8; }}
QHeaderView::section {{ background: #eef1f5; color: #243447; padding: 4px 6px; border: none;
                        border-right: 1px solid #dfe3e8; border-bottom: 1px solid #dfe3e8; }}
QLineEdit, QComboBox {{ padding: 3px 6px; border: 1px solid #c9ced6; border-radius: 4px; background: #ffffff;
                        min-height: 20px; }}
QComboBox::drop-down {{ border: none; width: 20px; }}
QComboBox QAbstractItemView {{ background: #ffffff; color: #111111; border: 1px solid #c9ced6; outline: 0;
                              selection-background-color: #d6e4f5; selection-color: #111111; }}
QComboBox QAbstractItemView::item {{ min-height: 22px; padding: 0 6px; color: #111111; }}
QComboBox QAbstractItemView::item:hover, QComboBox QAbstractItemView::item:selected {{ background: #d6e4f5;
                                                                                      color: #111111; }}
QComboBox::down-arrow {{ image: url({RESOURCES}/chevron-down.svg); width: 10px; height: 6px; }}
QLineEdit:focus, QComboBox:focus {{ border-color: {ACCENT}; }}
QLineEdit[readOnly="true"] {{ background: #f1f3f5; color: #444; }}
*[invalid="true"] {{ border: 1px solid #b42318; background: #fff6f5; }}
QPushButton {{ padding: 4px 14px; border: 1px solid #c9ced6; border-radius: 4px; background: #ffffff;
               min-height: 20px; }}
QPushButton:hover {{ background: #eef3fa; }}
QPushButton:default, QPushButton#newButton {{ background: {ACCENT}; color: #ffffff; border-color: {ACCENT}; }}
QPushButton:disabled {{ color: #9aa1ab; background: #f1f3f5; }}
QTabWidget::pane {{ border: none; }}
QTabBar::tab {{ padding: 6px 16px; margin-right: 2px; background: #e9edf2; border-top-left-radius: 4px;
                border-top-right-radius: 4px; }}
QTabBar::tab:selected {{ background: #ffffff; color: {ACCENT}; font-weight: bold; }}
QStatusBar {{ background: #eef1f5; color: #374151; }}
"""


def app_font() -> QFont:
    installed = set(QFontDatabase.families())
    families = [f for f in CJK_FAMILIES if f in installed] or CJK_FAMILIES
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(10.5 if sys.platform == "win32" else 10.0)
    return font


class _Style(QProxyStyle):
    """Fusion, with the sort arrow pointing up for ascending as in Excel and WPS (Fusion draws it
    the other way round, which office users read as the opposite order), and drop-down lists that open
    as lists."""

    _FLIP = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
             QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}

    def styleHint(self, hint, option=None, widget=None, returnData=None):  # type: ignore[no-untyped-def]
        # a drop-down opens as a list (as on Windows), not as Fusion's menu: the menu's items ignore the
        # style sheet's highlight and drew the item under the mouse white on white, then with only a grey
        # frame; the list draws it dark on the light highlight of the QComboBox QAbstractItemView rule
        if hint == QStyle.StyleHint.SH_ComboBox_Popup:
            return 0
        return super().styleHint(hint, option, widget, returnData)

    def drawPrimitive(self, element, option, painter, widget=None):  # type: ignore[no-untyped-def]
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = self._FLIP.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


def apply(app: QApplication) -> None:
    app.setStyle(_Style("Fusion"))
    app.setFont(app_font())
    app.setStyleSheet(STYLESHEET)


def icon() -> QIcon:
    """The application icon in every size that was drawn (desktop/resources/make_icon.py)."""
    result = QIcon()
    for path in sorted((Path(__file__).parent / "resources").glob("talentdesk-*.png")):
        result.addFile(str(path))
    return result


# The window frame and title bar around a window's contents (Windows 10/11 at 100 %: 8 px each side,
# about 31 px of title): resize() sets the contents, the frame comes on top.
FRAME_WIDTH, FRAME_HEIGHT = 16, 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize a window to ``width`` x ``height``, or less on a smaller screen: a 1366x768 office
    screen leaves about 1366x728 above the taskbar, where 1280x800 put the status bar out of reach."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, available.width() - FRAME_WIDTH)
        height = min(height, available.height() - FRAME_HEIGHT)
    widget.resize(width, height)
