"""A codebook of thousands of labels in the window (issue 11, item 7): the label bar shows a
few buttons and "All labels…", the combo boxes are models (no item per label), and every label
can still be chosen. No timing here: ``benchmarks/bench_labels.py`` measures 10k and 100k."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from annotator.core.labels import PALETTE, LabelDef
from annotator.gui.label_bar import MAX_BUTTONS
from annotator.store import codebook
from annotator.store.project import Project

from .test_gui_reader import select_text, stored

COUNT = 3000


def _many(project: Project) -> Project:
    codebook.merge_labels(
        project, [LabelDef(f"Topic {n:04d}", PALETTE[n % len(PALETTE)]) for n in range(COUNT)]
    )
    return project


def test_the_label_bar_shows_a_few_buttons_and_all_labels(
    make_window,
    sample_project: Project,
) -> None:
    window = make_window(_many(sample_project))
    bar = window.label_bar
    assert len(bar.buttons) == MAX_BUTTONS
    assert list(bar.buttons)[:2] == ["Topic 0000", "Topic 0001"]  # in codebook order
    assert bar.more is not None and bar.more.isVisible()
    assert bar.more.text() == f"All labels… ({COUNT:,})"
    assert len(bar.findChildren(QToolButton)) < MAX_BUTTONS + 10  # not one widget per label


def test_a_label_beyond_the_buttons_labels_the_selection(
    qtbot, make_window, sample_project: Project
) -> None:
    window = make_window(_many(sample_project))
    select_text(window, "Afesip")
    chooser = window.label_bar.chooser()
    qtbot.addWidget(chooser)
    # opened and active, as the label bar opens it: Enter goes to its filter, not to the
    # reader's shortcuts (shown inactive, it passed only while a stray layer-bar button had
    # the window's focus)
    chooser.open()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is chooser)
    assert chooser.proxy.rowCount() == COUNT
    qtbot.keyClicks(chooser.filter, "topic 2999")
    assert chooser.proxy.rowCount() == 1
    qtbot.keyClick(chooser.filter, Qt.Key.Key_Return)
    assert stored(window)[0][:2] == ("Topic 2999", "Afesip")
    assert not chooser.isVisible()


def test_combo_boxes_offer_every_label_without_an_item_each(
    make_window, sample_project: Project
) -> None:
    window = make_window(_many(sample_project))
    find_box = window.find_bar.label_box
    assert find_box.count() == COUNT
    assert find_box.itemText(COUNT - 1) == "Topic 2999"
    assert find_box.itemData(COUNT - 1) == "Topic 2999"
    panel_filter = window.panel.label_filter
    assert panel_filter.count() == COUNT + 1  # "All labels" first
    assert panel_filter.itemText(panel_filter.findData("Topic 0001")) == "Topic 0001 (0)"
    assert panel_filter.itemText(0).startswith("All labels (")


def test_counts_follow_labelling_with_a_large_codebook(
    qtbot, make_window, sample_project: Project
) -> None:
    window = make_window(_many(sample_project))
    panel_filter = window.panel.label_filter
    select_text(window, "Afesip")
    window.label_selection("Topic 0007")
    row = panel_filter.findData("Topic 0007")
    assert panel_filter.itemText(row) == "Topic 0007 (1)"
    (annotation,) = window.ctx.project.annotations()
    window.panel.select(annotation.id)
    editor_box = window.editor.label_box
    assert editor_box.count() == COUNT and editor_box.currentText() == "Topic 0007"
    window.ctx.undo_stack.undo()
    assert panel_filter.itemText(row) == "Topic 0007 (0)"
