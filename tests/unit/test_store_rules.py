"""The store's pure rules: which member of a copy group is the original, which stored conference a report joins."""

from __future__ import annotations

from datetime import date

from crawler.store.articles import original_of
from crawler.store.conferences import choose_conference, conference_id, merge

FACTS = {"is_conference": True, "level": "quận", "locality": "Thanh Xuân", "session_number": 22, "term_number": 6,
         "held_on": "2024-10-03"}
STORED = {"id": "quan-thanh-xuan-hn22-2024", "level": "quận", "locality": "thanh xuân", "session_number": 22,
          "term_number": 6, "held_on": "2024-10-03", "first_published_at": "2024-10-03T20:05:00+07:00"}


def test_original_is_earliest_published_then_lowest_url() -> None:
    assert original_of([("https://b.vn", "2024-10-03T20:05"), ("https://a.vn", "2024-10-04T09:30")]) == "https://b.vn"
    assert original_of([("https://b.vn", "2024-10-03"), ("https://a.vn", "2024-10-03")]) == "https://a.vn"
    assert original_of([("https://a.vn", None), ("https://b.vn", "2024-10-05")]) == "https://b.vn"


def test_report_joins_the_same_session() -> None:
    assert choose_conference(FACTS, date(2024, 10, 3), [STORED]) == STORED["id"]


def test_same_number_in_another_term_or_years_apart_is_another_conference() -> None:
    assert choose_conference({**FACTS, "term_number": 5}, date(2024, 10, 3), [STORED]) is None
    assert choose_conference({**FACTS, "term_number": None, "held_on": "2019-10-03"}, date(2019, 10, 3), [STORED]) is None


def test_ungroupable_report_gets_its_own_id() -> None:
    facts = {"is_conference": True, "level": None, "locality": None}
    assert choose_conference(facts, None, [STORED]) is None
    assert conference_id(facts, None, "https://a.vn/tin/1").startswith("article-")


def test_merge_takes_the_majority_and_records_disagreement() -> None:
    merged, disagreements = merge([({**FACTS, "held_on": "2024-10-03"}, "a"), ({**FACTS, "held_on": "2024-10-03"}, "b"),
                                   ({**FACTS, "held_on": "2024-10-02"}, "c")])
    assert merged["held_on"] == "2024-10-03" and disagreements == {"held_on": ["2024-10-03", "2024-10-02"]}
