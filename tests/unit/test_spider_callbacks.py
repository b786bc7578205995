"""Scrapy's per-call check for generator callbacks that `return` a value is off (WARN_ON_GENERATOR_RETURN_VALUE:
it parses the callback's source on every response, 15% of a crawl's CPU), so it is made here, once, on every
callback and errback the site spider has."""

from __future__ import annotations

import inspect

from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings

from crawler.sites import SITES
from crawler.spiders.base import SiteSpider, spider_class_for


def test_no_callback_is_a_generator_returning_a_value() -> None:
    spider = spider_class_for(SITES["thanhxuan"])
    callbacks = [member for name, member in inspect.getmembers(spider, inspect.isfunction)
                 if name.startswith(("parse", "on_error"))]
    assert {c.__name__ for c in callbacks} >= {"parse", "parse_listing", "parse_json_listing", "parse_feed", "parse_sitemap",
                                               "parse_article", "on_error"}
    assert [c.__name__ for c in callbacks if is_generator_with_return_value(c)] == []


def test_the_per_call_check_is_off_and_article_pages_are_not_generators() -> None:
    assert get_project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
    assert not inspect.isgeneratorfunction(SiteSpider.parse_article)
