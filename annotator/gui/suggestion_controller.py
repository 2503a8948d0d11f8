"""Suggestions in the window: computed off the window's thread for the document shown, stepped
through with Tab / Shift+Tab, accepted with Enter, rejected with Backspace.

The project's side (patterns, rejections, the annotations of the document) is read on the
window's thread; the names already labelled are read once on a thread of their own and then kept
up to date from each edit (:class:`annotator.store.known_names.KnownNames`), so that a switch
reads one document whatever the size of the project; the suggesters, pure Python over the text,
run in a child process (:mod:`annotator.gui.background`) and a timer collects the result, so
even a 1 MB article never slows the window. A model of the project's accepted annotations is
learned in another child process (:mod:`annotator.gui.model_trainer`).
"""

from __future__ import annotations

import bisect
import queue
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor

from annotator.core.errors import AnnotatorError
from annotator.core.model import Annotation
from annotator.core.spans import Span
from annotator.core.suggest.engine import (
    SuggestionSources,
    suggest_positional,
    too_slow_message,
)
from annotator.core.suggest.learner import SpanModel
from annotator.core.suggest.patterns import Pattern
from annotator.core.suggest.types import Suggestion
from annotator.gui import suggestion_painting
from annotator.gui.background import Pool
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.model_trainer import ModelTrainer
from annotator.gui.suggestion_commands import (
    AcceptSuggestions,
    RejectSuggestions,
)
from annotator.gui.undo import push
from annotator.suggest_service import KnownNames, suggestion_store

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SETTING = "suggestions/show"


def span_of(s: Suggestion) -> Span:
    return Span(s.start, s.end, s.label, f"{s.label}\x1f{s.start}\x1f{s.end}")


class SuggestionController(QObject):
    changed = Signal()  # the suggestions of the document shown (or the current one) changed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext = window.ctx
        self.reader = window.reader
        self.suggestions: list[Suggestion] = []
        self._hidden: dict[str, list[Suggestion]] = {}
        self._by_key: dict[tuple[str, int, int], Suggestion] = {}
        self.current: Suggestion | None = None
        self.document_id: str | None = None
        self.computing = False
        self._generation = 0
        self._closed = False
        self._pool = Pool()  # a child process: suggesting never slows the window
        self._later = QTimer(self, singleShot=True, interval=250, timeout=self.refresh)
        self.trainer = ModelTrainer(self.ctx.project, self)
        self.trainer.trained.connect(self._model_trained)
        self._collect = QTimer(self, interval=15, timeout=self._drain)
        #: the names the project labelled already, read once off this thread, then kept
        self.names = KnownNames(self.ctx.project)
        self._reading_names: threading.Thread | None = None
        self._names_failed: str | None = None  # why they could not be read, the last time
        self._names_read = QTimer(self, interval=20, timeout=self._names_poll)
        self.ctx.events.changed.connect(self._changed)
        window.destroyed.connect(self.shutdown)

    @property
    def enabled(self) -> bool:
        return self.ctx.settings.value(SETTING, True, type=bool)

    def set_enabled(self, on: bool) -> None:
        self.ctx.settings.setValue(SETTING, on)
        if on and self.trainer.model is None:
            self.start_model()
        elif not on:
            self.trainer.stop()
        self.refresh()

    def start_model(self) -> None:
        """Learn from what the project holds now (in the background), if suggestions are on."""
        if self.enabled and not self._closed:
            self.trainer.start()

    def shutdown(self) -> None:
        """End the child processes at once, their work unfinished (the window is closing)."""
        self._closed = True
        self._later.stop()
        self._collect.stop()
        self.trainer.stop()
        self._pool.shutdown()
        self._names_read.stop()
        self.names.close()

    def _read_names(self) -> None:
        """Read the project's names on a thread (the window carries on); refresh once read."""
        if self._reading_names is not None and self._reading_names.is_alive():
            return

        def read() -> None:
            try:
                self.names.load()
            except AnnotatorError as exc:  # unreadable now: said; the next refresh tries again
                self._names_failed = exc.reason

        self._names_failed = None
        self._reading_names = threading.Thread(
            target=read, name="annotator-known-names", daemon=True
        )
        self._reading_names.start()
        self._names_read.start()

    def _names_poll(self) -> None:
        if self._reading_names is not None and self._reading_names.is_alive():
            return
        self._names_read.stop()
        self._reading_names = None
        if self.names.loaded:
            self.refresh()
        elif self._names_failed is not None:
            self.computing = False
            self.window.statusBar().showMessage(f"No suggestions: {self._names_failed}", 8000)
        else:  # an edit or another program's commit came meanwhile: read them again
            self._later.start()

    # -- computing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the suggestions of the document shown, in the child process."""
        self._later.stop()
        self._generation += 1
        document_id = self.reader.document_id
        if self._closed:
            return
        if not self.enabled or document_id is None or self.reader.index is None:
            self.computing = False
            self._show(document_id, [])
            return
        project = self.ctx.project
        known_names = self.names.for_text(self.reader.text)
        if known_names is None:  # not read yet, or out of date: refreshed once they are read
            self._read_names()
            self.computing = True
            return
        try:
            sources = SuggestionSources(
                labels=[label.name for label in self.ctx.labels()],
                known_names=known_names,
                patterns=suggestion_store.patterns(project),
                model=self.trainer.model,
            )
            rejected = suggestion_store.rejected(project, document_id)
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(f"No suggestions: {exc.reason}", 8000)
            return
        existing = [(s.label, s.start, s.end) for s in self.reader.index]
        tag = (self._generation, document_id)
        if not self._pool.submit(
            tag, suggest_positional, self.reader.text, sources, existing, rejected
        ):
            self._later.start()  # the child process ended: a new one starts on the next try
            return
        self.computing = True
        self._collect.start()

    def _drain(self) -> None:
        while True:
            try:
                (generation, document_id), found, error = self._pool.results.get_nowait()
            except queue.Empty:
                break
            if generation == self._generation:
                self._collect.stop()
                if error is not None:
                    self.computing = False
                    self.window.statusBar().showMessage(
                        f"No suggestions: {type(error).__name__}: {error}", 8000
                    )
                    continue
            self._arrived(generation, document_id, *found)

    def _arrived(
        self,
        generation: int,
        document_id: str,
        found: list[Suggestion],
        too_slow: list[Pattern],
    ) -> None:
        if generation != self._generation or document_id != self.reader.document_id:
            return
        self.computing = False
        self._show(document_id, found)
        if too_slow:
            message = "; ".join(too_slow_message(p, "this document") for p in too_slow)
            self.window.statusBar().showMessage(message[0].upper() + message[1:] + ".", 15000)

    def _show(self, document_id: str | None, found: list[Suggestion]) -> None:
        if document_id != self.document_id:
            self._hidden.clear()  # annotation id -> the suggestions its arrival hid
        keep = self.current.key if self.current else None
        self.document_id = document_id
        unique = {s.key: s for s in found}  # put back and recomputed ones may meet
        self.suggestions = sorted(unique.values(), key=lambda s: (s.start, s.end, s.label))
        self._by_key = unique
        self.current = next((s for s in self.suggestions if s.key == keep), None)
        if document_id is not None and document_id == self.reader.document_id:
            suggestion_painting.set_suggestions(
                self.reader,
                [span_of(s) for s in self.suggestions],
                span_of(self.current) if self.current else None,
            )
        self.changed.emit()

    def _changed(self, changes: Changes) -> None:
        if (
            changes.labels
            or changes.relabelled
            or changes.documents
            or changes.recount
            or changes.text_of is not None
        ):  # a codebook change, an import or re-import, a merge, someone else's edits
            self.names.forget()
        elif changes.annotations:
            self.names.apply(changes.removed, changes.added)
        if changes.annotations and changes.document_id is not None:
            self._annotations_changed(
                changes.document_id, list(changes.removed), list(changes.added)
            )
        if changes.rejections is not None:
            self._rejections_changed(changes.rejections)
        if changes.labels or changes.patterns:
            self._later.start()
        if changes.text_of is not None and changes.text_of == self.reader.document_id:
            # a re-import: the shown suggestions (and any being computed) are of the old text
            self._generation += 1
            self._hidden.clear()
            self._show(changes.text_of, [])
            self._later.start()

    def _annotations_changed(
        self, document_id: str, removed: list[Annotation], added: list[Annotation]
    ) -> None:
        if self.enabled and not self._closed:
            self.trainer.note_changes(len(removed) + len(added))
        if document_id != self.document_id:
            return
        if removed:
            if all(a.id in self._hidden for a in removed):  # e.g. undo: put back what they hid
                back = [s for a in removed for s in self._hidden.pop(a.id)]
                if back:
                    self._put_back(back)
            else:  # an annotation older than these suggestions: what it kept out may be back
                self._later.start()
        if added:  # hide what the new annotations cover, at once
            gone: dict[tuple[str, int, int], Suggestion] = {}
            for a in added:
                covered = self._covered([a])
                self._hidden[a.id] = [s for s in covered.values() if s.key not in gone]
                gone.update(covered)
            if gone:
                self._take_away(gone)

    def _take_away(self, gone: dict[tuple[str, int, int], Suggestion]) -> None:
        """Remove a few suggestions: in place, not a rebuild of thousands."""
        self.suggestions = [s for s in self.suggestions if s.key not in gone]
        for key in gone:
            self._by_key.pop(key, None)
        if self.current is not None and self.current.key in gone:
            self.current = None
        suggestion_painting.remove(
            self.reader,
            [span_of(s).id for s in gone.values()],
            span_of(self.current) if self.current else None,
        )
        self.changed.emit()

    def _put_back(self, back: list[Suggestion]) -> None:
        back = [s for s in back if s.key not in self._by_key]
        for s in back:
            self._by_key[s.key] = s
            bisect.insort(self.suggestions, s, key=lambda x: (x.start, x.end, x.label))
        suggestion_painting.add(self.reader, [span_of(s) for s in back])
        self.changed.emit()

    def _covered(self, added: list[Annotation]) -> dict[tuple[str, int, int], Suggestion]:
        """Keys of the suggestions overlapping a new annotation of their label, found through
        the reader's per-line index rather than a pass over every suggestion."""
        index = self.reader.suggestion_index
        if index is None:
            return {}
        gone = {}
        lines = self.reader.lines
        for a in added:
            for line in range(lines.line_of(a.start), lines.line_of(max(a.start, a.end - 1)) + 1):
                for span in index.in_line(line):
                    if span.label == a.label and span.start < a.end and a.start < span.end:
                        key = (span.label, span.start, span.end)
                        found = self._by_key.get(key)
                        if found is not None:
                            gone[key] = found
        return gone

    def _rejections_changed(self, document_id: str) -> None:
        if document_id == self.document_id:
            self._later.start()

    def _model_trained(self, model: SpanModel | None) -> None:
        if model is not None:
            self.window.statusBar().showMessage(
                f"Suggestions learned from {model.examples:,} annotations "
                f"({', '.join(model.labels)}).",
                5000,
            )
        self._later.start()

    # -- stepping and deciding -----------------------------------------------------------------

    def step(self, delta: int) -> None:
        """Make the next (+1) or previous (-1) suggestion current, from the caret or the
        current suggestion, wrapping around."""
        if not self.suggestions:
            self.window.statusBar().showMessage(
                "No suggestions here."
                if self.enabled
                else "Suggestions are off (View → Show Suggestions).",
                4000,
            )
            return
        if self.current is not None and self.current in self.suggestions:
            index = self.suggestions.index(self.current) + delta
        else:
            caret = self.reader.offsets.from_utf16(
                self.reader.textCursor().position(), "before"
            )  # Qt boundary
            after = [i for i, s in enumerate(self.suggestions) if s.start >= caret]
            index = (
                (after[0] if after else 0)
                if delta > 0
                else ((after[0] - 1) if after else len(self.suggestions) - 1)
            )
        self.set_current(self.suggestions[index % len(self.suggestions)])

    def set_current(self, suggestion: Suggestion | None, reveal: bool = True) -> None:
        self.current = suggestion
        suggestion_painting.set_current(self.reader, span_of(suggestion) if suggestion else None)
        if suggestion is not None and reveal:
            cursor = QTextCursor(self.reader.document())
            cursor.setPosition(self.reader.offsets.to_utf16(suggestion.start))  # Qt boundary
            self.reader.setTextCursor(cursor)
            self.reader.centerCursor()
            score = f"{suggestion.score:.0%}"
            detail = ", ".join(f"{k}: {v}" for k, v in suggestion.attributes.items())
            self.window.statusBar().showMessage(
                f"Suggested {suggestion.label} ({suggestion.source}, {score})"
                + (f" — {detail}" if detail else "")
                + ". Enter accepts, Backspace rejects, Tab goes on.",
                8000,
            )
        self.changed.emit()

    def _after(self, decided: list[Suggestion]) -> Suggestion | None:
        """The suggestion to make current once ``decided`` are gone."""
        gone = {s.key for s in decided}
        last = max(s.start for s in decided)
        rest = [s for s in self.suggestions if s.key not in gone]
        return next((s for s in rest if s.start >= last), rest[0] if rest else None)

    def accept(self) -> None:
        if self.current is None or self._refuse():
            return
        self._decide(AcceptSuggestions, [self.current])

    def reject(self) -> None:
        if self.current is None or self._refuse():
            return
        self._decide(RejectSuggestions, [self.current])

    def accept_all_of_label(self) -> None:
        """Accept every suggestion of the current suggestion's label in this document."""
        if self.current is None:
            self.window.statusBar().showMessage(
                "Tab to a suggestion first: all suggestions of its label are accepted.", 5000
            )
            return
        if self._refuse():
            return
        label = self.current.label
        self._decide(AcceptSuggestions, [s for s in self.suggestions if s.label == label])

    def _decide(
        self,
        command_type: type[AcceptSuggestions] | type[RejectSuggestions],
        decided: list[Suggestion],
    ) -> None:
        assert self.document_id is not None
        following = self._after(decided)
        command = command_type(self.ctx, self.document_id, decided)
        if not push(self.ctx, command):  # the write failed (and was reported)
            return
        gone = {s.key: s for s in decided if s.key in self._by_key}
        if gone:
            self._take_away(gone)
        self.set_current(
            following if following in self.suggestions else None, reveal=following is not None
        )

    def _refuse(self) -> bool:
        return self.window._refuse_if_read_only()
