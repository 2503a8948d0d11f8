"""The main window: document list | reader | annotations + attributes, with the label bar on top."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator import __version__, service
from annotator.core.errors import AnnotatorError, FileReplaced
from annotator.core.text import canonical_text
from annotator.gui import menus
from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.attribute_editor import AttributeEditor
from annotator.gui.changes import Changes
from annotator.gui.commands import DeleteAnnotations, ImportDocuments
from annotator.gui.concordance import ConcordanceView
from annotator.gui.context import AppContext
from annotator.gui.document_list import DocumentList
from annotator.gui.find_bar import FindBar
from annotator.gui.import_runner import ImportRunner
from annotator.gui.label_bar import LabelBar
from annotator.gui.labelling import LabellingMixin
from annotator.gui.layer_bar import LayerBar
from annotator.gui.notice_bar import NoticeBar, show_write_failure
from annotator.gui.reader import ReaderView
from annotator.gui.save_as import offer_save_as
from annotator.gui.suggestion_controller import SuggestionController
from annotator.gui.undo import push


class MainWindow(LabellingMixin, QMainWindow):
    open_project_requested = Signal(str)  # path; "" asks the user
    new_project_requested = Signal()
    restore_backup_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        ctx.undo_stack.setParent(self)  # they live and die with the window that shows them
        ctx.events.setParent(self)
        self.setAcceptDrops(True)
        ctx.on_write_failure = self.show_write_failure
        self.reader = ReaderView(ctx)
        self.notice = NoticeBar()
        self.find_bar = FindBar()
        self.documents = DocumentList(ctx)
        self.panel = AnnotationPanel(ctx)
        self.editor = AttributeEditor(ctx, self.selected_text)
        self.concordance = ConcordanceView(ctx)
        self.label_bar = LabelBar(ctx, self)
        self.layer_bar = LayerBar(ctx, self)
        self.importer = ImportRunner(ctx, self)
        self._label_actions: list[QAction] = []
        self._reveal_quietly = False
        self._build_layout()
        self.actions_by_name = menus.build(self)
        self._connect()
        self.suggestions = SuggestionController(self)  # assisted labelling (Suggestions menu)
        self.documents.document_selected.connect(lambda _id: self.suggestions.refresh())
        from annotator.gui import suggestion_actions

        self.actions_by_name.update(suggestion_actions.install(self))
        self.refresh_labels()
        self.documents.reload()
        self._restore_window_state()
        self._update_title()
        self._apply_read_only()
        self.suggestions.start_model()

    # -- construction --------------------------------------------------------------------------

    def _build_layout(self) -> None:
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.reader)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.layer_bar)
        self.documents_dock = self._dock(
            "Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.panel)
        editor_scroll = QScrollArea()
        editor_scroll.setWidget(self.editor)
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        side.addWidget(editor_scroll)
        side.setStretchFactor(0, 1)
        side.setStretchFactor(1, 1)
        side.setSizes([440, 320])
        self.annotations_dock = self._dock(
            "Annotations", side, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.concordance_dock = self._dock(
            "Concordance", self.concordance, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.concordance_dock.hide()  # View → Concordance
        self.saved = QLabel()
        self.snap_state = QLabel()
        self.statusBar().addPermanentWidget(self.snap_state)
        self.statusBar().addPermanentWidget(self.saved)
        self.resize(1280, 800)
        self.resizeDocks(
            [self.documents_dock, self.annotations_dock], [230, 420], Qt.Orientation.Horizontal
        )

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        self.ctx.events.changed.connect(self._changed)
        self.documents.document_selected.connect(self.show_document)
        self.panel.annotation_selected.connect(self._annotation_selected)
        self.reader.annotation_clicked.connect(self._annotation_clicked)
        self.reader.edges_dragged.connect(self._edges_dragged)
        self.reader.selectionChanged.connect(self._reader_selection_changed)
        self.label_bar.label_chosen.connect(self.label_selection)
        self.find_bar.match_selected.connect(self.reader.select_range)
        self.find_bar.label_all.connect(self.label_ranges)
        self.find_bar.closed.connect(self.reader.setFocus)
        self.editor.prompt.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.editor.finished.connect(self._prompt_finished)
        self.concordance.open_span.connect(self.open_span)
        self.ctx.undo_stack.indexChanged.connect(self._mark_saved)

    # -- labels --------------------------------------------------------------------------------

    def refresh_labels(self) -> None:
        """Show the codebook everywhere (on opening; after a change each view follows it)."""
        self.reader.set_labels(self.ctx.labels())
        self.label_bar.set_labels(self.ctx.labels())
        self._label_keys()

    def _label_keys(self) -> None:
        """The label keys, and the labels the find bar offers."""
        labels = self.ctx.labels()
        self.find_bar.set_labels(labels)
        self.update_snap_state()
        for action in self._label_actions:
            self.removeAction(action)
        self._label_actions = []
        for label in labels:
            if not label.shortcut:
                continue
            action = QAction(f"Label as {label.name}", self)
            action.setShortcut(QKeySequence(label.shortcut))
            action.triggered.connect(lambda _=False, name=label.name: self.label_selection(name))
            self.addAction(action)
            self._label_actions.append(action)

    def _changed(self, changes: Changes) -> None:
        if changes.labels:
            self._labels_changed(changes.relabelled)
        if changes.reveal is not None:
            self._reveal_document(changes.reveal)
        if changes.layers:
            self._layers_changed()

    def _labels_changed(self, annotations_affected: bool) -> None:
        self._label_keys()
        if annotations_affected and self.reader.document_id:
            current = self.panel.current_id()
            self.show_document(self.reader.document_id, force=True)
            self.documents.reload()
            if current:
                self._reveal_quietly = True
                self.panel.select(current)
                self._reveal_quietly = False

    def delete_current_annotation(self) -> None:
        annotation = self.reader.annotation(self.panel.current_id() or "")
        if annotation is not None and not self.ctx.owns(annotation):
            self.statusBar().showMessage(self.ctx.not_yours(annotation), 8000)
            return
        if annotation is not None and not self._refuse_if_read_only():
            push(self.ctx, DeleteAnnotations(self.ctx, [annotation]))

    # -- documents -----------------------------------------------------------------------------

    def show_document(self, document_id: str, force: bool = False) -> None:
        if not document_id:
            self.reader.clear_document()
            self.panel.show_document(None, [])
            self.editor.show_annotation(None)
            self.find_bar.set_text("")
            return
        if document_id == self.reader.document_id and not force:
            return
        document = self.ctx.project.document(document_id)
        annotations = self.ctx.project.annotations(document_id)
        self.reader.show_document(document, annotations)
        self.panel.show_document(document_id, annotations)
        self.editor.show_annotation(None)
        self.find_bar.set_text(document.text)
        self.statusBar().showMessage(
            f"{document.title} — {len(document.text):,} characters, "
            f"{len(annotations):,} annotations",
            5000,
        )

    def _layers_changed(self) -> None:
        """Other layers chosen (or their colours): show the document again through them."""
        self.reader.set_layers(
            None if self.ctx.visible_layers is None else self.ctx.shows,
            self.layer_bar.colors() if self.ctx.colour_by_layer else {},
        )
        if self.reader.document_id:
            current = self.panel.current_id()
            self.show_document(self.reader.document_id, force=True)
            if current:
                self._reveal_quietly = True
                self.panel.select(current)
                self._reveal_quietly = False

    def ask_name_if_unset(self) -> None:
        """First launch: ask whose annotations these will be (Edit → Preferences… later)."""
        from annotator.gui.preferences_dialog import ask_name_on_first_launch

        if ask_name_on_first_launch(self.ctx.settings, self):
            self.name_changed()

    def name_changed(self) -> None:
        """The person's name changed: their layer (and what they may edit) with it."""
        self.layer_bar.reload()
        self.editor.show_annotation(self.editor.annotation)
        self.statusBar().showMessage(
            f"New annotations are stamped with the name {self.ctx.annotator_name!r}.", 6000
        )

    def _reveal_document(self, document_id: str) -> None:
        if document_id != self.reader.document_id:
            self.documents.select(document_id)

    def _annotation_selected(self, annotation_id: str) -> None:
        annotation = self.reader.annotation(annotation_id) if annotation_id else None
        self.reader.set_current(
            annotation.id if annotation else None, reveal=not self._reveal_quietly
        )
        self.editor.show_annotation(annotation)

    def open_span(self, document_id: str, annotation_id: str) -> None:
        """Show a document with one of its annotations selected in place (the concordance)."""
        self.documents.select(document_id)
        self.show_document(document_id)
        self.panel.select(annotation_id)

    def _prompt_finished(self) -> None:
        self.statusBar().clearMessage()
        self.reader.setFocus()

    def _reader_selection_changed(self) -> None:
        self.update_snap_state()

    def _annotation_clicked(self, annotation_id: str) -> None:
        annotation = self.reader.annotation(annotation_id)
        if self.editor.picking is not None and annotation is not None:
            self.editor.fill_picked(annotation.text)  # a click on a name fills the speaker
            return
        self._reveal_quietly = True
        self.panel.select(annotation_id or None)
        self._reveal_quietly = False

    def paste_article(self) -> None:
        if self._refuse_if_read_only():
            return
        text = canonical_text(QApplication.clipboard().text()).strip()
        if not text:
            QMessageBox.information(self, "Paste article", "The clipboard holds no text.")
            return
        title, ok = QInputDialog.getText(
            self, "Paste article", "Title:", text=service.default_title(text)
        )
        if not ok:
            return
        try:
            summary = service.paste_article(self.ctx.project, text, title)
        except AnnotatorError as exc:
            self.show_write_failure(exc)
            return
        if not summary.added:
            QMessageBox.information(
                self,
                "Paste article",
                f"This text is already in the project as “{summary.skipped[0].existing_title}”.",
            )
            return
        push(self.ctx, ImportDocuments(self.ctx, [summary.added[0].id], "Paste article"))

    def import_files(self, paths: list[Path]) -> None:
        if not self._refuse_if_read_only():
            self.importer.start(paths)

    # -- read-only projects and failed writes --------------------------------------------------

    def _apply_read_only(self) -> None:
        """A read-only project: the bar above the reader, and no edit that would only fail."""
        reason = self.ctx.project.read_only_reason
        if reason is None:
            return
        self.notice.show_read_only(reason)
        self.editor.setEnabled(False)
        for name, action in self.actions_by_name.items():
            if name in (
                "delete",
                "paste",
                "import",
                "codebook",
                "restore_backup",
            ) or name.startswith("status_"):
                action.setEnabled(False)
        self.saved.setText("Read-only")
        self.saved.setToolTip(reason)

    def _refuse_if_read_only(self) -> bool:
        """In a read-only project, say so instead of writing (label keys, delete, import…)."""
        if not self.ctx.project.read_only:
            return False
        self.statusBar().showMessage(self.notice.refusal(), 8000)
        return True

    def show_write_failure(self, error: AnnotatorError) -> None:
        self.saved.setText("Last change not saved")
        self.saved.setToolTip(str(error))
        self.statusBar().showMessage(f"Not saved: {error.reason}", 10000)
        if isinstance(error, FileReplaced):  # the project now saves nothing: say so, offer a copy
            self._apply_read_only()
            offer_save_as(self, error)
            return
        show_write_failure(self, error)

    # -- window --------------------------------------------------------------------------------

    def _mark_saved(self) -> None:
        self.saved.setText("All changes saved")
        self.saved.setToolTip(f"Every change is written to {self.ctx.project.path} at once.")

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.ctx.project.path.stem} — Annotator")
        self.setWindowFilePath(str(self.ctx.project.path))

    def _restore_window_state(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        state = self.ctx.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        zoom = self.ctx.settings.value("reader/zoom", 0, type=int)
        if zoom:
            self.reader.zoom(zoom)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.importer.shutdown()  # a running import stops after its current file
        self.editor.commit_pending()
        self.ctx.settings.setValue("window/geometry", self.saveGeometry())
        self.ctx.settings.setValue("window/state", self.saveState())
        self.ctx.settings.setValue("reader/zoom", self.reader.zoom_level)
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"<h3>Annotator {__version__}</h3><p>Annotate articles: claims, quotes, "
            "organisations and tier ratings, saved as you go.</p>"
            f"<p>Project: {self.ctx.project.path}</p><p>Licence: GPL-3.0-or-later</p>",
        )
