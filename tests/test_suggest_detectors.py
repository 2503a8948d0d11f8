"""The built-in suggesters, one behaviour at a time, and their scores on the gold articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.suggest.claims import detect_claims
from annotator.core.suggest.engine import SuggestionSources, merge, suggest
from annotator.core.suggest.evaluation import evaluate
from annotator.core.suggest.organisations import detect_organisations
from annotator.core.suggest.quotes import detect_quotes
from annotator.core.suggest.tiers import detect_tiers
from annotator.core.suggest.types import Suggestion

GOLD = Path(__file__).resolve().parent / "fixtures" / "suggest"
LABELS = ["Claim", "Quote", "Organisation", "Tier rating"]


def quoted(text: str) -> list[str]:
    return [text[s.start : s.end] for s in detect_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He said “we will go” today.", ["“we will go”"]),
        ('He said "we will go" today.', ['"we will go"']),
        ("Il a dit «nous irons» hier.", ["«nous irons»"]),
        ("Er sagte „wir gehen“ heute.", ["„wir gehen“"]),
        ("«When they say “never,” we listen»", ["«When they say “never,” we listen»"]),
        (
            "“My landlord said, ‘Pay by Friday or leave.’ Where will I go?”",
            ["“My landlord said, ‘Pay by Friday or leave.’ Where will I go?”"],
        ),
        (
            "\"People say 'doubled', but it is not,\" she said.",
            ["\"People say 'doubled', but it is not,\""],
        ),
        ("The report said “the law is needed.“\nNext paragraph.", ["“the law is needed.“"]),
        ("The workers’ union and the factory’s owner met.", []),
    ],
)
def test_quotation_marks_of_every_kind(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_a_quotation_over_several_paragraphs_is_one_suggestion() -> None:
    text = "“First part of it,\n\n“and the second part,” said Ann Lee.\nAfter."
    assert quoted(text) == ["“First part of it,\n\n“and the second part,”"]


def test_a_quotation_never_closed_is_offered_to_its_paragraph_end_with_a_lower_score() -> None:
    text = "She said “this never closes.\nNext “one” here."
    found = detect_quotes(text)
    assert [text[s.start : s.end] for s in found] == ["“this never closes.", "“one”"]
    assert found[0].score < found[1].score


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“We will,” said John Miller.", "John Miller"),
        ("“We will,” John Miller said.", "John Miller"),
        ("According to Ann Lee, “it works.”", "Ann Lee"),
        ("Ann Lee, a researcher at the university, said: “It works.”", "Ann Lee"),
        ("“We will,” said John Miller. “Soon,” he added.", "John Miller"),
    ],
)
def test_the_speaker_comes_from_a_near_attribution(text: str, speaker: str) -> None:
    assert detect_quotes(text)[-1].attributes == {"speaker": speaker}


def test_a_quotation_without_attribution_has_no_speaker() -> None:
    assert detect_quotes("The sign read “closed”.")[0].attributes == {}


def test_tier_ratings_with_tier_subject_and_year() -> None:
    text = (
        "Thailand stays on the Tier 2 Watch List. The graduation from 2002’s Tier 3 status "
        "means Cambodia is safe. Malaysia fell to Tier Three. Its Watch List status stays."
    )
    found = detect_tiers(text)
    assert [(text[s.start : s.end], s.attributes.get("tier")) for s in found] == [
        ("Tier 2 Watch List", "Tier 2 Watch List"),
        ("Tier 3", "Tier 3"),
        ("Tier Three", "Tier 3"),
        ("Watch List", "Tier 2 Watch List"),
    ]
    assert found[0].attributes["subject"] == "Thailand"
    assert found[1].attributes == {"tier": "Tier 3", "subject": "Cambodia", "year": 2002}
    assert found[2].attributes["subject"] == "Malaysia"


def test_watch_list_alone_is_not_a_tier_where_the_article_has_no_tiers() -> None:
    assert detect_tiers("The film is on my watch list. The Watch List grows.") == []


def organisations(text: str, known: tuple[str, ...] = ()) -> list[str]:
    return [text[s.start : s.end] for s in detect_organisations(text, known_names=known)]


def test_names_built_like_organisations() -> None:
    text = (
        "The report praised the Ministry of Women’s and Veterans’ Affairs and the Ministry of "
        "Tourism. The director of the State Department’s Office to Monitor and Combat "
        "Trafficking in Persons spoke. Department officials were absent."
    )
    assert organisations(text) == [
        "Ministry of Women’s and Veterans’ Affairs",
        "Ministry of Tourism",
        "State Department",
        "Office to Monitor and Combat Trafficking in Persons",
    ]


def test_acronyms_defined_in_the_text_and_their_later_uses() -> None:
    text = (
        "The Labour Rights Promotion Network (LPN) said so. The Garment Manufacturers "
        "Association in Cambodia (GMAC) agreed. LPN and GMAC met. The ILOVE fans did not."
    )
    assert organisations(text) == [
        "Labour Rights Promotion Network",
        "LPN",
        "Garment Manufacturers Association in Cambodia",
        "GMAC",
        "LPN",
        "GMAC",
    ]


def test_an_acronym_spelling_the_initials_of_a_name_found() -> None:
    text = "It worked with International Justice Mission. Later IJM led a rescue."
    assert organisations(text) == ["International Justice Mission", "IJM"]


def test_names_the_project_labelled_are_suggested_wherever_they_occur() -> None:
    text = "Licadho said no. Later Licadho agreed, unlike Licadhoish groups."
    assert organisations(text, ("Licadho",)) == ["Licadho", "Licadho"]


def test_claims_are_ranked_by_how_checkable_they_are() -> None:
    text = (
        "Arrests rose by 44 per cent in 2022, according to official figures. "
        "We hope that will continue. The minister spoke at length about the future."
    )
    found = detect_claims(text)
    assert [text[s.start : s.end] for s in found] == [
        "Arrests rose by 44 per cent in 2022, according to official figures."
    ]
    assert found[0].score >= 0.9


def test_merge_drops_duplicates_of_annotations_rejections_and_nested_repeats() -> None:
    found = [
        Suggestion("Organisation", 0, 19, 0.85, "a"),
        Suggestion("Organisation", 3, 19, 0.9, "b"),  # inside the longer one
        Suggestion("Organisation", 0, 19, 0.9, "c"),  # same range, better score
        Suggestion("Quote", 30, 40, 0.9, "d"),  # already annotated
        Suggestion("Quote", 50, 60, 0.9, "e"),  # rejected before
        Suggestion("Quote", 62, 70, 0.9, "f"),
    ]
    kept = merge(found, existing=[("Quote", 30, 40)], rejected={("Quote", 50, 60)})
    assert [(s.label, s.start, s.end, s.source) for s in kept] == [
        ("Organisation", 0, 19, "c"),
        ("Quote", 62, 70, "f"),
    ]


def test_suggest_fills_only_the_labels_the_codebook_has() -> None:
    text = "“Yes,” said Ann Lee of the World Bank, rating it Tier 2."
    assert {s.label for s in suggest(text, SuggestionSources(["Quote"]))} == {"Quote"}
    assert {s.label for s in suggest(text, SuggestionSources(LABELS))} == {
        "Quote",
        "Organisation",
        "Tier rating",
    }


def scores_on(name: str):
    data = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    gold, predicted = {}, {}
    for d in data["documents"]:
        gold[d["id"]] = [(a["label"], a["start"], a["end"]) for a in d["annotations"]]
        predicted[d["id"]] = [s.key for s in suggest(d["text"], SuggestionSources(LABELS))]
    return evaluate(gold, predicted, ["Quote", "Organisation", "Tier rating"])


@pytest.mark.parametrize("gold_set", ["dev", "heldout"])
def test_a_fresh_project_reaches_the_targets_on_the_gold_articles(gold_set: str) -> None:
    scores = scores_on(gold_set)
    assert scores.exact["Quote"].recall >= 0.9 and scores.exact["Quote"].precision >= 0.9
    assert scores.exact["Tier rating"].recall >= 0.9
    assert scores.exact["Organisation"].recall >= 0.75
    assert scores.exact["Organisation"].precision >= 0.8


def test_the_gold_files_match_their_marked_articles() -> None:
    from tests.fixtures.suggest.make_gold import build

    for name in ("dev", "heldout"):
        on_disk = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
        assert build(name) == on_disk


def test_patterns_work_without_spacy_token_patterns_then_match_nothing(monkeypatch) -> None:
    from annotator.core.suggest import patterns as p

    monkeypatch.setattr(p, "token_patterns_available", lambda: False)
    rules = [
        p.make_pattern("Organisation", "phrase", "Afesip"),
        p.make_pattern("Organisation", "regex", r"\bLic\w+"),
        p.make_pattern("Organisation", "tokens", [{"LOWER": "asean"}]),
    ]
    text = "Afesip, Licadho and Asean."
    assert [text[s.start : s.end] for s in p.match_patterns(text, rules)] == ["Afesip", "Licadho"]


def test_spacy_checks_token_patterns_when_it_is_installed() -> None:
    pytest.importorskip("spacy", reason="token patterns need spaCy")
    from annotator.core.suggest.patterns import PatternError, make_pattern, match_patterns

    with pytest.raises(PatternError, match="spaCy refuses the token pattern"):
        make_pattern("Quote", "tokens", [{"NOPE": 1}])
    rule = make_pattern("Organisation", "tokens", [{"LOWER": "world"}, {"LOWER": "bank"}])
    text = "The World Bank and the world bank."
    assert [text[s.start : s.end] for s in match_patterns(text, [rule])] == [
        "World Bank",
        "world bank",
    ]


def test_only_a_repeated_repetition_is_refused_and_regexes_read_as_re_reads_them() -> None:
    from annotator.core.suggest.patterns import PatternError, make_pattern, match_patterns

    for catastrophic in (r"(a+)+$", r"(?:\w*)*x", r"([ab]+){2,}", r"(?P<x>\d+?)+"):
        with pytest.raises(PatternError, match="can take forever"):
            make_pattern("Organisation", "regex", catastrophic)
    text = "Codes 12,34,56 and [Tier 2]; Ministry of Health"
    for fine, found in (
        (r"(\d+,)+\d+", ["12,34,56"]),
        (r"\[Tier \d\]", ["[Tier 2]"]),
        (r"Ministry of \w+", ["Ministry of Health"]),
        (r"(?i)ministry", ["Ministry"]),
    ):
        rule = make_pattern("Organisation", "regex", fine)
        assert [text[s.start : s.end] for s in match_patterns(text, [rule])] == found
