"""Team work in the window, driven through its widgets: the name prompt and Preferences, the
layer bar, others' annotations read-only, merging, the Agreement window, the curation view."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QToolButton

from annotator.core.curation import disagreements
from annotator.gui.agreement_window import AgreementWindow
from annotator.gui.curation_commands import (
    TAKE_A,
    TAKE_B,
    CurationSession,
    DecideDisagreement,
    copies_for,
)
from annotator.gui.curation_view import CurationView
from annotator.gui.preferences_dialog import PreferencesDialog, ask_name_on_first_launch
from annotator.gui.reader import LAYER_SEPARATOR
from annotator.gui.undo import push
from annotator.service import adjudicate, agreement, curated_layers, import_file
from annotator.store.project import Project

from .conftest import SAMPLE
from .test_gui_reader import format_at, press, select_text, utf16


def settings_at(tmp_path: Path) -> QSettings:
    """The settings file make_window uses."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def team_project(project: Project) -> Project:
    """The sample article coded by ann and bob: one span agreed, the rest not."""
    import_file(project, SAMPLE)
    doc = project.documents()[0].id
    text = project.document(doc).text

    def at(phrase: str) -> tuple[int, int]:
        start = text.index(phrase)
        return start, start + len(phrase)

    project.add_annotation(doc, "Organisation", *at("State Department"), annotator="ann")
    project.add_annotation(doc, "Organisation", *at("State Department"), annotator="bob")
    project.add_annotation(
        doc, "Claim", *at("Cambodia Moves Up"), annotator="ann", attributes={"verdict": "true"}
    )
    project.add_annotation(doc, "Quote", *at("Cambodia Moves Up on US"), annotator="bob")
    project.add_annotation(doc, "Organisation", *at("Cambodia"), annotator="bob")
    return project


@pytest.fixture
def team_window(make_window, team_project: Project, tmp_path: Path):
    settings_at(tmp_path).setValue("annotator/name", "ann")
    window = make_window(team_project)
    window.documents.select(team_project.documents()[0].id)
    return window


def by(project: Project, name: str) -> list:
    return [a for a in project.annotations() if a.annotator == name]


# -- the name --------------------------------------------------------------------------------


def test_first_launch_asks_for_the_name_and_every_edit_carries_it(
    qtbot, make_window, sample_project: Project, tmp_path: Path
) -> None:
    settings = settings_at(tmp_path)
    window = make_window(sample_project)

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreferencesDialog)
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert not save.isEnabled()  # an empty name is not saved
        qtbot.keyClicks(dialog.name, "Dara")
        assert save.isEnabled()
        save.click()

    QTimer.singleShot(0, answer)
    window.ask_name_if_unset()
    assert window.ctx.annotator_name == "Dara"
    settings.sync()
    assert settings_at(tmp_path).value("annotator/name") == "Dara"
    assert not ask_name_on_first_launch(window.ctx.settings, window)  # asked once a name is set
    with qtbot.waitActive(window):
        window.activateWindow()
    select_text(window, "Cambodia")
    press(qtbot, window, "1")
    (added,) = sample_project.annotations()
    assert added.annotator == "Dara"


def test_preferences_change_the_name(qtbot, team_window) -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog.windowTitle() == "Preferences"
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "bob, jr")
        assert "commas" in dialog.problem.text()
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "cleo")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, answer)
    team_window.actions_by_name["name"].trigger()
    assert team_window.ctx.annotator_name == "cleo"
    assert "cleo" in team_window.layer_bar.buttons


# -- layers -------------------------------------------------------------------------------------


def test_layer_bar_chooses_which_layers_the_reader_shows(qtbot, team_window) -> None:
    window = team_window
    bar = window.layer_bar
    assert not bar.isHidden() and sorted(bar.buttons) == ["ann", "bob"]
    assert len(window.reader.index) == 5 and window.panel.model.rowCount() == 5
    bar.buttons["bob"].click()
    assert {window.reader.annotation(s.id).annotator for s in window.reader.index} == {"ann"}
    assert window.panel.model.rowCount() == 2 and not bar.all_button.isChecked()
    select_text(window, "report")
    press(qtbot, window, "1")  # ann's new span shows; bob's stay hidden
    assert window.panel.model.rowCount() == 3
    bar.all_button.click()
    assert len(window.reader.index) == 6 and bar.buttons["bob"].isChecked()
    bar.buttons["ann"].click()  # one's own layer hidden: a new span is saved, and said so
    select_text(window, "trafficking")
    press(qtbot, window, "2")
    assert "your layer, which the layer bar hides" in window.statusBar().currentMessage()
    assert len(by(window.ctx.project, "ann")) == 4


def test_colour_by_layer_underlines_each_layer(qtbot, team_window) -> None:
    window = team_window
    text = window.reader.text
    window.layer_bar.colour_button.click()
    keys = {s.label for s in window.reader.index}
    assert "Organisation" + LAYER_SEPARATOR + "bob" in keys
    colors = window.layer_bar.colors()
    # "Moves Up on US": bob's Quote alone; "Cambodia": ann's Claim, bob's Quote and Organisation
    alone = format_at(window, utf16(text, text.index("on US")))
    style = QTextCharFormat.UnderlineStyle
    assert alone is not None and alone.underlineStyle() == style.DashUnderline
    assert alone.underlineColor().name() == colors["bob"]
    both = format_at(window, utf16(text, text.index("Cambodia")))
    assert both is not None and both.underlineStyle() == style.WaveUnderline
    window.layer_bar.colour_button.click()
    assert all(LAYER_SEPARATOR not in s.label for s in window.reader.index)


def test_others_annotations_are_read_only_with_a_reason(
    qtbot, team_window, team_project: Project
) -> None:
    window = team_window
    (quote,) = [a for a in by(team_project, "bob") if a.label == "Quote"]
    window.panel.select(quote.id)
    editor = window.editor
    assert editor.read_only_note.isVisible()
    assert "bob's layer" in editor.read_only_note.text()
    assert not editor.label_box.isEnabled() and editor.note.isReadOnly()
    window.actions_by_name["delete"].trigger()
    assert "bob's layer" in window.statusBar().currentMessage()
    assert quote in team_project.annotations()
    (claim,) = [a for a in by(team_project, "ann") if a.label == "Claim"]
    window.panel.select(claim.id)
    assert not editor.read_only_note.isVisible() and editor.label_box.isEnabled()
    window.actions_by_name["delete"].trigger()
    assert claim not in team_project.annotations()


# -- merge ---------------------------------------------------------------------------------------


def test_merge_projects_from_the_window(
    qtbot, make_window, sample_project: Project, tmp_path: Path
) -> None:
    from annotator.gui.team_menu import merge_into_window

    other = tmp_path / "bob.annot"
    with Project.open(other) as copy:
        import_file(copy, SAMPLE)
        copy.add_annotation(copy.documents()[0].id, "Claim", 0, 8, annotator="bob")
    not_a_project = tmp_path / "notes.annot"
    not_a_project.write_text("hello", encoding="utf-8")
    window = make_window(sample_project)
    running = merge_into_window(window, [other, not_a_project])
    qtbot.waitUntil(lambda: not running.running)
    outcomes = running.result
    assert [o.report is not None for o in outcomes] == [True, False]
    box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "merge-summary")
    assert "1 annotations added" in box.text() and "refused" in box.text()
    box.close()
    assert [a.annotator for a in sample_project.annotations()] == ["bob"]
    assert "bob" in window.layer_bar.buttons
    assert list((tmp_path / "test.annot.backups").glob("*before-merge*"))


# -- agreement -----------------------------------------------------------------------------------


def computed(qtbot, dialog: AgreementWindow) -> None:
    """Wait for the figures the window computes off the GUI thread."""
    qtbot.waitUntil(lambda: not dialog.computing)


def test_agreement_window_shows_the_service_figures(
    qtbot, team_window, team_project: Project
) -> None:
    dialog = AgreementWindow(team_window.ctx, team_window)
    computed(qtbot, dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    expected = agreement(team_project)
    assert dialog.figures == expected
    table = dialog.table
    labels = [label.name for label in team_project.labels()]
    assert table.rowCount() == 1 + len(labels) + 1
    assert table.item(0, 0).text() == "Overall"
    assert table.item(0, 1).text() == f"{expected['overall']['alpha']:.3f}"
    row = 1 + labels.index("Organisation")
    assert table.item(row, 0).text() == "Organisation"
    assert table.item(row, 5).text() == "1" and table.item(row, 6).text() == "2"
    assert table.item(1 + labels.index("Tier rating"), 1).text() == "—"
    assert [name for name, _ in dialog.chart.rows] == labels
    assert dialog.chart.grab().width() > 0
    team_project.add_annotation(team_project.documents()[0].id, "Quote", 0, 8, annotator="bob")
    assert dialog.figures == expected  # computed when asked, not behind one's back
    next(b for b in dialog.findChildren(QToolButton) if b.text() == "Refresh").click()
    computed(qtbot, dialog)
    assert dialog.figures == agreement(team_project) != expected
    dialog.annotators.item(1).setCheckState(Qt.CheckState.Unchecked)
    computed(qtbot, dialog)
    assert dialog.figures is None and "at least two annotators" in dialog.summary.text()
    assert table.rowCount() == 0


def test_agreement_window_leaves_the_curated_layer_out_unless_asked(
    qtbot, team_window, team_project: Project
) -> None:
    before = agreement(team_project)
    adjudicate(team_project, ["ann", "bob"], "lead")
    dialog = AgreementWindow(team_window.ctx, team_window)
    computed(qtbot, dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.annotators.item(i).text() for i in range(dialog.annotators.count())]
    assert names == ["ann", "bob"]
    assert dialog.figures == before
    assert dialog.include_curated.isVisible() and not dialog.include_curated.isChecked()
    dialog.include_curated.setChecked(True)
    computed(qtbot, dialog)
    names = [dialog.annotators.item(i).text() for i in range(dialog.annotators.count())]
    assert names == ["ann", "bob", "lead"]
    assert dialog.figures == agreement(team_project, include_curated=True)
    assert dialog.figures["annotators"] == ["ann", "bob", "lead"]
    dialog.include_curated.setChecked(False)
    computed(qtbot, dialog)
    assert dialog.figures == before


# -- curation ------------------------------------------------------------------------------------


def open_curation(qtbot, window, layer: str | None = "lead") -> CurationView:
    """The curation view, active (its keys are window shortcuts), writing into ``layer``
    typed into its target box as a person would (None: leave the box as it opens)."""
    view = CurationView(window.ctx, window)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    if layer is not None:
        type_target(qtbot, view, layer)
    return view


def type_target(qtbot, view: CurationView, layer: str, enter: bool = True) -> None:
    """Click into the target layer's box, replace its text by ``layer`` and press Enter."""
    line = view.target.lineEdit()
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    assert line.hasFocus()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    qtbot.keyClicks(line, layer)
    if enter:
        qtbot.keyClick(line, Qt.Key.Key_Return)


def test_curation_walks_disagreements_with_keys_and_undo(
    qtbot, team_window, team_project: Project
) -> None:
    view = open_curation(qtbot, team_window)
    assert (view.a, view.b) == ("ann", "bob")
    session = view.session
    assert session is not None
    # "Cambodia Moves Up on US": ann's Claim vs bob's Quote and Organisation (one cluster);
    # "State Department" is agreed, so it is not a disagreement
    assert len(session.items) == 1 and session.left() == 1
    assert "1 left" in view.progress_label.text()
    assert "Claim" in view.panes["A"][1].toPlainText()
    assert "Quote" in view.panes["B"][1].toPlainText()
    assert curated_layers(team_project) == []
    qtbot.keyClick(view, Qt.Key.Key_B)
    assert curated_layers(team_project) == ["lead"]  # agreement leaves it out from now on
    assert agreement(team_project)["annotators"] == ["ann", "bob"]
    lead = by(team_project, "lead")
    assert sorted((a.label, a.text) for a in lead) == [
        ("Organisation", "Cambodia"),
        ("Quote", "Cambodia Moves Up on US"),
    ]
    assert session.left() == 0 and "0 left" in view.progress_label.text()
    assert team_window.reader.annotation(lead[0].id) is not None  # the reader shows them
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert "Already decided" in view.message.text()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert by(team_project, "lead") == [] and session.left() == 1
    qtbot.keyClick(view, Qt.Key.Key_O)  # both
    assert len(by(team_project, "lead")) == 3
    team_window.ctx.undo_stack.undo()
    qtbot.keyClick(view, Qt.Key.Key_N)  # neither: decided, nothing written
    assert by(team_project, "lead") == [] and session.left() == 0
    team_window.ctx.undo_stack.undo()
    qtbot.keyClick(view, Qt.Key.Key_A)
    (taken,) = by(team_project, "lead")
    assert (taken.label, taken.text, taken.attributes) == (
        "Claim",
        "Cambodia Moves Up",
        {"verdict": "true"},
    )
    # a new view finds nothing left: the lead's layer decides the cluster
    again = CurationView(team_window.ctx, team_window)
    qtbot.addWidget(again)
    assert again.session is not None and again.session.items == []


def test_curation_edit_writes_one_adjusted_span(qtbot, team_window, team_project: Project) -> None:
    view = open_curation(qtbot, team_window)
    view.stacked.click()
    assert view.split.orientation() == Qt.Orientation.Vertical
    qtbot.keyClick(view, Qt.Key.Key_E)
    assert view.edit_row.isVisible()
    item = view.current()
    view.edit_label.setCurrentText("Quote")
    view.edit_end.setValue(item.start + len("Cambodia Moves"))
    assert "Cambodia Moves" in view.edit_preview.text()
    qtbot.keyClick(view.edit_end, Qt.Key.Key_Return)
    (edited,) = by(team_project, "lead")
    assert (edited.label, edited.text) == ("Quote", "Cambodia Moves")
    assert not view.edit_row.isVisible() and view.session.left() == 0


def test_curation_writes_into_the_layer_named_in_the_view_not_your_name(
    qtbot, team_window, team_project: Project, tmp_path: Path
) -> None:
    # issue 26: curating wrote into your own name's layer; now into a layer named in the view
    view = open_curation(qtbot, team_window, layer=None)
    assert team_window.ctx.annotator_name == "ann"  # one of the compared layers, even
    assert (view.a, view.b) == ("ann", "bob")
    assert view.target.currentText() == "curation"  # the suggestion: no curated layer yet

    type_target(qtbot, view, "bob")  # a compared layer is refused, with the reason
    assert "Cannot write into layer “bob”" in view.message.text()
    assert "name a layer of its own" in view.message.text()  # as adjudicate --into says
    assert not any(b.isEnabled() for b in view.buttons.values())
    bob_before = by(team_project, "bob")
    qtbot.keyClick(view, Qt.Key.Key_B)
    assert by(team_project, "bob") == bob_before and curated_layers(team_project) == []

    type_target(qtbot, view, "curation")  # its letters a, o, n type; they choose nothing
    assert view.session is not None and view.session.left() == 1 and view.message.text() == ""
    assert view.panes["A"][1].hasFocus()  # Enter hands the keys back to the choices
    qtbot.keyClick(view, Qt.Key.Key_B)
    assert sorted(a.text for a in by(team_project, "curation")) == [
        "Cambodia",
        "Cambodia Moves Up on US",
    ]
    assert by(team_project, "ann") and not by(team_project, "lead")
    assert curated_layers(team_project) == ["curation"]
    assert agreement(team_project)["annotators"] == ["ann", "bob"]
    assert team_window.ctx.annotator_name == "ann"  # your own name is as it was
    assert settings_at(tmp_path).value("annotator/name") == "ann"

    # a name typed but not entered is taken by the next choice (a button keeps no focus)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    type_target(qtbot, view, "gold", enter=False)
    qtbot.mouseClick(view.buttons["A"], Qt.MouseButton.LeftButton)
    assert [(a.label, a.text) for a in by(team_project, "gold")] == [("Claim", "Cambodia Moves Up")]
    assert by(team_project, "curation") == [] and curated_layers(team_project) == ["gold"]
    view.close()

    # remembered for this project; the curated layers are listed, and are not A or B
    again = open_curation(qtbot, team_window, layer=None)
    assert again.target.currentText() == "gold"
    assert [again.target.itemText(i) for i in range(again.target.count())] == [
        "curation",
        "gold",
    ]
    assert [again.a_box.itemText(i) for i in range(again.a_box.count())] == ["ann", "bob"]
    assert again.session is not None and again.session.items == []  # gold decided it


def test_the_layer_you_curate_into_is_yours_to_edit_in_the_reader(
    qtbot, team_window, team_project: Project
) -> None:
    # issue 26: once curation wrote into a named layer, not your own, the curator could no
    # longer fix a curated span in the reader
    view = open_curation(qtbot, team_window, layer="gold")
    qtbot.keyClick(view, Qt.Key.Key_B)
    view.close()
    window = team_window
    curated = by(team_project, "gold")[0]
    window.panel.select(curated.id)
    assert not window.editor.read_only_note.isVisible() and window.editor.label_box.isEnabled()
    window.actions_by_name["delete"].trigger()
    assert curated not in team_project.annotations()
    (quote,) = [a for a in by(team_project, "bob") if a.label == "Quote"]
    window.panel.select(quote.id)  # the compared layers stay others'
    assert "your own and the layer you curate into" in window.editor.read_only_note.text()


def test_undoing_the_choice_that_marked_the_layer_unmarks_it(
    qtbot, team_window, team_project: Project
) -> None:
    # issue 26: undoing a curation choice left its layer marked curated, so agreement went on
    # leaving out a layer that no curator had written
    ctx = team_window.ctx
    order = [d.id for d in team_project.documents()]
    (item,) = disagreements(team_project.annotations(), "ann", "bob", "lead", order)
    session = CurationSession([item], "lead")
    push(ctx, DecideDisagreement(ctx, session, item, TAKE_B, copies_for(item, TAKE_B, "lead")))
    assert curated_layers(team_project) == ["lead"] and len(by(team_project, "lead")) == 2
    ctx.undo_stack.undo()
    assert by(team_project, "lead") == [] and curated_layers(team_project) == []
    assert agreement(team_project, include_curated=True)["annotators"] == ["ann", "bob"]
    ctx.undo_stack.redo()
    assert curated_layers(team_project) == ["lead"] and len(by(team_project, "lead")) == 2
    ctx.undo_stack.undo()

    # a layer curated before (adjudicated) stays curated when a choice into it is undone
    adjudicate(team_project, ["ann", "bob"], "lead")
    assert curated_layers(team_project) == ["lead"]
    push(ctx, DecideDisagreement(ctx, session, item, TAKE_A, copies_for(item, TAKE_A, "lead")))
    ctx.undo_stack.undo()
    assert curated_layers(team_project) == ["lead"]
    assert [a.text for a in by(team_project, "lead")] == ["State Department"]


def test_curation_needs_two_layers_not_a_name(qtbot, make_window, sample_project: Project) -> None:
    window = make_window(sample_project)
    view = CurationView(window.ctx, window)
    qtbot.addWidget(view)
    assert window.ctx.annotator_name == ""  # no name needed: choices go to the named layer
    assert "two different annotators" in view.message.text()
    assert not any(b.isEnabled() for b in view.buttons.values())


def test_export_dialog_writes_the_chosen_layers(
    qtbot, team_window, team_project: Project, tmp_path: Path, monkeypatch
) -> None:
    import json

    from annotator.gui.export_dialog import ExportDialog

    dialog = ExportDialog(team_window.ctx, team_window)
    qtbot.addWidget(dialog)
    assert dialog.layers.names == ["ann", "bob"] and dialog.layers.chosen() is None
    dialog.layers.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.layers.chosen() == ["ann"]
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    out = tmp_path / "ann.json"
    dialog.target.setText(str(out))

    told: list[str] = []  # the "Exported" message; a timer closing it fired inside the
    # export's own progress loop, before the message was shown, and the test then hung
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    dialog.export()
    assert told == [f"Saved {out}"]
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {a["annotator"] for d in data["documents"] for a in d["annotations"]}
    assert names == {"ann"}


def test_label_all_skips_only_matches_in_ones_own_layer(
    qtbot, team_window, team_project: Project
) -> None:
    window = team_window
    text = window.reader.text
    phrase = "State Department"
    ranges = []
    start = text.find(phrase)
    while start != -1:
        ranges.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    before = len(by(team_project, "ann"))
    review = window.label_ranges("Organisation", ranges)  # ann's first match is already hers
    assert review is not None and len(review.ranges) == len(ranges) - 1
    review.accept()
    assert len(by(team_project, "ann")) == before + len(ranges) - 1
    bob_only = [r for r in ranges if r != ranges[0]]
    window.ctx.settings.setValue("annotator/name", "cleo")  # bob's spans do not count for cleo
    review = window.label_ranges("Organisation", bob_only[:1])
    assert review is not None
    review.accept()
    assert len(by(team_project, "cleo")) == 1


def test_agreement_window_offers_inceptions_measures(
    qtbot, team_window, team_project: Project
) -> None:
    dialog = AgreementWindow(team_window.ctx, team_window)
    computed(qtbot, dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.measure.currentData() == "ours" and not dialog.exclude_incomplete.isEnabled()
    measure = dialog.measure
    measure.setFocus()
    qtbot.keyClick(measure, Qt.Key.Key_Down)  # the next measure: INCEpTION coding
    computed(qtbot, dialog)
    assert measure.currentData() == "inception-coding"
    assert dialog.figures == agreement(team_project, measure="inception-coding")
    assert "INCEpTION coding" in dialog.summary.text()
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["", "α", "κ"]
    assert dialog.table.item(0, 0).text().startswith("Overall")
    kappa = dialog.figures["pairs"][0]["kappa"]
    assert dialog.table.item(1, 2).text() == ("—" if kappa is None else f"{kappa:.3f}")
    title = team_project.documents()[0].title
    rows = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert f"Document: {title}" in rows
    assert dialog.exclude_incomplete.isEnabled()
    qtbot.mouseClick(dialog.exclude_incomplete, Qt.MouseButton.LeftButton)
    computed(qtbot, dialog)
    assert dialog.figures == agreement(
        team_project, measure="inception-coding", exclude_incomplete=True
    )
    qtbot.keyClick(measure, Qt.Key.Key_Down)
    computed(qtbot, dialog)
    assert measure.currentData() == "inception-unitizing"
    assert not dialog.exclude_incomplete.isEnabled()
    assert dialog.figures == agreement(team_project, measure="inception-unitizing")
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(2)] == ["", "αu"]
    labels = [label.name for label in team_project.labels()]
    assert [name for name, _ in dialog.chart.rows] == labels
    assert dialog.chart.series[0][0] == "alpha_u"
    if os.environ.get("ANNOTATOR_AGREEMENT_PNG"):  # to look at it: render it offscreen
        dialog.grab().save(os.environ["ANNOTATOR_AGREEMENT_PNG"])
