"""Project commands for `scrapy` (COMMANDS_MODULE): `scrapy crawl` with the same exit codes as `crawler crawl`."""
