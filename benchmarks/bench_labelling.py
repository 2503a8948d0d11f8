"""Labelling the sample article's 43 spans through the widgets, as a person would: how many
actions each span takes with the default settings (issue 14).

- mouse: one drag over the span's characters (QTest on the reader's viewport) and its label
  key; an action more for every extra drag or key needed until the stored span is right
  (quotes keep their quotation marks: the target is 2 for every span);
- keyboard: for the sentence- and clause-long claims, the caret is put at the claim (one click,
  not counted) and the keys are counted: Alt+S (the sentence at the caret) or Alt+. (to the
  next clause or sentence boundary) as often as needed, then the label key (target: 3).

The baseline is the least any tool needs: one gesture and one key (2).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest

from annotator.core.boundaries import sentence_at
from annotator.core.snapping import snap
from annotator.gui.main_window import MainWindow
from annotator.resources_path import SAMPLE_ARTICLE, resource
from annotator.service import import_file
from annotator.store.project import Project
from benchmarks.generate import Size
from benchmarks.harness import Workspace, discard, open_window, qt_app
from benchmarks.rows import Row, Scenario, Target, median

KEYS = {"Claim": "1", "Quote": "2", "Organisation": "3", "Tier rating": "4"}
MAX_TRIES = 4

# (label, exact text, occurrence): the spans a fact-checker marks in the sample article
GOLD: list[tuple[str, str, int]] = [
    (
        "Claim",
        "The US State Department has bumped Cambodia up to Tier 2 in its annual report "
        "on human trafficking",
        0,
    ),
    ("Claim", "Cambodia will not be subject to sanctions imposed by the US", 0),
    (
        "Claim",
        "Other countries escaping that bottom rank are Russia, Indonesia, Saudi Arabia, "
        "Qatar, Lebanon and Tajikistan",
        0,
    ),
    (
        "Claim",
        "All other Asean member states are also Tier 2, except for Singapore, which was "
        "not listed, and Burma, which remains in Tier 3",
        0,
    ),
    ("Claim", "a corrupt judiciary and a backed-up caseload also hinder prosecution", 0),
    (
        "Claim",
        "The investigations of Washington-based IJM led to the rescue of 14 Vietnamese "
        "girls last June and 37 girls, some as young as 5, in March",
        0,
    ),
    (
        "Claim",
        "the 14 Vietnamese girls were taken from a shelter by police who arrested them on "
        "immigration charges",
        0,
    ),
    ("Claim", "Cambodia has had many arrests, convictions and sentences of traffickers", 0),
    (
        "Claim",
        "the Interior Ministry should prosecute and not simply demote police officials "
        "involved in trafficking",
        0,
    ),
    ("Claim", "the traffickers her organization has seen jailed have mostly been low-ranking", 0),
    ("Claim", "he had not yet seen the report and therefore could not comment", 0),
    (
        "Quote",
        "“Cambodia does not fully comply with the minimum standards for the elimination "
        "of trafficking; however it is making significant efforts to do so.”",
        0,
    ),
    ("Quote", "“comprehensive”", 0),
    (
        "Quote",
        "“The government needs to take aggressive steps to address the involvement of "
        "public officials and their families in trafficking.“",
        0,
    ),
    ("Quote", "“being taken out of these shelters and retrafficked.”", 0),
    (
        "Quote",
        "“Without going through all the details on prevention and protection and "
        "prosecution, I will just say that in the last several months, working with our embassy, "
        "working with people in our office, working with international organizations and working "
        "with leading nongovernmental organization, International Justice Mission, Cambodia has "
        "had many arrests, convictions and sentences of traffickers. The government has shown a "
        "significant effort in the area of prostitution that was not there. We hope that will "
        "continue,”",
        0,
    ),
    ("Quote", "“good news.”", 0),
    (
        "Quote",
        "“I agree that Cambodia [does] not have a law on trafficking, but the government "
        "has tried lots of things,”",
        0,
    ),
    ("Quote", "“They have commitment, but they need to move faster,”", 0),
    ("Quote", "“keep up pressure on the country.”", 0),
    ("Quote", "“Tier 3 was a warning, and we took the warning seriously,”", 0),
    ("Quote", "“We still have to accomplish more than this to stay in Tier 2…and we will.”", 0),
    (
        "Quote",
        "“We are unsure if [what the State Department considers] progress will lead to a "
        "positive outcome at this point.”",
        0,
    ),
    ("Organisation", "US State Department", 0),
    ("Organisation", "State Department", 1),
    ("Organisation", "Asean", 0),
    ("Organisation", "Ministry of Women’s and Veterans’ Affairs", 0),
    ("Organisation", "Ministry of Labor and Social Affairs", 0),
    ("Organisation", "Ministry of Tourism", 0),
    ("Organisation", "Office to Monitor and Combat Trafficking in Persons", 0),
    ("Organisation", "International Justice Mission", 0),
    ("Organisation", "IJM", 0),
    ("Organisation", "Cambodian Women’s Crisis Center", 0),
    ("Organisation", "Ministry of Labor and Social Affairs", 1),
    ("Organisation", "Afesip", 0),
    ("Organisation", "Interior Ministry", 0),
    ("Organisation", "Licadho", 0),
    ("Tier rating", "Tier 2", 0),
    ("Tier rating", "Tier 3", 0),
    ("Tier rating", "Tier 2", 1),
    ("Tier rating", "Tier 3", 1),
    ("Tier rating", "Tier 3", 2),
    ("Tier rating", "Tier 2", 2),
]


def locate(text: str, phrase: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def point_at(window: MainWindow, index: int) -> QPoint:
    reader = window.reader
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.offsets.to_utf16(index))
    rect = reader.cursorRect(cursor)
    if not reader.viewport().rect().contains(rect.center()):
        reader.setTextCursor(cursor)
        reader.centerCursor()
        qt_app().processEvents()
        rect = reader.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def drag(window: MainWindow, start: int, end: int) -> None:
    viewport = window.reader.viewport()
    point_at(window, start)
    last = point_at(window, end)
    first = point_at(window, start)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewport, left, none, first)
    QTest.mouseMove(viewport, last)
    QTest.mouseRelease(viewport, left, none, last)


def stored(window: MainWindow, label: str, span: tuple[int, int]) -> bool:
    return any(
        (a.label, a.start, a.end) == (label, *span)
        for a in window.ctx.project.annotations(window.reader.document_id)
    )


def by_mouse(window: MainWindow) -> list[tuple[str, int]]:
    """(label, actions) per gold span: drag + key, repeated until the span is stored."""
    text = window.reader.text
    results = []
    for label, phrase, occurrence in GOLD:
        span = locate(text, phrase, occurrence)
        actions = 0
        while actions < 2 * MAX_TRIES and not stored(window, label, span):
            drag(window, *span)
            QTest.keyClick(window.reader, KEYS[label])
            actions += 2
        results.append((label, actions if stored(window, label, span) else 99))
    return results


def by_keyboard(window: MainWindow) -> list[int]:
    """Keys per sentence- or clause-long claim, the caret put at its start."""
    text = window.reader.text
    keys_needed = []
    for label, phrase, occurrence in GOLD:
        span = locate(text, phrase, occurrence)
        if label != "Claim" or len(phrase.split()) < 8:
            continue
        for annotation in window.ctx.project.annotations(window.reader.document_id):
            if (annotation.start, annotation.end) == span:
                window.ctx.project.delete_annotations([annotation.id])
        window.show_document(window.reader.document_id, force=True)
        QTest.mouseClick(
            window.reader.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            point_at(window, span[0]),
        )
        keys = 0
        alt = Qt.KeyboardModifier.AltModifier
        sentence = sentence_at(text, span[0])
        if sentence is not None and snap(text, *sentence) == span:
            QTest.keyClick(window.reader, Qt.Key.Key_S, alt)  # the whole sentence
            keys += 1
        else:
            while keys < MAX_TRIES:
                QTest.keyClick(window.reader, Qt.Key.Key_Period, alt)  # to the next boundary
                keys += 1
                selected = window.reader.selected_range()
                snapped = snap(text, *selected) if selected else None
                if snapped is not None and snapped[1] >= span[1]:
                    break
        QTest.keyClick(window.reader, KEYS[label])
        keys += 1
        keys_needed.append(keys if stored(window, label, span) else 99)
    return keys_needed


def run(ws: Workspace, size: Size, repeat: int) -> list[Row]:
    path = ws.fresh_dir("labelling") / "sample.annot"
    with Project.open(path) as project:
        import_file(project, resource(SAMPLE_ARTICLE))
        window = open_window(project, ws.settings())
        try:
            window.activateWindow()
            window.reader.setFocus()
            mouse = by_mouse(window)
            keyboard = by_keyboard(window)
        finally:
            discard(window)
    actions = [n for _label, n in mouse]
    quotes = [n for label, n in mouse if label == "Quote"]
    return [
        Row(
            "actions per span, mouse (drag + key), sample article",
            "43 spans",
            1,
            float(max(actions)),
            unit="actions",
            baseline=2.0,
            target=Target(max_value=2),
            note=f"worst span; median {median(actions):g}; quotes worst {max(quotes)}",
        ),
        Row(
            "keys per sentence-long claim, keyboard",
            f"{len(keyboard)} claims",
            1,
            float(max(keyboard)),
            unit="keys",
            baseline=2.0,
            target=Target(max_value=3),
            note=f"worst claim; median {median(keyboard):g}; caret put at the claim first",
        ),
    ]


SCENARIOS = [Scenario("labelling", run, ("small",), 1)]
