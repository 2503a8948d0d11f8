"""The main window's labelling keys: selection to span (by each label's snapping rule), refusing
duplicates, relabelling, keyboard selection by sentence and clause, moving an annotation's
edges, attributes from the keyboard, and moving between documents.

A mixin of :class:`~annotator.gui.main_window.MainWindow`; everything here reads the window's
widgets and pushes undo commands, and every offset is a code point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from annotator.core.boundaries import next_boundary, previous_boundary, sentence_at, word_step
from annotator.core.model import Annotation, DocumentStatus
from annotator.core.snapping import SnapMode, snap
from annotator.gui.formatting import excerpt
from annotator.gui.reader import span_label

# The commands and the dialog are imported where used: a window's first paint needs none of them.
if TYPE_CHECKING:
    from annotator.core.find import FindMatch
    from annotator.gui.edit_commands import LabelAndStart
    from annotator.gui.label_all_dialog import LabelAllDialog
    from annotator.gui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object

STATUS_MS = 5000


class LabellingMixin(_Base):
    snap_state: QLabel
    ready: bool
    _waiting_label: str | None

    # -- snapping ------------------------------------------------------------------------------

    def snap_enabled(self) -> bool:
        return self.ctx.settings.value("reader/snap", True, type=bool)

    def set_snap_enabled(self, on: bool) -> None:
        self.ctx.settings.setValue("reader/snap", on)
        self.update_snap_state()

    def snap_mode(self, label: str | None) -> SnapMode:
        """The rule a selection labelled ``label`` snaps by now (Alt+drag: exact, once)."""
        if not self.snap_enabled() or self.reader.exact_once:
            return SnapMode.EXACT
        definition = self.ctx.label(label) if label else None
        return SnapMode(definition.snap) if definition else SnapMode.WORDS

    def update_snap_state(self) -> None:
        """The status bar says how the next selection will be stored."""
        if not self.snap_enabled():
            text, tip = (
                "Snapping off",
                (
                    "Selections are stored exactly as selected. Edit → "
                    "Snap Selections turns snapping back on."
                ),
            )
        elif self.reader.exact_once and self.reader.textCursor().hasSelection():
            text, tip = "Exact (Alt)", "This selection was made with Alt: stored exactly, once."
        else:
            text, tip = (
                "Snapping by label",
                "Each label snaps by its rule (Edit → Codebook): "
                + ", ".join(
                    f"{lb.name}: {SnapMode(lb.snap).title.lower()}" for lb in self.ctx.labels()
                ),
            )
        self.snap_state.setText(text)
        self.snap_state.setToolTip(tip)

    def _selection(self, label: str | None = None) -> tuple[int, int] | str:
        """The selected code-point range snapped by ``label``'s rule, or why there is none."""
        selected = self.reader.selected_range()
        if self.reader.document_id is None or selected is None:
            return "Select some text first, then press a label's key."
        span = snap(self.reader.text, *selected, self.snap_mode(label))
        return "Only spaces or punctuation are selected." if span is None else span

    def selected_text(self) -> str | None:
        selected = self._selection()
        return None if isinstance(selected, str) else self.reader.text[selected[0] : selected[1]]

    # -- labelling -----------------------------------------------------------------------------

    def current_annotation(self) -> Annotation | None:
        return self.reader.annotation(self.panel.current_id() or "")

    def _same_span(
        self, label: str, start: int, end: int, ignore: str | None = None
    ) -> Annotation | None:
        if self.reader.index is None:
            return None
        for span in self.reader.index.at(start) if start < len(self.reader.text) else ():
            if (span.start, span.end, span_label(span)) != (start, end, label) or span.id == ignore:
                continue
            found = self.reader.annotation(span.id)
            if found is not None and self.ctx.owns(found):  # one's own layer only
                return found
        return None

    def _show(self, annotation_id: str) -> None:
        self._reveal_quietly = True
        self.panel.select(annotation_id)
        self._reveal_quietly = False

    def label_selection(self, label: str) -> None:
        if not self.ready:  # a first look (MainWindow): the label waits for the project
            self._waiting_label = label
            self.statusBar().showMessage(
                f"The project is still opening: “{label}” follows in a moment.", STATUS_MS
            )
            return
        if self._refuse_if_read_only():
            return
        current = self.current_annotation()
        if self.reader.selected_range() is None and current is not None:
            self.relabel(current, label)
            return
        selected = self._selection(label)
        if isinstance(selected, str):
            self.statusBar().showMessage(selected, STATUS_MS)
            return
        existing = self._same_span(label, *selected)
        if existing is not None:
            self._show(existing.id)
            self.statusBar().showMessage(
                f"Already labelled {label}: “{excerpt(existing.text, 60)}” (selected).", STATUS_MS
            )
            return
        command = self.push_labels(label, [selected])
        cursor = self.reader.textCursor()
        cursor.clearSelection()
        self.reader.setTextCursor(cursor)
        self.reader.exact_once = False
        self.update_snap_state()
        if command.added and not self.ctx.shows(command.added[0]):
            self.statusBar().showMessage(
                "Saved in your layer, which the layer bar hides: "
                "show it to see the new annotation.",
                STATUS_MS,
            )
        elif command.added:
            self._show(command.added[0].id)
            self.editor.prompt_required()

    def push_labels(self, label: str, ranges: list[tuple[int, int]]) -> LabelAndStart:
        """Label ``ranges``; a new document's first annotation also marks it in progress."""
        document_id = self.reader.document_id
        assert document_id is not None
        from annotator.gui.edit_commands import LabelAndStart
        from annotator.gui.undo import push

        command = LabelAndStart(self.ctx, document_id, label, ranges)
        push(self.ctx, command)
        return command

    def _refuse_if_not_yours(self, annotation: Annotation) -> bool:
        if self.ctx.owns(annotation):
            return False
        self.statusBar().showMessage(self.ctx.not_yours(annotation), STATUS_MS)
        return True

    def relabel(self, annotation: Annotation, label: str) -> None:
        if self._refuse_if_not_yours(annotation):
            return
        if annotation.label == label:
            self.statusBar().showMessage(f"This annotation is already labelled {label}.", STATUS_MS)
            return
        twin = self._same_span(label, annotation.start, annotation.end)
        if twin is not None:
            self._show(twin.id)
            self.statusBar().showMessage(
                f"The same span is already labelled {label} (selected).", STATUS_MS
            )
            return
        from annotator.gui.edit_commands import RelabelAnnotation
        from annotator.gui.undo import push

        if not push(self.ctx, RelabelAnnotation(self.ctx, annotation, label)):
            return
        self._show(annotation.id)
        self.statusBar().showMessage(f"Relabelled {annotation.label} as {label}.", STATUS_MS)

    def label_ranges(self, label: str, ranges: list[tuple[int, int]]) -> LabelAllDialog | None:
        """ "Label all": review the find matches (those already labelled so are left out, those
        inside an existing span of the label are unticked), then label the accepted ones."""
        document_id = self.reader.document_id
        if document_id is None or self.reader.index is None or self._refuse_if_read_only():
            return None
        mine = {a.id for a in self.reader.annotations() if self.ctx.owns(a)}
        same = [
            (s.start, s.end)
            for s in self.reader.index  # in one's own layer
            if span_label(s) == label and s.id in mine
        ]
        fresh = [r for r in ranges if r not in set(same)]
        if not fresh:
            self.statusBar().showMessage(f"Every match is already labelled {label}.", STATUS_MS)
            return None
        nested = {r for r in fresh if any(s <= r[0] and r[1] <= e for s, e in same)}
        from annotator.gui.label_all_dialog import LabelAllDialog

        dialog = LabelAllDialog(self.reader.text, label, fresh, nested, self)
        dialog.accepted.connect(lambda: self._label_accepted(document_id, label, dialog))
        dialog.open()
        return dialog

    def label_matches(self, label: str, matches: list[FindMatch]) -> LabelAllDialog | None:
        """Find in All Documents' "Label all…": the same review as :meth:`label_ranges`, over
        matches in many documents, then one undo step labelling the accepted ones."""
        if not matches or self._refuse_if_read_only():
            return None
        by_document: dict[str, list[FindMatch]] = {}
        for match in matches:
            by_document.setdefault(match.document_id, []).append(match)
        fresh: list[FindMatch] = []
        nested: set[FindMatch] = set()
        for document_id, found in by_document.items():  # only the documents with a match
            same = {
                (a.start, a.end)
                for a in self.ctx.project.annotations(document_id)
                if a.label == label and self.ctx.owns(a)
            }
            for match in found:
                if (match.start, match.end) in same:
                    continue
                fresh.append(match)
                if any(s <= match.start and match.end <= e for s, e in same):
                    nested.add(match)
        if not fresh:
            self.statusBar().showMessage(f"Every match is already labelled {label}.", STATUS_MS)
            return None
        from annotator.gui.label_all_dialog import LabelAllDialog

        contexts = [f"{m.title}: {m.context}" for m in fresh]
        dialog = LabelAllDialog("", label, fresh, nested, self, contexts)  # type: ignore[arg-type]
        dialog.accepted.connect(lambda: self._label_matches_accepted(label, dialog))
        dialog.open()
        return dialog

    def _label_matches_accepted(self, label: str, dialog: LabelAllDialog) -> None:
        chosen: list[FindMatch] = dialog.chosen()  # type: ignore[assignment]
        if not chosen:
            return
        ranges: dict[str, list[tuple[int, int]]] = {}
        for match in chosen:
            ranges.setdefault(match.document_id, []).append((match.start, match.end))
        from annotator.gui.find_all_commands import LabelAcrossDocuments
        from annotator.gui.undo import push

        if push(self.ctx, LabelAcrossDocuments(self.ctx, label, ranges, self.reader.document_id)):
            self.statusBar().showMessage(
                f"Labelled {len(chosen)} matches in {len(ranges)} documents as {label}.",
                STATUS_MS,
            )

    def _label_accepted(self, document_id: str, label: str, dialog: LabelAllDialog) -> None:
        chosen = dialog.chosen()
        if document_id != self.reader.document_id or not chosen:
            return
        self.push_labels(label, chosen)
        self.statusBar().showMessage(f"Labelled {len(chosen)} matches as {label}.", STATUS_MS)

    # -- keyboard selection --------------------------------------------------------------------

    def caret(self) -> int:
        return self.reader.offsets.from_utf16(self.reader.textCursor().position(), "before")

    def select_sentence(self) -> None:
        span = sentence_at(self.reader.text, self.caret()) if self.reader.text else None
        if span is None:
            self.statusBar().showMessage("No sentence at the caret.", STATUS_MS)
            return
        self.reader.select_range(*span)

    def step_selection_end(self, direction: int) -> None:
        """Move the selection's end to the next (+1) or back to the previous (-1) clause or
        sentence boundary; with no selection, select from the caret."""
        text = self.reader.text
        selected = self.reader.selected_range()
        start, end = selected if selected else (self.caret(), self.caret())
        end = next_boundary(text, end) if direction > 0 else previous_boundary(text, end, start)
        if end > start:
            self.reader.select_range(start, end)

    # -- edges of the current annotation -------------------------------------------------------

    def move_edge(self, edge: str, direction: int, by_word: bool = True) -> None:
        """Move the current annotation's ``edge`` ("start"/"end") a word (or a character)
        left (-1) or right (+1), snapped by its label's rule."""
        annotation = self.current_annotation()
        if annotation is None:
            self.statusBar().showMessage(
                "Select an annotation first (click it, or Alt+Down).", STATUS_MS
            )
            return
        text = self.reader.text
        start, end = annotation.start, annotation.end
        if edge == "start":
            start = word_step(text, start, direction) if by_word else start + direction
        else:
            end = word_step(text, end, direction) if by_word else end + direction
        self.resize_annotation(annotation, start, end, snapped=by_word)

    def resize_annotation(
        self, annotation: Annotation, start: int, end: int, snapped: bool = True
    ) -> None:
        if self._refuse_if_read_only() or self._refuse_if_not_yours(annotation):
            return
        text = self.reader.text
        start, end = max(0, start), min(len(text), end)
        mode = self.snap_mode(annotation.label) if snapped else SnapMode.EXACT
        span = snap(text, start, end, mode) if start < end else None
        if span is None:
            self.statusBar().showMessage("An annotation cannot be empty.", STATUS_MS)
            return
        if span == (annotation.start, annotation.end):
            return
        twin = self._same_span(annotation.label, *span, ignore=annotation.id)
        if twin is not None:
            self.statusBar().showMessage(
                f"That span is already labelled {annotation.label}.", STATUS_MS
            )
            return
        from annotator.gui.edit_commands import ResizeAnnotation
        from annotator.gui.undo import push

        push(self.ctx, ResizeAnnotation(self.ctx, annotation, *span))
        self._show(annotation.id)

    def _edges_dragged(self, annotation_id: str, start: int, end: int) -> None:
        annotation = self.reader.annotation(annotation_id)
        if annotation is not None:
            self.resize_annotation(annotation, start, end)

    # -- attributes ----------------------------------------------------------------------------

    def same_as_previous(self) -> None:
        """Copy the attribute values of the previous annotation of the same label."""
        annotation = self.current_annotation()
        if annotation is None or self._refuse_if_read_only():
            return
        if self._refuse_if_not_yours(annotation):
            return
        rows = self.panel.model.rows
        before = [
            a
            for a in rows
            if a.label == annotation.label
            and (a.start, a.end, a.id) < (annotation.start, annotation.end, annotation.id)
        ]
        source = before[-1] if before else None
        if source is None or not source.attributes:
            self.statusBar().showMessage(
                f"No earlier {annotation.label} with attributes to copy.", STATUS_MS
            )
            return
        if source.attributes != annotation.attributes:
            from annotator.gui.edit_commands import CopyAttributes
            from annotator.gui.undo import push

            push(self.ctx, CopyAttributes(self.ctx, annotation, source))

    # -- documents -----------------------------------------------------------------------------

    def step_document(self, delta: int) -> None:
        self.documents.step(delta)

    def next_unfinished(self) -> None:
        if not self.documents.select_next_unfinished():
            self.statusBar().showMessage("Every document is done.", STATUS_MS)

    def mark_done_and_next(self) -> None:
        document_id = self.reader.document_id
        if document_id is None or self._refuse_if_read_only():
            return
        from annotator.gui.commands import SetDocumentStatus
        from annotator.gui.undo import push

        push(self.ctx, SetDocumentStatus(self.ctx, document_id, DocumentStatus.DONE))
        self.next_unfinished()


def add_actions(
    w: LabellingMixin, edit_menu: QMenu, document_menu: QMenu, actions: dict[str, QAction]
) -> None:
    """The labelling keys, in the Edit and Document menus."""

    def add(menu: QMenu, name: str, text: str, slot: Callable[[], object], *keys: str) -> None:
        action = QAction(text, w)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        actions[name] = action

    select = edit_menu.addMenu("Se&lect")
    add(select, "select_sentence", "Select the Sentence at the Caret", w.select_sentence, "Alt+S")
    add(
        select,
        "extend_clause",
        "Extend to the Next Clause or Sentence",
        lambda: w.step_selection_end(1),
        "Alt+.",
    )
    add(
        select,
        "shrink_clause",
        "Shrink to the Previous Clause",
        lambda: w.step_selection_end(-1),
        "Alt+,",
    )
    edges = edit_menu.addMenu("Annotation &Boundaries")
    add(edges, "end_word_later", "End a Word Later", lambda: w.move_edge("end", 1), "Alt+Right")
    add(edges, "end_word_earlier", "End a Word Earlier", lambda: w.move_edge("end", -1), "Alt+Left")
    add(
        edges,
        "start_word_earlier",
        "Start a Word Earlier",
        lambda: w.move_edge("start", -1),
        "Alt+Shift+Left",
    )
    add(
        edges,
        "start_word_later",
        "Start a Word Later",
        lambda: w.move_edge("start", 1),
        "Alt+Shift+Right",
    )
    add(
        edges,
        "end_char_later",
        "End a Character Later",
        lambda: w.move_edge("end", 1, by_word=False),
        "Ctrl+Alt+Right",
    )
    add(
        edges,
        "end_char_earlier",
        "End a Character Earlier",
        lambda: w.move_edge("end", -1, by_word=False),
        "Ctrl+Alt+Left",
    )
    add(
        edges,
        "start_char_earlier",
        "Start a Character Earlier",
        lambda: w.move_edge("start", -1, by_word=False),
        "Ctrl+Alt+Shift+Left",
    )
    add(
        edges,
        "start_char_later",
        "Start a Character Later",
        lambda: w.move_edge("start", 1, by_word=False),
        "Ctrl+Alt+Shift+Right",
    )
    add(
        edit_menu,
        "same_as_previous",
        "Attributes Same as the Previous One",
        w.same_as_previous,
        "Ctrl+D",
    )
    document_menu.addSeparator()
    add(
        document_menu,
        "done_next",
        "Mark Done and Go to the Next Unfinished",
        w.mark_done_and_next,
        "Ctrl+Return",
    )
    add(document_menu, "next_document", "Next Document", lambda: w.step_document(1), "Ctrl+PgDown")
    add(
        document_menu,
        "previous_document",
        "Previous Document",
        lambda: w.step_document(-1),
        "Ctrl+PgUp",
    )
    add(
        document_menu,
        "next_unfinished",
        "Next Unfinished Document",
        w.next_unfinished,
        "Ctrl+Shift+PgDown",
    )
