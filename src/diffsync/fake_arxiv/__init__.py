"""diffsync's own fake arXiv API server, for end-to-end tests and benchmarks.

In-process::

    with FakeArxiv(papers, delay_check=0.05, faults=[Fault("429", first=2)]) as fake:
        settings = ArxivSettings(url=fake.url, delay=0.05)
        ...
        assert fake.violations() == []

Standalone: ``python -m diffsync.fake_arxiv --papers papers.json --port 0``
prints the query URL to use as ``DIFFSYNC_ARXIV_URL``.
"""

from .feed import (
    CURRENT,
    LEGACY,
    dump_papers,
    load_papers,
    record_from_dict,
    record_to_dict,
    render_error,
    render_feed,
    synthetic_papers,
)
from .query import answer_query
from .server import FAULT_KINDS, FakeArxiv, Fault, LoggedRequest

__all__ = [
    "CURRENT",
    "FAULT_KINDS",
    "FakeArxiv",
    "Fault",
    "LEGACY",
    "LoggedRequest",
    "answer_query",
    "dump_papers",
    "load_papers",
    "record_from_dict",
    "record_to_dict",
    "render_error",
    "render_feed",
    "synthetic_papers",
]
