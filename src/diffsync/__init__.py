"""diffsync: keep a curated Markdown list of arXiv papers honest."""

__version__ = "0.1.0"
