"""The export seam (annotator/io/registry.py): one DocumentExport per document, streamed; each
format's options declared once and turned into CLI flags and export-dialog fields."""

from __future__ import annotations

import gc
import json
import weakref
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox

from annotator.cli import command_parser, main
from annotator.core.errors import AnnotatorError
from annotator.io.registry import (
    ALL_OPTIONS,
    EXPORT_FORMATS,
    DocumentExport,
    ExportData,
    ExportOptions,
    exporter,
)
from annotator.service import documents_with_annotations, import_file
from annotator.store.project import Project
from tests.helpers.interchange import FIXTURES, build

# Formats that write document by document (the others need the whole project first: a table's
# columns, brat's type names, W3C's collection id, spaCy's DocBin).
STREAMING = ["json", "jsonl", "conll", "doccano", "labelstudio", "qdpx", "claimreview"]


@pytest.fixture
def rich(project: Project) -> Project:
    build(project)
    import_file(project, FIXTURES / "article.md")
    return project


def _one_at_a_time(project: Project, seen: list[int]) -> Iterator[DocumentExport]:
    """Yield each document; before making the next, check the exporter let go of the one
    before the last (the last may still sit in the exporter's loop variable)."""
    made: list[weakref.ref[DocumentExport]] = []
    for item in documents_with_annotations(project):
        if len(made) >= 2:
            gc.collect()
            assert made[-2]() is None, "the exporter holds on to earlier documents"
        seen.append(len(item.annotations))
        made.append(weakref.ref(item))
        yield item
        del item


@pytest.mark.parametrize("fmt", STREAMING)
def test_streaming_formats_hold_one_document_at_a_time(
    rich: Project, tmp_path: Path, fmt: str
) -> None:
    seen: list[int] = []
    data = ExportData(rich.labels(), _one_at_a_time(rich, seen))
    target = tmp_path / f"out{EXPORT_FORMATS[fmt].extension}"
    exporter(fmt).export(data, target, ExportOptions())
    assert len(seen) == len(rich.documents()) == 3
    assert target.stat().st_size > 0


def test_qdpx_streams_the_texts_into_the_zip(rich: Project, tmp_path: Path) -> None:
    target = tmp_path / "p.qdpx"
    exporter("qdpx").export(
        ExportData(rich.labels(), documents_with_annotations(rich)), target, ExportOptions()
    )
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde").decode()
    assert sum(n.startswith("sources/") for n in names) == 3
    # every CodeRef points at a code of the codebook (the label name stood in while streaming)
    assert 'targetGUID="Claim"' not in qde
    for label in rich.labels():
        assert f'name="{label.name}"' in qde


def test_every_declared_option_is_a_cli_flag() -> None:
    export = command_parser()._subparsers._group_actions[0].choices["export"]  # type: ignore
    flags = {s for action in export._actions for s in action.option_strings}
    for option in ALL_OPTIONS.values():
        assert option.flag in flags
    assert "--doccano-offsets" in flags
    assert "--org-name" in flags  # the names ClaimReview always had


def test_unknown_option_and_bad_choice_are_refused() -> None:
    with pytest.raises(AnnotatorError, match="unknown export option"):
        ExportOptions(no_such_option="x")
    with pytest.raises(AnnotatorError, match="--doccano-offsets must be one of"):
        ExportOptions(doccano_offsets="bytes").check(EXPORT_FORMATS["doccano"])


def test_an_option_of_another_format_is_named_and_ignored(
    rich: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rich.path
    rich.close()
    out = tmp_path / "out.jsonl"
    assert (
        main(
            [
                "export",
                str(path),
                "--format",
                "jsonl",
                "-o",
                str(out),
                "--doccano-offsets",
                "graphemes",
            ]
        )
        == 0
    )
    assert (
        "--doccano-offsets is not an option of the jsonl format; ignored" in capsys.readouterr().err
    )
    assert out.is_file()


def test_bad_choice_on_the_cli_is_a_usage_error(
    rich: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = rich.path
    rich.close()
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(path), "--format", "doccano", "--doccano-offsets", "bytes"])
    assert exit_.value.code == 2
    assert "invalid choice: 'bytes'" in capsys.readouterr().err


def test_export_dialog_fields_come_from_the_declarations(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui.export_dialog import ExportDialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    dialog = ExportDialog(window.ctx, window)
    assert set(dialog.fields) == set(ALL_OPTIONS)
    for fmt, spec in EXPORT_FORMATS.items():
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        visible = {
            name
            for name, widget in dialog.fields.items()
            if dialog.form.isRowVisible(widget.parentWidget())
        }
        assert visible == {option.name for option in spec.options}, fmt
    assert isinstance(dialog.fields["doccano_offsets"], QComboBox)

    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    org = dialog.fields["org_name"]
    assert isinstance(org, QLineEdit)
    org.setText("Fact Check Cambodia")
    target = tmp_path / "reviews.jsonld"
    dialog.target.setText(str(target))
    dialog.export()
    assert shown and str(target) in shown[0]
    json.loads(target.read_text(encoding="utf-8"))  # written (the sample may hold no verdicts)
    assert window.ctx.settings.value("export/org_name") == "Fact Check Cambodia"
    again = ExportDialog(window.ctx, window)
    assert again.fields["org_name"].text() == "Fact Check Cambodia"  # type: ignore[union-attr]


def test_export_dialog_choice_option_reaches_the_exporter(
    window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.gui.export_dialog import ExportDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    dialog = ExportDialog(window.ctx, window)
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    box = dialog.fields["doccano_offsets"]
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData("graphemes"))
    dialog.target.setText(str(tmp_path / "d.jsonl"))
    dialog.export()
    assert window.ctx.settings.value("export/doccano_offsets") == "graphemes"
