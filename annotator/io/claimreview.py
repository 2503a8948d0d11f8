"""schema.org ClaimReview (JSON-LD), for fact-checkers publishing verdicts that search engines
and claim databases read.

The file is a JSON list of ClaimReview objects, each with its own ``"@context":
"https://schema.org"`` so it can be pasted into a page's ``<script type="application/ld+json">``.
One review per ``Claim`` annotation whose ``verdict`` is set and not ``unverified``:

- ``claimReviewed``: the claim's text; ``datePublished``: the annotation's last change (date);
- ``reviewRating``: ``alternateName`` is the verdict; ``ratingValue`` on a 1-5 scale
  (false 1, misleading 2, mixed 3, mostly true 4, true 5; ``worstRating`` 1, ``bestRating`` 5);
  a verdict outside that scale keeps only its ``alternateName``;
- ``itemReviewed``: a ``Claim`` with ``author`` (the document's ``author`` metadata as a
  ``Person``, else its ``sitename`` as an ``Organization``), ``datePublished`` (the document's
  ``date`` metadata) and ``appearance`` (a ``CreativeWork`` with the document's title and its
  http(s) address);
- ``author``: the ``Organization`` from the export options (``--org-name``, ``--org-url``);
- ``url``: ``--review-url-base`` + a slug of the claim's first words + 8 characters of its id
  (stable across exports).

Missing organisation name or URL base: the reviews are still written and the report says what
to add. Other labels, attributes and notes are not written.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from annotator.core.model import Annotation, Document
from annotator.io import jsonvalues
from annotator.io.files import atomic_text_writer
from annotator.io.interchange import is_web_url, stable_uuid
from annotator.io.registry import ExportData, ExportOptions, ExportReport

CONTEXT = "https://schema.org"
SCALE = {"false": 1, "misleading": 2, "mixed": 3, "mostly true": 4, "true": 5}
CLAIM, VERDICT, UNVERIFIED = "Claim", "verdict", "unverified"


def slug(a: Annotation) -> str:
    ascii_text = unicodedata.normalize("NFKD", a.text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:8]
    return "-".join([*words, stable_uuid(a.id).replace("-", "")[:8]])


def _claim(document: Document) -> dict[str, Any]:
    meta = document.metadata
    claim: dict[str, Any] = {"@type": "Claim"}
    author, site = meta.get("author"), meta.get("sitename")
    if isinstance(author, str) and author.strip():
        claim["author"] = {"@type": "Person", "name": author.strip()}
    elif isinstance(site, str) and site.strip():
        claim["author"] = {"@type": "Organization", "name": site.strip()}
    if isinstance(meta.get("date"), str) and meta["date"].strip():
        claim["datePublished"] = meta["date"].strip()
    url = next(
        (u for u in (document.source, meta.get("url")) if isinstance(u, str) and is_web_url(u)),
        None,
    )
    appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": document.title}
    if url:
        appearance["url"] = url
    claim["appearance"] = appearance
    return claim


def review(document: Document, a: Annotation, options: ExportOptions) -> dict[str, Any]:
    verdict = str(a.attributes[VERDICT])
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    if verdict in SCALE:
        rating.update(ratingValue=SCALE[verdict], bestRating=5, worstRating=1)
    organisation: dict[str, Any] = {"@type": "Organization"}
    if options["org_name"]:
        organisation["name"] = options["org_name"]
    if options["org_url"]:
        organisation["url"] = options["org_url"]
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "claimReviewed": a.text,
        "reviewRating": rating,
        "itemReviewed": _claim(document),
        "author": organisation,
    }
    if options["review_url_base"]:
        item["url"] = options["review_url_base"] + slug(a)
    if a.modified or a.created:
        item["datePublished"] = (a.modified or a.created)[:10]
    return item


def export(data: ExportData, target: Path, options: ExportOptions) -> ExportReport:
    reviews, off_scale = [], 0
    for item in data.documents:
        document = item.document
        for a in item.annotations:
            verdict = a.attributes.get(VERDICT)
            if a.label == CLAIM and verdict not in (None, "", UNVERIFIED):
                reviews.append(review(document, a, options))
                off_scale += str(verdict) not in SCALE
    with atomic_text_writer(target) as out:
        out.write(jsonvalues.dumps_for_html(reviews, ensure_ascii=False, indent=1))
        out.write("\n")
    notes = [
        f"{len(reviews)} claim reviews written (claims with a verdict other than '{UNVERIFIED}')"
    ]
    if reviews and not options["org_name"]:
        notes.append(
            "no organisation name given (--org-name): the reviews name no author, "
            "which ClaimReview readers require"
        )
    if reviews and not options["review_url_base"]:
        notes.append("no review URL base given (--review-url-base): the reviews have no url")
    if off_scale:
        notes.append(
            f"{off_scale} verdicts are not on the true..false scale and have no ratingValue"
        )
    return ExportReport(notes)
