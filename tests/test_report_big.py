"""Issue 25, item 9: big reports. A PDF report stopped by SIGTERM leaves no temporary file and no
half a PDF; the HTML report is written as it is made; a long paragraph is laid out in bounded
blocks. Figures are in benchmarks/bench_report.py; these are structural checks only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from annotator.core.leftovers import EXPORT_SUFFIX
from annotator.core.model import ImportedAnnotation, ImportedBundle, ImportedDocument
from annotator.store.project import Project

PARAGRAPH = (
    "The ministry said rainfall rose 12 percent this week, the highest since records began. "
    "Officials insisted the dams are safe, while volunteers posted updates from the river. "
) * 4


def big_project(path: Path, paragraphs: int, spans_each: int = 4) -> Path:
    text = "\n\n".join(PARAGRAPH for _ in range(paragraphs))
    step = len(PARAGRAPH) + 2
    annotations = [
        ImportedAnnotation(label, n * step + offset, n * step + offset + 20)
        for n in range(paragraphs)
        for label, offset in (("Claim", 4), ("Quote", 100), ("Organisation", 200), ("Claim", 300))[
            :spans_each
        ]
    ]
    with Project.open(path) as project:
        project.import_bundle(
            ImportedBundle([ImportedDocument(text, "big", annotations=annotations)])
        )
    return path


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(EXPORT_SUFFIX)]


def test_sigterm_during_a_pdf_report_leaves_no_temporary_and_no_pdf(tmp_path: Path) -> None:
    project = big_project(tmp_path / "big.annotator", paragraphs=500)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "x.pdf"
    script = Path(sys.executable).with_name("annotator")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [str(script), "report", str(project), "--paper", "a4", "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120  # a safety bound: the file appears within seconds
        while not temporaries(out_dir):
            assert child.poll() is None, f"finished before it was stopped: {child.stderr.read()}"
            assert time.monotonic() < deadline, "the temporary file never appeared"
            time.sleep(0.01)
        child.send_signal(signal.SIGTERM)
        _, stderr = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert list(out_dir.iterdir()) == []  # neither the temporary file nor half a PDF
    assert child.returncode == 128 + signal.SIGTERM, (child.returncode, stderr)
    assert "Traceback" not in stderr, stderr
