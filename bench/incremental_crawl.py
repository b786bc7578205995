"""Requests per run of an incremental crawl: first crawl, unchanged re-crawl, then 5 new articles on one site.

    python -m bench.incremental_crawl

Goal: the unchanged re-crawl asks for no more than each site's start pages (listings, JSON listings, feeds)
plus the dead links it cannot store and the listing page after one, and the third run finds exactly the 5 new
articles. Runs the real `crawler crawl` against a replica server on a copy of the bundled content.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from crawler.parsing.dates import VN_TZ
from crawler.replica.render import CONTENT_DIR
from crawler.replica.server import ReplicaServer
from crawler.sites import SITES
from crawler.store import Store

ENABLED = [name for name, site in SITES.items() if site.enabled]
START_PAGES = sum(len(SITES[n].listing_paths) + len(SITES[n].json_listings) + len(SITES[n].feed_paths) for n in ENABLED)


def new_articles(count: int) -> list[dict[str, object]]:
    now = datetime.now(VN_TZ)
    articles = []
    for n in range(count):
        text = (
            f"Chiều qua, Quận ủy Lê Chân tổ chức Hội nghị chuyên đề số {n + 1} về chuyển đổi số, cải cách hành chính "
            "và nâng cao hiệu quả phục vụ Nhân dân. Hội nghị thống nhất các giải pháp trọng tâm cho những tháng cuối năm."
        )
        articles.append({
            "slug": f"hoi-nghi-chuyen-de-so-{n + 1}", "category": "Tin tức - Sự kiện",
            "title": f"Quận ủy Lê Chân tổ chức Hội nghị chuyên đề số {n + 1}",
            "published": (now - timedelta(hours=n + 1)).strftime("%Y-%m-%d %H:%M"), "views": None,
            "lead": text, "blocks": [{"type": "p", "text": text + " Các đại biểu đã thảo luận, góp ý."}] * 2,
            "author": "Thái Bình", "tags": [], "facts": {"is_conference": True},
        })
    return articles


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    content = work / "content"
    shutil.copytree(CONTENT_DIR, content)
    server = ReplicaServer("127.0.0.1", 0, content_dir=content)
    server.start_background()
    db = work / "crawl.db"
    requests: list[int] = []
    new: list[int] = []
    try:
        for label in ("first crawl", "unchanged re-crawl", "after adding 5 articles to lechan"):
            if label.startswith("after"):
                (content / "lechan.bench.json").write_text(
                    json.dumps({"site": "lechan", "articles": new_articles(5)}, ensure_ascii=False), encoding="utf-8"
                )
                server.reload()
            before = sum(server.requests.values())
            result = subprocess.run(
                [sys.executable, "-m", "crawler.cli", "crawl", "--replica", server.url, "--db", str(db), "--log-level", "ERROR"],
                cwd=ROOT, capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise SystemExit(f"{label} failed:\n{result.stderr[-2000:]}")
            requests.append(sum(server.requests.values()) - before)
            runs = Store(db).runs.recent(limit=len(ENABLED))
            new.append(sum(r["new"] for r in runs))
            print(f"{label:36} {requests[-1]:5} requests  {new[-1]:4} new articles")
    finally:
        server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    share = requests[1] / requests[0]
    print(f"unchanged re-crawl / first crawl: {share:.1%} of the requests; {requests[1]} requests for "
          f"{START_PAGES} start pages (goal: at most start pages + 2)")
    print(f"third run found {new[2]} new articles (goal: exactly 5)")


if __name__ == "__main__":
    main()
