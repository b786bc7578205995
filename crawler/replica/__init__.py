"""Local replicas of the crawled sites, served on 127.0.0.1 for offline crawls, tests and benchmarks."""
