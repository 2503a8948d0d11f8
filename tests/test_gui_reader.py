"""The main window, driven like a person would: select text, press a key, check the store."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolButton

from annotator.core.model import DocumentStatus
from annotator.service import import_file

from .conftest import FIXTURES


def utf16(text: str, index: int) -> int:
    """Qt's position of code point ``index``, computed independently of OffsetMap."""
    return len(text[:index].encode("utf-16-le")) // 2


def select_utf16(window, start: int, end: int) -> None:
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    window.reader.setTextCursor(cursor)


def select_text(window, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    text = window.reader.text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    select_utf16(window, utf16(text, start), utf16(text, start + len(phrase)))
    return start, start + len(phrase)


def press(qtbot, window, key: str) -> None:
    qtbot.keyClick(window.reader, key)


def format_at(window, position_utf16: int) -> QTextCharFormat | None:
    """The highlight format Qt paints at a document position (None: unhighlighted), looked at
    as a person would: scrolled into view first (lines are highlighted as they show)."""
    block = window.reader.document().findBlock(position_utf16)
    window.reader.verticalScrollBar().setValue(block.firstLineNumber())
    local = position_utf16 - block.position()
    ranges = block.layout().formats()
    for fmt_range in ranges:
        if fmt_range.start <= local < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return None


def stored(window) -> list[tuple[str, str, int, int]]:
    return [(a.label, a.text, a.start, a.end) for a in window.ctx.project.annotations()]


def test_select_and_press_a_label_key_stores_and_highlights(qtbot, window) -> None:
    start, end = select_text(window, "Tier 2")
    press(qtbot, window, "4")
    assert stored(window) == [("Tier rating", "Tier 2", start, end)]
    fmt = format_at(window, utf16(window.reader.text, start))
    assert fmt is not None and fmt.background().color().isValid()
    assert format_at(window, utf16(window.reader.text, end)) is None
    # the new annotation is selected, so its attributes can be typed at once
    assert window.editor.annotation is not None and window.editor.annotation.label == "Tier rating"
    assert window.panel.model.rows[0].text == "Tier 2"


def test_sloppy_selection_snaps_to_words(qtbot, window) -> None:
    text = window.reader.text
    at = text.index("Tier 2 in its")
    select_utf16(window, utf16(text, at - 1), utf16(text, at + 4))  # " Tier" of " Tier 2"
    press(qtbot, window, "4")
    assert stored(window)[0][1] == "Tier"
    window.ctx.undo_stack.undo()
    at = text.index("“Cambodia")
    select_utf16(window, utf16(text, at - 1), utf16(text, at + 10))  # ' “Cambodia '
    press(qtbot, window, "1")
    assert stored(window)[0][1] == "Cambodia"


def test_mouse_drag_selects_then_key_labels(qtbot, window) -> None:
    reader = window.reader
    text = reader.text
    start = text.index("Ministry of Tourism")
    end = start + len("Ministry of Tourism")

    def point_of(index: int) -> QPoint:
        cursor = QTextCursor(reader.document())
        cursor.setPosition(utf16(text, index))
        reader.setTextCursor(cursor)
        reader.ensureCursorVisible()
        return reader.cursorRect(cursor).center()

    point_of(end)
    begin, finish = point_of(start), point_of(end)
    begin.setX(begin.x() + 1)
    viewport = reader.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=begin)
    qtbot.mouseMove(viewport, pos=finish)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=finish)
    assert reader.selected_range() == (start, end)
    press(qtbot, window, "3")
    assert stored(window) == [("Organisation", "Ministry of Tourism", start, end)]


def test_overlapping_spans_stay_visible(qtbot, window) -> None:
    text = window.reader.text
    claim = select_text(window, "bumped Cambodia up to Tier 2")
    press(qtbot, window, "1")
    tier = select_text(window, "Tier 2")
    press(qtbot, window, "4")
    claim_only = format_at(window, utf16(text, claim[0]))
    both = format_at(window, utf16(text, tier[0]))
    assert claim_only is not None and both is not None
    assert not claim_only.fontUnderline() and both.fontUnderline()
    assert claim_only.background().color() != both.background().color()


def test_click_selects_and_delete_removes(qtbot, window) -> None:
    start, end = select_text(window, "Ministry of Tourism")
    press(qtbot, window, "3")
    cursor = window.reader.textCursor()
    cursor.clearSelection()
    window.reader.setTextCursor(cursor)
    window.panel.select(None)
    middle = QTextCursor(window.reader.document())
    middle.setPosition(utf16(window.reader.text, start + 3))
    point = window.reader.cursorRect(middle).center()
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.panel.current_id() == window.ctx.project.annotations()[0].id
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert stored(window) == []
    assert format_at(window, utf16(window.reader.text, start)) is None
    window.ctx.undo_stack.undo()
    assert stored(window) == [("Organisation", "Ministry of Tourism", start, end)]


def test_undo_and_redo_across_documents(qtbot, window) -> None:
    project = window.ctx.project
    import_file(project, FIXTURES / "cp1252-quotes.txt")
    window.documents.reload()
    first, second = (d.id for d in project.documents())
    window.documents.select(first)
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    window.documents.select(second)
    assert window.reader.document_id == second
    window.ctx.undo_stack.undo()
    assert project.annotations() == []
    assert window.reader.document_id == first  # the undo shows where it happened
    window.documents.select(second)
    window.ctx.undo_stack.redo()
    assert [a.text for a in project.annotations(first)] == ["Tier 2"]
    assert window.reader.document_id == first
    assert window.documents.model.rows[0].annotation_count == 1
    assert [a.text for a in window.panel.model.rows] == ["Tier 2"]
    assert len(window.reader.index) == 1


def test_attribute_edit_is_stored_and_undoable(qtbot, window) -> None:
    select_text(window, "bumped Cambodia up to Tier 2")
    press(qtbot, window, "1")
    verdict = window.editor._editors["verdict"]
    verdict.setCurrentIndex(verdict.findData("false"))
    verdict.activated.emit(verdict.currentIndex())
    (annotation,) = window.ctx.project.annotations()
    assert annotation.attributes["verdict"] == "false"
    window.ctx.undo_stack.undo()
    assert window.ctx.project.annotations()[0].attributes["verdict"] == "unverified"
    window.ctx.undo_stack.redo()
    assert window.ctx.project.annotations()[0].attributes["verdict"] == "false"


def test_note_and_speaker_from_selection(qtbot, window) -> None:
    select_text(window, "They have commitment, but they need to move faster")
    press(qtbot, window, "2")
    select_text(window, "Chantoul Oung")
    fill = window.editor._editors["speaker"].findChild(QToolButton)
    fill.click()  # "fill from the text selected in the reader"
    window.editor.note.setFocus()
    qtbot.keyClicks(window.editor.note, "Director, Cambodian Women's Crisis Center")
    qtbot.waitUntil(lambda: window.ctx.project.annotations()[0].note != "", timeout=3000)
    (quote,) = window.ctx.project.annotations()
    assert quote.attributes == {"speaker": "Chantoul Oung"}
    assert quote.note == "Director, Cambodian Women's Crisis Center"
    window.ctx.undo_stack.undo()  # the whole note is one undo step
    assert window.ctx.project.annotations()[0].note == ""


def test_reopening_shows_everything(qtbot, make_window, window) -> None:
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    path = window.ctx.project.path
    window.close()
    window.ctx.project.close()
    from annotator.store.project import Project

    reopened = make_window(Project.open(path, create=False))
    assert [a.text for a in reopened.panel.model.rows] == ["Tier 2"]
    assert format_at(reopened, utf16(reopened.reader.text, reopened.reader.text.index("Tier 2")))
    reopened.ctx.project.close()


def test_spans_after_emoji_zwj_combining_and_crlf_land_exactly(qtbot, make_window, project) -> None:
    import_file(project, FIXTURES / "emoji-crlf.txt")
    window = make_window(project)
    text = window.reader.text
    assert "\r" not in text
    tricky = [c for c in ("👨\u200d👩\u200d👧", "👍🏽", "\u0301", "🇰🇭") if c in text]
    assert len(tricky) >= 3, "the fixture must hold emoji, a ZWJ family and combining marks"
    checked = 0
    for marker in tricky:
        after = text.index(marker) + len(marker)
        words = [w for w in text[after:].split() if w.isalpha() and len(w) > 3]
        word = words[0]
        start = text.index(word, after)
        select_utf16(window, utf16(text, start), utf16(text, start + len(word)))
        press(qtbot, window, "3")
        assert window.ctx.project.annotations(window.reader.document_id)[-1].text == word or any(
            a.text == word and a.start == start for a in window.ctx.project.annotations()
        )
        fmt = format_at(window, utf16(text, start))
        assert fmt is not None, f"no highlight on {word!r} after {marker!r}"
        assert format_at(window, utf16(text, start) - 1) is None or text[start - 1] != " "
        checked += 1
    spans = window.ctx.project.annotations()
    assert all(text[a.start : a.end] == a.text for a in spans)
    assert checked == len(tricky)


def test_find_counts_and_labels_all_matches_in_one_step(qtbot, window) -> None:
    qtbot.keyClick(window.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "Tier 3")
    assert window.find_bar.count.text() == f"1 of {window.reader.text.count('Tier 3')}"
    window.find_bar.label_box.setCurrentIndex(window.find_bar.label_box.findData("Tier rating"))
    window.find_bar.label_all_button.click()
    from annotator.gui.label_all_dialog import LabelAllDialog

    review = window.findChild(LabelAllDialog)
    assert review is not None and review.isVisible()  # the matches are reviewed first
    qtbot.keyClick(review.matches, Qt.Key.Key_Return)
    count = window.reader.text.count("Tier 3")
    assert [a.text for a in window.ctx.project.annotations()] == ["Tier 3"] * count
    window.ctx.undo_stack.undo()
    assert window.ctx.project.annotations() == []


def test_document_status_is_undoable(qtbot, window) -> None:
    doc_id = window.reader.document_id
    window.actions_by_name["status_done"].trigger()
    assert window.ctx.project.documents()[0].status == DocumentStatus.DONE
    assert "done" in window.documents.model.rows[0].status
    window.ctx.undo_stack.undo()
    assert window.ctx.project.documents(doc_id)[0].status == DocumentStatus.NEW


def test_import_runs_in_the_background_and_is_undoable(qtbot, window) -> None:
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.import_files([FIXTURES / "table.docx", FIXTURES / "two-pages.pdf"])
    assert len(window.ctx.project.documents()) == 3
    assert window.documents.model.rowCount() == 3
    window.ctx.undo_stack.undo()
    assert len(window.ctx.project.documents()) == 1
    window.ctx.undo_stack.redo()
    assert len(window.ctx.project.documents()) == 3


def test_paste_article(qtbot, window, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    QApplication.clipboard().setText("Pasted headline\r\n\r\nBody about Tier 2.")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Pasted", True))
    window.actions_by_name["paste"].trigger()
    titles = [d.title for d in window.ctx.project.documents()]
    assert titles[-1] == "Pasted"
    assert window.reader.text == "Pasted headline\n\nBody about Tier 2."
    window.ctx.undo_stack.undo()
    assert [d.title for d in window.ctx.project.documents()] == titles[:-1]


def test_zoom_changes_the_reading_font(qtbot, window) -> None:
    size = window.reader.font().pointSizeF()
    window.actions_by_name["zoom_in"].trigger()
    assert window.reader.font().pointSizeF() > size
    window.actions_by_name["zoom_reset"].trigger()
    assert window.reader.font().pointSizeF() == size


def test_lines_are_highlighted_as_they_come_into_view(qtbot, make_window, project) -> None:
    from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument

    paragraphs = [f"Paragraph {n} says Tier 2 again." for n in range(3000)]
    text = "\n\n".join(paragraphs)
    spans = [
        ImportedAnnotation("Tier rating", m, m + 6)
        for m in (text.index("Tier 2", text.index(p)) for p in paragraphs)
    ]
    project.import_bundle(ImportedBundle([ImportedDocument(text, "Long", annotations=spans)]))
    window = make_window(project)
    reader = window.reader
    last_line = len(reader.lines) - 1
    assert reader.wants(0) and not reader.wants(last_line)  # the end is not painted yet
    scrollbar = reader.verticalScrollBar()
    scrollbar.setValue(scrollbar.maximum())  # scroll to the end, as a person would
    assert reader.wants(last_line)
    block = reader.document().findBlockByNumber(last_line)
    assert any(r.format.background().color().isValid() for r in block.layout().formats())
    middle = last_line // 2
    assert not reader.wants(middle)  # never shown, never highlighted


def test_label_bar_button_labels_the_selection(qtbot, window) -> None:
    select_text(window, "Afesip")
    qtbot.mouseClick(window.label_bar.buttons["Organisation"], Qt.MouseButton.LeftButton)
    assert stored(window)[0][:2] == ("Organisation", "Afesip")


def test_keyboard_only_selection_and_labelling(qtbot, window) -> None:
    text = window.reader.text
    start = text.index("Pierre Legros")
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(utf16(text, start))
    window.reader.setTextCursor(cursor)
    window.reader.setFocus()
    for _ in range(2):  # caret browsing: Ctrl+Shift+Right selects word by word
        qtbot.keyClick(
            window.reader,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    press(qtbot, window, "2")
    assert stored(window)[0][:2] == ("Quote", "Pierre Legros")


def test_hover_names_the_labels_and_attributes(qtbot, window) -> None:
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    tier = window.editor._editors["tier"]
    tier.setCurrentIndex(tier.findData("Tier 2"))
    tier.activated.emit(1)
    span = window.reader.index.at(window.reader.text.index("Tier 2"))
    tip = window.reader._tooltip(span)
    assert "Tier rating" in tip and "tier: <b>Tier 2</b>" in tip


def test_panel_filters_by_label_counts_and_steps(qtbot, window) -> None:
    for phrase, key in (("Ministry of Tourism", "3"), ("Tier 2", "4"), ("Afesip", "3")):
        select_text(window, phrase)
        press(qtbot, window, key)
    panel = window.panel
    assert panel.label_filter.itemText(0) == "All labels (3)"
    organisation = panel.label_filter.findData("Organisation")
    assert panel.label_filter.itemText(organisation) == "Organisation (2)"
    panel.label_filter.setCurrentIndex(organisation)
    assert panel.proxy.rowCount() == 2
    panel.label_filter.setCurrentIndex(0)
    panel.select(None)
    window.actions_by_name["next"].trigger()
    first = window.reader.current_id
    window.actions_by_name["next"].trigger()
    assert window.reader.current_id != first
    window.actions_by_name["previous"].trigger()
    assert window.reader.current_id == first
    assert window.editor.annotation is not None and window.editor.annotation.id == first


def test_dropping_files_imports_them(qtbot, window) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(FIXTURES / "article.md"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        window.dropEvent(event)
    assert len(window.ctx.project.documents()) == 2


def test_cancelling_an_import_keeps_what_finished(qtbot, window, monkeypatch) -> None:
    from annotator.gui import import_runner

    real = import_runner.import_files

    def cancel_after_first(project, paths, report, **options):
        def cancelling(index, outcome):
            window.importer.cancel()  # as if the user pressed Cancel during the first file
            return report(index, outcome)

        return real(project, paths, cancelling, **options)

    monkeypatch.setattr(import_runner, "import_files", cancel_after_first)
    files = [FIXTURES / "table.docx", FIXTURES / "two-pages.pdf", FIXTURES / "article.md"]
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        window.import_files(files)
    assert len(finished.args[0]) == 1
    assert len(window.ctx.project.documents()) == 2
