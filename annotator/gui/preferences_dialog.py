"""Edit → Preferences…: the person's name, which stamps every annotation they make.

The same dialog asks for the name on first launch (:func:`ask_name_on_first_launch`).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

NAME_KEY = "annotator/name"


class PreferencesDialog(QDialog):
    def __init__(
        self, settings: QSettings, parent: QWidget | None = None, first_launch: bool = False
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Welcome to Annotator" if first_launch else "Preferences")
        intro = QLabel(
            ("What name should your annotations carry? " if first_launch else "")
            + "Your name is stored with every annotation you make, so that a team's copies can "
            "be merged, compared (Team → Agreement) and adjudicated. You edit only your own "
            "layer; other people's annotations are read-only for you."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(str(settings.value(NAME_KEY, "") or ""))
        self.name.setPlaceholderText("e.g. Dara")
        self.name.textChanged.connect(self._check)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        if first_launch:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Later")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow("Your name", self.name)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self._check()
        self.resize(460, self.sizeHint().height())

    def _problem(self) -> str:
        name = self.name.text().strip()
        if not name:
            return "Enter a name (a short one is fine: it shows in the layer bar)."
        if len(name) > 80:
            return "A name of at most 80 characters, please."
        if any(not ch.isprintable() for ch in name) or "," in name:
            return "A name without commas or control characters, please."
        return ""

    def _check(self) -> None:
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)

    def save(self) -> None:
        if self._problem():
            return
        self.settings.setValue(NAME_KEY, self.name.text().strip())
        self.accept()


def ask_name_on_first_launch(settings: QSettings, parent: QWidget | None = None) -> bool:
    """Ask for the person's name when none is set (each launch until one is: "Later" means
    later); True when one was saved."""
    if settings.value(NAME_KEY, ""):
        return False
    dialog = PreferencesDialog(settings, parent, first_launch=True)
    return dialog.exec() == QDialog.DialogCode.Accepted
