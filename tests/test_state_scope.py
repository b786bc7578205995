"""Incremental state and run records are kept per base URL actually crawled: a replica run (`make run`) never
makes a later crawl of the same site elsewhere (the live site) skip anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.replica.render import load_articles
from crawler.replica.server import ReplicaServer
from crawler.store import Store
from tests.conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture()
def elsewhere() -> Iterator[ReplicaServer]:
    """A second server: the same site at another base URL, standing in for the live site."""
    server = ReplicaServer("127.0.0.1", 0, sites=["kinhtedothi"])
    server.start_background()
    yield server
    server.shutdown()
    server.server_close()


def test_replica_run_leaves_nothing_for_a_crawl_of_another_base_url(replica: ReplicaServer, elsewhere: ReplicaServer, tmp_path: Path) -> None:
    db = tmp_path / "crawl.db"
    first = run_cli("crawl", "kinhtedothi", "--replica", replica.url, "--db", str(db))
    assert first.returncode == 0, first.stderr[-2000:]
    # Same database, same site, another base URL: the sitemap timer and the stored URLs of the first run do not
    # apply, so the sitemap is fetched and every article is read and stored again under its own address.
    second = run_cli("crawl", "kinhtedothi", "--replica", elsewhere.url, "--db", str(db))
    assert second.returncode == 0, second.stderr[-2000:]
    assert elsewhere.requests.get("/kinhtedothi/sitemap.xml") == 1
    store = Store(db)
    articles = len(load_articles("kinhtedothi"))
    assert store.articles.count("url LIKE ?", [f"{elsewhere.url}/%"]) == articles
    assert store.articles.count("url LIKE ?", [f"{replica.url}/%"]) == articles
    # A re-run at the second address is incremental there: the sitemap is not due, nothing is fetched again.
    again = run_cli("crawl", "kinhtedothi", "--replica", elsewhere.url, "--db", str(db))
    assert again.returncode == 0 and elsewhere.requests.get("/kinhtedothi/sitemap.xml") == 1
    runs = run_cli("runs", "--site", "kinhtedothi", "--nl", "--db", str(db))
    bases = [json.loads(line)["base_url"] for line in runs.stdout.splitlines()]
    assert bases == [f"{elsewhere.url}/kinhtedothi", f"{elsewhere.url}/kinhtedothi", f"{replica.url}/kinhtedothi"]
    table = run_cli("runs", "--site", "kinhtedothi", "--db", str(db)).stdout.splitlines()
    assert "base URL" in table[0] and f"{replica.url}/kinhtedothi" in table[-1]
    versions = json.loads(runs.stdout.splitlines()[-1])["versions"]
    assert set(versions) == {"kinhtedothi/2016", "kinhtedothi/2021", "kinhtedothi/2025"} and all(versions.values())
