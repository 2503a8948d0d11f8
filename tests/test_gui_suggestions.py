"""Suggestions in the window: drawn apart from annotations, stepped with Tab, accepted with
Enter, rejected with Backspace, all of a label at once; each one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import ImportedBundle, ImportedDocument
from annotator.store import suggestion_store


@pytest.fixture
def window(make_window, sample_project):
    """The sample project's window with suggestions on (the app's default)."""
    return make_window(sample_project, suggestions=True)


def ready(qtbot, window) -> None:
    """Wait for the suggestions of the document shown (computed in a worker thread)."""
    qtbot.waitUntil(lambda: bool(window.suggestions.suggestions), timeout=10000)


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    window.reader.setFocus()
    qtbot.keyClick(window.reader, key, modifier)


def stored(window) -> list[tuple[str, str]]:
    text = window.reader.text
    return [(a.label, text[a.start : a.end]) for a in window.ctx.project.annotations()]


def test_suggestions_are_drawn_from_their_own_index_not_as_annotations(qtbot, window) -> None:
    ready(qtbot, window)
    reader = window.reader
    assert reader.suggestion_index is not None
    assert len(reader.suggestion_index) == len(window.suggestions.suggestions)
    assert len(reader.index) == 0  # nothing is stored until accepted
    assert window.ctx.project.annotations() == []
    labels = {s.label for s in window.suggestions.suggestions}
    assert {"Quote", "Organisation", "Tier rating", "Claim"} <= labels
    assert reader.extraSelections() == []  # suggestions never use extra selections
    # the highlighter gave the first suggested line a dashed underline in the label's colour
    first = window.suggestions.suggestions[0]
    line = reader.lines.line_of(first.start)
    reader.highlight_lines([line])
    block = reader.document().findBlockByNumber(line)
    offset = reader.offsets.to_utf16(first.start) - reader.offsets.to_utf16(
        reader.lines.span(line)[0]
    )
    formats = [r for r in block.layout().formats() if r.start <= offset < r.start + r.length]
    assert any(r.format.underlineStyle() == r.format.UnderlineStyle.DashUnderline for r in formats)


def test_tab_enter_accepts_with_attributes_and_undo_brings_it_back(qtbot, window) -> None:
    ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Tab)
    current = window.suggestions.current
    assert current is not None and current == window.suggestions.suggestions[0]
    press(qtbot, window, Qt.Key.Key_Tab)
    second = window.suggestions.current
    assert second == window.suggestions.suggestions[1]
    press(qtbot, window, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.suggestions.current == current
    press(qtbot, window, Qt.Key.Key_Return)
    (added,) = window.ctx.project.annotations()
    assert (added.label, added.start, added.end) == current.key
    assert current not in window.suggestions.suggestions
    assert window.suggestions.current == second  # on to the next one
    window.ctx.undo_stack.undo()
    assert window.ctx.project.annotations() == []
    qtbot.waitUntil(lambda: current in window.suggestions.suggestions, timeout=10000)


def test_an_accepted_tier_rating_keeps_the_tier_it_found(qtbot, window) -> None:
    ready(qtbot, window)
    tier = next(s for s in window.suggestions.suggestions if s.label == "Tier rating")
    window.suggestions.set_current(tier)
    window.suggestions.accept()
    (added,) = window.ctx.project.annotations()
    assert added.attributes["tier"] in ("Tier 2", "Tier 3")


def test_backspace_rejects_for_good_and_undo_forgets_it(qtbot, window) -> None:
    ready(qtbot, window)
    victim = window.suggestions.suggestions[0]
    window.suggestions.set_current(victim)
    press(qtbot, window, Qt.Key.Key_Backspace)
    document_id = window.reader.document_id
    assert suggestion_store.rejected(window.ctx.project, document_id) == {victim.key}
    assert victim not in window.suggestions.suggestions
    window.suggestions.refresh()  # recomputed from scratch: still not offered
    qtbot.waitUntil(lambda: not window.suggestions.computing, timeout=10000)
    assert victim.key not in {s.key for s in window.suggestions.suggestions}
    window.ctx.undo_stack.undo()
    assert suggestion_store.rejected(window.ctx.project, document_id) == set()
    qtbot.waitUntil(
        lambda: victim.key in {s.key for s in window.suggestions.suggestions}, timeout=10000
    )


def test_accept_all_of_a_label_is_one_undo_step(qtbot, window) -> None:
    ready(qtbot, window)
    tiers = [s for s in window.suggestions.suggestions if s.label == "Tier rating"]
    window.suggestions.set_current(tiers[0])
    press(
        qtbot,
        window,
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert sorted(stored(window)) == sorted(
        ("Tier rating", window.reader.text[s.start : s.end]) for s in tiers
    )
    assert not any(s.label == "Tier rating" for s in window.suggestions.suggestions)
    window.ctx.undo_stack.undo()
    assert stored(window) == []


def test_a_labelled_name_is_then_suggested_at_its_later_mentions(
    qtbot, make_window, project
) -> None:
    text = (
        "Licadho said the law was weak.\nLater Licadho and Adhoc agreed.\n"
        "Adhoc and Licadho met the minister."
    )
    project.import_bundle(ImportedBundle([ImportedDocument(text, "Rights groups")]))
    window = make_window(project, suggestions=True)
    for name in ("Licadho", "Adhoc"):
        start = text.index(name)
        window.reader.select_range(start, start + len(name))
        window.label_selection("Organisation")
    window.suggestions.refresh()
    qtbot.waitUntil(lambda: len(window.suggestions.suggestions) == 3, timeout=10000)
    assert sorted((text[s.start : s.end], s.source) for s in window.suggestions.suggestions) == [
        ("Adhoc", "project:labelled names"),
        ("Licadho", "project:labelled names"),
        ("Licadho", "project:labelled names"),
    ]


def test_suggestions_never_duplicate_an_annotation(qtbot, window) -> None:
    ready(qtbot, window)
    quote = next(s for s in window.suggestions.suggestions if s.label == "Quote")
    window.reader.select_range(quote.start, quote.end)
    window.snap_enabled = lambda: False  # type: ignore[method-assign]
    window.label_selection("Quote")
    assert quote.key not in {s.key for s in window.suggestions.suggestions}
    window.suggestions.refresh()
    qtbot.waitUntil(lambda: not window.suggestions.computing, timeout=10000)
    assert quote.key not in {s.key for s in window.suggestions.suggestions}


def test_the_model_learns_in_the_background(qtbot, window) -> None:
    ready(qtbot, window)
    text = window.reader.text
    names = ["Licadho", "Afesip", "Asean"]
    for name in names:
        start = text.index(name)
        window.reader.select_range(start, start + len(name))
        window.label_selection("Organisation")
    with qtbot.waitSignal(window.suggestions.trainer.trained, timeout=20000) as signal:
        window.suggestions.trainer.start()
    model = signal.args[0]
    assert model is not None and model.labels == ["Organisation"]
    assert window.suggestions.trainer.model is model


def test_keys_do_nothing_harmful_without_suggestions(qtbot, window) -> None:
    window.actions_by_name["suggestions_show"].setChecked(False)
    assert window.suggestions.suggestions == []
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert window.ctx.project.annotations() == []
    assert "off" in window.statusBar().currentMessage() or window.suggestions.current is None


def test_patterns_page_adds_undoably_and_the_reader_suggests_matches(
    qtbot, window, monkeypatch, tmp_path
) -> None:
    from annotator.gui.codebook_dialog import CodebookDialog

    ready(qtbot, window)
    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    page = dialog.patterns_page
    dialog.tabs.setCurrentWidget(page)
    page.label.setCurrentText("Organisation")
    page.kind.setCurrentIndex(page.kind.findData("phrase"))
    page.pattern.setText("Licadho")
    page.add_button.click()
    assert [
        (p.label, p.kind, p.pattern) for p in suggestion_store.patterns(window.ctx.project)
    ] == [("Organisation", "phrase", "Licadho")]
    assert page.table.rowCount() == 1
    qtbot.waitUntil(
        lambda: any(s.source.startswith("pattern:phrase") for s in window.suggestions.suggestions),
        timeout=10000,
    )
    window.ctx.undo_stack.undo()
    assert suggestion_store.patterns(window.ctx.project) == []
    assert page.table.rowCount() == 0

    warnings: list[str] = []
    monkeypatch.setattr(
        "annotator.gui.patterns_page.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    page.kind.setCurrentIndex(page.kind.findData("regex"))
    page.pattern.setText("(unclosed")
    page.add_button.click()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "Quote", "pattern": "x"}\n{"label": "Nope", "pattern": "y"}\n')
    page.import_file(bad)
    assert len(warnings) == 2
    assert "regular expression" in warnings[0]
    assert "bad.jsonl: no label named 'Nope'" in warnings[1]
    assert suggestion_store.patterns(window.ctx.project) == []


def test_a_catastrophic_pattern_is_stopped_in_the_child_and_named_in_the_status_bar(
    qtbot, make_window, project
) -> None:
    """``(a+)+$`` over 5,000 a's backtracks for ever with ``re``: the child process burnt a
    core until the window closed. It is given up on, the other suggestions still come, and the
    status bar names it. (The pattern is stored as an older version let it be.)"""
    from annotator.core.suggest.patterns import Pattern

    text = "Licadho said so.\n" + "a" * 5000 + "!"
    project.import_bundle(ImportedBundle([ImportedDocument(text, "Many As")]))
    suggestion_store.replace_patterns(
        project,
        [Pattern("Organisation", "regex", "(a+)+$"), Pattern("Organisation", "phrase", "Licadho")],
    )
    window = make_window(project, suggestions=True)
    window.suggestions.refresh()
    qtbot.waitUntil(lambda: bool(window.suggestions.suggestions), timeout=60000)
    assert [text[s.start : s.end] for s in window.suggestions.suggestions] == ["Licadho"]
    assert window.statusBar().currentMessage() == (
        "The Organisation pattern '(a+)+$' took too long on this document; skipped."
    )
