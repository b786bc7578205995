"""DedupPipeline, built by Scrapy from a crawler on a real temporary store: one item per URL per run, copies of
stored texts linked by exact hash or through the SQLite near-duplicate band table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.neardup import signature, to_bytes
from crawler.store import Store
from pipelines.dedup import DedupPipeline
from tests.unit.conftest import article

TEXT = " ".join(f"Câu số {n} của bài viết về hội nghị Ban Chấp hành Đảng bộ quận lần thứ hai mươi hai." for n in range(30))


def test_uses_the_crawlers_store(make_crawler: Callable[..., Crawler], store: Store) -> None:
    assert DedupPipeline.from_crawler(make_crawler()).store is store


def test_same_url_twice_in_a_run_is_dropped(make_crawler: Callable[..., Crawler], store: Store) -> None:
    crawler = make_crawler()
    dedup = DedupPipeline.from_crawler(crawler)
    dedup.process_item(article("https://a.vn/1", TEXT))
    with pytest.raises(DropItem):
        dedup.process_item(article("https://a.vn/1", TEXT))
    assert crawler.stats.get_value("dedup/dropped/same_url_in_run") == 1


def test_exact_copy_is_linked(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article("https://kdt.vn/a.html", TEXT, site="kinhtedothi"), minhash=to_bytes(signature(TEXT)))
    crawler = make_crawler()
    item = DedupPipeline.from_crawler(crawler).process_item(article("https://tx.vn/a", TEXT))
    assert item.copy_of == "https://kdt.vn/a.html" and item.minhash == to_bytes(signature(TEXT))
    assert crawler.stats.get_value("dedup/syndicated_copies/thanhxuan") == 1
    assert crawler.stats.get_value("dedup/near_duplicates") is None


def test_edited_copy_is_found_through_the_band_table(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article("https://kdt.vn/a.html", TEXT, site="kinhtedothi"), minhash=to_bytes(signature(TEXT)))
    edited = "Kinhtedothi - " + TEXT + " Hội nghị cũng thông qua một số nội dung quan trọng khác."
    crawler = make_crawler()
    item = DedupPipeline.from_crawler(crawler).process_item(article("https://tx.vn/b", edited))
    assert item.copy_of == "https://kdt.vn/a.html"
    assert crawler.stats.get_value("dedup/near_duplicates") == 1


def test_different_text_is_no_copy(make_crawler: Callable[..., Crawler], store: Store) -> None:
    store.save(article("https://kdt.vn/a.html", TEXT, site="kinhtedothi"), minhash=to_bytes(signature(TEXT)))
    other = " ".join(f"Tuyến phố đi bộ thứ {n} mở cửa đón người dân vào cuối tuần." for n in range(30))
    item = DedupPipeline.from_crawler(make_crawler()).process_item(article("https://tx.vn/c", other))
    assert item.copy_of is None
