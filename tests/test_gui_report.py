"""File -> Export Report…, driven through its widgets: options narrow the preview, the report is
saved as HTML or PDF, and a bad path or an empty choice is refused with a message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QPushButton

from annotator.gui.report_dialog import ReportDialog
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

from .test_report import annotate, parse, text_of

PRINTING_MS = 120_000  # a child process starting and loading WeasyPrint on a busy machine


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: seen.append(text))
    return seen


@pytest.fixture
def report_window(make_window, project: Project):  # type: ignore[no-untyped-def]
    annotate(project)
    return make_window(project)


@pytest.fixture
def dialog(qtbot, report_window) -> ReportDialog:  # type: ignore[no-untyped-def]
    box = ReportDialog(report_window.ctx, report_window)
    qtbot.addWidget(box)
    box.show()
    return box


def tick(qtbot, dialog: ReportDialog, widget, name: str, on: bool) -> None:  # type: ignore[no-untyped-def]
    item = next(
        widget.item(i)
        for i in range(widget.count())
        if widget.item(i).data(Qt.ItemDataRole.UserRole) == name
    )
    with qtbot.waitSignal(dialog.preview_updated):
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def save_button(dialog: ReportDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_menu_opens_the_dialog(qtbot, report_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[ReportDialog] = []
    monkeypatch.setattr(ReportDialog, "exec", lambda self: opened.append(self) or 0)
    report_window.actions_by_name["report"].trigger()
    assert len(opened) == 1
    assert "Rain Records" in opened[0].preview.toPlainText()


def test_preview_follows_the_options(qtbot, dialog: ReportDialog) -> None:  # type: ignore[no-untyped-def]
    preview = dialog.preview.toPlainText()
    assert "The ministry said rainfall rose" in preview and "Coded segments" in preview
    assert "■ Quote (3)" in preview and "Annotators" in preview  # two annotators
    assert dialog.form.isRowVisible(dialog.annotators)

    tick(qtbot, dialog, dialog.label_list, "Quote", False)
    preview = dialog.preview.toPlainText()
    assert "■ Quote" not in preview and "■ Claim (4)" in preview
    tick(qtbot, dialog, dialog.annotators, "ben", False)
    preview = dialog.preview.toPlainText()
    assert "■ Claim (2)" in preview and "— ben" not in preview and "— ana" in preview

    with qtbot.waitSignal(dialog.preview_updated):
        dialog.title.setText("Flood claims for the desk")
    assert dialog.preview.toPlainText().startswith("Flood claims for the desk")


def test_nothing_chosen_disables_save(qtbot, dialog: ReportDialog) -> None:  # type: ignore[no-untyped-def]
    for name in ("Claim", "Quote", "Organisation", "Tier rating"):
        tick(qtbot, dialog, dialog.label_list, name, False)
    assert not save_button(dialog).isEnabled()
    assert dialog.problem.text() == "Choose at least one label."
    tick(qtbot, dialog, dialog.label_list, "Claim", True)
    assert save_button(dialog).isEnabled() and not dialog.problem.text()


def test_saves_html_with_the_chosen_options(qtbot, dialog: ReportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tick(qtbot, dialog, dialog.label_list, "Organisation", False)
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    assert not dialog.form.isRowVisible(dialog.paper)
    target = tmp_path / "desk.html"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    tree = parse(target.read_text(encoding="utf-8"))
    headings = [text_of(h) for h in tree.find(".//section[@id='coded']").iter("h3")]
    assert headings == ["Claim (4)", "Quote (3)", "Tier rating (2)"]
    assert dialog.ctx.settings.value("report/format") == "html"


@needs_pdf_printer
def test_saves_pdf_on_the_chosen_paper(qtbot, dialog: ReportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    assert dialog.form.isRowVisible(dialog.paper)
    assert dialog.target.text().endswith(".pdf")
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "desk.pdf"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.finished, timeout=PRINTING_MS):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
        # Printed in a child process: the window's thread is back at once, the progress shown.
        assert dialog.pdf.running and not target.exists()
        assert dialog.pdf.progress is not None and dialog.pdf.progress.isVisible()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert os.listdir(target.parent) == ["desk.pdf"]  # no temporary left
    box = PdfReader(target).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)  # US Letter, in points
    assert dialog.ctx.settings.value("report/paper") == "letter"


@needs_pdf_printer
def test_cancelling_a_pdf_leaves_the_old_file(qtbot, dialog: ReportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "desk.pdf"
    target.write_bytes(b"last week's report")
    dialog.target.setText(str(target))
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    progress = dialog.pdf.progress
    assert progress is not None
    cancel = progress.findChild(QPushButton)
    with qtbot.waitSignal(dialog.save_ended, timeout=PRINTING_MS) as ended:
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert ended.args == ["cancelled"]
    assert target.read_bytes() == b"last week's report"
    assert os.listdir(target.parent) == ["desk.pdf"]  # the child's temporary removed
    assert dialog.isVisible() and not dialog.pdf.running

    # Saving again afterwards works.
    with qtbot.waitSignal(dialog.finished, timeout=PRINTING_MS):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")


def test_bad_path_is_refused_and_the_dialog_stays(
    qtbot,
    dialog: ReportDialog,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    warnings: list[str],
) -> None:
    target = tmp_path / "missing" / "r.html"
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    dialog.target.setText(str(target))
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert warnings == [f"{target}: cannot be written: the folder {target.parent} does not exist"]
    assert dialog.isVisible() and not target.parent.exists()

    folder = tmp_path / "a folder.html"
    folder.mkdir()
    dialog.target.setText(str(folder))
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert warnings[-1] == f"{folder}: is a folder; give a file name"
    assert os.listdir(folder) == []
