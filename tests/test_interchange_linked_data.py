"""The linked-data and QDA exports, checked against the standards' own artefacts in ../shared:
the W3C Web Annotation test schemas, the schema.org context and vocabulary (via pyld and rdflib),
and the REFI-QDA XML schema."""

from __future__ import annotations

import json
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest

from annotator.store.project import Project
from tests.helpers.interchange import build, export


@pytest.fixture
def rich(project: Project) -> Project:
    return build(project)


# -- w3c ---------------------------------------------------------------------------------------


def _w3c_validators(shared: Path) -> list[tuple[str, object, str]]:
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    root = shared / "schemas" / "web-annotation"
    resources = []
    for path in sorted((root / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    registry = Registry().with_resources(resources)
    listing = json.loads((root / "annotations" / "annotationMusts.test").read_text())
    validators = []
    for assertion in listing["assertions"]:
        schema = json.loads((root / assertion).read_text(encoding="utf-8"))
        registry = registry.with_resource(
            schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)
        )
        validator = jsonschema.Draft4Validator(
            schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
        )
        validators.append((assertion, validator, schema.get("expectedResult", "valid")))
    return validators


def test_w3c_annotations_pass_every_must_assertion(
    rich: Project, tmp_path: Path, shared_dir: Path
) -> None:
    target = tmp_path / "out.jsonld"
    export(rich, "w3c", target)
    collection = json.loads(target.read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == len(rich.annotations())
    validators = _w3c_validators(shared_dir)
    assert len(validators) >= 50
    for item in items:
        for assertion, validator, expected in validators:
            errors = list(validator.iter_errors(item))  # type: ignore[attr-defined]
            assert (not errors) == (expected == "valid"), (assertion, item["id"], errors[:1])
    texts = {d.id: rich.document(d.id).text for d in rich.documents()}
    by_text = {a.text: a for a in rich.annotations()}
    for item in items:
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        a = by_text[quote["exact"]]
        text = texts[a.document_id]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        tags = [b["value"] for b in item["body"] if b["purpose"] == "tagging"]
        assert tags == [a.label]
    claim = next(i for i in items if i["target"]["selector"][0]["exact"].startswith("Cambodia"))
    assert claim["target"]["source"] == "https://example.org/cambodia"
    assert claim["creator"] == {"type": "Person", "name": "ana"}
    bodies = {b["purpose"]: b["value"] for b in claim["body"]}
    assert bodies["commenting"] == "checked\nwith the report"
    assert {b["value"] for b in claim["body"] if b["purpose"] == "describing"} == {
        "verdict: mostly true",
        "checkworthy: true",
    }
    local = next(i for i in items if i["target"]["selector"][0]["exact"] == "柬埔寨")
    assert local["target"]["source"].startswith("urn:uuid:")


def _offline_loader(requested: list[str]):  # type: ignore[no-untyped-def]
    """A pyld document loader that serves the Web Annotation context from resources/ and
    refuses every other fetch (the README's "local context" recipe)."""
    from annotator.io.w3c import CONTEXT, local_context

    def loader(url: str, options: object = None) -> dict:
        requested.append(url)
        if url == CONTEXT:
            return {"contextUrl": None, "documentUrl": url, "document": local_context()}
        raise AssertionError(f"unexpected fetch of {url}")

    return loader


def _expand_offline(target: Path, requested: list[str]) -> list:
    from pyld import jsonld

    return jsonld.expand(
        json.loads(target.read_text(encoding="utf-8")),
        {"documentLoader": _offline_loader(requested)},
    )


def test_w3c_expands_offline_with_the_shipped_context(
    rich: Project, tmp_path: Path, no_network: None
) -> None:
    target = tmp_path / "remote.jsonld"
    export(rich, "w3c", target)
    requested: list[str] = []
    expanded = _expand_offline(target, requested)
    assert requested and set(requested) == {"http://www.w3.org/ns/anno.jsonld"}
    oa = "http://www.w3.org/ns/oa#"
    (collection,) = expanded
    assert collection["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
    page = collection["http://www.w3.org/ns/activitystreams#first"][0]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == len(rich.annotations())
    selectors = items[0][f"{oa}hasTarget"][0][f"{oa}hasSelector"]
    assert {s["@type"][0] for s in selectors} == {
        f"{oa}TextQuoteSelector",
        f"{oa}TextPositionSelector",
    }


def test_w3c_embedded_context_expands_with_no_loader_at_all(
    rich: Project, tmp_path: Path, no_network: None
) -> None:
    export(rich, "w3c", tmp_path / "remote.jsonld")
    target = tmp_path / "embedded.jsonld"
    export(rich, "w3c", target, w3c_context="embedded")
    document = json.loads(target.read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert all("@context" not in item for item in document["first"]["items"])
    requested: list[str] = []
    embedded = _expand_offline(target, requested)
    assert requested == []  # nothing fetched, not even from the loader
    remote = _expand_offline(tmp_path / "remote.jsonld", [])

    def without_generated(expanded: list) -> list:  # the collection's timestamp differs
        for node in expanded:
            node.pop("http://purl.org/dc/terms/issued", None)
        return expanded

    assert without_generated(embedded) == without_generated(remote)


def test_the_shipped_context_is_the_web_annotation_context() -> None:
    from annotator.io.w3c import local_context

    document = local_context()
    assert "W3C Software and Document license" in document["dc:rights"]
    context = document["@context"]
    assert context["oa"] == "http://www.w3.org/ns/oa#"
    assert context["TextPositionSelector"] == "oa:TextPositionSelector"
    assert context["items"] == {"@type": "@id", "@id": "as:items", "@container": "@list"}


# -- claimreview -------------------------------------------------------------------------------


@cache
def _schema_org_terms(ttl: Path) -> frozenset[str]:
    import rdflib

    graph = rdflib.Graph()
    graph.parse(ttl, format="turtle")
    return frozenset(str(s) for s in graph.subjects() if str(s).startswith("https://schema.org/"))


def _expanded_terms(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _expanded_terms(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "@type":
                found |= set(item if isinstance(item, list) else [item])
            elif not key.startswith("@"):
                found.add(key)
            found |= _expanded_terms(item)
    return found


def test_claimreview_expands_to_known_schema_org_terms(
    rich: Project, tmp_path: Path, shared_dir: Path
) -> None:
    from pyld import jsonld

    folder = shared_dir / "schemas" / "schemaorg"
    context = json.loads((folder / "schemaorgcontext.jsonld").read_text(encoding="utf-8"))
    requested: list[str] = []

    def loader(url: str, options: object = None) -> dict:
        requested.append(url)
        if re.match(r"https?://schema\.org/?", url):
            return {"contextUrl": None, "documentUrl": url, "document": context}
        raise AssertionError(f"unexpected fetch of {url}")

    target = tmp_path / "out.jsonld"
    report = export(
        rich,
        "claimreview",
        target,
        org_name="Fact Check Cambodia",
        org_url="https://factcheck.example",
        review_url_base="https://fc.example/r/",
    )
    reviews = json.loads(target.read_text(encoding="utf-8"))
    verdicts = sorted(r["reviewRating"]["alternateName"] for r in reviews)
    assert verdicts == ["false", "mostly true", "true"]  # 'unverified' is not a review
    expanded = jsonld.expand(reviews, {"documentLoader": loader})
    assert requested
    known = _schema_org_terms(folder / "schemaorg-current-https.ttl")
    terms = _expanded_terms(expanded)
    unknown = {
        t for t in terms if t.replace("http://schema.org/", "https://schema.org/") not in known
    }
    assert not unknown
    assert "http://schema.org/ClaimReview" in terms and "http://schema.org/reviewRating" in terms
    first = next(r for r in reviews if r["reviewRating"]["alternateName"] == "mostly true")
    assert first["reviewRating"]["ratingValue"] == 4
    assert first["claimReviewed"] == "Cambodia 🇰🇭 moved to Tier 2"
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Kim Sok"}
    assert first["itemReviewed"]["appearance"]["url"] == "https://example.org/cambodia"
    assert first["author"] == {
        "@type": "Organization",
        "name": "Fact Check Cambodia",
        "url": "https://factcheck.example",
    }
    assert first["url"].startswith("https://fc.example/r/cambodia-moved-to-tier-2-")
    again = tmp_path / "again.jsonld"
    export(rich, "claimreview", again, review_url_base="https://fc.example/r/")
    assert [r["url"] for r in json.loads(again.read_text())] == [r["url"] for r in reviews]
    assert not any("organisation" in note for note in report.notes)


def test_claimreview_without_organisation_still_exports_and_says_so(
    rich: Project, tmp_path: Path
) -> None:
    report = export(rich, "claimreview", tmp_path / "out.jsonld")
    assert len(json.loads((tmp_path / "out.jsonld").read_text())) == 3
    assert any("no organisation name" in note for note in report.notes)


# -- qdpx --------------------------------------------------------------------------------------


def test_qdpx_validates_against_the_refi_qda_schema(
    rich: Project, tmp_path: Path, shared_dir: Path
) -> None:
    from lxml import etree

    target = tmp_path / "out.qdpx"
    export(rich, "qdpx", target)
    schema = etree.XMLSchema(
        etree.parse(str(shared_dir / "schemas" / "refi-qda" / "Project-mrt2019.xsd"))
    )
    with zipfile.ZipFile(target) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(project)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        codes = {c.get("guid"): c.get("name") for c in project.iterfind(".//q:Code", ns)}
        users = {u.get("guid"): u.get("name") for u in project.iterfind(".//q:User", ns)}
        assert sorted(users.values()) == ["ana", "bo"]
        seen = 0
        for source in project.iterfind(".//q:TextSource", ns):
            path = source.get("plainTextPath")
            assert path.startswith("internal://")
            text = archive.read(f"sources/{path[len('internal://') :]}").decode("utf-8")
            for selection in source.iterfind("q:PlainTextSelection", ns):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert text[start:end] == selection.get("name")
                label = codes[selection.find("q:Coding/q:CodeRef", ns).get("targetGUID")]
                assert label in {"Claim", "Quote", "Organisation", "Tier rating"}
                seen += 1
        assert seen == len(rich.annotations())
    assert "Tier rating" in codes.values()
