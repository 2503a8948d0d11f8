"""Label Studio's labelling config (XML), made from the codebook.

Label Studio keeps a region's attributes only when its project's config has a per-region control
of the same name; with ``<Labels>`` alone they are dropped when a person saves the task. This
writes the config that matches the ``labelstudio`` export:

- ``<Labels name="label" toName="text">`` with one ``<Label>`` per label (its colour as
  ``background``, its shortcut as ``hotkey``) over ``<Text name="text" value="$text"/>``;
- per attribute one per-region control named as the attribute, in a ``<View>`` shown when a
  region of a label that has the attribute is selected (``visibleWhen="region-selected"``,
  ``whenTagName="label"``, ``whenLabelValue`` = those labels): ``<Choices>`` for choice
  attributes (``<Choice>`` per value), ``<Choices>`` with ``true``/``false`` for yes/no,
  ``<Number>`` for numbers, ``<TextArea>`` for text. An attribute name used by several labels is
  one control; its kind is the first label's. When one of those labels has a comma in its name
  (which ``whenLabelValue`` cannot hold) the control shows for every selected region.

Paste it in Label Studio under Project → Settings → Labeling Interface → Code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from annotator.core.errors import AnnotatorError
from annotator.core.labels import AttributeDef, LabelDef, RelationTypeDef, first_bad_name
from annotator.io.files import atomic_text_writer

# Control names the config itself uses: an attribute of that name gets a prefix.
RESERVED = {"label", "text"}
SUFFIX = ".labeling-config.xml"


def control_name(attribute: str) -> str:
    return f"attribute_{attribute}" if attribute in RESERVED else attribute


def companion_path(target: Path) -> Path:
    """``tasks.json`` -> ``tasks.labeling-config.xml``, beside it."""
    return target.with_name(target.stem + SUFFIX if target.suffix else target.name + SUFFIX)


def _control(view: etree._Element, attribute: AttributeDef, labels: list[str]) -> None:
    when = {"visibleWhen": "region-selected"}
    if not any("," in label for label in labels):  # Label Studio splits the list at commas
        when.update(whenTagName="label", whenLabelValue=",".join(labels))
    box = etree.SubElement(view, "View", **when)
    etree.SubElement(box, "Header", value=attribute.name, size="6")
    name = control_name(attribute.name)
    region = {"toName": "text", "perRegion": "true"}
    if attribute.kind in ("choice", "boolean"):
        choices = etree.SubElement(
            box, "Choices", name=name, choice="single", showInline="true", **region
        )
        values = attribute.choices if attribute.kind == "choice" else ("true", "false")
        for value in values:
            etree.SubElement(choices, "Choice", value=value)
    elif attribute.kind == "number":
        etree.SubElement(box, "Number", name=name, **region)
    else:
        etree.SubElement(
            box, "TextArea", name=name, editable="true", maxSubmissions="1", rows="1", **region
        )


def config(labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()) -> str:
    # a name another program wrote into the project (XML cannot hold most control characters)
    if (bad := first_bad_name(labels, relation_types)) is not None:
        raise AnnotatorError(None, f"{bad}: rename it in the codebook first")
    view = etree.Element("View")
    if relation_types:  # Label Studio's relation labels: <Relations> before the text
        relations = etree.SubElement(view, "Relations")
        for relation_type in relation_types:
            etree.SubElement(
                relations, "Relation", value=relation_type.name, background=relation_type.color
            )
    tags = etree.SubElement(view, "Labels", name="label", toName="text")
    for label in labels:
        extra = {"hotkey": label.shortcut} if label.shortcut else {}
        etree.SubElement(tags, "Label", value=label.name, background=label.color, **extra)
    etree.SubElement(view, "Text", name="text", value="$text")
    attributes: dict[str, tuple[AttributeDef, list[str]]] = {}
    for label in labels:
        for attribute in label.attributes:
            attributes.setdefault(attribute.name, (attribute, []))[1].append(label.name)
    for attribute, owners in attributes.values():
        _control(view, attribute, owners)
    return etree.tostring(view, encoding="unicode", pretty_print=True)


def write(
    path: Path, labels: Sequence[LabelDef], relation_types: Sequence[RelationTypeDef] = ()
) -> None:
    with atomic_text_writer(path) as out:
        out.write(config(labels, relation_types))
