"""The document list over many documents (issue 29): it reads the rows in view, more as it
scrolls, sorts by a header click and filters by title, status, label, annotator and
disagreements in SQL; a label keystroke changes one row without reading the list again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox
from sqlalchemy import event

from annotator.core.model import (
    DocumentStatus,
    ImportedAnnotation,
    ImportedBundle,
    ImportedDocument,
)
from annotator.gui.document_list import DocumentList
from annotator.store.project import Project

from .conftest import SAMPLE

WORDS = ("alpha", "Bravo", "charlie", "Delta", "echo")
WAIT_MS = 10_000


def corpus_document(i: int) -> ImportedDocument:
    """Document ``i``: none of its spans agree or disagree by ``i % 3``: 0 no spans, 1 ana and
    ben agree on a claim, 2 ana's claim is ben's quote (a disagreement)."""
    text = f"Article {i} reports that the ministry denied the claim on Tuesday."
    spans = {
        0: [],
        1: [ImportedAnnotation("Claim", 0, 7, annotator=who) for who in ("ana", "ben")],
        2: [
            ImportedAnnotation("Claim", 0, 7, annotator="ana"),
            ImportedAnnotation("Quote", 0, 7, annotator="ben"),
        ],
    }[i % 3]
    return ImportedDocument(text, f"{WORDS[i % len(WORDS)]} {i:04d}", annotations=spans)


def fill(project: Project, n: int) -> Project:
    project.import_bundle(ImportedBundle([corpus_document(i) for i in range(n)]))
    return project


def listed(documents: DocumentList) -> list[str]:
    """The titles the list shows, top to bottom (read as the view reads them)."""
    model = documents.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def click_header(qtbot, documents: DocumentList, section: int) -> None:
    header = documents.view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def choose(box: QComboBox, text: str) -> None:
    """Open the box's list and pick ``text`` with the keyboard, as a person would."""
    box.showPopup()
    view = box.view()
    row = box.findText(text)
    assert row >= 0, [box.itemText(i) for i in range(box.count())]
    view.setCurrentIndex(view.model().index(row, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert box.currentText() == text


@pytest.fixture
def many(make_window, project: Project):
    return make_window(fill(project, 300))


def test_the_list_reads_the_rows_in_view_and_more_as_it_scrolls(qtbot, many) -> None:
    documents = many.documents
    model = documents.model
    assert model.rowCount() == 300
    assert model.loaded_rows() < 150  # one page or two, not 300
    ids = [d.id for d in many.ctx.project.documents()]
    assert model.shown(ids[200]) is None
    bar = documents.view.verticalScrollBar()
    bar.setValue(bar.maximum() * 2 // 3)  # scrolled to the middle: that page is read
    qtbot.waitUntil(lambda: model.shown(ids[200]) is not None, timeout=WAIT_MS)
    documents.view.setFocus()
    QTest.keyClick(documents.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: many.reader.document_id == ids[-1], timeout=WAIT_MS)
    assert documents.current_id() == ids[-1]
    assert model.loaded_rows() < 300
    QTest.keyClick(documents.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: many.reader.document_id == ids[0], timeout=WAIT_MS)


def rows_read_when_listing(qtbot, ctx_project: Project, tmp_path: Path) -> int:
    """Rows the database driver hands over while a document list opens and shows."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from annotator.gui.context import AppContext

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(ctx_project, settings, QUndoStack())
    ctx.labels()  # the codebook, read before: not the list's
    rows = [0]

    def counted(_cursor, row):  # type: ignore[no-untyped-def]
        rows[0] += 1
        return row

    engine = ctx_project._engine
    engine.dispose()  # every connection from now on counts its rows

    @event.listens_for(engine, "connect")
    def _count(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.row_factory = counted

    documents = DocumentList(ctx)
    qtbot.addWidget(documents)
    documents.resize(300, 600)
    documents.show()
    documents.reload()
    qtbot.waitExposed(documents)
    assert documents.current_id() is not None
    return rows[0]


def test_rows_read_at_open_do_not_grow_with_the_project(qtbot, tmp_path: Path) -> None:
    """Opening the list of 2000 documents reads no more rows than one of 10 but the extra
    rows in view (a page), not every document (and no count over every annotation)."""
    read = {}
    for n in (10, 2000):
        with Project.open(tmp_path / f"p{n}.annot") as project:
            read[n] = rows_read_when_listing(qtbot, fill(project, n), tmp_path)
    assert read[10] >= 10
    assert read[2000] <= read[10] + 64, read


def test_a_header_click_sorts_and_the_current_document_stays(qtbot, make_window, project) -> None:
    window = make_window(fill(project, 30))
    documents = window.documents
    summaries = project.documents()
    in_list_order = [d.title for d in summaries]
    assert listed(documents) == in_list_order
    documents.select(summaries[7].id)
    qtbot.waitUntil(lambda: window.reader.document_id == summaries[7].id, timeout=WAIT_MS)

    click_header(qtbot, documents, 0)
    by_title = sorted(in_list_order, key=str.lower)
    assert listed(documents) == by_title
    assert documents.current_id() == summaries[7].id  # still current, at its new row
    assert documents.view.currentIndex().row() == by_title.index(summaries[7].title)
    click_header(qtbot, documents, 0)
    assert listed(documents) == by_title[::-1]

    click_header(qtbot, documents, 1)  # Spans: fewest first, ties in list order
    counts = [documents.model.index(r, 1).data() for r in range(30)]
    assert counts == sorted(counts)
    assert listed(documents) == [
        d.title for d in sorted(summaries, key=lambda d: d.annotation_count)
    ]
    click_header(qtbot, documents, 1)
    click_header(qtbot, documents, 1)  # a third click: the list order again
    assert listed(documents) == in_list_order
    assert window.reader.document_id == summaries[7].id  # never shown anew


def test_the_filters_narrow_the_list_in_sql(qtbot, make_window, project) -> None:
    window = make_window(fill(project, 30))
    documents, bar = window.documents, window.documents.filters
    titles = [d.title for d in project.documents()]

    QTest.keyClicks(bar.title, "BRAVO")
    assert listed(documents) == [t for t in titles if "bravo" in t.lower()]
    bar.title.clear()
    assert listed(documents) == titles

    assert documents.shown_count.text() == "30 documents"
    choose(bar.label, "Quote")  # i % 3 == 2
    assert listed(documents) == [t for i, t in enumerate(titles) if i % 3 == 2]
    assert documents.shown_count.text() == "10 of 30 documents"
    choose(bar.label, "Any label")
    choose(bar.annotator, "ben")  # the layers are read when the box opens
    assert listed(documents) == [t for i, t in enumerate(titles) if i % 3]
    choose(bar.label, "Claim")  # a claim in ben's layer
    assert listed(documents) == [t for i, t in enumerate(titles) if i % 3 == 1]
    choose(bar.label, "Any label")
    choose(bar.annotator, "Any annotator")

    QTest.mouseClick(bar.disagreements, Qt.MouseButton.LeftButton)
    assert bar.disagreements.isChecked()
    assert listed(documents) == [t for i, t in enumerate(titles) if i % 3 == 2]
    QTest.mouseClick(bar.disagreements, Qt.MouseButton.LeftButton)

    documents.select(project.documents()[4].id)
    documents.set_status(DocumentStatus.DONE)  # the status menu's action
    choose(bar.status, "Done")
    assert listed(documents) == [titles[4]]
    choose(bar.status, "New")
    assert titles[4] not in listed(documents)
    assert len(listed(documents)) == 29
    # a document the filters leave out, chosen elsewhere (the concordance): they go
    documents.select(project.documents()[4].id)
    assert bar.status.currentText() == "Any status"
    assert documents.current_id() == project.documents()[4].id


def test_a_label_key_changes_one_row_and_reads_nothing_again(qtbot, window) -> None:
    model = window.documents.model
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    read = model.rows_read
    reader = window.reader
    start = reader.text.index("Cambodia")
    reader.select_range(start, start + len("Cambodia"))
    QTest.keyClick(reader, "3")
    assert model.rows[0].annotation_count == 1
    assert model.index(0, 1).data() == 1
    assert (resets, model.rows_read) == ([], read)


def test_stepping_and_next_unfinished_follow_the_sorted_filtered_list(
    qtbot, make_window, project
) -> None:
    window = make_window(fill(project, 12))
    documents = window.documents
    click_header(qtbot, documents, 0)
    click_header(qtbot, documents, 0)  # titles Z to A
    order = sorted(project.documents(), key=lambda d: d.title.lower(), reverse=True)
    documents.select(order[0].id)
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.document_id == order[1].id
    project.set_document_status(order[2].id, DocumentStatus.DONE)
    documents.reload()
    qtbot.keyClick(
        window,
        Qt.Key.Key_PageDown,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.reader.document_id == order[3].id  # the done one skipped


def test_imported_documents_join_the_list(qtbot, make_window, project, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    window = make_window(fill(project, 100))
    assert window.documents.model.rowCount() == 100
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(SAMPLE)], ""))
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 101, timeout=WAIT_MS)
    added = project.documents()[-1]
    qtbot.waitUntil(lambda: window.documents.current_id() == added.id, timeout=WAIT_MS)
    assert window.documents.view.currentIndex().row() == 100
