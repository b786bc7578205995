"""Every catalog site has a spider named after it, in a file of that name, and saved fixture pages; every spider
Scrapy finds is a catalog site's."""

from __future__ import annotations

import inspect
from pathlib import Path

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.sites import SITES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def spiders() -> dict[str, type]:
    loader = SpiderLoader.from_settings(get_project_settings())
    return {name: loader.load(name) for name in loader.list()}


def test_every_site_has_its_spider_and_every_spider_a_site() -> None:
    assert set(spiders()) == set(SITES)


def test_names_agree() -> None:
    for name, spidercls in spiders().items():
        assert spidercls.site is SITES[name], name
        assert Path(inspect.getfile(spidercls)).stem == name


def test_every_site_has_fixture_pages_with_expectations() -> None:
    for name in SITES:
        pages = sorted((FIXTURES / name).glob("*.html"))
        assert pages, name
        assert all(page.with_suffix(".json").exists() for page in pages), name
