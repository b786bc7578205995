"""`crawler ingest` validates what it takes from Redis like a crawl validates what it reads: items that are not
items of the queue's site, or fail the crawl's validation, are rejected with a counted reason and parked, never
stored. A real redis-server, a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_distributed import synthetic_items

redis = pytest.importorskip("redis")
pytestmark = pytest.mark.slow  # a redis-server process and the real command


def test_ingest_rejects_what_a_crawl_would_not_store(redis_server: str, tmp_path: Path) -> None:
    from crawler.distributed import item_to_json

    url = f"{redis_server}/3"
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    good, *others = synthetic_items(7, seed=11)
    hostile = [
        item_to_json(replace(others[0], url="javascript:void(0)")),
        item_to_json(replace(others[1], site="kinhtedothi")),
        item_to_json(replace(others[2], site="../../etc")),
        json.dumps({**json.loads(item_to_json(others[3])), "images": "nope"}),
        item_to_json(replace(others[4], title="", body="")),
        "{not json",
        json.dumps(["a", "list"]),
    ]
    client.rpush("badinh:items", item_to_json(good), *hostile)
    db = tmp_path / "ingest.db"
    result = run_cli("ingest", "badinh", "--db", str(db), env={"REDIS_URL": url})
    assert result.returncode == 0, result.stderr[-2000:]
    header, row = result.stdout.splitlines()[:2]
    counts = dict(zip(header.split()[1:], map(int, row.split()[1:])))
    assert counts["new"] == 1 and counts["rejected"] == 7 and counts["failed"] == 0
    assert "rejected bad_field_types: 1, bad_url: 1, malformed: 2, no_title: 1, wrong_site: 2" in result.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT url FROM articles").fetchall() == [(good.url,)]
    assert client.llen("badinh:items:rejected") == 7
    assert client.llen("badinh:items") == client.llen("badinh:items:processing") == 0
