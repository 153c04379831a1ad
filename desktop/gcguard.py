"""Python's cycle collector runs on the UI thread only.

Python collects reference cycles on whichever thread happens to allocate when a generation's threshold
is crossed. In a Qt application with worker threads that thread is often a worker (the data check,
a list's count, an import): if the garbage it collects holds the last reference to a Qt object (a
dialog closed while a lambda connected to it kept a cycle alive, a job's signals), the Qt object is
destroyed on the worker thread, and Qt crashes ("Garbage-collecting" on the worker's stack, or heap
corruption found later at exit).

So the application switches automatic collection off and collects from a timer on the UI thread,
generation by generation as the thresholds Python would have used are crossed: the same amount of
collecting, always on the thread that owns the widgets. (The pattern pyqtgraph and others use.)
Plain reference counting, which frees almost everything, is not affected.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GarbageCollector(QObject):
    """Collects on the UI thread every ``interval_ms`` when a generation is due; gc stays disabled."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.collections = 0

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()

    def check(self) -> None:
        """Collect the oldest generation that is due (Python's own rule, run from here)."""
        first, second, third = gc.get_count()
        t0, t1, t2 = self.thresholds
        if first > t0:
            generation = 0
            if second > t1:
                generation = 1
                if third > t2:
                    generation = 2
            gc.collect(generation)
            self.collections += 1


__all__ = ["GarbageCollector"]
