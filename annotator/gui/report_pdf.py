"""The report as PDF: paper by locale; the printing is annotator/io/report_pdf.py (WeasyPrint
over the HTML report, whose text layer holds the article's own characters; that module says why
not Qt's QPdfWriter). Page size follows the locale: Letter where it is the norm, else A4.

The dialog prints in a child process (:class:`PdfSaver`): a big report takes WeasyPrint minutes
and gigabytes, which must neither freeze the window nor stay in its process.
"""

from __future__ import annotations

import multiprocessing
import os
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.report import Report
from annotator.gui.background import Job
from annotator.io.files import atomic_file, check_output_file
from annotator.io.report_pdf import print_to
from annotator.io.report_pdf import write as print_pdf

_SPAWN = multiprocessing.get_context("spawn")  # as gui.background's children are started

# Territories where US Letter is the usual paper (the rest of the world uses A4).
_LETTER = {
    "UnitedStates",
    "Canada",
    "Mexico",
    "Philippines",
    "Chile",
    "Colombia",
    "Venezuela",
    "CostaRica",
    "Guatemala",
    "Panama",
    "PuertoRico",
    "DominicanRepublic",
    "ElSalvador",
    "Nicaragua",
    "Honduras",
}


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


def paper_for_locale(locale: QLocale | None = None) -> Paper:
    """Letter in the Americas' Letter countries, else A4 (from LC_PAPER/LC_ALL/LANG)."""
    if locale is None:
        name = os.environ.get("LC_ALL") or os.environ.get("LC_PAPER") or os.environ.get("LANG")
        locale = QLocale(name.split(".")[0]) if name else QLocale.system()
    return Paper.LETTER if locale.territory().name in _LETTER else Paper.A4


def write_pdf(report: Report, target: Path, paper: Paper | None = None) -> int:
    """Print ``report`` to ``target`` (replaced only once complete); returns the page count."""
    return print_pdf(report, target, paper or paper_for_locale())


class _Cancelled(Exception):
    """Thrown into the atomic write of a cancelled save: its temporary goes, the target stays."""


def _print_in_child(
    report: Report, out: Path, paper: str, target: Path, counts: Any
) -> tuple[int, str]:
    """In the child process: (pages, "") or (0, the one-line problem)."""

    def progress(done: int, total: int) -> None:
        counts[0], counts[1] = done, total

    try:
        return print_to(report, out, paper, target, progress), ""
    except AnnotatorError as exc:
        return 0, str(exc)


class PdfSaver(QObject):
    """Prints the PDF report in a child process (:class:`annotator.gui.background.Job`) with a
    progress dialog whose Cancel ends the child at once. The child writes into the temporary
    of an atomic write held here, so the target is replaced only once the PDF is whole, and a
    cancel or failure removes the temporary and leaves an existing target as it was."""

    ended = Signal(str, str)  # "saved" | "failed" | "cancelled", and the pages or the problem

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.progress: QProgressDialog | None = None
        self._job: Job | None = None
        self._write: ExitStack | None = None
        self._counts: Any = None
        self._timer = QTimer(self, interval=50, timeout=self._poll)

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self, report: Report, target: Path, paper: Paper) -> None:
        """Start printing (AnnotatorError at once when ``target`` cannot be written)."""
        check_output_file(target)
        write = ExitStack()
        temporary = write.enter_context(atomic_file(target))
        self._write = write
        self._counts = _SPAWN.Array("i", 2)
        self._job = Job(_print_in_child, report, temporary, paper.value, target, self._counts)
        self.progress = QProgressDialog("Printing the PDF report…", "Cancel", 0, 0, self.window)
        self.progress.setWindowTitle("Save report")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self.cancel)
        self.progress.show()
        self._timer.start()

    def cancel(self) -> None:
        if self._job is None:
            return
        self._job.cancel()
        self._end("cancelled", "", _Cancelled())

    def _poll(self) -> None:
        if self._job is None:
            return
        finished, result, error = self._job.poll()
        if not finished:
            done, total = self._counts[0], self._counts[1]
            if self.progress is not None and total:
                self.progress.setMaximum(total)
                self.progress.setValue(done)
                self.progress.setLabelText(f"Printing the PDF report… part {done} of {total}")
            return
        pages, problem = result if result is not None else (0, str(error))
        if problem:
            self._end("failed", problem, _Cancelled())
        else:
            self._end("saved", str(pages), None)

    def _end(self, outcome: str, detail: str, discard: BaseException | None) -> None:
        self._timer.stop()
        self._job = None
        write, self._write = self._write, None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        if write is not None:
            if discard is not None:
                write.__exit__(type(discard), discard, None)  # removes the temporary
            else:
                try:
                    write.close()  # the temporary becomes the target
                except AnnotatorError as exc:
                    outcome, detail = "failed", str(exc)
        self.ended.emit(outcome, detail)
