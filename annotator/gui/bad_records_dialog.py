"""The question asked when an import refused files for bad records: import the rest of them?"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.service import ImportOutcome

IMPORT_THE_REST = "Import the rest"


def ask_to_import_the_rest(
    window: QWidget,
    refused: list[ImportOutcome],
    others: list[str],
    imported: int,
    import_the_rest: Callable[[list[Path]], None],
) -> QMessageBox:
    """Name each refused file and its first bad record; "Import the rest" calls
    ``import_the_rest`` with their paths, Cancel leaves them out. ``others``: the import's other
    problems, shown below."""
    names = ", ".join(o.path.name for o in refused[:3]) + ("…" if len(refused) > 3 else "")
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Import",
        f"{names} {'was' if len(refused) == 1 else 'were'} not imported: a record in "
        f"{'it' if len(refused) == 1 else 'each'} is bad.",
        parent=window,
    )
    reasons = [f"{o.path.name}: {o.message.removeprefix(f'{o.path}: ')}" for o in refused]
    done = f"{_documents(imported)} imported. " if imported else ""
    box.setInformativeText(
        "\n".join(reasons[:4] + others[:4])
        + f"\n\n{done}{IMPORT_THE_REST} to leave the bad records out and import everything "
        f"else, or Cancel to import nothing of {'it' if len(refused) == 1 else 'them'}."
    )
    box.setDetailedText("\n".join(reasons + others))
    rest = box.addButton(IMPORT_THE_REST, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(rest)
    paths = [o.path for o in refused]
    rest.clicked.connect(lambda: import_the_rest(paths))
    box.open()
    return box


def _documents(n: int) -> str:
    return "1 document" if n == 1 else f"{n} documents"
