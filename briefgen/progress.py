"""Build progress on a terminal: a bar for builds that take over a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Prints ``stage [#####     ] done/total`` on stderr, only on a terminal.

    Nothing is shown for the first second, so fast builds print only their summary.
    """

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None,
                 delay: float = 1.0):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.delay or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        self.stream.write(f"\r{stage:<8} [{'#' * filled}{' ' * (width - filled)}] "
                          f"{done}/{total}\x1b[K")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        """Clear the bar so the summary line stands alone."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
