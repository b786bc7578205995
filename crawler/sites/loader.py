"""Site definitions from TOML: the bundled `sites.toml`, plus a user's file of the same shape.

    [[site]]
    name = "duongnoi"                          # spider name: lower-case letters, digits, _
    base_url = "https://duongnoi.hanoi.gov.vn"
    parsers = ["hanoi_ward"]                   # parser versions by platform (or platform/version); omit
                                               # them and the generic reader reads every page
    description = "..."
    [site.discovery]
    listings = ["/dang-doan-the"]              # also: feeds, sitemaps, json_listings, article_pattern, next_page
    [[site.context]]
    level = "phường"; locality = "Dương Nội"; province = "Hà Nội"; from = 2025-07-01

Every key is checked; a mistake names the file, the site and the key (`SiteFileError`), never a traceback
deep inside a crawl. A user's site with the name of a bundled one replaces it.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from crawler.sites import JsonListing, Locale, ParserVersion, Selectors, SiteDefinition
from crawler.sites.platforms import resolve_versions

BUNDLED = Path(__file__).with_name("sites.toml")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SITE_KEYS = {
    "name", "base_url", "parsers", "versions", "discovery", "context", "strip_query_params", "render",
    "shows_view_counts", "language", "enabled", "description",
}
_DISCOVERY_KEYS = {"listings", "feeds", "sitemaps", "json_listings", "article_pattern", "next_page"}
_CONTEXT_KEYS = {"level", "locality", "province", "from", "until"}
_VERSION_KEYS = {"name", "from", "until", "note"} | set(Selectors.__dataclass_fields__)


class SiteFileError(ValueError):
    """A site definition file that cannot be used, with where and why."""


def _date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SiteFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _check_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SiteFileError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SiteFileError(f"{where}: expected a list of strings")
    return tuple(value)


def _inline_version(site: str, table: dict[str, Any], where: str) -> ParserVersion:
    _check_keys(table, _VERSION_KEYS, where)
    selector_values = {k: v for k, v in table.items() if k in Selectors.__dataclass_fields__}
    for key in ("title", "body"):
        if not selector_values.get(key):
            raise SiteFileError(f"{where}: a parser version needs at least `title` and `body` selectors")
    if "body_exclude" in selector_values:
        selector_values["body_exclude"] = _strings(selector_values["body_exclude"], f"{where}.body_exclude")
    return ParserVersion(
        name=f"{site}/{table.get('name') or 'v1'}",
        selectors=Selectors(**selector_values),
        valid_from=_date(table.get("from"), f"{where}.from"),
        valid_until=_date(table.get("until"), f"{where}.until"),
        note=str(table.get("note", "")),
    )


def parse_site(table: dict[str, Any], source: str) -> SiteDefinition:
    """One `[[site]]` table -> a definition; raises SiteFileError naming the problem."""
    name = table.get("name")
    where = f"{source}: site {name!r}" if name else f"{source}: a [[site]] without a name"
    if not isinstance(name, str) or not _NAME.match(name):
        raise SiteFileError(f"{where}: `name` must be lower-case letters, digits and _ (it is the spider name)")
    _check_keys(table, _SITE_KEYS, where)
    base_url = table.get("base_url")
    if not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
        raise SiteFileError(f"{where}: `base_url` must be an http(s) address, got {base_url!r}")
    try:
        versions = resolve_versions(_strings(table.get("parsers", []), f"{where}.parsers"))
    except KeyError as exc:
        raise SiteFileError(f"{where}: {exc.args[0]}") from None
    versions += tuple(_inline_version(name, v, f"{where}.versions[{i}]") for i, v in enumerate(table.get("versions", [])))
    discovery = table.get("discovery", {})
    _check_keys(discovery, _DISCOVERY_KEYS, f"{where}.discovery")
    pattern = discovery.get("article_pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SiteFileError(f"{where}.discovery.article_pattern: not a regular expression ({exc})") from None
    json_listings = []
    for i, entry in enumerate(discovery.get("json_listings", [])):
        entry = {"path": entry} if isinstance(entry, str) else entry
        _check_keys(entry, {"path", "url_key", "items_key", "first_page"}, f"{where}.discovery.json_listings[{i}]")
        if "{page}" not in entry.get("path", ""):
            raise SiteFileError(f"{where}.discovery.json_listings[{i}]: `path` needs a {{page}} placeholder")
        json_listings.append(JsonListing(**entry))
    locales = []
    for i, entry in enumerate(table.get("context", [])):
        _check_keys(entry, _CONTEXT_KEYS, f"{where}.context[{i}]")
        locales.append(Locale(
            level=entry.get("level"), locality=entry.get("locality"), province=entry.get("province"),
            valid_from=_date(entry.get("from"), f"{where}.context[{i}].from"),
            valid_until=_date(entry.get("until"), f"{where}.context[{i}].until"),
        ))
    render = table.get("render", "html")
    if render not in ("html", "js"):
        raise SiteFileError(f"{where}: `render` is 'html' or 'js', got {render!r}")
    platforms = sorted({v.name.split("/")[0] for v in versions}) or ["generic"]
    return SiteDefinition(
        name=name,
        base_url=base_url.rstrip("/"),
        platform="+".join(platforms),
        versions=versions,
        listing_paths=_strings(discovery.get("listings", []), f"{where}.discovery.listings"),
        json_listings=tuple(json_listings),
        feed_paths=_strings(discovery.get("feeds", []), f"{where}.discovery.feeds"),
        sitemap_paths=_strings(discovery.get("sitemaps", []), f"{where}.discovery.sitemaps"),
        article_pattern=pattern,
        next_page=discovery.get("next_page", "a[rel=next]::attr(href)"),
        strip_query_params=_strings(table.get("strip_query_params", []), f"{where}.strip_query_params"),
        locales=tuple(locales),
        render=render,
        shows_view_counts=bool(table.get("shows_view_counts", False)),
        language=str(table.get("language", "vi")),
        enabled=bool(table.get("enabled", True)),
        description=str(table.get("description", "")),
        source=source,
    )


def load_sites_file(path: str | Path) -> dict[str, SiteDefinition]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteFileError(f"cannot read site file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SiteFileError(f"{path}: not valid TOML ({exc})") from None
    _check_keys(data, {"site"}, str(path))
    sites: dict[str, SiteDefinition] = {}
    for table in data.get("site", []):
        site = parse_site(table, str(path))
        if site.name in sites:
            raise SiteFileError(f"{path}: site {site.name!r} is defined twice")
        sites[site.name] = site
    return sites


#: Every site this process knows: the bundled ones, then `$CRAWLER_SITES_FILE`, then files registered by the
#: spider loader (`CRAWLER_SITES_FILE` setting) or `crawler crawl --sites FILE`.
SITES: dict[str, SiteDefinition] = load_sites_file(BUNDLED)
_registered: set[str] = set()


def register_sites_file(path: str | Path) -> dict[str, SiteDefinition]:
    """Add (or replace) sites from a user's TOML file; the same file twice is read once."""
    key = str(Path(path).resolve())
    if key in _registered:
        return {name: site for name, site in SITES.items() if site.source == str(path)}
    added = load_sites_file(path)
    SITES.update(added)
    _registered.add(key)
    return added


if os.environ.get("CRAWLER_SITES_FILE"):
    register_sites_file(os.environ["CRAWLER_SITES_FILE"])


def get_site(name: str) -> SiteDefinition:
    try:
        return SITES[name]
    except KeyError:
        known = ", ".join(sorted(SITES))
        raise KeyError(f"unknown site {name!r}; known sites: {known}") from None
