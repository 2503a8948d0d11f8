"""A progress bar on the terminal for the command line's long work (a ``core.progress.Progress``).

It draws on stderr only when stderr is a terminal, so pipes, logs and tests see nothing, and
redraws at most ten times a second so that reporting every row costs nothing."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 24
_EVERY = 0.1  # seconds between redraws


class TerminalProgress:
    """``TerminalProgress("Exporting")`` is a callable ``(done, total)``; ``close()`` clears it."""

    def __init__(self, what: str, stream: TextIO | None = None, force: bool = False) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.shown = force or _is_terminal(self.stream)
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int | None) -> bool:
        if not self.shown:
            return True
        now = time.monotonic()
        if now - self._last < _EVERY and (total is None or done < total):
            return True
        self._last = now
        self.stream.write("\r" + self.line(done, total))
        self.stream.flush()
        self._drawn = True
        return True

    def line(self, done: int, total: int | None) -> str:
        if not total:
            return f"{self.what}: {done:,}"
        share = min(1.0, done / total)
        filled = round(share * _WIDTH)
        bar = "█" * filled + "·" * (_WIDTH - filled)
        return f"{self.what} {bar} {share:4.0%}  {done:,}/{total:,}"

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
