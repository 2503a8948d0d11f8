"""The one command protocol (gui/undo.py) and the one change notification (gui/changes.py)."""

from __future__ import annotations

from annotator.core.errors import ProjectError
from annotator.core.labels import LabelDef
from annotator.core.model import DocumentStatus
from annotator.gui import codebook_commands as cmd
from annotator.gui.changes import Changes
from annotator.gui.commands import AddAnnotations, SetDocumentStatus
from annotator.gui.undo import execute, push

from .test_gui_reader import press, select_text


def recorded(window) -> list[Changes]:
    seen: list[Changes] = []
    window.ctx.events.changed.connect(seen.append)
    return seen


def test_each_operation_publishes_one_change_set(qtbot, window) -> None:
    seen = recorded(window)
    select_text(window, "Tier 2")
    press(qtbot, window, "4")
    (added,) = window.ctx.project.annotations()
    document = frozenset({added.document_id})  # the first label also marks it in progress
    started, new = DocumentStatus.IN_PROGRESS, DocumentStatus.NEW
    assert seen == [
        Changes(added.document_id, (), (added,), document, started, reveal=added.document_id)
    ]
    window.ctx.undo_stack.undo()
    assert seen[1] == Changes(
        added.document_id, (added,), (), document, new, reveal=added.document_id
    )
    window.ctx.undo_stack.redo()
    assert seen[2].added == (added,) and len(seen) == 3


def test_a_refused_codebook_edit_never_reaches_the_stack(qtbot, window) -> None:
    seen = recorded(window)
    refusal = execute(window.ctx, cmd.AddLabel(window.ctx, LabelDef("Claim", "#123456")))
    assert "already exists" in str(refusal)
    assert window.ctx.undo_stack.count() == 0 and seen == []
    assert execute(window.ctx, cmd.AddLabel(window.ctx, LabelDef("Person", "#123456"))) is None
    assert window.ctx.undo_stack.count() == 1
    assert seen == [Changes(labels=True)]
    assert "Person" in window.label_bar.buttons  # the label bar follows the change-set


def test_a_write_refused_by_the_store_is_reported_not_pushed(qtbot, window) -> None:
    failures = []
    window.ctx.on_write_failure = failures.append
    window.ctx.project.read_only_reason = "made read-only for the test"
    document_id = window.reader.document_id
    assert not push(window.ctx, AddAnnotations(window.ctx, document_id, "Claim", [(0, 4)]))
    assert not push(window.ctx, SetDocumentStatus(window.ctx, document_id, DocumentStatus.DONE))
    assert [str(f).split(": ", 1)[1] for f in failures] == [
        "is open read-only (made read-only for the test); the change was not saved"
    ] * 2
    assert window.ctx.undo_stack.count() == 0


def test_every_view_hears_of_a_status_change(qtbot, window) -> None:
    document_id = window.reader.document_id
    assert push(window.ctx, SetDocumentStatus(window.ctx, document_id, DocumentStatus.DONE))
    row = window.documents.model.rows[window.documents.model.row_of(document_id)]
    assert row.status == "done"
    window.ctx.undo_stack.undo()
    row = window.documents.model.rows[window.documents.model.row_of(document_id)]
    assert row.status == "new"


def test_a_codebook_edit_that_cannot_be_written_is_handed_back(qtbot, window) -> None:
    window.ctx.project.read_only_reason = "made read-only for the test"
    refusal = execute(window.ctx, cmd.AddLabel(window.ctx, LabelDef("Person", "#123456")))
    assert isinstance(refusal, ProjectError) and "made read-only for the test" in str(refusal)
    assert window.ctx.undo_stack.count() == 0
    assert "Person" not in window.label_bar.buttons
