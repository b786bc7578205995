"""The checks `crawler ingest` makes before the crawl's own validation: shape and site of a queue entry."""

from __future__ import annotations

import json

import pytest

from crawler.distributed import item_to_json
from crawler.ingest_checks import rejection
from tests.unit.conftest import article

GOOD = json.loads(item_to_json(article("https://badinh.example/tin/1.html", site="badinh")))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (json.dumps(GOOD), None),
        ("{broken", "malformed"),
        (json.dumps([1, 2]), "malformed"),
        (json.dumps({**GOOD, "site": "../../etc"}), "wrong_site"),
        (json.dumps({**GOOD, "site": "kinhtedothi"}), "wrong_site"),
        (json.dumps({**GOOD, "images": "nope"}), "bad_field_types"),
        (json.dumps({**GOOD, "tags": [1]}), "bad_field_types"),
        (json.dumps({**GOOD, "view_count": "12"}), "bad_field_types"),
        (json.dumps({**GOOD, "view_count": True}), "bad_field_types"),
        (json.dumps({**GOOD, "conference": "yes"}), "bad_field_types"),
        (json.dumps({**GOOD, "url": None}), "bad_field_types"),
        (json.dumps({**GOOD, "surprise": 1}), "bad_field_types"),
    ],
)
def test_rejection(raw: str, reason: str | None) -> None:
    assert rejection(raw, "badinh") == reason
