"""The Patterns page of the codebook dialog: phrases, regular expressions and spaCy token
patterns that suggest spans of a label; imported and exported as Prodigy/EntityRuler JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.file_kinds import check_source
from annotator.core.json_input import loads
from annotator.core.optional_packages import SPACY, install_hint
from annotator.core.suggest.patterns import (
    KINDS,
    Pattern,
    PatternError,
    make_pattern,
    token_patterns_available,
)
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.suggestion_commands import ReplacePatterns
from annotator.gui.undo import push
from annotator.suggest_service import suggestion_store, write_patterns

PATTERN_FILTER = "Patterns (*.jsonl);;All files (*)"
PLACEHOLDERS = {
    "phrase": "exact words, e.g. Human Rights Watch",
    "regex": r"a regular expression, e.g. \bMinistry of [A-Z]\w+",
    "tokens": 'spaCy token pattern, e.g. [{"LOWER": "human"}, {"LOWER": "rights"}]',
}


class PatternsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Label", "Kind", "Pattern"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.label = QComboBox()
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind, kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.pattern = QLineEdit()
        self.pattern.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add pattern")
        self.add_button.clicked.connect(self.add)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        import_button = QPushButton("Import patterns…")
        import_button.clicked.connect(self._import_file)
        export_button = QPushButton("Export patterns…")
        export_button.clicked.connect(self._export_file)
        note = QLabel(
            "Every match of a pattern is suggested in the reader (Tab to it, Enter accepts). "
            "Files are JSONL, as Prodigy and spaCy's EntityRuler read them."
            + (
                ""
                if token_patterns_available()
                else f" Token patterns need spaCy ({install_hint(SPACY)}): without it they "
                "are kept but match nothing."
            )
        )
        note.setWordWrap(True)
        form = QHBoxLayout()
        form.addWidget(self.label)
        form.addWidget(self.kind)
        form.addWidget(self.pattern, 1)
        form.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(import_button)
        buttons.addWidget(export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._editors = [self.add_button, self.delete_button, import_button, self.pattern]
        self._kind_changed()
        ctx.events.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.patterns or changes.labels:
            self.refresh()

    def _kind_changed(self) -> None:
        self.pattern.setPlaceholderText(PLACEHOLDERS[self.kind.currentData()])

    def refresh(self) -> None:
        chosen = self.label.currentText()
        self.label.clear()
        self.label.addItems([label.name for label in self.ctx.labels()])
        if chosen:
            self.label.setCurrentText(chosen)
        try:
            self.patterns = suggestion_store.patterns(self.ctx.project)
        except AnnotatorError as exc:
            self.patterns = []
            QMessageBox.warning(self, "Patterns", str(exc))
        self.table.setRowCount(len(self.patterns))
        for row, p in enumerate(self.patterns):
            shown = (
                p.pattern
                if isinstance(p.pattern, str)
                else json.dumps(p.pattern, ensure_ascii=False)
            )
            for column, value in enumerate((p.label, p.kind, shown)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        for widget in self._editors:
            widget.setEnabled(not self.ctx.project.read_only)

    def _push(self, after: list[Pattern], text: str) -> None:
        push(self.ctx, ReplacePatterns(self.ctx, list(self.patterns), after, text))

    def add(self) -> None:
        kind = self.kind.currentData()
        raw: object = self.pattern.text().strip()
        try:
            if kind == "tokens":
                try:
                    raw = loads(str(raw))
                except json.JSONDecodeError as exc:
                    raise PatternError(f"a token pattern is JSON ({exc.msg})") from exc
                except ValueError as exc:  # too deep, not finite, too many digits
                    raise PatternError(f"a token pattern is plain JSON ({exc})") from None
            pattern = make_pattern(self.label.currentText(), kind, raw)
        except PatternError as exc:
            QMessageBox.warning(self, "Patterns", str(exc)[0].upper() + str(exc)[1:] + ".")
            return
        self._push([*self.patterns, pattern], f"Add pattern for {pattern.label}")
        self.pattern.clear()

    def delete_selected(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows:
            return
        kept = [p for row, p in enumerate(self.patterns) if row not in rows]
        self._push(kept, "Delete pattern" if len(rows) == 1 else f"Delete {len(rows)} patterns")

    def _import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import patterns", "", PATTERN_FILTER)
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        from annotator.core.suggest.patterns import parse_jsonl

        try:
            check_source(path)  # a FIFO would be waited on forever
            try:
                lines = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise AnnotatorError(path, f"cannot be read ({exc})") from exc
            try:
                new = parse_jsonl(lines)
            except PatternError as exc:
                raise AnnotatorError(path, str(exc)) from exc
            labels = {label.name for label in self.ctx.labels()}
            unknown = sorted({p.label for p in new} - labels)
            if unknown:
                raise AnnotatorError(
                    path, "no label named " + ", ".join(map(repr, unknown)) + " in the codebook"
                )
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Import patterns", str(exc))
            return
        present = {(p.label, p.kind, json.dumps(p.pattern)) for p in self.patterns}
        fresh = [p for p in new if (p.label, p.kind, json.dumps(p.pattern)) not in present]
        if fresh:
            self._push([*self.patterns, *fresh], f"Import {len(fresh)} patterns")

    def _export_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export patterns", "patterns.jsonl", PATTERN_FILTER
        )
        if not name:
            return
        try:
            write_patterns(self.ctx.project, Path(name), self.patterns)
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Export patterns", str(exc))
