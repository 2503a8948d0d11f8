"""Eight processes writing to one server project at once, starting on an empty database: four
run the command line (import, merge), four the service layer (import, label, status). Every
write a process saw acknowledged is there afterwards, and nothing is there twice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

from annotator.core import model
from annotator.store.project import Project

COMMON = "Every desk imports this same article at the same moment.\nOnly one copy may stay."
LABELS_PER_WORKER = 15

SERVICE_WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from annotator.core import model
    from annotator.service import import_file
    from annotator.store.project import Project

    url, name, common = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    with Project.open(url) as project:
        import_file(project, common)
        text = common.read_text(encoding="utf-8")
        document = next(d for d in project.documents() if project.document(d.id).text == text)
        for n in range({per}):
            project.add_annotation(
                document.id, "Claim", n, n + 3, annotator=name, id=f"{{name}}-{{n}}"
            )
            print(f"{{name}}-{{n}}", flush=True)  # acknowledged
        project.set_document_status(document.id, model.DocumentStatus.IN_PROGRESS)
    """
).format(per=LABELS_PER_WORKER)


def _local_copy(path: Path, name: str, common: Path) -> list[str]:
    with Project.open(path) as project:
        project.import_bundle(
            model.ImportedBundle(
                [model.ImportedDocument(common.read_text(encoding="utf-8"), "common")]
            )
        )
        document = project.documents()[0].id
        ids = [f"{name}-{n}" for n in range(LABELS_PER_WORKER)]
        for n, id in enumerate(ids):
            project.add_annotation(document, "Quote", n, n + 5, annotator=name, id=id)
    return ids


def test_eight_processes_lose_nothing_and_duplicate_nothing(pg_url: str, tmp_path: Path) -> None:
    common = tmp_path / "common.txt"
    common.write_text(COMMON, encoding="utf-8")
    script = tmp_path / "worker.py"
    script.write_text(SERVICE_WORKER, encoding="utf-8")
    cli = [sys.executable, "-m", "annotator.cli"]
    processes: dict[str, subprocess.Popen[str]] = {}
    merged_ids: list[str] = []
    commands: dict[str, list[str]] = {}
    for k in range(2):  # the command line: its own article and the common one
        article = tmp_path / f"article-{k}.txt"
        article.write_text(f"Article number {k}, written by desk {k}.", encoding="utf-8")
        commands[f"import-{k}"] = [*cli, "import", pg_url, str(article), str(common)]
    for k in range(2):  # the command line: merging a colleague's local copy
        local = tmp_path / f"desk-{k}.annot"
        merged_ids += _local_copy(local, f"desk{k}", common)
        commands[f"merge-{k}"] = [*cli, "merge", pg_url, str(local)]
    for k in range(4):  # the service layer
        commands[f"service-{k}"] = [sys.executable, str(script), pg_url, f"svc{k}", str(common)]
    for name, command in commands.items():
        processes[name] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    acknowledged: list[str] = []
    for name, process in processes.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name}: {err}"
        assert "Traceback" not in err
        if name.startswith("service"):
            acknowledged += out.split()
    assert len(acknowledged) == 4 * LABELS_PER_WORKER
    with Project.open(pg_url, create=False) as project:
        documents = project.documents()
        texts = Counter(project.document(d.id).text for d in documents)
        assert texts[COMMON] == 1, texts
        assert len(documents) == 3  # the common article and each desk's own
        stored = Counter(a.id for a in project.annotations())
        assert max(stored.values()) == 1
        assert set(acknowledged + merged_ids) <= set(stored)
        assert len(stored) == len(acknowledged) + len(merged_ids)
        common_doc = next(d for d in documents if project.document(d.id).text == COMMON)
        assert common_doc.status is model.DocumentStatus.IN_PROGRESS
