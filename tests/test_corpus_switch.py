"""A corpus, not an article (issue 29): switching documents, labelling and starting the model
do the same database work in a project of 300 documents as in one of 10, the same document
shown; the names already labelled follow edits and other programs' commits; closing the window
ends its suggestion processes at once. Work is counted (statements, SQLite steps), never timed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.core.suggest.text_tools import find_names
from annotator.store import suggestion_store
from annotator.store.known_names import KnownNames
from annotator.store.project import Project
from benchmarks.corpus import build_corpus
from tests.helpers.sql_work import Work, counted

SMALL, LARGE = 10, 300
SHOWN, OTHER = "Article 000003", "Article 000005"


def corpus(tmp_path: Path, documents: int) -> Project:
    path = tmp_path / f"corpus-{documents}.annot"
    build_corpus(path, documents)
    return Project.open(path)


def ids(project: Project) -> dict[str, str]:
    return {d.title: d.id for d in project.documents()}


def settled(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Suggestions of the document shown computed (the names read first, on their thread), the
    model learned and the suggestions it brings computed: nothing else under way."""
    suggestions = window.suggestions
    qtbot.waitUntil(lambda: suggestions.names.loaded, timeout=60000)
    qtbot.waitUntil(
        lambda: (
            not (
                suggestions.computing
                or suggestions.trainer.training
                or suggestions._later.isActive()
            )
        ),
        timeout=120000,
    )


def switch_work(qtbot, make_window, project: Project) -> Work:  # type: ignore[no-untyped-def]
    window = make_window(project, suggestions=True)
    titles = ids(project)
    window.documents.select(titles[OTHER])
    settled(qtbot, window)
    with counted() as work:
        window.documents.select(titles[SHOWN])
        QApplication.processEvents()
    settled(qtbot, window)
    assert window.reader.document_id == titles[SHOWN]
    return work


def keystroke_work(qtbot, make_window, project: Project) -> Work:  # type: ignore[no-untyped-def]
    window = make_window(project, suggestions=True)
    window.documents.select(ids(project)[SHOWN])
    settled(qtbot, window)
    word = next(re.finditer(r"\b[a-z]{6,}\b", window.reader.text))
    window.reader.select_range(word.start(), word.end())
    before = len(window.reader.annotations())
    with counted() as work:
        QTest.keyClick(window.reader, "1")
        QApplication.processEvents()
    assert len(window.reader.annotations()) == before + 1
    return work


def same(small: Work, large: Work) -> bool:
    """The same work, but for a B-tree a level deeper here and there."""
    return large.statements == small.statements and large.steps <= small.steps * 1.2 + 5


def test_a_switch_reads_one_document_whatever_the_project(qtbot, make_window, tmp_path) -> None:
    small = switch_work(qtbot, make_window, corpus(tmp_path, SMALL))
    large = switch_work(qtbot, make_window, corpus(tmp_path, LARGE))
    assert same(small, large), f"{SMALL} documents: {small}; {LARGE} documents: {large}"


def test_a_label_keystroke_reads_one_document_whatever_the_project(
    qtbot, make_window, tmp_path
) -> None:
    small = keystroke_work(qtbot, make_window, corpus(tmp_path, SMALL))
    large = keystroke_work(qtbot, make_window, corpus(tmp_path, LARGE))
    assert same(small, large), f"{SMALL} documents: {small}; {LARGE} documents: {large}"


def test_starting_the_model_reads_nothing_on_the_window_thread(
    qtbot, make_window, tmp_path
) -> None:
    window = make_window(corpus(tmp_path, SMALL), suggestions=True)
    settled(qtbot, window)
    with counted() as work:
        window.suggestions.start_model()
    assert work.statements == 0 and work.steps == 0, str(work)
    learned = []
    window.suggestions.trainer.trained.connect(learned.append)
    qtbot.waitUntil(lambda: bool(learned), timeout=120000)  # the child read the project itself
    assert learned[0] is not None and learned[0].examples > 0


def test_closing_the_window_ends_its_suggestion_processes_at_once(qtbot, make_window, project):
    import multiprocessing

    window = make_window(project, suggestions=True)
    before = set(multiprocessing.active_children())
    # long work in the child, as suggestions over a 5 MB article are
    assert window.suggestions._pool.submit("long", time.sleep, 3600)
    qtbot.waitUntil(lambda: bool(set(multiprocessing.active_children()) - before), timeout=30000)
    children = list(set(multiprocessing.active_children()) - before)
    try:
        window.close()
        assert not any(child.is_alive() for child in children)
    finally:  # without the fix, this test's process would wait for it an hour
        for child in children:
            child.kill()


# -- the names already labelled: kept up to date, never stale after another program's commit --


def text_with(name: str) -> str:
    return f"Yesterday {name} said that the plan had worked."


def test_known_names_follow_ones_own_edits_without_a_read(any_project: Project) -> None:
    project = any_project  # a file, and a project on a server
    names = KnownNames(project)
    assert names.load()
    project.import_bundle(ImportedBundle([ImportedDocument(text_with("Zyx"), "z")]))
    names.forget()  # an import: what the window does on Changes(documents=True)
    assert names.for_text(text_with("Zyx")) is None
    assert names.load()
    document_id = ids(project)["z"]
    [added] = project.add_annotations(document_id, "Organisation", [(10, 13)])
    names.apply([], [added])
    assert names.for_text(text_with("Zyx")) == {"Organisation": {"Zyx"}}
    project.delete_annotations([added.id])
    names.apply([added], [])
    assert names.for_text(text_with("Zyx")) == {}
    names.close()


@pytest.mark.parametrize("how", ["another project object", "another program"])
def test_known_names_are_read_again_after_another_programs_commit(
    project: Project, project_path: Path, how: str
) -> None:
    names = KnownNames(project)
    assert names.load()
    bundle = ImportedBundle(
        [
            ImportedDocument(
                text_with("Qorvath"),
                "q",
                annotations=[ImportedAnnotation("Organisation", 10, 17, annotator="ana")],
            )
        ]
    )
    if how == "another program":
        import subprocess
        import sys

        script = (
            "import pickle, sys\n"
            "from annotator.store.project import Project\n"
            "with Project.open(sys.argv[1]) as p:\n"
            "    p.import_bundle(pickle.loads(sys.stdin.buffer.read()))\n"
        )
        import pickle

        subprocess.run(
            [sys.executable, "-c", script, str(project_path)],
            input=pickle.dumps(bundle),
            check=True,
        )
    else:
        with Project.open(project_path) as other:
            other.import_bundle(bundle)
    assert names.for_text(text_with("Qorvath")) is None  # not the names read before
    assert names.load()
    assert names.for_text(text_with("Qorvath")) == {"Organisation": {"Qorvath"}}
    names.close()


def test_the_names_of_a_text_are_all_those_the_suggesters_would_find_in_it(tmp_path) -> None:
    project = corpus(tmp_path, LARGE)
    names = KnownNames(project)
    assert names.load()
    everything = suggestion_store.known_names(project)
    for summary in project.documents()[:40]:
        # shorter than the names are many: they are looked up by the text's words
        text = project.document(summary.id).text[:400] + " U.S. Foo-Bar AT&T."
        mine = names.for_text(text)
        assert mine is not None
        for label, all_names in everything.items():
            assert find_names(text, mine.get(label, ())) == find_names(text, all_names), label
    names.close()


def test_the_models_child_opens_the_project_itself(any_sample_project: Project) -> None:
    import pickle

    from annotator import suggest_service

    # what the child process is sent (a server's address with its password) and then runs
    sent = pickle.loads(pickle.dumps(any_sample_project.path))
    learned = suggest_service.train_from(sent)
    expected = suggest_service.train(any_sample_project)
    assert (learned is None) == (expected is None)
    assert learned is None or learned.examples == expected.examples


def test_ones_own_checkpoint_is_not_taken_for_another_programs_commit(project: Project) -> None:
    names = KnownNames(project)
    project.import_bundle(ImportedBundle([ImportedDocument(text_with("Zyx"), "z")]))
    assert names.load()
    project.checkpoint()  # what the window does a few seconds after the last change
    assert names.for_text(text_with("Zyx")) is not None
    names.close()
