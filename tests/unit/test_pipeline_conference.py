"""ConferenceFactsPipeline: the conference a report describes, with the site's own place as context."""

from __future__ import annotations

from scrapy.settings import Settings

from crawler.items import ArticleItem
from crawler.sites import SITES
from pipelines.base import CountingStats
from pipelines.conference import ConferenceFactsPipeline

TITLE = "Hội nghị lần thứ 22 Ban Chấp hành Đảng bộ quận khóa VI"
BODY = "Chiều 3/10, Ban Chấp hành Đảng bộ quận khóa VI tổ chức Hội nghị lần thứ 22 để đánh giá tình hình thực hiện nhiệm vụ."


def run(site: str, title: str = TITLE, body: str = BODY, published: str = "2024-10-04T09:30:00+07:00") -> tuple[ArticleItem, CountingStats]:
    stats = CountingStats()
    known = SITES.get(site)
    context = known.context if known else None  # as read_page sets it: the site's contexts over time
    item = ArticleItem(url="https://a.vn/1", site=site, title=title, body=body, published_at=published,
                       site_context=context)
    return ConferenceFactsPipeline.build(stats, Settings()).process_item(item), stats


def test_district_portal_supplies_its_own_district() -> None:
    item, stats = run("thanhxuan")
    assert item.conference is not None
    assert (item.conference["level"], item.conference["locality"], item.conference["session_number"]) == ("quận", "Thanh Xuân", 22)
    assert item.conference["held_on"] == "2024-10-03"  # the day in the lead, resolved against the publish year
    assert stats.values == {"conference/found": 1, "conference/found/thanhxuan": 1}


def test_the_context_of_the_publish_day_applies() -> None:
    """Thanh Xuân's portal spoke for a quận until 30 June 2025 and for a phường since."""
    body = BODY.replace("quận", "phường")
    item, _ = run("thanhxuan", TITLE.replace("quận", "phường"), body, published="2025-10-04T09:30:00+07:00")
    assert item.conference is not None
    assert (item.conference["level"], item.conference["locality"]) == ("phường", "Thanh Xuân")


def test_unknown_site_gives_no_place() -> None:
    item, _ = run("example.vn")
    assert item.conference is not None and item.conference["is_conference"] and item.conference["locality"] is None


def test_other_news_is_no_conference() -> None:
    item, stats = run("thanhxuan", "Khai trương tuyến phố đi bộ", "Người dân đến tham quan tuyến phố mới vào cuối tuần.")
    assert item.conference is not None and item.conference["is_conference"] is False
    assert stats.values == {}


def test_district_portal_district_ends_with_the_district_tier() -> None:
    item, _ = run("thanhxuan", published="2025-08-12T09:30:00+07:00")
    assert item.conference is not None and item.conference["is_conference"]
    assert (item.conference["level"], item.conference["locality"], item.conference["province"]) == ("quận", None, "Hà Nội")
