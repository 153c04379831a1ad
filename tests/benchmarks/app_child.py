"""A child process of the benchmark suite (tests/benchmarks/run.py); not a test, not for users.

``app_child.py app DB [TYPING]``
                            starts the real desktop app (desktop.app.run) offscreen; when its sign-in
                            dialog has been painted prints ``DIALOG <time>``, waits TYPING seconds (a
                            person typing; default 0), fills in the demo administrator and presses
                            Sign in (``SUBMIT <time>``), and prints ``PAINTED <time>`` when the main
                            window's first page has been painted, then quits. Nothing in the app is
                            bypassed: the dialog, its worker threads and the main window are the real ones.
``app_child.py visit DB``   the same (no typing time), then visits every sidebar page (waiting for its
                            background work) and opens a student's detail window; prints ``PEAK_RSS_MB <n>``.
``app_child.py floor``      a bare PySide6 window with an empty QTableView; prints ``PAINTED <time>``.
``app_child.py floor-orm``  the same window after importing SQLAlchemy's ORM and mapping and configuring
                            TalentDesk's models (db.models), nothing else of the app: what the data layer
                            alone adds to any start that must query before its first paint.

Times are ``time.time()`` so the parent can subtract the moment it started the process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop import mainwindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _stamp(what: str) -> None:
    print(f"{what} {time.time():.6f}", flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process's own address space;
    getrusage's ru_maxrss does not: execve keeps the larger of the old and new peaks, so a child
    started by a parent holding 400 MB (the suite, after generating the scale-10 data) reports 400 MB
    however little it used itself."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _painted() -> None:
    _stamp("PAINTED")


def floor(orm: bool = False) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    if orm:
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from sqlalchemy.orm import configure_mappers

        import db.models  # noqa: F401  (maps every model)

        configure_mappers()
    app = QApplication(sys.argv)
    window = QMainWindow()
    table = QTableView(window)
    window.setCentralWidget(table)
    window.resize(1280, 800)

    class Watch(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if not self.done and event.type() == QEvent.Type.Paint and obj is table.viewport():
                self.done = True
                _painted()
                QTimer.singleShot(0, app.quit)
            return False

    watch = Watch()
    app.installEventFilter(watch)
    window.show()
    return app.exec()


def app(db: str, visit: bool, typing: float = 0.0) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from desktop import app as desktop_app
    from desktop import login as login_module

    qapp = QApplication(sys.argv)
    dialogs: list[login_module.LoginDialog] = []
    windows: list[Any] = []

    def in_page(obj: QObject) -> bool:
        w = obj if isinstance(obj, QWidget) else None
        while w is not None:
            if w.objectName().startswith("page_"):
                return True
            w = w.parentWidget()
        return False

    def sign_in() -> None:
        dialog = dialogs[0]
        dialog.username.setText("admin")
        dialog.password.setText("talentdesk")
        _stamp("SUBMIT")
        dialog.ok.click()

    class Watch(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() != QEvent.Type.Paint or self.done:
                return False
            if not dialogs and isinstance(obj, login_module.LoginDialog):
                dialogs.append(obj)
                _stamp("DIALOG")
                QTimer.singleShot(int(typing * 1000), sign_in)
            elif dialogs and in_page(obj):
                from desktop import mainwindow

                windows.extend(w for w in qapp.topLevelWidgets() if isinstance(w, mainwindow.MainWindow))
                self.done = True
                _painted()
                QTimer.singleShot(0, after_paint)
            return False

    def after_paint() -> None:
        qapp.removeEventFilter(watch)
        if visit:
            visit_all(windows[0])
        qapp.quit()

    def visit_all(window: mainwindow.MainWindow) -> None:
        from sqlalchemy import select

        from db.models import Student
        from desktop.studentdetail import StudentDetail

        ctx = window.ctx
        for entry in window.sidebar_model.entries:
            window.select(entry.key)
            for _ in range(3):
                qapp.processEvents()
                ctx.tasks.wait()
            window.stack.currentWidget().grab()
        with ctx.factory() as s:
            sid = s.scalar(select(Student.id).order_by(Student.id).limit(1))
        detail = StudentDetail(ctx, sid)
        detail.load()
        detail.show()
        detail.grab()
        detail.close()
        qapp.processEvents()
        ctx.tasks.wait()
        print(f"PEAK_RSS_MB {peak_rss_mb():.1f}", flush=True)

    watch = Watch()
    qapp.installEventFilter(watch)
    code = desktop_app.run(db, sys.argv[:1])
    sys.stdout.flush()
    os._exit(code)  # do not wait for a background refresh still running


def main() -> int:
    mode = sys.argv[1]
    if mode in ("floor", "floor-orm"):
        return floor(orm=mode == "floor-orm")
    return app(sys.argv[2], visit=mode == "visit", typing=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)


if __name__ == "__main__":
    sys.exit(main())
