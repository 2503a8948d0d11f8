"""Python's automatic garbage collection paused while work runs on a plain thread.

A collection started on a worker thread could destroy Qt objects on the wrong thread, so while
any worker runs (an import, an export, a merge, a find, a backup) the automatic collection is
off and the window's thread collects now and then itself (``gc.collect(0)``). The pauses nest:
collection comes back when the last worker has ended, and only if it was on before the first.
Called from the window's thread only.
"""

from __future__ import annotations

import gc

_pauses = 0
_was_enabled = True


def pause() -> None:
    global _pauses, _was_enabled
    if _pauses == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _pauses += 1


def resume() -> None:
    global _pauses
    if _pauses == 0:
        return
    _pauses -= 1
    if _pauses == 0 and _was_enabled:
        gc.enable()


def paused() -> int:
    """How many workers hold the pause now."""
    return _pauses
