"""Large REFI-QDA codebooks: ``qdc.read`` (``annotator labels --import`` of a ``.qdc``) of 64k and
200k codes.

It was quadratic once (each code compared with every label read before it): 64k codes took
62 s, 200k over 300 s. Baseline: lxml parsing the same file, which every reading must do.
"""

from __future__ import annotations

from lxml import etree

from annotator.io import qdc
from benchmarks.bench_labels import codebook_of
from benchmarks.generate import Size
from benchmarks.harness import Workspace, elapsed_ms
from benchmarks.rows import Row, Scenario, Target, median

#: Codes per benchmark size (the smoke test runs "small").
CODES = {"small": 5_000, "medium": 64_000, "large": 200_000}
TARGET = Target(max_ratio=40, max_value=30_000)  # on a busy machine too


def run_read(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    count = CODES[size.name]
    path = ws.fresh_dir("qdc") / "codebook.qdc"
    qdc.write(path, codebook_of(count, "Code"))
    data = path.read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    app_ms: list[float] = []
    bare_ms: list[float] = []
    for n in range(repeat + 1):
        app = elapsed_ms(lambda: qdc.read(path))
        bare = elapsed_ms(lambda: etree.fromstring(data, parser))
        if n:  # the first of each is a warm-up
            app_ms.append(app)
            bare_ms.append(bare)
    assert len(qdc.read(path)) == count
    return [
        Row(
            f"qdc.read of {count:,} codes (labels --import)",
            f"{len(data) / 1_000_000:.1f} MB",
            repeat,
            median(app_ms),
            baseline=median(bare_ms),
            target=TARGET,
            note="baseline: lxml parsing the same file",
        )
    ]


SCENARIOS = [Scenario("qdc-read", run_read, ("medium", "large"), 3)]
