"""Spiders: one `SiteSpider` class per site definition, built by the spider loader (no file per site)."""
