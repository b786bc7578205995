"""One spider per site (file name = spider name); all share `SiteSpider`, sites differ only in data."""
