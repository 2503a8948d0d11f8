"""Relations through the real widgets: R, the other end by keyboard or click, the type; arcs
drawn and hit; hover names it; a click selects it; Delete removes it; undo brings it back; the
annotation panel lists it and jumps to the other end."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from .test_gui_reader import press, select_text

QUOTE = "Cambodia does not fully comply with the minimum standards"
ORG = "US State Department"
CLAIM = "Cambodia will not be subject to sanctions"


def label(qtbot, window, phrase: str, key: str):
    select_text(window, phrase)
    press(qtbot, window, key)
    return next(
        a for a in window.ctx.project.annotations(window.reader.document_id) if a.text == phrase
    )


def spans(qtbot, window):
    org = label(qtbot, window, ORG, "3")
    quote = label(qtbot, window, QUOTE, "2")
    claim = label(qtbot, window, CLAIM, "1")
    window.panel.select(quote.id)
    return quote, org, claim


def relate_by_keyboard(qtbot, window, steps: str = "") -> None:
    press(qtbot, window, "R")
    for key in steps:
        press(qtbot, window, key)
    qtbot.keyClick(window.reader, Qt.Key.Key_Return)


def arc_point(window, relation_id: str) -> QPoint:
    window.reader.viewport().repaint()
    arc = next(a for a in window.reader._arcs if a.relation_id == relation_id)
    return arc.path.pointAtPercent(0.5).toPoint()


def test_r_then_keyboard_picks_the_other_end_and_the_only_fitting_type(qtbot, window) -> None:
    quote, org, claim = spans(qtbot, window)
    press(qtbot, window, "R")
    assert window.relating.active
    # candidates in text order: the organisation (before the quote) and the claim (after it);
    # the first offered is the nearest after the quote
    assert window.reader.candidate_id == claim.id
    press(qtbot, window, "N")
    assert window.reader.candidate_id == org.id
    qtbot.keyClick(window.reader, Qt.Key.Key_Return)
    (relation,) = window.ctx.project.relations()
    assert (relation.type, relation.source_id, relation.target_id) == ("said by", quote.id, org.id)
    assert not window.relating.active and window.reader.candidate_id is None
    # said by filled the quote's empty speaker, in the same undo step
    filled = window.reader.annotation(quote.id)
    assert filled is not None and filled.attributes["speaker"] == ORG
    assert len(window.reader.relations) == 1
    window.ctx.undo_stack.undo()
    assert window.ctx.project.relations() == []
    assert len(window.reader.relations) == 0
    assert window.reader.annotation(quote.id).attributes.get("speaker") in (None, "")
    window.ctx.undo_stack.redo()
    assert [r.id for r in window.ctx.project.relations()] == [relation.id]


def test_several_fitting_types_are_asked_for(qtbot, window) -> None:
    quote, _org, claim = spans(qtbot, window)
    asked = []

    def choose(types, _at):
        asked.append([t.name for t in types])
        return "evidence against"

    window.relating.choose_type = choose
    relate_by_keyboard(qtbot, window)
    assert asked == [["evidence for", "evidence against"]]
    (relation,) = window.ctx.project.relations()
    assert (relation.type, relation.target_id) == ("evidence against", claim.id)


def test_a_click_picks_the_other_end(qtbot, window) -> None:
    quote, org, _claim = spans(qtbot, window)
    press(qtbot, window, "R")
    window.reader.annotation_clicked.emit(org.id)  # what a click on the span reports
    (relation,) = window.ctx.project.relations()
    assert relation.target_id == org.id


def test_escape_stops_relating_and_nothing_is_made(qtbot, window) -> None:
    spans(qtbot, window)
    press(qtbot, window, "R")
    qtbot.keyClick(window.reader, Qt.Key.Key_Escape)
    assert not window.relating.active and window.ctx.project.relations() == []


def test_the_arc_is_drawn_in_the_type_colour_hit_selected_and_deleted(qtbot, window) -> None:
    quote, org, _claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")
    (relation,) = window.ctx.project.relations()
    window.reader.set_current(quote.id, reveal=True)
    point = arc_point(window, relation.id)
    assert window.reader.relation_at(point) == relation.id
    window.select_relation(relation.id)  # drawn opaque and wide, so its colour is exact
    image = QImage(window.reader.viewport().size(), QImage.Format.Format_ARGB32)
    window.reader.viewport().render(image)
    window.reader.set_current_relation(None)
    said_by = QColor("#4a90e2")
    near = [
        QColor(image.pixel(point.x() + dx, point.y() + dy))
        for dx in range(-2, 3)
        for dy in range(-2, 3)
    ]
    assert any(
        abs(c.red() - said_by.red()) + abs(c.green() - said_by.green()) < 60
        and abs(c.blue() - said_by.blue()) < 40
        for c in near
    )
    assert "said by" in window.reader.relation_text(relation)
    # a click on the arc selects it; Delete removes only it; undo brings it back
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.reader.current_relation_id == relation.id
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert window.ctx.project.relations() == []
    assert {a.id for a in window.ctx.project.annotations()} >= {quote.id, org.id}
    window.ctx.undo_stack.undo()
    assert [r.id for r in window.ctx.project.relations()] == [relation.id]


def test_deleting_an_end_deletes_the_relation_and_undo_restores_both(qtbot, window) -> None:
    quote, org, _claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")
    window.panel.select(org.id)
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert window.ctx.project.relations() == []
    assert org.id not in {a.id for a in window.ctx.project.annotations()}
    assert len(window.reader.relations) == 0
    window.ctx.undo_stack.undo()
    assert len(window.ctx.project.relations()) == 1
    assert len(window.reader.relations) == 1


def test_the_panel_lists_relations_and_jumps_to_the_other_end(qtbot, window) -> None:
    quote, org, _claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")
    window.panel.select(quote.id)
    items = [window.panel.relation_list.item(i) for i in range(window.panel.relation_list.count())]
    assert [i.text() for i in items] == [f"→ said by: Organisation “{ORG}”"]
    window.panel.relation_list.itemActivated.emit(items[0])
    assert window.panel.current_id() == org.id
    texts = [
        window.panel.relation_list.item(i).text() for i in range(window.panel.relation_list.count())
    ]
    assert texts[0].startswith("← said by: Quote")


def test_relabelling_an_end_flags_the_relation(qtbot, window) -> None:
    from annotator.gui.commands import EditAnnotation
    from annotator.gui.undo import push

    quote, org, _claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")
    assert push(window.ctx, EditAnnotation(window.ctx, org, label="Claim"))
    (relation,) = window.reader.relations.relations.values()
    assert relation.flagged
    window.panel.select(quote.id)
    assert "no longer fit" in window.panel.relation_list.item(0).text()


def test_the_codebook_adds_renames_recolours_limits_and_deletes_relation_types(
    qtbot, window, monkeypatch
) -> None:
    from PySide6.QtWidgets import QColorDialog, QMessageBox

    from annotator.gui.codebook_dialog import CodebookDialog

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.relation_types
    dialog.tabs.setCurrentWidget(box)

    def types() -> list[str]:
        return [t.name for t in window.ctx.project.relation_types()]

    assert types() == ["said by", "evidence for", "evidence against"]
    box._add()
    assert types()[-1] == "related 1"
    box.name.setText("contradicts")
    box.name.editingFinished.emit()
    assert types()[-1] == "contradicts"
    monkeypatch.setattr(QColorDialog, "getColor", lambda *_a: QColor("#123456"))
    box._pick_color()
    assert window.ctx.project.relation_types()[-1].color == "#123456"
    box.sources.item(0).setCheckState(Qt.CheckState.Checked)  # Claim
    box.targets.item(0).setCheckState(Qt.CheckState.Checked)
    added = window.ctx.project.relation_types()[-1]
    assert (added.sources, added.targets) == (("Claim",), ("Claim",))
    box.name.setText("said by")  # a name in use is refused with a message
    box.name.editingFinished.emit()
    assert warned and "already exists" in warned[-1]
    assert types()[-1] == "contradicts"
    # a type with relations: deleting it deletes them, undo brings both back
    box.select("said by")
    quote, org, _claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")
    box.select("said by")
    box._delete()
    assert "said by" not in types() and window.ctx.project.relations() == []
    assert len(window.reader.relations) == 0
    window.ctx.undo_stack.undo()
    assert "said by" in types() and len(window.ctx.project.relations()) == 1
    assert len(window.reader.relations) == 1
    while window.ctx.undo_stack.canUndo():  # the relation, spans, ends, colour, name, addition
        window.ctx.undo_stack.undo()
    assert types() == ["said by", "evidence for", "evidence against"]


def test_the_codebook_gives_a_relation_type_typed_attributes_undoably(
    qtbot, window, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from annotator.core.labels import AttributeDef, AttributeKind
    from annotator.gui.codebook_dialog import CodebookDialog

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    dialog = CodebookDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.relation_types
    box.select("evidence for")
    box._add_attribute()
    box.attr_name.setText("strength")
    box.attr_kind.setCurrentIndex(box.attr_kind.findData("choice"))
    box._apply_attribute()  # a choice with no choices is refused with a message
    assert warned and "needs at least one choice" in warned[-1]
    box.attr_choices.setText("weak | strong")
    box._apply_attribute()
    evidence = window.ctx.project.relation_types()[1]
    assert evidence.attributes == (
        AttributeDef("strength", AttributeKind.CHOICE, ("weak", "strong")),
    )
    assert box.attributes.item(0).text() == "strength (choice: weak | strong)"
    box._delete_attribute()
    assert window.ctx.project.relation_types()[1].attributes == ()
    window.ctx.undo_stack.undo()
    assert window.ctx.project.relation_types()[1].attributes[0].name == "strength"


def test_a_relation_picked_in_the_list_is_selected_edited_and_deleted(qtbot, window) -> None:
    from annotator.core.labels import AttributeDef, AttributeKind
    from annotator.gui import codebook_commands as cmd
    from annotator.gui.undo import push

    evidence = window.ctx.relation_types()[1]
    strength = AttributeDef("strength", AttributeKind.CHOICE, ("weak", "strong"))
    push(
        window.ctx,
        cmd.UpdateRelationType(
            window.ctx, evidence.name, replace(evidence, attributes=(strength,)), "attributes"
        ),
    )
    quote, _org, claim = spans(qtbot, window)
    window.relating.choose_type = lambda _types, _at: "evidence for"
    relate_by_keyboard(qtbot, window)
    window.panel.select(quote.id)
    window.panel.relation_list.setCurrentRow(0)  # the keyboard's way to a relation
    (relation,) = window.ctx.project.relations()
    assert window.reader.current_relation_id == relation.id
    editor = window.panel.relation_editor
    assert editor.isVisible() and set(editor.fields) == {"strength"}
    combo = editor.fields["strength"]
    combo.setCurrentIndex(combo.findData("strong"))
    assert window.ctx.project.relations()[0].attributes == {"strength": "strong"}
    editor.note.setText("from the annex")
    editor.note.editingFinished.emit()
    assert window.ctx.project.relations()[0].note == "from the annex"
    window.ctx.undo_stack.undo()
    assert window.ctx.project.relations()[0].note == ""
    window.panel.relation_list.setCurrentRow(0)
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert window.ctx.project.relations() == []
    assert not editor.isVisible()
    assert claim.id in {a.id for a in window.ctx.project.annotations()}


def test_undoing_a_delete_after_another_window_deleted_an_other_end_brings_back_the_rest(
    qtbot, window
) -> None:
    """The other end of one relation (or its type) went in another window meanwhile: undo
    brings back the annotation and the relations that can come back, says in the status bar
    what could not, and stays on the undo stack (redo deletes again, undo restores again)."""
    from annotator.store.codebook import delete_relation_type
    from annotator.store.project import Project

    quote, org, claim = spans(qtbot, window)
    relate_by_keyboard(qtbot, window, "N")  # said by: quote -> org
    window.panel.select(quote.id)
    window.relating.choose_type = lambda _types, _at: "evidence for"
    relate_by_keyboard(qtbot, window)  # evidence for: quote -> claim, the first offered
    assert len(window.ctx.project.relations()) == 2
    window.panel.select(quote.id)
    qtbot.keyClick(window.reader, Qt.Key.Key_Delete)
    assert window.ctx.project.relations() == []
    with Project.open(window.ctx.project.path, create=False) as other:
        other.delete_annotations([org.id])
    stack = window.ctx.undo_stack
    count = stack.count()
    stack.undo()
    assert quote.id in {a.id for a in window.ctx.project.annotations()}
    (kept,) = window.ctx.project.relations()
    assert (kept.type, kept.target_id) == ("evidence for", claim.id)
    assert len(window.reader.relations) == 1  # the arc of the one that came back
    said = window.statusBar().currentMessage()
    assert said.startswith("1 relation ('said by') could not come back"), said
    assert stack.count() == count and stack.index() == count - 1 and stack.canRedo()
    stack.redo()
    assert quote.id not in {a.id for a in window.ctx.project.annotations()}
    assert window.ctx.project.relations() == []
    with Project.open(window.ctx.project.path, create=False) as other:
        delete_relation_type(other, "evidence for")
    stack.undo()
    assert quote.id in {a.id for a in window.ctx.project.annotations()}
    assert window.ctx.project.relations() == []
    assert "('evidence for') could not come back" in window.statusBar().currentMessage()
    assert stack.index() == count - 1


def long_related_project(path, lines: int = 1200) -> None:
    """A project at ``path``: one document of ``lines`` lines, a Claim at the start of each,
    each related to the next one's."""
    from annotator.core.labels import RelationTypeDef
    from annotator.core.model import (
        ImportedAnnotation,
        ImportedBundle,
        ImportedDocument,
        ImportedRelation,
    )
    from annotator.store.project import Project

    text = "\n".join(f"Line {n} says something worth a relation." for n in range(lines))
    starts = [0, *(n + 1 for n, c in enumerate(text) if c == "\n")]
    spans = [ImportedAnnotation("Claim", s, s + 4, id=f"s{n}") for n, s in enumerate(starts)]
    related = [ImportedRelation("next", f"s{n}", f"s{n + 1}") for n in range(len(spans) - 1)]
    bundle = ImportedBundle(
        [ImportedDocument(text, "Long", annotations=spans, relations=related)],
        relation_types=[RelationTypeDef("next", "#aa3355")],
    )
    with Project.open(path) as project:
        project.import_bundle(bundle)


@contextmanager
def traced(statements: list[str]):
    """Every SQL statement of the projects opened meanwhile (the driver's cursor's too)."""
    from sqlalchemy import Engine, event

    def on_connect(connection, _record) -> None:
        connection.set_trace_callback(statements.append)

    event.listen(Engine, "connect", on_connect)
    try:
        yield
    finally:
        event.remove(Engine, "connect", on_connect)


def index_agrees(window) -> None:
    """The reader's relation index finds what the project holds, by line and by annotation."""
    project, index = window.ctx.project, window.reader.relations
    line_of = window.reader.lines.line_of
    annotations = {a.id: a for a in project.annotations()}
    stored = project.relations()
    assert set(index.relations) == {r.id for r in stored}
    for first, last in ((0, 0), (0, 30), (500, 520), (1190, 1300), (1199, 1199), (0, 5000)):
        expected = {
            r.id
            for r in stored
            if first <= line_of(annotations[r.source_id].start) <= last
            or first <= line_of(annotations[r.target_id].start) <= last
        }
        found = [r.id for r in index.in_lines(first, last)]
        assert sorted(found) == sorted(expected) and len(found) == len(set(found))
    for some in ("s0", "s3", "s10", "s600"):
        assert sorted(r.id for r in index.of_annotation(some)) == sorted(
            r.id for r in stored if some in (r.source_id, r.target_id)
        )


def test_a_window_opens_on_many_relations_without_an_object_per_row(
    make_window, project_path
) -> None:
    """Issue 25: 100k relations took 54 s to open, one ORM object per row. Opening reads them
    in a bounded number of statements, loads no ORM row, and draws only the arcs in view."""
    from sqlalchemy import event

    from annotator.store.models import Relation as RelationRow
    from annotator.store.project import Project

    long_related_project(project_path)
    rows_loaded: list[object] = []
    statements: list[str] = []

    def on_load(target: object, _context: object) -> None:
        rows_loaded.append(target)

    event.listen(RelationRow, "load", on_load)
    try:
        with traced(statements):
            project = Project.open(project_path)
            window = make_window(project)
            window.reader.viewport().repaint()
    finally:
        event.remove(RelationRow, "load", on_load)
    try:
        assert len(window.reader.relations) == 1199  # every one known
        assert rows_loaded == []  # no ORM object per relation
        reading_relations = [s for s in statements if "FROM relations" in s]
        assert 1 <= len(reading_relations) <= 2, reading_relations
        first, last = window.reader._visible_lines()
        assert 0 < len(window.reader._arcs) <= 2 * (last - first + 2) < 1199
        index_agrees(window)
    finally:
        window.close()
        project.close()


def test_a_relation_made_or_undone_among_many_reads_only_itself(make_window, project_path) -> None:
    """Making, undoing and redoing a relation, or deleting an end and undoing that, among 1,199
    others reads none of the others again (each took seconds with 100k), and the arcs' index
    follows every step."""
    from annotator.gui.commands import AddRelation, DeleteAnnotations
    from annotator.gui.undo import push
    from annotator.store.project import Project

    long_related_project(project_path)
    statements: list[str] = []
    with traced(statements):
        project = Project.open(project_path)
        window = make_window(project)
        window.reader.viewport().repaint()  # the index built, as the first paint builds it
        try:
            ctx, reader = window.ctx, window.reader
            statements.clear()
            source, target = reader.annotation("s3"), reader.annotation("s10")
            assert push(ctx, AddRelation(ctx, "next", source, target))
            index_agrees(window)
            ctx.undo_stack.undo()
            index_agrees(window)
            ctx.undo_stack.redo()
            index_agrees(window)
            window.panel.select("s3")
            assert window.panel.relation_list.count() == 3  # to s4 and s10, from s2
            assert push(ctx, DeleteAnnotations(ctx, [reader.annotation("s600")]))
            assert len(reader.relations) == 1198
            index_agrees(window)
            ctx.undo_stack.undo()
            assert len(reader.relations) == 1200
            index_agrees(window)
            assert [s for s in statements if "WHERE r.document_id" in s] == []
        finally:
            window.close()
            project.close()
