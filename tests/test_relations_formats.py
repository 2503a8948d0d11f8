"""Relations in files: the native JSON version 2 (exact round trip, schema, refusals naming the
document and the relation, version 1 still read) and label sets carrying relation types."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from annotator.cli import main
from annotator.core.labels import DEFAULT_RELATION_TYPES, RelationTypeDef
from annotator.io import labelset, native_json
from annotator.resources_path import PROJECT_SCHEMA, resource
from annotator.service import Outcome, import_file
from annotator.store import codebook
from annotator.store.project import Project

from .test_native_json import export_text, write_json

TEXT = "The ministry said: 'Cambodia improved.' Cambodia improved a lot, it claimed."


@pytest.fixture
def related(project: Project) -> Project:
    doc = project.import_bundle(
        native_json.parse_project({"documents": [{"title": "Related", "text": TEXT}]})
    ).added[0]
    codebook.add_relation_type(
        project,
        RelationTypeDef(
            "mentions",
            "#aa3355",
            directed=False,
            description="Either names the other",
            attributes=(native_json.AttributeDef("certain", native_json.AttributeKind.BOOLEAN),),
        ),
    )

    def span(label: str, piece: str):
        start = TEXT.index(piece)
        return project.add_annotation(doc.id, label, start, start + len(piece), annotator="ana")

    org = span("Organisation", "The ministry")
    quote = span("Quote", "Cambodia improved.")
    claim = span("Claim", "Cambodia improved a lot")
    project.add_relation(doc.id, "said by", quote.id, org.id, annotator="ana", note="direct")
    project.add_relation(doc.id, "evidence for", quote.id, claim.id)
    project.add_relation(doc.id, "mentions", claim.id, org.id, attributes={"certain": True})
    return project


def schema() -> dict:
    loaded = json.loads(resource(PROJECT_SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def test_version_2_has_relation_types_and_relations_as_specified(related: Project) -> None:
    data = json.loads(export_text(related))
    assert data["version"] == 2
    assert [t["name"] for t in data["relation_types"]] == [
        *(t.name for t in DEFAULT_RELATION_TYPES),
        "mentions",
    ]
    assert list(data["relation_types"][0]) == [
        "name",
        "color",
        "from",
        "to",
        "directed",
        "description",
        "attributes",
    ]
    assert data["relation_types"][0]["from"] == ["Quote"]
    assert data["relation_types"][0]["to"] == ["Organisation"]
    assert data["relation_types"][-1]["directed"] is False
    (document,) = data["documents"]
    ids = {a["id"]: a for a in document["annotations"]}
    relations = document["relations"]
    assert [list(r) for r in relations] == [
        ["id", "type", "from", "to", "attributes", "note", "annotator", "created", "modified"]
    ] * 3
    said = next(r for r in relations if r["type"] == "said by")
    assert ids[said["from"]]["label"] == "Quote" and ids[said["to"]]["label"] == "Organisation"
    assert (said["note"], said["annotator"]) == ("direct", "ana")
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)


def test_export_import_export_is_byte_identical_with_ids_kept(
    related: Project, tmp_path: Path
) -> None:
    first = export_text(related)
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")
    with Project.open(tmp_path / "again.annot") as again:
        outcome = import_file(again, path)
        assert outcome.outcome is Outcome.IMPORTED, outcome.message
        assert export_text(again) == first
        assert {r.id for r in again.relations()} == {r.id for r in related.relations()}


def test_version_1_files_still_import_and_pass_the_schema(project: Project, tmp_path: Path) -> None:
    data = {
        "format": "annotator-project",
        "version": 1,
        "documents": [{"text": TEXT, "annotations": [{"label": "Quote", "start": 20, "end": 38}]}],
    }
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    outcome = import_file(project, write_json(tmp_path / "v1.json", data))
    assert outcome.outcome is Outcome.IMPORTED, outcome.message
    assert project.relations() == []
    with_relations = copy.deepcopy(data)
    with_relations["relation_types"] = []
    with pytest.raises(jsonschema.ValidationError):  # relations are a version 2 thing
        jsonschema.validate(with_relations, schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["documents"][0]["relations"][0].update({"to": "nowhere"}),
            "relation 1 ('{id}'): 'nowhere' is not the id of an annotation of this document",
        ),
        (
            lambda d: d["documents"][0]["relations"][0].update({"type": "likes"}),
            "relation 1 ('{id}'): its type 'likes' is not defined in 'relation_types'",
        ),
        (
            lambda d: d["documents"][0]["relations"][0].pop("from"),
            "relation 1 ('{id}') needs 'type', 'from' and 'to'",
        ),
        (
            lambda d: d["relation_types"][0].update({"color": "red"}),
            "relation type 1 ('said by'): colour 'red' is not of the form #rrggbb",
        ),
    ],
)
def test_a_bad_relation_refuses_the_whole_file_naming_document_and_relation(
    related: Project, tmp_path: Path, change, message: str
) -> None:
    data = json.loads(export_text(related))
    first = data["documents"][0]["relations"][0]["id"]
    change(data)
    path = write_json(tmp_path / "bad.json", data)
    with Project.open(tmp_path / "fresh.annot") as fresh:
        outcome = import_file(fresh, path)
        assert outcome.outcome is Outcome.ERROR
        assert outcome.message.startswith(f"{path}: ")
        assert message.format(id=first) in outcome.message
        if "relation type" not in message:
            assert "document 1 ('Related')" in outcome.message
        assert fresh.documents() == [] and fresh.relations() == []


def test_label_sets_carry_relation_types(related: Project, tmp_path: Path, capsys) -> None:
    out = tmp_path / "labels.json"
    assert main(["labels", str(related.path), "--export", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [t["name"] for t in data["relation_types"]][-1] == "mentions"
    labels, relation_types = labelset.read_codebook(out)
    assert relation_types == related.relation_types()
    target = tmp_path / "other.annot"
    with Project.open(target) as other:
        codebook.delete_relation_type(other, "evidence against")
        other.import_bundle(
            native_json.parse_project({"documents": [{"title": "x", "text": "Some text."}]})
        )
    assert main(["labels", str(target), "--import", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "evidence against" in printed and "mentions" in printed
    with Project.open(target) as other:
        assert [t.name for t in other.relation_types()] == [
            "said by",
            "evidence for",
            "evidence against",
            "mentions",
        ]


# -- other tools' formats ----------------------------------------------------------------------


def ends(project: Project) -> set[tuple[str, str, str, str, str]]:
    """Each relation as (type, source label, source text, target label, target text)."""
    spans = {a.id: a for a in project.annotations()}
    return {
        (
            r.type,
            spans[r.source_id].label,
            spans[r.source_id].text,
            spans[r.target_id].label,
            spans[r.target_id].text,
        )
        for r in project.relations()
    }


def test_brat_writes_r_lines_and_relation_types_an_independent_reader_accepts(
    related: Project, tmp_path: Path
) -> None:
    from bioc import brat as bioc_brat
    from bioc.brat.validator import validate

    from .helpers.interchange import export

    target = tmp_path / "brat"
    export(related, "brat", target)
    (ann,) = target.glob("*.ann")
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    doc = bioc_brat.loads(text, ann.read_text(encoding="utf-8"), ann.stem)
    problems: list[str] = []
    validate(doc, onerror=problems.append)
    assert problems == []
    entities = {e.id: e for e in doc.entities}
    got = {
        (r.type, entities[r.arguments["Arg1"]].text, entities[r.arguments["Arg2"]].text)
        for r in doc.relations
    }
    assert got == {
        ("said_by", "Cambodia improved.", "The ministry"),
        ("evidence_for", "Cambodia improved.", "Cambodia improved a lot"),
        ("mentions", "Cambodia improved a lot", "The ministry"),
    }
    notes = {(n.type, n.refid): n.text for n in doc.notes}
    said = next(r for r in doc.relations if r.type == "said_by")
    assert notes[("AnnotatorNotes", said.id)] == "direct"
    conf = (target / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]\n")[1].split("[events]")[0].splitlines()
    assert "said_by\tArg1:Quote, Arg2:Organisation" in relations
    assert "evidence_against\tArg1:Quote, Arg2:Claim" in relations  # declared though unused
    assert "mentions\tArg1:<ENTITY>, Arg2:<ENTITY>" in relations
    visual = (target / "visual.conf").read_text(encoding="utf-8")
    assert "said_by | said by" in visual and "said_by\tcolor:#4a90e2" in visual


def test_brat_relations_come_back_with_their_types(related: Project, tmp_path: Path) -> None:
    from .helpers.interchange import round_trip

    with round_trip(related, "brat", tmp_path / "brat", tmp_path) as copy:
        assert ends(copy) == ends(related)
        said = next(r for r in copy.relations() if r.type == "said by")
        assert said.note == "direct"
        types = {t.name: t for t in copy.relation_types()}
        assert (types["said by"].sources, types["said by"].targets) == (
            ("Quote",),
            ("Organisation",),
        )


def test_a_brat_relation_to_a_missing_span_refuses_the_file(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("Ann said hello.", encoding="utf-8")
    (tmp_path / "a.ann").write_text(
        "T1\tPerson 0 3\tAnn\nR1\tsaid_by Arg1:T2 Arg2:T1\n", encoding="utf-8"
    )
    outcome = import_file(project, tmp_path / "a.ann")
    assert outcome.outcome is Outcome.ERROR
    assert "relation R1 (said_by) joins T2, which is not a text-bound annotation" in (
        outcome.message
    )
    assert project.documents() == []


def test_label_studio_relation_results_out_and_in(related: Project, tmp_path: Path) -> None:
    from .helpers.interchange import export, round_trip

    target = tmp_path / "tasks.json"
    export(related, "labelstudio", target)
    (task,) = json.loads(target.read_text(encoding="utf-8"))
    result = task["annotations"][0]["result"]
    regions = {r["id"]: r["value"]["text"] for r in result if r["type"] == "labels"}
    relations = [r for r in result if r["type"] == "relation"]
    assert {
        (regions[r["from_id"]], regions[r["to_id"]], r["direction"], tuple(r["labels"]))
        for r in relations
    } == {
        ("Cambodia improved.", "The ministry", "right", ("said by",)),
        ("Cambodia improved.", "Cambodia improved a lot", "right", ("evidence for",)),
        ("Cambodia improved a lot", "The ministry", "bi", ("mentions",)),
    }
    config = target.with_name("tasks.labeling-config.xml").read_text(encoding="utf-8")
    assert '<Relation value="said by"' in config
    with round_trip(related, "labelstudio", tmp_path / "again.json", tmp_path) as copy:
        assert ends(copy) == ends(related)


def test_a_label_studio_bi_relation_keeps_its_ends_and_its_type_comes_back_undirected(
    related: Project, tmp_path: Path
) -> None:
    from .helpers.interchange import round_trip

    with round_trip(related, "labelstudio", tmp_path / "tasks.json", tmp_path) as copy:
        assert ends(copy) == ends(related)  # from/to of a "bi" result stay source/target
        directed = {t.name: t.directed for t in copy.relation_types()}
        assert directed["mentions"] is False  # exported as "bi", so undirected again
        assert directed["said by"] is True


def test_label_studio_left_relations_are_turned_round_and_a_lost_region_refuses(
    project: Project, tmp_path: Path
) -> None:
    def region(id: str, start: int, end: int, label: str) -> dict:
        value = {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}
        return {"id": id, "from_name": "label", "to_name": "text", "type": "labels", "value": value}

    result = [
        region("a", 0, 12, "Organisation"),
        region("b", 20, 38, "Quote"),
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left", "labels": []},
    ]
    path = write_json(
        tmp_path / "ls.json", [{"data": {"text": TEXT}, "annotations": [{"result": result}]}]
    )
    assert import_file(project, path).outcome is Outcome.IMPORTED
    assert ends(project) == {("related", "Quote", TEXT[20:38], "Organisation", "The ministry")}
    result[2]["to_id"] = "zz"
    bad = write_json(
        tmp_path / "bad.json", [{"data": {"text": TEXT + " "}, "annotations": [{"result": result}]}]
    )
    outcome = import_file(project, bad)
    assert outcome.outcome is Outcome.ERROR
    assert "a relation's to_id 'zz' is not a labelled region of the same result" in outcome.message


def test_doccano_relation_extraction_jsonl_out_and_in(related: Project, tmp_path: Path) -> None:
    from .helpers.interchange import export, round_trip

    target = tmp_path / "doccano.jsonl"
    export(related, "doccano", target)
    (line,) = target.read_text(encoding="utf-8-sig").splitlines()
    data = json.loads(line)
    assert "label" not in data
    entities = {e["id"]: e for e in data["entities"]}
    assert set(entities[1]) == {"id", "label", "start_offset", "end_offset"}
    named = {
        (r["type"], entities[r["from_id"]]["label"], entities[r["to_id"]]["label"])
        for r in data["relations"]
    }
    assert named == {
        ("said by", "Quote", "Organisation"),
        ("evidence for", "Quote", "Claim"),
        ("mentions", "Claim", "Organisation"),
    }
    with round_trip(related, "doccano", tmp_path / "again.jsonl", tmp_path) as copy:
        assert ends(copy) == ends(related)


def test_doccano_without_relations_keeps_the_label_form(project: Project, tmp_path: Path) -> None:
    from .helpers.interchange import export

    project.import_bundle(native_json.parse_project({"documents": [{"text": TEXT}]}))
    target = tmp_path / "plain.jsonl"
    export(project, "doccano", target)
    assert "label" in json.loads(target.read_text(encoding="utf-8-sig"))


def test_a_doccano_relation_to_an_unknown_entity_refuses_the_file(
    project: Project, tmp_path: Path
) -> None:
    line = {
        "text": TEXT,
        "entities": [{"id": 7, "label": "Quote", "start_offset": 20, "end_offset": 38}],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "said by"}],
    }
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    outcome = import_file(project, path)
    assert outcome.outcome is Outcome.ERROR
    assert "relation 1 (1, said by): to_id 8 is not the id of an entity of this line" in (
        outcome.message
    )
    assert project.documents() == []


def test_w3c_relations_are_linking_annotations_passing_the_must_schemas(
    related: Project, tmp_path: Path, shared_dir: Path
) -> None:
    from .helpers.interchange import export
    from .test_interchange_linked_data import _w3c_validators

    target = tmp_path / "out.jsonld"
    export(related, "w3c", target)
    items = json.loads(target.read_text(encoding="utf-8"))["first"]["items"]
    spans = {i["id"]: i for i in items if "motivation" not in i}
    links = [i for i in items if i.get("motivation") == "linking"]
    assert len(spans) == 3 and len(links) == 3
    validators = _w3c_validators(shared_dir)
    for item in links:
        for assertion, validator, expected in validators:
            errors = list(validator.iter_errors(item))  # type: ignore[attr-defined]
            assert (not errors) == (expected == "valid"), (assertion, item["id"], errors[:1])
    said = next(i for i in links if i["body"][0]["value"] == "said by")
    source, target_id = said["target"]
    assert spans[source]["target"]["selector"][0]["exact"] == "Cambodia improved."
    assert spans[target_id]["target"]["selector"][0]["exact"] == "The ministry"
    bodies = [(b["purpose"], b["value"]) for b in said["body"]]
    assert ("describing", f"from: {source}") in bodies and ("commenting", "direct") in bodies
    assert said["creator"] == {"type": "Person", "name": "ana"}


def test_refi_qda_links_between_selections_validate_and_come_back(
    related: Project, tmp_path: Path, shared_dir: Path
) -> None:
    import zipfile

    from lxml import etree

    from .helpers.interchange import export, round_trip

    target = tmp_path / "out.qdpx"
    export(related, "qdpx", target)
    schema = etree.XMLSchema(
        etree.parse(str(shared_dir / "schemas" / "refi-qda" / "Project-mrt2019.xsd"))
    )
    with zipfile.ZipFile(target) as archive:
        project = etree.fromstring(archive.read("project.qde"))
    schema.assertValid(project)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    names = {s.get("guid"): s.get("name") for s in project.iterfind(".//q:PlainTextSelection", ns)}
    links = {
        (link.get("name"), names[link.get("originGUID")], names[link.get("targetGUID")])
        for link in project.iterfind(".//q:Links/q:Link", ns)
    }
    assert links == {
        ("said by", "Cambodia improved.", "The ministry"),
        ("evidence for", "Cambodia improved.", "Cambodia improved a lot"),
        ("mentions", "Cambodia improved a lot", "The ministry"),
    }
    directions = {k.get("name"): k.get("direction") for k in project.iterfind(".//q:Link", ns)}
    assert directions["mentions"] == "Associative" and directions["said by"] == "OneWay"
    with round_trip(related, "qdpx", tmp_path / "again.qdpx", tmp_path) as copy:
        assert ends(copy) == ends(related)


# -- what a relation carries besides its ends: attributes, annotator, note (issue 25, item 10) ----


def carried(project: Project) -> set[tuple[str, str, str, str, str, str]]:
    """Each relation as (type, source text, target text, attributes as JSON, note, annotator)."""
    spans = {a.id: a for a in project.annotations()}
    return {
        (
            r.type,
            spans[r.source_id].text,
            spans[r.target_id].text,
            json.dumps(r.attributes, sort_keys=True),
            r.note,
            r.annotator,
        )
        for r in project.relations()
    }


def test_brat_carries_relation_attributes_annotators_and_notes(
    related: Project, tmp_path: Path
) -> None:
    from bioc import brat as bioc_brat
    from bioc.brat.validator import validate

    from .helpers.interchange import export, round_trip

    target = tmp_path / "brat"
    report = export(related, "brat", target)
    (ann,) = target.glob("*.ann")
    doc = bioc_brat.loads(
        ann.with_suffix(".txt").read_text(encoding="utf-8"),
        ann.read_text(encoding="utf-8"),
        ann.stem,
    )
    problems: list[str] = []
    validate(doc, onerror=problems.append)
    assert problems == []
    by_type = {r.type: r.id for r in doc.relations}
    attributes = {(a.type, a.refid): a.attributes for a in doc.attributes}
    assert attributes[("certain", by_type["mentions"])] == {"true"}
    notes = {(n.type, n.refid): n.text for n in doc.notes}
    assert notes[("Annotator", by_type["said_by"])] == "ana"
    assert notes[("AnnotatorNotes", by_type["said_by"])] == "direct"
    conf = (target / "annotation.conf").read_text(encoding="utf-8")
    assert "certain\tArg:<RELATION>, Value:true|false" in conf.split("[attributes]\n")[1]
    assert not [note for note in report.notes if "relation" in note]  # nothing was dropped
    with round_trip(related, "brat", tmp_path / "again", tmp_path) as copy:
        assert carried(copy) == carried(related)


def test_label_studio_carries_relation_attributes_annotators_and_notes_in_meta(
    related: Project, tmp_path: Path
) -> None:
    from .helpers.interchange import export, round_trip

    target = tmp_path / "tasks.json"
    report = export(related, "labelstudio", target)
    (task,) = json.loads(target.read_text(encoding="utf-8"))
    relations = {
        r["labels"][0]: r for r in task["annotations"][0]["result"] if r["type"] == "relation"
    }
    assert relations["said by"]["meta"] == {"text": ["direct"], "annotator": "ana"}
    assert relations["mentions"]["meta"] == {"attributes": {"certain": True}}
    assert "meta" not in relations["evidence for"]
    # Label Studio's editor keeps from_id, to_id, direction and labels of a relation only:
    # the user hears that saving a task there drops the rest
    assert (
        "2 relations' notes, attributes or annotators are in the relation results' meta: "
        "Label Studio does not show them and drops them when a person saves the task"
    ) in report.notes
    with round_trip(related, "labelstudio", tmp_path / "again.json", tmp_path) as copy:
        assert carried(copy) == carried(related)
