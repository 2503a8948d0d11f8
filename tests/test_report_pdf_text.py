"""The PDF report's text layer is the article's text: what ``pdftotext`` (Poppler, no
normalisation) gives is what a reader copies out of the PDF or searches for (issue 28)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from annotator import service
from annotator.cli import main
from annotator.core.leftovers import EXPORT_SUFFIX
from annotator.io.report_pdf import NEEDS
from annotator.store.project import Project
from tests.helpers.pdf_printer import needs_pdf_printer

from .conftest import FIXTURES

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="pdftotext/pdftoppm (Debian poppler-utils) are not installed",
)

ARTICLE = FIXTURES / "report" / "pdf-text.txt"  # ligatures, an Arabic quote, emoji with a ZWJ
LIGATURES = re.compile("[\ufb00-\ufb06]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def report_of(project: Project, article: Path, out: Path) -> Path:
    assert service.import_file(project, article).outcome is service.Outcome.IMPORTED
    assert main(["report", str(project.path), "--paper", "a4", "-o", str(out)]) == 0
    return out


@needs_pdf_printer
def test_the_sample_report_holds_trafficking_not_ligatures(
    sample_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "sample.pdf"
    assert main(["report", str(sample_project.path), "--paper", "a4", "-o", str(out)]) == 0
    layer = pdftotext(out)
    assert "Cambodia Moves Up on US Trafficking List" in layer
    for word in ("trafficking", "officials", "significant", "efforts", "classification"):
        assert word in layer, word
    assert not LIGATURES.findall(layer), sorted(set(LIGATURES.findall(layer)))


@needs_pdf_printer
def test_arabic_in_logical_order_and_every_emoji_as_text(project: Project, tmp_path: Path) -> None:
    layer = pdftotext(report_of(project, ARTICLE, tmp_path / "r.pdf"))
    assert "Trafficking Officials Speak After the Flood" in layer
    assert "significant risk; efforts to find families" in layer
    assert not LIGATURES.findall(layer)
    assert "«نحن نعمل بجد»" in layer
    assert "قال أحد المسؤولين" in layer
    assert not PRESENTATION_FORMS.findall(layer), sorted(set(PRESENTATION_FORMS.findall(layer)))
    assert "flood \U0001f30a had" in layer
    assert "wrote \U0001f614 and" in layer
    assert f"posted {FAMILY} under" in layer


def _box_of(path: Path, word: str) -> tuple[float, float, float, float]:
    """The box, in points, of ``word`` on page 1 (pdftotext -bbox)."""
    html = pdftotext(path, "-bbox", "-f", "1", "-l", "1")
    for found in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">([^<]*)</word>',
        html,
    ):
        if found.group(5) == word:
            return tuple(float(found.group(i)) for i in range(1, 5))  # type: ignore[return-value]
    raise AssertionError(f"{word!r} is not a word of page 1")


def _colours(picture: Image.Image) -> int:
    """Pixels with a hue: a missing-glyph box is drawn in the text's grey, an emoji is not."""
    return sum(1 for r, g, b in picture.get_flattened_data() if max(r, g, b) - min(r, g, b) > 60)


@needs_pdf_printer
def test_the_emoji_are_drawn_in_colour_not_as_boxes(project: Project, tmp_path: Path) -> None:
    out = report_of(project, ARTICLE, tmp_path / "r.pdf")
    dpi = 144
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            str(out),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("RGB")
    scale = dpi / 72
    # Each emoji's width from its own box, its height from the word before it on the line
    # (Poppler gives a glyph that stands for several characters a box of no height).
    for before, word in (("flood", "\U0001f30a"), ("wrote", "\U0001f614"), ("posted", FAMILY)):
        x0, _, x1, _ = _box_of(out, word)
        _, y0, _, y1 = _box_of(out, before)
        glyph = page.crop((int(x0 * scale), int(y0 * scale), int(x1 * scale), int(y1 * scale)))
        if word == FAMILY:
            # Noto draws the family (Unicode 15.1) as grey silhouettes: not colour, but solid
            # figures, where a missing-glyph box is an outline with nothing inside.
            w, h = glyph.size
            inside = glyph.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4)).convert("L")
            dark = sum(1 for v in inside.get_flattened_data() if v < 128)
            assert dark > inside.width * inside.height // 5, word
        else:
            assert _colours(glyph) > glyph.width * glyph.height // 10, word
        x0, y0, x1, y1 = _box_of(out, before)
        text = page.crop((int(x0 * scale), int(y0 * scale), int(x1 * scale), int(y1 * scale)))
        assert _colours(text) == 0, before  # the control: a word in black has no colour


class _NoPango:
    """Import machinery that fails to load WeasyPrint the way it does without libpango: its
    banner on standard output, then cffi's error (as seen in a minimal Debian root)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint":
            print("\n-----\n\nWeasyPrint could not import some external libraries.\n-----\n")
            raise OSError(
                "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared "
                "object file: No such file or directory.  Additionally, ctypes.util.find_library"
                "() did not manage to locate a library called 'libpango-1.0-0'"
            )


def test_no_pango_is_one_line_and_no_file(
    sample_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    out = tmp_path / "r.pdf"
    assert main(["report", str(sample_project.path), "--paper", "a4", "-o", str(out)]) == 2
    printed, err = capsys.readouterr()
    assert printed == ""  # no banner of WeasyPrint's: the one line is all
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err == (
        f"annotator: error: {out}: cannot print a PDF: libpango-1.0-0 is missing; {NEEDS}\n"
    )
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(EXPORT_SUFFIX)]


@needs_pdf_printer
def test_the_printer_is_asked_for_nothing_and_refuses_what_it_is_asked(
    sample_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.core.errors import AnnotatorError
    from annotator.io import report_html, report_pdf

    report = service.report(sample_project)
    assert report_pdf.write(report, tmp_path / "r.pdf", "a4") >= 1  # nothing asked: written
    before = (tmp_path / "r.pdf").read_bytes()
    markup = report_html.render(report)
    injected = markup.replace("</h1>", '</h1><img src="file:///etc/passwd">', 1)
    monkeypatch.setattr(report_html, "pieces_for_print", lambda _report: iter([injected]))
    with pytest.raises(AnnotatorError, match="asked for 'file:///etc/passwd'"):
        report_pdf.write(report, tmp_path / "r.pdf", "a4")
    assert (tmp_path / "r.pdf").read_bytes() == before  # the old file stays, whole
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(EXPORT_SUFFIX)]


ARABIC = re.compile("[\u0600-\u06ff]")


@needs_pdf_printer
def test_an_arabic_paragraph_is_laid_out_right_to_left(project: Project, tmp_path: Path) -> None:
    """In a left-to-right report, the Arabic paragraph starts at the right margin and its final
    full stop stands at its left end (WeasyPrint ignores ``unicode-bidi: plaintext``; the
    paragraph's ``dir="rtl"`` does it)."""
    out = report_of(project, ARTICLE, tmp_path / "r.pdf")
    html = pdftotext(out, "-bbox", "-f", "1", "-l", "1")
    words = sorted(
        (float(m.group(1)), float(m.group(2)), m.group(3))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" '
            r'yMax="[\d.]+">([^<]*)</word>',
            html,
        )
        if ARABIC.search(m.group(3))
    )
    assert len(words) == 8, words  # the one line of the paragraph, left to right
    assert "." in words[0][2]  # the paragraph's end, on the left
    right_margin = 595.28 - 16 / 25.4 * 72  # A4, the report's 16 mm side margin
    assert abs(words[-1][1] - right_margin) < 1  # its start, on the right
