"""The window's background processes (gui/background.py) end with the window's process, however
it ends: a killed or crashed window leaves no child learning a model on its own."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GONE_WITHIN_S = 60  # an upper bound on waiting for the event, not a timing assertion

_WINDOW = textwrap.dedent(
    """
    import sys, time
    from annotator.gui.background import Job, Pool

    job = Job(time.sleep, 3600)
    pool = Pool()
    pool.submit("work", time.sleep, 3600)
    print(job._process.pid, *pool._executor._processes, flush=True)
    sys.stdin.read()  # until killed
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status is left


def test_background_children_end_when_the_window_process_is_killed() -> None:
    window = subprocess.Popen(
        [sys.executable, "-c", _WINDOW],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    children: list[int] = []
    try:
        children = [int(pid) for pid in window.stdout.readline().split()]  # started: both
        assert len(children) == 2 and all(_alive(pid) for pid in children)
        # A pidfd becomes readable when its process ends: wait for that event, no polling.
        ends = [os.pidfd_open(pid) for pid in children]
        window.send_signal(signal.SIGKILL)
        window.wait()
        try:
            deadline = time.monotonic() + GONE_WITHIN_S
            waiting = list(ends)
            while waiting and (left := deadline - time.monotonic()) > 0:
                ended, _, _ = select.select(waiting, [], [], left)
                waiting = [fd for fd in waiting if fd not in ended]
        finally:
            for fd in ends:
                os.close(fd)
        assert not [pid for pid in children if _alive(pid)], "children outlived the window"
    finally:
        window.kill()
        for pid in children:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
