"""The near-duplicate threshold, tested on pairs: edited copies above it, different articles below it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from crawler.items import ArticleItem
from crawler.neardup import THRESHOLD, NearDuplicateIndex, shingles, signature, to_bytes
from crawler.parsing.text import content_hash
from crawler.replica.render import load_articles
from crawler.store import Store


def body(article) -> str:  # type: ignore[no-untyped-def]
    return "\n\n".join(([article.lead] if article.lead else []) + [b["text"] for b in article.blocks if b["type"] != "img"])


SEED_000 = body(next(a for a in load_articles("kinhtedothi") if a.slug.startswith("quan-thanh-xuan-chuan-bi")))
PARAGRAPHS = SEED_000.split("\n\n")

COPIES = {
    "republished with outlet tag and source line": "Kinhtedothi - " + SEED_000 + "\n\n(https://kinhtedothi.vn/a.html)",
    "caption left in the text, a sentence added": SEED_000 + "\n\nQuang cảnh hội nghị\n\nHội nghị cũng thông qua một số nội dung quan trọng khác.",
    "lead reworded": "\n\n".join(["Chiều ngày 3/10/2024, BCH Đảng bộ quận Thanh Xuân khóa VI đã tổ chức Hội nghị lần thứ 22."] + PARAGRAPHS[1:]),
    "last two paragraphs cut": "\n\n".join(PARAGRAPHS[:-2]),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_edited_copies_are_near_duplicates(name: str) -> None:
    assert signature(SEED_000).jaccard(signature(COPIES[name])) >= THRESHOLD


def test_different_articles_are_not() -> None:
    """Every pair of distinct replica articles (same committees, same templates of phrasing) stays far below."""
    # The syndicated seed 000 pair is one article on two sites: keep one copy of each slug.
    by_slug = {a.slug: body(a) for site in ("kinhtedothi", "thanhxuan", "badinh", "lechan") for a in load_articles(site)}
    texts = list(by_slug.values())
    worst = 0.0
    for a, b in itertools.combinations(texts, 2):
        sa, sb = set(shingles(a)), set(shingles(b))
        worst = max(worst, len(sa & sb) / len(sa | sb))
    assert worst < THRESHOLD / 2


def test_index_finds_best_match() -> None:
    index = NearDuplicateIndex()
    index.add("original", signature(SEED_000))
    index.add("other", signature(body(load_articles("lechan")[0])))
    match = index.best_match(signature(COPIES["lead reworded"]), exclude="copy")
    assert match is not None and match[0] == "original"
    assert index.best_match(signature(body(load_articles("badinh")[3])), exclude="x") is None


def test_store_finds_copies_through_its_band_table(tmp_path: Path) -> None:
    """The product's path: signatures stored with their LSH bands in SQLite, candidates found by indexed band
    lookups, then the exact estimate (Articles.find_near_duplicate, which DedupPipeline calls)."""
    store = Store(tmp_path / "c.db")
    for url, text in (("https://kdt.vn/original", SEED_000), ("https://lc.vn/other", body(load_articles("lechan")[0]))):
        item = ArticleItem(url=url, site="s", title="t", body=text, content_hash=content_hash(text), conference={})
        store.save(item, minhash=to_bytes(signature(text)))
    for name, copy in COPIES.items():
        match = store.articles.find_near_duplicate(to_bytes(signature(copy)), exclude="https://tx.vn/copy")
        assert match is not None and match[0] == "https://kdt.vn/original" and match[1] >= THRESHOLD, name
    assert store.articles.find_near_duplicate(to_bytes(signature(body(load_articles("badinh")[3]))), exclude="x") is None
    # The original itself is excluded when it is the article being stored.
    assert store.articles.find_near_duplicate(to_bytes(signature(SEED_000)), exclude="https://kdt.vn/original") is None
    store.close()


def _datasketch_signature(text: str) -> bytes:
    """The reference: datasketch's MinHash (affine32, seed 1) over word 5-shingles joined the plain way, of the
    first 20,000 words of the first 800,000 characters."""
    import numpy as np
    from datasketch import MinHash

    from crawler.parsing.text import content_fingerprint_text

    words = content_fingerprint_text(text[:800_000]).split()[:20_000]
    parts = [" ".join(words[i : i + 5]).encode() for i in range(len(words) - 4)] if len(words) >= 5 else (
        [" ".join(words).encode()] if words else [])
    minhash = MinHash(num_perm=64, seed=1, scheme="affine32")
    minhash.update_batch(parts)
    return minhash.hashvalues.astype(np.uint64).tobytes()


@pytest.mark.parametrize("text", [
    SEED_000, *COPIES.values(), PARAGRAPHS[0][:25], "một hai", "", "  Từ\u00a0khóa,  dấu\tcách\u2003lạ; HOA thường  ",
    " ".join(f"từ{i}" for i in range(25_000)),  # longer than the signature's bound of 20,000 words
])
def test_signature_is_datasketchs(text: str) -> None:
    """The crawl's numpy signature equals datasketch's for the same text, so stores written before stay
    comparable (and the vectorised step computes the same minima)."""
    from crawler.neardup import signature_bytes
    from crawler.parsing.text import content_fingerprint_text

    assert to_bytes(signature(text)) == _datasketch_signature(text)
    if len(text) <= 800_000:
        assert signature_bytes(content_fingerprint_text(text)) == _datasketch_signature(text)


def test_an_unchanged_text_reuses_its_stored_signature(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    item = ArticleItem(url="https://kdt.vn/a", site="s", title="t", body=SEED_000, content_hash=content_hash(SEED_000), conference={})
    store.save(item, minhash=to_bytes(signature(SEED_000)))
    assert store.articles.signature_of_hash(content_hash(SEED_000)) == _datasketch_signature(SEED_000)
    assert store.articles.signature_of_hash(content_hash("another text")) is None
    store.close()
