"""Work that must not slow the window: run in child processes, not threads.

Suggesting over a long article and learning a model are pure Python. In a thread they would hold
the interpreter lock, and every call the window's thread makes into Qt (which releases it) would
wait for it back: label keystrokes went from 12 ms to over a second while a model learned. A
child process (started with ``spawn``: no Qt state is copied) shares nothing with the window.
Neither helper touches a Qt object: results are picked up by the caller's timer.

A child ends with the window's process, however that ends (closed, killed, crashed): its work is
for that window alone, and a model learning from 50k annotations holds a core and a gigabyte.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any

_CONTEXT = multiprocessing.get_context("spawn")


def exit_with_parent() -> None:
    """In a child process: end it as soon as the process that started it has ended."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)  # nothing of this child's is worth finishing for a window that is gone

    threading.Thread(target=watch, name="annotator-parent-watch", daemon=True).start()


class Pool:
    """One long-lived child process running submitted calls in order; each result (or the
    exception it raised) lands in :attr:`results` with the tag it was submitted with."""

    def __init__(self) -> None:
        self.results: queue.SimpleQueue[tuple[Any, Any, BaseException | None]] = queue.SimpleQueue()
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, tag: Any, function: Callable[..., Any], *args: Any) -> bool:
        """Run ``function(*args)`` in the child; False when the pool is shut down."""
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=_CONTEXT, initializer=exit_with_parent
            )
        try:
            future = self._executor.submit(function, *args)
        except (RuntimeError, BrokenProcessPool):  # shut down, or the child died: start anew
            self._executor = None
            return False

        def done(finished: Future[Any]) -> None:  # in the executor's thread: no Qt here
            if finished.cancelled():  # by shutdown(): nobody waits for it
                return
            error = finished.exception()
            self.results.put((tag, None if error else finished.result(), error))
            if isinstance(error, BrokenProcessPool):
                self._executor = None

        future.add_done_callback(done)
        return True

    def shutdown(self) -> None:
        """End the child at once, its work unfinished: a window being closed must not wait for
        suggestions over a 5 MB article (the process would, at exit, for seconds)."""
        if self._executor is None:
            return
        executor, self._executor = self._executor, None
        children = self.processes_of(executor)
        executor.shutdown(wait=False, cancel_futures=True)
        for child in children:
            if child.is_alive():
                child.terminate()
        for child in children:
            child.join(5)  # SIGTERM ends it at once: this waits for its end, not its work

    @staticmethod
    def processes_of(executor: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
        # Python 3.14 has ProcessPoolExecutor.terminate_workers(); before it, only this
        return list((getattr(executor, "_processes", None) or {}).values())


def _run_and_send(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    exit_with_parent()
    try:
        sender.send((function(*args), None))
    except Exception as exc:  # noqa: BLE001 (reported to the window, which carries on)
        sender.send((None, f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


class Job:
    """One call in a child process of its own, which :meth:`cancel` ends at once."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        self._receiver = receiver
        self._process = _CONTEXT.Process(
            target=_run_and_send,
            args=(sender, function, args),
            daemon=True,
            name="annotator-background",
        )
        self._process.start()
        sender.close()

    def poll(self) -> tuple[bool, Any, str | None]:
        """(finished, result, error): the result once the child sent it."""
        if self._receiver.poll():
            try:
                result, error = self._receiver.recv()
            except (EOFError, OSError) as exc:
                return True, None, f"the background process ended ({exc})"
            self._process.join(5)
            return True, result, error
        if not self._process.is_alive():
            return True, None, f"the background process ended (exit code {self._process.exitcode})"
        return False, None, None

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(5)
        self._receiver.close()

    def wait(self, timeout: float | None = None) -> None:
        self._process.join(timeout)
