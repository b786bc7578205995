"""Browsing the store in Datasette: readable labels, full-text search, and canned queries for the questions
users ask most (conferences of a place and period, an article's view-count history, each site's last run)."""
