"""Every site definition has a spider named after it, built by the spider loader (no spider file per site), and
saved fixture pages; every spider Scrapy finds is a site's."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.sites import SITES
from crawler.spiders.base import SiteSpider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def spiders() -> dict[str, type]:
    settings = get_project_settings()
    loader = load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings)
    return {name: loader.load(name) for name in loader.list()}


def test_every_site_has_its_spider_and_every_spider_a_site() -> None:
    assert set(spiders()) == set(SITES)


def test_names_agree_and_spiders_are_built_from_definitions() -> None:
    for name, spidercls in spiders().items():
        assert issubclass(spidercls, SiteSpider) and spidercls.name == name, name
        assert spidercls.site is SITES[name], name


def test_every_site_has_fixture_pages_with_expectations() -> None:
    for name in SITES:
        pages = sorted((FIXTURES / name).glob("*/*.html"))
        assert pages, name
        assert all(page.with_suffix(".json").exists() for page in pages), name
