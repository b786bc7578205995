"""Page reading on unseen layouts: our generic reader against `trafilatura.extract(with_metadata=True)`.

    python -m bench.page_reading [--rounds 5] [--realworld /path/to/realworld] [-v]

Both read the same pages in one run: the hand-written layout fixtures (`tests/fixtures/layouts/`, synthetic,
written by the same developer as the reader: a best case) and, with `--realworld`, the real texts of the
development set wrapped in the plain article page its `score.py` builds (real text, trivial layout). Per field:
title exact, publish day exact, view count exact (trafilatura reads none), body token F1 (multiset of lower-cased
words), articles refused, non-articles accepted. Time per page is the best of interleaved rounds: for us, the
response, the reader and the date and view parsing; for trafilatura, its extract call.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.http import HtmlResponse

from crawler.extraction import Skipped, read_page
from crawler.extraction.boilerplate import clear_caches
from crawler.parsing.dates import parse_date_from_url, parse_vn_datetime
from crawler.parsing.numbers import parse_view_count

LAYOUTS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "layouts"
_WORDS = re.compile(r"\w+")


@dataclass
class Page:
    name: str
    url: str
    html: str
    fetched_at: datetime
    article: bool
    title: str | None = None
    day: str | None = None
    views: int | None = None
    body: str = ""
    has_views: bool = False


@dataclass
class Reading:
    article: bool
    title: str | None = None
    day: str | None = None
    views: int | None = None
    body: str = ""


@dataclass
class Scores:
    pages: int = 0
    articles: int = 0
    title: int = 0
    day: int = 0
    views: int = 0
    view_pages: int = 0
    f1: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    accepted_negatives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def tokens(text: str) -> Counter[str]:
    return Counter(_WORDS.findall(unicodedata.normalize("NFC", text).casefold()))


def token_f1(got: str, want: str) -> float:
    g, w = tokens(got), tokens(want)
    if not g and not w:
        return 1.0
    common = sum((g & w).values())
    if not common:
        return 0.0
    precision, recall = common / sum(g.values()), common / sum(w.values())
    return 2 * precision * recall / (precision + recall)


def layout_pages() -> list[Page]:
    pages = []
    for spec_path in sorted(LAYOUTS.glob("*/*.json")):
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        expected = spec["expected"]
        published = expected.get("published_at")
        pages.append(
            Page(
                name=f"{spec_path.parent.name}/{spec_path.stem}",
                url=spec["url"],
                html=spec_path.with_suffix(".html").read_text(encoding="utf-8"),
                fetched_at=datetime.fromisoformat(spec["fetched_at"]),
                article=expected["article"],
                title=expected.get("title"),
                day=published[:10] if published else None,
                views=expected.get("view_count"),
                body="\n".join(expected.get("body", [])),
                has_views=expected.get("view_count") is not None,
            )
        )
    return pages


def realworld_pages(folder: Path) -> list[Page]:
    """The development set's texts in the wrapper its score.py builds (loaded from that file, not copied)."""
    spec = importlib.util.spec_from_file_location("realworld_score", folder / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    pages = []
    for gold_path in sorted((folder / "cases").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        lines = [line.strip() for line in unicodedata.normalize("NFC", text).splitlines() if line.strip()]
        published = gold.get("published_at")
        pages.append(
            Page(
                name=f"realworld/{gold_path.stem}",
                url=gold.get("url") or f"https://unknown.invalid/{gold_path.stem}.html",
                html=score.page(text, gold),
                fetched_at=datetime.fromisoformat("2026-01-01T00:00:00+07:00"),
                article=True,
                title=lines[0],
                day=published[:10] if published else None,
                body="\n".join(lines[1:] or lines),
            )
        )
    return pages


def read_ours(page: Page) -> Reading:
    clear_caches()  # no help from having read this very page in an earlier round
    response = HtmlResponse(url=page.url, body=page.html.encode("utf-8"), encoding="utf-8")
    item = read_page(response, None, page.fetched_at, site_name="bench")
    if isinstance(item, Skipped):
        return Reading(False)
    day = None
    for source, text in item.date_candidates:
        parsed = parse_date_from_url(text) if source == "url" else parse_vn_datetime(text, relative_to=page.fetched_at)
        if parsed is not None:
            day = parsed.value.date().isoformat()
            break
    return Reading(True, item.title, day, parse_view_count(item.view_count_text), item.body or "")


def read_trafilatura(page: Page) -> Reading:
    output = trafilatura.extract(page.html, url=page.url, with_metadata=True, output_format="json")
    if not output:
        return Reading(False)
    data: dict[str, Any] = json.loads(output)
    return Reading(True, data.get("title"), (data.get("date") or None), None, data.get("text") or "")


def score(pages: list[Page], reader: Callable[[Page], Reading]) -> Scores:
    result = Scores()
    for page in pages:
        result.pages += 1
        got = reader(page)
        if not page.article:
            if got.article:
                result.accepted_negatives.append(page.name)
            continue
        result.articles += 1
        if not got.article:
            result.refused.append(page.name)
            result.f1.append(0.0)
            continue
        result.title += got.title == page.title
        result.day += got.day == page.day
        if page.has_views:
            result.view_pages += 1
            result.views += got.views == page.views
        f1 = token_f1(got.body, page.body)
        result.f1.append(f1)
        if got.title != page.title:
            result.misses.append(f"{page.name}: title {got.title!r}")
        if got.day != page.day:
            result.misses.append(f"{page.name}: day {got.day!r}, want {page.day!r}")
        if f1 < 0.95:
            result.misses.append(f"{page.name}: body F1 {f1:.2f}")
    return result


def time_per_page(pages: list[Page], readers: dict[str, Callable[[Page], Reading]], rounds: int) -> dict[str, float]:
    """Best-of-rounds time per page for each reader, rounds interleaved so load hits both alike."""
    best = {name: float("inf") for name in readers}
    for _ in range(rounds):
        for name, reader in readers.items():
            start = time.perf_counter()
            for page in pages:
                reader(page)
            best[name] = min(best[name], (time.perf_counter() - start) / len(pages))
    return best


def report(label: str, pages: list[Page], rounds: int, verbose: bool) -> None:
    readers = {"ours": read_ours, "trafilatura": read_trafilatura}
    scores = {name: score(pages, reader) for name, reader in readers.items()}
    times = time_per_page(pages, readers, rounds)
    articles = sum(p.article for p in pages)
    print(f"\n{label}: {len(pages)} pages ({articles} articles, {len(pages) - articles} non-articles)")
    print(f"| field | ours | trafilatura |\n|---|---|---|")

    def ratio(name: str, attr: str, total: int) -> str:
        return f"{getattr(scores[name], attr) / total:.2f}" if total else "–"

    def f1(name: str) -> str:
        values = scores[name].f1
        return f"{sum(values) / len(values):.2f}" if values else "–"

    view_pages = scores["ours"].view_pages
    print(f"| body token F1 | {f1('ours')} | {f1('trafilatura')} |")
    print(f"| title exact | {ratio('ours', 'title', articles)} | {ratio('trafilatura', 'title', articles)} |")
    print(f"| publish day exact | {ratio('ours', 'day', articles)} | {ratio('trafilatura', 'day', articles)} |")
    print(f"| view count exact ({view_pages} pages show one) | {ratio('ours', 'views', view_pages)} | – |")
    print(f"| articles refused | {len(scores['ours'].refused)} | {len(scores['trafilatura'].refused)} |")
    print(
        f"| non-articles taken as articles | {len(scores['ours'].accepted_negatives)} | "
        f"{len(scores['trafilatura'].accepted_negatives)} |"
    )
    print(f"| time per page | {times['ours'] * 1000:.2f} ms | {times['trafilatura'] * 1000:.2f} ms |")
    print(f"ours is {times['trafilatura'] / times['ours']:.1f}x faster than trafilatura (goal >= 2x)")
    if verbose:
        for name in readers:
            for line in [*scores[name].misses, *(f"refused {n}" for n in scores[name].refused)]:
                print(f"  {name}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the best is kept")
    parser.add_argument("--realworld", type=Path, help="the real-world development set folder (with score.py)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()
    pages = layout_pages()
    for page in pages[:3]:  # warm imports and caches
        read_ours(page), read_trafilatura(page)
    report("Layout fixtures (synthetic, hand-written)", pages, args.rounds, args.verbose)
    if args.realworld:
        report("Real-world texts in score.py's plain wrapper", realworld_pages(args.realworld), args.rounds, args.verbose)


if __name__ == "__main__":
    main()
