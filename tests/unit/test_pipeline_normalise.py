"""NormaliseTextPipeline: NFC and spacing, the outlet tag, the summary, the content hash; the URL is left alone."""

from __future__ import annotations

import unicodedata

from scrapy.settings import Settings

from crawler.items import ArticleItem
from pipelines.base import CountingStats
from pipelines.normalise import NormaliseTextPipeline


def run(item: ArticleItem) -> ArticleItem:
    return NormaliseTextPipeline.build(CountingStats(), Settings()).process_item(item)


def test_text_is_nfc_and_single_spaced() -> None:
    decomposed = unicodedata.normalize("NFD", "Hội  nghị   Ban Chấp hành")
    item = run(ArticleItem(url="https://a.vn/1", site="s", title=decomposed, body="Đoạn  một.\n\n\nĐoạn hai."))
    assert item.title == "Hội nghị Ban Chấp hành"
    assert unicodedata.is_normalized("NFC", item.title)
    assert item.body == "Đoạn một.\n\nĐoạn hai."


def test_outlet_tag_leaves_the_lead_and_the_summary_falls_back_to_it() -> None:
    item = run(ArticleItem(url="https://a.vn/1", site="s", title="T", body="Kinhtedothi - Chiều 3/10, hội nghị.\n\nĐoạn hai."))
    assert item.body == "Chiều 3/10, hội nghị.\n\nĐoạn hai."
    assert item.summary == "Chiều 3/10, hội nghị."


def test_same_text_same_hash_and_url_untouched() -> None:
    one = run(ArticleItem(url="https://a.vn/x?utm_source=f", site="s", title="T", body="Kinhtedothi - Một.\n\nHai."))
    two = run(ArticleItem(url="https://b.vn/y", site="s", title="T", body="Một.\n\nHai."))
    assert one.content_hash == two.content_hash
    assert one.url == "https://a.vn/x?utm_source=f"  # identity is read_page's job, not this stage's
