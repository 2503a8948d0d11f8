"""Find in All Documents (Ctrl+Shift+F) and the concordance at corpus scale, through the real
widgets: a match opens in place, Label all reviews and labels across documents in one undo
step, and a keystroke in the concordance's filter reads no document after another."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import event

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.gui.label_all_dialog import LabelAllDialog

Left = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier
CtrlShift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

SECOND = "Second article.\n\nThe inspectors met the Ministry of Tourism again on Friday."


def add_second(window) -> str:
    project = window.ctx.project
    project.import_bundle(ImportedBundle([ImportedDocument(SECOND, "Second")]))
    window.documents.reload()
    return next(d.id for d in project.documents() if d.title == "Second")


def search(qtbot, window, query: str):
    """Ctrl+Shift+F, type ``query``, Enter; the panel once every match is listed."""
    qtbot.keyClick(window.reader, Qt.Key.Key_F, CtrlShift)
    panel = window.find_all
    assert window.find_all_dock.isVisible()
    qtbot.waitUntil(panel.field.hasFocus)
    panel.field.clear()
    qtbot.keyClicks(panel.field, query)
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.running)
    return panel


def test_ctrl_shift_f_lists_matches_and_enter_opens_one_in_place(qtbot, window) -> None:
    first = window.reader.document_id
    second = add_second(window)
    panel = search(qtbot, window, "ministry of tourism")
    rows = panel.model.rows
    assert {m.document_id for m in rows} == {first, second}
    row = next(i for i, m in enumerate(rows) if m.document_id == second)
    assert rows[row].match == "Ministry of Tourism"
    assert rows[row].left.endswith("inspectors met the")
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(row, 2))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert window.reader.document_id == second
    start = SECOND.index("Ministry of Tourism")
    assert window.reader.selected_range() == (start, start + len("Ministry of Tourism"))
    assert window.documents.current_id() == second


def test_label_all_reviews_and_labels_matches_in_two_documents_as_one_step(qtbot, window) -> None:
    first = window.reader.document_id
    second = add_second(window)
    project = window.ctx.project
    panel = search(qtbot, window, "Ministry of Tourism")
    expected = {(m.document_id, m.start, m.end) for m in panel.model.rows}
    assert {d for d, _s, _e in expected} == {first, second}
    panel.label_box.setCurrentIndex(panel.label_box.findData("Organisation"))
    qtbot.mouseClick(panel.label_all_button, Left)
    dialog = window.findChild(LabelAllDialog)
    assert dialog is not None and dialog.matches.count() == len(expected)
    assert "Second: …" in dialog.matches.item(len(expected) - 1).text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Left)

    def organisations() -> set[tuple[str, int, int]]:
        return {
            (a.document_id, a.start, a.end)
            for a in project.annotations()
            if a.label == "Organisation"
        }

    assert organisations() == expected
    window.ctx.undo_stack.undo()  # one step takes back both documents' spans
    assert organisations() == set()
    window.ctx.undo_stack.redo()
    assert organisations() == expected


def test_typing_in_the_concordance_filter_reads_no_document_after_another(qtbot, window) -> None:
    project = window.ctx.project
    project.import_bundle(
        ImportedBundle(
            [
                ImportedDocument(f"Report {n}. The Ministry of Tourism spoke {n} times.", f"R{n}")
                for n in range(6)
            ]
        )
    )
    for d in project.documents():
        text = project.document(d.id).text
        if "Ministry of Tourism" in text:
            at = text.index("Ministry of Tourism")
            project.add_annotation(d.id, "Organisation", at, at + len("Ministry of Tourism"))
            project.add_annotation(d.id, "Organisation", 0, len("Report"))  # filtered out
    window.documents.reload()
    window.actions_by_name["concordance"].trigger()
    concordance = window.concordance
    concordance.show_label("Organisation")
    spans = [r.span for r in concordance.model.rows]
    tourism = sum("Tourism" in span for span in spans)
    assert tourism >= 7 and len(spans) > tourism
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = project._engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        concordance.filter.setFocus()
        qtbot.keyClicks(concordance.filter, "touri")
        qtbot.waitUntil(lambda: len(concordance.model.rows) == tourism)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert all("Tourism" in r.span for r in concordance.model.rows)
    # one statement a keystroke, whatever the number of documents (main read 2 per document)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= len("touri"), selects


def test_the_matches_are_found_again_when_documents_go(qtbot, window) -> None:
    from annotator.gui.changes import Changes

    second = add_second(window)
    panel = search(qtbot, window, "Ministry of Tourism")
    assert second in {m.document_id for m in panel.model.rows}
    window.ctx.project.delete_documents([second])
    window.ctx.publish(Changes(documents=True))
    qtbot.waitUntil(lambda: not panel.running and bool(panel.model.rows))
    assert second not in {m.document_id for m in panel.model.rows}
