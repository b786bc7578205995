"""`crawler extract URL` fetches under the crawl's own limits: one overall timeout and one size cap.
A real replica server with hostile routes (synthetic), the real command in a subprocess."""

from __future__ import annotations

import time

import pytest

from crawler.replica.server import ReplicaServer
from tests.conftest import run_cli
from tests.hostile import drip, endless

#: Every test here runs the real `crawler` command in a subprocess.
pytestmark = pytest.mark.slow




def test_a_dripping_server_is_cut_at_the_download_timeout(lechan_server: ReplicaServer) -> None:
    lechan_server.routes["/drip.html"] = drip(b"<html><body>" + b"x" * 2000 + b"</body></html>", every=0.1)  # ~200 s in all
    started = time.monotonic()
    result = run_cli("extract", f"{lechan_server.url}/drip.html", env={"CRAWLER_DOWNLOAD_TIMEOUT": "2"}, timeout=40)
    elapsed = time.monotonic() - started
    assert result.returncode == 1 and "within 2 s (DOWNLOAD_TIMEOUT)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and elapsed < 30


@pytest.mark.parametrize("announce", [True, False])
def test_a_huge_body_is_refused_at_the_size_cap(lechan_server: ReplicaServer, announce: bool) -> None:
    lechan_server.routes["/huge.html"] = endless(announce_length=announce)
    result = run_cli("extract", f"{lechan_server.url}/huge.html", env={"CRAWLER_DOWNLOAD_MAXSIZE": "1048576"}, timeout=60)
    assert result.returncode == 1 and "size cap of 1048576" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_ordinary_page_is_still_extracted(lechan_server: ReplicaServer) -> None:
    path = next(p for p in lechan_server.pages if p.startswith("/lechan/tin-tuc-su-kien/") and p.endswith(".html"))
    result = run_cli("extract", f"{lechan_server.url}{path}", env={"CRAWLER_DOWNLOAD_TIMEOUT": "5"}, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert '"title"' in result.stdout
