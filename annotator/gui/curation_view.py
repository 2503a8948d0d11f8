"""Team → Curate Disagreements…: walk two annotators' disagreements one by one and decide each
into a layer named here ("curation" unless you name another), remembered per project and
marked curated; your own name, which your labelling carries, is not changed.

Keys: A takes A's spans, B takes B's, O takes both, N neither, E edits (label, start, end) and
Enter applies; ←/→ move; Ctrl+Z undoes a choice. A and B are shown side by side, or stacked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import Disagreement, disagreements
from annotator.core.model import Annotation
from annotator.gui.context import AppContext
from annotator.gui.curation_commands import (
    EDITED,
    NEITHER,
    TAKE_A,
    TAKE_B,
    TAKE_BOTH,
    CurationSession,
    DecideDisagreement,
    copies_for,
)
from annotator.gui.formatting import escape_html
from annotator.gui.reader import blend
from annotator.gui.undo import push
from annotator.service import agreement_annotators, curated_layers, curation_layer_problem

CONTEXT = 80  # code points of text shown either side of a disagreement
DEFAULT_LAYER = "curation"


class CurationView(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("curation-view")
        self.setWindowTitle(f"Curate disagreements — {ctx.project.path.stem}")
        self.layer = ""  # the layer choices are written into, once accepted
        self.session: CurationSession | None = None
        self.position = 0
        self._texts: dict[str, str] = {}
        self._titles = {d.id: d.title for d in ctx.project.documents()}

        curated = curated_layers(ctx.project)
        layers = agreement_annotators(ctx.project)  # the annotators, not the curated layers
        self.a_box, self.b_box = QComboBox(), QComboBox()
        for box, default in ((self.a_box, 0), (self.b_box, 1)):
            box.addItems(layers)
            box.setCurrentIndex(min(default, len(layers) - 1))
            box.currentIndexChanged.connect(self.reload)
            box.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a combo box would take the letter keys
        self.stacked = QCheckBox("Stacked")
        self.stacked.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stacked.setToolTip("Show A above B instead of side by side")
        self.stacked.toggled.connect(self._orientation)
        self.target = QComboBox()
        self.target.setObjectName("curation-target")
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target.addItems(sorted({*curated, DEFAULT_LAYER}))
        self.target.setCurrentText(ctx.curation_layer or (curated[0] if curated else DEFAULT_LAYER))
        self.target.setMinimumContentsLength(12)
        self.target.setToolTip(
            "The layer your choices are written into, marked curated (agreement leaves it "
            "out). Your own name, which your labelling carries, stays as it is."
        )
        line = self.target.lineEdit()
        line.editingFinished.connect(self._target_entered)
        self.target.textActivated.connect(lambda _text: self._target_entered())
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.panes: dict[str, tuple[QGroupBox, QTextBrowser]] = {}
        self.split = QSplitter(Qt.Orientation.Horizontal)
        for side in ("A", "B"):
            group = QGroupBox(side)
            browser = QTextBrowser()
            browser.setOpenLinks(False)
            QVBoxLayout(group).addWidget(browser)
            self.split.addWidget(group)
            self.panes[side] = (group, browser)

        self.edit_row = QWidget()
        self.edit_label = QComboBox()
        for label in ctx.labels():
            self.edit_label.addItem(label.name)
        self.edit_start, self.edit_end = QSpinBox(), QSpinBox()
        self.edit_preview = QLabel()
        self.edit_preview.setWordWrap(True)
        for spin in (self.edit_start, self.edit_end):
            spin.setRange(0, 0)
            spin.valueChanged.connect(self._preview_edit)
        apply_edit = QPushButton("Apply (Enter)")
        apply_edit.clicked.connect(self.apply_edit)
        cancel_edit = QPushButton("Cancel (Esc)")
        cancel_edit.clicked.connect(lambda: self.edit_row.setVisible(False))
        row = QHBoxLayout(self.edit_row)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (
            QLabel("Label"),
            self.edit_label,
            QLabel("from"),
            self.edit_start,
            QLabel("to"),
            self.edit_end,
            self.edit_preview,
            apply_edit,
            cancel_edit,
        ):
            row.addWidget(widget)
        row.setStretchFactor(self.edit_preview, 1)
        self.edit_row.setVisible(False)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for text, key, slot in (
            ("◀ Previous", "Left", lambda: self.step(-1)),
            ("Take A's", "A", lambda: self.choose(TAKE_A)),
            ("Take B's", "B", lambda: self.choose(TAKE_B)),
            ("Both", "O", lambda: self.choose(TAKE_BOTH)),
            ("Neither", "N", lambda: self.choose(NEITHER)),
            ("Edit…", "E", self.start_edit),
            ("Next ▶", "Right", lambda: self.step(1)),
        ):
            shown = {"Left": "←", "Right": "→"}.get(key, key)
            button = QPushButton(f"{text}  ({shown})")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the view, not a button
            button.clicked.connect(slot)
            actions.addWidget(button)
            self.buttons[key] = button
            QShortcut(QKeySequence(key), self, activated=slot)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self, activated=self._enter)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self, activated=self._enter)
        undo = ctx.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        redo = ctx.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        self.addActions([undo, redo])

        top = QHBoxLayout()
        for widget in (
            QLabel("A"),
            self.a_box,
            QLabel("B"),
            self.b_box,
            QLabel("→ writing into layer"),
            self.target,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.stacked)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.heading)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.edit_row)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.resize(980, 560)
        self.apply_target()
        self.panes["A"][1].setFocus()

    # -- the list of disagreements ---------------------------------------------------------------

    @property
    def a(self) -> str:
        return self.a_box.currentText()

    @property
    def b(self) -> str:
        return self.b_box.currentText()

    def apply_target(self) -> None:
        """Take the layer named in the target box as the one choices are written into (and
        remember it for this project), then find the disagreements it has not decided."""
        self.layer = self.target.currentText().strip()
        self.reload()
        if self.session is not None:
            self.ctx.set_curation_layer(self.layer)

    def _target_entered(self) -> None:
        if self.target.currentText().strip() != self.layer or self.session is None:
            self.apply_target()
        if self.session is not None and self.target.lineEdit().hasFocus():
            self.panes["A"][1].setFocus()  # the letter keys choose again

    def _target_settled(self) -> bool:
        """Whether a choice may be written now: a name typed but not yet entered is taken
        first, and the choice goes ahead if the disagreement shown is still undecided there."""
        if self.target.currentText().strip() == self.layer and self.session is not None:
            return True
        shown = self.current()
        self.apply_target()
        if self.session is None:
            return False
        keys = [item.key for item in self.session.items]
        if shown is None:
            return False
        if shown.key not in keys:
            self.message.setText(
                f"Layer “{escape_html(self.layer)}” has decided that disagreement already."
            )
            return False
        self.position = keys.index(shown.key)
        self.show_current()
        return True

    def reload(self) -> None:
        """Find the disagreements between the chosen A and B that the layer has not decided."""
        if self.session is not None:
            self.session.listeners.remove(self._session_changed)
        self.session = None
        self.position = 0
        if not self.a or not self.b or self.a == self.b:
            return self._blocked(
                "Choose two different annotators as A and B (merge the team's "
                "copies first: File → Merge Projects…)."
            )
        if (problem := curation_layer_problem(self.layer, (self.a, self.b))) is not None:
            name = escape_html(self.layer)
            return self._blocked(
                f"Cannot write into layer “{name}”: {problem} ({escape_html(self.a)}, "
                f"{escape_html(self.b)}), e.g. “{DEFAULT_LAYER}”."
                if self.layer.strip()
                else f"Name the layer the curated spans go into, e.g. “{DEFAULT_LAYER}”."
            )
        order = [d.id for d in self.ctx.project.documents()]
        items = disagreements(self.ctx.project.annotations(), self.a, self.b, self.layer, order)
        self.session = CurationSession(items, self.layer)
        self.session.listeners.append(self._session_changed)
        for key, button in self.buttons.items():
            button.setEnabled(bool(items) or key in ("Left", "Right"))
        self.split.setVisible(bool(items))
        self.message.setText("")
        self.show_current()

    def _blocked(self, why: str) -> None:
        self.message.setText(why)
        self.progress_label.setText("")
        self.heading.setText("")
        self.split.setVisible(False)
        for button in self.buttons.values():
            button.setEnabled(False)

    def current(self) -> Disagreement | None:
        if self.session is None or not self.session.items:
            return None
        return self.session.items[self.position]

    def step(self, delta: int) -> None:
        if self.session is None or not self.session.items:
            return
        self.position = max(0, min(len(self.session.items) - 1, self.position + delta))
        self.edit_row.setVisible(False)
        self.show_current()

    def _next_undecided(self) -> None:
        assert self.session is not None
        count = len(self.session.items)
        for offset in range(1, count + 1):
            candidate = (self.position + offset) % count
            if self.session.items[candidate].key not in self.session.decisions:
                self.position = candidate
                return

    def _session_changed(self) -> None:
        self.show_current()

    # -- showing one -----------------------------------------------------------------------------

    def _text(self, document_id: str) -> str:
        if document_id not in self._texts:
            self._texts[document_id] = self.ctx.project.document(document_id).text
        return self._texts[document_id]

    def show_current(self) -> None:
        session = self.session
        if session is None:
            return
        total, left = len(session.items), session.left()
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(total - left)
        item = self.current()
        if item is None:
            self.progress_label.setText(
                f"No disagreements left between {self.a} and {self.b}: "
                "everything they marked is agreed or decided."
            )
            self.heading.setText("")
            return
        decided = session.decisions.get(item.key)
        self.progress_label.setText(
            f"Disagreement {self.position + 1} of {total} — {left} left"
            + (f" · decided: took {decided}" if decided else "")
        )
        title = self._titles.get(item.document_id, item.document_id)
        self.heading.setText(f"<b>{escape_html(title)}</b>, characters {item.start}–{item.end}")
        text = self._text(item.document_id)
        for side, name, spans in (("A", self.a, item.a), ("B", self.b, item.b)):
            group, browser = self.panes[side]
            group.setTitle(f"{side}: {name} — {len(spans)} span{'s' * (len(spans) != 1)}")
            browser.setHtml(self._html(text, item, spans))

    def _html(self, text: str, item: Disagreement, spans: tuple[Annotation, ...]) -> str:
        """The disagreement in its context, with this layer's spans coloured by label."""
        begin, stop = max(0, item.start - CONTEXT), min(len(text), item.end + CONTEXT)
        cuts = sorted(
            {begin, stop, *(max(begin, min(stop, p)) for s in spans for p in (s.start, s.end))}
        )
        base = self.palette().color(self.backgroundRole())
        parts = ["…" if begin > 0 else ""]
        for left, right in zip(cuts, cuts[1:], strict=False):
            piece = escape_html(text[left:right]).replace("\n", "<br>")
            labels = sorted({s.label for s in spans if s.start <= left and right <= s.end})
            if labels:
                colors = [QColor(self._label_color(name)) for name in labels]
                fill = blend(colors, base, 0.45).name()
                parts.append(f"<span style='background-color:{fill}'>{piece}</span>")
            else:
                parts.append(
                    f"<span style='color:gray'>{piece}</span>"
                    if right <= item.start or left >= item.end
                    else piece
                )
        parts.append("…" if stop < len(text) else "")
        listing = "".join(_list_item(s) for s in spans) or "<li><i>no span here</i></li>"
        return f"<p style='line-height:140%'>{''.join(parts)}</p><ul>{listing}</ul>"

    def _label_color(self, name: str) -> str:
        label = self.ctx.label(name)
        return label.color if label else "#808080"

    def _orientation(self, stacked: bool) -> None:
        self.split.setOrientation(Qt.Orientation.Vertical if stacked else Qt.Orientation.Horizontal)

    # -- choosing --------------------------------------------------------------------------------

    def choose(self, choice: str) -> None:
        item = self.current()
        if item is None or self.session is None:
            return
        if item.key in self.session.decisions:
            self.message.setText("Already decided: undo (Ctrl+Z) to choose again.")
            return
        if not self._target_settled():
            return
        item = self.current()
        assert item is not None
        self._decide(item, choice, copies_for(item, choice, self.layer))

    def _decide(self, item: Disagreement, choice: str, copies: list[Annotation]) -> None:
        assert self.session is not None
        self.message.setText("")
        self.edit_row.setVisible(False)
        push(self.ctx, DecideDisagreement(self.ctx, self.session, item, choice, copies))
        if item.key in self.session.decisions:  # the write worked
            self._next_undecided()
            self.show_current()

    def start_edit(self) -> None:
        item = self.current()
        if item is None or self.session is None:
            return
        if item.key in self.session.decisions:
            self.message.setText("Already decided: undo (Ctrl+Z) to choose again.")
            return
        if not self._target_settled():
            return
        item = self.current()
        assert item is not None
        first = (item.a + item.b)[0]
        text = self._text(item.document_id)
        self.edit_label.setCurrentText(first.label)
        for spin in (self.edit_start, self.edit_end):
            spin.blockSignals(True)
            spin.setRange(0, len(text))
            spin.blockSignals(False)
        self.edit_start.setValue(item.start)
        self.edit_end.setValue(item.end)
        self._preview_edit()
        self.edit_row.setVisible(True)
        self.edit_start.setFocus()

    def _preview_edit(self) -> None:
        item = self.current()
        if item is None:
            return
        start, end = self.edit_start.value(), self.edit_end.value()
        self.edit_preview.setText(
            f"“{escape_html(self._text(item.document_id)[start:end][:80])}”"
            if start < end
            else "<i>the end must come after the start</i>"
        )

    def apply_edit(self) -> None:
        if not self.edit_row.isVisible() or not self._target_settled():
            return
        item = self.current()
        if item is None:
            return
        start, end = self.edit_start.value(), self.edit_end.value()
        text = self._text(item.document_id)
        if not 0 <= start < end <= len(text):
            self.message.setText("The end must come after the start.")
            return
        label = self.edit_label.currentText()
        model = next((s for s in item.a + item.b if s.label == label), (item.a + item.b)[0])
        (copy,) = copies_for(
            Disagreement(item.document_id, start, end, (model,), ()), TAKE_A, self.layer
        )
        attributes = model.attributes if model.label == label else {}
        copy = copy._replace(
            label=label, start=start, end=end, text=text[start:end], attributes=attributes
        )
        self._decide(item, EDITED, [copy])

    def _enter(self) -> None:
        if self.target.lineEdit().hasFocus():
            self._target_entered()
        elif self.edit_row.isVisible():
            self.apply_edit()

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and self.edit_row.isVisible():
            self.edit_row.setVisible(False)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.session is not None and self._session_changed in self.session.listeners:
            self.session.listeners.remove(self._session_changed)
        super().closeEvent(event)


def _list_item(s: Annotation) -> str:
    quoted = escape_html(s.text[:120])
    extra = f" <small>({escape_html(_attributes(s))})</small>" if s.attributes else ""
    return f"<li><b>{escape_html(s.label)}</b> {s.start}–{s.end}: “{quoted}”{extra}</li>"


def _attributes(a: Annotation) -> str:
    return "; ".join(f"{k}: {v}" for k, v in a.attributes.items() if v not in (None, ""))
