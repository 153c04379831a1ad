"""Draw the TalentDesk application icon and write it beside this file.

    QT_QPA_PLATFORM=offscreen python desktop/resources/make_icon.py

The mark: a rounded deep-blue square; three mentor nodes (academic, industry, study) on a ring around
the student at the centre, joined to it — the three-mentor scheme at a glance. Drawn with QPainter
(no font, so it looks the same on every PC) at each size, so small sizes stay crisp rather than scaled.
Writes talentdesk-<N>.png for N in SIZES and talentdesk.ico (every size, PNG-compressed entries, which
Windows Vista and later read; Qt's ico plugin reads it too).
"""

from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
NODE_COLOURS = ("#5cc8ff", "#ffb347", "#7be0a3")  # academic, industry, study


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = s * 0.04
    rect = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    grad = QLinearGradient(rect.topLeft(), rect.bottomRight())
    grad.setColorAt(0.0, QColor("#1f5fbf"))
    grad.setColorAt(1.0, QColor("#123a78"))
    path = QPainterPath()
    path.addRoundedRect(rect, s * 0.2, s * 0.2)
    p.fillPath(path, QBrush(grad))

    centre = QPointF(s / 2, s * 0.53)
    ring = s * 0.29
    node = max(s * 0.095, 1.6)
    nodes = [QPointF(centre.x() + ring * math.cos(math.radians(a)), centre.y() - ring * math.sin(math.radians(a)))
             for a in (90, 210, 330)]
    if size >= 32:  # the ring: too fine to read below 32 px
        p.setPen(QPen(QColor(255, 255, 255, 70), max(s * 0.025, 1.0)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, ring, ring)
    p.setPen(QPen(QColor(255, 255, 255, 220), max(s * 0.045, 1.0), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for n in nodes:
        p.drawLine(centre, n)
    p.setPen(Qt.PenStyle.NoPen)
    for n, colour in zip(nodes, NODE_COLOURS):
        p.setBrush(QColor(colour))
        p.drawEllipse(n, node, node)
    p.setBrush(QColor("#ffffff"))
    p.drawEllipse(centre, node * 1.35, node * 1.35)
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")  # type: ignore[call-overload]  # PySide6 stubs say bytes; the binding wants str
    buf.close()
    return bytes(data.data())


def ico_bytes(images: list[QImage]) -> bytes:
    """An ICO file holding each image as a PNG entry."""
    pngs = [png_bytes(img) for img in images]
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for img, png in zip(images, pngs):
        w = img.width() if img.width() < 256 else 0  # 0 means 256
        h = img.height() if img.height() < 256 else 0
        entries += struct.pack("<BBBBHHII", w, h, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    images = [draw(n) for n in SIZES]
    for n, img in zip(SIZES, images):
        img.save(str(HERE / f"talentdesk-{n}.png"), "PNG")  # type: ignore[call-overload]  # likewise
    (HERE / "talentdesk.ico").write_bytes(ico_bytes([img for img in images if img.width() in (16, 24, 32, 48, 256)]))
    print(f"wrote {len(images)} PNG sizes and talentdesk.ico to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
