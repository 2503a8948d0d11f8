"""Labelling as fast as thought (issue 14), driven through the real widgets with the mouse and
the keyboard: snapping by label, Alt+drag, presses inside a selection, sentence keys, edges,
relabelling, duplicates, Label all review, attribute keys, document status and navigation."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QComboBox, QLineEdit

from annotator.core.labels import AttributeDef, AttributeKind
from annotator.core.model import DocumentStatus
from annotator.gui.changes import Changes
from annotator.gui.label_all_dialog import LabelAllDialog
from annotator.service import import_file
from annotator.store import codebook

from .conftest import FIXTURES
from .test_gui_reader import stored, utf16

Left = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier
Alt = Qt.KeyboardModifier.AltModifier


def find(window, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = window.reader.text.index(phrase, start + 1)
    return start, start + len(phrase)


def point_at(window, index: int) -> QPoint:
    """The viewport point of the gap before code point ``index`` (scrolled into view)."""
    reader = window.reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(utf16(reader.text, index))
    rect = reader.cursorRect(cursor)
    if not reader.viewport().rect().contains(rect.center()):
        reader.setTextCursor(cursor)
        reader.centerCursor()
        rect = reader.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def drag(qtbot, window, start: int, end: int, modifier=NoMod) -> None:
    viewport = window.reader.viewport()
    point_at(window, start)
    last = point_at(window, end)  # may scroll: the start's point is taken after
    first = point_at(window, start)
    qtbot.mousePress(viewport, Left, modifier, first)
    qtbot.mouseMove(viewport, QPoint((first.x() + last.x()) // 2, last.y()))
    qtbot.mouseMove(viewport, last)
    qtbot.mouseRelease(viewport, Left, modifier, last)


def click(qtbot, window, index: int) -> None:
    qtbot.mouseClick(window.reader.viewport(), Left, NoMod, point_at(window, index))


def key(qtbot, window, k, modifier=NoMod) -> None:
    qtbot.keyClick(window.reader, k, modifier)


def label(qtbot, window, digit: str) -> None:
    qtbot.keyClick(window.reader, digit)


# -- selecting ---------------------------------------------------------------------------------


def test_an_exact_drag_over_a_quote_keeps_its_quotation_marks(qtbot, window) -> None:
    start, end = find(window, "“good news.”")
    drag(qtbot, window, start, end)
    label(qtbot, window, "2")  # Quote: words, keeping punctuation
    drag(qtbot, window, start, end)
    label(qtbot, window, "1")  # Claim: words, keeping the balanced marks it covers
    assert sorted((lb, text) for lb, text, _s, _e in stored(window)) == [
        ("Claim", "“good news.”"),
        ("Quote", "“good news.”"),
    ]


def test_a_sloppy_drag_snaps_and_alt_drag_stores_exactly_once(qtbot, window) -> None:
    start, end = find(window, "The new classification")
    drag(qtbot, window, start + 1, end - 3)  # "he new classificat"
    label(qtbot, window, "1")
    assert stored(window)[-1][1] == "The new classification"
    drag(qtbot, window, start, end - 1, Alt)
    assert window.snap_state.text() == "Exact (Alt)"
    label(qtbot, window, "2")
    assert ("Quote", "The new classificatio") in [a[:2] for a in stored(window)]
    assert window.snap_state.text() == "Snapping by label"  # only once
    drag(qtbot, window, start + 1, end - 3)
    label(qtbot, window, "2")
    assert ("Quote", "The new classification") in [a[:2] for a in stored(window)]


def test_the_status_bar_says_when_snapping_is_off(qtbot, window) -> None:
    assert window.snap_state.text() == "Snapping by label"
    window.actions_by_name["snap"].trigger()
    assert window.snap_state.text() == "Snapping off"
    start, end = find(window, "The new classification")
    drag(qtbot, window, start, end - 1)
    label(qtbot, window, "1")
    assert stored(window)[-1][1] == "The new classificatio"
    window.actions_by_name["snap"].trigger()
    assert window.snap_state.text() == "Snapping by label"


def test_a_press_inside_the_selection_starts_a_new_selection(qtbot, window) -> None:
    start, end = find(window, "US State Department has bumped")
    drag(qtbot, window, start, end)
    assert window.reader.selected_range() == (start, end)
    inner, inner_end = find(window, "Department has bumped Cambodia")
    drag(qtbot, window, inner, inner_end)
    assert window.reader.selected_range() == (inner, inner_end)
    label(qtbot, window, "1")
    assert stored(window)[-1][1] == "Department has bumped Cambodia"


def test_a_sentence_long_claim_takes_three_keys_from_the_caret(qtbot, window) -> None:
    claim = (
        "The US State Department has bumped Cambodia up to Tier 2 in its annual report on "
        "human trafficking"
    )
    start, end = find(window, claim)
    click(qtbot, window, start)  # the caret at the claim
    key(qtbot, window, Qt.Key.Key_Period, Alt)  # to the end of the clause
    label(qtbot, window, "1")
    assert stored(window)[-1][:2] == ("Claim", claim)
    sentence = find(
        window,
        "The graduation from 2002’s Tier 3 status means Cambodia will not "
        "be subject to sanctions imposed by the US.",
    )
    click(qtbot, window, sentence[0] + 20)  # anywhere in the sentence
    key(qtbot, window, Qt.Key.Key_S, Alt)
    label(qtbot, window, "1")
    assert stored(window)[-1][2:] == (sentence[0], sentence[1] - 1)  # words: no final stop
    click(qtbot, window, start)
    key(qtbot, window, Qt.Key.Key_Period, Alt)
    key(qtbot, window, Qt.Key.Key_Period, Alt)
    key(qtbot, window, Qt.Key.Key_Comma, Alt)
    assert window.reader.selected_range() == (start, end + 1)  # back to the comma


# -- editing what exists -----------------------------------------------------------------------


def test_edges_move_by_word_and_character_as_one_undoable_step(qtbot, window) -> None:
    start, end = find(window, "Tier 2")
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    key(qtbot, window, Qt.Key.Key_Right, Alt)
    key(qtbot, window, Qt.Key.Key_Right, Alt)
    assert stored(window)[-1][1] == "Tier 2 in its"
    key(qtbot, window, Qt.Key.Key_Left, Alt | Qt.KeyboardModifier.ShiftModifier)
    assert stored(window)[-1][1] == "to Tier 2 in its"
    key(qtbot, window, Qt.Key.Key_Left, Alt | Qt.KeyboardModifier.ControlModifier)
    assert stored(window)[-1][1] == "to Tier 2 in it"
    window.ctx.undo_stack.undo()  # the key presses on one annotation are one step
    assert stored(window)[-1][1] == "Tier 2"
    assert window.ctx.project.annotations()[0].text == "Tier 2"


def test_handles_drag_an_annotations_end_snapped_by_its_rule(qtbot, window) -> None:
    start, end = find(window, "Tier 2")
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    handles = window.reader.handle_rects()
    assert set(handles) == {"start", "end"}
    viewport = window.reader.viewport()
    target = find(window, "Tier 2 in its annual")[1] - 3  # in the middle of "annual"
    qtbot.mousePress(viewport, Left, NoMod, handles["end"].center())
    qtbot.mouseMove(viewport, point_at(window, target))
    qtbot.mouseRelease(viewport, Left, NoMod, point_at(window, target))
    assert stored(window)[-1][1] == "Tier 2 in its annual"
    window.ctx.undo_stack.undo()
    assert stored(window)[-1][1] == "Tier 2"


def test_a_label_key_relabels_the_selected_annotation(qtbot, window) -> None:
    start, end = find(window, "Tier 2")
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    assert window.reader.selected_range() is None and window.current_annotation() is not None
    label(qtbot, window, "1")
    assert [a.label for a in window.ctx.project.annotations()] == ["Claim"]
    assert window.ctx.project.annotations()[0].attributes == {"verdict": "unverified"}
    window.ctx.undo_stack.undo()
    assert [a.label for a in window.ctx.project.annotations()] == ["Tier rating"]


def test_the_same_label_on_the_same_range_is_refused(qtbot, window) -> None:
    start, end = find(window, "Tier 2")
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    first = window.ctx.project.annotations()[0]
    click(qtbot, window, find(window, "Cambodia")[0])  # select something else
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    assert len(window.ctx.project.annotations()) == 1
    assert window.current_annotation().id == first.id
    assert window.statusBar().currentMessage().startswith("Already labelled Tier rating")


def test_label_all_is_reviewed_and_does_not_nest_unless_asked(qtbot, window) -> None:
    sentence = find(window, "The graduation from 2002’s Tier 3 status means Cambodia")
    drag(qtbot, window, *sentence)
    label(qtbot, window, "1")
    qtbot.keyClick(window.reader, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.find_bar.field, "Cambodia")
    window.find_bar.label_box.setCurrentIndex(window.find_bar.label_box.findData("Claim"))
    window.find_bar.label_all_button.click()
    review = window.findChild(LabelAllDialog)
    matches = len(review.ranges)
    assert len(review.chosen()) == matches - 1  # the one inside the claim is skipped
    qtbot.keyClick(review.matches, Qt.Key.Key_Space)  # skip the first (highlighted) match
    assert len(review.chosen()) == matches - 2
    review.include_nested.setChecked(True)
    assert len(review.chosen()) == matches - 1
    qtbot.keyClick(review.matches, Qt.Key.Key_Return)
    assert sum(1 for a in stored(window) if a[1] == "Cambodia") == matches - 1


# -- attributes from the keyboard --------------------------------------------------------------


def test_undo_in_an_attribute_field_is_the_global_undo(qtbot, window) -> None:
    start, end = find(window, "“good news.”")
    drag(qtbot, window, start, end)
    label(qtbot, window, "2")
    line = window.editor._editors["speaker"].line
    line.setFocus()
    qtbot.keyClicks(line, "Chantoul Oung")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert window.ctx.project.annotations()[0].attributes == {"speaker": "Chantoul Oung"}
    line = window.editor._editors["speaker"].line
    line.setFocus()
    qtbot.keyClicks(line, " typo")
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    stored_value = window.ctx.project.annotations()[0].attributes.get("speaker")
    assert stored_value is None  # the global undo took the speaker back
    assert window.editor._editors["speaker"].line.text() == ""  # and the field agrees
    qtbot.keyClick(
        window.editor._editors["speaker"].line,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.ctx.project.annotations()[0].attributes == {"speaker": "Chantoul Oung"}
    assert window.editor._editors["speaker"].line.text() == "Chantoul Oung"


def test_choices_by_number_and_first_letter(qtbot, window) -> None:
    start, end = find(window, "Tier 2")
    drag(qtbot, window, start, end)
    label(qtbot, window, "4")
    box = window.editor._editors["tier"]
    assert isinstance(box, QComboBox)
    box.setFocus()
    qtbot.keyClick(box, "3")  # not the label key 3: the third choice
    assert window.ctx.project.annotations()[0].attributes["tier"] == "Tier 2 Watch List"
    assert len(window.ctx.project.annotations()) == 1
    claim = find(window, "human trafficking")
    drag(qtbot, window, *claim)
    label(qtbot, window, "1")
    verdict = window.editor._editors["verdict"]
    verdict.setFocus()
    qtbot.keyClick(verdict, "m")
    assert window.current_annotation().attributes["verdict"] == "mostly true"
    assert window.reader.hasFocus()  # the keyboard goes back to the text
    qtbot.keyClick(window.editor._editors["verdict"], "m")  # again: the next with m
    assert window.current_annotation().attributes["verdict"] == "mixed"


def test_required_attributes_are_prompted_and_a_click_on_a_name_fills_them(qtbot, window) -> None:
    codebook.set_attributes(
        window.ctx.project, "Quote", [AttributeDef("speaker", AttributeKind.TEXT, required=True)]
    )
    window.ctx.publish(Changes(labels=True))
    name = find(window, "Chantoul Oung")
    drag(qtbot, window, *name)
    label(qtbot, window, "3")  # an Organisation, to have a highlighted name to click
    quote = find(window, "“good news.”")
    drag(qtbot, window, *quote)
    label(qtbot, window, "2")
    line = window.editor._editors["speaker"].line
    assert isinstance(line, QLineEdit) and line.hasFocus()
    assert "speaker is required" in window.statusBar().currentMessage()
    click(qtbot, window, name[0] + 3)
    quote_row = next(a for a in window.ctx.project.annotations() if a.label == "Quote")
    assert quote_row.attributes == {"speaker": "Chantoul Oung"}
    assert window.reader.hasFocus()


def test_same_as_the_previous_one(qtbot, window) -> None:
    first = find(window, "Tier 2")
    drag(qtbot, window, *first)
    label(qtbot, window, "4")
    box = window.editor._editors["tier"]
    box.setFocus()
    qtbot.keyClick(box, "2")
    second = find(window, "Tier 3")
    drag(qtbot, window, *second)
    label(qtbot, window, "4")
    key(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.current_annotation().attributes == {"tier": "Tier 2"}
    assert window.editor._editors["tier"].currentText() == "Tier 2"


def test_the_heading_does_not_double_quotation_marks(qtbot, window) -> None:
    start, end = find(window, "“keep up pressure on the country.”")
    drag(qtbot, window, start, end)
    label(qtbot, window, "2")
    heading = window.editor.heading.text()
    assert "““" not in heading and "””" not in heading
    assert "“keep up pressure on the country.”" in heading


# -- moving around -----------------------------------------------------------------------------


def test_status_and_document_keys(qtbot, window) -> None:
    project = window.ctx.project
    import_file(project, FIXTURES / "article.md")
    window.documents.reload()
    first, second = (d.id for d in project.documents())
    assert window.reader.document_id == first
    drag(qtbot, window, *find(window, "Tier 2"))
    label(qtbot, window, "4")
    assert project.documents(first)[0].status is DocumentStatus.IN_PROGRESS
    window.ctx.undo_stack.undo()
    assert project.documents(first)[0].status is DocumentStatus.NEW
    window.ctx.undo_stack.redo()
    assert project.documents(first)[0].status is DocumentStatus.IN_PROGRESS
    assert len(project.annotations(first)) == 1
    key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.document_id == second
    key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.reader.document_id == first
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert project.documents(first)[0].status is DocumentStatus.DONE
    assert window.reader.document_id == second  # the next unfinished one
    key(
        qtbot,
        window,
        Qt.Key.Key_PageDown,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.reader.document_id == second  # the only one not done


def test_the_annotation_list_filters_by_attribute_value_and_text(qtbot, window) -> None:
    for phrase, digit in (("Tier 2", "4"), ("Tier 3", "4"), ("US State Department", "3")):
        drag(qtbot, window, *find(window, phrase))
        label(qtbot, window, digit)
    window.panel.select(window.panel.model.rows[1].id)  # "Tier 2"
    box = window.editor._editors["tier"]
    qtbot.keyClick(box, "2")
    qtbot.keyClicks(window.panel.search, "tier: tier 2")
    shown = [window.panel.proxy.index(r, 1).data() for r in range(window.panel.proxy.rowCount())]
    assert shown == ["Tier 2"]
    window.panel.search.clear()
    qtbot.keyClicks(window.panel.search, "state")
    shown = [window.panel.proxy.index(r, 1).data() for r in range(window.panel.proxy.rowCount())]
    assert shown == ["US State Department"]


def test_the_concordance_lists_a_label_across_documents_and_opens_a_span(qtbot, window) -> None:
    project = window.ctx.project
    import_file(project, FIXTURES / "article.md")
    window.documents.reload()
    first, second = (d.id for d in project.documents())
    other_text = project.document(second).text
    word = next(w for w in other_text.split() if len(w) > 5 and w.isalpha())
    at = other_text.index(word)
    project.add_annotation(second, "Organisation", at, at + len(word))
    drag(qtbot, window, *find(window, "Ministry of Tourism"))
    label(qtbot, window, "3")
    window.actions_by_name["concordance"].trigger()
    assert window.concordance_dock.isVisible()
    window.concordance.show_label("Organisation")
    rows = window.concordance.model.rows
    assert sorted(r.span for r in rows) == sorted(["Ministry of Tourism", word])
    other = next(r for r in rows if r.document_id == second)
    assert other.left == " ".join(other_text[:at].split())[-50:]
    row = rows.index(other)
    rect = window.concordance.view.visualRect(window.concordance.model.index(row, 2))
    qtbot.mouseClick(window.concordance.view.viewport(), Left, NoMod, rect.center())
    assert window.reader.document_id == second
    assert window.current_annotation() is not None
    assert window.current_annotation().text == word


def test_shift_press_still_extends_the_selection(qtbot, window) -> None:
    start, end = find(window, "US State Department")
    drag(qtbot, window, start, start + 2)
    viewport = window.reader.viewport()
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mousePress(viewport, Left, shift, point_at(window, end))
    qtbot.mouseRelease(viewport, Left, shift, point_at(window, end))
    assert window.reader.selected_range() == (start, end)


def test_the_codebook_sets_a_labels_snapping_rule(qtbot, window) -> None:
    from annotator.core.snapping import SnapMode
    from annotator.gui.codebook_dialog import CodebookDialog

    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.labels.setCurrentRow(0)  # Claim
    assert dialog.snap.currentData() == SnapMode.WORDS.value
    dialog.snap.setFocus()
    qtbot.keyClick(dialog.snap, Qt.Key.Key_Down)  # keeping punctuation
    qtbot.keyClick(dialog.snap, Qt.Key.Key_Down)  # exact characters
    assert window.ctx.label("Claim").snap is SnapMode.EXACT
    dialog.labels.setCurrentRow(1)
    assert dialog.snap.currentData() == SnapMode.PUNCTUATION.value  # Quote's default
    dialog.close()
    start, end = find(window, "The new classification")
    drag(qtbot, window, start, end - 1)
    label(qtbot, window, "1")
    assert stored(window)[-1][1] == "The new classificatio"
    assert "Claim: exact characters" in window.snap_state.toolTip()
    window.ctx.undo_stack.undo()  # the label
    window.ctx.undo_stack.undo()  # the rule changes are undoable too, one per choice
    assert window.ctx.label("Claim").snap is SnapMode.PUNCTUATION
    window.ctx.undo_stack.undo()
    assert window.ctx.label("Claim").snap is SnapMode.WORDS
