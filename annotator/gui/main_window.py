"""The main window: document list | reader | annotations + attributes, with the label bar on top."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
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

from annotator import __version__
from annotator.core.errors import AnnotatorError, FileReplaced
from annotator.core.text import canonical_text
from annotator.gui import menus
from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.find_bar import FindBar
from annotator.gui.label_bar import LabelBar
from annotator.gui.labelling import LabellingMixin
from annotator.gui.layer_bar import LayerBar
from annotator.gui.notice_bar import MessageBar, NoticeBar, show_write_failure
from annotator.gui.reader import ReaderView

if TYPE_CHECKING:
    from annotator.core.model import Document, FirstLook, Relation
    from annotator.gui.annotation_panel import AnnotationPanel
    from annotator.gui.attribute_editor import AttributeEditor
    from annotator.gui.concordance import ConcordanceView
    from annotator.gui.document_list import DocumentList
    from annotator.gui.find_all import FindAllView
    from annotator.gui.import_runner import ImportRunner
    from annotator.gui.relating import Relating
    from annotator.gui.server_watch import ServerWatch
    from annotator.gui.suggestion_controller import SuggestionController
    from annotator.service import ImportOutcome

OPENING_MS = 60_000  # the status bar's "Opening…" while a first look waits for the project
NOTE_MS = 15_000  # a note of what an operation could not do (Changes.note)


class MainWindow(LabellingMixin, QMainWindow):
    """The window, built in two steps. The first (the reader, the label bar, the docks' frames,
    the menu bar, the window's saved geometry) is all the first paint needs; the second fills in
    the rest (the docks' contents, menus, the document list, suggestions). A window made with a
    project does both at once. A window made from a project's :class:`FirstLook` shows that,
    reading nothing else, until :meth:`complete` gives it the project (``gui/app.py`` does so
    right after its first paint): nothing visible moves, and what the user did meanwhile stays.
    """

    open_project_requested = Signal(str)  # path; "" asks the user
    new_project_requested = Signal()
    restore_backup_requested = Signal()
    open_server_requested = Signal()
    #: the window is complete: the project open, every view filled, the label keys working
    became_ready = Signal()

    def __init__(self, ctx: AppContext, first_look: FirstLook | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        #: whether the window is complete (see the class's doc); until then input that needs the
        #: project waits (a label key) or is refused with a word in the status bar
        self.ready = False
        self._waiting_label: str | None = None
        ctx.undo_stack.setParent(self)  # they live and die with the window that shows them
        ctx.events.setParent(self)
        self.setAcceptDrops(True)
        ctx.on_write_failure = self.show_write_failure
        self.reader = ReaderView(ctx)
        self.notice = NoticeBar()
        self.message_bar = MessageBar()
        self.find_bar = FindBar()
        self.label_bar = LabelBar(ctx, self)
        self.layer_bar = LayerBar(ctx, self, None if first_look is None else first_look.layers)
        self.label_bar.label_chosen.connect(self.label_selection)
        self._label_actions: list[QAction] = []
        self._reveal_quietly = False
        self._concordance: ConcordanceView | None = None
        self._find_all: FindAllView | None = None
        self._first_document: Document | None = None  # a first look's, until it is completed
        self.server_watch: ServerWatch | None = None
        self._build_layout()
        menus.add_menu_bar(self)
        self.reader.set_labels(ctx.labels())
        self.label_bar.set_labels(ctx.labels())
        self._label_keys()
        self._restore_window_state()
        if first_look is None:
            self._complete()
            return
        self._first_document = first_look.document
        self._update_title(first_look.path.stem, first_look.path)
        if first_look.document is not None:
            self.reader.show_document(
                first_look.document, first_look.annotations, first_look.known_until
            )
        self.statusBar().showMessage(f"Opening {first_look.path.name}…", OPENING_MS)

    def complete(self) -> None:
        """Complete the window of a first look, once its context has the project open
        (``AppContext.opened``)."""
        labels = self.ctx.labels()
        if labels != self.label_bar.labels:  # the codebook changed since the first look
            self.reader.set_labels(labels)
            self.label_bar.set_labels(labels)
            self._label_keys()
        self.layer_bar.reload()
        self.statusBar().clearMessage()
        self._complete()

    def _complete(self) -> None:
        """The second step of building the window (see the class's doc)."""
        # Imported here: the first paint of a first look needs none of them (nor the store).
        from annotator.gui import suggestion_actions
        from annotator.gui.annotation_panel import AnnotationPanel
        from annotator.gui.attribute_editor import AttributeEditor
        from annotator.gui.document_list import DocumentList
        from annotator.gui.idle_checkpoint import IdleCheckpoint
        from annotator.gui.import_runner import ImportRunner
        from annotator.gui.relating import Relating
        from annotator.gui.suggestion_controller import SuggestionController

        ctx = self.ctx
        self.documents: DocumentList = DocumentList(ctx)
        self.panel: AnnotationPanel = AnnotationPanel(ctx)
        self.editor: AttributeEditor = AttributeEditor(ctx, self.selected_text)
        self.importer: ImportRunner = ImportRunner(ctx, self)
        self.importer.finished.connect(self._imported)
        self._fill_docks()
        self.relating: Relating = Relating(self)
        self.actions_by_name = menus.build(self)
        self._connect()
        #: assisted labelling (Suggestions menu)
        self.suggestions: SuggestionController = SuggestionController(self)
        #: checkpoints the project a few seconds after the last change
        self.idle_checkpoint = IdleCheckpoint(ctx, self)
        self.documents.document_selected.connect(lambda _id: self.suggestions.refresh())
        self.actions_by_name.update(suggestion_actions.install(self))
        self.reader.set_relation_types(ctx.relation_types())
        self.documents.reload()
        self._first_document = None
        project = ctx.project
        self._update_title(project.path.stem, None if project.on_server else project.path)
        self._apply_read_only()
        if ctx.project.on_server:  # backups are the server's business
            self.actions_by_name["restore_backup"].setEnabled(False)
            from annotator.gui.server_watch import ServerWatch

            #: other people's changes to a project on a server, shown as they happen
            self.server_watch = ServerWatch(self)
        if ctx.project.migrated_from is not None:
            self.statusBar().showMessage(
                f"The project was made by an older Annotator: upgraded from schema "
                f"{ctx.project.migrated_from} in one transaction.",
                20000,
            )
        self.ready = True
        # The model learns in a child process: started once the window is complete, so its
        # start is never in the way of the window's.
        QTimer.singleShot(0, self.suggestions.start_model)
        self.became_ready.emit()
        if self._waiting_label is not None:
            label, self._waiting_label = self._waiting_label, None
            self.label_selection(label)

    # -- construction --------------------------------------------------------------------------

    def _build_layout(self) -> None:
        """The central column and the frames around it; the docks get their contents from
        :meth:`_fill_docks` (until then they hold an empty widget of the same place)."""
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.reader)
        layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.label_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.layer_bar)
        self.documents_dock = self._dock("Documents", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.annotations_dock = self._dock("Annotations", Qt.DockWidgetArea.RightDockWidgetArea)
        self.concordance_dock = self._dock("Concordance", Qt.DockWidgetArea.BottomDockWidgetArea)
        self.concordance_dock.hide()  # View → Concordance
        self.concordance_dock.visibilityChanged.connect(self._concordance_shown)
        self.find_all_dock = self._dock(
            "Find in All Documents", Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.find_all_dock.hide()  # Edit → Find in All Documents
        self.saved = QLabel()
        self.snap_state = QLabel()
        self.statusBar().addPermanentWidget(self.snap_state)
        self.statusBar().addPermanentWidget(self.saved)
        self.resize(1280, 800)
        self.resizeDocks(
            [self.documents_dock, self.annotations_dock], [230, 420], Qt.Orientation.Horizontal
        )

    def _fill_docks(self) -> None:
        self.documents_dock.setWidget(self.documents)
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
        self.annotations_dock.setWidget(side)

    @property
    def concordance(self) -> ConcordanceView:
        """The concordance dock's view, made when first shown (View → Concordance)."""
        if self._concordance is None:
            from annotator.gui.concordance import ConcordanceView

            self._concordance = ConcordanceView(self.ctx)
            self._concordance.open_span.connect(self.open_span)
            self.concordance_dock.setWidget(self._concordance)
        return self._concordance

    @property
    def find_all(self) -> FindAllView:
        """The Find in All Documents dock's view, made when first asked for."""
        if self._find_all is None:
            from annotator.gui.find_all import FindAllView

            self._find_all = FindAllView(self.ctx)
            self._find_all.open_match.connect(self.open_match)
            self._find_all.label_all.connect(self.label_matches)
            self.find_all_dock.setWidget(self._find_all)
        return self._find_all

    def open_find_all(self) -> None:
        """Ctrl+Shift+F: show the dock, searching for the selection if there is one."""
        view = self.find_all
        self.find_all_dock.show()
        self.find_all_dock.raise_()
        view.open_with(self.selected_text() or "")

    def open_match(self, document_id: str, start: int, end: int) -> None:
        """Show a document with a range selected in view (a Find in All Documents match)."""
        if self.documents.model.row_of(document_id) is None:
            self.statusBar().showMessage("That document is no longer in the project.", 5000)
            return
        self.documents.select(document_id)
        self.show_document(document_id)
        if self.reader.document_id == document_id:
            self.reader.select_range(start, end)
            self.reader.centerCursor()
            self.reader.setFocus()

    def _concordance_shown(self, visible: bool) -> None:
        if visible and self.ready:
            self.concordance  # noqa: B018 (made on first use)

    def _dock(self, title: str, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower())
        dock.setWidget(QWidget())
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
        self.reader.relation_clicked.connect(self.select_relation)
        self.panel.relation_end_chosen.connect(self._jump_to_end)
        self.panel.relation_selected.connect(
            lambda relation_id: self.select_relation(relation_id, from_list=True)
        )
        self.reader.edges_dragged.connect(self._edges_dragged)
        self.reader.selectionChanged.connect(self._reader_selection_changed)
        self.find_bar.match_selected.connect(self.reader.select_range)
        self.find_bar.label_all.connect(self.label_ranges)
        self.find_bar.closed.connect(self.reader.setFocus)
        self.editor.prompt.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.editor.finished.connect(self._prompt_finished)
        self.ctx.undo_stack.indexChanged.connect(self._mark_saved)

    # -- labels --------------------------------------------------------------------------------

    def refresh_labels(self) -> None:
        """Show the codebook everywhere (on opening; after a change each view follows it)."""
        self.reader.set_labels(self.ctx.labels())
        self.reader.set_relation_types(self.ctx.relation_types())
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
            self.reader.set_relation_types(self.ctx.relation_types())
            self._labels_changed(changes.relabelled)
            self._load_relations()  # a type's colour or allowed labels may have changed
        elif changes.relations_of(self.reader.document_id):
            if changes.relations_removed or changes.relations_added:
                self._update_relations(changes.relations_removed, changes.relations_added)
            else:  # someone else's edit on the server: which ones is not known
                self._load_relations()
        elif changes.annotations_of(self.reader.document_id) and any(
            self.reader.relations.of_annotation(a.id) for a in changes.removed
        ):
            self._load_relations()  # a relabelled end: its relations' flags follow
        if changes.text_of is not None and changes.text_of == self.reader.document_id:
            self.show_document(changes.text_of, force=True)
        if changes.reveal is not None:
            self._reveal_document(changes.reveal)
        if changes.layers:
            self._layers_changed()
        if changes.note:
            self.statusBar().showMessage(changes.note, NOTE_MS)

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
        """Delete the selected relation if there is one, else the selected annotation (and
        the relations it is an end of)."""
        if self._refuse_if_read_only():
            return
        from annotator.gui.commands import DeleteAnnotations, DeleteRelations
        from annotator.gui.undo import push

        relation = self.reader.relations.relations.get(self.reader.current_relation_id or "")
        if relation is not None:
            if push(self.ctx, DeleteRelations(self.ctx, [relation])):
                self.select_relation("")
            return
        annotation = self.reader.annotation(self.panel.current_id() or "")
        if annotation is not None and not self.ctx.owns(annotation):
            self.statusBar().showMessage(self.ctx.not_yours(annotation), 8000)
            return
        if annotation is not None:
            push(self.ctx, DeleteAnnotations(self.ctx, [annotation]))

    # -- relations -----------------------------------------------------------------------------

    def _load_relations(self) -> None:
        document_id = self.reader.document_id
        relations = self.ctx.project.relations(document_id) if document_id else []
        self.reader.set_relations(relations)
        self.panel.set_relations(relations)
        current = self.reader.relations.relations.get(self.reader.current_relation_id or "")
        self.panel.show_relation(current)

    def _update_relations(self, removed: tuple[Relation, ...], added: tuple[Relation, ...]) -> None:
        """One edit's relations, without reading the document's others again (100k of them
        took seconds per relation made or undone)."""
        self.reader.update_relations(removed, added)
        self.panel.update_relations(removed, added)
        current = self.reader.relations.relations.get(self.reader.current_relation_id or "")
        self.panel.show_relation(current)

    def select_relation(self, relation_id: str, from_list: bool = False) -> None:
        """Select a relation (a click on its arc, or in the panel's list): Delete then removes
        it, and the panel edits its note and attributes."""
        relation = self.reader.relations.relations.get(relation_id)
        self.reader.set_current_relation(relation.id if relation else None)
        self.panel.show_relation(relation)
        if relation is not None and not from_list:
            self.reader.setFocus()
        if relation is not None:
            self.statusBar().showMessage(
                self.reader.relation_text(relation) + " — Delete removes it", 6000
            )

    def _jump_to_end(self, annotation_id: str) -> None:
        self.panel.select(annotation_id)

    # -- documents -----------------------------------------------------------------------------

    def show_document(self, document_id: str, force: bool = False) -> None:
        if not document_id:
            self.relating.cancel()
            self.reader.clear_document()
            self.panel.show_document(None, [])
            self.panel.set_relations([])
            self.editor.show_annotation(None)
            self.find_bar.set_text("")
            return
        first = self._first_look_of(document_id)
        if document_id == self.reader.document_id and not force and first is None:
            return
        document = first or self.ctx.project.document(document_id)
        annotations = self.ctx.project.annotations(document_id)
        self.relating.cancel()
        if first is not None and self.reader.document_id == first.id:
            self.reader.complete(annotations)  # the first look's text and layout stay
        else:
            self.reader.show_document(document, annotations)
        self.panel.show_document(document_id, annotations)
        self._load_relations()
        self.editor.show_annotation(None)
        self.find_bar.set_text(document.text)
        self.statusBar().showMessage(
            f"{document.title} — {len(document.text):,} characters, "
            f"{len(annotations):,} annotations",
            5000,
        )

    def _first_look_of(self, document_id: str) -> Document | None:
        """The first look's document, once, if it is ``document_id`` as the project has it now
        (its text is then not read again: texts never change once imported)."""
        first, self._first_document = self._first_document, None
        if first is None or first.id != document_id:
            return None
        row = self.documents.model.row_of(document_id)
        if row is None or self.documents.model.rows[row].length != len(first.text):
            return None
        self.ctx.project.remember_text(first.id, first.text)
        return first

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
        if self.relating.active:
            if annotation is not None:
                self.relating.relate_to(annotation)  # a click picks a relation's other end
            return
        if self.editor.picking is not None and annotation is not None:
            self.editor.fill_picked(annotation.text)  # a click on a name fills the speaker
            return
        self.select_relation("")
        self._reveal_quietly = True
        self.panel.select(annotation_id or None)
        self._reveal_quietly = False

    def paste_article(self) -> None:
        from annotator import service

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
        from annotator.gui.commands import ImportDocuments
        from annotator.gui.undo import push

        push(self.ctx, ImportDocuments(self.ctx, [summary.added[0].id], "Paste article"))

    def import_files(self, paths: list[Path]) -> None:
        if not self._still_opening() and not self._refuse_if_read_only():
            self.importer.start(paths)

    def _imported(self, outcomes: list[ImportOutcome]) -> None:
        from annotator.gui.import_summary import summary_line

        if outcomes:
            self.message_bar.show_message("Import finished", summary_line(outcomes))

    def _still_opening(self) -> bool:
        """Before the window is complete, say so instead of acting (a drop, say)."""
        if self.ready:
            return False
        self.statusBar().showMessage("The project is still opening: try again in a moment.", 5000)
        return True

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
            from annotator.gui.save_as import offer_save_as

            self._apply_read_only()
            offer_save_as(self, error)
            return
        show_write_failure(self, error)

    # -- window --------------------------------------------------------------------------------

    def _mark_saved(self) -> None:
        self.saved.setText("All changes saved")
        self.saved.setToolTip(f"Every change is written to {self.ctx.project.path} at once.")

    def _update_title(self, name: str, file: Path | None) -> None:
        """``file``: the project's file (None: the project is on a server)."""
        self.setWindowTitle(f"{name} — Annotator")
        if file is not None:
            self.setWindowFilePath(str(file))

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
        if self.server_watch is not None:
            self.server_watch.stop()
        if self._find_all is not None:
            self._find_all.stop()
        if self.ready:
            self.importer.shutdown()  # a running import stops after its current file
            from annotator.gui.background_work import BackgroundWork

            for work in self.findChildren(BackgroundWork):  # a merge, agreement: cancelled
                work.shutdown()
            self.suggestions.shutdown()  # their child processes end now, their work unfinished
            self.idle_checkpoint.stop()
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
