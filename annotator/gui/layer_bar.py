"""The layer bar: which annotators' layers the reader shows, and whether each has its own colour.

Shown when the project holds more than one layer (e.g. after File → Merge Projects…). "All"
shows every layer; each layer's button toggles it; "Colour by layer" underlines each layer's
spans in the layer's colour (dashed), and words on which several layers have spans with a wave.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

from annotator.gui.changes import Changes
from annotator.gui.context import AppContext
from annotator.gui.formatting import swatch

# distinct from one another and readable as underlines on a light or dark page
LAYER_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
)
UNNAMED = "(no name)"


def layer_title(name: str) -> str:
    return name or UNNAMED


class LayerBar(QToolBar):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, layers: list[str] | None = None
    ) -> None:
        """``layers``: the project's layer names, when already read (a first look); else the
        bar reads them."""
        super().__init__("Layers", parent)
        self.ctx = ctx
        self.setObjectName("layer-bar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.layers: list[str] = []
        # False until the first show_layers decides whether the bar shows (not on a first run:
        # no layers yet)
        self._shown_once = False
        self.buttons: dict[str, QToolButton] = {}
        self._layer_actions: list[QAction] = []
        self.all_button = QToolButton(self, text="All layers", checkable=True, checked=True)
        self.all_button.setToolTip("Show every annotator's layer")
        self.all_button.clicked.connect(self.show_all)
        self.colour_button = QToolButton(self, text="Colour by layer", checkable=True)
        self.colour_button.setToolTip(
            "Underline each layer's spans in the layer's colour "
            "(dashed); a wave where several layers mark the same words"
        )
        self.colour_button.toggled.connect(self._colour_toggled)
        # added once: the layers' buttons come and go between them (a clear() would take these
        # two out of the bar for good, hidden)
        self.addWidget(self.all_button)
        self._before_colour = self.addSeparator()
        self.addWidget(self.colour_button)
        ctx.events.changed.connect(self._changed)
        if layers is None:
            self.reload()
        else:
            self.show_layers(layers)

    def colors(self) -> dict[str, str]:
        """Each layer's colour, by its place in the sorted list of layers."""
        return {name: LAYER_COLORS[i % len(LAYER_COLORS)] for i, name in enumerate(self.layers)}

    def reload(self) -> None:
        from annotator import service  # the store: not imported before the project is open

        self.show_layers(service.layer_names(self.ctx.project))

    def show_layers(self, layer_names: list[str]) -> None:
        """A button for each of these layers (and the person's own)."""
        names = set(layer_names)
        if self.ctx.annotator_name:
            names.add(self.ctx.annotator_name)
        layers = sorted(names)
        if layers == self.layers and self._shown_once:
            return
        self.layers, self._shown_once = layers, True
        for action in self._layer_actions:
            self.removeAction(action)
            action.deleteLater()  # and its button with it
        self._layer_actions.clear()
        self.buttons.clear()
        colors = self.colors()
        for name in layers:
            mine = " (you)" if name and name == self.ctx.annotator_name else ""
            button = QToolButton(self, text=layer_title(name) + mine, checkable=True)
            button.setIcon(swatch(colors[name]))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"Show or hide {layer_title(name)}'s annotations")
            button.setChecked(self.ctx.visible_layers is None or name in self.ctx.visible_layers)
            button.clicked.connect(self._layer_toggled)
            self._layer_actions.append(self.insertWidget(self._before_colour, button))
            self.buttons[name] = button
        self.setVisible(len(layers) > 1)
        if self.ctx.colour_by_layer:  # each layer's colour follows its place: repaint
            self.ctx.publish(Changes(layers=True))

    def _changed(self, changes: Changes) -> None:
        if changes.documents:
            self.reload()
        elif new := {a.annotator for a in changes.added} - set(self.buttons):
            # a first annotation in a layer: it is known from the edit, without a read of every
            # annotation of the project
            self.show_layers([*self.layers, *new])

    def show_all(self) -> None:
        self.set_visible_layers(None)

    def set_visible_layers(self, layers: frozenset[str] | None) -> None:
        """Show these layers (None: all) and tell the reader."""
        self.ctx.visible_layers = layers
        self.all_button.setChecked(layers is None)
        for name, button in self.buttons.items():
            button.setChecked(layers is None or name in layers)
        self.ctx.publish(Changes(layers=True))

    def _layer_toggled(self) -> None:
        chosen = frozenset(name for name, b in self.buttons.items() if b.isChecked())
        self.set_visible_layers(None if chosen == set(self.buttons) else chosen)

    def _colour_toggled(self, on: bool) -> None:
        self.ctx.colour_by_layer = on
        self.ctx.publish(Changes(layers=True))
